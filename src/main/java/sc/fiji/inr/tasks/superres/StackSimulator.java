package sc.fiji.inr.tasks.superres;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;
import sc.fiji.inr.image.Axis;
import sc.fiji.inr.image.CalibratedImage;
import sc.fiji.inr.image.PixelType;

/**
 * Simulates the acquisition of a thick-slice stack from a high-resolution volume: each stack
 * voxel integrates the volume (trilinearly interpolated) over a slice profile several
 * high-resolution voxels wide, optionally after the patient moved (a rigid motion the stack's
 * header does not know about) and with Gaussian noise. For benchmarks and tests, where the
 * volume is the ground truth; also handy to try the method on one's own data.
 */
public final class StackSimulator {

	/** Quadrature nodes per high-resolution voxel along the slice profile. */
	private static final int NODES_PER_VOXEL = 4;

	private StackSimulator() {}

	/**
	 * @param volume      3D single-channel volume, its calibration taken as world coordinates
	 * @param orientation which world axis the slices are stacked along (and the in-plane axes)
	 * @param factor      slice spacing in high-resolution voxels (≥ 1)
	 * @param profile     slice profile kind
	 * @param widthFactor profile width (box) or FWHM (Gaussian) relative to the slice spacing
	 * @param motion      where the object really was (null = no motion)
	 * @param noise       standard deviation of added Gaussian noise, relative to the volume's data range
	 * @param seed        noise seed
	 * @return the stack (axes X, Y, Z = its own in-plane and slice axes, calibrated) and its nominal geometry
	 */
	public static SuperResolution.Stack simulate(final CalibratedImage<?> volume, final Orientation orientation, final int factor,
			final SliceProfile.Kind profile, final double widthFactor, final RigidMotion motion, final double noise, final long seed) {
		if (volume.numDimensions() != 3 || volume.channels() != 1)
			throw new IllegalArgumentException("Stack simulation needs a 3D single-channel volume, got " + volume.axes());
		if (factor < 1) throw new IllegalArgumentException("Slice factor must be ≥ 1, was " + factor);
		final int[] world = orientation.worldAxes();
		final int[] dims = StackGeometry.spatialDimensions(volume);
		final double[] hrSpacing = new double[3], hrOrigin = new double[3];
		final long[] hrSize = new long[3];
		for (int d = 0; d < 3; d++) {
			hrSpacing[d] = volume.spacing()[dims[d]];
			hrOrigin[d] = volume.origin()[dims[d]];
			hrSize[d] = volume.pixels().dimension(dims[d]);
		}
		final float[] hr = Acquisition.of(volume, StackGeometry.axisAligned(hrSize, hrSpacing, hrOrigin),
				new PointSpreadFunction(List.of(SliceProfile.box(0), SliceProfile.box(0), SliceProfile.box(0)), new int[] { 1, 1, 1 }))
				.values();
		final long[] size = new long[3];
		final double[] spacing = new double[3], origin = new double[3];
		for (int i = 0; i < 3; i++) {
			final int w = world[i];
			final boolean slice = i == 2;
			size[i] = slice ? Math.max(1, hrSize[w] / factor) : hrSize[w];
			spacing[i] = slice ? factor * hrSpacing[w] : hrSpacing[w];
			origin[i] = hrOrigin[w] + (slice ? (factor - 1) / 2.0 * hrSpacing[w] : 0);
		}
		final double[][] m = new double[3][4];
		for (int i = 0; i < 3; i++) {
			m[world[i]][i] = spacing[i];
			m[world[i]][3] = origin[i];
		}
		final StackGeometry nominal = new StackGeometry(size, m);
		final StackGeometry actual = motion == null ? nominal : nominal.moved(motion);
		final SliceProfile slice = new SliceProfile(profile, widthFactor * spacing[2]);
		final int nodes = NODES_PER_VOXEL * factor * (profile == SliceProfile.Kind.GAUSSIAN ? 2 : 1);
		final double[] offsets = new double[nodes];
		for (int k = 0; k < nodes; k++) offsets[k] = slice.offset(k, nodes, 0.5);
		final double[] sliceDir = actual.direction(2);
		if (nominal.voxels() > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("Simulated stack is too large");
		final int sx = (int) size[0], sy = (int) size[1], sz = (int) size[2];
		final float[] out = new float[sx * sy * sz];
		IntStream.range(0, sz).parallel().forEach(k -> {
			final double[] index = new double[3], centre = new double[3];
			for (int j = 0; j < sy; j++)
				for (int i = 0; i < sx; i++) {
					index[0] = i;
					index[1] = j;
					index[2] = k;
					actual.toWorld(index, centre);
					double sum = 0;
					for (final double o : offsets)
						sum += trilinear(hr, hrSize, hrSpacing, hrOrigin, centre[0] + o * sliceDir[0], centre[1] + o * sliceDir[1],
								centre[2] + o * sliceDir[2]);
					out[i + sx * (j + sy * k)] = (float) (sum / nodes);
				}
		});
		if (noise > 0) {
			float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
			for (final float v : hr) {
				lo = Math.min(lo, v);
				hi = Math.max(hi, v);
			}
			final double sigma = noise * (hi - lo);
			final SplittableRandom random = new SplittableRandom(seed);
			for (int i = 0; i < out.length; i += 2) {
				final double u1 = 1 - random.nextDouble(), u2 = random.nextDouble(), r = Math.sqrt(-2 * Math.log(u1));
				out[i] += (float) (sigma * r * Math.cos(2 * Math.PI * u2));
				if (i + 1 < out.length) out[i + 1] += (float) (sigma * r * Math.sin(2 * Math.PI * u2));
			}
		}
		final CalibratedImage<FloatType> image = new CalibratedImage<>(volume.name() + "-" + orientation.name().toLowerCase(),
				ArrayImgs.floats(out, size), List.of(Axis.X, Axis.Y, Axis.Z), spacing, origin, new String[] { "mm", "mm", "mm" },
				PixelType.FLOAT32);
		return new SuperResolution.Stack(image, nominal);
	}

	/** The volume (flat, x fastest) at a world point, trilinear; 0 outside. */
	static double trilinear(final float[] v, final long[] size, final double[] spacing, final double[] origin, final double x,
			final double y, final double z) {
		final double fx = (x - origin[0]) / spacing[0], fy = (y - origin[1]) / spacing[1], fz = (z - origin[2]) / spacing[2];
		if (fx < -0.5 || fy < -0.5 || fz < -0.5 || fx > size[0] - 0.5 || fy > size[1] - 0.5 || fz > size[2] - 0.5) return 0;
		final int nx = (int) size[0], ny = (int) size[1], nz = (int) size[2];
		final double cx = Math.max(0, Math.min(nx - 1, fx)), cy = Math.max(0, Math.min(ny - 1, fy)), cz = Math.max(0, Math.min(nz - 1, fz));
		final int x0 = Math.min(nx - 2 < 0 ? 0 : nx - 2, (int) cx), y0 = Math.min(ny - 2 < 0 ? 0 : ny - 2, (int) cy),
				z0 = Math.min(nz - 2 < 0 ? 0 : nz - 2, (int) cz);
		final int x1 = Math.min(nx - 1, x0 + 1), y1 = Math.min(ny - 1, y0 + 1), z1 = Math.min(nz - 1, z0 + 1);
		final double tx = cx - x0, ty = cy - y0, tz = cz - z0;
		final long sxy = (long) nx * ny;
		double r = 0;
		for (int c = 0; c < 8; c++) {
			final int xi = (c & 1) == 0 ? x0 : x1, yi = (c & 2) == 0 ? y0 : y1, zi = (c & 4) == 0 ? z0 : z1;
			final double w = ((c & 1) == 0 ? 1 - tx : tx) * ((c & 2) == 0 ? 1 - ty : ty) * ((c & 4) == 0 ? 1 - tz : tz);
			if (w != 0) r += w * v[(int) (xi + (long) nx * yi + sxy * zi)];
		}
		return r;
	}
}
