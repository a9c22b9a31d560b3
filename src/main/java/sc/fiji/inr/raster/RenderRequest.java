package sc.fiji.inr.raster;

import java.util.Arrays;

import sc.fiji.inr.field.CoordinateFrame;

/**
 * What a user asks to render, as typed in a dialog, macro or command line: a scale ("2" or
 * "1,1,4"), an output size ("512,512,40") and/or a region of the source image in source pixels
 * ("x,y,w,h" in 2D, "x,y,z,w,h,d" in 3D, and so on: starts then sizes). Empty strings mean "not
 * given". Size and scale are mutually exclusive; a region combines with either.
 */
public record RenderRequest(double[] scale, long[] size, long[] regionStart, long[] regionSize) {

	public static RenderRequest parse(final String scale, final String size, final String region) {
		final double[] s = blank(scale) ? null : parseDoubles(scale, "scale");
		final long[] z = blank(size) ? null : parseLongs(size, "size");
		if (s != null && z != null) throw new IllegalArgumentException("Give either a scale or a size, not both");
		long[] start = null, extent = null;
		if (!blank(region)) {
			final long[] r = parseLongs(region, "region");
			if (r.length % 2 != 0)
				throw new IllegalArgumentException("Region needs starts then sizes (x,y,w,h or x,y,z,w,h,d), got " + region);
			start = Arrays.copyOfRange(r, 0, r.length / 2);
			extent = Arrays.copyOfRange(r, r.length / 2, r.length);
		}
		return new RenderRequest(s, z, start, extent);
	}

	/** The grid this request describes for a field with {@code frame}. */
	public RenderGrid toGrid(final CoordinateFrame frame) {
		final int n = frame.numDimensions();
		long[] min = null, max = null;
		if (regionStart != null) {
			if (regionStart.length != n)
				throw new IllegalArgumentException("Region has " + regionStart.length + " axes but the field has " + n + " "
						+ frame.axes());
			min = regionStart.clone();
			max = new long[n];
			for (int d = 0; d < n; d++) {
				if (regionSize[d] < 1) throw new IllegalArgumentException("Region size must be ≥ 1, got " + Arrays.toString(regionSize));
				max[d] = min[d] + regionSize[d];
			}
		}
		double[] perAxis = null;
		if (scale != null) perAxis = scale.length == 1 ? filled(n, scale[0]) : scale;
		if (size != null) {
			if (size.length != n) throw new IllegalArgumentException("Size has " + size.length + " values but the field has " + n
					+ " axes " + frame.axes());
			for (final long s : size)
				if (s < 1) throw new IllegalArgumentException("Size must be ≥ 1 along every axis, got " + Arrays.toString(size));
			return new RenderGrid(size, new double[n], filled(n, 1)).withExactSize(frame, min, max);
		}
		return RenderGrid.region(frame, min, max, perAxis);
	}

	private static boolean blank(final String s) {
		return s == null || s.isBlank();
	}

	private static double[] filled(final int n, final double v) {
		final double[] a = new double[n];
		Arrays.fill(a, v);
		return a;
	}

	private static double[] parseDoubles(final String text, final String what) {
		try {
			return Arrays.stream(text.split("[,x×\\s]+")).filter(t -> !t.isEmpty()).mapToDouble(Double::parseDouble).toArray();
		}
		catch (final NumberFormatException e) {
			throw new IllegalArgumentException("The " + what + " must be numbers separated by commas, got '" + text + "'");
		}
	}

	private static long[] parseLongs(final String text, final String what) {
		try {
			return Arrays.stream(text.split("[,x×\\s]+")).filter(t -> !t.isEmpty()).mapToLong(Long::parseLong).toArray();
		}
		catch (final NumberFormatException e) {
			throw new IllegalArgumentException("The " + what + " must be whole numbers separated by commas, got '" + text + "'");
		}
	}
}
