package sc.fiji.inr.image;

import java.util.List;

import net.imglib2.Cursor;
import net.imglib2.RandomAccess;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.DoubleArray;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.DoubleType;
import net.imglib2.view.Views;

/** Small helpers to build and probe images in tests. */
final class TestImages {

	private TestImages() {}

	static double at(final CalibratedImage<?> img, final long... pos) {
		return at(img.pixels(), pos);
	}

	static double at(final RandomAccessibleInterval<? extends RealType<?>> rai, final long... pos) {
		final RandomAccess<? extends RealType<?>> ra = rai.randomAccess();
		ra.setPosition(pos);
		return ra.get().getRealDouble();
	}

	static <T extends RealType<T>> void set(final CalibratedImage<T> img, final double value,
			final long... pos) {
		final RandomAccess<T> ra = img.pixels().randomAccess();
		ra.setPosition(pos);
		ra.get().setReal(value);
	}

	/** Values in flat (first axis fastest) order. */
	static double[] values(final RandomAccessibleInterval<? extends RealType<?>> rai) {
		final long n = Views.iterable(rai).size();
		final double[] v = new double[(int) n];
		final Cursor<? extends RealType<?>> c = Views.flatIterable(rai).cursor();
		for (int i = 0; i < v.length; i++)
			v[i] = c.next().getRealDouble();
		return v;
	}

	/** A double image whose pixel i (flat order) has value {@code f(i)}. */
	static CalibratedImage<DoubleType> image(final String name, final List<Axis> axes,
			final PixelType type, final java.util.function.IntToDoubleFunction f, final long... dims) {
		final ArrayImg<DoubleType, DoubleArray> img = ArrayImgs.doubles(dims);
		final double[] data = img.update(null).getCurrentStorageArray();
		for (int i = 0; i < data.length; i++)
			data[i] = f.applyAsDouble(i);
		final int n = dims.length;
		final double[] spacing = new double[n], origin = new double[n];
		final String[] units = new String[n];
		for (int d = 0; d < n; d++) {
			spacing[d] = axes.get(d) == Axis.CHANNEL ? 1 : 0.5 + d;
			origin[d] = axes.get(d) == Axis.CHANNEL ? 0 : -3.25 + d;
			units[d] = switch (axes.get(d)) {
			case TIME -> "s";
			case CHANNEL -> "channel";
			default -> "mm";
			};
		}
		return new CalibratedImage<>(name, img, axes, spacing, origin, units, type);
	}
}
