package sc.fiji.inr.field;

/**
 * Everything needed to build an untrained field: encoding, network and the number of input
 * coordinates (1–4: x, y, z, t) and output channels.
 */
public record FieldSpec(int inDims, int outChannels, EncodingSpec encoding, NetworkSpec network) {

	public FieldSpec {
		if (inDims < 1 || inDims > 4)
			throw new IllegalArgumentException("A field takes 1 to 4 input coordinates (x, y, z, t), not " + inDims);
		if (outChannels < 1 || outChannels > 1024)
			throw new IllegalArgumentException("A field has 1 to 1024 output channels, not " + outChannels);
		if (encoding == null) throw new IllegalArgumentException("Field encoding is missing");
		if (network == null) throw new IllegalArgumentException("Field network is missing");
	}

	/** SIREN with coordinates fed directly (SIREN paper defaults: ω0 = 30). */
	public static FieldSpec siren(final int inDims, final int outChannels, final int width, final int depth) {
		return new FieldSpec(inDims, outChannels, new EncodingSpec.None(),
				new NetworkSpec(NetworkSpec.Activation.SINE, width, depth, 30));
	}

	/** ReLU MLP on Gaussian Fourier features. */
	public static FieldSpec fourier(final int inDims, final int outChannels, final int features,
			final double sigma, final int width, final int depth) {
		return new FieldSpec(inDims, outChannels, new EncodingSpec.FourierFeatures(features, sigma),
				new NetworkSpec(NetworkSpec.Activation.RELU, width, depth, 0));
	}

	/** Instant-NGP style hash grid with a small ReLU MLP. */
	public static FieldSpec hashGrid(final int inDims, final int outChannels, final int levels,
			final int featuresPerLevel, final int log2TableSize, final int coarsest, final int finest,
			final int width, final int depth) {
		return new FieldSpec(inDims, outChannels,
				new EncodingSpec.HashGrid(levels, featuresPerLevel, log2TableSize, coarsest, finest),
				new NetworkSpec(NetworkSpec.Activation.RELU, width, depth, 0));
	}
}
