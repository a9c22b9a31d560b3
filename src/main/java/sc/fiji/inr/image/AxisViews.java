package sc.fiji.inr.image;

import java.util.ArrayList;
import java.util.List;

import net.imglib2.RandomAccessibleInterval;
import net.imglib2.view.Views;

/**
 * Views that put an image's axes into the fixed order a file format or ImageJ expects, so that
 * writers can stream pixels with one flat cursor instead of juggling per-axis positions.
 */
final class AxisViews {

	private AxisViews() {}

	/**
	 * A zero-min view of {@code img} with exactly the axes {@code order}, in that order; axes the
	 * image lacks become dimensions of size 1.
	 *
	 * @throws IllegalArgumentException if the image has an axis not in {@code order}
	 */
	static <T> RandomAccessibleInterval<T> reorder(final RandomAccessibleInterval<T> pixels,
			final List<Axis> axes, final List<Axis> order, final String name) {
		for (final Axis a : axes)
			if (!order.contains(a))
				throw new IllegalArgumentException("Image '" + name + "' has axis " + a
						+ ", which cannot be stored in axis order " + order);
		RandomAccessibleInterval<T> view = Views.zeroMin(pixels);
		final List<Axis> current = new ArrayList<>(axes);
		for (final Axis a : order) {
			if (!current.contains(a)) {
				view = Views.addDimension(view, 0, 0);
				current.add(a);
			}
		}
		for (int target = 0; target < order.size(); target++) {
			final int from = current.indexOf(order.get(target));
			if (from != target) {
				view = Views.moveAxis(view, from, target);
				current.add(target, current.remove(from));
			}
		}
		return view;
	}
}
