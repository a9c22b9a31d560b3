package sc.fiji.inr.tasks.mri;

import java.util.SplittableRandom;

/**
 * Simulates an undersampled, noisy MRI acquisition of a known image: its centred orthonormal
 * k-space (see the {@linkplain sc.fiji.inr.tasks.mri package conventions}) at the elements a mask
 * samples, plus complex Gaussian noise, and exactly 0 elsewhere. For benchmarks and tests, where
 * the image is the ground truth.
 * <p>
 * Because the scaling is orthonormal, noise of σ per k-space component is white noise of σ per
 * component in the fully sampled image, so σ is directly comparable with image intensities.
 */
public final class MriSimulator {

	private MriSimulator() {}

	/**
	 * Acquisition of a real image (e.g. a magnitude image); see
	 * {@link #simulate(float[], float[], int, int, SamplingMask, double, long)}.
	 */
	public static KSpace simulate(final float[] image, final int width, final int height, final SamplingMask mask,
			final double noiseSigma, final long seed) {
		Sizes.checkAtLeast("An image", width, height, 1);
		Sizes.checkLength("The image", image.length, width, height);
		return simulate(image, new float[image.length], width, height, mask, noiseSigma, seed);
	}

	/**
	 * Acquisition of a complex image.
	 *
	 * @param real       real part of the image, {@code width × height}, x fastest
	 * @param imaginary  imaginary part, likewise
	 * @param mask       which k-space elements are acquired; the image's size
	 * @param noiseSigma standard deviation of the Gaussian noise on each of the real and imaginary
	 *                   parts of each sampled element, ≥ 0 (0 = noise-free)
	 * @param seed       noise seed: the same seed gives the same noise
	 * @throws IllegalArgumentException if sizes disagree ("The mask is 180×217 but the image is
	 *                                  181×217") or σ is negative or not finite
	 */
	public static KSpace simulate(final float[] real, final float[] imaginary, final int width, final int height,
			final SamplingMask mask, final double noiseSigma, final long seed) {
		if (!(noiseSigma >= 0) || !Double.isFinite(noiseSigma))
			throw new IllegalArgumentException("Noise sigma must be ≥ 0 and finite, was " + noiseSigma);
		Sizes.checkAtLeast("An image", width, height, 1);
		Sizes.checkSameSize("The mask", mask.width(), mask.height(), "the image", width, height);
		final KSpace full = KSpace.fromImage(real, imaginary, width, height);
		final KSpace k = full.masked(mask);
		if (noiseSigma > 0) {
			final float[] re = k.real(), im = k.imaginary();
			final boolean[] s = mask.sampled();
			final SplittableRandom random = new SplittableRandom(seed);
			// drawn in index order, real then imaginary, so that a seed fixes the noise
			for (int i = 0; i < s.length; i++)
				if (s[i]) {
					re[i] += (float) (noiseSigma * random.nextGaussian());
					im[i] += (float) (noiseSigma * random.nextGaussian());
				}
		}
		return k;
	}
}
