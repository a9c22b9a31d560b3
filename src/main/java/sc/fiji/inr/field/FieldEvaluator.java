package sc.fiji.inr.field;

import ai.djl.ndarray.NDArray;

/**
 * What a forward model may ask of a field: its normalised values at normalised coordinates,
 * differentiable with respect to the field's parameters (and the coordinates).
 */
public interface FieldEvaluator {

	/** Values [N, outChannels] (normalised scale) at coordinates [N, inDims] in normalised units. */
	NDArray values(NDArray coords);

	/**
	 * Values that are differentiable with respect to {@code coords} too: what an objective asks
	 * for when its coordinates depend on unknowns it fits (poses, a deformation).
	 */
	default NDArray valuesDifferentiableInCoordinates(final NDArray coords) {
		return values(coords);
	}

	/**
	 * Values [N, outChannels] and their derivatives along each normalised coordinate axis,
	 * [inDims, N, outChannels], by forward-mode differentiation ({@link Jet}). Both are
	 * differentiable with respect to the field's parameters.
	 */
	default Jet valuesWithJacobian(final NDArray coords) {
		throw new UnsupportedOperationException(getClass().getSimpleName() + " offers no spatial Jacobian");
	}
}
