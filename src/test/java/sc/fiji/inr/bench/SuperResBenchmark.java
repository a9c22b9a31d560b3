package sc.fiji.inr.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;
import sc.fiji.inr.compute.ComputeRuntime;
import sc.fiji.inr.field.ModelOptions;
import sc.fiji.inr.fit.FitOptions;
import sc.fiji.inr.image.Axis;
import sc.fiji.inr.image.CalibratedImage;
import sc.fiji.inr.image.ImageMetrics;
import sc.fiji.inr.image.PixelType;
import sc.fiji.inr.image.Ssim;
import sc.fiji.inr.raster.RenderGrid;
import sc.fiji.inr.tasks.superres.Interpolation;
import sc.fiji.inr.tasks.superres.Orientation;
import sc.fiji.inr.tasks.superres.RigidMotion;
import sc.fiji.inr.tasks.superres.SliceProfile;
import sc.fiji.inr.tasks.superres.StackGeometry;
import sc.fiji.inr.tasks.superres.StackSimulator;
import sc.fiji.inr.tasks.superres.SuperResolution;

/**
 * Super-resolution benchmark (issue #3), one case per JVM, run by {@code bench/run superres}:
 * prints one {@code RESULT} JSON line per method with PSNR and SSIM against the ground truth
 * (data range = the truth's max − min) and seconds.
 * <p>
 * Cases: {@code fusion3d STEPS [MOTION]} — inia19 (0.5 mm) seen as three orthogonal stacks with
 * 4× thicker slices and a Gaussian slice profile (FWHM = slice spacing), optionally with the
 * second and third stack moved rigidly; baselines per stack and averaged, INR on one stack, INR
 * fusion (and with alignment when moved). {@code camera2d FACTOR STEPS} — camera.png box-
 * downsampled and restored.
 */
public final class SuperResBenchmark {

	public static void main(final String[] args) throws Exception {
		ComputeRuntime.get();
		switch (args[0]) {
			case "fusion3d" -> fusion3d(Integer.parseInt(args[1]), java.util.Arrays.asList(args).contains("motion"),
					!java.util.Arrays.asList(args).contains("fusion-only"));
			case "camera2d" -> camera2d(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
			default -> throw new IllegalArgumentException("Unknown case " + args[0]);
		}
		System.exit(0);
	}

	/** The moves of stacks 2 and 3 in the motion case: a few degrees and millimetres. */
	static final RigidMotion[] MOTIONS = { null,
			new RigidMotion(new double[] { 2, -1.5, 1 }, new double[] { 1.5, -1, 0.8 }, new double[3]),
			new RigidMotion(new double[] { -1, 2, -2.5 }, new double[] { -1.2, 1.4, -1 }, new double[3]) };

	static void fusion3d(final int steps, final boolean motion, final boolean singleStack) throws Exception {
		final CalibratedImage<?> truth = FitBenchmark.load("inia19");
		final double range = ImageMetrics.dataRange(truth.pixels());
		final Orientation[] orientations = { Orientation.AXIAL, Orientation.CORONAL, Orientation.SAGITTAL };
		final List<SuperResolution.Stack> stacks = new ArrayList<>();
		for (int s = 0; s < 3; s++) {
			RigidMotion m = motion ? MOTIONS[s] : null;
			if (m != null) {
				// about the stack's own centre, like the poses the fit estimates
				final SuperResolution.Stack still = StackSimulator.simulate(truth, orientations[s], 4, SliceProfile.Kind.GAUSSIAN, 1,
						null, 0, s);
				m = new RigidMotion(m.rotationDegrees(), m.translation(), still.geometry().centre());
			}
			stacks.add(StackSimulator.simulate(truth, orientations[s], 4, SliceProfile.Kind.GAUSSIAN, 1, m, 0, s));
		}
		final String tag = motion ? "3 stacks, moved" : "3 stacks";
		final RenderGrid grid = grid(truth);
		if (!motion) {
			for (final Interpolation method : Interpolation.values()) {
				final long t0 = System.nanoTime();
				final CalibratedImage<FloatType> out = SuperResolution.interpolate(stacks.get(0), grid, method);
				report(tag, method.name().toLowerCase() + " (axial stack)", truth, out, range, seconds(t0), null);
			}
		}
		for (final Interpolation method : new Interpolation[] { Interpolation.LINEAR, Interpolation.CUBIC }) {
			final long t0 = System.nanoTime();
			final CalibratedImage<FloatType> out = SuperResolution.average(stacks, grid, method);
			report(tag, "stack average (" + method.name().toLowerCase() + ")", truth, out, range, seconds(t0), null);
		}
		final SuperResolution.Settings settings = settings(steps).withProfile(SliceProfile.Kind.GAUSSIAN, 0);
		if (!motion && singleStack) {
			final long t0 = System.nanoTime();
			// The axial stack's image axes are the world axes, so its calibration is its geometry.
			final SuperResolution.Result single = SuperResolution.upsample(stacks.get(0).image(), grid, settings, null);
			single.field().close();
			report(tag, "INR, axial stack only", truth, single.image(), range, seconds(t0), null);
		}
		for (final boolean align : motion ? new boolean[] { false, true } : new boolean[] { false }) {
			final long t0 = System.nanoTime();
			final SuperResolution.Result fused = SuperResolution.fuse(stacks, grid, settings.withAlign(align), null);
			fused.field().close();
			String error = null;
			if (motion && align) error = alignmentError(stacks, fused.motions(), truth.spacing()[0]);
			report(tag, "INR fusion" + (align ? ", aligned" : ""), truth, fused.image(), range, seconds(t0), error);
		}
	}

	/**
	 * Mean and max distance, in high-resolution voxels, between where each moved stack's voxels
	 * really were and where the fitted motion puts them.
	 */
	static String alignmentError(final List<SuperResolution.Stack> stacks, final List<RigidMotion> fitted, final double voxel) {
		final StringBuilder s = new StringBuilder();
		for (int k = 1; k < 3; k++) {
			final StackGeometry g = stacks.get(k).geometry();
			final RigidMotion truth = new RigidMotion(MOTIONS[k].rotationDegrees(), MOTIONS[k].translation(), g.centre());
			final long[] size = g.size();
			double sum = 0, max = 0;
			long n = 0;
			final double[] index = new double[3], a = new double[3], b = new double[3];
			for (long z = 0; z < size[2]; z += 3)
				for (long y = 0; y < size[1]; y += 7)
					for (long x = 0; x < size[0]; x += 7) {
						index[0] = x;
						index[1] = y;
						index[2] = z;
						g.toWorld(index, a);
						System.arraycopy(a, 0, b, 0, 3);
						truth.apply(a);
						fitted.get(k).apply(b);
						final double d = Math.sqrt(Math.pow(a[0] - b[0], 2) + Math.pow(a[1] - b[1], 2) + Math.pow(a[2] - b[2], 2)) / voxel;
						sum += d;
						max = Math.max(max, d);
						n++;
					}
			s.append(String.format(java.util.Locale.ROOT, "%sstack %d: %.2f mean / %.2f max voxels (true %s; fitted %s)",
					k == 1 ? "" : "; ", k + 1, sum / n, max, truth, fitted.get(k)));
		}
		return s.toString();
	}

	static void camera2d(final int factor, final int steps) throws Exception {
		final CalibratedImage<?> hr = FitBenchmark.load("camera");
		final double range = 255;
		final int w = (int) hr.pixels().dimension(0), h = (int) hr.pixels().dimension(1);
		final float[] lr = new float[(w / factor) * (h / factor)];
		final var access = hr.pixels().randomAccess();
		for (int y = 0; y < h / factor * factor; y++)
			for (int x = 0; x < w / factor * factor; x++) {
				access.setPosition(new long[] { x, y });
				lr[x / factor + (w / factor) * (y / factor)] += (float) (((RealType<?>) access.get()).getRealDouble() / (factor * factor));
			}
		final CalibratedImage<FloatType> low = new CalibratedImage<>("camera-x" + factor, ArrayImgs.floats(lr, w / factor, h / factor),
				List.of(Axis.X, Axis.Y), new double[] { factor, factor }, new double[] { (factor - 1) / 2.0, (factor - 1) / 2.0 },
				new String[] { "px", "px" }, PixelType.UINT8);
		final RenderGrid grid = SuperResolution.upsampleGrid(low, new double[] { factor }, null);
		final String tag = "camera ×" + factor;
		for (final Interpolation method : new Interpolation[] { Interpolation.LINEAR, Interpolation.CUBIC, Interpolation.LANCZOS }) {
			final long t0 = System.nanoTime();
			final CalibratedImage<FloatType> out = SuperResolution.interpolate(
					new SuperResolution.Stack(low, StackGeometry.fromCalibration(low, null)), grid, method);
			report(tag, method.name().toLowerCase(), hr, out, range, seconds(t0), null);
		}
		for (final String model : new String[] { "hashgrid", "siren" }) {
			final long t0 = System.nanoTime();
			final ModelOptions m = ModelOptions.of(model);
			final SuperResolution.Settings s = new SuperResolution.Settings(m,
					FitOptions.defaults().withSteps(steps).withLearningRate(m.defaultLearningRate()).withBatchSize(0).withEvaluateEvery(100),
					null, null, 0, 0, false, 0);
			final SuperResolution.Result r = SuperResolution.upsample(low, grid, s, null);
			r.field().close();
			report(tag, "INR (" + model + ")", hr, r.image(), range, seconds(t0), null);
		}
	}

	/** The truth's own grid, so outputs compare voxel by voxel. */
	static RenderGrid grid(final CalibratedImage<?> truth) {
		final int n = truth.numDimensions();
		final long[] size = truth.pixels().dimensionsAsLongArray();
		return new RenderGrid(size, truth.origin(), truth.spacing());
	}

	static SuperResolution.Settings settings(final int steps) {
		final ModelOptions model = ModelOptions.of("hashgrid");
		return new SuperResolution.Settings(model, FitOptions.defaults().withSteps(steps).withLearningRate(model.defaultLearningRate())
				.withBatchSize(0).withEvaluateEvery(100), null, null, 0, 0, false, 0);
	}

	static void report(final String dataset, final String method, final CalibratedImage<?> truth, final CalibratedImage<FloatType> out,
			final double range, final double seconds, final String note) {
		final Map<String, Object> row = new LinkedHashMap<>();
		row.put("dataset", dataset);
		row.put("method", method);
		row.put("psnr", ImageMetrics.psnr(truth.pixels(), out.pixels(), range));
		row.put("ssim", Ssim.ssim(truth.pixels(), out.pixels(), range));
		row.put("seconds", seconds);
		row.put("data_range", range);
		if (note != null) row.put("note", note);
		System.out.println("RESULT " + new com.google.gson.GsonBuilder().serializeSpecialFloatingPointValues().create().toJson(row));
		System.out.flush();
	}

	static double seconds(final long t0) {
		return (System.nanoTime() - t0) / 1e9;
	}
}
