package sc.fiji.inr.image;

/**
 * The meaning of one dimension of a {@link CalibratedImage}. Spatial axes and time become
 * coordinates of a neural field; the channel axis becomes its output channels.
 */
public enum Axis {
	X, Y, Z, TIME, CHANNEL;

	/** True for the axes a field takes as input coordinates (x, y, z, t). */
	public boolean isCoordinate() {
		return this != CHANNEL;
	}
}
