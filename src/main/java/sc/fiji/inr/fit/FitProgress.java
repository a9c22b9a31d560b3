package sc.fiji.inr.fit;

/**
 * One progress report.
 *
 * @param step         steps done
 * @param maxSteps     step budget
 * @param fraction     progress in [0, 1] (the larger of step and time fractions)
 * @param loss         this step's training loss
 * @param psnr         evaluation PSNR (dB) if measured at this step, else NaN
 * @param learningRate learning rate used in this step
 * @param seconds      elapsed fitting time
 * @param samples      measurements processed so far
 * @param evaluationSeconds part of {@code seconds} spent measuring the PSNR (not optimising)
 */
public record FitProgress(long step, long maxSteps, double fraction, double loss, double psnr, double learningRate,
		double seconds, long samples, double evaluationSeconds) {

	/** Time spent optimising, without PSNR evaluations: what benchmarks compare. */
	public double fittingSeconds() {
		return seconds - evaluationSeconds;
	}
}
