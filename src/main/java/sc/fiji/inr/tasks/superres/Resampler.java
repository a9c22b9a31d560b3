package sc.fiji.inr.tasks.superres;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;
import sc.fiji.inr.image.Axis;
import sc.fiji.inr.image.CalibratedImage;
import sc.fiji.inr.raster.RenderGrid;

/**
 * The classical baselines of super-resolution: one stack interpolated into a target world grid
 * (nearest, linear, cubic, Lanczos), and the voxel-wise average of several interpolated stacks.
 * <p>
 * Each target voxel centre is mapped through the stack's {@link StackGeometry} to a fractional
 * voxel index; kernel taps beyond the stack's edge take the edge voxel, and points outside the
 * stack's voxel box (index outside [−0.5, size − 0.5] along an axis) get the {@code outside} value.
 * The result is laid out as {@link sc.fiji.inr.raster.FieldRenderer} lays out a rendered field
 * (X, Y, channels if more than one, Z) so the two compare pixel by pixel. Values are unrounded
 * floats, not clamped to the stack's pixel type.
 */
public final class Resampler {

	/** Tolerance, in voxels, of the field-of-view test, so that points on the box's faces count as inside. */
	private static final double EDGE = 1e-9;

	private Resampler() {}

	/** One stack interpolated into {@code target}; {@code outside} where the stack does not reach. */
	public static CalibratedImage<FloatType> resample(final CalibratedImage<?> stack, final StackGeometry geometry,
			final RenderGrid target, final Interpolation method, final double outside) {
		return average(List.of(stack), List.of(geometry), target, method, outside);
	}

	/**
	 * The mean, voxel by voxel, of the stacks that cover each target voxel (each interpolated as
	 * in {@link #resample}); {@code outside} where none does. Named and typed after the first stack.
	 */
	public static CalibratedImage<FloatType> average(final List<? extends CalibratedImage<?>> stacks,
			final List<StackGeometry> geometries, final RenderGrid target, final Interpolation method, final double outside) {
		if (stacks.isEmpty()) throw new IllegalArgumentException("No stacks to resample");
		if (stacks.size() != geometries.size())
			throw new IllegalArgumentException(stacks.size() + " stacks but " + geometries.size() + " geometries");
		if (stacks.size() > Short.MAX_VALUE) throw new IllegalArgumentException("Too many stacks: " + stacks.size());
		final CalibratedImage<?> first = stacks.get(0);
		final int channels = first.channels();
		for (final CalibratedImage<?> s : stacks)
			if (s.channels() != channels)
				throw new IllegalArgumentException("Stacks differ in channels: '" + first.name() + "' has " + channels + ", '"
						+ s.name() + "' has " + s.channels());
		final long voxels = target.pixels();
		if (voxels * channels > Integer.MAX_VALUE - 8)
			throw new IllegalArgumentException("Target grid " + Arrays.toString(target.size()) + " × " + channels
					+ " channels exceeds 2^31 values");
		final float[] sum = new float[(int) (voxels * channels)];
		final short[] count = new short[(int) voxels];
		for (int i = 0; i < stacks.size(); i++)
			accumulate(voxelData(stacks.get(i), geometries.get(i)), geometries.get(i), target, method, sum, count);
		final int perZ = (int) (target.size()[0] * target.size()[1]);
		for (int v = 0; v < count.length; v++) {
			final int base = v % perZ + v / perZ * perZ * channels;
			for (int c = 0; c < channels; c++) {
				final int at = base + c * perZ;
				sum[at] = count[v] == 0 ? (float) outside : sum[at] / count[v];
			}
		}
		return toImage(first, target, sum, channels);
	}

	/** A stack's voxels per channel, x fastest over its X, Y(, Z) axes, with the geometry checked against it. */
	private static float[][] voxelData(final CalibratedImage<?> stack, final StackGeometry geometry) {
		final int[] dims = StackGeometry.spatialDimensions(stack);
		final RandomAccessibleInterval<? extends RealType<?>> pixels = stack.pixels();
		final long[] size = new long[dims.length];
		for (int d = 0; d < dims.length; d++) size[d] = pixels.dimension(dims[d]);
		if (!Arrays.equals(size, geometry.size()))
			throw new IllegalArgumentException("Stack '" + stack.name() + "' has size " + Arrays.toString(size)
					+ " but its geometry has size " + Arrays.toString(geometry.size()));
		final long total = geometry.voxels();
		if (total > Integer.MAX_VALUE - 8)
			throw new IllegalArgumentException("Stack '" + stack.name() + "' has over 2^31 voxels per channel");
		final int channelDim = stack.dimensionOf(Axis.CHANNEL);
		final int x = dims[0], y = dims[1], z = dims.length > 2 ? dims[2] : -1;
		final long nx = size[0], ny = size[1], nz = z < 0 ? 1 : size[2];
		final float[][] data = new float[stack.channels()][(int) total];
		final RandomAccess<? extends RealType<?>> ra = pixels.randomAccess();
		for (int c = 0; c < data.length; c++) {
			int i = 0;
			for (long k = 0; k < nz; k++)
				for (long j = 0; j < ny; j++) {
					if (channelDim >= 0) ra.setPosition(pixels.min(channelDim) + c, channelDim);
					if (z >= 0) ra.setPosition(pixels.min(z) + k, z);
					ra.setPosition(pixels.min(y) + j, y);
					ra.setPosition(pixels.min(x), x);
					for (long l = 0; l < nx; l++, ra.fwd(x)) data[c][i++] = ra.get().getRealFloat();
				}
		}
		return data;
	}

	/** Adds the stack's interpolated values to {@code sum} and counts the covered voxels, in parallel over target rows. */
	private static void accumulate(final float[][] data, final StackGeometry geometry, final RenderGrid target,
			final Interpolation method, final float[] sum, final short[] count) {
		final int n = geometry.numDimensions();
		if (target.numDimensions() != n)
			throw new IllegalArgumentException("Target grid has " + target.numDimensions() + " axes but the stack has " + n);
		final double[][] inv = geometry.inverse();
		final long[] size = geometry.size(), tsize = target.size();
		final double[] origin = target.origin(), spacing = target.spacing();
		final int nx = (int) size[0], ny = (int) size[1], nz = n > 2 ? (int) size[2] : 1;
		final int tx = (int) tsize[0], ty = (int) tsize[1], tz = n > 2 ? (int) tsize[2] : 1;
		final int channels = data.length, taps = method.taps(), tapsZ = n > 2 ? taps : 1;
		IntStream.range(0, ty * tz).parallel().forEach(row -> {
			final int y = row % ty, z = row / ty;
			final double[] world = new double[n], f = new double[n];
			final double[] wx = new double[taps], wy = new double[taps], wz = n > 2 ? new double[taps] : new double[] { 1 };
			final int[] ox = new int[taps], oy = new int[taps], oz = new int[tapsZ];
			world[1] = origin[1] + y * spacing[1];
			if (n > 2) world[2] = origin[2] + z * spacing[2];
			voxel: for (int x = 0; x < tx; x++) {
				world[0] = origin[0] + x * spacing[0];
				for (int r = 0; r < n; r++) {
					double v = inv[r][n];
					for (int c = 0; c < n; c++) v += inv[r][c] * world[c];
					if (v < -0.5 - EDGE || v > size[r] - 0.5 + EDGE) continue voxel;
					f[r] = v;
				}
				taps(method, f[0], nx, 1, wx, ox);
				taps(method, f[1], ny, nx, wy, oy);
				if (n > 2) taps(method, f[2], nz, nx * ny, wz, oz);
				final int at = x + tx * y;
				count[at + tx * ty * z]++;
				for (int c = 0; c < channels; c++) {
					final float[] d = data[c];
					double value = 0;
					for (int k = 0; k < tapsZ; k++) {
						if (wz[k] == 0) continue;
						double plane = 0;
						for (int j = 0; j < taps; j++) {
							if (wy[j] == 0) continue;
							double line = 0;
							for (int i = 0; i < taps; i++) line += wx[i] * d[ox[i] + oy[j] + oz[k]];
							plane += wy[j] * line;
						}
						value += wz[k] * plane;
					}
					sum[at + tx * ty * (c + channels * z)] += (float) value;
				}
			}
		});
	}

	/** Weights and flat offsets (index clamped to [0, size), times stride) of the taps at fractional index f. */
	private static void taps(final Interpolation method, final double f, final int size, final int stride, final double[] w,
			final int[] offset) {
		final long first = method.weights(f, w);
		for (int k = 0; k < w.length; k++) offset[k] = (int) Math.min(Math.max(first + k, 0), size - 1) * stride;
	}

	/** The FieldRenderer layout: X, Y, CHANNEL (when more than one), Z; calibration from the grid. */
	private static CalibratedImage<FloatType> toImage(final CalibratedImage<?> stack, final RenderGrid grid, final float[] data,
			final int channels) {
		final int n = grid.numDimensions(), channelSlot = Math.min(2, n);
		final String unit = stack.units()[stack.dimensionOf(Axis.X)];
		final List<Axis> axes = new ArrayList<>();
		final List<Long> dims = new ArrayList<>();
		final List<Double> spacing = new ArrayList<>(), origin = new ArrayList<>();
		final List<String> units = new ArrayList<>();
		for (int d = 0; d <= n; d++) {
			if (d == channelSlot && channels > 1) {
				axes.add(Axis.CHANNEL);
				dims.add((long) channels);
				spacing.add(1.0);
				origin.add(0.0);
				units.add("");
			}
			if (d == n) break;
			axes.add(List.of(Axis.X, Axis.Y, Axis.Z).get(d));
			dims.add(grid.size()[d]);
			spacing.add(grid.spacing()[d]);
			origin.add(grid.origin()[d]);
			units.add(unit);
		}
		return new CalibratedImage<>(stack.name(), ArrayImgs.floats(data, dims.stream().mapToLong(Long::longValue).toArray()),
				axes, spacing.stream().mapToDouble(Double::doubleValue).toArray(),
				origin.stream().mapToDouble(Double::doubleValue).toArray(), units.toArray(String[]::new), stack.pixelType());
	}
}
