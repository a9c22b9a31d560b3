package sc.fiji.inr.raster;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleConsumer;
import java.util.function.BooleanSupplier;

import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.real.FloatType;
import sc.fiji.inr.field.CoordinateFrame;
import sc.fiji.inr.field.NeuralField;
import sc.fiji.inr.image.Axis;
import sc.fiji.inr.image.CalibratedImage;
import sc.fiji.inr.image.PixelType;

/**
 * Evaluates a field on a {@link RenderGrid} in batches, into an image with the field's axes
 * (channels after Y, ImageJ's XYCZT order) and calibration. Values are returned in the source
 * intensity scale and, for integer source types, rounded and clamped to that type's range.
 */
public final class FieldRenderer {

	/** Points per evaluation batch: large enough to amortise a call, small enough to stay cheap. */
	static final int BATCH = 1 << 16;

	private FieldRenderer() {}

	public static CalibratedImage<FloatType> render(final NeuralField field, final RenderGrid grid) {
		return render(field, grid, p -> {}, () -> false);
	}

	/**
	 * @param progress  receives the fraction done
	 * @param cancelled polled between batches; rendering stops with {@link java.util.concurrent.CancellationException}
	 */
	public static CalibratedImage<FloatType> render(final NeuralField field, final RenderGrid grid,
			final DoubleConsumer progress, final BooleanSupplier cancelled) {
		final CoordinateFrame frame = field.frame();
		if (grid.numDimensions() != frame.numDimensions())
			throw new IllegalArgumentException("Render grid has " + grid.numDimensions() + " axes but the field has "
					+ frame.numDimensions() + " " + frame.axes());
		final int channels = field.spec().outChannels();
		final long pixels = grid.pixels();
		if (pixels * channels > Integer.MAX_VALUE - 8)
			throw new IllegalArgumentException("Render of " + pixels + " pixels × " + channels
					+ " channels exceeds 2^31 values; render a region, or use the lazy image (LazyFieldImage)");
		final float[] out = new float[(int) (pixels * channels)];
		final PixelType type = field.source().pixelType();
		final int dims = grid.numDimensions();
		final long[] size = grid.size();
		final double[] origin = grid.origin(), spacing = grid.spacing();
		final double[] points = new double[BATCH * dims];
		final long[] position = new long[dims];
		// Output layout: coordinate axes with channels inserted after Y (or after X for 1D).
		final int channelSlot = Math.min(2, dims);
		final long[] stride = outputStrides(size, channels, channelSlot);
		for (long from = 0; from < pixels; from += BATCH) {
			if (cancelled.getAsBoolean()) throw new java.util.concurrent.CancellationException("Rendering cancelled");
			final int n = (int) Math.min(BATCH, pixels - from);
			for (int i = 0; i < n; i++) {
				long rest = from + i;
				for (int d = 0; d < dims; d++) {
					position[d] = rest % size[d];
					rest /= size[d];
					points[i * dims + d] = origin[d] + position[d] * spacing[d];
				}
			}
			final float[] values = field.evaluatePhysical(points, n);
			for (int i = 0; i < n; i++) {
				long rest = from + i, offset = 0;
				for (int d = 0; d < dims; d++) {
					offset += (rest % size[d]) * stride[d < channelSlot ? d : d + 1];
					rest /= size[d];
				}
				for (int c = 0; c < channels; c++)
					out[(int) (offset + c * stride[channelSlot])] = (float) type.clamp(values[i * channels + c]);
			}
			progress.accept((double) Math.min(pixels, from + n) / pixels);
		}
		return toImage(field, grid, out, channels, channelSlot);
	}

	private static long[] outputStrides(final long[] size, final int channels, final int channelSlot) {
		final List<Long> dims = new ArrayList<>();
		for (int d = 0; d < size.length; d++) {
			if (d == channelSlot) dims.add((long) channels);
			dims.add(size[d]);
		}
		if (channelSlot == size.length) dims.add((long) channels);
		final long[] stride = new long[dims.size()];
		long s = 1;
		for (int d = 0; d < stride.length; d++) {
			stride[d] = s;
			s *= dims.get(d);
		}
		return stride;
	}

	private static CalibratedImage<FloatType> toImage(final NeuralField field, final RenderGrid grid, final float[] data,
			final int channels, final int channelSlot) {
		final CoordinateFrame frame = field.frame();
		final List<Axis> axes = new ArrayList<>();
		final List<Long> dims = new ArrayList<>();
		final List<Double> spacing = new ArrayList<>(), origin = new ArrayList<>();
		final List<String> units = new ArrayList<>();
		for (int d = 0; d <= grid.numDimensions(); d++) {
			if (d == channelSlot && channels > 1) {
				axes.add(Axis.CHANNEL);
				dims.add((long) channels);
				spacing.add(1.0);
				origin.add(0.0);
				units.add("");
			}
			if (d == grid.numDimensions()) break;
			axes.add(frame.axes().get(d));
			dims.add(grid.size()[d]);
			spacing.add(grid.spacing()[d]);
			origin.add(grid.origin()[d]);
			units.add(frame.units()[d]);
		}
		final ArrayImg<FloatType, FloatArray> img = ArrayImgs.floats(data, dims.stream().mapToLong(Long::longValue).toArray());
		return new CalibratedImage<>(field.source().name(), img, axes,
				spacing.stream().mapToDouble(Double::doubleValue).toArray(),
				origin.stream().mapToDouble(Double::doubleValue).toArray(), units.toArray(String[]::new),
				field.source().pixelType());
	}
}
