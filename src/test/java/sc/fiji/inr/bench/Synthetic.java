package sc.fiji.inr.bench;

import java.util.SplittableRandom;

import sc.fiji.inr.tasks.registration.Volume;

/** Synthetic deformations with known ground truth, for registration tests and benchmarks. */
public final class Synthetic {

	private Synthetic() {}

	/**
	 * A smooth random displacement on a grid of {@code size} (voxel units, one array per axis):
	 * white noise smoothed by a Gaussian of {@code sigma} voxels, scaled so that max |u| = {@code max}.
	 */
	public static float[][] smoothDisplacement(final long[] size, final double sigma, final double max, final long seed) {
		final int d = size.length;
		int n = 1;
		for (final long s : size) n *= (int) s;
		final SplittableRandom r = new SplittableRandom(seed);
		final float[][] u = new float[d][n];
		for (int k = 0; k < d; k++) {
			for (int i = 0; i < n; i++) u[k][i] = (float) r.nextGaussian();
		}
		final Volume v = new Volume("u", u, size, ones(d), new double[d], "pixel", null).smoothed(sigma);
		double biggest = 0;
		for (int i = 0; i < n; i++) {
			double m = 0;
			for (int k = 0; k < d; k++) m += v.channels()[k][i] * v.channels()[k][i];
			biggest = Math.max(biggest, Math.sqrt(m));
		}
		final float[][] out = new float[d][n];
		for (int k = 0; k < d; k++) for (int i = 0; i < n; i++) out[k][i] = (float) (v.channels()[k][i] * max / biggest);
		return out;
	}

	/** fixed(x) = image(x + u(x)) (d-linear), so that moving = image and moving(x + u(x)) = fixed(x). */
	public static Volume warp(final Volume image, final float[][] u) {
		final int d = image.dims(), n = image.voxels();
		final float[][] out = new float[image.channels().length][n];
		final double[] p = new double[d];
		final float[] value = new float[image.channels().length];
		for (int i = 0; i < n; i++) {
			image.position(i, p);
			for (int k = 0; k < d; k++) p[k] += u[k][i] * image.spacing()[k];
			image.sample(p, false, value);
			for (int c = 0; c < value.length; c++) out[c][i] = value[c];
		}
		return image.withChannels(out, image.name() + "-deformed");
	}

	/** Mean and 95th percentile end-point error (voxels) away from a border of {@code margin} voxels. */
	public static double[] endPointError(final float[][] got, final float[][] truth, final long[] size, final int margin) {
		final int d = size.length, n = got[0].length;
		final double[] e = new double[n];
		int m = 0;
		for (int i = 0; i < n; i++) {
			long rest = i;
			boolean inner = true;
			for (int k = 0; k < d; k++) {
				final long q = rest % size[k];
				rest /= size[k];
				if (q < margin || q >= size[k] - margin) inner = false;
			}
			if (!inner) continue;
			double s = 0;
			for (int k = 0; k < d; k++) s += (got[k][i] - truth[k][i]) * (got[k][i] - truth[k][i]);
			e[m++] = Math.sqrt(s);
		}
		final double[] used = java.util.Arrays.copyOf(e, m);
		java.util.Arrays.sort(used);
		double mean = 0;
		for (final double v : used) mean += v;
		return new double[] { mean / m, used[(int) (0.95 * (m - 1))] };
	}

	private static double[] ones(final int d) {
		final double[] o = new double[d];
		java.util.Arrays.fill(o, 1);
		return o;
	}
}
