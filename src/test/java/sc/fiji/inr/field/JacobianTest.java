package sc.fiji.inr.field;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import sc.fiji.inr.compute.ComputeRuntime;

/** Forward-mode Jacobians ({@link Jet}) against central finite differences of the field's values. */
class JacobianTest {

	private static FieldSpec spec(final String kind, final int dims) {
		return switch (kind) {
			case "siren" -> FieldSpec.siren(dims, dims, 32, 2);
			case "fourier" -> FieldSpec.fourier(dims, dims, 16, 2, 32, 2);
			case "positional" -> new FieldSpec(dims, dims, new EncodingSpec.Positional(4),
					new NetworkSpec(NetworkSpec.Activation.SINE, 32, 2, 3));
			case "identity-relu" -> new FieldSpec(dims, dims, new EncodingSpec.None(),
					new NetworkSpec(NetworkSpec.Activation.RELU, 32, 2, 0));
			default -> FieldSpec.hashGrid(dims, dims, 6, 2, 10, 4, 40, 32, 1);
		};
	}

	@ParameterizedTest
	@ValueSource(strings = { "siren:2", "siren:3", "fourier:2", "positional:3", "identity-relu:2", "hashgrid:2", "hashgrid:3" })
	void jacobianEqualsFiniteDifferences(final String kindAndDims) {
		final String kind = kindAndDims.split(":")[0];
		final int dims = Integer.parseInt(kindAndDims.split(":")[1]);
		try (NeuralField f = FieldTestSupport.field(spec(kind, dims), 5)) {
			ComputeRuntime.get().run(() -> {
				final SplittableRandom r = new SplittableRandom(11);
				if (f.encoding() instanceof HashGridEncoding) {
					// The table starts near zero; give it values so the derivatives are not all tiny.
					final NDArray table = f.parameters().get(HashGridEncoding.TABLE);
					final float[] v = new float[(int) table.size()];
					for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
					table.set(v);
				}
				final int n = 40;
				final float[] x = points(f, r, n, dims);
				final double h = kind.equals("siren") || kind.equals("positional") ? 1e-3 : 2e-4;
				try (NDManager m = f.parameters().manager().newSubManager()) {
					final NDArray coords = m.create(x, new Shape(n, dims));
					final Jet jet = f.valuesWithJacobian(coords);
					assertArrayEquals(new long[] { dims, n, dims }, jet.tangents().getShape().getShape());
					assertArrayEquals(f.values(coords).toFloatArray(), jet.value().toFloatArray(), 1e-5f);
					final float[] t = jet.tangents().toFloatArray();
					final float[] v0 = jet.value().toFloatArray();
					double worst = 0, scale = 0;
					int checked = 0, skipped = 0;
					for (final float v : t) scale = Math.max(scale, Math.abs(v));
					for (int k = 0; k < dims; k++) {
						final float[] plus = x.clone(), minus = x.clone();
						for (int p = 0; p < n; p++) {
							plus[p * dims + k] += (float) h;
							minus[p * dims + k] -= (float) h;
						}
						final float[] vp = f.values(m.create(plus, new Shape(n, dims))).toFloatArray();
						final float[] vm = f.values(m.create(minus, new Shape(n, dims))).toFloatArray();
						for (int p = 0; p < n; p++)
							for (int c = 0; c < dims; c++) {
								// The step as stored in float32, not as asked for.
								final int i = p * dims + c;
								final double got = t[(k * n + p) * dims + c];
								// The step as stored in float32, not as asked for.
								final double forward = (vp[i] - v0[i]) / (plus[p * dims + k] - x[p * dims + k]);
								final double backward = (v0[i] - vm[i]) / (x[p * dims + k] - minus[p * dims + k]);
								// A ReLU kink within ±h makes the one-sided slopes disagree; the exact derivative is
								// then the slope of the side the point lies on.
								// (a small jump can hide anywhere, so every point may match a one-sided slope).
								final double error = Math.min(Math.abs((forward + backward) / 2 - got),
										Math.min(Math.abs(forward - got), Math.abs(backward - got)));
								if (Math.abs(forward - backward) > 0.05 * scale) skipped++;
								else checked++;
								worst = Math.max(worst, error);
							}
					}
					assertTrue(checked > 4 * skipped, kind + ": too few smooth points (" + checked + " checked, " + skipped + " at kinks)");
					assertTrue(scale > 1e-2, kind + ": Jacobian is trivially small (" + scale + ")");
					assertEquals(0, worst / scale, 2e-3, kind + " " + dims + "D: worst |FD − forward mode| / max |J|");
				}
			});
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "siren", "hashgrid" })
	void weightGradientsFlowThroughTheTangents(final String kind) {
		try (NeuralField f = FieldTestSupport.field(spec(kind, 2), 3)) {
			ComputeRuntime.get().run(() -> {
				try (NDManager m = f.parameters().manager().newSubManager()) {
					final NDArray coords = m.create(points(f, new SplittableRandom(2), 30, 2), new Shape(30, 2));
					final NDArray last = f.parameters().get("network.layer0.weight");
					try (GradientCollector g = ComputeRuntime.get().engine().newGradientCollector()) {
						// A loss of the Jacobian alone (as a regulariser is) must still reach the weights.
						g.backward(f.valuesWithJacobian(coords).tangents().square().sum());
					}
					assertTrue(last.getGradient().abs().sum().getFloat() > 0, kind + ": no gradient through the tangents");
				}
			});
		}
	}

	/** Random points in (−1, 1); for the hash grid, none within 5 % of a cell face at any level (kinks). */
	private static float[] points(final NeuralField f, final SplittableRandom r, final int n, final int dims) {
		final float[] x = new float[n * dims];
		final int[] res = f.encoding() instanceof HashGridEncoding e ? e.resolutions() : new int[0];
		for (int p = 0; p < n; p++) {
			boolean ok;
			do {
				ok = true;
				for (int k = 0; k < dims; k++) {
					final float v = (float) (r.nextDouble() * 1.8 - 0.9);
					x[p * dims + k] = v;
					for (final int level : res) {
						final double frac = (v + 1) * 0.5 * level % 1;
						if (frac < 0.05 || frac > 0.95) ok = false;
					}
				}
			}
			while (!ok);
		}
		return x;
	}
}
