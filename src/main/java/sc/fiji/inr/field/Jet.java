package sc.fiji.inr.field;

import ai.djl.ndarray.NDArray;

/**
 * A value and its first derivatives along each input axis, carried forward through a field
 * (forward-mode differentiation): {@code value} [N, F], {@code tangents} [d, N, F] with
 * tangents[k] = ∂value/∂x_k.
 * <p>
 * Why forward mode: registration regularisers need the spatial Jacobian of a displacement
 * inside the loss, and the loss must then be differentiated with respect to the weights.
 * DJL's {@code GradientCollector} offers no second-order (create-graph) backward, but the
 * tangents are built from ordinary first-order operations, so one reverse pass through them
 * gives the weight gradients of any function of the Jacobian.
 */
public record Jet(NDArray value, NDArray tangents) {

	public Jet {
		if (value == null || tangents == null) throw new IllegalArgumentException("Jet needs a value and its tangents");
	}

	/** Number of input axes the tangents are taken along. */
	public int inputDims() {
		return Math.toIntExact(tangents.getShape().get(0));
	}
}
