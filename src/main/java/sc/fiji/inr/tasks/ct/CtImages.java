package sc.fiji.inr.tasks.ct;

import java.util.List;

import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;
import sc.fiji.inr.image.Axis;
import sc.fiji.inr.image.CalibratedImage;
import sc.fiji.inr.image.PixelType;

/**
 * Between calibrated images (what the Fiji commands and the CLI read and write) and the flat
 * arrays and grids of this package: an image or a sinogram is 2D, or a stack of 2D slices
 * (axis Z), with no channels or time points.
 */
public final class CtImages {

	/** Unit of the view axis of a sinogram with uniformly spaced angles. */
	public static final String DEGREES = "degree";

	private CtImages() {}

	/** Pixel values, index x + W·(y + H·slice). */
	public static float[] pixels(final CalibratedImage<?> image, final String what) {
		check(image, what);
		return flat(image);
	}

	private static <T extends RealType<T>> float[] flat(final CalibratedImage<T> image) {
		final long n = image.pixels().size();
		final float[] out = new float[(int) n];
		int i = 0;
		for (final T v : Views.flatIterable(image.pixels())) out[i++] = v.getRealFloat();
		return out;
	}

	/**
	 * The grid an image lies on for simulation: its size and square pixel size, centred on the
	 * isocentre whatever its origin; slices keep their spacing.
	 */
	public static CtReconstruction.Grid grid(final CalibratedImage<?> image) {
		check(image, "A CT image");
		final int x = image.dimensionOf(Axis.X), y = image.dimensionOf(Axis.Y), z = image.dimensionOf(Axis.Z);
		final double px = image.spacing()[x], py = image.spacing()[y];
		if (Math.abs(px - py) > 1e-6 * Math.max(px, py))
			throw new IllegalArgumentException("CT needs square pixels, but '" + image.name() + "' has " + px + " × " + py);
		return new CtReconstruction.Grid((int) image.pixels().dimension(x), (int) image.pixels().dimension(y), px,
				z < 0 ? 1 : (int) image.pixels().dimension(z), z < 0 ? 1 : image.spacing()[z], image.units()[x]);
	}

	/**
	 * The square reconstruction grid of {@code size} pixels of {@code pixelSize}, where 0 means
	 * automatic: both 0 is {@link CtReconstruction.Grid#defaultFor}; one of them given, the other
	 * is chosen to cover the same field of view (rounded up to whole pixels).
	 */
	public static CtReconstruction.Grid reconstructionGrid(final CtGeometry g, final int size, final double pixelSize, final int slices,
			final double sliceSpacing, final String unit) {
		if (size < 0) throw new IllegalArgumentException("Output size must not be negative (0 = automatic), was " + size);
		if (!(pixelSize >= 0) || !Double.isFinite(pixelSize))
			throw new IllegalArgumentException("Pixel size must not be negative (0 = automatic), was " + pixelSize);
		final CtReconstruction.Grid auto = CtReconstruction.Grid.defaultFor(g, slices, sliceSpacing, unit);
		if (size == 0 && pixelSize == 0) return auto;
		final double fov = auto.width() * auto.pixelSize();
		final int n = size > 0 ? size : (int) Math.min(1 << 15, Math.max(1, Math.ceil(fov / pixelSize - 1e-9)));
		final double p = pixelSize > 0 ? pixelSize : fov / size;
		return new CtReconstruction.Grid(n, n, p, slices, sliceSpacing, unit);
	}

	/** Sinogram width (detector elements). */
	public static int width(final CalibratedImage<?> image) {
		return (int) image.pixels().dimension(image.dimensionOf(Axis.X));
	}

	/** Sinogram height (views). */
	public static int height(final CalibratedImage<?> image) {
		return (int) image.pixels().dimension(image.dimensionOf(Axis.Y));
	}

	/** Number of slices (1 for a 2D image). */
	public static int slices(final CalibratedImage<?> image) {
		final int z = image.dimensionOf(Axis.Z);
		return z < 0 ? 1 : (int) image.pixels().dimension(z);
	}

	/** Spacing of the slices (1 for a 2D image). */
	public static double sliceSpacing(final CalibratedImage<?> image) {
		final int z = image.dimensionOf(Axis.Z);
		return z < 0 ? 1 : image.spacing()[z];
	}

	/**
	 * A sinogram as an image: x the detector (element i at its coordinate u_i, in {@code unit}),
	 * y the views (in degrees from the first angle when the angles are uniformly spaced, else in
	 * view numbers), z the slices of the simulated stack.
	 */
	public static CalibratedImage<FloatType> sinogram(final float[] sinogram, final CtGeometry g, final int slices,
			final double sliceSpacing, final String unit, final String name) {
		final double step = uniformStep(g);
		final double[] spacing = { g.detectorSpacing(), Double.isNaN(step) ? 1 : Math.toDegrees(step), sliceSpacing };
		final double[] origin = { g.detectorPosition(0), Double.isNaN(step) ? 0 : Math.toDegrees(g.angle(0)), 0 };
		final String[] units = { unit, Double.isNaN(step) ? "view" : DEGREES, unit };
		final int n = slices > 1 ? 3 : 2;
		final long[] size = { g.detectors(), g.views(), slices };
		return new CalibratedImage<>(name, ArrayImgs.floats(sinogram, java.util.Arrays.copyOf(size, n)),
				n == 2 ? List.of(Axis.X, Axis.Y) : List.of(Axis.X, Axis.Y, Axis.Z), java.util.Arrays.copyOf(spacing, n),
				java.util.Arrays.copyOf(origin, n), java.util.Arrays.copyOf(units, n), PixelType.FLOAT32);
	}

	/** The step between consecutive angles in radians, or NaN if there are fewer than 2 or they are not uniform. */
	static double uniformStep(final CtGeometry g) {
		if (g.views() < 2) return Double.NaN;
		final double step = g.angle(1) - g.angle(0);
		if (!(step > 0)) return Double.NaN;
		for (int v = 2; v < g.views(); v++)
			if (Math.abs(g.angle(v) - g.angle(v - 1) - step) > 1e-9 * Math.max(1, Math.abs(step))) return Double.NaN;
		return step;
	}

	private static void check(final CalibratedImage<?> image, final String what) {
		if (image.dimensionOf(Axis.X) < 0 || image.dimensionOf(Axis.Y) < 0)
			throw new IllegalArgumentException(what + " needs X and Y axes, but '" + image.name() + "' has " + image.axes());
		if (image.channels() > 1)
			throw new IllegalArgumentException(what + " must have one channel, but '" + image.name() + "' has " + image.channels()
					+ (image.pixelType() == PixelType.UINT8 && image.channels() == 3 ? " (RGB: convert it to 32-bit first)" : ""));
		final int t = image.dimensionOf(Axis.TIME);
		if (t >= 0 && image.pixels().dimension(t) > 1)
			throw new IllegalArgumentException(what + " must be 2D or a stack of slices, but '" + image.name() + "' has "
					+ image.pixels().dimension(t) + " time points");
		if (image.pixels().size() > Integer.MAX_VALUE - 8)
			throw new IllegalArgumentException(what + " '" + image.name() + "' is too large");
	}
}
