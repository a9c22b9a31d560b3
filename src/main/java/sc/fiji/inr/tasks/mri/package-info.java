/**
 * Magnetic resonance imaging from undersampled k-space: the data model (k-space, sampling masks),
 * a simulator of undersampled acquisitions and the zero-filled inverse-FFT baseline, in plain
 * Java so that classical results need no DJL.
 * <p>
 * <b>Conventions</b> (shared with the neural-field reconstruction, which must agree exactly):
 * <ul>
 * <li>Images and k-spaces are 2D, {@code width × height}, stored row-major with x fastest:
 * element (x, y) is at {@code x + width * y}.</li>
 * <li>k-space is stored <em>centred</em>: the DC term is at {@code (width / 2, height / 2)}, as
 * after numpy's {@code fftshift} (for odd sizes the centre pixel, for even sizes the one just past
 * the middle; frequency index {@code u - width / 2} along x, likewise along y).</li>
 * <li>Scaling is <em>orthonormal</em>, so image and k-space have the same energy and noise of
 * standard deviation σ per k-space component is σ per image component after a full inverse:
 * <pre>
 * kspace = fftshift(fft2(image)) / sqrt(width · height)
 * image  = ifft2(ifftshift(kspace)) · sqrt(width · height)
 * </pre>
 * with numpy's {@code fft2} (e^-, unnormalised) and {@code ifft2} (e^+, divided by the size), as
 * {@link sc.fiji.inr.image.Fft} computes them. This is {@code norm="ortho"} in numpy and
 * PyTorch.</li>
 * <li>The readout runs along x: a row of k-space (fixed y) is one fully sampled line. Phase
 * encoding runs along y, so a Cartesian undersampling mask selects whole rows.</li>
 * </ul>
 * Entry points: {@link sc.fiji.inr.tasks.mri.MriSimulator} (image → undersampled, noisy
 * k-space), {@link sc.fiji.inr.tasks.mri.ZeroFilled} (k-space → baseline image),
 * {@link sc.fiji.inr.tasks.mri.SamplingMask} (Cartesian and radial masks).
 */
package sc.fiji.inr.tasks.mri;
