package sc.fiji.inr.tasks.superres;

import java.util.Locale;

/**
 * The sensitivity of one voxel along one of its index axes: how much of the object at a
 * distance s from the voxel centre (along that axis) contributes to its value.
 * <p>
 * A voxel integrates the object over its point-spread function (PSF); for MRI and CT the PSF
 * along the slice direction is the <em>slice profile</em>, which may be wider than the slice
 * spacing (overlapping slices) or narrower (gaps). In-plane, a box over one voxel is the usual
 * model.
 *
 * @param kind  BOX (uniform over the width) or GAUSSIAN (width = full width at half maximum)
 * @param width physical width (box) or FWHM (Gaussian), in the stack's length unit; 0 = a delta
 *              (the voxel samples the object at its centre)
 */
public record SliceProfile(Kind kind, double width) {

	public enum Kind {
		BOX, GAUSSIAN;

		public static Kind parse(final String name) {
			try {
				return valueOf(name.trim().toUpperCase(Locale.ROOT));
			}
			catch (final IllegalArgumentException | NullPointerException e) {
				throw new IllegalArgumentException("Unknown slice profile '" + name + "' (use box or gaussian)");
			}
		}
	}

	/** FWHM of a Gaussian over its standard deviation: 2 √(2 ln 2). */
	public static final double FWHM_PER_SIGMA = 2 * Math.sqrt(2 * Math.log(2));

	public SliceProfile {
		if (kind == null) throw new IllegalArgumentException("Slice profile kind is missing");
		if (!(width >= 0) || !Double.isFinite(width))
			throw new IllegalArgumentException("Slice profile width must be ≥ 0, was " + width);
	}

	public static SliceProfile box(final double width) {
		return new SliceProfile(Kind.BOX, width);
	}

	public static SliceProfile gaussian(final double fwhm) {
		return new SliceProfile(Kind.GAUSSIAN, fwhm);
	}

	public boolean isDelta() {
		return width == 0;
	}

	/**
	 * Offset (physical) of quadrature node {@code k} of {@code nodes}, stratified: node k stands
	 * for the k-th of {@code nodes} equal shares of the profile's mass, placed at fraction
	 * {@code u} ∈ (0, 1) of its share. With u = ½ for every node the rule is symmetric (exact for
	 * linear fields); with u drawn uniformly it is an unbiased estimate of the integral, which
	 * is how fitting samples it. All nodes have weight 1 / nodes.
	 */
	public double offset(final int k, final int nodes, final double u) {
		if (isDelta()) return 0;
		final double p = (k + u) / nodes;
		return switch (kind) {
			case BOX -> width * (p - 0.5);
			case GAUSSIAN -> width / FWHM_PER_SIGMA * inverseNormal(p);
		};
	}

	/** Density of the profile at offset s (integrates to 1); for tests and simulations. */
	public double density(final double s) {
		return switch (kind) {
			case BOX -> Math.abs(s) <= width / 2 ? 1 / width : 0;
			case GAUSSIAN -> {
				final double sigma = width / FWHM_PER_SIGMA;
				yield Math.exp(-0.5 * s * s / (sigma * sigma)) / (sigma * Math.sqrt(2 * Math.PI));
			}
		};
	}

	/**
	 * The standard normal quantile Φ⁻¹(p), p ∈ (0, 1): Acklam's rational approximation (relative
	 * error below 1.2e-9), far more than float32 fitting can use.
	 */
	static double inverseNormal(final double p) {
		if (!(p > 0 && p < 1)) throw new IllegalArgumentException("Quantile needs 0 < p < 1, was " + p);
		final double[] a = { -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02,
				-3.066479806614716e+01, 2.506628277459239e+00 };
		final double[] b = { -5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01,
				-1.328068155288572e+01 };
		final double[] c = { -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00,
				4.374664141464968e+00, 2.938163982698783e+00 };
		final double[] d = { 7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00 };
		final double low = 0.02425;
		if (p < low) {
			final double q = Math.sqrt(-2 * Math.log(p));
			return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
					/ ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
		}
		if (p > 1 - low) return -inverseNormal(1 - p);
		final double q = p - 0.5, r = q * q;
		return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
				/ (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
	}

	@Override
	public String toString() {
		return isDelta() ? "delta" : String.format(Locale.ROOT, "%s %.3g", kind.name().toLowerCase(Locale.ROOT), width);
	}
}
