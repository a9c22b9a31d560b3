package sc.fiji.inr.tasks.registration;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import net.imglib2.Cursor;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;
import sc.fiji.inr.image.Axis;
import sc.fiji.inr.image.CalibratedImage;
import sc.fiji.inr.image.PixelType;

/**
 * A 2D or 3D image as registration reads it: one float array per channel (x fastest), the
 * voxel grid's size, spacing and origin (physical position of voxel 0's centre), axis-aligned.
 */
public record Volume(String name, float[][] channels, long[] size, double[] spacing, double[] origin, String unit,
		PixelType pixelType) {

	public Volume {
		final int d = size.length;
		if (d < 2 || d > 3) throw new IllegalArgumentException("Registration takes 2D or 3D images, '" + name + "' has " + d + " spatial axes");
		if (spacing.length != d || origin.length != d) throw new IllegalArgumentException("Spacing/origin must have " + d + " entries");
		long voxels = 1;
		for (final long s : size) voxels *= s;
		for (final float[] c : channels)
			if (c.length != voxels) throw new IllegalArgumentException("Channel of " + c.length + " values for " + voxels + " voxels");
	}

	/**
	 * Reads the spatial axes (x, y and z if present) and the channels of {@code image}. Time
	 * series are refused: register one time point at a time.
	 */
	public static Volume of(final CalibratedImage<?> image) {
		if (image.dimensionOf(Axis.TIME) >= 0 && image.pixels().dimension(image.dimensionOf(Axis.TIME)) > 1)
			throw new IllegalArgumentException("Image '" + image.name() + "' is a time series; register one time point at a time");
		final List<Integer> spatial = new ArrayList<>();
		for (final Axis a : List.of(Axis.X, Axis.Y, Axis.Z)) {
			final int d = image.dimensionOf(a);
			if (d >= 0 && (a != Axis.Z || image.pixels().dimension(d) > 1)) spatial.add(d);
		}
		if (spatial.size() < 2)
			throw new IllegalArgumentException("Image '" + image.name() + "' needs x and y axes to be registered, has " + image.axes());
		final int dims = spatial.size();
		final long[] size = new long[dims];
		final double[] spacing = new double[dims], origin = new double[dims];
		for (int k = 0; k < dims; k++) {
			size[k] = image.pixels().dimension(spatial.get(k));
			spacing[k] = image.spacing()[spatial.get(k)];
			origin[k] = image.origin()[spatial.get(k)];
		}
		long voxels = 1;
		for (final long s : size) voxels *= s;
		if (voxels < 4) throw new IllegalArgumentException("Image '" + image.name() + "' is empty (" + Arrays.toString(size) + ")");
		final int channelDim = image.dimensionOf(Axis.CHANNEL);
		final int channels = image.channels();
		final float[][] data = new float[channels][Math.toIntExact(voxels)];
		final Cursor<? extends RealType<?>> c = Views.flatIterable(image.pixels()).localizingCursor();
		final int n = image.numDimensions();
		final long[] pos = new long[n];
		while (c.hasNext()) {
			final double v = c.next().getRealDouble();
			c.localize(pos);
			long index = 0, stride = 1;
			for (int k = 0; k < dims; k++) {
				index += pos[spatial.get(k)] * stride;
				stride *= size[k];
			}
			if (!Double.isFinite(v))
				throw new IllegalArgumentException("Image '" + image.name() + "' has a non-finite value (" + v + ") at " + Arrays.toString(pos));
			data[channelDim < 0 ? 0 : (int) pos[channelDim]][(int) index] = (float) v;
		}
		final String unit = image.units()[spatial.get(0)];
		return new Volume(image.name(), data, size, spacing, origin, unit, image.pixelType());
	}

	public int dims() {
		return size.length;
	}

	public int voxels() {
		return channels[0].length;
	}

	/** Physical position of the centre of voxel {@code index} (flat, x fastest) into {@code out}. */
	public void position(final long index, final double[] out) {
		long rest = index;
		for (int k = 0; k < size.length; k++) {
			out[k] = origin[k] + (rest % size[k]) * spacing[k];
			rest /= size[k];
		}
	}

	/** Physical centre of the grid. */
	public double[] centre() {
		final double[] c = new double[size.length];
		for (int k = 0; k < c.length; k++) c[k] = origin[k] + (size[k] - 1) * spacing[k] / 2;
		return c;
	}

	/** The same grid with other values (e.g. a mask or a smoothed copy). */
	public Volume withChannels(final float[][] data, final String newName) {
		return new Volume(newName, data, size, spacing, origin, unit, pixelType);
	}

	/**
	 * Samples every channel at physical {@code point}: d-linear or nearest, border values outside.
	 * Returns false (and leaves {@code out}) when the point lies outside the grid by more than half
	 * a voxel, so callers can tell "no data" from a border value.
	 */
	public boolean sample(final double[] point, final boolean nearest, final float[] out) {
		final int d = size.length;
		final long[] lower = new long[d];
		final double[] frac = new double[d];
		boolean inside = true;
		for (int k = 0; k < d; k++) {
			double p = (point[k] - origin[k]) / spacing[k];
			if (p < -0.5 || p > size[k] - 0.5) inside = false;
			p = Math.max(0, Math.min(size[k] - 1, p));
			if (nearest) {
				lower[k] = Math.round(p);
				frac[k] = 0;
			}
			else {
				lower[k] = Math.min((long) Math.floor(p), Math.max(0, size[k] - 2));
				frac[k] = p - lower[k];
			}
		}
		final int corners = nearest ? 1 : 1 << d;
		for (int ch = 0; ch < channels.length; ch++) {
			double v = 0;
			for (int c = 0; c < corners; c++) {
				double w = 1;
				long index = 0, stride = 1;
				for (int k = 0; k < d; k++) {
					final boolean upper = ((c >> k) & 1) == 1;
					w *= upper ? frac[k] : 1 - frac[k];
					index += Math.min(size[k] - 1, lower[k] + (upper ? 1 : 0)) * stride;
					stride *= size[k];
				}
				if (w != 0) v += w * channels[ch][(int) index];
			}
			out[ch] = (float) v;
		}
		return inside;
	}

	/** Separable Gaussian smoothing with standard deviation {@code sigma} in voxels (mirror borders). */
	public Volume smoothed(final double sigma) {
		if (!(sigma > 0)) return this;
		final int radius = (int) Math.ceil(3 * sigma);
		final double[] kernel = new double[2 * radius + 1];
		double sum = 0;
		for (int i = -radius; i <= radius; i++) sum += kernel[i + radius] = Math.exp(-i * i / (2 * sigma * sigma));
		for (int i = 0; i < kernel.length; i++) kernel[i] /= sum;
		final float[][] out = new float[channels.length][];
		for (int ch = 0; ch < channels.length; ch++) {
			float[] a = channels[ch].clone(), b = new float[a.length];
			long stride = 1;
			for (int k = 0; k < size.length; k++) {
				final int n = (int) size[k];
				final long s = stride;
				for (int i = 0; i < a.length; i++) {
					final int pos = (int) (i / s % n);
					double v = 0;
					for (int j = -radius; j <= radius; j++) {
						int q = pos + j;
						while (q < 0 || q >= n) q = q < 0 ? -q - 1 : 2 * n - q - 1; // mirror
						if (n == 1) q = 0;
						v += kernel[j + radius] * a[(int) (i + (q - pos) * s)];
					}
					b[i] = (float) v;
				}
				final float[] t = a;
				a = b;
				b = t;
				stride *= n;
			}
			out[ch] = a;
		}
		return withChannels(out, name);
	}

	/** A float image of {@code data} (one array per channel) on this grid, channels last. */
	public CalibratedImage<FloatType> image(final String title, final float[][] data, final PixelType type) {
		final int d = size.length, c = data.length;
		final long[] dims = Arrays.copyOf(size, c > 1 ? d + 1 : d);
		if (c > 1) dims[d] = c;
		final float[] flat = new float[Math.multiplyExact(voxels(), c)];
		for (int ch = 0; ch < c; ch++) System.arraycopy(data[ch], 0, flat, ch * voxels(), voxels());
		final ArrayImg<FloatType, FloatArray> img = ArrayImgs.floats(flat, dims);
		final List<Axis> axes = new ArrayList<>(List.of(Axis.X, Axis.Y, Axis.Z).subList(0, d));
		final double[] sp = Arrays.copyOf(spacing, dims.length), or = Arrays.copyOf(origin, dims.length);
		final String[] units = new String[dims.length];
		Arrays.fill(units, unit);
		if (c > 1) {
			axes.add(Axis.CHANNEL);
			sp[d] = 1;
			or[d] = 0;
			units[d] = "";
		}
		return new CalibratedImage<>(title, img, axes, sp, or, units, type);
	}
}
