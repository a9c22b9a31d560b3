package sc.fiji.inr.tasks.ct;

import java.util.stream.IntStream;

/**
 * The discrete CT projector A of a {@link CtGeometry} on a W×H reconstruction grid, and its exact
 * adjoint Aᵀ (back-projection).
 * <p>
 * The image is the bilinear interpolant of its pixel values (pixel (i, j) centred at
 * {@code ((i − (W−1)/2)·p, (j − (H−1)/2)·p)}, zero-padded: it fades linearly over the half pixel
 * between the outer pixel centres and the edge of the image box).
 * Each ray is clipped to the image box |x| ≤ W·p/2, |y| ≤ H·p/2 (and, for a fan beam, to the
 * segment from the source to the detector), the clipped interval of length L is cut into
 * {@code n = ⌈L / (p/2)⌉} equal steps of length h = L/n, and the line integral is the midpoint
 * sum {@code h · Σ_k image(t0 + (k + ½) h)}: about two samples per pixel crossed. A is linear;
 * {@link #backproject} scatters the same bilinear weights, so it is exactly Aᵀ up to float
 * rounding.
 * <p>
 * Images are flat float arrays, index {@code i + W·j}; sinograms index {@code i + D·v}. Both
 * whole-sinogram operations run views in parallel and are deterministic: projection writes each
 * view's row on its own, back-projection sums fixed blocks of views in a fixed order.
 */
public final class RayProjector {

	/** Views per back-projection block: the blocks are summed in order, so the result does not depend on threads. */
	private static final int BLOCK = 8;

	private final CtGeometry geometry;
	private final int width, height;
	private final double pixelSize;
	private final int detectors, views;

	/**
	 * @param width     reconstruction grid width W, pixels
	 * @param height    reconstruction grid height H, pixels
	 * @param pixelSize pixel size p, in the geometry's length unit
	 */
	public RayProjector(final CtGeometry geometry, final int width, final int height, final double pixelSize) {
		if (geometry == null) throw new IllegalArgumentException("CT geometry is missing");
		checkGrid(width, height, pixelSize);
		this.geometry = geometry;
		this.width = width;
		this.height = height;
		this.pixelSize = pixelSize;
		detectors = geometry.detectors();
		views = geometry.views();
		if ((long) detectors * views > Integer.MAX_VALUE - 8)
			throw new IllegalArgumentException("Sinogram of " + detectors + " × " + views + " exceeds 2^31 values");
	}

	static void checkGrid(final int width, final int height, final double pixelSize) {
		if (width < 1 || height < 1)
			throw new IllegalArgumentException("Reconstruction grid must be at least 1×1, was " + width + "×" + height);
		if ((long) width * height > Integer.MAX_VALUE - 8)
			throw new IllegalArgumentException("Reconstruction grid " + width + "×" + height + " exceeds 2^31 pixels");
		if (!(pixelSize > 0) || !Double.isFinite(pixelSize))
			throw new IllegalArgumentException("Pixel size must be positive and finite, was " + pixelSize);
	}

	public CtGeometry geometry() {
		return geometry;
	}

	public int width() {
		return width;
	}

	public int height() {
		return height;
	}

	public double pixelSize() {
		return pixelSize;
	}

	/** The target sampling step along a ray: half a pixel. */
	public double step() {
		return pixelSize / 2;
	}

	/** A x: the sinogram (D × V, index i + D·v) of {@code image} (W × H, index i + W·j). */
	public float[] project(final float[] image) {
		checkImage(image);
		final float[] sinogram = new float[detectors * views];
		IntStream.range(0, views).parallel().forEach(v -> projectInto(image, v, sinogram, v * detectors));
		return sinogram;
	}

	/** Aᵀ y: the back-projection of a whole sinogram, with exactly the weights of {@link #project}. */
	public float[] backproject(final float[] sinogram) {
		checkSinogram(sinogram);
		final int blocks = (views + BLOCK - 1) / BLOCK;
		final double[][] partial = new double[blocks][];
		IntStream.range(0, blocks).parallel().forEach(b -> {
			final double[] acc = new double[width * height];
			for (int v = b * BLOCK; v < Math.min(views, (b + 1) * BLOCK); v++) backprojectInto(sinogram, v * detectors, v, acc);
			partial[b] = acc;
		});
		final float[] image = new float[width * height];
		for (int k = 0; k < image.length; k++) {
			double s = 0;
			for (final double[] p : partial) s += p[k];
			image[k] = (float) s;
		}
		return image;
	}

	/**
	 * A_v x: the D line integrals of one view.
	 *
	 * @param out D values to overwrite, or null to allocate them
	 * @return {@code out}
	 */
	public float[] projectView(final float[] image, final int view, final float[] out) {
		checkImage(image);
		checkView(view);
		final float[] row = out == null ? new float[detectors] : out;
		if (row.length != detectors)
			throw new IllegalArgumentException("A view has " + detectors + " detector values, the buffer holds " + row.length);
		projectInto(image, view, row, 0);
		return row;
	}

	/**
	 * A_vᵀ y_v: one view's D values back-projected with the weights of {@link #projectView}.
	 *
	 * @param out W·H values to overwrite, or null to allocate them
	 * @return {@code out}
	 */
	public float[] backprojectView(final float[] viewData, final int view, final float[] out) {
		checkView(view);
		if (viewData.length != detectors)
			throw new IllegalArgumentException("A view has " + detectors + " detector values, got " + viewData.length);
		final float[] image = out == null ? new float[width * height] : out;
		if (image.length != width * height)
			throw new IllegalArgumentException("The image buffer holds " + image.length + " values but the grid " + width + "×"
					+ height + " has " + width * height);
		final double[] acc = new double[width * height];
		backprojectInto(viewData, 0, view, acc);
		for (int k = 0; k < image.length; k++) image[k] = (float) acc[k];
		return image;
	}

	/*
	 * The two kernels below walk each ray with identical arithmetic (the same origin, step and
	 * sample positions t0 + (k + ½)h computed from k, not accumulated), which is what makes the
	 * back-projection the exact transpose of the projection.
	 */

	private void projectInto(final float[] image, final int view, final float[] out, final int offset) {
		final double[] origin = new double[2], direction = new double[2];
		final double hx = width * pixelSize / 2, hy = height * pixelSize / 2;
		final double cx = (width - 1) / 2.0, cy = (height - 1) / 2.0, inv = 1 / pixelSize;
		final int w = width, h = height;
		for (int d = 0; d < detectors; d++) {
			final double[] t = geometry.segment(view, geometry.detectorPosition(d), hx, hy, origin, direction);
			if (t == null) {
				out[offset + d] = 0;
				continue;
			}
			final int n = steps(t);
			final double len = (t[1] - t[0]) / n;
			// fractional pixel indices of the first sample, and their increment per sample
			final double fi0 = (origin[0] + (t[0] + len / 2) * direction[0]) * inv + cx;
			final double fj0 = (origin[1] + (t[0] + len / 2) * direction[1]) * inv + cy;
			final double di = len * direction[0] * inv, dj = len * direction[1] * inv;
			double sum = 0;
			for (int k = 0; k < n; k++) {
				final double fi = fi0 + k * di, fj = fj0 + k * dj;
				final double fli = Math.floor(fi), flj = Math.floor(fj);
				final int i0 = (int) fli, j0 = (int) flj;
				final double a = fi - fli, b = fj - flj;
				if (i0 >= 0 && j0 >= 0 && i0 < w - 1 && j0 < h - 1) {
					final int at = i0 + w * j0;
					sum += (1 - b) * ((1 - a) * image[at] + a * image[at + 1]) + b * ((1 - a) * image[at + w] + a * image[at + w + 1]);
				}
				else {
					// at the border: the neighbours beyond the image are zero
					if (j0 >= 0 && j0 < h) {
						if (i0 >= 0 && i0 < w) sum += (1 - a) * (1 - b) * image[i0 + w * j0];
						if (i0 + 1 >= 0 && i0 + 1 < w) sum += a * (1 - b) * image[i0 + 1 + w * j0];
					}
					if (j0 + 1 >= 0 && j0 + 1 < h) {
						if (i0 >= 0 && i0 < w) sum += (1 - a) * b * image[i0 + w * (j0 + 1)];
						if (i0 + 1 >= 0 && i0 + 1 < w) sum += a * b * image[i0 + 1 + w * (j0 + 1)];
					}
				}
			}
			out[offset + d] = (float) (sum * len);
		}
	}

	private void backprojectInto(final float[] sinogram, final int offset, final int view, final double[] acc) {
		final double[] origin = new double[2], direction = new double[2];
		final double hx = width * pixelSize / 2, hy = height * pixelSize / 2;
		final double cx = (width - 1) / 2.0, cy = (height - 1) / 2.0, inv = 1 / pixelSize;
		final int w = width, h = height;
		for (int d = 0; d < detectors; d++) {
			final float y = sinogram[offset + d];
			if (y == 0) continue;
			final double[] t = geometry.segment(view, geometry.detectorPosition(d), hx, hy, origin, direction);
			if (t == null) continue;
			final int n = steps(t);
			final double len = (t[1] - t[0]) / n;
			final double fi0 = (origin[0] + (t[0] + len / 2) * direction[0]) * inv + cx;
			final double fj0 = (origin[1] + (t[0] + len / 2) * direction[1]) * inv + cy;
			final double di = len * direction[0] * inv, dj = len * direction[1] * inv;
			final double value = y * len;
			for (int k = 0; k < n; k++) {
				final double fi = fi0 + k * di, fj = fj0 + k * dj;
				final double fli = Math.floor(fi), flj = Math.floor(fj);
				final int i0 = (int) fli, j0 = (int) flj;
				final double a = fi - fli, b = fj - flj;
				if (i0 >= 0 && j0 >= 0 && i0 < w - 1 && j0 < h - 1) {
					final int at = i0 + w * j0;
					acc[at] += value * (1 - b) * (1 - a);
					acc[at + 1] += value * (1 - b) * a;
					acc[at + w] += value * b * (1 - a);
					acc[at + w + 1] += value * b * a;
				}
				else {
					if (j0 >= 0 && j0 < h) {
						if (i0 >= 0 && i0 < w) acc[i0 + w * j0] += value * (1 - a) * (1 - b);
						if (i0 + 1 >= 0 && i0 + 1 < w) acc[i0 + 1 + w * j0] += value * a * (1 - b);
					}
					if (j0 + 1 >= 0 && j0 + 1 < h) {
						if (i0 >= 0 && i0 < w) acc[i0 + w * (j0 + 1)] += value * (1 - a) * b;
						if (i0 + 1 >= 0 && i0 + 1 < w) acc[i0 + 1 + w * (j0 + 1)] += value * a * b;
					}
				}
			}
		}
	}

	/** Samples on a clipped interval: the fewest equal steps no longer than half a pixel. */
	private int steps(final double[] t) {
		return Math.max(1, (int) Math.ceil((t[1] - t[0]) / step()));
	}

	private void checkImage(final float[] image) {
		if (image.length != width * height)
			throw new IllegalArgumentException("The image has " + image.length + " values but the grid " + width + "×" + height
					+ " has " + width * height);
	}

	private void checkSinogram(final float[] sinogram) {
		if (sinogram.length != detectors * views)
			throw new IllegalArgumentException("The sinogram has " + sinogram.length + " values but the geometry needs " + detectors
					+ " detectors × " + views + " views = " + detectors * views);
	}

	private void checkView(final int view) {
		if (view < 0 || view >= views)
			throw new IllegalArgumentException("View " + view + " is out of range: the geometry has " + views + " views");
	}
}
