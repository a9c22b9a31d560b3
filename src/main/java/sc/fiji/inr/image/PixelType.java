package sc.fiji.inr.image;

/** Storage type of an image's pixels, kept so that rendered results can be written back alike. */
public enum PixelType {
	UINT8(0, 255), UINT16(0, 65535), INT16(-32768, 32767), FLOAT32(Double.NEGATIVE_INFINITY,
			Double.POSITIVE_INFINITY);

	private final double min, max;

	PixelType(final double min, final double max) {
		this.min = min;
		this.max = max;
	}

	/** Rounds (for integer types) and clamps {@code value} into this type's range. */
	public double clamp(final double value) {
		if (this == FLOAT32) return value;
		return Math.max(min, Math.min(max, Math.rint(value)));
	}
}
