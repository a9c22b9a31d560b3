package sc.fiji.inr.tasks.mri;

import java.util.List;

import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.RealType;
import sc.fiji.inr.image.Axis;
import sc.fiji.inr.image.CalibratedImage;
import sc.fiji.inr.image.PixelType;

/**
 * Between {@link CalibratedImage}s and the flat x-fastest float arrays this package computes on.
 */
final class Planes {

	private Planes() {}

	/** Width (size along X) of a 2D image, after {@link #check2d}. */
	static int width(final CalibratedImage<?> image) {
		return (int) image.pixels().dimension(image.dimensionOf(Axis.X));
	}

	/** Height (size along Y) of a 2D image, after {@link #check2d}. */
	static int height(final CalibratedImage<?> image) {
		return (int) image.pixels().dimension(image.dimensionOf(Axis.Y));
	}

	/**
	 * @param what     how messages call the image ("A k-space image")
	 * @param channels the number of channels it must have
	 * @throws IllegalArgumentException unless the image has X and Y axes, {@code channels}
	 *                                  channels and no Z or time extent, and fits one Java array
	 */
	static void check2d(final CalibratedImage<?> image, final String what, final int channels) {
		if (image.dimensionOf(Axis.X) < 0 || image.dimensionOf(Axis.Y) < 0)
			throw new IllegalArgumentException(what + " needs X and Y axes, but '" + image.name() + "' has "
					+ image.axes());
		for (int d = 0; d < image.numDimensions(); d++) {
			final Axis a = image.axes().get(d);
			if ((a == Axis.Z || a == Axis.TIME) && image.pixels().dimension(d) > 1)
				throw new IllegalArgumentException(what + " must be 2D, but '" + image.name() + "' has "
						+ image.pixels().dimension(d) + " elements along " + a);
		}
		if (image.channels() != channels)
			throw new IllegalArgumentException(what + " must have " + channels + " channel(s), but '"
					+ image.name() + "' has " + image.channels());
		final long w = image.pixels().dimension(image.dimensionOf(Axis.X));
		final long h = image.pixels().dimension(image.dimensionOf(Axis.Y));
		if (w * h > Integer.MAX_VALUE - 8)
			throw new IllegalArgumentException(what + " '" + image.name() + "' is too large: " + w + "×" + h);
	}

	/** Channel {@code channel} of a 2D image (see {@link #check2d}), flat with x fastest. */
	static float[] plane(final CalibratedImage<?> image, final int channel) {
		return plane(image.pixels(), image.axes(), channel);
	}

	private static <T extends RealType<T>> float[] plane(final RandomAccessibleInterval<T> pixels,
			final List<Axis> axes, final int channel) {
		final int dx = axes.indexOf(Axis.X), dy = axes.indexOf(Axis.Y), dc = axes.indexOf(Axis.CHANNEL);
		final int w = (int) pixels.dimension(dx), h = (int) pixels.dimension(dy);
		final long[] pos = pixels.minAsLongArray();
		final long x0 = pos[dx], y0 = pos[dy];
		if (dc >= 0) pos[dc] += channel;
		final RandomAccess<T> ra = pixels.randomAccess();
		ra.setPosition(pos);
		final float[] out = new float[w * h];
		for (int y = 0; y < h; y++) {
			ra.setPosition(y0 + y, dy);
			for (int x = 0; x < w; x++) {
				ra.setPosition(x0 + x, dx);
				out[x + w * y] = ra.get().getRealFloat();
			}
		}
		return out;
	}

	/**
	 * A FLOAT32 image over {@code planes} (copied): axes X, Y and, for more than one plane,
	 * CHANNEL.
	 *
	 * @param origin position of pixel (0, 0) along x and y
	 * @param unit   unit of both spatial axes
	 */
	static CalibratedImage<net.imglib2.type.numeric.real.FloatType> image(final String name, final int width,
			final int height, final double[] origin, final String unit, final float[]... planes) {
		final int n = width * height;
		final float[] data = new float[n * planes.length];
		for (int c = 0; c < planes.length; c++)
			System.arraycopy(planes[c], 0, data, c * n, n);
		if (planes.length == 1)
			return new CalibratedImage<>(name, ArrayImgs.floats(data, width, height), List.of(Axis.X, Axis.Y),
					new double[] { 1, 1 }, origin.clone(), new String[] { unit, unit }, PixelType.FLOAT32);
		return new CalibratedImage<>(name, ArrayImgs.floats(data, width, height, planes.length),
				List.of(Axis.X, Axis.Y, Axis.CHANNEL), new double[] { 1, 1, 1 },
				new double[] { origin[0], origin[1], 0 }, new String[] { unit, unit, "channel" },
				PixelType.FLOAT32);
	}
}
