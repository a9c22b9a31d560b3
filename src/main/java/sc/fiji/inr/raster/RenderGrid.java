package sc.fiji.inr.raster;

import java.util.Arrays;

import sc.fiji.inr.field.CoordinateFrame;

/**
 * A regular grid of pixel centres in a field's physical coordinates: where to evaluate a field.
 * Built from the field's source grid by a scale, a target size or a region of interest.
 *
 * @param size    pixels along each frame axis
 * @param origin  physical centre of the first pixel
 * @param spacing physical pixel size
 */
public record RenderGrid(long[] size, double[] origin, double[] spacing) {

	public RenderGrid {
		if (size.length != origin.length || size.length != spacing.length)
			throw new IllegalArgumentException("Render grid arrays must have equal lengths");
		for (int d = 0; d < size.length; d++) {
			if (size[d] < 1) throw new IllegalArgumentException("Render size must be ≥ 1 along every axis, was " + Arrays.toString(size));
			if (!(spacing[d] > 0) || !Double.isFinite(spacing[d]))
				throw new IllegalArgumentException("Render pixel size must be positive, was " + Arrays.toString(spacing));
		}
		size = size.clone();
		origin = origin.clone();
		spacing = spacing.clone();
	}

	/** The field's own source grid. */
	public static RenderGrid source(final CoordinateFrame frame) {
		return new RenderGrid(frame.size(), frame.origin(), frame.spacing());
	}

	/** The source grid with {@code scale[d]} times as many pixels along axis d (same extent). */
	public static RenderGrid scaled(final CoordinateFrame frame, final double... scale) {
		return region(frame, null, null, scale);
	}

	/** The source extent resampled to exactly {@code size} pixels. */
	public static RenderGrid sized(final CoordinateFrame frame, final long... size) {
		requireLength(size.length, frame.numDimensions(), "size");
		return new RenderGrid(size, new double[size.length], filled(size.length, 1)).withExactSize(frame, null, null);
	}

	/**
	 * This grid's size over the region [min, max) of the source (null = whole image), with
	 * spacing and origin chosen so its outer edges coincide with the region's.
	 */
	RenderGrid withExactSize(final CoordinateFrame frame, final long[] min, final long[] max) {
		final int n = frame.numDimensions();
		final double[] o = new double[n], s = new double[n];
		for (int d = 0; d < n; d++) {
			final long lo = min == null ? 0 : min[d], hi = max == null ? frame.size()[d] : max[d];
			s[d] = (hi - lo) * frame.spacing()[d] / size[d];
			o[d] = frame.origin()[d] + (lo - 0.5) * frame.spacing()[d] + s[d] / 2;
		}
		return new RenderGrid(size, o, s);
	}

	/**
	 * A box of the source grid given in source pixel indices, [min, max) per axis (null = whole
	 * image), resampled by {@code scale} (null = 1). Boxes may extend beyond the image.
	 */
	public static RenderGrid region(final CoordinateFrame frame, final long[] min, final long[] max, final double[] scale) {
		final int n = frame.numDimensions();
		final long[] lo = min == null ? new long[n] : min;
		final long[] hi = max == null ? frame.size() : max;
		final double[] s = scale == null ? filled(n, 1) : scale;
		requireLength(lo.length, n, "region start");
		requireLength(hi.length, n, "region end");
		if (s.length == 1 && n > 1) return region(frame, min, max, filled(n, s[0]));
		requireLength(s.length, n, "scale");
		final long[] size = new long[n];
		final double[] origin = new double[n], spacing = new double[n];
		for (int d = 0; d < n; d++) {
			if (hi[d] <= lo[d])
				throw new IllegalArgumentException("Region along " + frame.axes().get(d) + " is empty: [" + lo[d] + ", " + hi[d] + ")");
			if (!(s[d] > 0) || !Double.isFinite(s[d]))
				throw new IllegalArgumentException("Scale along " + frame.axes().get(d) + " must be positive, was " + s[d]);
			size[d] = Math.max(1, Math.round((hi[d] - lo[d]) * s[d]));
			final double srcSpacing = frame.spacing()[d];
			final double lowerEdge = frame.origin()[d] + (lo[d] - 0.5) * srcSpacing;
			spacing[d] = (hi[d] - lo[d]) * srcSpacing / size[d];
			origin[d] = lowerEdge + spacing[d] / 2;
		}
		return new RenderGrid(size, origin, spacing);
	}

	private static void requireLength(final int length, final int n, final String what) {
		if (length != n) throw new IllegalArgumentException("The " + what + " needs " + n + " values (one per axis), got " + length);
	}

	private static double[] filled(final int n, final double v) {
		final double[] a = new double[n];
		Arrays.fill(a, v);
		return a;
	}

	public int numDimensions() {
		return size.length;
	}

	public long pixels() {
		long p = 1;
		for (final long s : size) p *= s;
		return p;
	}

	@Override
	public long[] size() {
		return size.clone();
	}

	@Override
	public double[] origin() {
		return origin.clone();
	}

	@Override
	public double[] spacing() {
		return spacing.clone();
	}

	@Override
	public String toString() {
		return "RenderGrid[size=" + Arrays.toString(size) + ", origin=" + Arrays.toString(origin) + ", spacing="
				+ Arrays.toString(spacing) + "]";
	}
}
