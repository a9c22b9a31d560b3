package sc.fiji.inr.tasks.superres;

/**
 * How an image without an orientation of its own (a TIFF, an ImageJ stack) lies in the world.
 * Each names which world axis the image's x, y and slice (z) axes run along, without flips:
 * use NIfTI files with an sform for anything else.
 */
public enum Orientation {
	/** Slices along world z: image x → world x, y → world y. */
	AXIAL(0, 1, 2),
	/** Slices along world y: image x → world x, image y → world z. */
	CORONAL(0, 2, 1),
	/** Slices along world x: image x → world y, image y → world z. */
	SAGITTAL(1, 2, 0);

	private final int[] worldAxes;

	Orientation(final int... worldAxes) {
		this.worldAxes = worldAxes;
	}

	/** World axis of image axis x, y and z. */
	int[] worldAxes() {
		return worldAxes.clone();
	}

	public static Orientation parse(final String name) {
		try {
			return valueOf(name.trim().toUpperCase(java.util.Locale.ROOT));
		}
		catch (final IllegalArgumentException | NullPointerException e) {
			throw new IllegalArgumentException("Unknown orientation '" + name + "' (use axial, coronal or sagittal)");
		}
	}
}
