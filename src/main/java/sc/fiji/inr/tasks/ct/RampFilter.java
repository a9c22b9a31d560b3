package sc.fiji.inr.tasks.ct;

import java.util.Locale;

import sc.fiji.inr.image.Fft;

/**
 * The ramp filters of {@link FilteredBackProjection}, built as scikit-image's {@code iradon}
 * builds them ({@code _get_fourier_filter}): the band-limited spatial Ram-Lak kernel, zero-padded
 * and Fourier-transformed, times an apodisation window that trades resolution for noise.
 */
public enum RampFilter {
	/** The plain ramp |ν| (Ramachandran–Lakshminarayanan): sharpest, noisiest. */
	RAM_LAK("ram-lak"),
	/** Ramp × sinc(ν): Shepp &amp; Logan's slight smoothing. */
	SHEPP_LOGAN("shepp-logan"),
	/** Ramp × cos(πν). */
	COSINE("cosine"),
	/** Ramp × Hann window: smoothest. */
	HANN("hann");

	private final String label;

	RampFilter(final String label) {
		this.label = label;
	}

	/** {@code "ram-lak"} (also {@code "ramp"}), {@code "shepp-logan"}, {@code "cosine"} or {@code "hann"}; case ignored. */
	public static RampFilter parse(final String name) {
		if (name != null) {
			final String n = name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
			if (n.equals("ramp")) return RAM_LAK;
			for (final RampFilter f : values())
				if (f.label.equals(n)) return f;
		}
		throw new IllegalArgumentException("Unknown ramp filter '" + name + "' (use ram-lak, shepp-logan, cosine or hann)");
	}

	/** The name {@link #parse} reads. */
	@Override
	public String toString() {
		return label;
	}

	/**
	 * The real frequency response, in FFT order, of this filter for {@code size} samples (a power
	 * of two): the DFT of the Ram-Lak kernel h(0) = 1/4, h(odd n) = −1/(πn)², h(even n ≠ 0) = 0
	 * (circularly symmetric), times the window. It approximates |ν| in cycles per sample, reaching
	 * ½ at Nyquist, so filtering in sample units and dividing by the detector spacing gives the
	 * ramp in physical units. scikit-image's response is twice this; it halves it again in its
	 * final π/(2N) weight.
	 */
	double[] response(final int size) {
		if (size < 2 || Integer.bitCount(size) != 1)
			throw new IllegalArgumentException("Ramp filter size must be a power of two ≥ 2, was " + size);
		final double[] re = new double[size], im = new double[size];
		re[0] = 0.25;
		for (int k = 1; k < size; k += 2) {
			final int n = k < size / 2 ? k : size - k;
			re[k] = -1 / (Math.PI * n * Math.PI * n);
		}
		Fft.transform(re, im, false);
		for (int k = 0; k < size; k++) {
			// signed frequency in cycles per sample, numpy's fftfreq
			final double freq = (k < (size + 1) / 2 ? k : k - size) / (double) size;
			re[k] *= switch (this) {
				case RAM_LAK -> 1;
				case SHEPP_LOGAN -> {
					final double omega = Math.PI * freq;
					yield k == 0 ? 1 : Math.sin(omega) / omega;
				}
				// fftshift(sin(linspace(0, π, size, endpoint=False))) and fftshift(hanning(size))
				case COSINE -> Math.sin(Math.PI * ((k + size / 2) % size) / size);
				case HANN -> 0.5 - 0.5 * Math.cos(2 * Math.PI * ((k + size / 2) % size) / (size - 1));
			};
		}
		return re;
	}
}
