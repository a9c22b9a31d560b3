package sc.fiji.inr.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;

import sc.fiji.inr.field.ModelOptions;
import sc.fiji.inr.fit.FitOptions;
import sc.fiji.inr.image.AtomicFiles;
import sc.fiji.inr.image.CalibratedImage;
import sc.fiji.inr.image.ImageReader;
import sc.fiji.inr.image.ImageWriter;
import sc.fiji.inr.tasks.registration.DeformationTransform;
import sc.fiji.inr.tasks.registration.Landmarks;
import sc.fiji.inr.tasks.registration.Registration;
import sc.fiji.inr.tasks.registration.RegistrationSettings;
import sc.fiji.inr.tasks.registration.Similarity;
import sc.fiji.inr.tasks.registration.Volume;
import sc.fiji.inr.tasks.registration.Warping;

/** {@code inr register} (fixed + moving → transform and its images) and {@code inr warp} (apply a transform). */
final class RegisterVerbs {

	private RegisterVerbs() {}

	/** Files {@code register} writes into its output folder (the image suffix follows the fixed image). */
	static final String WARPED = "warped", DISPLACEMENT = "displacement", JACOBIAN = "jacobian", TRANSFORM = "transform.inr",
			REPORT = "report.json";

	static final class Register implements Main.Verb {

		@Override
		public String summary() {
			return "register a moving image to a fixed one with an implicit deformation field (IDIR)";
		}

		@Override
		public String help() {
			final RegistrationSettings d = RegistrationSettings.defaults();
			return """
					Usage: inr register FIXED MOVING -o FOLDER [options]

					Fits φ(x) = M x + t + u(x), u a neural field, so that MOVING(φ(x)) ≈ FIXED(x) (the elastix and
					IDIR convention: the displacement lives on the fixed grid and points into the moving image).
					2D or 3D, physical units from the images' calibration; multi-channel images are compared
					channel by channel. Writes into FOLDER (created if missing):
					  warped.tif|.nii        MOVING resampled onto the fixed grid
					  displacement.tif|.nii  φ(x) − x, channels x, y(, z) in physical units (NIfTI: 5th dimension)
					  jacobian.tif|.nii      det ∂φ/∂x (≤ 0 where the map folds)
					  transform.inr          the transform, for 'inr warp' and Apply Deformation...
					  report.json            NCC before/after, folding %%, TRE, times
					Images are NIfTI when FIXED is, else TIFF.

					Model:
					""".formatted() + FitVerb.MODEL_HELP.replace("hashgrid (default, fast), siren", "siren (default), hashgrid") + """
					Fitting:
					  --steps N             deformable optimisation steps (%d)
					  --lr X                Adam learning rate (default: per model)
					  --batch N             fixed points per step (%d)
					  --seed N              random seed (1)
					  --similarity S        ncc (default), lncc (local NCC), mse
					  --window N            lncc window width in pixels, odd (%d)
					  --jacobian W          weight of mean |1 − det J| (%s)
					  --hyperelastic W      weight of the hyperelastic energy (0)
					  --bending W           weight of the bending energy (0)
					  --affine A            fit (default: fit an affine first), none, or "m00 m01 t0; m10 m11 t1" to use as is
					  --affine-steps N      steps of the affine stage (%d)
					  --affine-only         stop after the affine stage (the baseline)
					  --fixed-mask FILE     register only where this image (fixed grid) is nonzero
					  --moving-mask FILE    use moving points only where this image (moving grid) is nonzero
					  --fixed-landmarks F   CSV of x,y(,z) physical coordinates in FIXED ...
					  --moving-landmarks F  ... and the corresponding points in MOVING: TRE before and after
					  --quiet               no progress bar
					  --force               overwrite files in FOLDER
					""".formatted(d.fit().steps(), d.fit().batchSize(), d.window(), SuperresVerb.number(d.jacobian()), d.affineSteps());
		}

		@Override
		public int run(final String[] args, final PrintStream out, final PrintStream err) throws Exception {
			final List<String> options = FitVerb.concat(FitVerb.MODEL_OPTIONS, List.of("output", "steps", "lr", "batch", "seed", "similarity",
					"window", "jacobian", "hyperelastic", "bending", "affine", "affine-steps", "fixed-mask", "moving-mask", "fixed-landmarks",
					"moving-landmarks"));
			final Arguments a = new Arguments("register", args, options, List.of("affine-only", "quiet", "force"));
			final List<String> inputs = a.positional();
			if (inputs.size() != 2) throw new UsageException("'inr register' needs a fixed and a moving image" + (inputs.isEmpty() ? "" : ", got " + inputs));
			final Path fixedPath = Path.of(inputs.get(0)), movingPath = Path.of(inputs.get(1));
			if (a.has("fixed-landmarks") != a.has("moving-landmarks"))
				throw new UsageException("Landmarks need both --fixed-landmarks and --moving-landmarks");
			final String suffix = SuperresVerb.isNifti(fixedPath) ? ".nii" : ".tif";
			final Path folder = outputFolder(a.string("output", null), a.has("force"), suffix);
			final RegistrationSettings settings = settings(a);

			final CalibratedImage<?> fixedImage = ImageReader.read(fixedPath), movingImage = ImageReader.read(movingPath);
			final Volume fixed = Volume.of(fixedImage), moving = Volume.of(movingImage);
			final Volume fixedMask = a.has("fixed-mask") ? Volume.of(ImageReader.read(Path.of(a.string("fixed-mask", null)))) : null;
			final Volume movingMask = a.has("moving-mask") ? Volume.of(ImageReader.read(Path.of(a.string("moving-mask", null)))) : null;
			final Landmarks landmarks = a.has("fixed-landmarks") ? new Landmarks(
					Landmarks.read(existing(a.string("fixed-landmarks", null)), fixed.dims()),
					Landmarks.read(existing(a.string("moving-landmarks", null)), fixed.dims())) : null;

			final Registration.Result r = SuperresVerb.withProgress(a.has("quiet") ? null : err,
					listener -> Registration.register(fixed, moving, fixedMask, movingMask, settings, listener));
			try (DeformationTransform t = r.transform()) {
				Files.createDirectories(folder);
				ImageWriter.write(r.warped().image(movingImage.name() + "-warped", r.warped().channels(), movingImage.pixelType()),
						folder.resolve(WARPED + suffix));
				ImageWriter.write(Warping.displacementImage(t, movingImage.name() + "-displacement"), folder.resolve(DISPLACEMENT + suffix));
				ImageWriter.write(Warping.jacobianImage(t, r.determinant(), movingImage.name() + "-jacobian"), folder.resolve(JACOBIAN + suffix));
				t.save(folder.resolve(TRANSFORM));
				final JsonObject report = new JsonObject();
				report.addProperty("fixed", fixedPath.toString());
				report.addProperty("moving", movingPath.toString());
				report.addProperty("seconds", r.seconds());
				report.addProperty("nccBefore", r.nccBefore());
				report.addProperty("nccAfter", r.nccAfter());
				report.addProperty("foldingPercent", r.foldingPercent());
				report.addProperty("affine", t.affine().toString());
				report.addProperty("model", settings.model().model());
				report.addProperty("steps", r.deformableFit() == null ? 0 : r.deformableFit().steps());
				report.addProperty("affineSteps", r.affineFit() == null ? 0 : r.affineFit().steps());
				String tre = "";
				if (landmarks != null) {
					final double[] e = landmarks.targetRegistrationError(t);
					report.addProperty("treMeanBefore", e[0]);
					report.addProperty("treMaxBefore", e[1]);
					report.addProperty("treMeanAfter", e[2]);
					report.addProperty("treMaxAfter", e[3]);
					tre = String.format(Locale.ROOT, ", TRE %.3f → %.3f %s (mean of %d)", e[0], e[2], fixed.unit(), landmarks.fixed().length);
				}
				final String json = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create().toJson(report);
				AtomicFiles.write(folder.resolve(REPORT), tmp -> Files.writeString(tmp, json));
				out.printf(Locale.ROOT, "register %s → %s: %dD, NCC %.4f → %.4f, folding %.3f %%%s, %.1f s → %s%n", movingImage.name(),
						fixedImage.name(), fixed.dims(), r.nccBefore(), r.nccAfter(), r.foldingPercent(), tre, r.seconds(), folder);
				return r.deformableFit() != null && r.deformableFit().stopReason() == sc.fiji.inr.fit.FitResult.StopReason.CANCELLED ? 130 : 0;
			}
		}

		/** The output folder: created later; existing result files are replaced only with --force. */
		private static Path outputFolder(final String output, final boolean force, final String suffix) throws IOException {
			if (output == null || output.isBlank()) throw new UsageException("Missing output folder (-o FOLDER)");
			final Path folder = Path.of(output).toAbsolutePath();
			if (Files.exists(folder) && !Files.isDirectory(folder)) throw new IOException("Output " + folder + " exists and is not a folder");
			if (folder.getParent() != null && !Files.isDirectory(folder.getParent()))
				throw new IOException("Output folder's parent " + folder.getParent() + " does not exist");
			if (!force)
				for (final String f : List.of(WARPED + suffix, DISPLACEMENT + suffix, JACOBIAN + suffix, TRANSFORM, REPORT))
					if (Files.exists(folder.resolve(f))) throw new FileAlreadyExistsException(folder.resolve(f) + " (use --force to replace)");
			return folder;
		}

		private static RegistrationSettings settings(final Arguments a) {
			try {
				final RegistrationSettings d = RegistrationSettings.defaults();
				final ModelOptions model = model(a, d.model());
				final double lr = a.number("lr", 0) > 0 ? a.number("lr", 0) : d.learningRateFor(model);
				final FitOptions fit = d.fit().withSteps(a.integer("steps", d.fit().steps())).withLearningRate(lr)
						.withBatchSize(a.integer("batch", d.fit().batchSize())).withSeed(a.integer("seed", 1));
				return d.withModel(model).withFit(fit).withSimilarity(Similarity.parse(a.string("similarity", "ncc")), a.integer("window", d.window()))
						.withRegularisers(a.number("jacobian", d.jacobian()), a.number("hyperelastic", 0), a.number("bending", 0))
						.withAffine(a.string("affine", "fit"), a.integer("affine-steps", d.affineSteps()))
						.withDeformable(!a.has("affine-only"));
			}
			catch (final IllegalArgumentException e) {
				throw new UsageException(e.getMessage());
			}
		}

		/**
		 * The user's model options over the registration's defaults (a SIREN sized for speed: smooth
		 * displacements, not the image-fitting hash grid); naming another model drops the defaults' sizes.
		 */
		static ModelOptions model(final Arguments a, final ModelOptions d) {
			if (a.has("model") && !a.string("model", "").trim().equalsIgnoreCase(d.model())) return FitVerb.model(a);
			return new ModelOptions(d.model(), a.integer("width", d.width()), a.integer("depth", d.depth()), a.number("omega0", d.omega0()),
					a.integer("features", 0), a.number("sigma", 0), a.integer("frequencies", 0), a.integer("levels", 0),
					a.integer("level-features", 0), a.integer("log2-table", 0), a.integer("coarsest", 0), a.integer("finest", 0));
		}
	}

	static final class Warp implements Main.Verb {

		@Override
		public String summary() {
			return "apply a registration transform to an image or a label image";
		}

		@Override
		public String help() {
			return """
					Usage: inr warp IMAGE TRANSFORM.inr -o OUT.tif|.nii [--labels] [--force]

					Resamples IMAGE (on the moving image's grid) onto the fixed grid of TRANSFORM (made by 'inr
					register'), at φ(x) for every fixed pixel x. Channels are warped alike; the pixel type is kept.
					  --labels              nearest-neighbour sampling, so label values stay labels
					  -o, --output FILE     image to write (.tif, .tiff, .nii, .nii.gz)
					  --force               overwrite an existing output file
					""";
		}

		@Override
		public int run(final String[] args, final PrintStream out, final PrintStream err) throws Exception {
			final Arguments a = new Arguments("warp", args, List.of("output"), List.of("labels", "force"));
			final List<String> inputs = a.positional();
			if (inputs.size() != 2) throw new UsageException("'inr warp' needs an image and a transform" + (inputs.isEmpty() ? "" : ", got " + inputs));
			final Path imagePath = Path.of(inputs.get(0)), transformPath = existing(inputs.get(1));
			final Path target = SuperresVerb.checkImageOutput(a.string("output", null), a.has("force"), imagePath, transformPath);
			final CalibratedImage<?> image = ImageReader.read(imagePath);
			final long start = System.nanoTime();
			try (DeformationTransform t = DeformationTransform.load(transformPath)) {
				ImageWriter.write(Warping.warp(image, t, a.has("labels")), target);
				out.printf(Locale.ROOT, "warp %s by %s (%s) in %.1f s → %s%n", image.name(), transformPath.getFileName(),
						a.has("labels") ? "nearest, labels" : "linear", (System.nanoTime() - start) / 1e9, target);
			}
			return 0;
		}
	}

	private static Path existing(final String file) throws IOException {
		final Path p = Path.of(file);
		if (!Files.exists(p)) throw new NoSuchFileException(file);
		return p;
	}
}
