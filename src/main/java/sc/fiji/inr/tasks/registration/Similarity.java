package sc.fiji.inr.tasks.registration;

import java.util.Locale;

import ai.djl.ndarray.NDArray;

/**
 * How alike the warped moving image and the fixed image are, as a loss to minimise. All three
 * take per-point weights (1 inside the moving image and its mask, 0 elsewhere), so points mapped
 * off the moving image do not pull the transform.
 */
public enum Similarity {
	/** Mean squared difference: images of the same modality and intensity scale. */
	MSE,
	/** 1 − normalised cross-correlation over the batch: robust to linear intensity changes (IDIR's default). */
	NCC,
	/** 1 − mean NCC over small windows (patches of the batch): robust to slowly varying intensity changes. */
	LNCC;

	public static Similarity parse(final String text) {
		try {
			return valueOf(text.trim().toUpperCase(Locale.ROOT).replace("LOCAL-NCC", "LNCC").replace("LOCAL NCC", "LNCC"));
		}
		catch (final IllegalArgumentException | NullPointerException e) {
			throw new IllegalArgumentException("Unknown similarity '" + text + "' (use ncc, lncc or mse)");
		}
	}

	/**
	 * The loss of {@code warped} against {@code fixed}, both [P, W, C] (P groups of W points: one
	 * group for MSE and NCC, one window per group for LNCC), with {@code weights} [P, W].
	 */
	public NDArray loss(final NDArray warped, final NDArray fixed, final NDArray weights) {
		final NDArray w = weights.expandDims(2);                                     // [P, W, 1]
		if (this == MSE) return warped.sub(fixed).square().mul(w).sum().div(w.sum().mul((float) warped.getShape().get(2)).add(1e-6f));
		// Weighted Pearson correlation per group and channel, then averaged.
		final NDArray total = w.sum(new int[] { 1 }, true).add(1e-6f);              // [P, 1, 1]
		final NDArray a = warped.sub(warped.mul(w).sum(new int[] { 1 }, true).div(total));
		final NDArray b = fixed.sub(fixed.mul(w).sum(new int[] { 1 }, true).div(total));
		final NDArray cov = a.mul(b).mul(w).sum(new int[] { 1 });                    // [P, C]
		final NDArray va = a.square().mul(w).sum(new int[] { 1 }), vb = b.square().mul(w).sum(new int[] { 1 });
		// ε keeps flat windows (no texture) from dividing by zero; they then count as uncorrelated.
		final NDArray ncc = cov.div(va.mul(vb).add(1e-5f).sqrt());
		return ncc.mean().neg().add(1f);
	}
}
