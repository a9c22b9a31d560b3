package sc.fiji.inr.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import net.imglib2.type.numeric.real.FloatType;
import sc.fiji.inr.field.FieldFile;
import sc.fiji.inr.field.ModelOptions;
import sc.fiji.inr.fit.FitListener;
import sc.fiji.inr.fit.FitResult;
import sc.fiji.inr.image.Axis;
import sc.fiji.inr.image.CalibratedImage;
import sc.fiji.inr.image.ImageReader;
import sc.fiji.inr.image.ImageWriter;
import sc.fiji.inr.image.NiftiHeader;
import sc.fiji.inr.image.NiftiReader;
import sc.fiji.inr.image.NiftiWriter;
import sc.fiji.inr.raster.RenderGrid;
import sc.fiji.inr.tasks.superres.Interpolation;
import sc.fiji.inr.tasks.superres.StackGeometry;
import sc.fiji.inr.tasks.superres.SuperResolution;

/**
 * {@code inr superres IMAGE -o OUT}: one image onto a finer grid over the same extent, by a
 * neural field fitted through the acquisition model of every voxel (the default) or by one of
 * the interpolation baselines, which are here so users can compare on their own data.
 * <p>
 * A NIfTI input whose header places the grid rotated or flipped in the world keeps that
 * placement in NIfTI output: the calibration the task works in is axis-aligned, so the output's
 * sform is derived from the input's (see {@link #outputSform}).
 */
final class SuperresVerb implements Main.Verb {

	/** Options that only the neural-field method uses, refused with a baseline so nothing is silently ignored. */
	static final List<String> INR_OPTIONS = FitVerb.concat(FitVerb.MODEL_OPTIONS, FitVerb.FIT_OPTIONS,
			List.of("profile", "thickness", "field"));

	@Override
	public String summary() {
		return "super-resolve one 2D/3D image (TIFF, NIfTI, ...) to a finer grid, by INR or interpolation";
	}

	/** The fitting options' help of the verbs that fit a field to measured voxels. */
	static final String INR_FIT_HELP = """
				Fitting (inr):
				  --steps N             optimisation steps (2000)
				  --time S              wall-clock budget in seconds (default: none)
				  --target-psnr DB      stop when the PSNR against the measured voxels reaches DB
				  --lr X                Adam learning rate (default: per model)
				  --batch N             measured voxels per step (default: about 32768 PSF samples' worth)
				  --loss L              l2 (default), l1, huber[:delta], cauchy[:scale]
				  --seed N              random seed (1); the same seed gives the same result
				""";

	@Override
	public String help() {
		return """
				Usage: inr superres IMAGE -o OUT.tif|OUT.nii|OUT.nii.gz [--scale S | --voxel V] [options]

				Resamples one 2D or 3D image (multi-channel OK) onto a finer grid over the same extent. The
				default method fits a neural field to the measured voxels through a model of how each was
				acquired (a slice profile along z; a box over the voxel in-plane where the output is finer),
				then renders it on the new grid: thick slices are deblurred, not only interpolated. The other
				methods are the classical baselines. A NIfTI input's orientation (rotation, flips) is kept when the output is NIfTI.
				Options marked inr are refused with the other methods rather than silently ignored.

				Output grid (default: --scale 2):
				  --scale S             S times as many voxels per axis (2), or one factor per axis (1,1,4)
				  --voxel V             output voxel size in the image's unit (0.5), or one per axis
				                        (0.5,0.5,0.5); rounded to a whole number of voxels over the extent
				Method:
				  --method M            inr (default), nearest, linear, cubic, lanczos
				  --profile P           inr, 3D: slice profile along z, box (default) or gaussian
				  --thickness T         inr, 3D: slice width (box) or FWHM (gaussian) in the image's unit
				                        (default: the z spacing)
				Model (inr):
				""" + FitVerb.MODEL_HELP + INR_FIT_HELP + """
				Output:
				  -o, --output FILE     image to write (.tif, .tiff, .nii, .nii.gz)
				  --field FILE          inr: also save the fitted field (.inr), to render it again later
				  --force               overwrite existing output files
				  --quiet               no progress bar
				""";
	}

	@Override
	public int run(final String[] args, final PrintStream out, final PrintStream err) throws Exception {
		final Arguments a = new Arguments("superres", args,
				FitVerb.concat(INR_OPTIONS, List.of("output", "scale", "voxel", "method")), List.of("force", "quiet"));
		final Path input = Path.of(a.single("superres", "input image"));
		final Path target = checkImageOutput(a.string("output", null), a.has("force"), input);
		final String method = method(a.string("method", "inr"), List.of("inr", "nearest", "linear", "cubic", "lanczos"));
		final boolean inr = method.equals("inr");
		if (!inr) refuseInrOptions(a, "--method " + method);
		final Path fieldPath = a.has("field") ? checkFieldOutput(a.string("field", null), a.has("force"), input) : null;
		if (a.has("scale") && a.has("voxel")) throw new UsageException("Give either --scale or --voxel, not both");
		final double[] scale = a.has("voxel") ? null : positives("scale", a.string("scale", "2"));
		final double[] voxel = a.has("voxel") ? positives("voxel", a.string("voxel", null)) : null;
		final SuperResolution.Settings settings = inr ? settings(a, false) : null;

		final CalibratedImage<?> image = ImageReader.read(input);
		final int dims = image.dimensionOf(Axis.Z) >= 0 ? 3 : 2;
		final double[] given = scale != null ? scale : voxel;
		if (given.length != 1 && given.length != dims)
			throw new UsageException("--" + (scale != null ? "scale" : "voxel") + " needs 1 or " + dims + " values for the " + dims
					+ "D image " + input.getFileName() + ", got " + given.length);
		if (dims == 2 && (a.has("profile") || a.has("thickness")))
			throw new UsageException("--profile and --thickness model the slices of a 3D image; " + input.getFileName() + " is 2D");
		final RenderGrid grid = SuperResolution.upsampleGrid(image, scale, voxel);
		final double[][] sform = isNifti(target) && isNifti(input) ? outputSform(NiftiReader.readHeader(input), image, grid) : null;
		if (!isNifti(target) && isNifti(input) && !isAxisAligned(NiftiReader.readHeader(input).affine()))
			err.println("inr superres: note: " + target.getFileName() + " cannot store the rotation/flips of " + input.getFileName()
					+ "'s NIfTI header; write .nii or .nii.gz to keep them");

		final String head = String.format(Locale.ROOT, "superres %s: %s → %s, voxel %s %s", image.name(), inputSize(image),
				size(grid.size()), size(grid.spacing()), unit(image));
		if (!inr) {
			final long start = System.nanoTime();
			final CalibratedImage<FloatType> result = SuperResolution.interpolate(
					new SuperResolution.Stack(image, StackGeometry.fromCalibration(image, null)), grid, Interpolation.parse(method));
			write(result, target, sform);
			out.printf(Locale.ROOT, "%s, %s in %.2f s → %s%n", head, method, (System.nanoTime() - start) / 1e9, target);
			return 0;
		}
		final SuperResolution.Result result = withProgress(a.has("quiet") ? null : err,
				listener -> SuperResolution.upsample(image, grid, settings, listener));
		try (var field = result.field()) {
			write(result.image(), target, sform);
			if (fieldPath != null) FieldFile.save(field, fieldPath);
			out.printf(Locale.ROOT, "%s, inr (%s): %s → %s%s%n", head, settings.model().model(), fitSummary(result.fit()), target,
					fieldPath == null ? "" : ", field " + fieldPath);
		}
		return result.fit().stopReason() == FitResult.StopReason.CANCELLED ? 130 : 0;
	}

	// -- shared with FuseVerb --

	/** The image output path, checked before any work: a writable format, no accidental overwrite. */
	static Path checkImageOutput(final String output, final boolean force, final Path... inputs) throws java.io.IOException {
		final Path target = OutputFiles.check(output, force, inputs);
		if (ImageWriter.SUPPORTED_EXTENSIONS.stream().noneMatch(e -> target.toString().toLowerCase(Locale.ROOT).endsWith(e)))
			throw new UsageException("Cannot write " + target.getFileName() + ": use one of " + ImageWriter.SUPPORTED_EXTENSIONS);
		return target;
	}

	/** The --field path, checked like the image output. */
	static Path checkFieldOutput(final String field, final boolean force, final Path... inputs) throws java.io.IOException {
		if (field == null || !field.toLowerCase(Locale.ROOT).endsWith(FieldFile.EXTENSION))
			throw new UsageException("--field must name a field file ending in " + FieldFile.EXTENSION + ", got " + field);
		return OutputFiles.check(field, force, inputs);
	}

	/** {@code name} lower-cased if it is one of {@code allowed}, else a usage error listing them. */
	static String method(final String name, final List<String> allowed) {
		final String m = name.trim().toLowerCase(Locale.ROOT);
		if (!allowed.contains(m))
			throw new UsageException("Unknown method '" + name + "' (use " + String.join(", ", allowed) + ")");
		return m;
	}

	/** Refuses the neural-field options when {@code why} (a baseline method) does not use them. */
	static void refuseInrOptions(final Arguments a, final String why) {
		final List<String> given = new ArrayList<>();
		for (final String o : INR_OPTIONS)
			if (a.has(o)) given.add("--" + o);
		if (!given.isEmpty())
			throw new UsageException(String.join(", ", given) + (given.size() == 1 ? " applies" : " apply")
					+ " to --method inr only, not to " + why);
	}

	/** The fitting settings from the model and fit options (as {@code inr fit}) and the slice profile. */
	static SuperResolution.Settings settings(final Arguments a, final boolean align) {
		try {
			final ModelOptions model = new ModelOptions(a.string("model", "hashgrid"), a.integer("width", 0), a.integer("depth", 0),
					a.number("omega0", 0), a.integer("features", 0), a.number("sigma", 0), a.integer("frequencies", 0),
					a.integer("levels", 0), a.integer("level-features", 0), a.integer("log2-table", 0), a.integer("coarsest", 0),
					a.integer("finest", 0));
			final SuperResolution.Settings s = SuperResolution.Settings.of(model, a.integer("steps", 2000), a.number("time", 0),
					a.number("lr", 0), a.integer("batch", 0), a.integer("seed", 1), a.string("loss", "l2"),
					a.string("profile", "box"), a.number("thickness", 0), align);
			return s.withFit(s.fit().withTargetPsnr(a.number("target-psnr", 0)));
		}
		catch (final IllegalArgumentException e) {
			throw new UsageException(e.getMessage());
		}
	}

	/**
	 * Runs {@code work} with a terminal progress bar on {@code progressOut} (null = none) and
	 * Ctrl-C cancelling the fit after the current step, as {@code inr fit} does.
	 */
	static <R> R withProgress(final PrintStream progressOut, final Function<FitListener, R> work) {
		final TerminalProgress progress = progressOut == null ? null : new TerminalProgress(progressOut);
		final Thread hook = new Thread(() -> {
			if (progress != null) progress.cancel();
		});
		Runtime.getRuntime().addShutdownHook(hook);
		try {
			return work.apply(progress);
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

	/** "N steps in T s, PSNR P dB against the measured voxels (stopped by R)". */
	static String fitSummary(final FitResult fit) {
		return String.format(Locale.ROOT, "%d steps in %.1f s, PSNR %.2f dB against the measured voxels, stopped by %s", fit.steps(),
				fit.seconds(), fit.psnr(), fit.stopDescription());
	}

	/** Positive numbers from "2" or "1,1,4", for option {@code name}. */
	static double[] positives(final String name, final String text) {
		final String[] parts = text.split(",", -1);
		final double[] v = new double[parts.length];
		for (int i = 0; i < parts.length; i++) {
			try {
				v[i] = Double.parseDouble(parts[i].trim());
			}
			catch (final NumberFormatException e) {
				throw new UsageException("Option --" + name + " needs a number or comma-separated numbers, got '" + text + "'");
			}
			if (!(v[i] > 0) || !Double.isFinite(v[i]))
				throw new UsageException("Option --" + name + " needs positive values, got '" + text + "'");
		}
		return v;
	}

	static boolean isNifti(final Path path) {
		final String n = path.getFileName().toString().toLowerCase(Locale.ROOT);
		return n.endsWith(".nii") || n.endsWith(".nii.gz");
	}

	/** "24×20" from sizes or spacings. */
	static String size(final long[] v) {
		final StringBuilder s = new StringBuilder();
		for (int i = 0; i < v.length; i++) s.append(i == 0 ? "" : "×").append(v[i]);
		return s.toString();
	}

	static String size(final double[] v) {
		final StringBuilder s = new StringBuilder();
		for (int i = 0; i < v.length; i++) s.append(i == 0 ? "" : "×").append(number(v[i]));
		return s.toString();
	}

	/** {@code v} to 4 significant digits without trailing zeros: 0.25, 1, 0.3333. */
	static String number(final double v) {
		return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
	}

	/** Spatial size (x, y[, z]) of an image, with " ×C ch" when it has several channels. */
	static String inputSize(final CalibratedImage<?> image) {
		final List<Long> v = new ArrayList<>();
		for (final Axis axis : List.of(Axis.X, Axis.Y, Axis.Z))
			if (image.dimensionOf(axis) >= 0) v.add(image.pixels().dimension(image.dimensionOf(axis)));
		return size(v.stream().mapToLong(Long::longValue).toArray()) + (image.channels() > 1 ? " (" + image.channels() + " channels)" : "");
	}

	/** The length unit of the image's x axis ("" when it has none). */
	static String unit(final CalibratedImage<?> image) {
		final int x = image.dimensionOf(Axis.X);
		final String u = x < 0 ? null : image.units()[x];
		return u == null ? "" : u;
	}

	// -- NIfTI orientation --

	private static void write(final CalibratedImage<?> image, final Path target, final double[][] sform) throws java.io.IOException {
		if (sform != null) NiftiWriter.write(image, target, sform);
		else ImageWriter.write(image, target);
	}

	/** True when the affine's 3 × 3 part is diagonal with positive entries: the calibration says it all. */
	static boolean isAxisAligned(final double[][] affine) {
		for (int r = 0; r < 3; r++)
			for (int c = 0; c < 3; c++)
				if (r == c ? !(affine[r][c] > 0) : affine[r][c] != 0) return false;
		return true;
	}

	/**
	 * The sform (mm) of the output grid of a NIfTI input: output voxel o lies at input fractional
	 * index (grid.origin − image.origin) / spacing + o · grid.spacing / spacing per axis, in the
	 * calibrated frame {@link NiftiReader} gives the image (origin = the affine's translation,
	 * spacing = |pixdim|), so the output affine is the input's composed with that scaling and
	 * shift. Axes the output lacks (z of a 2D image) keep the input's column.
	 */
	static double[][] outputSform(final NiftiHeader header, final CalibratedImage<?> image, final RenderGrid grid) {
		final double mm = header.spatialScaleToMm();
		final double[][] in = header.affine();
		final double[][] step = new double[4][4];
		step[3][3] = 1;
		final List<Axis> spatial = List.of(Axis.X, Axis.Y, Axis.Z);
		for (int d = 0; d < 3; d++) {
			final int dim = image.dimensionOf(spatial.get(d));
			if (dim < 0 || d >= grid.numDimensions()) {
				step[d][d] = 1;
				continue;
			}
			final double spacing = image.spacing()[dim];
			step[d][d] = grid.spacing()[d] / spacing;
			step[d][3] = (grid.origin()[d] - image.origin()[dim]) / spacing;
		}
		final double[][] out = new double[4][4];
		for (int r = 0; r < 4; r++)
			for (int c = 0; c < 4; c++) {
				double v = 0;
				for (int k = 0; k < 4; k++) v += in[r][k] * step[k][c];
				out[r][c] = r < 3 ? v * mm : v;
			}
		return out;
	}
}
