package sc.fiji.inr.field;

/**
 * How a field was fitted, stored in its file so results can be compared and reproduced.
 *
 * @param steps      optimisation steps taken
 * @param loss       final training loss
 * @param psnr       final PSNR in dB against the fitted data (NaN if not measured)
 * @param seconds    wall-clock fitting time
 * @param seed       random seed of initialisation and sampling
 * @param device     device the fit ran on ("cpu()", "gpu(0)")
 * @param stopReason why fitting ended ("steps", "time", "target", "cancelled"; with ", after N recoveries from a collapse"
 *                   when {@link sc.fiji.inr.fit.FitOptions#recoverFromCollapse()} went back to a best state)
 * @param objective  what was fitted (e.g. "pixels")
 */
public record TrainingRecord(long steps, double loss, double psnr, double seconds, long seed, String device,
		String stopReason, String objective) {

	public static TrainingRecord untrained(final long seed) {
		return new TrainingRecord(0, Double.NaN, Double.NaN, 0, seed, "", "untrained", "");
	}
}
