package sc.fiji.inr.fit;

import ai.djl.ndarray.NDArray;

/**
 * Data term between predicted and measured values, averaged over all elements.
 *
 * @param kind  L2 (mean squared error), L1 (robust to outliers), Huber (L2 near zero, L1 beyond) or
 *              Cauchy (L2 near zero, logarithmic beyond: a residual far beyond δ pulls ever less, so
 *              measurements of something the model cannot explain are in effect set aside)
 * @param delta Huber transition point or Cauchy scale, in normalised value units
 */
public record Loss(Kind kind, double delta) {

	public enum Kind { L2, L1, HUBER, CAUCHY }

	public static final Loss L2 = new Loss(Kind.L2, 0);

	public Loss {
		if (kind == null) throw new IllegalArgumentException("Loss kind is missing");
		if (kind == Kind.HUBER && !(delta > 0)) throw new IllegalArgumentException("Huber δ must be positive, was " + delta);
		if (kind == Kind.CAUCHY && !(delta > 0 && delta < Double.POSITIVE_INFINITY))
			throw new IllegalArgumentException("Cauchy scale must be positive and finite, was " + delta);
	}

	/** The Cauchy (Lorentzian) loss of scale {@code c}: (c²/2)·log(1 + (d/c)²). */
	public static Loss cauchy(final double c) {
		return new Loss(Kind.CAUCHY, c);
	}

	/** Parses "l2", "l1", "huber", "huber:0.05", "cauchy" or "cauchy:0.05". */
	public static Loss parse(final String text) {
		final String t = text.trim().toLowerCase();
		if (t.equals("l2") || t.equals("mse")) return L2;
		if (t.equals("l1") || t.equals("mae")) return new Loss(Kind.L1, 0);
		if (t.startsWith("huber")) return new Loss(Kind.HUBER, parameter(t));
		if (t.startsWith("cauchy")) return cauchy(parameter(t));
		throw new IllegalArgumentException("Unknown loss '" + text + "' (use l2, l1, huber[:delta] or cauchy[:scale])");
	}

	/** The number after "kind:", or 0.1 without one. */
	private static double parameter(final String t) {
		return t.contains(":") ? Double.parseDouble(t.substring(t.indexOf(':') + 1)) : 0.1;
	}

	public NDArray apply(final NDArray predicted, final NDArray target) {
		final NDArray diff = predicted.sub(target);
		return switch (kind) {
			case L2 -> diff.square().mean();
			case L1 -> diff.abs().mean();
			case HUBER -> {
				final NDArray a = diff.abs();
				final NDArray quadratic = a.minimum((float) delta);
				// 0.5 q² + δ (|d| − q): quadratic inside δ, linear outside, continuous slope.
				yield quadratic.square().mul(0.5).add(a.sub(quadratic).mul(delta)).mean();
			}
			// slope d / (1 + (d/c)²): that of 0.5 d² near zero, falling as 1/d beyond c
			case CAUCHY -> diff.div((float) delta).square().add(1f).log().mul((float) (delta * delta / 2)).mean();
		};
	}

	@Override
	public String toString() {
		return kind == Kind.HUBER || kind == Kind.CAUCHY ? kind.name().toLowerCase() + ":" + delta : kind.name().toLowerCase();
	}
}
