package sc.fiji.inr.image;

import java.util.List;
import java.util.function.Function;

import net.imglib2.img.basictypeaccess.array.ArrayDataAccess;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.type.NativeType;
import net.imglib2.util.Fraction;

/**
 * Builds {@link PlanarImg}s over plane arrays we already have (ImageJ's stack planes, or planes
 * filled while streaming a file), which {@code PlanarImgs} cannot: it always allocates.
 */
final class Planar {

	private Planar() {}

	/**
	 * A planar image over {@code planes} (no copy); plane {@code i} holds the x-y slice at flat
	 * index {@code i} of the remaining dimensions, first remaining dimension fastest.
	 */
	static <T extends NativeType<T>, A extends ArrayDataAccess<A>> PlanarImg<T, A> wrap(
			final List<A> planes, final long[] dims, final Function<PlanarImg<T, A>, T> linkedType) {
		final PlanarImg<T, A> img = new PlanarImg<>(planes, dims, new Fraction());
		img.setLinkedType(linkedType.apply(img));
		return img;
	}
}
