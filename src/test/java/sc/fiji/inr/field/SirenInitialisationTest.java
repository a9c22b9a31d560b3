package sc.fiji.inr.field;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import sc.fiji.inr.compute.ComputeRuntime;

/**
 * SIREN's initialisation (Sitzmann et al. 2020, Sec. 3.2): weights within the prescribed bounds,
 * and activations that keep an arcsine distribution (std 1/√2, range [−1, 1]) through depth.
 */
class SirenInitialisationTest {

	@Test
	void weightsRespectTheSirenBounds() {
		final int width = 256;
		try (NeuralField f = FieldTestSupport.field(FieldSpec.siren(2, 1, width, 4), 42)) {
			ComputeRuntime.get().run(() -> {
				final float[] first = f.parameters().get("network.layer0.weight").toFloatArray();
				assertBoundAndUniform(first, 1.0 / 2);
				for (int k = 1; k <= 4; k++) {
					final float[] w = f.parameters().get("network.layer" + k + ".weight").toFloatArray();
					assertBoundAndUniform(w, Math.sqrt(6.0 / width) / 30);
				}
			});
		}
	}

	private static void assertBoundAndUniform(final float[] w, final double bound) {
		double max = 0, sq = 0;
		for (final float v : w) {
			max = Math.max(max, Math.abs(v));
			sq += v * v;
		}
		assertTrue(max <= bound * (1 + 1e-6), "max " + max + " > bound " + bound);
		// U(−a, a) has std a/√3.
		assertEquals(bound / Math.sqrt(3), Math.sqrt(sq / w.length), 0.1 * bound);
	}

	@Test
	void hiddenActivationsStayArcsineDistributed() {
		final int width = 256, depth = 5;
		try (NeuralField f = FieldTestSupport.field(FieldSpec.siren(2, 1, width, depth), 7)) {
			ComputeRuntime.get().run(() -> {
				try (NDManager m = f.parameters().manager().newSubManager()) {
					final int n = 4096;
					final float[] x = new float[n * 2];
					final SplittableRandom r = new SplittableRandom(1);
					for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextDouble() * 2 - 1);
					NDArray h = m.create(x, new Shape(n, 2));
					for (int k = 0; k < depth; k++) {
						h = h.matMul(f.parameters().get("network.layer" + k + ".weight"))
								.add(f.parameters().get("network.layer" + k + ".bias")).mul(30).sin();
						if (k == 0) continue; // the first layer's output depends on the input distribution
						final float[] a = h.toFloatArray();
						double mean = 0, sq = 0;
						for (final float v : a) {
							mean += v;
							sq += v * v;
						}
						mean /= a.length;
						final double std = Math.sqrt(sq / a.length - mean * mean);
						// Per-unit bias phases make the layer mean fluctuate around 0 (≈ ±0.03 expected for 256 units).
						assertEquals(0, mean, 0.15, "layer " + k + " mean");
						assertEquals(1 / Math.sqrt(2), std, 0.05, "layer " + k + " std");
					}
				}
			});
		}
	}
}
