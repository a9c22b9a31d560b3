package sc.fiji.inr.tasks.mri;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import sc.fiji.inr.compute.ComputeRuntime;
import sc.fiji.inr.compute.Tensors;
import sc.fiji.inr.field.CoordinateFrame;
import sc.fiji.inr.field.FieldEvaluator;
import sc.fiji.inr.field.ValueScale;
import sc.fiji.inr.image.Axis;
import sc.fiji.inr.fit.Batch;
import sc.fiji.inr.tasks.Reconstruction;

/**
 * The k-space forward model against a direct DFT computed here in double precision, and its
 * gradient against central finite differences of the loss: the test the issue asks for, since
 * the gradient passes through PyTorch's complex FFT and DJL's real/complex views.
 */
class KSpaceObjectiveTest {

	private static final int W = 7, H = 6;

	private static CoordinateFrame frame() {
		return new CoordinateFrame(List.of(Axis.X, Axis.Y), new String[] { "mm", "mm" }, new double[] { 0, 0 },
				new double[] { 1, 1 }, new long[] { W, H });
	}

	/** An image that is a free tensor: the "field" returns it whatever the coordinates. */
	private static FieldEvaluator imageField(final NDArray image) {
		return coords -> image;
	}

	private static double[] image(final int channels, final long seed) {
		final SplittableRandom r = new SplittableRandom(seed);
		final double[] v = new double[W * H * channels];
		for (int i = 0; i < v.length; i++) v[i] = r.nextDouble(-1, 1);
		return v;
	}

	/** Orthonormal unshifted DFT of a complex image (x + W·y), directly. */
	private static double[][] dft(final double[] re, final double[] im) {
		final double[] kr = new double[W * H], ki = new double[W * H];
		for (int v = 0; v < H; v++)
			for (int u = 0; u < W; u++) {
				double sr = 0, si = 0;
				for (int y = 0; y < H; y++)
					for (int x = 0; x < W; x++) {
						final double a = -2 * Math.PI * ((double) u * x / W + (double) v * y / H);
						final double c = Math.cos(a), s = Math.sin(a);
						sr += re[x + W * y] * c - im[x + W * y] * s;
						si += re[x + W * y] * s + im[x + W * y] * c;
					}
				kr[u + W * v] = sr / Math.sqrt(W * H);
				ki[u + W * v] = si / Math.sqrt(W * H);
			}
		return new double[][] { kr, ki };
	}

	private static final long[] SAMPLED = { 0, 3, 8, 11, 20, 25, 33, 41 };

	/** Loss of {@code objective} for an image of normalised values, and optionally its gradient. */
	private static double[] lossAndGradient(final KSpaceObjective objective, final double[] values, final int channels,
			final boolean gradient) {
		return ComputeRuntime.get().call(() -> {
			try (NDManager m = ComputeRuntime.get().engine().newBaseManager()) {
				final float[] f = new float[values.length];
				for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
				final NDArray image = Tensors.floats(m, f, new Shape(W * H, channels));
				if (gradient) image.setRequiresGradient(true);
				final Batch batch = objective.sample(m, new SplittableRandom(1));
				final NDArray loss;
				try (GradientCollector c = ComputeRuntime.get().engine().newGradientCollector()) {
					loss = objective.loss(objective.predict(imageField(image), batch), batch);
					if (gradient) c.backward(loss);
				}
				final double[] out = new double[1 + (gradient ? values.length : 0)];
				out[0] = loss.getFloat();
				if (gradient) {
					final float[] g = image.getGradient().toFloatArray();
					for (int i = 0; i < g.length; i++) out[1 + i] = g[i];
				}
				return out;
			}
		});
	}

	private static KSpaceObjective objective(final int channels, final double[] truth, final double tv, final ValueScale scale) {
		return objective(channels, truth, tv, scale, null);
	}

	private static KSpaceObjective objective(final int channels, final double[] truth, final double tv, final ValueScale scale,
			final Reconstruction.PriorImage prior) {
		final double[] re = new double[W * H], im = new double[W * H];
		for (int p = 0; p < W * H; p++) {
			re[p] = scale.denormalise(0, truth[p * channels]);
			if (channels == 2) im[p] = scale.denormalise(1, truth[p * channels + 1]);
		}
		final double[][] k = dft(re, im);
		final float[] mr = new float[SAMPLED.length], mi = new float[SAMPLED.length];
		for (int i = 0; i < SAMPLED.length; i++) {
			mr[i] = (float) k[0][(int) SAMPLED[i]];
			mi[i] = (float) k[1][(int) SAMPLED[i]];
		}
		return new KSpaceObjective(frame(), scale, W, H, SAMPLED, mr, mi, tv, prior);
	}

	private static Reconstruction.PriorImage prior(final double[] values, final int channels, final double weight) {
		final float[] f = new float[values.length];
		for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
		return new Reconstruction.PriorImage(f, new long[] { W, H }, channels, weight);
	}

	/** Σ over channels and neighbours |Δ(x − p)| / (N · channels), directly. */
	private static double totalVariationOfChange(final double[] x, final double[] p, final int channels) {
		double sum = 0;
		for (int c = 0; c < channels; c++)
			for (int y = 0; y < H; y++)
				for (int i = 0; i < W; i++) {
					final int at = (i + W * y) * channels + c;
					final double d = x[at] - p[at];
					if (i + 1 < W) sum += Math.abs(x[at + channels] - p[at + channels] - d);
					if (y + 1 < H) sum += Math.abs(x[at + W * channels] - p[at + W * channels] - d);
				}
		return sum / (W * H * channels);
	}

	@Test
	void priorTermIsTheTotalVariationOfTheChangeFromThePrior() {
		for (final int channels : new int[] { 1, 2 }) {
			final ValueScale scale = ValueScale.fromRange(new double[channels], filled(channels, 3));
			final double[] truth = image(channels, 7), earlier = image(channels, 8), x = image(channels, 9);
			final double weight = 0.7;
			final double plain = lossAndGradient(objective(channels, truth, 0.1, scale), x, channels, false)[0];
			final double with = lossAndGradient(objective(channels, truth, 0.1, scale, prior(earlier, channels, weight)), x, channels,
					false)[0];
			assertEquals(weight * totalVariationOfChange(x, earlier, channels), with - plain, 1e-5, channels + " channel(s)");
			// the prior itself, and the prior plus a constant, cost nothing more
			final double[] shifted = earlier.clone();
			for (int i = 0; i < shifted.length; i++) shifted[i] += 0.25;
			for (final double[] at : new double[][] { earlier, shifted })
				assertEquals(lossAndGradient(objective(channels, truth, 0.1, scale), at, channels, false)[0],
						lossAndGradient(objective(channels, truth, 0.1, scale, prior(earlier, channels, weight)), at, channels, false)[0],
						1e-5);
		}
	}

	@Test
	void refusesAPriorImageOfAnotherGrid() {
		final ValueScale one = ValueScale.identity(1);
		final double[] truth = image(1, 1);
		assertTrue(assertThrows(IllegalArgumentException.class, () -> objective(1, truth, 0, one,
				new Reconstruction.PriorImage(new float[(W + 1) * H], new long[] { W + 1, H }, 1, 1))).getMessage()
				.contains("does not match"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> objective(1, truth, 0, one, prior(image(2, 1), 2, 1)))
				.getMessage().contains("does not match"));
		assertTrue(assertThrows(IllegalArgumentException.class,
				() -> new Reconstruction.PriorImage(new float[3], new long[] { W, H }, 1, 1)).getMessage().contains("grid needs"));
	}

	@Test
	void predictionIsTheOrthonormalDftAtTheSampledLocations() {
		for (final int channels : new int[] { 1, 2 }) {
			final ValueScale scale = channels == 1 ? new ValueScale(new double[] { 0.5 }, new double[] { 2 })
					: new ValueScale(new double[] { 0, 0 }, new double[] { 2, 2 });
			final double[] truth = image(channels, 3);
			// The measurements are the DFT of the very image the field returns: zero loss.
			assertEquals(0, lossAndGradient(objective(channels, truth, 0, scale), truth, channels, false)[0], 1e-9,
					channels + " channel(s)");
			// Against another image, the loss is Σ|ΔF|² / (N s²), computed here directly.
			final double[] other = image(channels, 4);
			final double[] dr = new double[W * H], di = new double[W * H];
			for (int p = 0; p < W * H; p++) {
				dr[p] = 2 * (other[p * channels] - truth[p * channels]);
				if (channels == 2) di[p] = 2 * (other[p * channels + 1] - truth[p * channels + 1]);
			}
			final double[][] d = dft(dr, di);
			double expected = 0;
			for (final long s : SAMPLED) expected += d[0][(int) s] * d[0][(int) s] + d[1][(int) s] * d[1][(int) s];
			expected /= W * H * 4;
			assertEquals(expected, lossAndGradient(objective(channels, truth, 0, scale), other, channels, false)[0],
					1e-5 * expected, channels + " channel(s)");
		}
	}

	@Test
	void gradientMatchesFiniteDifferences() {
		for (final int channels : new int[] { 1, 2 })
			for (final double tv : new double[] { 0, 0.3, -1 }) {
				final ValueScale scale = ValueScale.fromRange(new double[channels], filled(channels, 3));
				// tv −1: TV 0.3 and a prior term of weight 0.5
				final KSpaceObjective objective = tv >= 0 ? objective(channels, image(channels, 5), tv, scale)
						: objective(channels, image(channels, 5), 0.3, scale, prior(image(channels, 10), channels, 0.5));
				final double[] x = image(channels, 6);
				final double[] analytic = lossAndGradient(objective, x, channels, true);
				final double h = 1e-2;
				for (int i = 0; i < x.length; i += 5) {
					final double[] plus = x.clone(), minus = x.clone();
					plus[i] += h;
					minus[i] -= h;
					final double numeric = (lossAndGradient(objective, plus, channels, false)[0]
							- lossAndGradient(objective, minus, channels, false)[0]) / (2 * h);
					assertEquals(numeric, analytic[1 + i], 2e-3 * Math.max(1, Math.abs(numeric)),
							"∂loss/∂x[" + i + "], " + channels + " channel(s), TV " + tv);
				}
				assertTrue(java.util.Arrays.stream(analytic).skip(1).map(Math::abs).sum() > 1e-3, "gradient is not zero");
			}
	}

	private static double[] filled(final int n, final double v) {
		final double[] a = new double[n];
		java.util.Arrays.fill(a, v);
		return a;
	}

	@Test
	void refusesBadInput() {
		final ValueScale one = ValueScale.identity(1);
		assertTrue(assertThrows(IllegalArgumentException.class,
				() -> new KSpaceObjective(frame(), one, W, H, new long[0], new float[0], new float[0], 0, null)).getMessage()
				.contains("mask is empty"));
		assertTrue(assertThrows(IllegalArgumentException.class,
				() -> new KSpaceObjective(frame(), one, W + 1, H, new long[] { 1 }, new float[1], new float[1], 0, null)).getMessage()
				.contains("image grid"));
		assertTrue(assertThrows(IllegalArgumentException.class,
				() -> new KSpaceObjective(frame(), one, W, H, new long[] { W * H }, new float[1], new float[1], 0, null)).getMessage()
				.contains("outside"));
	}
}
