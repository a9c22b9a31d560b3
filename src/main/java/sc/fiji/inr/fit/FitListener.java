package sc.fiji.inr.fit;

/** Receives progress from a fit and can cancel it. Called on the compute thread: return quickly. */
public interface FitListener {

	FitListener NONE = new FitListener() {};

	default void progress(final FitProgress progress) {}

	/** Polled before every step; returning true stops the fit, keeping the field as it is. */
	default boolean isCancelled() {
		return false;
	}
}
