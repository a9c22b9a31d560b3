package sc.fiji.inr.field;

import java.util.Arrays;

/**
 * A user's choice of field architecture: a named model ("hashgrid", "siren", "fourier",
 * "positional") plus optional overrides, where 0 means "the model's default". Commands and the
 * CLI fill this from their parameters; {@link #toSpec} turns it into a {@link FieldSpec} sized
 * for the image at hand.
 */
public record ModelOptions(String model, int width, int depth, double omega0, int fourierFeatures, double sigma,
		int frequencies, int levels, int featuresPerLevel, int log2TableSize, int coarsest, int finest) {

	public static final String[] MODELS = { "hashgrid", "siren", "fourier", "positional" };

	public ModelOptions {
		model = model == null ? "hashgrid" : model.trim().toLowerCase();
		if (!Arrays.asList(MODELS).contains(model))
			throw new IllegalArgumentException("Unknown model '" + model + "' (use " + String.join(", ", MODELS) + ")");
		if (width < 0 || depth < 0 || omega0 < 0 || fourierFeatures < 0 || sigma < 0 || frequencies < 0 || levels < 0
				|| featuresPerLevel < 0 || log2TableSize < 0 || coarsest < 0 || finest < 0)
			throw new IllegalArgumentException("Model options must not be negative (0 = default)");
	}

	public static ModelOptions of(final String model) {
		return new ModelOptions(model, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	}

	/**
	 * The field spec for an image of {@code gridSize} pixels along its coordinate axes. The hash
	 * grid's finest level defaults to the largest image size so that the finest cells match pixels.
	 */
	public FieldSpec toSpec(final int inDims, final int outChannels, final long[] gridSize) {
		final long largest = Arrays.stream(gridSize).max().orElse(64);
		return switch (model) {
			case "siren" -> new FieldSpec(inDims, outChannels, new EncodingSpec.None(),
					new NetworkSpec(NetworkSpec.Activation.SINE, or(width, 256), or(depth, 3), or(omega0, 30)));
			case "fourier" -> new FieldSpec(inDims, outChannels,
					new EncodingSpec.FourierFeatures(or(fourierFeatures, 256), or(sigma, 8)),
					new NetworkSpec(NetworkSpec.Activation.RELU, or(width, 256), or(depth, 3), 0));
			case "positional" -> new FieldSpec(inDims, outChannels, new EncodingSpec.Positional(or(frequencies, 8)),
					new NetworkSpec(NetworkSpec.Activation.RELU, or(width, 256), or(depth, 3), 0));
			default -> {
				final int c = or(coarsest, 16);
				final int f = or(finest, (int) Math.max(c, Math.min(4096, largest)));
				yield new FieldSpec(inDims, outChannels,
						new EncodingSpec.HashGrid(or(levels, 16), or(featuresPerLevel, 2), or(log2TableSize, 19), c, f),
						new NetworkSpec(NetworkSpec.Activation.RELU, or(width, 64), or(depth, 2), 0));
			}
		};
	}

	/** Adam step size that suits the model (Instant-NGP: 1e-2; SIREN: 1e-4; ReLU MLPs: 1e-3). */
	public double defaultLearningRate() {
		return switch (model) {
			case "hashgrid" -> 1e-2;
			case "siren" -> 1e-4;
			default -> 1e-3;
		};
	}

	private static int or(final int value, final int fallback) {
		return value > 0 ? value : fallback;
	}

	private static double or(final double value, final double fallback) {
		return value > 0 ? value : fallback;
	}
}
