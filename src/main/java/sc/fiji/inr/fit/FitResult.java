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
 * @param history    every evaluated progress report, for plots (a collapse shows as the dip it was)
 * @param recoveries times the fit collapsed and went on from its best state
 *                   ({@link FitOptions#recoverFromCollapse()}); {@code psnr} is then that of the
 *                   state it ended in
 */
public record FitResult(long steps, double loss, double psnr, double seconds, StopReason stopReason,
		List<FitProgress> history, int recoveries) {

	public enum StopReason {
		STEPS, TIME, TARGET, CANCELLED;

		public String label() {
			return name().toLowerCase();
		}
	}

	public FitResult {
		history = List.copyOf(history);
	}

	/** Why it stopped, and any recoveries: "steps", "time, after 1 recovery from a collapse". */
	public String stopDescription() {
		return stopReason.label() + (recoveries == 0 ? "" : ", after " + recoveries + (recoveries == 1 ? " recovery" : " recoveries")
				+ " from a collapse");
	}

	public double stepsPerSecond() {
		return seconds > 0 ? steps / seconds : Double.NaN;
	}
}
