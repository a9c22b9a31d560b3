package sc.fiji.inr.field;

import ai.djl.ndarray.NDArray;

/** Lifts normalised coordinates, shape [N, inDims] in [−1, 1], to features [N, outputDims]. */
public interface Encoding {

	int outputDims();

	NDArray encode(NDArray coords);

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
