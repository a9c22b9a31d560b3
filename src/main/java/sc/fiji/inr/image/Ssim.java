package sc.fiji.inr.image;

import java.util.Arrays;
import java.util.stream.IntStream;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

/**
 * Structural similarity (SSIM; Wang, Bovik, Sheikh and Simoncelli 2004) of 1D, 2D and 3D images,
 * the perceptual counterpart of PSNR in the benchmarks.
 * <p>
 * Computed as scikit-image's {@code structural_similarity(a, b, gaussian_weights=True,
 * sigma=1.5, use_sample_covariance=False, data_range=R)}: local means, variances and covariance
 * from a Gaussian window (σ = 1.5 voxels, truncated at radius 5, i.e. 11 voxels wide, separable,
 * in double precision), K1 = 0.01, K2 = 0.03, and the mean of the SSIM map over the interior
 * (5 voxels cropped on each side, where the window lies inside the image). Voxels are taken as
 * cubic: anisotropic spacing is not accounted for. As in {@link ImageMetrics} the images must
 * have the same size, their interval minima may differ, and NaN pixels make the result NaN.
 */
public final class Ssim {

	public static final double SIGMA = 1.5, K1 = 0.01, K2 = 0.03;
	/** Window radius in voxels: {@code (int) (3.5 σ + 0.5)}, as scipy's Gaussian filter. */
	public static final int RADIUS = 5;

	private static final double[] WEIGHTS = gaussian();

	private Ssim() {}

	/**
	 * Mean SSIM in [-1, 1]; 1 for identical images.
	 *
	 * @param dataRange the range the signal can span (e.g. 255 for 8-bit data); it sets the
	 *                  stabilising constants (K·range)², so it must be fixed by the caller for
	 *                  scores to be comparable
	 * @throws IllegalArgumentException for images of different sizes, other than 1 to 3
	 *                                  dimensions, or smaller than the 11-voxel window along an axis
	 */
	public static double ssim(final RandomAccessibleInterval<? extends RealType<?>> reference,
			final RandomAccessibleInterval<? extends RealType<?>> test, final double dataRange) {
		if (!(dataRange > 0) || !Double.isFinite(dataRange))
			throw new IllegalArgumentException("SSIM data range must be positive and finite, was " + dataRange);
		final long[] dims = reference.dimensionsAsLongArray();
		if (!Arrays.equals(dims, test.dimensionsAsLongArray()))
			throw new IllegalArgumentException("Images differ in size: reference " + Arrays.toString(dims)
					+ ", test " + Arrays.toString(test.dimensionsAsLongArray()));
		if (dims.length < 1 || dims.length > 3)
			throw new IllegalArgumentException("SSIM takes 1D, 2D or 3D images, not " + dims.length + "D " + Arrays.toString(dims));
		final int window = 2 * RADIUS + 1;
		long total = 1;
		for (final long d : dims) {
			if (d < window)
				throw new IllegalArgumentException("Image of size " + Arrays.toString(dims) + " is smaller than the "
						+ window + "-voxel SSIM window along an axis");
			total *= d;
		}
		if (total > Integer.MAX_VALUE - 8)
			throw new IllegalArgumentException("Image of size " + Arrays.toString(dims) + " is too large for SSIM (over 2^31 voxels)");
		// As 3D (n0, n1, n2), x fastest; the last image axis goes to n2, the axis the work is split along.
		final int[] n = switch (dims.length) {
			case 1 -> new int[] { 1, 1, (int) dims[0] };
			case 2 -> new int[] { (int) dims[0], 1, (int) dims[1] };
			default -> new int[] { (int) dims[0], (int) dims[1], (int) dims[2] };
		};
		final double[] a = values(reference, (int) total), b = values(test, (int) total);
		final double c1 = K1 * dataRange * K1 * dataRange, c2 = K2 * dataRange * K2 * dataRange;
		final int r0 = n[0] > 1 ? RADIUS : 0, r1 = n[1] > 1 ? RADIUS : 0;
		final int out0 = n[0] - 2 * r0, out1 = n[1] - 2 * r1, out2 = n[2] - 2 * RADIUS;
		final double[] sliceSums = new double[out2];
		IntStream.range(0, out2).parallel().forEach(z -> sliceSums[z] = sliceSum(a, b, n, z, r0, r1, c1, c2));
		double sum = 0;
		for (final double s : sliceSums) sum += s;
		return sum / ((double) out0 * out1 * out2);
	}

	/** Sum of the SSIM map over interior output slice {@code z} (along the last axis). */
	private static double sliceSum(final double[] a, final double[] b, final int[] n, final int z, final int r0, final int r1,
			final double c1, final double c2) {
		final int plane = n[0] * n[1];
		// Filter along the last axis: the five local moments over one full plane.
		final double[][] m = new double[5][plane];
		for (int k = 0; k <= 2 * RADIUS; k++) {
			final double w = WEIGHTS[k];
			final int base = (z + k) * plane;
			for (int i = 0; i < plane; i++) {
				final double x = a[base + i], y = b[base + i];
				m[0][i] += w * x;
				m[1][i] += w * y;
				m[2][i] += w * x * x;
				m[3][i] += w * y * y;
				m[4][i] += w * x * y;
			}
		}
		// Along the middle axis (a no-op when it has size 1).
		final int out1 = n[1] - 2 * r1, out0 = n[0] - 2 * r0;
		final double[][] t = r1 == 0 ? m : new double[5][n[0] * out1];
		if (r1 > 0)
			for (int q = 0; q < 5; q++)
				for (int j = 0; j < out1; j++)
					for (int k = 0; k <= 2 * r1; k++) {
						final double w = WEIGHTS[k];
						final int src = (j + k) * n[0], dst = j * n[0];
						for (int i = 0; i < n[0]; i++) t[q][dst + i] += w * m[q][src + i];
					}
		// Along the first axis, then the SSIM formula per voxel.
		final double[] s = new double[5];
		double sum = 0;
		for (int j = 0; j < out1; j++)
			for (int i = 0; i < out0; i++) {
				final int at = j * n[0] + i;
				for (int q = 0; q < 5; q++) {
					double v = 0;
					if (r0 == 0) v = t[q][at];
					else for (int k = 0; k <= 2 * r0; k++) v += WEIGHTS[k] * t[q][at + k];
					s[q] = v;
				}
				final double ux = s[0], uy = s[1];
				final double vx = s[2] - ux * ux, vy = s[3] - uy * uy, vxy = s[4] - ux * uy;
				sum += (2 * ux * uy + c1) * (2 * vxy + c2) / ((ux * ux + uy * uy + c1) * (vx + vy + c2));
			}
		return sum;
	}

	private static double[] values(final RandomAccessibleInterval<? extends RealType<?>> image, final int total) {
		final double[] v = new double[total];
		final Cursor<? extends RealType<?>> c = Views.flatIterable(image).cursor();
		for (int i = 0; i < total; i++) v[i] = c.next().getRealDouble();
		return v;
	}

	/** Normalised Gaussian weights at offsets -RADIUS..RADIUS, as scipy.ndimage computes them. */
	private static double[] gaussian() {
		final double[] w = new double[2 * RADIUS + 1];
		double sum = 0;
		for (int k = -RADIUS; k <= RADIUS; k++) sum += w[k + RADIUS] = Math.exp(-0.5 * k * k / (SIGMA * SIGMA));
		for (int k = 0; k < w.length; k++) w[k] /= sum;
		return w;
	}
}
