package sc.fiji.inr.tasks.ct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import sc.fiji.inr.compute.ComputeRuntime;
import sc.fiji.inr.field.CoordinateFrame;
import sc.fiji.inr.field.FieldEvaluator;
import sc.fiji.inr.field.ValueScale;
import sc.fiji.inr.tasks.Reconstruction;

/**
 * The differentiable field projector against the discrete projector: for a smooth field
 * rendered on the grid, both must give the same line integrals (up to discretisation), for
 * parallel and fan beams, and for the mean over jittered nodes as well as for midpoints.
 */
class RayObjectiveTest {

	private static final int N = 48;
	private static final double PIXEL = 0.75, SIGMA = 0.35;

	/**
	 * f(x) = exp(−|x − c|²/σ²) + 0.1 x·y·exp(−|x|²/σ²) in normalised coordinates: smooth and
	 * ≈ 0 at the box edge, where the discrete projector (bilinear, zero outside) fades out.
	 */
	private static final FieldEvaluator SMOOTH = coords -> {
		final NDArray x = coords.get(":, 0:1"), y = coords.get(":, 1:2");
		return x.sub(0.2f).square().add(y.add(0.1f).square()).div((float) (-SIGMA * SIGMA)).exp()
				.add(x.mul(y).mul(0.1f).mul(x.square().add(y.square()).div((float) (-SIGMA * SIGMA)).exp()));
	};

	private static double smooth(final double x, final double y) {
		return Math.exp(-((x - 0.2) * (x - 0.2) + (y + 0.1) * (y + 0.1)) / (SIGMA * SIGMA))
				+ 0.1 * x * y * Math.exp(-(x * x + y * y) / (SIGMA * SIGMA));
	}

	@Test
	void fieldProjectorEqualsDiscreteProjectorOnTheRenderedField() {
		final double[] angles = CtGeometry.uniformAngles(7, 180, 3);
		for (final CtGeometry g : new CtGeometry[] { CtGeometry.parallel(71, PIXEL, 0.3, angles),
				CtGeometry.fan(71, 1.2, -0.4, 80, 130, CtGeometry.uniformAngles(7, 360, 3)) }) {
			final CtReconstruction.Grid grid = CtReconstruction.Grid.of(N, N, PIXEL, "mm");
			final CoordinateFrame frame = grid.frame();
			final ValueScale scale = new ValueScale(new double[] { 0 }, new double[] { 1.5 });
			final float[] image = new float[N * N];
			for (int j = 0; j < N; j++)
				for (int i = 0; i < N; i++)
					image[i + N * j] = (float) scale.denormalise(0, smooth(frame.normalisedPixelCentre(0, i), frame.normalisedPixelCentre(1, j)));
			final float[] discrete = new RayProjector(g, N, N, PIXEL).project(image);
			final int rays = discrete.length;
			final RayObjective objective = new RayObjective(g, new float[rays], 1, frame, scale, 64, 400, 0, 1, null);
			final float[][] continuous = ComputeRuntime.get().call(() -> {
				try (NDManager m = ComputeRuntime.get().engine().newBaseManager()) {
					final int[] all = new int[rays];
					for (int r = 0; r < rays; r++) all[r] = r;
					final float[] midpoints = objective.predict(SMOOTH, objective.batch(m, all, null, 0)).toFloatArray();
					final float[] jittered = objective.predict(SMOOTH, objective.batch(m, all, new SplittableRandom(3), 0)).toFloatArray();
					return new float[][] { midpoints, jittered };
				}
			});
			double max = 0, err = 0, errJitter = 0;
			for (int r = 0; r < rays; r++) {
				max = Math.max(max, Math.abs(discrete[r]));
				err = Math.max(err, Math.abs(continuous[0][r] - discrete[r]));
				errJitter = Math.max(errJitter, Math.abs(continuous[1][r] - discrete[r]));
			}
			assertTrue(max > 10, "integrals are not trivial: " + max);
			assertTrue(err < 0.003 * max, g.beam() + ": midpoint integrals differ by " + err + " of " + max);
			assertTrue(errJitter < 0.01 * max, g.beam() + ": jittered integrals differ by " + errJitter + " of " + max);
		}
	}

	@Test
	void perfectFieldHasZeroDataLossAndTotalVariationIsPositive() {
		final CtGeometry g = CtGeometry.parallel(71, PIXEL, 0, CtGeometry.uniformAngles(5, 180, 0));
		final CtReconstruction.Grid grid = CtReconstruction.Grid.of(N, N, PIXEL, "mm");
		final ValueScale scale = ValueScale.identity(1);
		// Constant field 1: every integral is the chord length through the box.
		final float[] sinogram = new float[g.detectors() * g.views()];
		final double[] o = new double[2], d = new double[2];
		for (int v = 0; v < g.views(); v++)
			for (int i = 0; i < g.detectors(); i++) {
				final double[] t = g.segment(v, g.detectorPosition(i), N * PIXEL / 2, N * PIXEL / 2, o, d);
				sinogram[i + g.detectors() * v] = t == null ? 0 : (float) (t[1] - t[0]);
			}
		final FieldEvaluator one = coords -> coords.get(":, 0:1").mul(0).add(1);
		final FieldEvaluator ramp = coords -> coords.get(":, 0:1").mul(3).add(1);
		for (final double tv : new double[] { 0, 0.5 }) {
			final RayObjective objective = new RayObjective(g, sinogram, 1, grid.frame(), scale, 256, 16, tv, 1, null);
			final double[] losses = ComputeRuntime.get().call(() -> {
				try (NDManager m = ComputeRuntime.get().engine().newBaseManager()) {
					final var b1 = objective.sample(m, new SplittableRandom(1));
					final var b2 = objective.sample(m, new SplittableRandom(1));
					return new double[] { objective.loss(objective.predict(one, b1), b1).getFloat(),
							objective.loss(objective.predict(ramp, b2), b2).getFloat() };
				}
			});
			assertEquals(0, losses[0], 1e-9, "constant field, TV " + tv);
			assertTrue(losses[1] > 1e-3, "a wrong field has a loss");
		}
	}

	/**
	 * The prior term at the TV stencil: zero for a field that differs from the prior image by a
	 * constant per slice (in 2D, and in 3D where each slice's prior is another plane, so a wrong
	 * slice index would show), and the total variation of the change, worked out here from the
	 * stencil's coordinates, for a field with a curvature the prior lacks.
	 */
	@Test
	void priorTermIsTheTotalVariationOfTheChangeFromThePrior() {
		final CtGeometry g = CtGeometry.parallel(71, PIXEL, 0, CtGeometry.uniformAngles(5, 180, 0));
		for (final int slices : new int[] { 1, 3 }) {
			final CtReconstruction.Grid grid = new CtReconstruction.Grid(N, N, PIXEL, slices, 2, "mm");
			final CoordinateFrame frame = grid.frame();
			final int n = frame.numDimensions();
			// plane(x, y, slice) = (0.3 + 0.5 x − 0.2 y)(1 + slice), slice read back from normalised z
			final double z0 = n == 3 ? frame.normalisedPixelCentre(2, 0) : 0, dz = n == 3 ? frame.normalisedPixelCentre(2, 1) - z0 : 1;
			final float[] plane = new float[N * N * slices];
			for (int k = 0; k < slices; k++)
				for (int j = 0; j < N; j++)
					for (int i = 0; i < N; i++)
						plane[i + N * (j + N * k)] = (float) ((0.3 + 0.5 * frame.normalisedPixelCentre(0, i)
								- 0.2 * frame.normalisedPixelCentre(1, j)) * (1 + k) + 0.7);
			final FieldEvaluator same = coords -> {
				final NDArray factor = n == 3 ? coords.get(":, 2:3").sub((float) z0).div((float) dz).add(1) : coords.get(":, 0:1").mul(0).add(1);
				return coords.get(":, 0:1").mul(0.5f).sub(coords.get(":, 1:2").mul(0.2f)).add(0.3f).mul(factor);
			};
			final FieldEvaluator curved = coords -> same.values(coords).add(coords.get(":, 0:1").square().mul(2));
			final Reconstruction.PriorImage prior = new Reconstruction.PriorImage(plane, frame.size(), 1, 0.8);
			final float[] sinogram = new float[g.detectors() * g.views() * slices];
			final RayObjective without = new RayObjective(g, sinogram, slices, frame, ValueScale.identity(1), 64, 8, 0, 1, null);
			final RayObjective with = new RayObjective(g, sinogram, slices, frame, ValueScale.identity(1), 64, 8, 0, 1, prior);
			final double[] r = ComputeRuntime.get().call(() -> {
				try (NDManager m = ComputeRuntime.get().engine().newBaseManager()) {
					final double[] out = new double[4];
					int i = 0;
					for (final FieldEvaluator f : new FieldEvaluator[] { same, curved }) {
						final RayObjective.RayBatch a = (RayObjective.RayBatch) without.sample(m, new SplittableRandom(5));
						final RayObjective.RayBatch b = (RayObjective.RayBatch) with.sample(m, new SplittableRandom(5));
						out[i++] = with.loss(with.predict(f, b), b).getFloat() - without.loss(without.predict(f, a), a).getFloat();
						if (f == curved) {
							// 2(x + dx)² − 2x² at the x-neighbours, 0 at the y-neighbours
							final float[] c = b.coords.toFloatArray();
							final int first = b.rays * b.points, t = b.tvPoints;
							double sum = 0;
							for (int p = 0; p < t; p++) {
								final double x = c[(first + p) * n], xn = c[(first + t + p) * n];
								sum += Math.abs(2 * xn * xn - 2 * x * x);
							}
							out[i++] = 0.8 * sum / t;
						}
					}
					return out;
				}
			});
			assertEquals(0, r[0], 1e-5, slices + " slice(s): a field differing from the prior by a constant");
			assertTrue(r[2] > 1e-4, "the curvature costs something: " + r[2]);
			assertEquals(r[2], r[1], 1e-4 * Math.max(1, r[2]), slices + " slice(s): TV of the change");
		}
	}

	@Test
	void refusesBadInput() {
		final CtGeometry g = CtGeometry.parallel(11, 1, 0, CtGeometry.uniformAngles(3, 180, 0));
		final CoordinateFrame frame = CtReconstruction.Grid.of(8, 8, 1, "mm").frame();
		final ValueScale s = ValueScale.identity(1);
		assertTrue(assertThrows(IllegalArgumentException.class, () -> new RayObjective(g, new float[32], 1, frame, s, 8, 8, 0, 1, null))
				.getMessage().contains("11 × 3 × 1"));
		final float[] nan = new float[33];
		nan[4] = Float.NaN;
		assertTrue(assertThrows(IllegalArgumentException.class, () -> new RayObjective(g, nan, 1, frame, s, 8, 8, 0, 1, null))
				.getMessage().contains("NaN"));
		final CtGeometry far = CtGeometry.parallel(3, 1, 500, CtGeometry.uniformAngles(1, 180, 0));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> new RayObjective(far, new float[3], 1, frame, s, 8, 8, 0, 1, null))
				.getMessage().contains("No ray"));
		final Reconstruction.PriorImage other = new Reconstruction.PriorImage(new float[81], new long[] { 9, 9 }, 1, 1);
		assertTrue(assertThrows(IllegalArgumentException.class, () -> new RayObjective(g, new float[33], 1, frame, s, 8, 8, 0, 1, other))
				.getMessage().contains("not on the field's grid"));
	}
}
