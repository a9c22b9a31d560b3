package sc.fiji.inr.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import sc.fiji.inr.compute.ComputeRuntime;
import sc.fiji.inr.field.Parameters;

/** Two Adam steps on f(w) = Σ c·w² against the textbook update, and gradients reset between steps. */
class AdamTest {

	@Test
	void matchesTheTextbookUpdate() {
		final ComputeRuntime rt = ComputeRuntime.get();
		rt.run(() -> {
			try (NDManager m = rt.engine().newBaseManager(); NDManager state = m.newSubManager()) {
				final Parameters p = new Parameters(m);
				final NDArray w = p.add("w", m.create(new float[] { 1, -2, 0.5f }), true);
				final float[] c = { 1, 3, -2 };
				final FitOptions o = FitOptions.defaults().withAdam(0.9, 0.99, 1e-8);
				final Adam adam = new Adam(p, state, o);
				final double lr = 0.1;
				final double[] ref = { 1, -2, 0.5 }, mean = new double[3], var = new double[3];
				for (int t = 1; t <= 2; t++) {
					try (NDManager s = m.newSubManager()) {
						try (GradientCollector gc = rt.engine().newGradientCollector()) {
							gc.backward(w.square().mul(s.create(c)).sum());
						}
						adam.step(lr, s);
					}
					for (int i = 0; i < 3; i++) {
						final double g = 2 * c[i] * ref[i];
						mean[i] = 0.9 * mean[i] + 0.1 * g;
						var[i] = 0.99 * var[i] + 0.01 * g * g;
						final double mh = mean[i] / (1 - Math.pow(0.9, t)), vh = var[i] / (1 - Math.pow(0.99, t));
						ref[i] -= lr * mh / (Math.sqrt(vh) + 1e-8);
					}
					final float[] got = w.toFloatArray();
					for (int i = 0; i < 3; i++) assertEquals(ref[i], got[i], 1e-5, "step " + t + " w" + i);
				}
			}
		});
	}
}
