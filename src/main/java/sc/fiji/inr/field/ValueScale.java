package sc.fiji.inr.field;

import java.util.Arrays;

/**
 * Per-channel affine map between image intensities and the values a network is trained to
 * output: normalised = (value − offset) / scale. Fitting maps each channel's [min, max] to
 * [−1, 1] (as in SIREN) so that one learning rate suits 8-bit, 16-bit and calibrated images;
 * storing the map lets rendering return the original intensity scale.
 */
public record ValueScale(double[] offset, double[] scale) {

	public ValueScale {
		if (offset.length != scale.length || offset.length == 0)
			throw new IllegalArgumentException("Value scale needs one offset and one scale per channel");
		for (int c = 0; c < scale.length; c++)
			if (!(scale[c] > 0) || !Double.isFinite(scale[c]) || !Double.isFinite(offset[c]))
				throw new IllegalArgumentException("Value scale of channel " + c + " is invalid: offset "
						+ offset[c] + ", scale " + scale[c]);
		offset = offset.clone();
		scale = scale.clone();
	}

	/** Maps each channel's [min, max] to [−1, 1]; a constant channel gets scale 1. */
	public static ValueScale fromRange(final double[] min, final double[] max) {
		final double[] o = new double[min.length], s = new double[min.length];
		for (int c = 0; c < min.length; c++) {
			o[c] = (min[c] + max[c]) / 2;
			s[c] = max[c] > min[c] ? (max[c] - min[c]) / 2 : 1;
		}
		return new ValueScale(o, s);
	}

	public static ValueScale identity(final int channels) {
		final double[] o = new double[channels], s = new double[channels];
		Arrays.fill(s, 1);
		return new ValueScale(o, s);
	}

	public int channels() {
		return offset.length;
	}

	public double normalise(final int channel, final double value) {
		return (value - offset[channel]) / scale[channel];
	}

	public double denormalise(final int channel, final double value) {
		return value * scale[channel] + offset[channel];
	}

	@Override
	public double[] offset() {
		return offset.clone();
	}

	@Override
	public double[] scale() {
		return scale.clone();
	}

	@Override
	public boolean equals(final Object o) {
		return o instanceof ValueScale v && Arrays.equals(offset, v.offset) && Arrays.equals(scale, v.scale);
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(offset) * 31 + Arrays.hashCode(scale);
	}
}
