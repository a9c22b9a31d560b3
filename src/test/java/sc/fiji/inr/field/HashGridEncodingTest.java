package sc.fiji.inr.field;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import sc.fiji.inr.compute.Autograd;
import sc.fiji.inr.compute.ComputeRuntime;

class HashGridEncodingTest {

	/** Small table so that fine levels are hashed and coarse ones dense. */
	private static final EncodingSpec.HashGrid SPEC = new EncodingSpec.HashGrid(6, 2, 10, 4, 80);

	@Test
	void levelsAreDenseWhenTheyFitAndHashedOtherwise() {
		try (NeuralField f = FieldTestSupport.field(hashField(2), 1)) {
			final HashGridEncoding e = (HashGridEncoding) f.encoding();
			final int[] res = e.resolutions();
			assertEquals(4, res[0]);
			assertEquals(80, res[5]);
			for (int l = 0; l < res.length; l++)
				assertEquals(Math.pow(res[l] + 1, 2) > 1024, e.isHashed(l), "level " + l + " res " + res[l]);
			assertTrue(e.isHashed(5) && !e.isHashed(0));
		}
	}

	@Test
	void encodingMatchesPlainJavaReference() {
		for (final int dims : new int[] { 1, 2, 3, 4 }) {
			try (NeuralField f = FieldTestSupport.field(hashField(dims), 3)) {
				final HashGridEncoding e = (HashGridEncoding) f.encoding();
				ComputeRuntime.get().run(() -> {
					final NDArray table = f.parameters().get(HashGridEncoding.TABLE);
					final SplittableRandom r = new SplittableRandom(7);
					final float[] values = fillRandomly(table, r);
					final int n = 200;
					final float[] coords = new float[n * dims];
					for (int i = 0; i < coords.length; i++) coords[i] = (float) (r.nextDouble() * 2.2 - 1.1);
					try (NDManager m = f.parameters().manager().newSubManager()) {
						final float[] got = e.encode(m.create(coords, new Shape(n, dims))).toFloatArray();
						assertEquals(n * SPEC.levels() * SPEC.featuresPerLevel(), got.length);
						final float[] expected = reference(e, values, coords, n, dims);
						for (int i = 0; i < got.length; i++)
							assertEquals(expected[i], got[i], 1e-4, "dims " + dims + " value " + i);
					}
				});
			}
		}
	}

	/** Independent d-linear interpolation with Instant-NGP's hash, written without any DJL. */
	private static float[] reference(final HashGridEncoding e, final float[] table, final float[] coords, final int n,
			final int dims) {
		final int levels = SPEC.levels(), features = SPEC.featuresPerLevel();
		final long tableSize = 1L << SPEC.log2TableSize();
		final long[] primes = { 1L, 2654435761L, 805459861L, 3674653429L };
		final float[] out = new float[n * levels * features];
		long offset = 0;
		for (int l = 0; l < levels; l++) {
			final int res = SPEC.resolution(l);
			final long vertices = (long) Math.pow(res + 1, dims);
			final boolean hashed = vertices > tableSize;
			for (int p = 0; p < n; p++) {
				final int[] lower = new int[dims];
				final double[] frac = new double[dims];
				for (int d = 0; d < dims; d++) {
					final double u = Math.min(1, Math.max(0, (coords[p * dims + d] + 1) / 2));
					lower[d] = (int) Math.min(res - 1, Math.floor(u * res));
					frac[d] = u * res - lower[d];
				}
				for (int c = 0; c < (1 << dims); c++) {
					double w = 1;
					long row;
					long h = 0, dense = 0, stride = 1;
					for (int d = 0; d < dims; d++) {
						final int bit = (c >> d) & 1;
						w *= bit == 1 ? frac[d] : 1 - frac[d];
						final long v = lower[d] + bit;
						h ^= (v * primes[d]) & 0xFFFFFFFFL;
						dense += v * stride;
						stride *= res + 1;
					}
					row = offset + (hashed ? (h & (tableSize - 1)) : dense);
					for (int k = 0; k < features; k++)
						out[(p * levels + l) * features + k] += (float) (w * table[(int) (row * features + k)]);
				}
			}
			offset += hashed ? tableSize : vertices;
		}
		assertEquals(e.tableRows(), offset);
		return out;
	}

	@Test
	void gradientsMatchFiniteDifferences() {
		try (NeuralField f = FieldTestSupport.field(hashField(2), 5)) {
			ComputeRuntime.get().run(() -> {
				final NDArray table = f.parameters().get(HashGridEncoding.TABLE);
				final SplittableRandom r = new SplittableRandom(11);
				fillRandomly(table, r);
				final float[] point = { 0.123f, -0.456f };
				try (NDManager m = f.parameters().manager().newSubManager()) {
					final NDArray x = m.create(point, new Shape(1, 2));
					x.setRequiresGradient(true);
					final float[] weights = new float[SPEC.levels() * SPEC.featuresPerLevel()];
					for (int i = 0; i < weights.length; i++) weights[i] = (float) r.nextGaussian();
					final NDArray w = m.create(weights, new Shape(1, weights.length));
					try (GradientCollector gc = ComputeRuntime.get().engine().newGradientCollector()) {
						gc.backward(f.encoding().encode(x).mul(w).sum());
					}
					final float[] analytic = x.getGradient().toFloatArray();
					final double h = 1e-3;
					for (int d = 0; d < 2; d++) {
						final float[] plus = point.clone(), minus = point.clone();
						plus[d] += h;
						minus[d] -= h;
						final double fp = f.encoding().encode(m.create(plus, new Shape(1, 2))).mul(w).sum().getFloat();
						final double fm = f.encoding().encode(m.create(minus, new Shape(1, 2))).mul(w).sum().getFloat();
						final double numeric = (fp - fm) / (2 * h);
						assertEquals(numeric, analytic[d], 2e-2 * Math.max(1, Math.abs(numeric)), "d/dx" + d);
					}
					// The table gradient of a weighted sum is the weight times the corner weight: check total mass.
					final float[] tableGrad = table.getGradient().toFloatArray();
					double sum = 0;
					for (final float g : tableGrad) sum += g;
					double expected = 0;
					for (final float v : weights) expected += v; // corner weights sum to one per level and feature
					assertEquals(expected, sum, 1e-3);
				}
			});
		}
	}

	/**
	 * The table's gradient is the same, bit for bit, every time it is computed: many points share
	 * a row, so the order in which their contributions are summed must not depend on threads.
	 * Failed with the gradient through advanced indexing (PyTorch's multi-threaded atomic
	 * {@code index_put_}): with 2 threads, two CT fits of the same seed drifted apart.
	 */
	@Test
	void tableGradientIsTheSameEveryTime() {
		try (NeuralField f = FieldTestSupport.field(hashField(2), 5)) {
			ComputeRuntime.get().run(() -> {
				final NDArray table = f.parameters().get(HashGridEncoding.TABLE);
				final SplittableRandom r = new SplittableRandom(13);
				fillRandomly(table, r);
				// far more points (and gathered rows) than PyTorch's grain size of 32768, as in a fit
				final int n = 40_000;
				final float[] coords = new float[2 * n];
				for (int i = 0; i < coords.length; i++) coords[i] = (float) (r.nextDouble() * 2 - 1);
				final float[] weights = new float[n * SPEC.levels() * SPEC.featuresPerLevel()];
				for (int i = 0; i < weights.length; i++) weights[i] = (float) r.nextGaussian();
				float[] first = null;
				for (int run = 0; run < 4; run++)
					try (NDManager m = f.parameters().manager().newSubManager()) {
						Autograd.zeroGradient(table);
						final NDArray w = m.create(weights, new Shape(n, SPEC.levels() * SPEC.featuresPerLevel()));
						try (GradientCollector gc = ComputeRuntime.get().engine().newGradientCollector()) {
							gc.backward(f.encoding().encode(m.create(coords, new Shape(n, 2))).mul(w).sum());
						}
						final float[] gradient = table.getGradient().toFloatArray();
						if (first == null) first = gradient;
						else assertArrayEquals(first, gradient, "run " + run);
					}
			});
		}
	}

	/** Fills the table with standard normal values drawn from {@code r}; returns them. */
	private static float[] fillRandomly(final NDArray table, final SplittableRandom r) {
		final float[] values = new float[(int) table.size()];
		for (int i = 0; i < values.length; i++) values[i] = (float) r.nextGaussian();
		table.set(values);
		return values;
	}

	private static FieldSpec hashField(final int dims) {
		return new FieldSpec(dims, 1, SPEC, new NetworkSpec(NetworkSpec.Activation.RELU, 8, 1, 0));
	}
}
