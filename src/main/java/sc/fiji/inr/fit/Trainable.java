package sc.fiji.inr.fit;

import ai.djl.ndarray.NDArray;

/**
 * An unknown that an {@link Objective} fits together with the field: a stack's rigid pose, an
 * affine pre-alignment, a per-slice intensity scale. The {@link Fitter} optimises it with the
 * same Adam and learning-rate schedule as the field's weights, at its own base learning rate:
 * poses live in radians and normalised lengths, not in the weight space the field's rate suits.
 *
 * @param tensor       the values, requiring a gradient, owned by the fit's manager
 * @param learningRate Adam step size at the start of the schedule
 */
public record Trainable(NDArray tensor, double learningRate) {

	public Trainable {
		if (tensor == null) throw new IllegalArgumentException("Trainable tensor is missing");
		if (!(learningRate >= 0) || !Double.isFinite(learningRate))
			throw new IllegalArgumentException("Learning rate of " + tensor.getName() + " must be ≥ 0, was " + learningRate);
	}
}
