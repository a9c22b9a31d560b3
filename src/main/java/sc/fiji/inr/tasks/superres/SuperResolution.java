package sc.fiji.inr.tasks.superres;

import java.util.ArrayList;
import java.util.List;

import net.imglib2.type.numeric.real.FloatType;
import sc.fiji.inr.field.CoordinateFrame;
import sc.fiji.inr.field.FieldSpec;
import sc.fiji.inr.field.ModelOptions;
import sc.fiji.inr.field.NeuralField;
import sc.fiji.inr.field.SourceInfo;
import sc.fiji.inr.field.ValueScale;
import sc.fiji.inr.fit.FitListener;
import sc.fiji.inr.fit.FitOptions;
import sc.fiji.inr.fit.FitResult;
import sc.fiji.inr.fit.Fitter;
import sc.fiji.inr.fit.Loss;
import sc.fiji.inr.image.Axis;
import sc.fiji.inr.image.CalibratedImage;
import sc.fiji.inr.image.PixelType;
import sc.fiji.inr.raster.FieldRenderer;
import sc.fiji.inr.raster.RenderGrid;

/**
 * Task entry point: super-resolution of one image and fusion of several thick-slice stacks into
 * one volume, by fitting a neural field through the acquisition model of every voxel
 * ({@link AcquisitionObjective}), then rendering it on the requested grid. Also the classical
 * baselines (interpolation of one stack, average of interpolated stacks) on the same grids, so
 * users and benchmarks compare like with like. Used alike by the Fiji commands, the CLI and the
 * benchmark.
 */
public final class SuperResolution {

	private SuperResolution() {}

	/** Which world box the output covers. */
	public enum FieldOfView {
		/** The bounding box of all stacks. */
		UNION,
		/** The bounding box of the first (reference) stack. */
		FIRST;

		public static FieldOfView parse(final String name) {
			try {
				return valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
			}
			catch (final IllegalArgumentException | NullPointerException e) {
				throw new IllegalArgumentException("Unknown field of view '" + name + "' (use union or first)");
			}
		}
	}

	/**
	 * How to model the acquisition and fit the field.
	 *
	 * @param model            field architecture
	 * @param fit              budget, optimiser, seed; its batch is voxels per step (0 = auto)
	 * @param loss             data term
	 * @param profile          slice profile along each stack's slice (last) axis
	 * @param thickness        slice profile width (box) or FWHM (Gaussian) in the images' length
	 *                         unit; 0 = each stack's slice spacing
	 * @param sliceNodes       quadrature nodes along the slice axis (0 = enough for the output voxel size)
	 * @param align            fit a rigid pose for every stack but the first (3D fusion only)
	 * @param poseLearningRate Adam step size of the poses (radians and normalised lengths)
	 */
	public record Settings(ModelOptions model, FitOptions fit, Loss loss, SliceProfile.Kind profile, double thickness,
			int sliceNodes, boolean align, double poseLearningRate) {

		public static final double DEFAULT_POSE_LEARNING_RATE = 5e-3;

		public Settings {
			if (model == null) model = ModelOptions.of("hashgrid");
			if (fit == null) fit = FitOptions.defaults().withLearningRate(model.defaultLearningRate()).withBatchSize(0);
			if (loss == null) loss = Loss.L2;
			if (profile == null) profile = SliceProfile.Kind.BOX;
			if (!(thickness >= 0) || !Double.isFinite(thickness))
				throw new IllegalArgumentException("Slice thickness must be ≥ 0 (0 = the slice spacing), was " + thickness);
			if (sliceNodes < 0 || sliceNodes > 64)
				throw new IllegalArgumentException("Slice quadrature nodes must be 0..64 (0 = auto), was " + sliceNodes);
			if (!(poseLearningRate > 0)) poseLearningRate = DEFAULT_POSE_LEARNING_RATE;
		}

		public static Settings defaults() {
			return new Settings(null, null, null, null, 0, 0, false, 0);
		}

		/** Settings from the parameters users type, where 0 means "the default". */
		public static Settings of(final ModelOptions model, final int steps, final double maxSeconds, final double learningRate,
				final int batchVoxels, final long seed, final String loss, final String profile, final double thickness,
				final boolean align) {
			final FitOptions fit = FitOptions.defaults().withSteps(steps).withMaxSeconds(maxSeconds)
					.withLearningRate(learningRate > 0 ? learningRate : model.defaultLearningRate()).withBatchSize(batchVoxels)
					.withSeed(seed);
			return new Settings(model, fit, Loss.parse(loss == null || loss.isBlank() ? "l2" : loss),
					SliceProfile.Kind.parse(profile == null || profile.isBlank() ? "box" : profile), thickness, 0, align, 0);
		}

		public Settings withFit(final FitOptions f) {
			return new Settings(model, f, loss, profile, thickness, sliceNodes, align, poseLearningRate);
		}

		public Settings withAlign(final boolean a) {
			return new Settings(model, fit, loss, profile, thickness, sliceNodes, a, poseLearningRate);
		}

		public Settings withProfile(final SliceProfile.Kind p, final double t) {
			return new Settings(model, fit, loss, p, t, sliceNodes, align, poseLearningRate);
		}
	}

	/** An input stack: its pixels and where they sit. */
	public record Stack(CalibratedImage<?> image, StackGeometry geometry) {}

	/**
	 * @param field   the fitted field (owned by the caller: close it)
	 * @param image   the field rendered on the output grid, in the inputs' pixel type
	 * @param motions per stack, the fitted rigid motion (identity for the reference and when not aligning)
	 * @param fit     how fitting went (its PSNR is against the measured voxels)
	 */
	public record Result(NeuralField field, CalibratedImage<FloatType> image, List<RigidMotion> motions, FitResult fit) {}

	/**
	 * The output grid of single-image super-resolution: the image's extent with {@code scale}
	 * times as many voxels per axis, or voxels of {@code voxelSize} (as near as a whole number of
	 * voxels over the same extent allows). Exactly one of the two is non-null; one value applies
	 * to every axis.
	 */
	public static RenderGrid upsampleGrid(final CalibratedImage<?> image, final double[] scale, final double[] voxelSize) {
		final CoordinateFrame frame = frameOf(image);
		final int n = frame.numDimensions();
		if ((scale == null) == (voxelSize == null))
			throw new IllegalArgumentException("Give either a scale or a voxel size for the output, not both or neither");
		final double[] s = new double[n];
		final double[] given = perAxis(scale != null ? scale : voxelSize, n, scale != null ? "scale" : "voxel size");
		for (int d = 0; d < n; d++) {
			if (!(given[d] > 0) || !Double.isFinite(given[d]))
				throw new IllegalArgumentException("The output " + (scale != null ? "scale" : "voxel size") + " must be positive, was "
						+ given[d] + " along " + frame.axes().get(d));
			s[d] = scale != null ? given[d] : frame.spacing()[d] / given[d];
		}
		return RenderGrid.scaled(frame, s);
	}

	/**
	 * The output grid of a fusion: isotropic voxels of {@code voxelSize} (0 = the finest spacing
	 * of any stack) over the chosen box, centred on it.
	 */
	public static RenderGrid fusionGrid(final List<StackGeometry> geometries, final double voxelSize, final FieldOfView fov) {
		if (geometries.isEmpty()) throw new IllegalArgumentException("No stacks");
		final int n = geometries.get(0).numDimensions();
		double v = voxelSize;
		if (v == 0) {
			v = Double.POSITIVE_INFINITY;
			for (final StackGeometry g : geometries)
				for (int d = 0; d < n; d++) v = Math.min(v, g.spacing(d));
		}
		if (!(v > 0) || !Double.isFinite(v)) throw new IllegalArgumentException("Output voxel size must be positive, was " + voxelSize);
		final double[] lo = new double[n], hi = new double[n];
		java.util.Arrays.fill(lo, Double.POSITIVE_INFINITY);
		java.util.Arrays.fill(hi, Double.NEGATIVE_INFINITY);
		for (final StackGeometry g : fov == FieldOfView.FIRST ? geometries.subList(0, 1) : geometries) {
			final double[][] b = g.worldBounds();
			for (int d = 0; d < n; d++) {
				lo[d] = Math.min(lo[d], b[0][d]);
				hi[d] = Math.max(hi[d], b[1][d]);
			}
		}
		final long[] size = new long[n];
		final double[] origin = new double[n], spacing = new double[n];
		for (int d = 0; d < n; d++) {
			size[d] = Math.max(1, Math.round((hi[d] - lo[d]) / v));
			if (size[d] > 32767) throw new IllegalArgumentException("A voxel size of " + v + " gives " + size[d]
					+ " voxels along one axis; choose a larger voxel size");
			spacing[d] = v;
			origin[d] = (lo[d] + hi[d]) / 2 - (size[d] - 1) * v / 2;
		}
		return new RenderGrid(size, origin, spacing);
	}

	/** Single-image super-resolution onto {@code grid} (see {@link #upsampleGrid}). */
	public static Result upsample(final CalibratedImage<?> image, final RenderGrid grid, final Settings settings,
			final FitListener listener) {
		final Stack stack = new Stack(image, StackGeometry.fromCalibration(image, null));
		return fit(List.of(stack), grid, image.name() + "-superres", settings.withAlign(false), listener);
	}

	/** Fusion of two or more 3D stacks onto {@code grid} (see {@link #fusionGrid}). */
	public static Result fuse(final List<Stack> stacks, final RenderGrid grid, final Settings settings, final FitListener listener) {
		checkFusable(stacks);
		return fit(stacks, grid, "fused", settings, listener);
	}

	/** Refuses what fusion cannot work with, naming the problem. */
	public static void checkFusable(final List<Stack> stacks) {
		if (stacks.size() < 2) throw new IllegalArgumentException("Fusion needs at least 2 stacks, got " + stacks.size());
		final int channels = stacks.get(0).image().channels();
		final String unit = unitOf(stacks.get(0).image());
		for (final Stack s : stacks) {
			if (s.geometry().numDimensions() != 3)
				throw new IllegalArgumentException("Image '" + s.image().name() + "' is 2D; fusing stacks needs 3D stacks");
			if (s.image().channels() != channels)
				throw new IllegalArgumentException("Stacks have different channel counts: '" + stacks.get(0).image().name() + "' has "
						+ channels + ", '" + s.image().name() + "' has " + s.image().channels());
			if (!unitOf(s.image()).equals(unit))
				throw new IllegalArgumentException("Stacks are calibrated in different units: '" + stacks.get(0).image().name() + "' in "
						+ unit + ", '" + s.image().name() + "' in " + unitOf(s.image()));
		}
		for (int i = 0; i < stacks.size(); i++) {
			boolean overlaps = false;
			for (int j = 0; j < stacks.size(); j++)
				overlaps |= i != j && stacks.get(i).geometry().overlaps(stacks.get(j).geometry());
			if (!overlaps)
				throw new IllegalArgumentException("Stack '" + stacks.get(i).image().name() + "' does not overlap "
						+ (stacks.size() == 2 ? "stack '" + stacks.get(1 - i).image().name() + "'" : "any other stack")
						+ " in world space; check the orientations, origins and voxel sizes");
		}
	}

	private static Result fit(final List<Stack> stacks, final RenderGrid grid, final String name, final Settings settings,
			final FitListener listener) {
		final int n = grid.numDimensions();
		if (settings.align() && n != 3) throw new IllegalArgumentException("Stack alignment needs 3D stacks");
		final List<Axis> axes = n == 2 ? List.of(Axis.X, Axis.Y) : List.of(Axis.X, Axis.Y, Axis.Z);
		final String unit = unitOf(stacks.get(0).image());
		final String[] units = new String[n];
		java.util.Arrays.fill(units, unit);
		final CoordinateFrame frame = new CoordinateFrame(axes, units, grid.origin(), grid.spacing(), grid.size());
		double finest = Double.POSITIVE_INFINITY;
		for (final double s : grid.spacing()) finest = Math.min(finest, s);
		final List<Acquisition> acquisitions = new ArrayList<>();
		PixelType pixelType = stacks.get(0).image().pixelType();
		for (final Stack s : stacks) {
			if (s.geometry().numDimensions() != n)
				throw new IllegalArgumentException("Image '" + s.image().name() + "' has " + s.geometry().numDimensions()
						+ " spatial axes but the output has " + n);
			acquisitions.add(Acquisition.of(s.image(), s.geometry(), psf(s.geometry(), settings, finest)));
			if (s.image().pixelType() != pixelType) pixelType = PixelType.FLOAT32;
		}
		final int channels = acquisitions.get(0).channels();
		final double[] min = new double[channels], max = new double[channels];
		java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
		java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
		for (final Acquisition a : acquisitions) {
			final double[][] r = a.range();
			for (int c = 0; c < channels; c++) {
				min[c] = Math.min(min[c], r[0][c]);
				max[c] = Math.max(max[c], r[1][c]);
			}
		}
		final ValueScale scale = ValueScale.fromRange(min, max);
		final FieldSpec spec = settings.model().toSpec(n, channels, grid.size());
		final NeuralField field = NeuralField.create(spec, frame, scale, new SourceInfo(name, pixelType), settings.fit().seed());
		try {
			final AcquisitionObjective objective = new AcquisitionObjective(acquisitions, frame, scale, settings.loss(),
					batchVoxels(settings, acquisitions), settings.align(), settings.poseLearningRate(), settings.fit().seed());
			final FitResult result = Fitter.fit(field, objective, settings.fit(), listener);
			final CalibratedImage<FloatType> image = FieldRenderer.render(field, RenderGrid.source(frame));
			return new Result(field, image, objective.motions(), result);
		}
		catch (final RuntimeException | Error e) {
			field.close();
			throw e;
		}
	}

	/** Voxels per step: the given batch, or about 32768 quadrature points' worth. */
	static int batchVoxels(final Settings settings, final List<Acquisition> acquisitions) {
		if (settings.fit().batchSize() > 0) return settings.fit().batchSize();
		double points = 0;
		long voxels = 0;
		for (final Acquisition a : acquisitions) {
			points += (double) a.psf().points() * a.geometry().voxels();
			voxels += a.geometry().voxels();
		}
		// Never more than the voxels there are: drawing a small stack many times over per step
		// only costs time.
		return (int) Math.min(voxels, Math.max(1024, Math.round((1 << 15) / (points / voxels))));
	}

	/** The PSF of a stack under {@code settings}, with nodes about {@code resolution} apart. */
	static PointSpreadFunction psf(final StackGeometry geometry, final Settings settings, final double resolution) {
		final int n = geometry.numDimensions();
		final double width = settings.thickness() > 0 ? settings.thickness() : geometry.spacing(n - 1);
		final SliceProfile slice = new SliceProfile(settings.profile(), width);
		final PointSpreadFunction auto = PointSpreadFunction.forStack(geometry, slice, resolution);
		if (settings.sliceNodes() == 0 || n != 3) return auto;
		final int[] nodes = auto.nodes();
		nodes[n - 1] = settings.sliceNodes();
		return new PointSpreadFunction(auto.profiles(), nodes);
	}

	/**
	 * Baseline: one stack interpolated onto {@code grid} (0 outside the stack), in the same layout
	 * as a rendered field.
	 */
	public static CalibratedImage<FloatType> interpolate(final Stack stack, final RenderGrid grid, final Interpolation method) {
		return Resampler.resample(stack.image(), stack.geometry(), grid, method, 0);
	}

	/** Baseline: the voxel-wise average of all stacks interpolated onto {@code grid}. */
	public static CalibratedImage<FloatType> average(final List<Stack> stacks, final RenderGrid grid, final Interpolation method) {
		return Resampler.average(stacks.stream().<CalibratedImage<?>>map(Stack::image).toList(),
				stacks.stream().map(Stack::geometry).toList(), grid, method, 0);
	}

	static CoordinateFrame frameOf(final CalibratedImage<?> image) {
		final int[] dims = StackGeometry.spatialDimensions(image);
		final int n = dims.length;
		final List<Axis> axes = new ArrayList<>();
		final String[] units = new String[n];
		final double[] origin = new double[n], spacing = new double[n];
		final long[] size = new long[n];
		for (int i = 0; i < n; i++) {
			axes.add(image.axes().get(dims[i]));
			units[i] = image.units()[dims[i]];
			origin[i] = image.origin()[dims[i]];
			spacing[i] = image.spacing()[dims[i]];
			size[i] = image.pixels().dimension(dims[i]);
		}
		return new CoordinateFrame(axes, units, origin, spacing, size);
	}

	private static String unitOf(final CalibratedImage<?> image) {
		final int x = image.dimensionOf(Axis.X);
		final String u = x < 0 ? "" : image.units()[x];
		return u == null ? "" : u;
	}

	private static double[] perAxis(final double[] values, final int n, final String what) {
		if (values.length == n) return values.clone();
		if (values.length == 1) {
			final double[] v = new double[n];
			java.util.Arrays.fill(v, values[0]);
			return v;
		}
		throw new IllegalArgumentException("The output " + what + " needs 1 or " + n + " values, got " + values.length);
	}
}
