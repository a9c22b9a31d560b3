package sc.fiji.inr.image;

import java.util.Arrays;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

/**
 * Full-reference image quality metrics, used to report how well a fitted field reproduces its
 * image and to compare methods in benchmarks.
 * <p>
 * The two images must have the same size; their interval minima may differ (pixels are matched in
 * flat iteration order from each image's own minimum), so a cropped reference view can be
 * compared with a zero-min rendering. Sums are accumulated in double precision. NaN pixels make
 * the result NaN; use {@link ImageChecks#requireFinite} first to get an error instead.
 */
public final class ImageMetrics {

	private ImageMetrics() {}

	/** Mean squared error. */
	public static double mse(final RandomAccessibleInterval<? extends RealType<?>> reference,
			final RandomAccessibleInterval<? extends RealType<?>> test) {
		requireSameSize(reference, test);
		final Cursor<? extends RealType<?>> r = Views.flatIterable(reference).cursor();
		final Cursor<? extends RealType<?>> t = Views.flatIterable(test).cursor();
		double sum = 0;
		long n = 0;
		while (r.hasNext()) {
			final double d = r.next().getRealDouble() - t.next().getRealDouble();
			sum += d * d;
			n++;
		}
		return sum / n;
	}

	/**
	 * Peak signal-to-noise ratio in dB, {@code 10 log10(dataRange² / mse)}; +Infinity for
	 * identical images.
	 *
	 * @param dataRange the range the signal can span, e.g. 255 for 8-bit data or 1 for data in
	 *                  [0, 1]; fixed by the caller so that scores of different images are
	 *                  comparable
	 */
	public static double psnr(final RandomAccessibleInterval<? extends RealType<?>> reference,
			final RandomAccessibleInterval<? extends RealType<?>> test, final double dataRange) {
		if (!(dataRange > 0) || !Double.isFinite(dataRange))
			throw new IllegalArgumentException("PSNR data range must be positive and finite, was "
					+ dataRange);
		final double mse = mse(reference, test);
		return 10 * Math.log10(dataRange * dataRange / mse);
	}

	/**
	 * PSNR with the data range taken as max - min of {@code reference}, as scikit-image does for
	 * float images; convenient when the data have no natural range.
	 *
	 * @throws IllegalArgumentException if the reference is constant (range 0: PSNR undefined)
	 */
	public static double psnr(final RandomAccessibleInterval<? extends RealType<?>> reference,
			final RandomAccessibleInterval<? extends RealType<?>> test) {
		final double range = dataRange(reference);
		if (!(range > 0))
			throw new IllegalArgumentException("PSNR is undefined: the reference image is constant"
					+ " (data range " + range + "); pass the data range explicitly");
		return psnr(reference, test, range);
	}

	/** max - min of the pixel values; NaN if any pixel is NaN. */
	public static double dataRange(final RandomAccessibleInterval<? extends RealType<?>> image) {
		double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
		for (final RealType<?> v : Views.flatIterable(image)) {
			final double d = v.getRealDouble();
			if (Double.isNaN(d)) return Double.NaN;
			if (d < min) min = d;
			if (d > max) max = d;
		}
		return max - min;
	}

	private static void requireSameSize(final RandomAccessibleInterval<?> a,
			final RandomAccessibleInterval<?> b) {
		final long[] da = a.dimensionsAsLongArray(), db = b.dimensionsAsLongArray();
		if (!Arrays.equals(da, db))
			throw new IllegalArgumentException("Images differ in size: reference "
					+ Arrays.toString(da) + ", test " + Arrays.toString(db));
		long n = 1;
		for (final long d : da)
			n *= d;
		if (n == 0) throw new IllegalArgumentException("Images are empty: size " + Arrays.toString(da));
	}
}
