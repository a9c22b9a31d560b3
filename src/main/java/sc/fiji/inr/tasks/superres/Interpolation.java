package sc.fiji.inr.tasks.superres;

import java.util.Arrays;
import java.util.Locale;

/**
 * The interpolation kernels of the resampling baselines ({@link Resampler}) that super-resolution
 * is compared against: each is separable, a 1D kernel applied along every axis.
 */
public enum Interpolation {
	/** The nearest voxel. */
	NEAREST(1),
	/** Bi/trilinear: 2 taps per axis. */
	LINEAR(2),
	/** Keys cubic convolution with a = −0.5 (Catmull–Rom), exact for quadratics: 4 taps per axis. */
	CUBIC(4),
	/** Lanczos with a = 3, weights normalised to sum 1: 6 taps per axis. */
	LANCZOS(6);

	/** Positions this close to a voxel centre are snapped to it, so the stack's own grid is reproduced exactly. */
	private static final double SNAP = 1e-9;
	/** sin and cos of (k − 2) π / 3 for the six Lanczos taps k. */
	private static final double[] SIN3 = new double[6], COS3 = new double[6];

	static {
		for (int k = 0; k < 6; k++) {
			SIN3[k] = Math.sin((k - 2) * Math.PI / 3);
			COS3[k] = Math.cos((k - 2) * Math.PI / 3);
		}
	}

	private final int taps;

	Interpolation(final int taps) {
		this.taps = taps;
	}

	public static Interpolation parse(final String name) {
		try {
			return valueOf(name.trim().toUpperCase(Locale.ROOT));
		}
		catch (final IllegalArgumentException | NullPointerException e) {
			throw new IllegalArgumentException("Unknown interpolation '" + name + "' (use nearest, linear, cubic or lanczos)");
		}
	}

	/** Kernel taps per axis. */
	int taps() {
		return taps;
	}

	/**
	 * Writes the {@link #taps()} weights for fractional index {@code f} into {@code w} and returns
	 * the index of the first tap (taps are consecutive; indices beyond the data are the caller's
	 * to clamp).
	 */
	long weights(final double f, final double[] w) {
		final double nearest = Math.floor(f + 0.5);
		if (this == NEAREST || Math.abs(f - nearest) < SNAP) {
			// At a voxel centre every kernel is 1 there and 0 at the other taps.
			Arrays.fill(w, 0, taps, 0);
			final int centre = (taps - 1) / 2;
			w[centre] = 1;
			return (long) nearest - centre;
		}
		final double base = Math.floor(f), t = f - base;
		switch (this) {
			case LINEAR -> {
				w[0] = 1 - t;
				w[1] = t;
			}
			case CUBIC -> {
				w[0] = keys(1 + t);
				w[1] = keys(t);
				w[2] = keys(1 - t);
				w[3] = keys(2 - t);
			}
			default -> {
				// sinc(x) sinc(x / 3) at x = m − t, m = −2..3, with sin(π(m − t)) = −(−1)^m sin(πt) and
				// sin(π(m − t) / 3) by angle addition: three trigonometric calls per axis instead of twelve.
				final double s = Math.sin(Math.PI * t), s3 = Math.sin(Math.PI * t / 3), c3 = Math.cos(Math.PI * t / 3);
				double sum = 0;
				for (int k = 0; k < 6; k++) {
					final double px = Math.PI * (k - 2 - t);
					sum += w[k] = 3 * (k % 2 == 0 ? -s : s) * (SIN3[k] * c3 - COS3[k] * s3) / (px * px);
				}
				for (int k = 0; k < 6; k++) w[k] /= sum;
			}
		}
		return (long) base - (taps - 1) / 2;
	}

	/** Keys' cubic convolution kernel with a = −0.5, for 0 ≤ x ≤ 2. */
	private static double keys(final double x) {
		final double a = -0.5;
		return x <= 1 ? ((a + 2) * x - (a + 3)) * x * x + 1 : ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
	}
}
