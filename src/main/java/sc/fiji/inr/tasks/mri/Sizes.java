package sc.fiji.inr.tasks.mri;

/**
 * The size checks of this package, in one place so that every mismatch is reported alike, naming
 * both sizes: "The mask is 180×217 but the k-space is 181×217".
 */
final class Sizes {

	private Sizes() {}

	/** "181×217". */
	static String format(final int width, final int height) {
		return width + "×" + height;
	}

	/**
	 * @param first  subject of the message, capitalised ("The mask")
	 * @param second what it is compared with ("the k-space")
	 * @throws IllegalArgumentException "First is w1×h1 but second is w2×h2" unless the sizes agree
	 */
	static void checkSameSize(final String first, final int width1, final int height1, final String second,
			final int width2, final int height2) {
		if (width1 != width2 || height1 != height2) throw new IllegalArgumentException(first + " is "
				+ format(width1, height1) + " but " + second + " is " + format(width2, height2));
	}

	/** @throws IllegalArgumentException unless {@code array} holds {@code width × height} elements */
	static void checkLength(final String what, final int length, final int width, final int height) {
		if (length != (long) width * height) throw new IllegalArgumentException(what + " has " + length
				+ " values but a " + format(width, height) + " grid needs " + (long) width * height);
	}

	/** @throws IllegalArgumentException unless both sizes are at least {@code min} */
	static void checkAtLeast(final String what, final int width, final int height, final int min) {
		if (width < min || height < min) throw new IllegalArgumentException(what + " must be at least "
				+ format(min, min) + ", was " + format(width, height));
	}
}
