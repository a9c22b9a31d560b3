package sc.fiji.inr.field;

import java.util.Arrays;
import java.util.List;

import sc.fiji.inr.image.Axis;

/**
 * Maps physical coordinates (the image calibration's units) to the normalised coordinates a
 * network sees, and remembers the source pixel grid so a field can be rendered back onto it.
 * <p>
 * The box spanned by the source pixels' outer edges maps into [−1, 1]. Spatial axes share one
 * scale (the largest half-extent) so that a field stays isotropic in physical space: a sphere
 * in µm stays a sphere for the network, which matters for anisotropic stacks and for any
 * frequency-based encoding. Time has its own scale since its unit is not a length.
 *
 * @param axes    coordinate axes in input order (a subset of X, Y, Z, TIME, in that order)
 * @param units   unit of each axis
 * @param origin  physical centre of the first source pixel along each axis
 * @param spacing source pixel size along each axis
 * @param size    source pixel count along each axis
 */
public record CoordinateFrame(List<Axis> axes, String[] units, double[] origin, double[] spacing, long[] size) {

	public CoordinateFrame {
		final int n = axes.size();
		if (n < 1 || n > 4) throw new IllegalArgumentException("A frame has 1 to 4 axes, not " + n);
		if (units.length != n || origin.length != n || spacing.length != n || size.length != n)
			throw new IllegalArgumentException("Frame arrays must all have length " + n);
		for (int d = 0; d < n; d++) {
			if (!axes.get(d).isCoordinate())
				throw new IllegalArgumentException("The channel axis is not a coordinate");
			if (!(spacing[d] > 0) || !Double.isFinite(spacing[d]))
				throw new IllegalArgumentException("Pixel size along " + axes.get(d) + " must be positive, was " + spacing[d]);
			if (size[d] < 1) throw new IllegalArgumentException("Size along " + axes.get(d) + " must be ≥ 1, was " + size[d]);
		}
		axes = List.copyOf(axes);
		units = units.clone();
		origin = origin.clone();
		spacing = spacing.clone();
		size = size.clone();
	}

	public int numDimensions() {
		return axes.size();
	}

	/** Lower physical bound (outer pixel edge) along axis d. */
	public double min(final int d) {
		return origin[d] - spacing[d] / 2;
	}

	/** Upper physical bound (outer pixel edge) along axis d. */
	public double max(final int d) {
		return origin[d] + (size[d] - 0.5) * spacing[d];
	}

	/** Physical value that maps to normalised 0 along axis d. */
	public double centre(final int d) {
		return (min(d) + max(d)) / 2;
	}

	/** Physical length that maps to normalised 1 along axis d. */
	public double halfExtent(final int d) {
		if (axes.get(d) == Axis.TIME) return (max(d) - min(d)) / 2;
		double h = 0;
		for (int i = 0; i < axes.size(); i++)
			if (axes.get(i) != Axis.TIME) h = Math.max(h, (max(i) - min(i)) / 2);
		return h;
	}

	/** Normalises {@code n} points stored interleaved in {@code physical} into {@code normalised}. */
	public void normalise(final double[] physical, final float[] normalised, final int n) {
		final int dims = axes.size();
		final double[] c = new double[dims], s = new double[dims];
		for (int d = 0; d < dims; d++) {
			c[d] = centre(d);
			s[d] = 1 / halfExtent(d);
		}
		for (int p = 0; p < n; p++)
			for (int d = 0; d < dims; d++)
				normalised[p * dims + d] = (float) ((physical[p * dims + d] - c[d]) * s[d]);
	}

	/**
	 * The normalised centres of all source pixels, x fastest, interleaved [pixels·dims]; refuses a
	 * grid whose coordinates do not fit in one array.
	 */
	public float[] normalisedPixelCentres() {
		final int n = size.length;
		long count = 1;
		for (final long s : size) count *= s;
		if (count > Integer.MAX_VALUE / n) throw new IllegalArgumentException("A grid of " + count + " pixels is too large to hold as an image");
		final float[] coords = new float[(int) count * n];
		final long[] index = new long[n];
		for (int p = 0; p < count; p++) {
			for (int d = 0; d < n; d++) coords[p * n + d] = (float) normalisedPixelCentre(d, index[d]);
			for (int d = 0; d < n && ++index[d] == size[d]; d++) index[d] = 0;
		}
		return coords;
	}

	/**
	 * Source pixels per normalised unit along axis d: with {@link #centrePixelIndex}, pixel index =
	 * normalised coordinate · this + centre pixel index (the inverse of {@link #normalisedPixelCentre}).
	 */
	public double pixelsPerNormalisedUnit(final int d) {
		return halfExtent(d) / spacing[d];
	}

	/** The (fractional) source pixel index of the normalised origin along axis d. */
	public double centrePixelIndex(final int d) {
		return (centre(d) - origin[d]) / spacing[d];
	}

	/** Normalised coordinate of the centre of source pixel {@code index} along axis d. */
	public double normalisedPixelCentre(final int d, final double index) {
		return (origin[d] + index * spacing[d] - centre(d)) / halfExtent(d);
	}

	@Override
	public String[] units() {
		return units.clone();
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
	public long[] size() {
		return size.clone();
	}

	@Override
	public boolean equals(final Object o) {
		return o instanceof CoordinateFrame f && axes.equals(f.axes) && Arrays.equals(units, f.units)
				&& Arrays.equals(origin, f.origin) && Arrays.equals(spacing, f.spacing) && Arrays.equals(size, f.size);
	}

	@Override
	public int hashCode() {
		return axes.hashCode() * 31 + Arrays.hashCode(size);
	}

	@Override
	public String toString() {
		return "CoordinateFrame" + axes + " size=" + Arrays.toString(size) + " spacing=" + Arrays.toString(spacing)
				+ " origin=" + Arrays.toString(origin) + " units=" + Arrays.toString(units);
	}
}
