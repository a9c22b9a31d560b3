package sc.fiji.inr.fit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import sc.fiji.inr.compute.Autograd;
import sc.fiji.inr.field.Parameters;

/**
 * Adam (Kingma & Ba 2015) over a field's trainable tensors, with its moment estimates held in a
 * manager of the fit (freed when the fit ends, not kept with the field). Updates are in place,
 * outside autograd, and zero each gradient afterwards: DJL accumulates gradients across backward
 * passes and never clears them itself.
 */
final class Adam {

	private final List<NDArray> weights = new ArrayList<>();
	private final List<NDArray> means = new ArrayList<>();
	private final List<NDArray> variances = new ArrayList<>();
	/** Base learning rate of each tensor relative to the field's (1 for the field's weights). */
	private final List<Double> rateFactors = new ArrayList<>();
	private final double beta1, beta2, epsilon;
	private long t;

	Adam(final Parameters parameters, final NDManager stateManager, final FitOptions options) {
		this(parameters, List.of(), stateManager, options);
	}

	/** Adam over the field's trainable weights (none if {@code parameters} is null) and an objective's own unknowns. */
	Adam(final Parameters parameters, final List<Trainable> extra, final NDManager stateManager, final FitOptions options) {
		beta1 = options.beta1();
		beta2 = options.beta2();
		epsilon = options.epsilon();
		for (final Map.Entry<String, NDArray> e : parameters == null ? Map.<String, NDArray>of().entrySet() : parameters.all().entrySet()) {
			if (!parameters.isTrainable(e.getKey())) continue;
			add(e.getValue(), 1, stateManager);
		}
		for (final Trainable t : extra)
			add(t.tensor(), t.learningRate() / options.learningRate(), stateManager);
	}

	private void add(final NDArray w, final double rateFactor, final NDManager stateManager) {
		if (!w.hasGradient()) w.setRequiresGradient(true);
		weights.add(w);
		rateFactors.add(rateFactor);
		means.add(stateManager.zeros(w.getShape(), w.getDataType()));
		variances.add(stateManager.zeros(w.getShape(), w.getDataType()));
		Autograd.zeroGradient(w);
	}

	/**
	 * Whether every gradient is finite: one sum per tensor and one read, cheap for an MLP (an
	 * objective asks for it with {@link Objective#skipsNonFiniteSteps()}). A NaN or ±∞ anywhere
	 * makes its tensor's sum non-finite.
	 */
	boolean gradientsFinite(final NDManager scratch) {
		NDArray total = null;
		for (final NDArray w : weights) {
			try (NDArray g = w.getGradient()) {
				final NDArray s = g.sum();
				s.attach(scratch);
				total = total == null ? s : total.add(s);
			}
		}
		if (total == null) return true;
		final float v = total.getFloat();
		return Float.isFinite(v);
	}

	/** The tensors this optimiser updates, in place. */
	List<NDArray> weights() {
		return Collections.unmodifiableList(weights);
	}

	/** Forgets the moment estimates, as at the first step (after the weights were set back). */
	void reset() {
		// a fill, not a multiplication by 0: moments that took in an infinite gradient hold NaN
		for (int i = 0; i < weights.size(); i++) {
			means.get(i).set(new NDIndex("..."), 0);
			variances.get(i).set(new NDIndex("..."), 0);
		}
		t = 0;
	}

	/** Clears every gradient without updating (a skipped step). */
	void discardGradients() {
		for (final NDArray w : weights) Autograd.zeroGradient(w);
	}

	/** One update with step size {@code learningRate}; temporaries go to {@code scratch}. */
	void step(final double learningRate, final NDManager scratch) {
		t++;
		// Bias corrections folded into the step size, as in the Adam paper's efficient form.
		final double c1 = 1 - Math.pow(beta1, t), c2 = 1 - Math.pow(beta2, t);
		final double correction = Math.sqrt(c2) / c1;
		for (int i = 0; i < weights.size(); i++) {
			final NDArray w = weights.get(i);
			final double rate = learningRate * rateFactors.get(i);
			final float stepSize = (float) (rate * correction);
			try (NDArray g = w.getGradient()) {
				g.attach(scratch);
				// PyTorch's fused in-place update: no parameter-sized temporaries, which matters
				// because fresh large allocations are slow (page faults) and hash tables are big.
				// It also zeroes w's gradient, which DJL would otherwise keep accumulating.
				w.getNDArrayInternal().adamUpdate(new NDList(w, g, means.get(i), variances.get(i)), new NDList(w),
						(float) rate, stepSize, 0f, 1f, -1f, (float) beta1, (float) beta2, (float) epsilon, false, false);
			}
		}
	}
}
