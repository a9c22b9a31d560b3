package sc.fiji.inr.fit;

import java.util.List;

/**
 * Outcome of a fit.
 *
 * @param steps      steps taken
 * @param loss       last training loss
 * @param psnr       last evaluation PSNR (dB), NaN if never evaluated
 * @param seconds    fitting time
 * @param stopReason why it stopped
 * @param history    every evaluated progress report, for plots
 */
public record FitResult(long steps, double loss, double psnr, double seconds, StopReason stopReason,
		List<FitProgress> history) {

	public enum StopReason {
		STEPS, TIME, TARGET, CANCELLED;

		public String label() {
			return name().toLowerCase();
		}
	}

	public FitResult {
		history = List.copyOf(history);
	}

	public double stepsPerSecond() {
		return seconds > 0 ? steps / seconds : Double.NaN;
	}
}
