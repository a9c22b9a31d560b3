package sc.fiji.inr.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import sc.fiji.inr.field.FieldFile;
import sc.fiji.inr.field.NeuralField;
import sc.fiji.inr.fit.FitResult;
import sc.fiji.inr.image.CalibratedImage;
import sc.fiji.inr.image.ImageReader;
import sc.fiji.inr.image.ImageWriter;
import sc.fiji.inr.tasks.Reconstruction;
import sc.fiji.inr.tasks.mri.KSpace;
import sc.fiji.inr.tasks.mri.MriImages;
import sc.fiji.inr.tasks.mri.MriReconstruction;
import sc.fiji.inr.tasks.mri.MriSimulator;
import sc.fiji.inr.tasks.mri.SamplingMask;

/**
 * The MRI verbs: {@code mri-simulate} (image → undersampled k-space, and its mask) and
 * {@code mri-recon} (k-space and mask → image, by a neural field or zero filling).
 */
final class MriVerbs {

	private MriVerbs() {}

	// ------------------------------------------------------------------ mri-simulate

	static final class Simulate implements Main.Verb {

		@Override
		public String summary() {
			return "simulate undersampled MRI k-space of a 2D image (Cartesian, radial or a given mask)";
		}

		@Override
		public String help() {
			return """
					Usage: inr mri-simulate IMAGE -o KSPACE.tif [--mask-out MASK.tif] [options]

					Writes the centred, orthonormal k-space of the real 2D IMAGE at the elements a sampling mask
					keeps (exactly 0 elsewhere), plus complex Gaussian noise, as a 2-channel image (real,
					imaginary). TIFF keeps the calibration (cycles per unit), from which mri-recon gets the pixel
					size back; NIfTI has no unit for it (the result is then in pixels).

					Sampling:
					  --mask M              cartesian (default), radial, or a mask image FILE (nonzero = sampled)
					  --acceleration X      cartesian: undersampling factor, ≥ 1 (4)
					  --centre F            cartesian: fraction of rows in the fully sampled centre band (0.08)
					  --spokes N            radial: number of spokes (32)
					  --golden              radial: golden-angle spokes instead of uniform ones
					  --seed N              seed of the random rows and of the noise (1)
					  --noise SIGMA         noise standard deviation per real and imaginary component (0)
					Output:
					  -o, --output FILE     k-space image to write (.tif, .tiff, .nii, .nii.gz)
					  --mask-out FILE       also write the sampling mask (0/1)
					  --force               overwrite existing output files
					""";
		}

		@Override
		public int run(final String[] args, final PrintStream out, final PrintStream err) throws Exception {
			final Arguments a = new Arguments("mri-simulate", args,
					List.of("output", "mask-out", "mask", "acceleration", "centre", "spokes", "seed", "noise"), List.of("golden", "force"));
			final Path input = Path.of(a.single("mri-simulate", "input image"));
			final Path target = SuperresVerb.checkImageOutput(a.string("output", null), a.has("force"), input);
			final Path maskTarget = a.has("mask-out") ? SuperresVerb.checkImageOutput(a.string("mask-out", null), a.has("force"), input)
					: null;
			if (maskTarget != null && maskTarget.equals(target)) throw new UsageException("--mask-out must differ from the output");
			final String pattern = a.string("mask", "cartesian");
			final boolean cartesian = pattern.equalsIgnoreCase("cartesian"), radial = pattern.equalsIgnoreCase("radial");
			refuse(a, cartesian ? "--mask cartesian" : radial ? "--mask radial" : "a mask file",
					cartesian ? List.of("spokes", "golden") : radial ? List.of("acceleration", "centre") : List.of("spokes", "golden",
							"acceleration", "centre"));
			final double noise = a.number("noise", 0);
			if (noise < 0) throw new UsageException("Option --noise must be ≥ 0, got " + a.string("noise", ""));
			final long seed = a.integer("seed", 1);

			final CalibratedImage<?> image = ImageReader.read(input);
			final float[] pixels = MriImages.realImage(image);
			final int w = MriImages.width(image), h = MriImages.height(image);
			final MriReconstruction.Calibration calibration = MriImages.imageCalibration(image);
			final SamplingMask mask;
			if (cartesian) mask = SamplingMask.cartesian(w, h, a.number("acceleration", 4), a.number("centre", 0.08), seed);
			else if (radial) mask = SamplingMask.radial(w, h, a.integer("spokes", 32), a.has("golden"));
			else mask = SamplingMask.of(ImageReader.read(Path.of(pattern)));
			final KSpace k = MriSimulator.simulate(pixels, w, h, mask, noise, seed);
			ImageWriter.write(MriImages.kspaceImage(k, calibration, image.name() + "-kspace"), target);
			if (maskTarget != null) ImageWriter.write(MriImages.maskImage(mask, calibration, image.name() + "-mask"), maskTarget);
			out.printf(Locale.ROOT, "mri-simulate %s: %d×%d, %s, %.1f%% sampled (%.2f×), noise %s → %s%s%n", image.name(), w, h,
					cartesian ? "cartesian" : radial ? "radial" : "mask " + pattern, 100 * mask.fraction(), 1 / mask.fraction(),
					SuperresVerb.number(noise), target, maskTarget == null ? "" : ", mask " + maskTarget);
			return 0;
		}
	}

	/** Refuses options that do not apply to {@code why}. */
	static void refuse(final Arguments a, final String why, final List<String> names) {
		final List<String> given = new ArrayList<>();
		for (final String o : names)
			if (a.has(o)) given.add("--" + o);
		if (!given.isEmpty())
			throw new UsageException(String.join(", ", given) + (given.size() == 1 ? " does" : " do") + " not apply to " + why);
	}

	// ------------------------------------------------------------------ mri-recon

	static final class Reconstruct implements Main.Verb {

		static final List<String> INR_OPTIONS = FitVerb.concat(FitVerb.MODEL_OPTIONS,
				List.of("steps", "time", "lr", "seed", "tv", "prior", "prior-weight", "field", "complex"));

		@Override
		public String summary() {
			return "reconstruct an image from undersampled MRI k-space, by a neural field or zero filling";
		}

		@Override
		public String help() {
			return """
					Usage: inr mri-recon KSPACE [--mask MASK] -o IMAGE.tif|.nii|.nii.gz [options]
					       inr mri-recon REAL IMAGINARY [--mask MASK] -o IMAGE ...

					Reconstructs the magnitude image from a centred, orthonormal k-space: a 2-channel image (real,
					imaginary; as mri-simulate writes it) or two single-channel images. The mask marks the sampled
					elements (nonzero = sampled; default: the k-space's nonzero elements). The pixel size comes from a
					k-space calibrated in cycles per unit, else it is 1 pixel.

					Method:
					  --method M            inr (default: fit a neural field through the Fourier model) or zero-filled
					  --complex             inr: fit real and imaginary parts (objects with phase)
					Model (inr):
					""" + FitVerb.MODEL_HELP + """
					Fitting (inr):
					  --steps N             optimisation steps (2000)
					  --time S              wall-clock budget in seconds (default: none)
					  --lr X                Adam learning rate (default: per model)
					  --seed N              random seed (1)
					  --tv W                total-variation weight (%s)
					  --prior FIELD.inr     start from this field, fitted on an image of the k-space's size
					  --prior-weight W      with --prior: weight of the total variation of the change from
					                        the prior's image (%s; 0 = the prior is only the starting point)
					  --field OUT.inr       also save the fitted field
					  --quiet               no progress bar
					Output:
					  -o, --output FILE     image to write (.tif, .tiff, .nii, .nii.gz)
					  --force               overwrite existing output files
					""".formatted(SuperresVerb.number(MriReconstruction.DEFAULT_TV_WEIGHT),
					SuperresVerb.number(MriReconstruction.DEFAULT_PRIOR_WEIGHT));
		}

		@Override
		public int run(final String[] args, final PrintStream out, final PrintStream err) throws Exception {
			final List<String> options = FitVerb.concat(FitVerb.MODEL_OPTIONS,
					List.of("steps", "time", "lr", "seed", "tv", "prior", "prior-weight", "field", "output", "mask", "method"));
			final Arguments a = new Arguments("mri-recon", args, options, List.of("complex", "quiet", "force"));
			final List<String> inputs = a.positional();
			if (inputs.size() != 1 && inputs.size() != 2)
				throw new UsageException("'inr mri-recon' needs a k-space image, or its real and imaginary parts" + (inputs.isEmpty() ? ""
						: ", got " + inputs));
			final Path first = Path.of(inputs.get(0)), second = inputs.size() > 1 ? Path.of(inputs.get(1)) : null;
			final Path target = SuperresVerb.checkImageOutput(a.string("output", null), a.has("force"),
					second == null ? new Path[] { first } : new Path[] { first, second });
			final String method = SuperresVerb.method(a.string("method", "inr"), List.of("inr", "zero-filled"));
			final boolean inr = method.equals("inr");
			if (!inr) refuse(a, "--method zero-filled", INR_OPTIONS);
			final Path fieldPath = a.has("field") ? SuperresVerb.checkFieldOutput(a.string("field", null), a.has("force"), first) : null;
			final Reconstruction.Settings settings = inr ? settings(a) : null;

			final CalibratedImage<?> kImage = ImageReader.read(first);
			final KSpace k = second == null ? KSpace.of(kImage) : KSpace.of(kImage, ImageReader.read(second));
			final SamplingMask mask = a.has("mask") ? SamplingMask.of(ImageReader.read(Path.of(a.string("mask", null))))
					: MriImages.nonzero(k);
			final MriReconstruction.Calibration calibration = MriImages.calibration(kImage);
			final String name = kImage.name() + "-" + method;
			final String head = String.format(Locale.ROOT, "mri-recon %s: %d×%d, %.1f%% sampled%s, pixel %s %s", kImage.name(), k.width(),
					k.height(), 100 * mask.fraction(), a.has("mask") ? "" : " (nonzero elements)", SuperresVerb.number(calibration.pixelSize()),
					calibration.unit());
			if (!inr) {
				final long start = System.nanoTime();
				ImageWriter.write(MriReconstruction.zeroFilled(k, mask, calibration, name), target);
				out.printf(Locale.ROOT, "%s, zero-filled in %.2f s → %s%n", head, (System.nanoTime() - start) / 1e9, target);
				return 0;
			}
			final NeuralField prior = a.has("prior") ? loadPrior(Path.of(a.string("prior", null))) : null;
			NeuralField fitted = null;
			try {
				final MriReconstruction.Result r = SuperresVerb.withProgress(a.has("quiet") ? null : err,
						listener -> MriReconstruction.reconstruct(k, mask, calibration, name, a.has("complex"), settings, prior, listener));
				fitted = r.field();
				ImageWriter.write(r.image(), target);
				if (fieldPath != null) FieldFile.save(fitted, fieldPath);
				out.printf(Locale.ROOT, "%s, inr (%s%s): %d steps in %.1f s, PSNR %.2f dB against the sampled k-space, stopped by %s → %s%s%n",
						head, prior != null ? "from prior " + a.string("prior", null) : settings.model().model(), a.has("complex") ? ", complex" : "",
						r.fit().steps(), r.fit().seconds(), r.fit().psnr(), r.fit().stopDescription(), target,
						fieldPath == null ? "" : ", field " + fieldPath);
				return r.fit().stopReason() == FitResult.StopReason.CANCELLED ? 130 : 0;
			}
			finally {
				if (fitted != null) fitted.close();
				if (prior != null && prior != fitted) prior.close();
			}
		}

		private static NeuralField loadPrior(final Path path) throws IOException {
			if (!Files.exists(path)) throw new NoSuchFileException(path.toString());
			return FieldFile.load(path);
		}

		private static Reconstruction.Settings settings(final Arguments a) {
			try {
				return Reconstruction.Settings.of(FitVerb.model(a), a.integer("steps", 2000), a.number("time", 0), a.number("lr", 0),
						a.integer("seed", 1), a.number("tv", MriReconstruction.DEFAULT_TV_WEIGHT),
						a.number("prior-weight", MriReconstruction.DEFAULT_PRIOR_WEIGHT));
			}
			catch (final IllegalArgumentException e) {
				throw new UsageException(e.getMessage());
			}
		}
	}
}
