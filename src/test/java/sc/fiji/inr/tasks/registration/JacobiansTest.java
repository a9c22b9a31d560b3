package sc.fiji.inr.tasks.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import sc.fiji.inr.compute.ComputeRuntime;

/** The regularisers' pointwise functions against values worked out by hand. */
class JacobiansTest {

	private static NDArray[][] matrix(final NDManager m, final double[][] f) {
		final NDArray[][] a = new NDArray[f.length][f.length];
		for (int i = 0; i < f.length; i++)
			for (int k = 0; k < f.length; k++) a[i][k] = m.create(new float[] { (float) f[i][k] });
		return a;
	}

	@Test
	void identityCostsNothingAndAScalingCostsWhatTheFormulaSays() {
		ComputeRuntime.get().run(() -> {
			try (NDManager m = ComputeRuntime.get().engine().newBaseManager(ComputeRuntime.get().device())) {
				for (final int d : new int[] { 2, 3 }) {
					final double[][] id = new double[d][d];
					for (int i = 0; i < d; i++) id[i][i] = 1;
					final NDArray[][] f = matrix(m, id);
					final NDArray det = Jacobians.determinant(f);
					assertEquals(1, det.getFloat(0), 1e-6);
					assertEquals(0, Jacobians.hyperelastic(f, det).getFloat(), 1e-7);
				}
				// F = 1.1 I in 2D: length ½(0.1² + 0.1²) = 0.01; each cofactor row has ‖·‖² = 1.21, so the
				// area term is 2 (0.21)² = 0.0882; volume (1.21 − 1)⁴ / 1.21² = 0.00132830.
				final NDArray[][] f = matrix(m, new double[][] { { 1.1, 0 }, { 0, 1.1 } });
				final NDArray det = Jacobians.determinant(f);
				assertEquals(1.21, det.getFloat(0), 1e-6);
				assertEquals(0.01 + 0.0882 + Math.pow(0.21, 4) / (1.21 * 1.21), Jacobians.hyperelastic(f, det).getFloat(), 1e-6);
				// A 3D shear has det 1 but costs length and area.
				final NDArray[][] shear = matrix(m, new double[][] { { 1, 0.3, 0 }, { 0, 1, 0 }, { 0, 0, 1 } });
				final NDArray ds = Jacobians.determinant(shear);
				assertEquals(1, ds.getFloat(0), 1e-6);
				assertTrue(Jacobians.hyperelastic(shear, ds).getFloat() > 0.04);
				// A fold (det < 0) costs far more than a mild compression.
				final NDArray[][] fold = matrix(m, new double[][] { { -0.2, 0 }, { 0, 1 } });
				final NDArray[][] squeeze = matrix(m, new double[][] { { 0.8, 0 }, { 0, 1 } });
				assertTrue(Jacobians.hyperelastic(fold, Jacobians.determinant(fold)).getFloat()
						> 50 * Jacobians.hyperelastic(squeeze, Jacobians.determinant(squeeze)).getFloat());
			}
		});
	}
}
