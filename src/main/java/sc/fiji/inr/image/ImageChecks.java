package sc.fiji.inr.image;

import java.util.Locale;

import net.imglib2.Cursor;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

/**
 * Preconditions on input images, checked before a fit starts: a NaN pixel or an image of a
 * single pixel would otherwise surface minutes later as a NaN loss or a degenerate coordinate
 * normalisation, far from its cause. Messages name the image and the offending position so the
 * user can find it.
 */
public final class ImageChecks {

	private ImageChecks() {}

	/**
	 * @throws IllegalArgumentException naming the first (in x-fastest order) NaN or infinite
	 *                                  pixel and its position along each axis
	 */
	public static void requireFinite(final CalibratedImage<?> img) {
		final Cursor<? extends RealType<?>> c = Views.flatIterable(img.pixels()).localizingCursor();
		final long[] min = img.pixels().minAsLongArray();
		while (c.hasNext()) {
			final double v = c.next().getRealDouble();
			if (!Double.isFinite(v)) {
				final StringBuilder pos = new StringBuilder();
				for (int d = 0; d < img.numDimensions(); d++) {
					if (d > 0) pos.append(", ");
					pos.append(img.axes().get(d).name().toLowerCase(Locale.ROOT)).append('=')
							.append(c.getLongPosition(d) - min[d]);
				}
				throw new IllegalArgumentException("Image '" + img.name() + "' has "
						+ (Double.isNaN(v) ? "NaN" : v > 0 ? "+Infinity" : "-Infinity") + " at (" + pos
						+ "); fitting needs finite pixel values");
			}
		}
	}

	/**
	 * @throws IllegalArgumentException if a dimension has size 0 or the image has fewer than two
	 *                                  pixels in total
	 */
	public static void requireNonEmpty(final CalibratedImage<?> img) {
		long total = 1;
		for (int d = 0; d < img.numDimensions(); d++) {
			final long size = img.pixels().dimension(d);
			if (size <= 0)
				throw new IllegalArgumentException("Image '" + img.name() + "' is empty: size " + size
						+ " along " + img.axes().get(d));
			total *= size;
		}
		if (total < 2)
			throw new IllegalArgumentException("Image '" + img.name() + "' has only " + total
					+ " pixel(s); at least 2 are needed");
	}
}
