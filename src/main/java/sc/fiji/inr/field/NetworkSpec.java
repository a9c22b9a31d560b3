package sc.fiji.inr.field;

/**
 * The coordinate network: a fully connected stack of {@code depth} hidden layers of
 * {@code width} units and a linear output layer.
 *
 * @param activation ReLU (for encoded inputs) or sine (SIREN, Sitzmann et al. 2020)
 * @param omega0     SIREN frequency factor ω0 (ignored for ReLU); 30 in the SIREN paper
 */
public record NetworkSpec(Activation activation, int width, int depth, double omega0) {

	public enum Activation {
		RELU, SINE;

		public static Activation parse(final String name) {
			return switch (name.trim().toLowerCase()) {
				case "relu", "mlp" -> RELU;
				case "sine", "siren", "sin" -> SINE;
				default -> throw new IllegalArgumentException("Unknown activation '" + name + "' (use relu or sine)");
			};
		}
	}

	public NetworkSpec {
		if (activation == null) throw new IllegalArgumentException("Network activation is missing");
		if (width < 1 || width > 4096) throw new IllegalArgumentException("Network width must be in 1..4096, was " + width);
		if (depth < 0 || depth > 32) throw new IllegalArgumentException("Network depth must be in 0..32, was " + depth);
		if (activation == Activation.SINE && (!(omega0 > 0) || !Double.isFinite(omega0)))
			throw new IllegalArgumentException("SIREN ω0 must be positive, was " + omega0);
	}
}
