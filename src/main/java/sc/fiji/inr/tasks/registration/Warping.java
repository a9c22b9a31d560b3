package sc.fiji.inr.tasks.registration;

import net.imglib2.type.numeric.real.FloatType;
import sc.fiji.inr.field.CoordinateFrame;
import sc.fiji.inr.image.CalibratedImage;
import sc.fiji.inr.image.PixelType;

/**
 * What a transform produces on the fixed grid: the warped moving image (or any image on the
 * moving image's grid, e.g. labels), the displacement φ(x) − x, det ∂φ/∂x and the folding
 * fraction. All in Java on top of {@link DeformationTransform#map}.
 */
public final class Warping {

	/** Points mapped per call of the field. */
	private static final int CHUNK = 1 << 16;

	private Warping() {}

	/** The fixed grid of {@code t} as a volume without values. */
	static Volume grid(final DeformationTransform t) {
		final CoordinateFrame f = t.fixedFrame();
		return new Volume("fixed grid", new float[][] { new float[Math.toIntExact(product(f.size()))] }, f.size(), f.spacing(), f.origin(),
				f.units()[0], PixelType.FLOAT32);
	}

	/**
	 * {@code image} (on the moving grid, any channels) sampled at φ(x) for every fixed voxel x:
	 * d-linear, or the nearest voxel for label images (values stay labels). Points mapped
	 * outside the image get 0.
	 */
	public static Volume warp(final Volume image, final DeformationTransform t, final boolean nearest) {
		if (image.dims() != t.dims())
			throw new IllegalArgumentException("Image '" + image.name() + "' is " + image.dims() + "D but the transform is " + t.dims() + "D");
		final Volume grid = grid(t);
		final int d = t.dims(), n = grid.voxels(), c = image.channels().length;
		final float[][] out = new float[c][n];
		final float[] value = new float[c];
		final double[] p = new double[d];
		for (int from = 0; from < n; from += CHUNK) {
			final int rows = Math.min(CHUNK, n - from);
			final double[] points = new double[rows * d];
			for (int i = 0; i < rows; i++) {
				grid.position(from + i, p);
				System.arraycopy(p, 0, points, i * d, d);
			}
			t.map(points, rows);
			for (int i = 0; i < rows; i++) {
				System.arraycopy(points, i * d, p, 0, d);
				final boolean inside = image.sample(p, nearest, value);
				for (int ch = 0; ch < c; ch++) out[ch][from + i] = inside ? (float) (image.pixelType() == null ? value[ch] : image.pixelType().clamp(value[ch])) : 0;
			}
		}
		return grid.withChannels(out, image.name() + " warped");
	}

	/** Warps a calibrated image (2D/3D, optional channels) onto the fixed grid; the pixel type is kept. */
	public static CalibratedImage<FloatType> warp(final CalibratedImage<?> image, final DeformationTransform t, final boolean nearest) {
		final Volume v = Volume.of(image);
		final Volume w = warp(v, t, nearest);
		return w.image(image.name() + "-warped", w.channels(), image.pixelType());
	}

	/** The displacement φ(x) − x as a float image on the fixed grid, channels x, y(, z), physical units. */
	public static CalibratedImage<FloatType> displacementImage(final DeformationTransform t, final String title) {
		return grid(t).image(title, displacement(t), PixelType.FLOAT32);
	}

	/** {@code det} ({@link #jacobianDeterminant}) as a float image on the fixed grid (≤ 0 where the map folds). */
	public static CalibratedImage<FloatType> jacobianImage(final DeformationTransform t, final float[] det, final String title) {
		return grid(t).image(title, new float[][] { det }, PixelType.FLOAT32);
	}

	/** {@code image} sampled at the voxel centres of {@code grid} (identity map), for "before" scores. */
	static Volume resample(final Volume image, final Volume grid) {
		final int d = grid.dims(), n = grid.voxels(), c = image.channels().length;
		final float[][] out = new float[c][n];
		final float[] value = new float[c];
		final double[] p = new double[d];
		for (int i = 0; i < n; i++) {
			grid.position(i, p);
			final boolean inside = image.sample(p, false, value);
			for (int ch = 0; ch < c; ch++) out[ch][i] = inside ? value[ch] : 0;
		}
		return grid.withChannels(out, image.name());
	}

	/** Displacement φ(x) − x at every fixed voxel, one array per axis (x, y(, z)), physical units. */
	public static float[][] displacement(final DeformationTransform t) {
		final Volume grid = grid(t);
		final int d = t.dims(), n = grid.voxels();
		final float[][] out = new float[d][n];
		final double[] p = new double[d];
		for (int from = 0; from < n; from += CHUNK) {
			final int rows = Math.min(CHUNK, n - from);
			final double[] points = new double[rows * d], original = new double[rows * d];
			for (int i = 0; i < rows; i++) {
				grid.position(from + i, p);
				System.arraycopy(p, 0, points, i * d, d);
			}
			System.arraycopy(points, 0, original, 0, points.length);
			t.map(points, rows);
			for (int i = 0; i < rows; i++)
				for (int k = 0; k < d; k++) out[k][from + i] = (float) (points[i * d + k] - original[i * d + k]);
		}
		return out;
	}

	/** det ∂φ/∂x at every fixed voxel. */
	public static float[] jacobianDeterminant(final DeformationTransform t) {
		final Volume grid = grid(t);
		final int d = t.dims(), n = grid.voxels();
		final double[] points = new double[n * d], p = new double[d];
		for (int i = 0; i < n; i++) {
			grid.position(i, p);
			System.arraycopy(p, 0, points, i * d, d);
		}
		return t.jacobianDeterminants(points, n);
	}

	/** Percentage of fixed voxels (inside the mask, if any) where det ∂φ/∂x ({@link #jacobianDeterminant}) ≤ 0. */
	public static double foldingPercent(final float[] det, final Volume fixedMask) {
		long folded = 0, counted = 0;
		for (int i = 0; i < det.length; i++) {
			if (fixedMask != null && !(fixedMask.channels()[0][i] > 0)) continue;
			counted++;
			if (!(det[i] > 0)) folded++;
		}
		return counted == 0 ? 0 : 100.0 * folded / counted;
	}

	/** Normalised cross-correlation of two images on the same grid (over the mask, if any), channels averaged. */
	public static double ncc(final Volume a, final Volume b, final Volume mask) {
		double total = 0;
		for (int c = 0; c < a.channels().length; c++) {
			final float[] x = a.channels()[c], y = b.channels()[c];
			double sx = 0, sy = 0, n = 0;
			for (int i = 0; i < x.length; i++) {
				if (mask != null && !(mask.channels()[0][i] > 0)) continue;
				sx += x[i];
				sy += y[i];
				n++;
			}
			final double mx = sx / n, my = sy / n;
			double sxy = 0, sxx = 0, syy = 0;
			for (int i = 0; i < x.length; i++) {
				if (mask != null && !(mask.channels()[0][i] > 0)) continue;
				sxy += (x[i] - mx) * (y[i] - my);
				sxx += (x[i] - mx) * (x[i] - mx);
				syy += (y[i] - my) * (y[i] - my);
			}
			total += sxy / Math.sqrt(sxx * syy + 1e-30);
		}
		return total / a.channels().length;
	}

	private static long product(final long[] a) {
		long p = 1;
		for (final long v : a) p *= v;
		return p;
	}
}
