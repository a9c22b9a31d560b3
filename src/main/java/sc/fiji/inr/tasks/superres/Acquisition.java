package sc.fiji.inr.tasks.superres;

import net.imglib2.Cursor;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;
import sc.fiji.inr.image.Axis;
import sc.fiji.inr.image.CalibratedImage;

/**
 * One acquired stack as the super-resolution forward model sees it: its voxel values, where the
 * voxels sit in the world, and how each voxel integrates the object.
 *
 * @param name     the stack's name (for messages and reports)
 * @param values   voxel values in index order (first index axis fastest), channels interleaved
 * @param channels values per voxel
 * @param geometry voxel index → world
 * @param psf      each voxel's point-spread function along its index axes
 */
public record Acquisition(String name, float[] values, int channels, StackGeometry geometry, PointSpreadFunction psf) {

	public Acquisition {
		if (channels < 1) throw new IllegalArgumentException("Stack '" + name + "' needs at least one channel");
		if (values.length != geometry.voxels() * channels)
			throw new IllegalArgumentException("Stack '" + name + "' has " + values.length + " values but its geometry "
					+ java.util.Arrays.toString(geometry.size()) + " × " + channels + " channels needs " + geometry.voxels() * channels);
		if (psf.numDimensions() != geometry.numDimensions())
			throw new IllegalArgumentException("Stack '" + name + "': PSF has " + psf.numDimensions() + " axes, geometry "
					+ geometry.numDimensions());
	}

	/**
	 * The voxel values of {@code image} (axes X, Y[, Z][, CHANNEL]) in the index order of a
	 * geometry over its X, Y, Z axes; refuses NaN and infinite values, naming where they are.
	 */
	public static <T extends RealType<T>> Acquisition of(final CalibratedImage<T> image, final StackGeometry geometry,
			final PointSpreadFunction psf) {
		final int[] dims = StackGeometry.spatialDimensions(image);
		final long[] size = geometry.size();
		if (dims.length != size.length)
			throw new IllegalArgumentException("Image '" + image.name() + "' has " + dims.length + " spatial axes but its geometry "
					+ size.length);
		for (int i = 0; i < dims.length; i++)
			if (image.pixels().dimension(dims[i]) != size[i])
				throw new IllegalArgumentException("Image '" + image.name() + "' has size " + image.pixels().dimension(dims[i])
						+ " along " + image.axes().get(dims[i]) + " but its geometry says " + size[i]);
		final int channels = image.channels(), channelDim = image.dimensionOf(Axis.CHANNEL);
		final long total = geometry.voxels() * channels;
		if (total > Integer.MAX_VALUE - 8)
			throw new IllegalArgumentException("Stack '" + image.name() + "' has " + total + " values; at most 2^31 fit in memory");
		final float[] values = new float[(int) total];
		final Cursor<T> cursor = Views.flatIterable(image.pixels()).localizingCursor();
		final long min0 = image.pixels().min(0);
		while (cursor.hasNext()) {
			final double v = cursor.next().getRealDouble();
			long p = 0, stride = 1;
			for (int i = 0; i < dims.length; i++) {
				p += (cursor.getLongPosition(dims[i]) - image.pixels().min(dims[i])) * stride;
				stride *= size[i];
			}
			if (!Double.isFinite(v)) {
				final StringBuilder at = new StringBuilder();
				for (int d = 0; d < image.numDimensions(); d++)
					at.append(d == 0 ? "" : ", ").append(image.axes().get(d).name().toLowerCase()).append('=')
							.append(cursor.getLongPosition(d) - (d == 0 ? min0 : image.pixels().min(d)));
				throw new IllegalArgumentException("Image '" + image.name() + "' contains " + v + " at (" + at
						+ "); replace NaN/infinite values first");
			}
			final int c = channelDim < 0 ? 0 : (int) (cursor.getLongPosition(channelDim) - image.pixels().min(channelDim));
			values[(int) (p * channels + c)] = (float) v;
		}
		return new Acquisition(image.name(), values, channels, geometry, psf);
	}

	/** Smallest and largest value of each channel: {min[], max[]}. */
	public double[][] range() {
		final double[] min = new double[channels], max = new double[channels];
		java.util.Arrays.fill(min, Double.POSITIVE_INFINITY);
		java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
		for (int i = 0; i < values.length; i++) {
			final int c = i % channels;
			min[c] = Math.min(min[c], values[i]);
			max[c] = Math.max(max[c], values[i]);
		}
		return new double[][] { min, max };
	}
}
