package sc.fiji.inr.tasks.ct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import net.imglib2.view.Views;
import sc.fiji.inr.field.ModelOptions;
import sc.fiji.inr.field.NeuralField;
import sc.fiji.inr.fit.FitOptions;
import sc.fiji.inr.image.SheppLogan;
import sc.fiji.inr.tasks.fitimage.ImageFitting;

/**
 * The CT prior term's image read from the prior field: at any point it is the field at the
 * displaced point (within the fine rendering's interpolation), also between pixel centres, where
 * a bilinear ramp between the pixel centres' values differs from it at sharp edges; a stack's
 * upsampling shrinks to stay within its budget.
 */
class WarpedPriorTest {

	private static final int N = 48;

	/** Shepp–Logan 48² (sharp edges) fitted as a field on a 1 mm grid centred on the isocentre. */
	private static NeuralField sheppField() {
		final float[] a = new float[N * N];
		int k = 0;
		for (final var v : Views.flatIterable(SheppLogan.phantom2d(N).pixels())) a[k++] = v.get();
		return ImageFitting.fit(CtReconstruction.image(a, CtReconstruction.Grid.of(N, N, 1, "mm"), "earlier"), new ImageFitting.Settings(
				ModelOptions.of("hashgrid"), FitOptions.defaults().withSteps(500).withLearningRate(1e-2).withBatchSize(N * N), null), null)
				.field();
	}

	@Test
	void isTheFieldAtTheDisplacedPointsAlsoBetweenPixelCentres() {
		try (NeuralField prior = sheppField()) {
			final SplineDisplacement spline = new SplineDisplacement(prior.frame(), 16);
			final SplittableRandom r = new SplittableRandom(3);
			final float[] c = new float[spline.controlPoints() * 2];
			// about a pixel (2/48 normalised) of shift, bent by a few tenths
			for (int k = 0; k < c.length; k++) c[k] = (float) ((k % 2 == 0 ? 0.03 : -0.02) + 0.01 * r.nextGaussian());
			final WarpedPrior warped = new WarpedPrior(prior, spline, c);
			assertEquals(8, warped.upsampling());
			final int n = 4000;
			final float[] points = new float[2 * n];
			for (int k = 0; k < points.length; k++) points[k] = (float) r.nextDouble(-0.9, 0.9);
			final float[] u = spline.displacement(c, spline.basis(points, 0, n));
			final float[] at = points.clone();
			for (int k = 0; k < at.length; k++) at[k] += u[k];
			final float[] expected = prior.evaluateNormalised(at, n), got = warped.at(points, 0, n);
			double sum = 0, worst = 0;
			for (int k = 0; k < n; k++) {
				sum += Math.abs(expected[k] - got[k]);
				worst = Math.max(worst, Math.abs(expected[k] - got[k]));
			}
			// normalised units span 2; measured mean 0.001, largest 0.05 at an edge
			assertTrue(sum / n < 0.005, "mean difference " + sum / n);
			assertTrue(worst < 0.25, "largest difference " + worst);
			// from a later point of a longer array, and without a displacement
			final float[] shifted = new float[2 + points.length];
			System.arraycopy(points, 0, shifted, 2, points.length);
			assertEquals(got[7], warped.at(shifted, 1, n)[7], 0);
			final float[] plain = prior.evaluateNormalised(points, n), still = new WarpedPrior(prior, null, null).at(points, 0, n);
			double plainSum = 0;
			for (int k = 0; k < n; k++) plainSum += Math.abs(plain[k] - still[k]);
			assertTrue(plainSum / n < 0.005, "mean difference without a displacement " + plainSum / n);
		}
	}

	@Test
	void upsamplesLessWhereTheGridIsLarge() {
		assertEquals(8, WarpedPrior.upsampling(512 * 512));
		assertEquals(4, WarpedPrior.upsampling(512L * 512 * 16)); // 8 and 5..7 would exceed 64 M samples
		assertEquals(1, WarpedPrior.upsampling(WarpedPrior.MAX_SAMPLES));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> WarpedPrior.upsampling(WarpedPrior.MAX_SAMPLES + 1)).getMessage()
				.contains("too large"));
	}

	@Test
	void refusesAHalfGivenDisplacement() {
		try (NeuralField prior = sheppField()) {
			final SplineDisplacement spline = new SplineDisplacement(prior.frame(), 16);
			assertThrows(IllegalArgumentException.class, () -> new WarpedPrior(prior, spline, null));
			assertTrue(assertThrows(IllegalArgumentException.class, () -> new WarpedPrior(prior, spline, new float[3])).getMessage()
					.contains("coefficients"));
		}
	}
}
