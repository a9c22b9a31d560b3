package sc.fiji.inr.tasks.fitimage;

import java.util.ArrayList;
import java.util.List;

import net.imglib2.Cursor;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;
import sc.fiji.inr.field.CoordinateFrame;
import sc.fiji.inr.image.Axis;
import sc.fiji.inr.image.CalibratedImage;

/**
 * An image flattened for fitting: values [pixels × channels] in pixel order (first coordinate
 * axis fastest), plus the frame that locates each pixel centre. Pixel coordinates are computed
 * from the flat index on demand instead of being stored, since a 256³ volume's coordinates
 * alone would take 200 MB.
 */
final class PixelTable {

	final CoordinateFrame frame;
	final int channels;
	final long pixels;
	final float[] values;
	final double[] min, max;
	private final int[] size;
	private final float[][] axisCoord;

	private PixelTable(final CoordinateFrame frame, final int channels, final float[] values, final double[] min,
			final double[] max) {
		this.frame = frame;
		this.channels = channels;
		this.values = values;
		this.min = min;
		this.max = max;
		final int dims = frame.numDimensions();
		size = new int[dims];
		axisCoord = new float[dims][];
		long p = 1;
		for (int d = 0; d < dims; d++) {
			size[d] = (int) frame.size()[d];
			p *= size[d];
			axisCoord[d] = new float[size[d]];
			for (int i = 0; i < size[d]; i++) axisCoord[d][i] = (float) frame.normalisedPixelCentre(d, i);
		}
		pixels = p;
	}

	static <T extends RealType<T>> PixelTable of(final CalibratedImage<T> image) {
		final List<Axis> coordinateAxes = new ArrayList<>();
		final List<Integer> coordinateDims = new ArrayList<>();
		for (int d = 0; d < image.numDimensions(); d++)
			if (image.axes().get(d).isCoordinate()) {
				coordinateAxes.add(image.axes().get(d));
				coordinateDims.add(d);
			}
		final int dims = coordinateAxes.size();
		if (dims < 1 || dims > 4)
			throw new IllegalArgumentException("Image '" + image.name() + "' has " + dims + " coordinate axes; 1 to 4 are supported");
		final String[] units = new String[dims];
		final double[] origin = new double[dims], spacing = new double[dims];
		final long[] size = new long[dims];
		for (int i = 0; i < dims; i++) {
			final int d = coordinateDims.get(i);
			units[i] = image.units()[d];
			origin[i] = image.origin()[d];
			spacing[i] = image.spacing()[d];
			size[i] = image.pixels().dimension(d);
		}
		final CoordinateFrame frame = new CoordinateFrame(coordinateAxes, units, origin, spacing, size);
		final int channels = image.channels();
		final int channelDim = image.dimensionOf(Axis.CHANNEL);
		long total = (long) channels;
		for (final long s : size) total *= s;
		if (total > Integer.MAX_VALUE - 8)
			throw new IllegalArgumentException("Image '" + image.name() + "' has " + total
					+ " values; fitting holds at most 2^31 values in memory (use a region or fewer channels)");
		final float[] values = new float[(int) total];
		final double[] min = new double[channels], max = new double[channels];
		java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
		java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
		final Cursor<T> cursor = Views.flatIterable(image.pixels()).localizingCursor();
		final long[] stride = new long[dims];
		long s = 1;
		for (int i = 0; i < dims; i++) {
			stride[i] = s;
			s *= size[i];
		}
		while (cursor.hasNext()) {
			final double v = cursor.next().getRealDouble();
			if (!Double.isFinite(v)) {
				final StringBuilder at = new StringBuilder();
				for (int d = 0; d < image.numDimensions(); d++)
					at.append(d == 0 ? "" : ", ").append(image.axes().get(d).name().toLowerCase()).append('=').append(cursor.getLongPosition(d));
				throw new IllegalArgumentException("Image '" + image.name() + "' contains " + v + " at (" + at
						+ "); replace NaN/infinite values before fitting");
			}
			long p = 0;
			for (int i = 0; i < dims; i++) p += cursor.getLongPosition(coordinateDims.get(i)) * stride[i];
			final int c = channelDim < 0 ? 0 : cursor.getIntPosition(channelDim);
			values[(int) (p * channels + c)] = (float) v;
			if (v < min[c]) min[c] = v;
			if (v > max[c]) max[c] = v;
		}
		return new PixelTable(frame, channels, values, min, max);
	}

	/** Writes the normalised coordinates of flat pixel {@code p} to {@code out[offset …]}. */
	void coordinates(final long p, final float[] out, final int offset) {
		long rest = p;
		for (int d = 0; d < size.length; d++) {
			final int i = (int) (rest % size[d]);
			rest /= size[d];
			out[offset + d] = axisCoord[d][i];
		}
	}

	int dims() {
		return size.length;
	}
}
