package sc.fiji.inr.tasks.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import sc.fiji.inr.compute.ComputeRuntime;

class ImageSamplerTest {

	static Volume random(final int dims, final long seed) {
		final long[] size = dims == 2 ? new long[] { 7, 5 } : new long[] { 5, 4, 6 };
		int n = 1;
		for (final long s : size) n *= (int) s;
		final SplittableRandom r = new SplittableRandom(seed);
		final float[][] c = new float[2][n];
		for (final float[] a : c) for (int i = 0; i < n; i++) a[i] = (float) r.nextDouble();
		return new Volume("random", c, size, dims == 2 ? new double[] { 1, 1 } : new double[] { 1, 1, 1 }, new double[dims], "px", null);
	}

	@ParameterizedTest
	@ValueSource(ints = { 2, 3 })
	void valuesMatchJavaInterpolationAndGradientsMatchFiniteDifferences(final int dims) {
		final Volume v = random(dims, dims);
		ComputeRuntime.get().run(() -> {
			try (NDManager m = ComputeRuntime.get().engine().newBaseManager(ComputeRuntime.get().device())) {
				final ImageSampler sampler = new ImageSampler(v, m);
				final SplittableRandom r = new SplittableRandom(3);
				final int n = 30;
				final float[] p = new float[n * dims];
				for (int i = 0; i < n; i++)
					for (int k = 0; k < dims; k++) {
						// Inside, and away from voxel centres where the d-linear slope jumps.
						float q;
						do q = (float) (r.nextDouble() * (v.size()[k] - 1.2) + 0.1);
						while (Math.abs(q - Math.round(q)) < 0.05);
						p[i * dims + k] = q;
					}
				final NDArray points = m.create(p, new Shape(n, dims));
				points.setRequiresGradient(true);
				final NDArray weights = m.create(new float[] { 0.7f, -1.3f }).reshape(1, 2);
				final NDArray values;
				try (GradientCollector g = ComputeRuntime.get().engine().newGradientCollector()) {
					values = sampler.sample(points).values();
					g.backward(values.mul(weights).sum());
				}
				final float[] got = values.toFloatArray(), grad = points.getGradient().toFloatArray();
				final float[] out = new float[2];
				final double h = 1e-3;
				for (int i = 0; i < n; i++) {
					final double[] x = new double[dims];
					for (int k = 0; k < dims; k++) x[k] = p[i * dims + k];
					v.sample(x, false, out);
					assertEquals(out[0], got[i * 2], 1e-5);
					assertEquals(out[1], got[i * 2 + 1], 1e-5);
					for (int k = 0; k < dims; k++) {
						x[k] += h;
						v.sample(x, false, out);
						final double plus = 0.7 * out[0] - 1.3 * out[1];
						x[k] -= 2 * h;
						v.sample(x, false, out);
						final double minus = 0.7 * out[0] - 1.3 * out[1];
						x[k] += h;
						assertEquals((plus - minus) / (2 * h), grad[i * dims + k], 2e-3, "point " + i + " axis " + k);
					}
				}
			}
		});
	}
}
