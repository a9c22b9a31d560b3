package sc.fiji.inr.image;

import java.util.Arrays;
import java.util.List;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;

/**
 * An n-dimensional image with the meaning and physical calibration of each axis: our small
 * stand-in for ImageJ2's {@code ImgPlus}, which is not on Maven Central.
 * <p>
 * Dimension {@code d} of {@link #pixels()} has meaning {@code axes.get(d)}, pixel spacing
 * {@code spacing[d]} and origin {@code origin[d]} (physical position of the centre of pixel 0),
 * both in {@code units[d]}. For the channel axis spacing is 1 and origin 0.
 *
 * @param name       image title (file name without extension, or the ImagePlus title)
 * @param pixels     pixel data, zero-min interval
 * @param axes       one distinct axis per dimension
 * @param spacing    pixel size per dimension, positive and finite
 * @param origin     physical position of the first pixel's centre per dimension
 * @param units      unit name per dimension (e.g. "mm", "µm", "s", "pixel")
 * @param pixelType  the storage type the image came with, so results can be written back alike
 */
public record CalibratedImage<T extends RealType<T>>(String name, RandomAccessibleInterval<T> pixels,
		List<Axis> axes, double[] spacing, double[] origin, String[] units, PixelType pixelType) {

	public CalibratedImage {
		final int n = pixels.numDimensions();
		if (axes.size() != n || spacing.length != n || origin.length != n || units.length != n)
			throw new IllegalArgumentException("Image '" + name + "' has " + n
					+ " dimensions but axes/spacing/origin/units of length " + axes.size() + "/"
					+ spacing.length + "/" + origin.length + "/" + units.length);
		if (axes.stream().distinct().count() != n)
			throw new IllegalArgumentException("Image '" + name + "' has repeated axes " + axes);
		for (int d = 0; d < n; d++) {
			if (!(spacing[d] > 0) || !Double.isFinite(spacing[d]))
				throw new IllegalArgumentException("Image '" + name + "': pixel size along "
						+ axes.get(d) + " must be positive and finite, was " + spacing[d]);
			if (!Double.isFinite(origin[d]))
				throw new IllegalArgumentException("Image '" + name + "': origin along "
						+ axes.get(d) + " is not finite");
		}
		axes = List.copyOf(axes);
		spacing = spacing.clone();
		origin = origin.clone();
		units = units.clone();
	}

	public int numDimensions() {
		return pixels.numDimensions();
	}

	/** Dimension index of {@code axis}, or -1 when the image has no such axis. */
	public int dimensionOf(final Axis axis) {
		return axes.indexOf(axis);
	}

	/** Number of channels: the size of the channel axis, or 1 when there is none. */
	public int channels() {
		final int c = dimensionOf(Axis.CHANNEL);
		return c < 0 ? 1 : (int) pixels.dimension(c);
	}

	@Override
	public double[] spacing() {
		return spacing.clone();
	}

	@Override
	public double[] origin() {
		return origin.clone();
	}

	@Override
	public String[] units() {
		return units.clone();
	}

	@Override
	public String toString() {
		return "CalibratedImage[" + name + ", axes=" + axes + ", size="
				+ Arrays.toString(pixels.dimensionsAsLongArray()) + ", spacing="
				+ Arrays.toString(spacing) + ", type=" + pixelType + "]";
	}
}
