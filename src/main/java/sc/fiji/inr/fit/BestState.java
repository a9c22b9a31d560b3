package sc.fiji.inr.fit;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * The trained tensors at the best evaluation of a fit so far, to return to when the fit
 * collapses: its evaluation PSNR falls more than {@link #COLLAPSE_DB} below the best. Why: a
 * stochastic step can throw a fit out of its basin for good (seen on a CT fit from a prior:
 * 45 dB of data consistency at the first step, 28.6 dB at the last), and the steps after that
 * only settle in the worse place. One copy of the weights, replaced at each new best and freed
 * with the fit's manager.
 */
final class BestState {

	/**
	 * A fall in evaluation PSNR taken as a collapse: a factor of 4 in the error. Chosen well above
	 * the dips seen in this project's fits, not measured as a bound.
	 */
	static final double COLLAPSE_DB = 6;

	private final List<NDArray> tensors;
	private final NDManager manager;
	private List<NDArray> copies;
	private double psnr = Double.NEGATIVE_INFINITY;

	BestState(final List<NDArray> tensors, final NDManager manager) {
		this.tensors = tensors;
		this.manager = manager;
	}

	/** Keeps the tensors as they are now if {@code value} beats the best so far. */
	void offer(final double value) {
		if (!(value > psnr)) return;
		final List<NDArray> fresh = new ArrayList<>(tensors.size());
		for (final NDArray t : tensors) {
			try (NDArray detached = t.stopGradient()) {
				final NDArray c = detached.duplicate();
				c.attach(manager);
				fresh.add(c);
			}
		}
		if (copies != null) copies.forEach(NDArray::close);
		copies = fresh;
		psnr = value;
	}

	/** Whether a state was kept (an evaluation with a finite PSNR happened). */
	boolean holdsState() {
		return copies != null;
	}

	/** Whether {@code value} is a collapse from the best kept state. */
	boolean collapsed(final double value) {
		return copies != null && (Double.isNaN(value) || value < psnr - COLLAPSE_DB);
	}

	/** Writes the kept values back into the tensors, in place (the optimiser holds them). */
	void restore() {
		for (int i = 0; i < tensors.size(); i++) copies.get(i).copyTo(tensors.get(i));
	}

	double psnr() {
		return psnr;
	}
}
