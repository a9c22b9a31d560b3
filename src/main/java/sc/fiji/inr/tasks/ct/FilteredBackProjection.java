package sc.fiji.inr.tasks.ct;

import java.util.Arrays;
import java.util.stream.IntStream;

import sc.fiji.inr.image.Fft;

/**
 * Filtered back-projection (FBP), the analytic CT reconstruction: each view is ramp-filtered
 * along the detector and smeared back across the image.
 * <p>
 * <b>Parallel beam</b>, as scikit-image's {@code iradon}: each row is zero-padded to a power of
 * two ≥ max(64, 2D), multiplied in the Fourier domain by the {@link RampFilter}'s response, cut
 * back to D samples and divided by the detector spacing; pixels then sum the filtered views at
 * their detector coordinate ⟨r, e_s⟩, linearly interpolated (0 beyond the outer elements), each
 * view weighted by its share of the angular range. Views are compared modulo 180° (a parallel
 * view and its opposite measure the same lines), so N uniform views over 180° or 360° both give
 * every view π/N.
 * <p>
 * <b>Fan beam, flat detector</b>: the weighted FBP for equispaced detectors of Kak &amp; Slaney
 * (<i>Principles of Computerized Tomographic Imaging</i>, §3.4.2). The detector is rescaled to a
 * virtual one through the isocentre (coordinate a = u·R/SDD), the projections are pre-weighted by
 * R/√(R² + a²) and ramp-filtered with the virtual spacing, and a pixel r takes each view's filtered
 * value at the virtual coordinate of the ray through it, weighted by 1/U², U = (R + ⟨r, e_t⟩)/R.
 * A full 360° scan weights every view by ½ of its angular step; a shorter one uses Parker's
 * (1982) weights, applied before filtering, so that each line, measured once or twice, counts
 * once.
 */
public final class FilteredBackProjection {

	/** A scan whose range falls short of 360° by less than this fraction counts as a full scan. */
	private static final double FULL_SCAN_TOLERANCE = 1e-6;

	private FilteredBackProjection() {}

	/**
	 * Reconstructs a W × H image (index i + W·j) of pixel size {@code pixelSize}, centred on the
	 * isocentre, from a sinogram (index i + D·v) of line integrals; values come out in image units
	 * (line integral per length unit).
	 */
	public static float[] reconstruct(final CtGeometry g, final float[] sinogram, final RampFilter filter, final int width,
			final int height, final double pixelSize) {
		if (g == null) throw new IllegalArgumentException("CT geometry is missing");
		if (filter == null) throw new IllegalArgumentException("Ramp filter is missing (use ram-lak, shepp-logan, cosine or hann)");
		RayProjector.checkGrid(width, height, pixelSize);
		final int d = g.detectors(), views = g.views();
		if (sinogram.length != (long) d * views)
			throw new IllegalArgumentException("The sinogram has " + sinogram.length + " values but the geometry needs " + d
					+ " detectors × " + views + " views = " + (long) d * views);
		return g.beam() == Beam.PARALLEL ? parallel(g, sinogram, filter, width, height, pixelSize)
				: fan(g, sinogram, filter, width, height, pixelSize);
	}

	private static float[] parallel(final CtGeometry g, final float[] sinogram, final RampFilter filter, final int width,
			final int height, final double pixelSize) {
		final int d = g.detectors();
		final double[][] q = filtered(g, sinogram, filter, null, 1 / g.detectorSpacing());
		final double[] share = parallelShares(g.angles());
		// detector index of a pixel: (⟨r, e_s⟩ − offset) / spacing + (D − 1)/2, linear in x along a row
		final double scale = 1 / g.detectorSpacing(), centre = (d - 1) / 2.0 - g.detectorOffset() * scale;
		return backproject(g, width, height, pixelSize, (v, x0, dx, y, row) -> {
			final double c = Math.cos(g.angle(v)), s = Math.sin(g.angle(v));
			final double start = (x0 * c - y * s) * scale + centre, step = dx * c * scale;
			final double[] qv = q[v];
			for (int i = 0; i < row.length; i++) row[i] += share[v] * interpolate(qv, start + i * step);
		});
	}

	private static float[] fan(final CtGeometry g, final float[] sinogram, final RampFilter filter, final int width,
			final int height, final double pixelSize) {
		final int d = g.detectors(), views = g.views();
		final double r = g.sourceToCentre(), sdd = g.sourceToDetector();
		final double magnification = sdd / r, virtualSpacing = g.detectorSpacing() / magnification;
		final double[] angles = g.angles();
		double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY;
		for (final double a : angles) {
			min = Math.min(min, a);
			max = Math.max(max, a);
		}
		final double span = max - min;
		final double[] step = angularSteps(angles);
		final boolean full = views > 1 && span * views / (views - 1) >= 2 * Math.PI * (1 - FULL_SCAN_TOLERANCE);
		// Pre-weights per view and element: the cosine weight R/√(R² + a²), times Parker's weight for a short scan.
		final double[][] pre = new double[views][d];
		final double[] viewWeight = new double[views];
		final double delta = (span - Math.PI) / 2;
		for (int v = 0; v < views; v++) {
			final double beta = angles[v] - min;
			viewWeight[v] = full ? step[v] * Math.PI / (span * views / (views - 1)) : step[v];
			for (int i = 0; i < d; i++) {
				final double u = g.detectorPosition(i), a = u / magnification;
				pre[v][i] = r / Math.hypot(r, a) * (full ? 1 : parker(beta, Math.atan(u / sdd), delta));
			}
		}
		final double[][] q = filtered(g, sinogram, filter, pre, 1 / virtualSpacing);
		final double centre = (d - 1) / 2.0 - g.detectorOffset() / magnification / virtualSpacing;
		return backproject(g, width, height, pixelSize, (v, x0, dx, y, row) -> {
			final double c = Math.cos(g.angle(v)), s = Math.sin(g.angle(v));
			final double[] qv = q[v];
			for (int i = 0; i < row.length; i++) {
				final double x = x0 + i * dx;
				// distance from the source along the central ray, and the pixel's detector coordinate
				final double along = r + x * s + y * c;
				if (!(along > 0)) continue; // behind the source: no ray of this view reaches it
				final double a = r * (x * c - y * s) / along;
				final double u = along / r;
				row[i] += viewWeight[v] * interpolate(qv, a / virtualSpacing + centre) / (u * u);
			}
		});
	}

	/**
	 * Parker's weight for the ray at fan angle γ of the view at β ∈ [0, π + 2δ] from the start of
	 * the scan (conjugate rays (β, γ) and (β + π + 2γ, −γ) get weights summing to 1):
	 * sin²(π/4 · β/(δ − γ)) while β &lt; 2δ − 2γ, 1 up to π − 2γ, then
	 * sin²(π/4 · (π + 2δ − β)/(δ + γ)). δ is the overscan: half of (range − 180°), at least the
	 * fan angle for a complete short scan.
	 */
	static double parker(final double beta, final double gamma, final double delta) {
		// For a range shorter than 180° + 2 × fan angle (δ below the fan angle) some lines are
		// measured only once or not at all: a ramp whose denominator is not positive is dropped and
		// the ray keeps weight 1, the Parker-style weighting of incomplete data; expect artefacts.
		if (beta < 2 * (delta - gamma) && delta - gamma > 0) {
			final double s = Math.sin(Math.PI / 4 * beta / (delta - gamma));
			return s * s;
		}
		if (beta > Math.PI - 2 * gamma && delta + gamma > 0) {
			final double s = Math.sin(Math.PI / 4 * Math.max(0, Math.PI + 2 * delta - beta) / (delta + gamma));
			return s * s;
		}
		return 1;
	}

	/**
	 * Each view's share of the angle, views compared modulo π: half the gaps to its neighbours in
	 * angle order, wrapping around. In a limited-angle scan the missing wedge shows as one gap much
	 * wider than the others; it is counted as a typical gap so that the edge views are not
	 * over-weighted.
	 */
	static double[] parallelShares(final double[] angles) {
		final int n = angles.length;
		final double[] share = new double[n];
		if (n == 1) {
			share[0] = Math.PI;
			return share;
		}
		final double[] reduced = new double[n];
		for (int v = 0; v < n; v++) {
			final double m = angles[v] % Math.PI;
			reduced[v] = m < 0 ? m + Math.PI : m;
		}
		final Integer[] order = new Integer[n];
		for (int v = 0; v < n; v++) order[v] = v;
		Arrays.sort(order, (a, b) -> Double.compare(reduced[a], reduced[b]));
		final double[] gap = new double[n];
		for (int k = 0; k < n; k++)
			gap[k] = k + 1 < n ? reduced[order[k + 1]] - reduced[order[k]] : reduced[order[0]] + Math.PI - reduced[order[k]];
		// the typical gap, ignoring coincident views (θ and θ + π of a 360° scan)
		final double[] positive = Arrays.stream(gap).filter(x -> x > 1e-9).sorted().toArray();
		if (positive.length > 0) {
			final double median = positive[positive.length / 2];
			int widest = 0;
			for (int k = 1; k < n; k++)
				if (gap[k] > gap[widest]) widest = k;
			if (gap[widest] > 1.5 * median) gap[widest] = median;
		}
		for (int k = 0; k < n; k++) share[order[k]] = (gap[k] + gap[(k + n - 1) % n]) / 2;
		return share;
	}

	/** Angular step of each view: half the distance between its neighbours in angle order (one neighbour at the ends). */
	static double[] angularSteps(final double[] angles) {
		final int n = angles.length;
		final double[] step = new double[n];
		if (n == 1) {
			step[0] = 2 * Math.PI;
			return step;
		}
		final Integer[] order = new Integer[n];
		for (int v = 0; v < n; v++) order[v] = v;
		Arrays.sort(order, (a, b) -> Double.compare(angles[a], angles[b]));
		for (int k = 0; k < n; k++) {
			final double before = k > 0 ? angles[order[k]] - angles[order[k - 1]] : angles[order[1]] - angles[order[0]];
			final double after = k + 1 < n ? angles[order[k + 1]] - angles[order[k]] : before;
			step[order[k]] = (before + after) / 2;
		}
		return step;
	}

	/**
	 * The sinogram rows, each multiplied by {@code pre} (if given), zero-padded, ramp-filtered by FFT,
	 * cut back to D samples and multiplied by {@code scale}.
	 */
	private static double[][] filtered(final CtGeometry g, final float[] sinogram, final RampFilter filter, final double[][] pre,
			final double scale) {
		final int d = g.detectors(), views = g.views();
		final int size = Math.max(64, Integer.highestOneBit(Math.max(1, 2 * d - 1)) << 1);
		final double[] response = filter.response(size);
		final double[][] q = new double[views][];
		IntStream.range(0, views).parallel().forEach(v -> {
			final double[] re = new double[size], im = new double[size];
			for (int i = 0; i < d; i++) re[i] = sinogram[i + d * v] * (pre == null ? 1 : pre[v][i]);
			Fft.transform(re, im, false);
			for (int k = 0; k < size; k++) {
				re[k] *= response[k];
				im[k] *= response[k];
			}
			Fft.transform(re, im, true);
			final double[] row = Arrays.copyOf(re, d);
			for (int i = 0; i < d; i++) row[i] *= scale;
			q[v] = row;
		});
		return q;
	}

	/** Adds one view's contribution to one image row: pixels at x0 + i·dx, all at height y. */
	@FunctionalInterface
	private interface RowBackprojector {
		void add(int view, double x0, double dx, double y, double[] row);
	}

	/** Sums every view into every image row; rows in parallel, views in order, so the result is deterministic. */
	private static float[] backproject(final CtGeometry g, final int width, final int height, final double pixelSize,
			final RowBackprojector view) {
		final float[] image = new float[width * height];
		final double x0 = -(width - 1) / 2.0 * pixelSize;
		IntStream.range(0, height).parallel().forEach(j -> {
			final double y = (j - (height - 1) / 2.0) * pixelSize;
			final double[] row = new double[width];
			for (int v = 0; v < g.views(); v++) view.add(v, x0, pixelSize, y, row);
			for (int i = 0; i < width; i++) image[i + width * j] = (float) row[i];
		});
		return image;
	}

	/** q at fractional index f, linearly interpolated; 0 outside [0, D − 1], as numpy's interp with left = right = 0. */
	private static double interpolate(final double[] q, final double f) {
		if (!(f >= 0 && f <= q.length - 1)) return 0;
		if (q.length == 1) return q[0];
		final int k = Math.min((int) f, q.length - 2);
		final double t = f - k;
		return q[k] + t * (q[k + 1] - q[k]);
	}
}
