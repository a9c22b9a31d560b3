package sc.fiji.inr.fit;

import ai.djl.ndarray.NDArray;

/**
 * The measurements an {@link Objective} draws for one optimisation step. Objectives with more
 * than coordinates and targets (ray geometry, k-space masks, labels) implement their own.
 */
public interface Batch {

	/** Number of measurements, used for reporting samples per second. */
	long size();

	/** The common case: field coordinates [N, d] and target values [N, C]. */
	record Samples(NDArray coords, NDArray target) implements Batch {
		@Override
		public long size() {
			return coords.getShape().get(0);
		}
	}
}
