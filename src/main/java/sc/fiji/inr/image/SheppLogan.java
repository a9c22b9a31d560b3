package sc.fiji.inr.image;

import java.util.List;

import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.img.planar.PlanarImgs;
import net.imglib2.type.numeric.real.FloatType;

/**
 * Shepp–Logan head phantoms: synthetic images with exactly known content, so tests and demos of
 * fitting and reconstruction need no data files and can check results against ground truth.
 * <p>
 * Both use the "modified" intensities of Toft (1996), which give more contrast than the original
 * Shepp &amp; Logan (1974) ones and lie in [0, 1]: background 0, skull 1, brain 0.2, ventricles
 * 0, small features 0.3. The field of view is [-1, 1] along every axis, sampled at pixel centres
 * {@code -1 + 2i/(size-1)}, as MATLAB's {@code phantom}. The y axis points up (row 0 is y = +1),
 * so the phantom appears in ImageJ as in the literature, with the three small ellipses at the
 * bottom.
 */
public final class SheppLogan {

	/** Toft's modified Shepp–Logan ellipses: A, a, b, x0, y0, phi (degrees). */
	private static final double[][] ELLIPSES = { //
		{ 1, .69, .92, 0, 0, 0 }, //
		{ -.8, .6624, .8740, 0, -.0184, 0 }, //
		{ -.2, .1100, .3100, .22, 0, -18 }, //
		{ -.2, .1600, .4100, -.22, 0, 18 }, //
		{ .1, .2100, .2500, 0, .35, 0 }, //
		{ .1, .0460, .0460, 0, .1, 0 }, //
		{ .1, .0460, .0460, 0, -.1, 0 }, //
		{ .1, .0460, .0230, -.08, -.605, 0 }, //
		{ .1, .0230, .0230, 0, -.606, 0 }, //
		{ .1, .0230, .0460, .06, -.605, 0 } };

	/**
	 * Schabel's 3D extension ({@code phantom3d.m}, after Kak &amp; Slaney) with Toft's
	 * intensities: A, a, b, c, x0, y0, z0, phi, theta, psi (degrees).
	 */
	private static final double[][] ELLIPSOIDS = { //
		{ 1, .6900, .920, .810, 0, 0, 0, 0, 0, 0 }, //
		{ -.8, .6624, .874, .780, 0, -.0184, 0, 0, 0, 0 }, //
		{ -.2, .1100, .310, .220, .22, 0, 0, -18, 0, 10 }, //
		{ -.2, .1600, .410, .280, -.22, 0, 0, 18, 0, 10 }, //
		{ .1, .2100, .250, .410, 0, .35, -.15, 0, 0, 0 }, //
		{ .1, .0460, .046, .050, 0, .1, .25, 0, 0, 0 }, //
		{ .1, .0460, .046, .050, 0, -.1, .25, 0, 0, 0 }, //
		{ .1, .0460, .023, .050, -.08, -.605, 0, 0, 0, 0 }, //
		{ .1, .0230, .023, .020, 0, -.606, 0, 0, 0, 0 }, //
		{ .1, .0230, .046, .020, .06, -.605, 0, 0, 0, 0 } };

	private SheppLogan() {}

	/** The modified Shepp–Logan phantom of Toft on a {@code size x size} grid. */
	public static CalibratedImage<FloatType> phantom2d(final int size) {
		requireSize(size);
		final ArrayImg<FloatType, FloatArray> img = ArrayImgs.floats(size, size);
		final float[] data = img.update(null).getCurrentStorageArray();
		final double[] sum = new double[size * size];
		for (final double[] e : ELLIPSES) {
			final double a2 = e[1] * e[1], b2 = e[2] * e[2];
			final double phi = Math.toRadians(e[5]), cos = Math.cos(phi), sin = Math.sin(phi);
			for (int j = 0; j < size; j++) {
				final double y = -coordinate(j, size) - e[4];
				for (int i = 0; i < size; i++) {
					final double x = coordinate(i, size) - e[3];
					final double u = x * cos + y * sin, v = y * cos - x * sin;
					if (u * u / a2 + v * v / b2 <= 1) sum[j * size + i] += e[0];
				}
			}
		}
		for (int k = 0; k < sum.length; k++)
			data[k] = clamp01(sum[k]);
		return new CalibratedImage<>("Shepp-Logan " + size + "x" + size, img, List.of(Axis.X, Axis.Y),
				new double[] { 1, 1 }, new double[2], new String[] { "pixel", "pixel" },
				PixelType.FLOAT32);
	}

	/**
	 * The 3D modified Shepp–Logan phantom on a {@code size³} grid, voxel for voxel as Schabel's
	 * {@code phantom3d} (including its convention of rotating coordinates about the origin before
	 * subtracting an ellipsoid's centre), except that y points up as in {@link #phantom2d}, i.e.
	 * rows are in reverse order to MATLAB's output.
	 */
	public static CalibratedImage<FloatType> phantom3d(final int size) {
		requireSize(size);
		final PlanarImg<FloatType, FloatArray> img = PlanarImgs.floats(size, size, size);
		final double[] sum = new double[size * size];
		for (int k = 0; k < size; k++) {
			final double z = coordinate(k, size);
			java.util.Arrays.fill(sum, 0);
			for (final double[] e : ELLIPSOIDS) {
				final double[][] r = euler(Math.toRadians(e[7]), Math.toRadians(e[8]),
						Math.toRadians(e[9]));
				final double a2 = e[1] * e[1], b2 = e[2] * e[2], c2 = e[3] * e[3];
				for (int j = 0; j < size; j++) {
					final double y = -coordinate(j, size);
					for (int i = 0; i < size; i++) {
						final double x = coordinate(i, size);
						final double u = r[0][0] * x + r[0][1] * y + r[0][2] * z - e[4];
						final double v = r[1][0] * x + r[1][1] * y + r[1][2] * z - e[5];
						final double w = r[2][0] * x + r[2][1] * y + r[2][2] * z - e[6];
						if (u * u / a2 + v * v / b2 + w * w / c2 <= 1) sum[j * size + i] += e[0];
					}
				}
			}
			final float[] plane = img.getPlane(k).getCurrentStorageArray();
			for (int p = 0; p < sum.length; p++)
				plane[p] = clamp01(sum[p]);
		}
		return new CalibratedImage<>("Shepp-Logan " + size + "x" + size + "x" + size, img,
				List.of(Axis.X, Axis.Y, Axis.Z), new double[] { 1, 1, 1 }, new double[3],
				new String[] { "pixel", "pixel", "pixel" }, PixelType.FLOAT32);
	}

	/** The phantom's continuous coordinate of pixel {@code i}: -1 at the first, +1 at the last. */
	private static double coordinate(final int i, final int size) {
		return (i - (size - 1) / 2.0) / ((size - 1) / 2.0);
	}

	/** Schabel's Euler rotation matrix (z-x-z convention). */
	private static double[][] euler(final double phi, final double theta, final double psi) {
		final double cphi = Math.cos(phi), sphi = Math.sin(phi);
		final double ctheta = Math.cos(theta), stheta = Math.sin(theta);
		final double cpsi = Math.cos(psi), spsi = Math.sin(psi);
		return new double[][] {
			{ cpsi * cphi - ctheta * sphi * spsi, cpsi * sphi + ctheta * cphi * spsi, spsi * stheta },
			{ -spsi * cphi - ctheta * sphi * cpsi, -spsi * sphi + ctheta * cphi * cpsi, cpsi * stheta },
			{ stheta * sphi, -stheta * cphi, ctheta } };
	}

	/** Sums like 1 - 0.8 - 0.2 leave ±1e-16 of rounding error; keep the documented [0, 1]. */
	private static float clamp01(final double v) {
		return (float) Math.max(0, Math.min(1, v));
	}

	/** A plane must fit one Java array. */
	private static void requireSize(final int size) {
		if (size < 2 || size > 46340)
			throw new IllegalArgumentException("Phantom size must be in 2..46340, was " + size);
	}

}
