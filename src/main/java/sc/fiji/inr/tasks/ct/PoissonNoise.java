package sc.fiji.inr.tasks.ct;

import java.util.SplittableRandom;

/**
 * Photon-counting noise of a transmission scan: a ray of line integral p, lit by I₀ photons,
 * reaches the detector with {@code N ~ Poisson(I₀·exp(−p))} photons, and the measured line
 * integral is {@code −ln(N / I₀)}. Fewer photons (or denser objects) give noisier sinograms;
 * the variance of a measured integral is about {@code 1 / (I₀·exp(−p))}.
 * <p>
 * A ray that counts no photon at all (photon starvation) is given one, so that its integral is
 * {@code ln I₀} rather than infinite. Draws are made in index order from one seeded generator,
 * so the same seed gives the same noise.
 */
public final class PoissonNoise {

	private PoissonNoise() {}

	/**
	 * The noisy line integrals of {@code lineIntegrals} (a new array).
	 *
	 * @param photons incident photons per ray, I₀ &gt; 0
	 * @param seed    the same seed gives the same noise
	 */
	public static float[] transmission(final float[] lineIntegrals, final double photons, final long seed) {
		if (!(photons > 0) || !Double.isFinite(photons))
			throw new IllegalArgumentException("Incident photon count must be positive and finite, was " + photons);
		final SplittableRandom random = new SplittableRandom(seed);
		final float[] out = new float[lineIntegrals.length];
		for (int i = 0; i < out.length; i++) {
			final double p = lineIntegrals[i];
			if (!Double.isFinite(p)) throw new IllegalArgumentException("Line integral " + i + " is not finite: " + p);
			final long counts = Math.max(1, sample(photons * Math.exp(-p), random));
			out[i] = (float) -Math.log(counts / photons);
		}
		return out;
	}

	/**
	 * One draw from the Poisson distribution of mean {@code lambda} ≥ 0: Knuth's product of
	 * uniforms below 30, Hörmann's transformed rejection (PTRS, 1993, as numpy) above.
	 */
	static long sample(final double lambda, final SplittableRandom random) {
		if (lambda <= 0) return 0;
		if (lambda < 30) {
			final double limit = Math.exp(-lambda);
			long k = 0;
			double product = random.nextDouble();
			while (product > limit) {
				k++;
				product *= random.nextDouble();
			}
			return k;
		}
		final double slam = Math.sqrt(lambda), loglam = Math.log(lambda);
		final double b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b;
		final double invalpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2);
		while (true) {
			final double u = random.nextDouble() - 0.5, v = random.nextDouble();
			final double us = 0.5 - Math.abs(u);
			final long k = (long) Math.floor((2 * a / us + b) * u + lambda + 0.43);
			if (us >= 0.07 && v <= vr) return k;
			if (k < 0 || us < 0.013 && v > us) continue;
			if (Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -lambda + k * loglam - logFactorial(k)) return k;
		}
	}

	/** ln k!: exact below 20, Stirling's series (error below 1e-12) above. */
	static double logFactorial(final long k) {
		if (k < 20) {
			double f = 0;
			for (long i = 2; i <= k; i++) f += Math.log(i);
			return f;
		}
		final double x = k, x2 = x * x;
		return x * Math.log(x) - x + 0.5 * Math.log(2 * Math.PI * x) + 1 / (12 * x) - 1 / (360 * x * x2) + 1 / (1260 * x2 * x2 * x);
	}
}
