package sc.fiji.inr.tasks.mri;

import net.imglib2.type.numeric.real.FloatType;
import sc.fiji.inr.image.Axis;
import sc.fiji.inr.image.CalibratedImage;
import sc.fiji.inr.image.Fft;

/**
 * A 2D k-space, centred and orthonormally scaled (see the {@linkplain sc.fiji.inr.tasks.mri
 * package conventions}): element (u, v) at {@code u + width * v} holds spatial frequency
 * {@code (u - width / 2, v - height / 2)} cycles per field of view.
 * <p>
 * The arrays are shared, not copied, so that a k-space costs no second copy of its data; methods
 * that return a k-space return one over new arrays.
 *
 * @param width     number of samples along the readout (x)
 * @param height    number of phase-encoding lines (y)
 * @param real      real parts, {@code width × height}, x fastest
 * @param imaginary imaginary parts, likewise
 */
public record KSpace(int width, int height, float[] real, float[] imaginary) {

	public KSpace {
		Sizes.checkAtLeast("A k-space", width, height, 1);
		if (real == null || imaginary == null)
			throw new IllegalArgumentException("A k-space needs both real and imaginary parts");
		Sizes.checkLength("The real part", real.length, width, height);
		Sizes.checkLength("The imaginary part", imaginary.length, width, height);
	}

	/** The k-space of a real image: {@link #fromImage(float[], float[], int, int)} with imaginary part 0. */
	public static KSpace fromImage(final float[] image, final int width, final int height) {
		Sizes.checkAtLeast("An image", width, height, 1);
		Sizes.checkLength("The image", image.length, width, height);
		return fromImage(image, new float[image.length], width, height);
	}

	/**
	 * The full, noise-free k-space of a complex image: {@code fftshift(fft2(image)) / sqrt(width·height)};
	 * {@link #toComplexImage} is its inverse. (The {@code of} methods, in contrast, read k-space
	 * data that are already k-space.)
	 */
	public static KSpace fromImage(final float[] real, final float[] imaginary, final int width, final int height) {
		Sizes.checkAtLeast("An image", width, height, 1);
		Sizes.checkLength("The image's real part", real.length, width, height);
		Sizes.checkLength("The image's imaginary part", imaginary.length, width, height);
		final double[] re = toDouble(real), im = toDouble(imaginary);
		Fft.transform2d(re, im, width, height, false);
		Fft.shift2d(re, width, height);
		Fft.shift2d(im, width, height);
		final double scale = 1 / Math.sqrt((double) width * height);
		return new KSpace(width, height, toFloat(re, scale), toFloat(im, scale));
	}

	/**
	 * Reads a k-space image: 2D with two channels (axis {@link Axis#CHANNEL}), channel 0 the real
	 * and channel 1 the imaginary part, as {@link #toImage} writes it. Calibration is ignored.
	 *
	 * @throws IllegalArgumentException if the image is not 2D or has not exactly two channels
	 */
	public static KSpace of(final CalibratedImage<?> image) {
		Planes.check2d(image, "A k-space image (channel 0 real, 1 imaginary)", 2);
		return new KSpace(Planes.width(image), Planes.height(image), Planes.plane(image, 0),
				Planes.plane(image, 1));
	}

	/**
	 * Reads a k-space from two single-channel 2D images of equal size.
	 *
	 * @throws IllegalArgumentException naming both sizes if they differ ("Real part is 181×217
	 *                                  but imaginary part is 180×217")
	 */
	public static KSpace of(final CalibratedImage<?> real, final CalibratedImage<?> imaginary) {
		Planes.check2d(real, "The real part of a k-space", 1);
		Planes.check2d(imaginary, "The imaginary part of a k-space", 1);
		Sizes.checkSameSize("Real part", Planes.width(real), Planes.height(real), "imaginary part",
				Planes.width(imaginary), Planes.height(imaginary));
		return new KSpace(Planes.width(real), Planes.height(real), Planes.plane(real, 0),
				Planes.plane(imaginary, 0));
	}

	/**
	 * This k-space as a 2-channel FLOAT32 image (axes X, Y, CHANNEL; channel 0 real, 1 imaginary)
	 * calibrated in cycles per field of view, so that the DC term sits at coordinate (0, 0).
	 */
	public CalibratedImage<FloatType> toImage(final String name) {
		return Planes.image(name, width, height, new double[] { -(width / 2), -(height / 2) }, "cycles/FOV",
				real, imaginary);
	}

	/** Index of the DC term, {@code width / 2 + width * (height / 2)}. */
	public int centreIndex() {
		return width / 2 + width * (height / 2);
	}

	/** {@code |k|} per element, x fastest. */
	public float[] magnitude() {
		final float[] m = new float[real.length];
		for (int i = 0; i < m.length; i++)
			m[i] = (float) Math.hypot(real[i], imaginary[i]);
		return m;
	}

	/** A copy with every element {@code mask} does not sample set to 0. */
	public KSpace masked(final SamplingMask mask) {
		Sizes.checkSameSize("The mask", mask.width(), mask.height(), "the k-space", width, height);
		final float[] re = new float[real.length], im = new float[imaginary.length];
		final boolean[] s = mask.sampled();
		for (int i = 0; i < re.length; i++)
			if (s[i]) {
				re[i] = real[i];
				im[i] = imaginary[i];
			}
		return new KSpace(width, height, re, im);
	}

	/**
	 * The complex image of this k-space, {@code ifft2(ifftshift(kspace)) · sqrt(width·height)}:
	 * {real, imaginary}, each x fastest. Unsampled (zero) elements contribute nothing, so this is
	 * the zero-filled reconstruction of whatever the k-space holds.
	 */
	public float[][] toComplexImage() {
		final double[] re = toDouble(real), im = toDouble(imaginary);
		Fft.inverseShift2d(re, width, height);
		Fft.inverseShift2d(im, width, height);
		Fft.transform2d(re, im, width, height, true);
		final double scale = Math.sqrt((double) width * height);
		return new float[][] { toFloat(re, scale), toFloat(im, scale) };
	}

	@Override
	public String toString() {
		return "KSpace[" + Sizes.format(width, height) + "]";
	}

	private static double[] toDouble(final float[] v) {
		final double[] d = new double[v.length];
		for (int i = 0; i < v.length; i++)
			d[i] = v[i];
		return d;
	}

	private static float[] toFloat(final double[] v, final double scale) {
		final float[] f = new float[v.length];
		for (int i = 0; i < v.length; i++)
			f[i] = (float) (v[i] * scale);
		return f;
	}
}
