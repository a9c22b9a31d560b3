package sc.fiji.inr.fit;

/**
 * Learning-rate factor as a function of training progress in [0, 1] (the larger of the step
 * fraction and the time fraction, so a time budget decays the rate as well as a step budget).
 */
public enum LearningRateSchedule {
	/** Constant rate. */
	CONSTANT,
	/** Cosine from 1 to the final factor (Loshchilov & Hutter). */
	COSINE,
	/** Geometric decay from 1 to the final factor. */
	EXPONENTIAL;

	public double factor(final double progress, final double finalFactor) {
		final double p = Math.max(0, Math.min(1, progress));
		return switch (this) {
			case CONSTANT -> 1;
			case COSINE -> finalFactor + (1 - finalFactor) * 0.5 * (1 + Math.cos(Math.PI * p));
			case EXPONENTIAL -> Math.pow(finalFactor, p);
		};
	}

	public static LearningRateSchedule parse(final String name) {
		try {
			return valueOf(name.trim().toUpperCase());
		}
		catch (final IllegalArgumentException e) {
			throw new IllegalArgumentException("Unknown learning-rate schedule '" + name
					+ "' (use constant, cosine or exponential)");
		}
	}
}
