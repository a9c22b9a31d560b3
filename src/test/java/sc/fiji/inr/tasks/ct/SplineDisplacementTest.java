package sc.fiji.inr.tasks.ct;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import sc.fiji.inr.compute.ComputeRuntime;
import sc.fiji.inr.field.CoordinateFrame;

/**
 * The B-spline displacement behind {@link ProjectionRegistration}: it reproduces affine maps
 * exactly with zero bending energy (so a shifted or tilted patient is inside it at no cost), its
 * tensor form (dense or gathered) equals its plain form and back-propagates to the coefficients as the transpose of
 * the basis, and points outside the box take the displacement at its edge.
 */
class SplineDisplacementTest {

	/** A 40 × 30 grid of 0.5 mm pixels, control spacing 4 mm: 5 × 4 knot intervals (anisotropic in normalised units). */
	private static final CoordinateFrame FRAME = CtReconstruction.Grid.of(40, 30, 0.5, "mm").frame();
	private static final SplineDisplacement SPLINE = new SplineDisplacement(FRAME, 4);

	/** Random points in the box scaled by {@code extent} (the box is [−1, 1] × [−0.75, 0.75] normalised). */
	private static float[] randomPoints(final int n, final double extent, final long seed) {
		final SplittableRandom r = new SplittableRandom(seed);
		final float[] x = new float[2 * n];
		for (int k = 0; k < x.length; k++) x[k] = (float) ((r.nextDouble() * 2 - 1) * extent * edge(k % 2));
		return x;
	}

	/** The box's upper edge in normalised coordinates along axis d (the frame normalises by its longest side). */
	private static double edge(final int d) {
		return (FRAME.max(d) - FRAME.centre(d)) / FRAME.halfExtent(d);
	}

	/** The normalised position of control point k of axis d: −edge + (k − 1)·spacing. */
	private static double controlPosition(final int d, final int k) {
		final int cells = SPLINE.controlsPerAxis()[d] - 3;
		return -edge(d) + (k - 1) * 2 * edge(d) / cells;
	}

	/** Coefficients of u(p) = A·p + t, x fastest over the control grid. */
	private static float[] affine(final double[][] a, final double[] t) {
		final int[] c = SPLINE.controlsPerAxis();
		final float[] coefficients = new float[c[0] * c[1] * 2];
		for (int j = 0; j < c[1]; j++)
			for (int i = 0; i < c[0]; i++) {
				final double x = controlPosition(0, i), y = controlPosition(1, j);
				for (int d = 0; d < 2; d++) coefficients[(i + c[0] * j) * 2 + d] = (float) (a[d][0] * x + a[d][1] * y + t[d]);
			}
		return coefficients;
	}

	@Test
	void gridCoversTheBoxWithWholeKnotIntervals() {
		assertArrayEquals(new int[] { 8, 7 }, SPLINE.controlsPerAxis(), "20 mm / 4 mm = 5 intervals, 15 mm / 4 mm → 4, each + 3");
		assertEquals(56, SPLINE.controlPoints());
	}

	@Test
	void reproducesAffineMapsWithZeroBending() {
		final double[][] a = { { 0.05, -0.1 }, { 0.08, 0.02 } };
		final double[] t = { 0.03, -0.07 };
		final float[] coefficients = affine(a, t);
		final int n = 500;
		final float[] points = randomPoints(n, 1, 5);
		final float[] u = SPLINE.displacement(coefficients, SPLINE.basis(points, 0, n));
		for (int p = 0; p < n; p++)
			for (int d = 0; d < 2; d++)
				assertEquals(a[d][0] * points[2 * p] + a[d][1] * points[2 * p + 1] + t[d], u[2 * p + d], 1e-6, "point " + p + " axis " + d);
		final float bending = ComputeRuntime.get().call(() -> {
			try (NDManager m = ComputeRuntime.get().engine().newBaseManager()) {
				return SPLINE.bending(m.create(coefficients, new Shape(SPLINE.controlPoints(), 2))).getFloat();
			}
		});
		assertEquals(0, bending, 1e-12, "an affine map does not bend");
	}

	@Test
	void bendingIsPositiveForANonAffineGrid() {
		final float[] coefficients = affine(new double[][] { { 0, 0 }, { 0, 0 } }, new double[] { 0, 0 });
		coefficients[(3 + 8 * 3) * 2] = 0.1f; // one control point moved along x
		final float bending = ComputeRuntime.get().call(() -> {
			try (NDManager m = ComputeRuntime.get().engine().newBaseManager()) {
				return SPLINE.bending(m.create(coefficients, new Shape(SPLINE.controlPoints(), 2))).getFloat();
			}
		});
		// second differences 0.1, −0.2, 0.1 (squares sum to 0.06) along each axis, averaged over all
		// the axis's differences of both components: 6 × 7 × 2 along x, 8 × 5 × 2 along y
		assertEquals(0.06 / (6 * 7 * 2) + 0.06 / (8 * 5 * 2), bending, 1e-7);
	}

	@Test
	void tensorDisplacementEqualsThePlainOneAndItsGradientIsTheBasisTransposed() {
		final int n = 300;
		final float[] points = randomPoints(n, 1.1, 7);
		final SplineDisplacement.Basis basis = SPLINE.basis(points, 0, n);
		final SplittableRandom r = new SplittableRandom(9);
		final float[] coefficients = new float[SPLINE.controlPoints() * 2], weights = new float[2 * n];
		for (int k = 0; k < coefficients.length; k++) coefficients[k] = (float) r.nextGaussian() * 0.1f;
		for (int k = 0; k < weights.length; k++) weights[k] = (float) r.nextGaussian();
		final float[] plain = SPLINE.displacement(coefficients, basis);
		// d/dc Σ w·u(c) = Bᵀw: each point's weight spread back over its 16 control points
		final float[] expected = new float[coefficients.length];
		for (int p = 0; p < n; p++)
			for (int k = 0; k < 16; k++)
				for (int d = 0; d < 2; d++)
					expected[basis.rows()[p * 16 + k] * 2 + d] += basis.weights()[p * 16 + k] * weights[2 * p + d];
		for (final boolean dense : new boolean[] { true, false }) {
			final float[][] got = ComputeRuntime.get().call(() -> {
				try (NDManager m = ComputeRuntime.get().engine().newBaseManager()) {
					final NDArray c = m.create(coefficients, new Shape(SPLINE.controlPoints(), 2));
					c.setRequiresGradient(true);
					final float[] u;
					try (GradientCollector g = ComputeRuntime.get().engine().newGradientCollector()) {
						final NDArray displacement = SPLINE.displacement(c, basis, m, dense);
						u = displacement.toFloatArray();
						g.backward(displacement.mul(m.create(weights, new Shape(n, 2))).sum());
					}
					return new float[][] { u, c.getGradient().toFloatArray() };
				}
			});
			assertArrayEquals(plain, got[0], 1e-6f, dense ? "dense" : "gather");
			assertArrayEquals(expected, got[1], 1e-4f, dense ? "dense" : "gather");
		}
		double norm = 0;
		for (final float v : expected) norm += Math.abs(v);
		assertTrue(norm > 1, "the gradient is not trivial");
	}

	@Test
	void pointsOutsideTheBoxTakeTheDisplacementAtItsEdge() {
		final SplittableRandom r = new SplittableRandom(4);
		final float[] coefficients = new float[SPLINE.controlPoints() * 2];
		for (int k = 0; k < coefficients.length; k++) coefficients[k] = (float) r.nextGaussian();
		final float[] outside = { 1.7f, 0.3f, -0.2f, -2.5f, -1.3f, 1.4f }, edge = { 1, 0.3f, -0.2f, -0.75f, -1, 0.75f };
		assertEquals(0.75, edge(1), 1e-12);
		assertArrayEquals(SPLINE.displacement(coefficients, SPLINE.basis(edge, 0, 3)),
				SPLINE.displacement(coefficients, SPLINE.basis(outside, 0, 3)), 1e-6f);
	}

	@Test
	void refusesABadControlSpacing() {
		for (final double s : new double[] { 0, -1, Double.NaN, Double.POSITIVE_INFINITY })
			assertTrue(assertThrows(IllegalArgumentException.class, () -> new SplineDisplacement(FRAME, s)).getMessage()
					.contains("Control point spacing"));
	}
}
