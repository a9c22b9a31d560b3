package sc.fiji.inr.tasks.mri;

/**
 * The zero-filled reconstruction, the classical baseline of undersampled MRI: unacquired k-space
 * elements are taken as 0 and the result is inverse-Fourier-transformed (with the
 * {@linkplain sc.fiji.inr.tasks.mri package conventions}). It is the minimum-norm solution
 * consistent with the data, blurred and aliased where the mask leaves gaps; any reconstruction
 * worth its cost must beat it.
 */
public final class ZeroFilled {

	private ZeroFilled() {}

	/**
	 * @param kspace the acquired k-space; elements the mask does not sample are ignored (taken as
	 *               0) whatever they hold, so a fully sampled k-space can be undersampled
	 *               retrospectively
	 * @return the complex image {real, imaginary}, each {@code width × height}, x fastest
	 * @throws IllegalArgumentException "The mask is 180×217 but the k-space is 181×217" if the
	 *                                  sizes differ
	 */
	public static float[][] reconstruct(final KSpace kspace, final SamplingMask mask) {
		return kspace.masked(mask).toComplexImage();
	}

	/** The magnitude {@code |image|} of {@link #reconstruct}, as usually displayed. */
	public static float[] magnitude(final KSpace kspace, final SamplingMask mask) {
		final float[][] c = reconstruct(kspace, mask);
		final float[] m = new float[c[0].length];
		for (int i = 0; i < m.length; i++)
			m[i] = (float) Math.hypot(c[0][i], c[1][i]);
		return m;
	}
}
