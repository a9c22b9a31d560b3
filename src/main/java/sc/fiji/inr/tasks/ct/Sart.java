package sc.fiji.inr.tasks.ct;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The simultaneous algebraic reconstruction technique (SART; Andersen &amp; Kak 1984): an
 * iterative solution of A x = y with the discrete {@link RayProjector}, one view at a time,
 * <pre>
 * x ← x + λ · A_vᵀ((y_v − A_v x) / A_v 1) / (A_vᵀ 1)
 * </pre>
 * where the divisions are element-wise and skip the rays (A_v 1 = 0) and pixels (A_vᵀ 1 = 0)
 * the view does not touch. Views are visited in scikit-image's golden-ratio order
 * ({@code order_angles_golden_ratio}), so consecutive updates come from far-apart angles; one
 * iteration visits every view once. Deterministic: the same inputs give the same image.
 */
public final class Sart {

	/** Cache the per-view pixel weights A_vᵀ 1 when they take at most this many floats (64 MB). */
	private static final long WEIGHT_CACHE = 16L << 20;

	private Sart() {}

	/**
	 * Reconstructs a W × H image (index i + W·j) from a sinogram (index i + D·v).
	 *
	 * @param iterations  sweeps over all views (0 returns the initial image)
	 * @param relaxation  λ ∈ (0, 2); 0.15–0.5 is typical, 1 is fastest on consistent data
	 * @param nonNegative clamp the image at 0 after every view update (attenuation is never negative)
	 * @param initial     W·H starting values, or null for zeros
	 */
	public static float[] reconstruct(final CtGeometry g, final float[] sinogram, final int width, final int height,
			final double pixelSize, final int iterations, final double relaxation, final boolean nonNegative,
			final float[] initial) {
		if (g == null) throw new IllegalArgumentException("CT geometry is missing");
		if (iterations < 0) throw new IllegalArgumentException("SART iterations must be ≥ 0, was " + iterations);
		if (!(relaxation > 0 && relaxation < 2))
			throw new IllegalArgumentException("SART relaxation must be in (0, 2), was " + relaxation);
		final RayProjector projector = new RayProjector(g, width, height, pixelSize);
		final int d = g.detectors(), views = g.views(), pixels = width * height;
		if (sinogram.length != (long) d * views)
			throw new IllegalArgumentException("The sinogram has " + sinogram.length + " values but the geometry needs " + d
					+ " detectors × " + views + " views = " + (long) d * views);
		if (initial != null && initial.length != pixels)
			throw new IllegalArgumentException("The initial image has " + initial.length + " values but the grid " + width + "×"
					+ height + " has " + pixels);
		final float[] x = initial == null ? new float[pixels] : initial.clone();
		if (iterations == 0) return x;

		// ray lengths through the image, A 1
		final float[] ones = new float[pixels];
		Arrays.fill(ones, 1);
		final float[] rayLength = projector.project(ones);
		final float[][] pixelWeight = (long) views * pixels <= WEIGHT_CACHE ? new float[views][] : null;
		final int[] order = goldenRatioOrder(g.angles(), g.beam() == Beam.FAN ? 360 : 180);

		final float[] predicted = new float[d], residual = new float[d], correction = new float[pixels];
		final float[] detectorOnes = new float[d];
		Arrays.fill(detectorOnes, 1);
		float[] weight = new float[pixels];
		for (int it = 0; it < iterations; it++)
			for (final int v : order) {
				projector.projectView(x, v, predicted);
				for (int i = 0; i < d; i++) {
					final float len = rayLength[i + d * v];
					residual[i] = len > 0 ? (sinogram[i + d * v] - predicted[i]) / len : 0;
				}
				projector.backprojectView(residual, v, correction);
				if (pixelWeight != null && pixelWeight[v] != null) weight = pixelWeight[v];
				else {
					final float[] w = pixelWeight != null ? new float[pixels] : weight;
					projector.backprojectView(detectorOnes, v, w);
					if (pixelWeight != null) pixelWeight[v] = w;
					weight = w;
				}
				for (int k = 0; k < pixels; k++) {
					if (weight[k] <= 0) continue;
					float value = (float) (x[k] + relaxation * correction[k] / weight[k]);
					if (nonNegative && value < 0) value = 0;
					x[k] = value;
				}
			}
		return x;
	}

	/**
	 * The order in which to visit views, as scikit-image's {@code order_angles_golden_ratio}:
	 * start at the smallest angle, then repeatedly step on by {@code period}/φ² and take the
	 * not-yet-visited view nearest (modulo {@code period}) to where that lands. Angles are
	 * compared modulo the period: 180° for parallel beams, 360° for fan beams (scikit-image,
	 * parallel only, sorts them unreduced; the two agree for angles in [0°, 180°)).
	 *
	 * @param angles radians
	 * @param period degrees
	 * @return a permutation of the view indices
	 */
	static int[] goldenRatioOrder(final double[] angles, final double period) {
		final int n = angles.length;
		final double[] deg = new double[n];
		for (int v = 0; v < n; v++) {
			final double m = Math.toDegrees(angles[v]) % period;
			deg[v] = m < 0 ? m + period : m;
		}
		final List<Integer> remaining = new ArrayList<>(n);
		for (int v = 0; v < n; v++) remaining.add(v);
		// a stable sort, as numpy's argsort is for these lists of distinct values
		remaining.sort((a, b) -> Double.compare(deg[a], deg[b]));
		final double golden = (1 + Math.sqrt(5)) / 2, increment = period / (golden * golden);
		final int[] order = new int[n];
		double angle = deg[remaining.get(0)];
		order[0] = remaining.remove(0);
		for (int k = 1; k < n; k++) {
			angle = (angle + increment) % period;
			final int size = remaining.size();
			// first remaining angle ≥ angle (numpy's searchsorted, side left)
			int lo = 0, hi = size;
			while (lo < hi) {
				final int mid = (lo + hi) >>> 1;
				if (deg[remaining.get(mid)] < angle) lo = mid + 1;
				else hi = mid;
			}
			final int above = lo % size, below = (lo - 1 + size) % size;
			final double distBelow = circular(angle - deg[remaining.get(below)], period);
			final double distAbove = circular(angle - deg[remaining.get(above)], period);
			order[k] = remaining.remove(distBelow < distAbove ? below : above);
		}
		return order;
	}

	/** min(|d| mod p, −|d| mod p): the distance around a circle of circumference p. */
	private static double circular(final double diff, final double period) {
		final double a = Math.abs(diff) % period;
		return Math.min(a, (period - a) % period);
	}
}
