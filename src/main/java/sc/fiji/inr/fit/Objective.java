package sc.fiji.inr.fit;

import java.util.SplittableRandom;

import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import sc.fiji.inr.field.FieldEvaluator;
import sc.fiji.inr.field.NeuralField;

/**
 * A task's forward model: which measurements exist, how a field predicts them, how predictions
 * are scored. Fitting pixels, CT rays, MRI k-space, warped images and labels are all objectives;
 * the {@link Fitter} knows nothing else about a task.
 */
public interface Objective {

	/** Short name stored in the field's training record (e.g. "pixels"). */
	String name();

	/** Draws one step's measurements; arrays belong to {@code manager}, which is closed after the step. */
	Batch sample(NDManager manager, SplittableRandom random);

	/** Predicts the measurements of {@code batch} from the field, differentiably. */
	NDArray predict(FieldEvaluator field, Batch batch);

	/** Scalar loss of a prediction: data term plus any regulariser. */
	NDArray loss(NDArray predicted, Batch batch);

	/**
	 * Quality of the current field on a fixed evaluation set, in dB PSNR, without gradients;
	 * NaN if the objective has no such measure. Called on the compute thread every few steps.
	 */
	default double evaluatePsnr(final NeuralField field) {
		return Double.NaN;
	}

	/**
	 * Unknowns this objective fits along with the field (none by default). Called once on the
	 * compute thread before the first step; the tensors belong to {@code fitManager}, which is
	 * closed when the fit ends, so read what you need in {@link #fitFinished()}.
	 */
	default List<Trainable> createTrainables(final NDManager fitManager) {
		return List.of();
	}

	/**
	 * Whether the field's weights are unknowns of this objective (true by default). An objective
	 * that fits only its own {@link #createTrainables trainables} (e.g. an affine pre-alignment)
	 * says false, and the optimiser then leaves the weights alone instead of stepping every one
	 * of them with a zero gradient (a hash grid has millions).
	 */
	default boolean trainsField() {
		return true;
	}

	/**
	 * Whether a step whose gradients hold a NaN or ±∞ is skipped (gradients discarded, weights
	 * kept) instead of poisoning the weights; false by default, since the check costs a read per
	 * step. Many skips in a row still end the fit as diverged.
	 */
	default boolean skipsNonFiniteSteps() {
		return false;
	}

	/** Called on the compute thread after the last step, while the trainables still exist. */
	default void fitFinished() {}
}
