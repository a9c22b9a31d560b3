package sc.fiji.inr.tasks.superres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import sc.fiji.inr.compute.ComputeRuntime;
import sc.fiji.inr.compute.Tensors;
import sc.fiji.inr.field.CoordinateFrame;
import sc.fiji.inr.field.FieldEvaluator;
import sc.fiji.inr.field.ValueScale;
import sc.fiji.inr.fit.Loss;
import sc.fiji.inr.image.Axis;

/**
 * The acquisition forward model against exact integrals: a constant field integrates to the
 * constant over any PSF, a linear field to its value at the voxel centre (the PSFs are
 * symmetric), and a quadratic along a box slice profile to x₀² + w²/12.
 */
class AcquisitionObjectiveTest {

	/** A field f(p) = a + b · p in normalised coordinates, written with DJL operations. */
	private record LinearField(float a, float[] b) implements FieldEvaluator {
		@Override
		public NDArray values(final NDArray coords) {
			final NDArray w = Tensors.floats(coords.getManager(), b, new Shape(b.length, 1));
			return coords.matMul(w).add(a);
		}
	}

	/** f(p) = p_axis², to check the second moment of the slice profile. */
	private record SquareField(int axis) implements FieldEvaluator {
		@Override
		public NDArray values(final NDArray coords) {
			return coords.get(":, " + axis + ":" + (axis + 1)).square();
		}
	}

	private static final CoordinateFrame FRAME = new CoordinateFrame(List.of(Axis.X, Axis.Y, Axis.Z),
			new String[] { "mm", "mm", "mm" }, new double[] { 0.25, 0.25, 0.25 }, new double[] { 0.5, 0.5, 0.5 },
			new long[] { 40, 40, 40 });

	/** A 6 × 5 × 4 stack, rotated in the world, with thick slices along its last axis. */
	private static StackGeometry obliqueStack() {
		final double[][] r = RigidMotion.rotation(0.3, -0.2, 0.5, 3);
		final double[] spacing = { 1.0, 1.25, 3.0 };
		final double[][] m = new double[3][4];
		for (int row = 0; row < 3; row++) {
			for (int c = 0; c < 3; c++) m[row][c] = r[row][c] * spacing[c];
			m[row][3] = 10 - 2 * row;
		}
		return new StackGeometry(new long[] { 6, 5, 4 }, m);
	}

	/** Voxel values that are exactly the field's integral: f at each centre (normalised → value 1:1). */
	private static Acquisition acquisition(final StackGeometry g, final PointSpreadFunction psf, final float a, final float[] b) {
		final float[] values = new float[(int) g.voxels()];
		final double[] index = new double[3], world = new double[3];
		for (int v = 0; v < values.length; v++) {
			index[0] = v % 6;
			index[1] = (v / 6) % 5;
			index[2] = v / 30;
			g.toWorld(index, world);
			double f = a;
			for (int d = 0; d < 3; d++) f += b[d] * (world[d] - FRAME.centre(d)) / FRAME.halfExtent(d);
			values[v] = (float) f;
		}
		return new Acquisition("oblique", values, 1, g, psf);
	}

	private static float[][] predictAndTarget(final AcquisitionObjective objective, final FieldEvaluator field) {
		return ComputeRuntime.get().call(() -> {
			try (NDManager m = ComputeRuntime.get().engine().newBaseManager()) {
				final AcquisitionObjective.StackBatch batch = (AcquisitionObjective.StackBatch) objective.sample(m,
						new SplittableRandom(3));
				return new float[][] { objective.predict(field, batch).toFloatArray(), batch.target().toFloatArray() };
			}
		});
	}

	private static AcquisitionObjective objective(final Acquisition a, final boolean jitter) {
		return new AcquisitionObjective(List.of(a), FRAME, ValueScale.identity(1), Loss.L2, 64, false, 1e-3, 1, jitter);
	}

	@Test
	void constantFieldIntegratesToTheConstantOverAnyProfile() {
		for (final SliceProfile slice : List.of(SliceProfile.box(3), SliceProfile.gaussian(4.5), SliceProfile.box(0))) {
			final StackGeometry g = obliqueStack();
			final PointSpreadFunction psf = PointSpreadFunction.forStack(g, slice, 0.5);
			final float[][] r = predictAndTarget(objective(acquisition(g, psf, 0.75f, new float[3]), true),
					new LinearField(0.75f, new float[3]));
			assertArrayEquals(r[1], r[0], 1e-6f, slice.toString());
		}
	}

	@Test
	void linearFieldIntegratesToItsValueAtTheVoxelCentre() {
		final float[] b = { 0.8f, -0.3f, 0.5f };
		for (final SliceProfile slice : List.of(SliceProfile.box(3), SliceProfile.gaussian(4.5))) {
			final StackGeometry g = obliqueStack();
			final PointSpreadFunction psf = PointSpreadFunction.forStack(g, slice, 0.5);
			final float[][] r = predictAndTarget(objective(acquisition(g, psf, 0.1f, b), false), new LinearField(0.1f, b));
			assertArrayEquals(r[1], r[0], 1e-5f, slice.toString());
		}
	}

	@Test
	void boxProfileIntegratesAQuadraticAsTheMidpointRuleDoes() {
		// Axis-aligned stack with slices along z, width w = 4 mm, K = 8 nodes: the midpoint rule
		// gives z0² + (w² / 12)(1 − 1/K²) in normalised units.
		final StackGeometry g = StackGeometry.axisAligned(new long[] { 2, 2, 3 }, new double[] { 0.5, 0.5, 4 },
				new double[] { 1, 2, 3 });
		final PointSpreadFunction psf = PointSpreadFunction.forStack(g, SliceProfile.box(4), 0.5);
		assertEquals(8, psf.nodes()[2]);
		final float[] values = new float[12];
		final double h = FRAME.halfExtent(2), w = 4 / h;
		for (int v = 0; v < 12; v++) {
			final double z = (3 + 4 * (v / 4) - FRAME.centre(2)) / h;
			values[v] = (float) (z * z + w * w / 12 * (1 - 1.0 / 64));
		}
		final float[][] r = predictAndTarget(objective(new Acquisition("box", values, 1, g, psf), false), new SquareField(2));
		assertArrayEquals(r[1], r[0], 1e-5f);
	}

	@Test
	void stratifiedNodesReproduceTheProfileMoments() {
		// Box: variance w²/12; Gaussian: σ² = (FWHM / 2.3548)²; approached as nodes grow.
		final int k = 64;
		double box = 0, gauss = 0;
		final SliceProfile b = SliceProfile.box(2), g = SliceProfile.gaussian(2);
		for (int i = 0; i < k; i++) {
			box += Math.pow(b.offset(i, k, 0.5), 2) / k;
			gauss += Math.pow(g.offset(i, k, 0.5), 2) / k;
		}
		assertEquals(4 / 12.0, box, 1e-3);
		final double sigma = 2 / SliceProfile.FWHM_PER_SIGMA;
		assertEquals(sigma * sigma, gauss, 0.05 * sigma * sigma);
		assertEquals(0, SliceProfile.inverseNormal(0.5), 1e-9);
		assertEquals(1.959963985, SliceProfile.inverseNormal(0.975), 1e-7);
		assertEquals(-2.326347874, SliceProfile.inverseNormal(0.01), 1e-7);
	}
}
