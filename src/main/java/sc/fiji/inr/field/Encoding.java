package sc.fiji.inr.field;

import ai.djl.ndarray.NDArray;

/** Lifts normalised coordinates, shape [N, inDims] in [−1, 1], to features [N, outputDims]. */
public interface Encoding {

	int outputDims();

	NDArray encode(NDArray coords);

	/**
	 * Features that are also differentiable with respect to {@code coords}, for objectives that
	 * move their sample points (stack poses, deformations). Why a separate call: whether an
	 * array was computed from a trainable tensor cannot be asked of DJL reliably (its
	 * {@code hasGradient} is false for results of operations, and asking PyTorch for a leaf's
	 * gradient function crashes), and the hash grid is faster when it need not be.
	 */
	default NDArray encodeDifferentiably(final NDArray coords) {
		return encode(coords);
	}

	/**
	 * Features and their exact derivatives along each coordinate axis, for objectives whose loss
	 * holds the field's spatial Jacobian (registration). The coordinates are constants here: the
	 * tangents are differentiable with respect to the encoding's parameters, not its inputs.
	 */
	Jet encodeWithTangents(NDArray coords);

	/** Builds the encoding for {@code spec}, creating its tensors in {@code parameters}. */
	static Encoding create(final EncodingSpec spec, final int inDims, final Parameters parameters,
			final java.util.SplittableRandom random) {
		if (spec instanceof EncodingSpec.None) return new IdentityEncoding(inDims);
		if (spec instanceof EncodingSpec.FourierFeatures f)
			return new FourierFeatureEncoding(f, inDims, parameters, random);
		if (spec instanceof EncodingSpec.Positional p) return new PositionalEncoding(p, inDims);
		if (spec instanceof EncodingSpec.HashGrid h) return new HashGridEncoding(h, inDims, parameters, random);
		throw new IllegalArgumentException("Unknown encoding " + spec);
	}
}
