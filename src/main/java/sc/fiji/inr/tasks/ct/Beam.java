package sc.fiji.inr.tasks.ct;

import java.util.Locale;

/** The shape of the X-ray beam of a {@link CtGeometry}. */
public enum Beam {
	/** Parallel rays, one family per view (synchrotron CT, or rebinned data). */
	PARALLEL,
	/** A point source and a flat, equispaced detector (a 2D slice of cone-beam CT). */
	FAN;

	/** {@code "parallel"} or {@code "fan"}, case and surrounding spaces ignored. */
	public static Beam parse(final String name) {
		try {
			return valueOf(name.trim().toUpperCase(Locale.ROOT));
		}
		catch (final IllegalArgumentException | NullPointerException e) {
			throw new IllegalArgumentException("Unknown beam '" + name + "' (use parallel or fan)");
		}
	}

	/** The name {@link #parse} reads: {@code "parallel"} or {@code "fan"}. */
	@Override
	public String toString() {
		return name().toLowerCase(Locale.ROOT);
	}
}
