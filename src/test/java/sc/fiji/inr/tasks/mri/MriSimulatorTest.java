package sc.fiji.inr.tasks.mri;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MriSimulatorTest {

	private static final int W = 181, H = 217;

	/** ‖a - b‖ / ‖b‖. */
	static double relativeError(final float[] a, final float[] b) {
		double diff = 0, norm = 0;
		for (int i = 0; i < a.length; i++) {
			diff += (double) (a[i] - b[i]) * (a[i] - b[i]);
			norm += (double) b[i] * b[i];
		}
		return Math.sqrt(diff / norm);
	}

	@Test
	void fullSamplingWithoutNoiseGivesTheImageBack() {
		final float[] img = KSpaceTest.random(W * H, 1);
		final KSpace k = MriSimulator.simulate(img, W, H, SamplingMask.full(W, H), 0, 0);
		final float[][] back = ZeroFilled.reconstruct(k, SamplingMask.full(W, H));
		assertTrue(relativeError(back[0], img) < 1e-5, "relative error " + relativeError(back[0], img));
		for (final float v : back[1])
			assertEquals(0, v, 1e-5);
		// and a complex image
		final float[] re = KSpaceTest.random(W * H, 2), im = KSpaceTest.random(W * H, 3);
		final float[][] c = ZeroFilled.reconstruct(MriSimulator.simulate(re, im, W, H, SamplingMask.full(W, H), 0, 0),
				SamplingMask.full(W, H));
		assertTrue(relativeError(c[0], re) < 1e-5);
		assertTrue(relativeError(c[1], im) < 1e-5);
	}

	@Test
	void unsampledElementsAreExactlyZeroAndSampledOnesAreTheTrueKSpace() {
		final float[] img = KSpaceTest.random(W * H, 4);
		final SamplingMask mask = SamplingMask.cartesian(W, H, 4, 0.08, 9);
		final KSpace clean = KSpace.fromImage(img, W, H);
		final KSpace k = MriSimulator.simulate(img, W, H, mask, 0.1, 11);
		int sampledDiffer = 0;
		for (int i = 0; i < W * H; i++)
			if (mask.sampled()[i]) {
				if (k.real()[i] != clean.real()[i]) sampledDiffer++;
			}
			else {
				assertEquals(0f, k.real()[i], "unsampled at " + i);
				assertEquals(0f, k.imaginary()[i], "unsampled at " + i);
			}
		assertTrue(sampledDiffer > 0.99 * mask.count(), "noise was added to the sampled elements");
		final KSpace noiseFree = MriSimulator.simulate(img, W, H, mask, 0, 11);
		assertArrayEquals(clean.masked(mask).real(), noiseFree.real());
		assertArrayEquals(clean.masked(mask).imaginary(), noiseFree.imaginary());
	}

	@Test
	void noiseHasTheRequestedStandardDeviationOnEachComponent() {
		final float[] img = KSpaceTest.random(W * H, 5);
		final SamplingMask mask = SamplingMask.radial(W, H, 40, true);
		final KSpace clean = KSpace.fromImage(img, W, H);
		final double sigma = 0.05;
		final KSpace noisy = MriSimulator.simulate(img, W, H, mask, sigma, 12);
		double sr = 0, si = 0, mr = 0;
		long n = 0;
		for (int i = 0; i < W * H; i++)
			if (mask.sampled()[i]) {
				final double dr = noisy.real()[i] - clean.real()[i], di = noisy.imaginary()[i] - clean.imaginary()[i];
				sr += dr * dr;
				si += di * di;
				mr += dr;
				n++;
			}
		// ~8000 samples: the empirical std is within ~1.6% (2 standard errors) of sigma
		assertEquals(sigma, Math.sqrt(sr / n), 0.03 * sigma, "real part");
		assertEquals(sigma, Math.sqrt(si / n), 0.03 * sigma, "imaginary part");
		assertEquals(0, mr / n, 4 * sigma / Math.sqrt(n), "zero mean");
	}

	@Test
	void noiseIsDeterministicForASeed() {
		final float[] img = KSpaceTest.random(16 * 12, 6);
		final SamplingMask mask = SamplingMask.cartesian(16, 12, 2, 0.1, 0);
		final KSpace a = MriSimulator.simulate(img, 16, 12, mask, 0.1, 1);
		final KSpace b = MriSimulator.simulate(img, 16, 12, mask, 0.1, 1);
		final KSpace c = MriSimulator.simulate(img, 16, 12, mask, 0.1, 2);
		assertArrayEquals(a.real(), b.real());
		assertArrayEquals(a.imaginary(), b.imaginary());
		assertFalse(java.util.Arrays.equals(a.real(), c.real()));
	}

	@Test
	void mismatchesAndBadSigmaAreNamed() {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> MriSimulator.simulate(new float[W * H], W, H, SamplingMask.full(180, H), 0, 0));
		assertEquals("The mask is 180×217 but the image is 181×217", e.getMessage());
		e = assertThrows(IllegalArgumentException.class,
				() -> MriSimulator.simulate(new float[W * H - 1], W, H, SamplingMask.full(W, H), 0, 0));
		assertTrue(e.getMessage().contains(String.valueOf(W * H - 1)) && e.getMessage().contains("181×217"),
				e.getMessage());
		e = assertThrows(IllegalArgumentException.class,
				() -> MriSimulator.simulate(new float[4], 2, 2, SamplingMask.full(2, 2), -1, 0));
		assertTrue(e.getMessage().contains("-1"), e.getMessage());
	}
}
