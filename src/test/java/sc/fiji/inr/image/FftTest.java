package sc.fiji.inr.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FftTest {

	private static final int[] LENGTHS = { 1, 2, 7, 16, 181, 217, 256 };

	/** The definition, O(n²), with angles reduced mod n so it is accurate for the lengths used. */
	private static double[][] dft(final double[] re, final double[] im, final boolean inverse) {
		final int n = re.length;
		final double sign = inverse ? 1 : -1;
		final double[] or = new double[n], oi = new double[n];
		for (int j = 0; j < n; j++)
			for (int k = 0; k < n; k++) {
				final double a = sign * 2 * Math.PI * ((long) j * k % n) / n;
				final double c = Math.cos(a), s = Math.sin(a);
				or[j] += re[k] * c - im[k] * s;
				oi[j] += re[k] * s + im[k] * c;
			}
		if (inverse)
			for (int j = 0; j < n; j++) {
				or[j] /= n;
				oi[j] /= n;
			}
		return new double[][] { or, oi };
	}

	private static double[] random(final int n, final long seed) {
		final SplittableRandom r = new SplittableRandom(seed);
		final double[] v = new double[n];
		for (int i = 0; i < n; i++)
			v[i] = r.nextDouble(-1, 1);
		return v;
	}

	/** ‖a - b‖ / ‖b‖ over both parts. */
	private static double relativeError(final double[] ar, final double[] ai, final double[] br, final double[] bi) {
		double diff = 0, norm = 0;
		for (int i = 0; i < ar.length; i++) {
			diff += (ar[i] - br[i]) * (ar[i] - br[i]) + (ai[i] - bi[i]) * (ai[i] - bi[i]);
			norm += br[i] * br[i] + bi[i] * bi[i];
		}
		return Math.sqrt(diff / norm);
	}

	@ParameterizedTest
	@ValueSource(ints = { 1, 2, 7, 16, 181, 217, 256 })
	void matchesTheDirectDftBothWays(final int n) {
		for (final boolean inverse : new boolean[] { false, true }) {
			final double[] re = random(n, n), im = random(n, n + 1000);
			final double[][] expected = dft(re, im, inverse);
			Fft.transform(re, im, inverse);
			final double err = relativeError(re, im, expected[0], expected[1]);
			assertTrue(err < 1e-9, "n=" + n + (inverse ? " inverse" : " forward") + ": relative error " + err);
		}
	}

	@Test
	void aCosineLandsInItsTwoFrequencyBins() {
		// a known answer independent of the reference DFT: cos(2π 3k/n) → n/2 at bins 3 and n-3
		for (final int n : new int[] { 16, 181 }) {
			final double[] re = new double[n], im = new double[n];
			for (int k = 0; k < n; k++)
				re[k] = Math.cos(2 * Math.PI * 3 * k / n);
			Fft.transform(re, im, false);
			for (int j = 0; j < n; j++) {
				final double expected = j == 3 || j == n - 3 ? n / 2.0 : 0;
				assertEquals(expected, re[j], 1e-9 * n, "n=" + n + " bin " + j);
				assertEquals(0, im[j], 1e-9 * n, "n=" + n + " bin " + j);
			}
		}
	}

	@Test
	void inverseUndoesForwardAndParsevalHolds() {
		for (final int n : LENGTHS) {
			final double[] re0 = random(n, 7 * n), im0 = random(n, 7 * n + 1);
			final double[] re = re0.clone(), im = im0.clone();
			Fft.transform(re, im, false);
			double timeEnergy = 0, freqEnergy = 0;
			for (int i = 0; i < n; i++) {
				timeEnergy += re0[i] * re0[i] + im0[i] * im0[i];
				freqEnergy += re[i] * re[i] + im[i] * im[i];
			}
			assertEquals(timeEnergy, freqEnergy / n, 1e-10 * timeEnergy, "Parseval, n=" + n);
			Fft.transform(re, im, true);
			assertArrayEquals(re0, re, 1e-12, "real part, n=" + n);
			assertArrayEquals(im0, im, 1e-12, "imaginary part, n=" + n);
		}
	}

	@Test
	void transform2dIsRowsThenColumns() {
		final int w = 7, h = 6;
		final double[] re = random(w * h, 1), im = random(w * h, 2);
		// the 2D DFT by definition
		final double[] er = new double[w * h], ei = new double[w * h];
		for (int v = 0; v < h; v++)
			for (int u = 0; u < w; u++)
				for (int y = 0; y < h; y++)
					for (int x = 0; x < w; x++) {
						final double a = -2 * Math.PI * ((double) u * x / w + (double) v * y / h);
						final double c = Math.cos(a), s = Math.sin(a);
						final int i = x + w * y;
						er[u + w * v] += re[i] * c - im[i] * s;
						ei[u + w * v] += re[i] * s + im[i] * c;
					}
		final double[] r0 = re.clone(), i0 = im.clone();
		Fft.transform2d(re, im, w, h, false);
		assertTrue(relativeError(re, im, er, ei) < 1e-12);
		Fft.transform2d(re, im, w, h, true);
		assertArrayEquals(r0, re, 1e-12);
		assertArrayEquals(i0, im, 1e-12);
	}

	@Test
	void shiftPutsDcAtTheCentreLikeNumpy() {
		for (final int[] size : new int[][] { { 4, 6 }, { 5, 7 }, { 4, 7 }, { 1, 3 } }) {
			final int w = size[0], h = size[1];
			final double[] d = new double[w * h];
			d[0] = 1;
			Fft.shift2d(d, w, h);
			assertEquals(1, d[w / 2 + w * (h / 2)], w + "×" + h);
			// numpy.fft.fftshift(np.arange(5)) = [3, 4, 0, 1, 2]; arange(4) → [2, 3, 0, 1]
		}
		final double[] row5 = { 0, 1, 2, 3, 4 }, row4 = { 0, 1, 2, 3 };
		Fft.shift2d(row5, 5, 1);
		Fft.shift2d(row4, 4, 1);
		assertArrayEquals(new double[] { 3, 4, 0, 1, 2 }, row5);
		assertArrayEquals(new double[] { 2, 3, 0, 1 }, row4);
		final float[] col5 = { 0, 1, 2, 3, 4 };
		Fft.inverseShift2d(col5, 1, 5);
		assertArrayEquals(new float[] { 2, 3, 4, 0, 1 }, col5); // numpy.fft.ifftshift(arange(5))
	}

	@Test
	void inverseShiftUndoesShiftForOddAndEvenSizes() {
		for (final int[] size : new int[][] { { 4, 6 }, { 5, 7 }, { 4, 7 }, { 181, 217 }, { 1, 1 } }) {
			final int w = size[0], h = size[1];
			final double[] d0 = random(w * h, w + h), d = d0.clone();
			Fft.shift2d(d, w, h);
			Fft.inverseShift2d(d, w, h);
			assertArrayEquals(d0, d, w + "×" + h);
			final float[] f0 = new float[w * h];
			for (int i = 0; i < f0.length; i++)
				f0[i] = i;
			final float[] f = f0.clone();
			Fft.inverseShift2d(f, w, h);
			Fft.shift2d(f, w, h);
			assertArrayEquals(f0, f, w + "×" + h);
		}
	}

	@Test
	void mismatchedArraysAreRejected() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> Fft.transform(new double[3], new double[4], false));
		assertTrue(e.getMessage().contains("3") && e.getMessage().contains("4"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> Fft.transform(new double[0], new double[0], false));
		final IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
				() -> Fft.shift2d(new double[10], 3, 4));
		assertTrue(e2.getMessage().contains("3×4"), e2.getMessage());
	}
}
