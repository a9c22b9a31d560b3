package sc.fiji.inr.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import net.imglib2.type.numeric.real.FloatType;
import sc.fiji.inr.field.FieldFile;
import sc.fiji.inr.field.ModelOptions;
import sc.fiji.inr.image.CalibratedImage;
import sc.fiji.inr.image.ImageMetrics;
import sc.fiji.inr.image.ImageReader;
import sc.fiji.inr.image.ImageWriter;
import sc.fiji.inr.raster.FieldRenderer;
import sc.fiji.inr.raster.RenderGrid;
import sc.fiji.inr.tasks.fitimage.ImageFitting;

/**
 * {@code inr demo}: the newcomer's first run. Fits the bundled camera.png, saves the field,
 * renders it back at the source size (to measure PSNR in 8-bit units) and at twice the size.
 */
final class DemoVerb implements Main.Verb {

	@Override
	public String summary() {
		return "fit the bundled sample image and write the field and a 2x render; prints PSNR and time";
	}

	@Override
	public String help() {
		return """
				Usage: inr demo [--model NAME] [--steps N] [--time S] [--output-dir DIR]

				Fits test-images/camera.png (512 x 512, 8-bit) with a hash-grid field, writes DIR/camera.inr,
				DIR/camera-render.tif (source size) and DIR/camera-x2.tif (2x), and prints PSNR and time.
				  --model NAME       hashgrid (default), siren, fourier, positional
				  --steps N          step budget (default 2000)    --time S   time budget in seconds (default 30)
				  --output-dir DIR   where to write (default: demo-output)
				""";
	}

	@Override
	public int run(final String[] args, final PrintStream out, final PrintStream err) throws Exception {
		final Arguments a = new Arguments("demo", args, List.of("model", "steps", "time", "output-dir"), List.of("quiet"));
		if (!a.positional().isEmpty()) throw new UsageException("'inr demo' takes no file arguments, got " + a.positional());
		final Path home = Path.of(System.getProperty("inr.home", "."));
		final Path sample = home.resolve("test-images").resolve("camera.png");
		if (!Files.exists(sample))
			throw new java.nio.file.NoSuchFileException(sample.toString(), null, "run test-images/fetch.sh to get the sample images");
		final Path dir = Path.of(a.string("output-dir", "demo-output"));
		Files.createDirectories(dir);
		final ImageFitting.Settings settings;
		try {
			settings = ImageFitting.Settings.of(ModelOptions.of(a.string("model", "hashgrid")), a.integer("steps", 2000),
					a.number("time", 30), 0, 0, 1, 0, "l2");
		}
		catch (final IllegalArgumentException e) {
			throw new UsageException(e.getMessage());
		}
		final CalibratedImage<?> image = ImageReader.read(sample);
		out.printf("Fitting %s %s with a %s field...%n", sample, java.util.Arrays.toString(image.pixels().dimensionsAsLongArray()),
				settings.model().model());
		final ImageFitting.Result result = FitVerb.fit(image, settings, a.has("quiet") ? null : err);
		try (var field = result.field()) {
			final Path fieldFile = dir.resolve("camera.inr");
			FieldFile.save(field, fieldFile);
			final CalibratedImage<FloatType> back = FieldRenderer.render(field, RenderGrid.source(field.frame()));
			ImageWriter.write(back, dir.resolve("camera-render.tif"));
			ImageWriter.write(FieldRenderer.render(field, RenderGrid.scaled(field.frame(), 2)), dir.resolve("camera-x2.tif"));
			final double psnr = ImageMetrics.psnr(image.pixels(), back.pixels(), 255);
			out.printf("Fitted in %.1f s (%d steps, %.1f steps/s, %s)%n", result.fit().seconds(), result.fit().steps(),
					result.fit().stepsPerSecond(), sc.fiji.inr.compute.ComputeRuntime.get().device());
			out.printf("PSNR of the rendered image against camera.png: %.2f dB (data range 255)%n", psnr);
			out.printf("Field: %s (%.0f kB; the PNG is %.0f kB)%n", fieldFile, Files.size(fieldFile) / 1024.0, Files.size(sample) / 1024.0);
			out.printf("Renders: %s (512 x 512), %s (1024 x 1024)%n", dir.resolve("camera-render.tif"), dir.resolve("camera-x2.tif"));
		}
		return 0;
	}
}
