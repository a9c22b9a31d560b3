package sc.fiji.inr.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import sc.fiji.inr.field.FieldFile;
import sc.fiji.inr.field.ModelOptions;
import sc.fiji.inr.image.CalibratedImage;
import sc.fiji.inr.image.ImageReader;
import sc.fiji.inr.tasks.fitimage.ImageFitting;

/** {@code inr fit IMAGE -o FIELD.inr}: fit a neural field to an image and save it. */
final class FitVerb implements Main.Verb {

	static final List<String> MODEL_OPTIONS = List.of("model", "width", "depth", "omega0", "features", "sigma", "frequencies",
			"levels", "level-features", "log2-table", "coarsest", "finest");
	static final List<String> FIT_OPTIONS = List.of("steps", "time", "lr", "batch", "seed", "target-psnr", "loss");

	/** The model options' help, shared by every verb that fits a field. */
	static final String MODEL_HELP = """
				  --model NAME          hashgrid (default, fast), siren, fourier, positional
				  --width N --depth N   hidden units per layer, hidden layers (default: per model)
				  --omega0 X            SIREN frequency factor (30)
				  --features N          Fourier features (256)       --sigma X   their std. dev. (8)
				  --frequencies N       positional-encoding octaves (8)
				  --levels N            hash-grid levels (16)        --level-features N  features per level (2)
				  --log2-table N        log2 of hash table rows (19) --coarsest N --finest N  grid resolutions
				""";

	@Override
	public String summary() {
		return "fit a neural field to an image (TIFF, PNG, DICOM, NIfTI) and save it as .inr";
	}

	@Override
	public String help() {
		return """
				Usage: inr fit IMAGE -o FIELD.inr [options]

				Fits a neural field to every pixel of IMAGE (2D, 3D, time-lapse, multi-channel; RGB = 3 channels)
				and saves it. Coordinates are in the image's physical units; values keep the original scale.

				Model:
				""" + MODEL_HELP + """
				Fitting:
				  --steps N             optimisation steps (2000)
				  --time S              wall-clock budget in seconds (default: none)
				  --target-psnr DB      stop when the PSNR reaches DB
				  --lr X                Adam learning rate (default: per model)
				  --batch N             pixels per step (default: per model; larger than the image = all)
				  --loss L              l2 (default), l1, huber[:delta], cauchy[:scale]
				  --seed N              random seed (1); the same seed gives the same field
				Output:
				  -o, --output FILE     field file to write (.inr)
				  --force               overwrite an existing output file
				  --quiet               no progress bar
				""";
	}

	@Override
	public int run(final String[] args, final PrintStream out, final PrintStream err) throws Exception {
		final Arguments a = new Arguments("fit", args, concat(MODEL_OPTIONS, FIT_OPTIONS, List.of("output")), List.of("force", "quiet"));
		final Path input = Path.of(a.single("fit", "input image"));
		final String output = a.string("output", null);
		if (output != null && !output.toLowerCase().endsWith(FieldFile.EXTENSION))
			throw new UsageException("The output must be a field file ending in .inr, got " + output);
		final Path target = OutputFiles.check(output, a.has("force"), input);
		final ImageFitting.Settings settings = settings(a);
		final CalibratedImage<?> image = ImageReader.read(input);
		final ImageFitting.Result result = fit(image, settings, a.has("quiet") ? null : err);
		try (var field = result.field()) {
			FieldFile.save(field, target);
			out.printf("Fitted %s %s with %s: %d steps in %.1f s (%.0f steps/s), PSNR %.2f dB, stopped by %s%n", image.name(),
					java.util.Arrays.toString(image.pixels().dimensionsAsLongArray()), settings.model().model(), result.fit().steps(),
					result.fit().seconds(), result.fit().stepsPerSecond(), result.fit().psnr(), result.fit().stopDescription());
			out.printf("Saved %s (%.1f kB)%n", target, Files.size(target) / 1024.0);
		}
		return result.fit().stopReason() == sc.fiji.inr.fit.FitResult.StopReason.CANCELLED ? 130 : 0;
	}

	/** Runs a fit with a terminal progress bar and Ctrl-C cancellation. */
	static ImageFitting.Result fit(final CalibratedImage<?> image, final ImageFitting.Settings settings, final PrintStream progressOut) {
		final TerminalProgress progress = progressOut == null ? null : new TerminalProgress(progressOut);
		final Thread hook = new Thread(() -> {
			if (progress != null) progress.cancel();
		});
		Runtime.getRuntime().addShutdownHook(hook);
		try {
			return ImageFitting.fit(image, settings, progress);
		}
		finally {
			try {
				Runtime.getRuntime().removeShutdownHook(hook);
			}
			catch (final IllegalStateException shuttingDown) {
				// Ctrl-C arrived: the JVM is exiting anyway.
			}
		}
	}

	/** The model and its overrides from {@link #MODEL_OPTIONS}. */
	static ModelOptions model(final Arguments a) {
		return new ModelOptions(a.string("model", "hashgrid"), a.integer("width", 0), a.integer("depth", 0), a.number("omega0", 0),
				a.integer("features", 0), a.number("sigma", 0), a.integer("frequencies", 0), a.integer("levels", 0),
				a.integer("level-features", 0), a.integer("log2-table", 0), a.integer("coarsest", 0), a.integer("finest", 0));
	}

	static ImageFitting.Settings settings(final Arguments a) {
		final ModelOptions model;
		try {
			model = model(a);
			return ImageFitting.Settings.of(model, a.integer("steps", 2000), a.number("time", 0), a.number("lr", 0),
					a.integer("batch", 0), a.integer("seed", 1), a.number("target-psnr", 0), a.string("loss", "l2"));
		}
		catch (final IllegalArgumentException e) {
			throw new UsageException(e.getMessage());
		}
	}

	@SafeVarargs
	static List<String> concat(final List<String>... lists) {
		return java.util.Arrays.stream(lists).flatMap(List::stream).toList();
	}
}
