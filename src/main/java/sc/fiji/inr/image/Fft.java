package sc.fiji.inr.image;

/**
 * Discrete Fourier transforms of complex data held as separate real and imaginary arrays, for
 * classical reconstruction baselines (filtered back-projection, zero-filled MRI) that must not
 * depend on DJL.
 * <p>
 * Conventions are numpy's: the forward transform is {@code X_j = Σ_k x_k e^{-2πi jk/n}}
 * (unnormalised), the inverse uses {@code e^{+2πi jk/n}} and divides by {@code n}, so
 * {@code inverse(forward(x)) = x}. Any length works: powers of two use an iterative radix-2
 * transform, other lengths Bluestein's chirp-z algorithm on a power-of-two convolution, so every
 * length costs O(n log n). Computations are in double precision.
 * <p>
 * 2D arrays are row-major with x fastest: element (x, y) is at {@code x + width * y}.
 */
public final class Fft {

	private Fft() {}

	/**
	 * Transforms {@code re + i·im} in place.
	 *
	 * @param inverse false for the forward (e^-), true for the inverse (e^+, divided by n)
	 * @throws IllegalArgumentException if the arrays are empty or differ in length
	 */
	public static void transform(final double[] re, final double[] im, final boolean inverse) {
		if (re.length != im.length)
			throw new IllegalArgumentException("FFT needs real and imaginary parts of equal length, got "
					+ re.length + " and " + im.length);
		final int n = re.length;
		if (n == 0) throw new IllegalArgumentException("FFT of an empty array");
		if (n == 1) return;
		if (Integer.bitCount(n) == 1) radix2(re, im, inverse);
		else bluestein(re, im, inverse);
		if (inverse) {
			final double scale = 1.0 / n;
			for (int i = 0; i < n; i++) {
				re[i] *= scale;
				im[i] *= scale;
			}
		}
	}

	/**
	 * 2D transform in place: {@link #transform} along x (every row), then along y (every column).
	 *
	 * @throws IllegalArgumentException if the arrays do not hold {@code width × height} elements
	 */
	public static void transform2d(final double[] re, final double[] im, final int width, final int height,
			final boolean inverse) {
		requireSize(re.length, width, height, "real part");
		requireSize(im.length, width, height, "imaginary part");
		final double[] rowRe = new double[width], rowIm = new double[width];
		for (int y = 0; y < height; y++) {
			System.arraycopy(re, y * width, rowRe, 0, width);
			System.arraycopy(im, y * width, rowIm, 0, width);
			transform(rowRe, rowIm, inverse);
			System.arraycopy(rowRe, 0, re, y * width, width);
			System.arraycopy(rowIm, 0, im, y * width, width);
		}
		final double[] colRe = new double[height], colIm = new double[height];
		for (int x = 0; x < width; x++) {
			for (int y = 0; y < height; y++) {
				colRe[y] = re[x + width * y];
				colIm[y] = im[x + width * y];
			}
			transform(colRe, colIm, inverse);
			for (int y = 0; y < height; y++) {
				re[x + width * y] = colRe[y];
				im[x + width * y] = colIm[y];
			}
		}
	}

	/**
	 * numpy's {@code fftshift} of a {@code width × height} array, in place: moves element (0, 0)
	 * (the DC term of an unshifted spectrum) to {@code (width / 2, height / 2)}, i.e. rolls by
	 * {@code floor(size / 2)} along each axis.
	 */
	public static void shift2d(final double[] data, final int width, final int height) {
		requireSize(data.length, width, height, "array");
		final double[] copy = data.clone();
		roll(copy, data, width, height, width / 2, height / 2);
	}

	/** {@link #shift2d(double[], int, int)} for float data. */
	public static void shift2d(final float[] data, final int width, final int height) {
		requireSize(data.length, width, height, "array");
		final float[] copy = data.clone();
		roll(copy, data, width, height, width / 2, height / 2);
	}

	/**
	 * numpy's {@code ifftshift}, in place: undoes {@link #shift2d}, moving
	 * {@code (width / 2, height / 2)} back to (0, 0). Differs from {@code shift2d} for odd sizes.
	 */
	public static void inverseShift2d(final double[] data, final int width, final int height) {
		requireSize(data.length, width, height, "array");
		final double[] copy = data.clone();
		roll(copy, data, width, height, width - width / 2, height - height / 2);
	}

	/** {@link #inverseShift2d(double[], int, int)} for float data. */
	public static void inverseShift2d(final float[] data, final int width, final int height) {
		requireSize(data.length, width, height, "array");
		final float[] copy = data.clone();
		roll(copy, data, width, height, width - width / 2, height - height / 2);
	}

	/** {@code to[(x + dx) mod w, (y + dy) mod h] = from[x, y]}, for 0 ≤ dx < w, 0 ≤ dy < h. */
	private static void roll(final double[] from, final double[] to, final int w, final int h, final int dx,
			final int dy) {
		for (int y = 0; y < h; y++) {
			final int ty = (y + dy) % h;
			// one row moves as two contiguous pieces
			System.arraycopy(from, y * w, to, ty * w + dx, w - dx);
			System.arraycopy(from, y * w + w - dx, to, ty * w, dx);
		}
	}

	private static void roll(final float[] from, final float[] to, final int w, final int h, final int dx,
			final int dy) {
		for (int y = 0; y < h; y++) {
			final int ty = (y + dy) % h;
			System.arraycopy(from, y * w, to, ty * w + dx, w - dx);
			System.arraycopy(from, y * w + w - dx, to, ty * w, dx);
		}
	}

	private static void requireSize(final int length, final int width, final int height, final String what) {
		if (width < 1 || height < 1)
			throw new IllegalArgumentException("2D FFT size must be at least 1×1, was " + width + "×" + height);
		if ((long) width * height != length)
			throw new IllegalArgumentException("The " + what + " has " + length + " elements but the size "
					+ width + "×" + height + " needs " + (long) width * height);
	}

	/** Unnormalised iterative radix-2 transform; n must be a power of two. */
	private static void radix2(final double[] re, final double[] im, final boolean inverse) {
		final int n = re.length;
		// bit-reversal permutation
		for (int i = 1, j = 0; i < n; i++) {
			int bit = n >> 1;
			for (; (j & bit) != 0; bit >>= 1)
				j ^= bit;
			j ^= bit;
			if (i < j) {
				double t = re[i];
				re[i] = re[j];
				re[j] = t;
				t = im[i];
				im[i] = im[j];
				im[j] = t;
			}
		}
		final double sign = inverse ? 1 : -1;
		for (int len = 2; len <= n; len <<= 1) {
			final int half = len >> 1;
			// twiddles from cos/sin per index rather than by repeated multiplication: the
			// recurrence loses ~1e-12 relative accuracy on long transforms
			final double step = sign * 2 * Math.PI / len;
			for (int k = 0; k < half; k++) {
				final double wr = Math.cos(step * k), wi = Math.sin(step * k);
				for (int i = k; i < n; i += len) {
					final int j = i + half;
					final double tr = re[j] * wr - im[j] * wi, ti = re[j] * wi + im[j] * wr;
					re[j] = re[i] - tr;
					im[j] = im[i] - ti;
					re[i] += tr;
					im[i] += ti;
				}
			}
		}
	}

	/**
	 * Unnormalised transform of any length by Bluestein's identity
	 * {@code jk = (j² + k² - (j-k)²) / 2}: the DFT becomes a convolution with the chirp
	 * {@code e^{±πi k²/n}}, computed with radix-2 transforms of length ≥ 2n - 1.
	 */
	private static void bluestein(final double[] re, final double[] im, final boolean inverse) {
		final int n = re.length;
		final int m = Integer.highestOneBit(2 * n - 2) << 1;
		final double sign = inverse ? 1 : -1;
		final double[] cr = new double[n], ci = new double[n];
		for (int k = 0; k < n; k++) {
			// k² mod 2n keeps the angle small, so it stays exact for large n
			final long k2 = (long) k * k % (2L * n);
			final double a = sign * Math.PI * k2 / n;
			cr[k] = Math.cos(a);
			ci[k] = Math.sin(a);
		}
		final double[] ar = new double[m], ai = new double[m];
		for (int k = 0; k < n; k++) {
			ar[k] = re[k] * cr[k] - im[k] * ci[k];
			ai[k] = re[k] * ci[k] + im[k] * cr[k];
		}
		// the conjugate chirp, wrapped around so that negative lags sit at the end
		final double[] br = new double[m], bi = new double[m];
		br[0] = cr[0];
		bi[0] = -ci[0];
		for (int k = 1; k < n; k++) {
			br[k] = br[m - k] = cr[k];
			bi[k] = bi[m - k] = -ci[k];
		}
		radix2(ar, ai, false);
		radix2(br, bi, false);
		for (int i = 0; i < m; i++) {
			final double r = ar[i] * br[i] - ai[i] * bi[i];
			ai[i] = ar[i] * bi[i] + ai[i] * br[i];
			ar[i] = r;
		}
		radix2(ar, ai, true);
		final double scale = 1.0 / m;
		for (int k = 0; k < n; k++) {
			final double r = ar[k] * scale, i = ai[k] * scale;
			re[k] = r * cr[k] - i * ci[k];
			im[k] = r * ci[k] + i * cr[k];
		}
	}
}
