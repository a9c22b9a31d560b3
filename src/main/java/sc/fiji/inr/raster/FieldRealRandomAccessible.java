package sc.fiji.inr.raster;

import net.imglib2.RealInterval;
import net.imglib2.RealPoint;
import net.imglib2.RealRandomAccess;
import net.imglib2.RealRandomAccessible;
import net.imglib2.type.numeric.real.FloatType;
import sc.fiji.inr.field.CoordinateFrame;
import sc.fiji.inr.field.NeuralField;

/**
 * One channel of a field as an ImgLib2 continuous image in physical coordinates (the frame's
 * axes and units), so anything ImgLib2 does with a {@link RealRandomAccessible} — views,
 * transforms, rasterisation — works on a field.
 * <p>
 * Each {@code get()} evaluates the network for one point, which costs a call into the compute
 * thread (tens of µs). To fill many pixels use {@link FieldRenderer} or {@link LazyFieldImage},
 * which evaluate in batches; this class is for sparse queries and composition.
 */
public final class FieldRealRandomAccessible implements RealRandomAccessible<FloatType> {

	private final NeuralField field;
	private final int channel;

	public FieldRealRandomAccessible(final NeuralField field, final int channel) {
		if (channel < 0 || channel >= field.spec().outChannels())
			throw new IllegalArgumentException("Channel " + channel + " does not exist; the field has "
					+ field.spec().outChannels() + " channel(s)");
		this.field = field;
		this.channel = channel;
	}

	public NeuralField field() {
		return field;
	}

	/** The physical box covered by the source image (outer pixel edges). */
	public RealInterval sourceBounds() {
		final CoordinateFrame f = field.frame();
		final double[] min = new double[f.numDimensions()], max = new double[f.numDimensions()];
		for (int d = 0; d < min.length; d++) {
			min[d] = f.min(d);
			max[d] = f.max(d);
		}
		return new net.imglib2.FinalRealInterval(min, max);
	}

	@Override
	public int numDimensions() {
		return field.spec().inDims();
	}

	@Override
	public RealRandomAccess<FloatType> realRandomAccess() {
		return new Access();
	}

	@Override
	public RealRandomAccess<FloatType> realRandomAccess(final RealInterval interval) {
		return realRandomAccess();
	}

	@Override
	public FloatType getType() {
		return new FloatType();
	}

	private final class Access extends RealPoint implements RealRandomAccess<FloatType> {

		private final FloatType value = new FloatType();
		private final double[] point;

		Access() {
			super(field.spec().inDims());
			point = new double[n];
		}

		@Override
		public FloatType get() {
			localize(point);
			value.set(field.evaluatePhysical(point, 1)[channel]);
			return value;
		}

		@Override
		public Access copy() {
			final Access a = new Access();
			a.setPosition(this);
			return a;
		}

		@Override
		public FloatType getType() {
			return value;
		}
	}
}
