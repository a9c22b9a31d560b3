package sc.fiji.inr.fit;

/**
 * How to fit: budget, optimiser, schedule, batch, stopping rule, seed.
 *
 * @param steps           maximum optimisation steps (≥ 1)
 * @param maxSeconds      wall-clock budget in seconds (0 = none)
 * @param learningRate    Adam step size at the start
 * @param schedule        learning-rate schedule over the budget
 * @param finalLrFactor   learning rate at the end of the budget relative to the start
 * @param batchSize       measurements per step (0 = all of them: full batch)
 * @param targetPsnr      stop as soon as the evaluation PSNR reaches this (dB; 0 = never)
 * @param evaluateEvery   evaluate the PSNR every this many steps (and at the end)
 * @param seed            seeds initialisation and sampling: same seed, same result
 * @param beta1           Adam first-moment decay
 * @param beta2           Adam second-moment decay
 * @param epsilon         Adam denominator guard
 * @param warmupSteps     the learning rate rises linearly over this many first steps (0 = from the
 *                        first step at full rate). Adam's first steps move every weight by about
 *                        the learning rate whatever its gradient, since its moment estimates start
 *                        empty (the reason for warm-up in Liu et al. 2020, "On the variance of the
 *                        adaptive learning rate"). Harmless from a random start; a field that is
 *                        already fitted (a prior) can be thrown far from its optimum.
 */
public record FitOptions(int steps, double maxSeconds, double learningRate, LearningRateSchedule schedule,
		double finalLrFactor, int batchSize, double targetPsnr, int evaluateEvery, long seed, double beta1,
		double beta2, double epsilon, int warmupSteps, boolean recoverFromCollapse) {

	public FitOptions {
		if (steps < 1) throw new IllegalArgumentException("Steps must be ≥ 1, was " + steps);
		if (!(maxSeconds >= 0)) throw new IllegalArgumentException("Time budget must be ≥ 0 s, was " + maxSeconds);
		if (!(learningRate > 0) || !Double.isFinite(learningRate))
			throw new IllegalArgumentException("Learning rate must be positive, was " + learningRate);
		if (schedule == null) throw new IllegalArgumentException("Learning-rate schedule is missing");
		if (!(finalLrFactor > 0) || finalLrFactor > 1)
			throw new IllegalArgumentException("Final learning-rate factor must be in (0, 1], was " + finalLrFactor);
		if (batchSize < 0) throw new IllegalArgumentException("Batch size must be ≥ 0 (0 = full batch), was " + batchSize);
		if (!(targetPsnr >= 0)) throw new IllegalArgumentException("Target PSNR must be ≥ 0 dB, was " + targetPsnr);
		if (evaluateEvery < 1) throw new IllegalArgumentException("Evaluation interval must be ≥ 1 step, was " + evaluateEvery);
		if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1) || !(epsilon > 0))
			throw new IllegalArgumentException("Adam β1, β2 must be in [0, 1) and ε > 0");
		if (warmupSteps < 0) throw new IllegalArgumentException("Warm-up steps must be ≥ 0, was " + warmupSteps);
	}

	public static FitOptions defaults() {
		return new FitOptions(2000, 0, 1e-3, LearningRateSchedule.COSINE, 0.1, 1 << 16, 0, 50, 1, 0.9, 0.99, 1e-15, 0, true);
	}

	public FitOptions withSteps(final int v) {
		return new FitOptions(v, maxSeconds, learningRate, schedule, finalLrFactor, batchSize, targetPsnr, evaluateEvery, seed, beta1, beta2, epsilon, warmupSteps, recoverFromCollapse);
	}

	public FitOptions withMaxSeconds(final double v) {
		return new FitOptions(steps, v, learningRate, schedule, finalLrFactor, batchSize, targetPsnr, evaluateEvery, seed, beta1, beta2, epsilon, warmupSteps, recoverFromCollapse);
	}

	public FitOptions withLearningRate(final double v) {
		return new FitOptions(steps, maxSeconds, v, schedule, finalLrFactor, batchSize, targetPsnr, evaluateEvery, seed, beta1, beta2, epsilon, warmupSteps, recoverFromCollapse);
	}

	public FitOptions withSchedule(final LearningRateSchedule v) {
		return new FitOptions(steps, maxSeconds, learningRate, v, finalLrFactor, batchSize, targetPsnr, evaluateEvery, seed, beta1, beta2, epsilon, warmupSteps, recoverFromCollapse);
	}

	public FitOptions withBatchSize(final int v) {
		return new FitOptions(steps, maxSeconds, learningRate, schedule, finalLrFactor, v, targetPsnr, evaluateEvery, seed, beta1, beta2, epsilon, warmupSteps, recoverFromCollapse);
	}

	public FitOptions withTargetPsnr(final double v) {
		return new FitOptions(steps, maxSeconds, learningRate, schedule, finalLrFactor, batchSize, v, evaluateEvery, seed, beta1, beta2, epsilon, warmupSteps, recoverFromCollapse);
	}

	public FitOptions withEvaluateEvery(final int v) {
		return new FitOptions(steps, maxSeconds, learningRate, schedule, finalLrFactor, batchSize, targetPsnr, v, seed, beta1, beta2, epsilon, warmupSteps, recoverFromCollapse);
	}

	public FitOptions withSeed(final long v) {
		return new FitOptions(steps, maxSeconds, learningRate, schedule, finalLrFactor, batchSize, targetPsnr, evaluateEvery, v, beta1, beta2, epsilon, warmupSteps, recoverFromCollapse);
	}

	public FitOptions withAdam(final double b1, final double b2, final double eps) {
		return new FitOptions(steps, maxSeconds, learningRate, schedule, finalLrFactor, batchSize, targetPsnr, evaluateEvery, seed, b1, b2, eps, warmupSteps, recoverFromCollapse);
	}

	public FitOptions withWarmupSteps(final int v) {
		return new FitOptions(steps, maxSeconds, learningRate, schedule, finalLrFactor, batchSize, targetPsnr, evaluateEvery, seed, beta1, beta2, epsilon, v, recoverFromCollapse);
	}

	public FitOptions withRecoverFromCollapse(final boolean v) {
		return new FitOptions(steps, maxSeconds, learningRate, schedule, finalLrFactor, batchSize, targetPsnr, evaluateEvery, seed, beta1, beta2, epsilon, warmupSteps, v);
	}

	/** Learning-rate factor of the warm-up at 0-based step {@code step}: (step + 1) / (warm-up + 1), then 1. */
	public double warmupFactor(final long step) {
		return ramp(step, warmupSteps);
	}

	/** A linear warm-up's factor at 0-based step {@code step} of {@code length}: (step + 1) / (length + 1), then 1. */
	static double ramp(final long step, final long length) {
		return step >= length ? 1 : (step + 1.0) / (length + 1.0);
	}
}
