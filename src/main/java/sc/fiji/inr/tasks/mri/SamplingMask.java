package sc.fiji.inr.tasks.mri;

import java.util.List;
import java.util.SplittableRandom;

import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import sc.fiji.inr.image.Axis;
import sc.fiji.inr.image.CalibratedImage;
import sc.fiji.inr.image.PixelType;

/**
 * Which elements of a centred k-space (see the {@linkplain sc.fiji.inr.tasks.mri package
 * conventions}) were acquired. The array is shared, not copied.
 *
 * @param width   k-space width (readout, x)
 * @param height  k-space height (phase encoding, y)
 * @param sampled true where acquired, {@code width × height}, x fastest
 */
public record SamplingMask(int width, int height, boolean[] sampled) {

	/**
	 * Golden-angle increment of radial MRI, 180° / φ (Winkelmann et al. 2007): every new spoke
	 * falls into the largest gap left by the previous ones, so any number of consecutive spokes
	 * covers k-space nearly uniformly.
	 */
	public static final double GOLDEN_ANGLE_DEGREES = 180 / ((1 + Math.sqrt(5)) / 2);

	public SamplingMask {
		Sizes.checkAtLeast("A sampling mask", width, height, 1);
		if (sampled == null) throw new IllegalArgumentException("A sampling mask needs its sampled array");
		Sizes.checkLength("The mask", sampled.length, width, height);
	}

	/** Every element sampled. */
	public static SamplingMask full(final int width, final int height) {
		Sizes.checkAtLeast("A sampling mask", width, height, 1);
		final boolean[] s = new boolean[width * height];
		java.util.Arrays.fill(s, true);
		return new SamplingMask(width, height, s);
	}

	/**
	 * Reads a mask from a single-channel 2D image: nonzero (and NaN) pixels are sampled, so masks
	 * stored as 0/1 ({@link #toImage}), 0/255 or 0/1.0 all work.
	 */
	public static SamplingMask of(final CalibratedImage<?> image) {
		Planes.check2d(image, "A sampling mask image", 1);
		final float[] v = Planes.plane(image, 0);
		final boolean[] s = new boolean[v.length];
		for (int i = 0; i < v.length; i++)
			s[i] = v[i] != 0;
		return new SamplingMask(Planes.width(image), Planes.height(image), s);
	}

	/**
	 * Random Cartesian undersampling as fastMRI's {@code RandomMaskFunc}: whole rows (phase
	 * encodings), with a fully sampled band of {@code round(height · centreFraction)} rows around
	 * the DC row (autocalibration region) and the remaining rows drawn uniformly without
	 * replacement until {@code round(height / acceleration)} rows are sampled in total (at least
	 * the centre band, at least one row). Unlike fastMRI, which draws each row independently, the
	 * total is exact, so the acceleration is the one asked for. The band holds rows
	 * {@code height/2 - c/2 … height/2 - c/2 + c - 1} for {@code c} centre rows (for even
	 * {@code c} one more negative than positive frequency, as in a centred even-sized spectrum).
	 *
	 * @param acceleration   undersampling factor, ≥ 1 (1 = every row)
	 * @param centreFraction fraction of rows in the centre band, in [0, 1) (fastMRI uses 0.08 at
	 *                       4×, 0.04 at 8×)
	 * @param seed           the same seed gives the same mask
	 */
	public static SamplingMask cartesian(final int width, final int height, final double acceleration,
			final double centreFraction, final long seed) {
		Sizes.checkAtLeast("A sampling mask", width, height, 2);
		if (!(acceleration >= 1) || !Double.isFinite(acceleration))
			throw new IllegalArgumentException("Acceleration must be ≥ 1 and finite, was " + acceleration);
		if (!(centreFraction >= 0 && centreFraction < 1))
			throw new IllegalArgumentException("Centre fraction must be in [0, 1), was " + centreFraction);
		final int centre = (int) Math.round(height * centreFraction);
		final int total = Math.max(1, Math.max(centre, (int) Math.round(height / acceleration)));
		final boolean[] rows = new boolean[height];
		final int first = height / 2 - centre / 2;
		for (int y = first; y < first + centre; y++)
			rows[y] = true;
		// partial Fisher–Yates over the rows outside the band: the first `total - centre` of a
		// random permutation, drawn in order so a seed fixes the mask
		final int[] candidates = new int[height - centre];
		for (int y = 0, k = 0; y < height; y++)
			if (!rows[y]) candidates[k++] = y;
		final SplittableRandom random = new SplittableRandom(seed);
		for (int k = 0; k < total - centre; k++) {
			final int j = k + random.nextInt(candidates.length - k);
			final int t = candidates[j];
			candidates[j] = candidates[k];
			candidates[k] = t;
			rows[t] = true;
		}
		final boolean[] s = new boolean[width * height];
		for (int y = 0; y < height; y++)
			if (rows[y]) java.util.Arrays.fill(s, y * width, (y + 1) * width, true);
		return new SamplingMask(width, height, s);
	}

	/**
	 * Radial sampling: {@code spokes} straight lines through the DC element
	 * {@code (width / 2, height / 2)}, each crossing the whole k-space, rasterised by stepping along
	 * it in half-pixel steps and marking the nearest element. Spoke {@code s} is at angle
	 * {@code s · 180° / spokes} (uniform) or {@code s · }{@link #GOLDEN_ANGLE_DEGREES} (golden
	 * angle) from the x axis, measured in index space.
	 *
	 * @param spokes number of spokes, ≥ 1
	 */
	public static SamplingMask radial(final int width, final int height, final int spokes,
			final boolean goldenAngle) {
		Sizes.checkAtLeast("A sampling mask", width, height, 2);
		if (spokes < 1) throw new IllegalArgumentException("A radial mask needs at least 1 spoke, was " + spokes);
		final boolean[] s = new boolean[width * height];
		final int cx = width / 2, cy = height / 2;
		// far enough to leave k-space from the centre in every direction
		final double reach = Math.hypot(width, height);
		final int steps = (int) Math.ceil(reach / 0.5);
		for (int k = 0; k < spokes; k++) {
			final double angle = Math.toRadians(goldenAngle ? k * GOLDEN_ANGLE_DEGREES : k * 180.0 / spokes);
			final double dx = Math.cos(angle), dy = Math.sin(angle);
			for (int i = -steps; i <= steps; i++) {
				final double t = 0.5 * i;
				final long x = Math.round(cx + t * dx), y = Math.round(cy + t * dy);
				if (x >= 0 && x < width && y >= 0 && y < height) s[(int) (x + width * y)] = true;
			}
		}
		return new SamplingMask(width, height, s);
	}

	/** Whether element (x, y) is sampled. */
	public boolean isSampled(final int x, final int y) {
		return sampled[x + width * y];
	}

	/** Number of sampled elements. */
	public long count() {
		long n = 0;
		for (final boolean b : sampled)
			if (b) n++;
		return n;
	}

	/** Sampled fraction of k-space, in [0, 1]; the acceleration is its inverse. */
	public double fraction() {
		return (double) count() / sampled.length;
	}

	/** 1 where sampled, 0 elsewhere, x fastest: for multiplying k-space tensors. */
	public float[] toFloats() {
		final float[] f = new float[sampled.length];
		for (int i = 0; i < f.length; i++)
			if (sampled[i]) f[i] = 1;
		return f;
	}

	/**
	 * This mask as a UINT8 image of 0 (not sampled) and 1 (sampled), axes X, Y, calibrated like
	 * {@link KSpace#toImage} (DC at coordinate 0). 0/1 rather than 0/255 so that the pixel values
	 * are the mask; ImageJ scales the display to the data range, so it is still visible.
	 */
	public CalibratedImage<UnsignedByteType> toImage(final String name) {
		final byte[] data = new byte[sampled.length];
		for (int i = 0; i < data.length; i++)
			if (sampled[i]) data[i] = 1;
		return new CalibratedImage<>(name, ArrayImgs.unsignedBytes(data, width, height), List.of(Axis.X, Axis.Y),
				new double[] { 1, 1 }, new double[] { -(width / 2), -(height / 2) },
				new String[] { "cycles/FOV", "cycles/FOV" }, PixelType.UINT8);
	}

	@Override
	public String toString() {
		return String.format(java.util.Locale.ROOT, "SamplingMask[%s, %.1f%% sampled]", Sizes.format(width, height),
				100 * fraction());
	}
}
