package sc.fiji.inr.tasks.ct;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Where the rays of a 2D CT scan run: the beam shape, one view angle per sinogram row and a flat
 * detector of equispaced elements, in the conventions of the {@link sc.fiji.inr.tasks.ct package}
 * (x right, y down, isocentre at the origin, physical length units).
 * <p>
 * For view angle θ the detector axis is {@code e_s = (cos θ, −sin θ)} and the ray axis
 * {@code e_t = (sin θ, cos θ)}. Detector element i sits at
 * {@code u_i = (i − (D−1)/2)·spacing + offset}. A parallel ray of detector coordinate u is the
 * line {@code u·e_s + t·e_t}; a fan ray runs from the source at {@code −R·e_t} to the element at
 * {@code (SDD − R)·e_t + u·e_s}.
 *
 * @param beam             parallel or fan
 * @param angles           view angles in radians, one per sinogram row
 * @param detectors        detector elements D (sinogram width)
 * @param detectorSpacing  distance between neighbouring element centres, on the detector
 * @param detectorOffset   detector coordinate of the detector's centre (a shifted detector)
 * @param sourceToCentre   fan beam: source-to-isocentre distance R; 0 for parallel beams
 * @param sourceToDetector fan beam: source-to-detector distance SDD &gt; R; 0 for parallel beams
 */
public record CtGeometry(Beam beam, double[] angles, int detectors, double detectorSpacing, double detectorOffset,
		double sourceToCentre, double sourceToDetector) {

	/** Keys of {@link #toProperties()}, in the order written. */
	private static final Set<String> KEYS = Set.of("beam", "detectors", "spacing", "offset", "sid", "sdd", "angles");

	public CtGeometry {
		if (beam == null) throw new IllegalArgumentException("CT beam is missing (use parallel or fan)");
		if (angles == null || angles.length == 0) throw new IllegalArgumentException("A CT geometry needs at least one view angle");
		for (int v = 0; v < angles.length; v++)
			if (!Double.isFinite(angles[v]))
				throw new IllegalArgumentException("View angle " + v + " is not finite: " + angles[v]);
		if (detectors < 1) throw new IllegalArgumentException("A CT detector needs at least one element, was " + detectors);
		if (!(detectorSpacing > 0) || !Double.isFinite(detectorSpacing))
			throw new IllegalArgumentException("Detector spacing must be positive and finite, was " + detectorSpacing);
		if (!Double.isFinite(detectorOffset))
			throw new IllegalArgumentException("Detector offset must be finite, was " + detectorOffset);
		if (beam == Beam.FAN) {
			if (!(sourceToCentre > 0) || !Double.isFinite(sourceToCentre))
				throw new IllegalArgumentException("Source-to-isocentre distance must be positive, was " + number(sourceToCentre));
			if (!(sourceToDetector > sourceToCentre) || !Double.isFinite(sourceToDetector))
				throw new IllegalArgumentException("Source-to-detector distance must exceed the source-to-isocentre distance "
						+ number(sourceToCentre) + ", was " + number(sourceToDetector));
		}
		else {
			sourceToCentre = 0;
			sourceToDetector = 0;
		}
		angles = angles.clone();
		// −0 and 0 are the same offset; keep equals and hashCode consistent
		detectorOffset += 0.0;
	}

	/** A parallel-beam geometry. */
	public static CtGeometry parallel(final int detectors, final double spacing, final double offset, final double[] angles) {
		return new CtGeometry(Beam.PARALLEL, angles, detectors, spacing, offset, 0, 0);
	}

	/** A fan-beam geometry with a flat detector. */
	public static CtGeometry fan(final int detectors, final double spacing, final double offset, final double sourceToCentre,
			final double sourceToDetector, final double[] angles) {
		return new CtGeometry(Beam.FAN, angles, detectors, spacing, offset, sourceToCentre, sourceToDetector);
	}

	/**
	 * {@code views} angles in radians, equally spaced over {@code [start, start + range)} degrees
	 * (the endpoint excluded, so that 360° does not measure the first view twice).
	 */
	public static double[] uniformAngles(final int views, final double rangeDegrees, final double startDegrees) {
		if (views < 1) throw new IllegalArgumentException("A scan needs at least one view, was " + views);
		if (!(rangeDegrees > 0) || !Double.isFinite(rangeDegrees))
			throw new IllegalArgumentException("Angular range must be positive and finite, was " + rangeDegrees + "°");
		if (!Double.isFinite(startDegrees)) throw new IllegalArgumentException("Start angle must be finite, was " + startDegrees);
		final double[] a = new double[views];
		for (int v = 0; v < views; v++) a[v] = Math.toRadians(startDegrees + rangeDegrees * v / views);
		return a;
	}

	@Override
	public double[] angles() {
		return angles.clone();
	}

	/** View angle v in radians, without copying the array. */
	public double angle(final int view) {
		return angles[view];
	}

	/** Number of views V (sinogram height). */
	public int views() {
		return angles.length;
	}

	/** Detector coordinate u_i of element i's centre. */
	public double detectorPosition(final int i) {
		return (i - (detectors - 1) / 2.0) * detectorSpacing + detectorOffset;
	}

	/**
	 * The ray of view v through detector coordinate u: {@code origin} gets the point u·e_s
	 * (parallel) or the source (fan), {@code direction} the unit direction from it (e_t, or from
	 * the source towards the detector element).
	 */
	public void ray(final int view, final double u, final double[] origin, final double[] direction) {
		final double c = Math.cos(angles[view]), s = Math.sin(angles[view]);
		// e_s = (c, −s), e_t = (s, c)
		if (beam == Beam.PARALLEL) {
			origin[0] = u * c;
			origin[1] = -u * s;
			direction[0] = s;
			direction[1] = c;
			return;
		}
		origin[0] = -sourceToCentre * s;
		origin[1] = -sourceToCentre * c;
		// element − source = SDD·e_t + u·e_s
		final double len = Math.hypot(sourceToDetector, u);
		direction[0] = (sourceToDetector * s + u * c) / len;
		direction[1] = (sourceToDetector * c - u * s) / len;
	}

	/**
	 * Distance along a ray of detector coordinate u from its {@link #ray origin} to the detector:
	 * infinite for a parallel beam (the ray is the whole line), the source-to-element distance
	 * {@code √(SDD² + u²)} for a fan beam.
	 */
	public double rayLength(final double u) {
		return beam == Beam.PARALLEL ? Double.POSITIVE_INFINITY : Math.hypot(sourceToDetector, u);
	}

	/**
	 * Where the ray of view v through detector coordinate u crosses the box |x| ≤ hx, |y| ≤ hy:
	 * fills {@code origin} and {@code direction} as {@link #ray} does and returns the parameter
	 * interval of {@link #clip}, restricted for a fan beam to the segment from the source
	 * (t = 0) to the detector ({@link #rayLength}); null if the ray misses the box.
	 */
	public double[] segment(final int view, final double u, final double hx, final double hy, final double[] origin,
			final double[] direction) {
		ray(view, u, origin, direction);
		final double[] t = clip(origin, direction, hx, hy);
		if (t == null || beam == Beam.PARALLEL) return t;
		t[0] = Math.max(t[0], 0);
		t[1] = Math.min(t[1], rayLength(u));
		return t[1] > t[0] ? t : null;
	}

	/**
	 * Parameter interval {t0, t1} along the (unit) {@code direction} from {@code origin} where the
	 * line is inside the box |x| ≤ hx, |y| ≤ hy; null if it misses the box or only touches it.
	 * The interval is that of the whole line, so t0 may be negative.
	 */
	public static double[] clip(final double[] origin, final double[] direction, final double hx, final double hy) {
		double t0 = Double.NEGATIVE_INFINITY, t1 = Double.POSITIVE_INFINITY;
		final double[] half = { hx, hy };
		for (int d = 0; d < 2; d++) {
			final double o = origin[d], v = direction[d], h = half[d];
			if (v == 0) {
				// parallel to this pair of faces: inside between them or nowhere
				if (Math.abs(o) > h) return null;
				continue;
			}
			double a = (-h - o) / v, b = (h - o) / v;
			if (a > b) {
				final double swap = a;
				a = b;
				b = swap;
			}
			t0 = Math.max(t0, a);
			t1 = Math.min(t1, b);
		}
		return t1 > t0 ? new double[] { t0, t1 } : null;
	}

	/**
	 * The largest angle between a ray and the central ray of its view, over the detector's outer
	 * element centres; 0 for a parallel beam.
	 */
	public double fanAngle() {
		if (beam == Beam.PARALLEL) return 0;
		final double edge = Math.max(Math.abs(detectorPosition(0)), Math.abs(detectorPosition(detectors - 1)));
		return Math.atan(edge / sourceToDetector);
	}

	/**
	 * Checks a sinogram's size (detector elements × views) against this geometry.
	 *
	 * @throws IllegalArgumentException naming both numbers when they differ
	 */
	public void checkSinogram(final long width, final long height) {
		if (width != detectors)
			throw new IllegalArgumentException("The sinogram is " + width + " pixels wide but the geometry has " + detectors
					+ " detector elements");
		if (height != angles.length)
			throw new IllegalArgumentException("The sinogram has " + height + " rows but the geometry lists " + angles.length
					+ " angles");
	}

	/**
	 * One line of {@code key=value} pairs that {@link #parse} reads back:
	 * {@code beam=fan detectors=367 spacing=1 offset=0 sid=500 sdd=1000 angles=0,6,12,...}, with
	 * the angles in degrees. Numbers are written with the fewest digits that read back to the same
	 * double; angles with the fewest that convert back to the same radians. The round trip is exact
	 * for angles that came from degrees through {@link Math#toRadians} (as {@link #uniformAngles}
	 * makes them); other radian values may have no such decimal and come back within an ulp or two.
	 */
	public String toProperties() {
		final StringBuilder b = new StringBuilder();
		b.append("beam=").append(beam).append(" detectors=").append(detectors).append(" spacing=").append(number(detectorSpacing))
				.append(" offset=").append(number(detectorOffset));
		if (beam == Beam.FAN) b.append(" sid=").append(number(sourceToCentre)).append(" sdd=").append(number(sourceToDetector));
		b.append(" angles=");
		for (int v = 0; v < angles.length; v++) b.append(v == 0 ? "" : ",").append(degrees(angles[v]));
		return b.toString();
	}

	/**
	 * The geometry of a {@link #toProperties()} line. {@code offset} may be left out (0);
	 * {@code sid} and {@code sdd} are needed for a fan beam and ignored for a parallel one.
	 *
	 * @throws IllegalArgumentException for a missing, unknown, repeated or unreadable key
	 */
	public static CtGeometry parse(final String properties) {
		if (properties == null || properties.isBlank()) throw new IllegalArgumentException("CT geometry description is empty");
		final Map<String, String> map = new LinkedHashMap<>();
		for (final String pair : properties.trim().split("\\s+")) {
			final int eq = pair.indexOf('=');
			if (eq <= 0) throw new IllegalArgumentException("CT geometry entry '" + pair + "' is not key=value");
			final String key = pair.substring(0, eq), value = pair.substring(eq + 1);
			if (!KEYS.contains(key))
				throw new IllegalArgumentException("Unknown CT geometry key '" + key + "' (known: beam, detectors, spacing, offset,"
						+ " sid, sdd, angles)");
			if (map.put(key, value) != null) throw new IllegalArgumentException("CT geometry key '" + key + "' is given twice");
		}
		final Beam beam = Beam.parse(required(map, "beam"));
		final int detectors;
		try {
			detectors = Integer.parseInt(required(map, "detectors"));
		}
		catch (final NumberFormatException e) {
			throw new IllegalArgumentException("CT geometry 'detectors' must be an integer, was '" + map.get("detectors") + "'");
		}
		final double spacing = parseNumber(map, "spacing", required(map, "spacing"));
		final double offset = map.containsKey("offset") ? parseNumber(map, "offset", map.get("offset")) : 0;
		final String[] list = required(map, "angles").split(",", -1);
		final double[] angles = new double[list.length];
		for (int v = 0; v < list.length; v++) angles[v] = Math.toRadians(parseNumber(map, "angles", list[v]));
		if (beam == Beam.PARALLEL) return parallel(detectors, spacing, offset, angles);
		return fan(detectors, spacing, offset, parseNumber(map, "sid", required(map, "sid")),
				parseNumber(map, "sdd", required(map, "sdd")), angles);
	}

	private static String required(final Map<String, String> map, final String key) {
		final String v = map.get(key);
		if (v == null || v.isEmpty()) throw new IllegalArgumentException("CT geometry is missing '" + key + "'");
		return v;
	}

	private static double parseNumber(final Map<String, String> map, final String key, final String text) {
		try {
			return Double.parseDouble(text);
		}
		catch (final NumberFormatException e) {
			throw new IllegalArgumentException("CT geometry '" + key + "' has an unreadable number '" + text + "'");
		}
	}

	/** The shortest decimal that reads back as {@code v}, without a trailing ".0". */
	static String number(final double v) {
		if (!Double.isFinite(v)) return Double.toString(v);
		if (v == 0) return "0";
		return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
	}

	/**
	 * Radians as degrees with the fewest significant digits (from 12) whose conversion back to
	 * radians gives the same double: uniform angles print as 0, 6, 12 rather than
	 * 12.000000000000002.
	 */
	static String degrees(final double radians) {
		final double deg = Math.toDegrees(radians);
		if (radians == 0) return "0";
		for (int digits = 12; digits <= 17; digits++) {
			final String text = new BigDecimal(deg).round(new MathContext(digits)).stripTrailingZeros().toPlainString();
			if (Math.toRadians(Double.parseDouble(text)) == radians) return text;
		}
		// No decimal degree maps back exactly (toRadians rounds); the nearest is as close as it gets.
		return number(deg);
	}

	@Override
	public boolean equals(final Object o) {
		return o instanceof CtGeometry g && beam == g.beam && Arrays.equals(angles, g.angles) && detectors == g.detectors
				&& detectorSpacing == g.detectorSpacing && detectorOffset == g.detectorOffset && sourceToCentre == g.sourceToCentre
				&& sourceToDetector == g.sourceToDetector;
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(angles) * 31 + Arrays.hashCode(
				new double[] { beam.ordinal(), detectors, detectorSpacing, detectorOffset, sourceToCentre, sourceToDetector });
	}

	@Override
	public String toString() {
		return "CtGeometry[" + toProperties() + "]";
	}
}
