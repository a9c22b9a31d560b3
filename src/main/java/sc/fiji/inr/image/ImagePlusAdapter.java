package sc.fiji.inr.image;

import java.util.ArrayList;
import java.util.List;

import ij.CompositeImage;
import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import ij.process.ShortProcessor;
import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.converter.Converters;
import net.imglib2.converter.readwrite.SamplerConverter;
import net.imglib2.img.basictypeaccess.FloatAccess;
import net.imglib2.img.basictypeaccess.ShortAccess;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.basictypeaccess.array.ShortArray;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.ShortType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

/**
 * Converts between ImageJ 1.x {@link ImagePlus} and {@link CalibratedImage}.
 * <p>
 * {@code imglib2-ij} is not on our class path, so this is a small re-implementation of the part
 * we need. {@link #wrap} shares the ImageStack's pixel arrays so that fitting a field to a large
 * stack costs no second copy, and edits made through the wrapped image show up in the ImagePlus
 * (except for RGB images, which have to be split into channels, i.e. copied).
 * <p>
 * Axis order of wrapped images is X, Y and then those of CHANNEL, Z, TIME that have more than one
 * element, in that order, because that is ImageJ's stack order (c varies fastest), which lets each
 * stack plane become one plane of a {@link PlanarImg} without reordering.
 */
public final class ImagePlusAdapter {

	private static final int SIGN_FLIP = 0x8000;
	/** ImageJ's hyperstack order: x, y, then c, z, t with c varying fastest. */
	private static final List<Axis> IMAGEJ_ORDER = List.of(Axis.X, Axis.Y, Axis.CHANNEL, Axis.Z,
			Axis.TIME);

	private ImagePlusAdapter() {}

	/**
	 * Views {@code imp} as a {@link CalibratedImage}, sharing pixel memory where the types allow.
	 * <p>
	 * When ImageJ has a linear value calibration, pixel values are the calibrated ones, so that
	 * they match what a user reads in ImageJ's status bar and measurements:
	 * <ul>
	 * <li>16-bit with the signed-16-bit calibration: {@link PixelType#INT16}, a read/write view
	 * that subtracts 32768;</li>
	 * <li>8/16-bit with another straight-line calibration (e.g. DICOM rescale slope/intercept):
	 * {@link PixelType#FLOAT32}, a read/write view {@code a + b * raw};</li>
	 * <li>RGB: copied into three UINT8 channels (r, g, b);</li>
	 * <li>8-bit with a colour LUT: the raw indices, as ImageJ measures them.</li>
	 * </ul>
	 * Non-positive or non-finite pixel sizes (ImageJ allows them) become 1, negative ones their
	 * magnitude, because a CalibratedImage needs positive spacing. Virtual stacks are read plane
	 * by plane into memory, since they have no persistent pixel arrays to share.
	 */
	public static CalibratedImage<?> wrap(final ImagePlus imp) {
		final int c = imp.getNChannels(), z = imp.getNSlices(), t = imp.getNFrames();
		final ImageStack stack = imp.getStack();
		if (stack.getSize() != c * z * t)
			throw new IllegalArgumentException("Image '" + imp.getTitle() + "' has " + stack.getSize()
					+ " planes but claims " + c + " channels x " + z + " slices x " + t + " frames");
		final boolean rgb = imp.getType() == ImagePlus.COLOR_RGB;
		if (rgb && c > 1)
			throw new IllegalArgumentException("Image '" + imp.getTitle()
					+ "' is an RGB image with " + c + " channels; split it into channels first");
		final int channels = rgb ? 3 : c;

		final List<Axis> axes = new ArrayList<>(List.of(Axis.X, Axis.Y));
		final List<Long> dims = new ArrayList<>(List.of((long) imp.getWidth(), (long) imp.getHeight()));
		if (channels > 1) add(axes, dims, Axis.CHANNEL, channels);
		if (z > 1) add(axes, dims, Axis.Z, z);
		if (t > 1) add(axes, dims, Axis.TIME, t);
		final long[] dim = dims.stream().mapToLong(Long::longValue).toArray();

		final Calibration cal = imp.getCalibration();
		final int n = axes.size();
		final double[] spacing = new double[n], origin = new double[n];
		final String[] units = new String[n];
		for (int d = 0; d < n; d++) {
			switch (axes.get(d)) {
			case X -> {
				spacing[d] = positiveOr1(cal.pixelWidth);
				origin[d] = finiteOr0(-cal.xOrigin * spacing[d]);
				units[d] = cal.getXUnit();
			}
			case Y -> {
				spacing[d] = positiveOr1(cal.pixelHeight);
				origin[d] = finiteOr0(-cal.yOrigin * spacing[d]);
				units[d] = cal.getYUnit();
			}
			case Z -> {
				spacing[d] = positiveOr1(cal.pixelDepth);
				origin[d] = finiteOr0(-cal.zOrigin * spacing[d]);
				units[d] = cal.getZUnit();
			}
			case TIME -> {
				spacing[d] = positiveOr1(cal.frameInterval);
				units[d] = cal.getTimeUnit();
			}
			case CHANNEL -> {
				spacing[d] = 1;
				units[d] = "channel";
			}
			}
		}
		final String name = imp.getTitle();
		final int size = stack.getSize();

		switch (imp.getBitDepth()) {
		case 24: {
			final List<ByteArray> planes = new ArrayList<>(3 * size);
			final int pixels = imp.getWidth() * imp.getHeight();
			for (int i = 1; i <= size; i++) {
				final byte[] r = new byte[pixels], g = new byte[pixels], b = new byte[pixels];
				((ColorProcessor) stack.getProcessor(i)).getRGB(r, g, b);
				planes.add(new ByteArray(r));
				planes.add(new ByteArray(g));
				planes.add(new ByteArray(b));
			}
			final PlanarImg<UnsignedByteType, ByteArray> img = Planar.wrap(planes, dim, UnsignedByteType::new);
			return new CalibratedImage<>(name, img, axes, spacing, origin, units, PixelType.UINT8);
		}
		case 8: {
			final List<ByteArray> planes = new ArrayList<>(size);
			for (int i = 1; i <= size; i++)
				planes.add(new ByteArray((byte[]) stack.getPixels(i)));
			final PlanarImg<UnsignedByteType, ByteArray> img = Planar.wrap(planes, dim, UnsignedByteType::new);
			if (hasLinearCalibration(cal))
				return new CalibratedImage<>(name, linear(img, cal.getCoefficients()), axes, spacing,
						origin, units, PixelType.FLOAT32);
			return new CalibratedImage<>(name, img, axes, spacing, origin, units, PixelType.UINT8);
		}
		case 16: {
			final List<ShortArray> planes = new ArrayList<>(size);
			for (int i = 1; i <= size; i++)
				planes.add(new ShortArray((short[]) stack.getPixels(i)));
			final PlanarImg<UnsignedShortType, ShortArray> img = Planar.wrap(planes, dim,
					UnsignedShortType::new);
			if (cal.isSigned16Bit())
				return new CalibratedImage<>(name, signed(img), axes, spacing, origin, units,
						PixelType.INT16);
			if (hasLinearCalibration(cal))
				return new CalibratedImage<>(name, linear(img, cal.getCoefficients()), axes, spacing,
						origin, units, PixelType.FLOAT32);
			return new CalibratedImage<>(name, img, axes, spacing, origin, units, PixelType.UINT16);
		}
		case 32: {
			final List<FloatArray> planes = new ArrayList<>(size);
			for (int i = 1; i <= size; i++)
				planes.add(new FloatArray((float[]) stack.getPixels(i)));
			final PlanarImg<FloatType, FloatArray> img = Planar.wrap(planes, dim, FloatType::new);
			return new CalibratedImage<>(name, img, axes, spacing, origin, units, PixelType.FLOAT32);
		}
		default:
			throw new IllegalArgumentException("Image '" + name + "' has unsupported bit depth "
					+ imp.getBitDepth());
		}
	}

	/**
	 * Copies {@code img} into a new hyperstack with the same calibration.
	 * <p>
	 * INT16 becomes a 16-bit image with ImageJ's signed-16-bit calibration (stored value + 32768),
	 * not a 32-bit one: it keeps the file size and type of the original, ImageJ shows the signed
	 * values, and {@link #wrap} turns it back into INT16. Values are rounded and clamped into the
	 * pixel type's range. Axes missing from {@code img} get size 1; more than one channel gives a
	 * {@link CompositeImage}. The origin of the time axis is lost: ImageJ's Calibration has none.
	 */
	public static ImagePlus toImagePlus(final CalibratedImage<?> img) {
		return copyToImagePlus(img);
	}

	private static <T extends RealType<T>> ImagePlus copyToImagePlus(final CalibratedImage<T> img) {
		final RandomAccessibleInterval<T> view = AxisViews.reorder(img.pixels(), img.axes(),
				IMAGEJ_ORDER, img.name());
		final long w = view.dimension(0), h = view.dimension(1);
		final long nc = view.dimension(2), nz = view.dimension(3), nt = view.dimension(4);
		if (w * h > Integer.MAX_VALUE || w > Integer.MAX_VALUE || h > Integer.MAX_VALUE
				|| nc * nz * nt > Integer.MAX_VALUE)
			throw new IllegalArgumentException("Image '" + img.name() + "' is too large for ImageJ: "
					+ img);
		final PixelType type = img.pixelType();
		final double shift = type == PixelType.INT16 ? SIGN_FLIP : 0;
		final ImageStack stack = new ImageStack((int) w, (int) h);
		final Cursor<T> cursor = Views.flatIterable(view).cursor();
		final int planeSize = (int) (w * h);
		for (long p = 0; p < nc * nz * nt; p++) {
			final ImageProcessor ip = newProcessor(type, (int) w, (int) h);
			for (int i = 0; i < planeSize; i++)
				ip.setf(i, (float) (type.clamp(cursor.next().getRealDouble()) + shift));
			stack.addSlice(ip);
		}
		ImagePlus imp = new ImagePlus(img.name(), stack);
		imp.setDimensions((int) nc, (int) nz, (int) nt);
		imp.setOpenAsHyperStack(nc > 1 || nt > 1);
		if (nc > 1) imp = new CompositeImage(imp, CompositeImage.COMPOSITE);
		imp.setCalibration(calibration(img));
		if (imp instanceof CompositeImage composite) {
			for (int c = 1; c <= nc; c++) {
				composite.setPosition(c, 1, 1);
				composite.resetDisplayRange();
			}
			composite.setPosition(1, 1, 1);
		}
		else {
			imp.resetDisplayRange();
		}
		return imp;
	}

	private static Calibration calibration(final CalibratedImage<?> img) {
		final Calibration cal = new Calibration();
		final double[] spacing = img.spacing(), origin = img.origin();
		final String[] units = img.units();
		for (int d = 0; d < img.numDimensions(); d++) {
			switch (img.axes().get(d)) {
			case X -> {
				cal.pixelWidth = spacing[d];
				cal.xOrigin = -origin[d] / spacing[d];
				cal.setXUnit(units[d]);
			}
			case Y -> {
				cal.pixelHeight = spacing[d];
				cal.yOrigin = -origin[d] / spacing[d];
				cal.setYUnit(units[d]);
			}
			case Z -> {
				cal.pixelDepth = spacing[d];
				cal.zOrigin = -origin[d] / spacing[d];
				cal.setZUnit(units[d]);
			}
			case TIME -> {
				cal.frameInterval = spacing[d];
				cal.setTimeUnit(units[d]);
			}
			case CHANNEL -> {}
			}
		}
		if (img.pixelType() == PixelType.INT16) cal.setSigned16BitCalibration();
		return cal;
	}

	private static ImageProcessor newProcessor(final PixelType type, final int w, final int h) {
		return switch (type) {
		case UINT8 -> new ByteProcessor(w, h);
		case UINT16, INT16 -> new ShortProcessor(w, h);
		case FLOAT32 -> new FloatProcessor(w, h);
		};
	}

	private static void add(final List<Axis> axes, final List<Long> dims, final Axis axis,
			final long size) {
		axes.add(axis);
		dims.add(size);
	}

	private static double positiveOr1(final double v) {
		return v > 0 && Double.isFinite(v) ? v : v < 0 && Double.isFinite(v) ? -v : 1;
	}

	private static double finiteOr0(final double v) {
		return Double.isFinite(v) ? v + 0.0 : 0; // + 0.0 turns -0.0 into 0.0
	}

	/** A calibration that changes values but is not the signed-16-bit one (handled apart). */
	private static boolean hasLinearCalibration(final Calibration cal) {
		if (cal.getFunction() != Calibration.STRAIGHT_LINE || cal.isSigned16Bit()) return false;
		final double[] k = cal.getCoefficients();
		return k != null && k.length >= 2 && Double.isFinite(k[0]) && Double.isFinite(k[1])
				&& k[1] != 0 && !(k[0] == 0 && k[1] == 1);
	}

	/**
	 * ImageJ stores signed 16-bit data shifted by +32768 in unsigned shorts; flipping the sign bit
	 * undoes that shift exactly, in both directions, so the view stays writable.
	 */
	static RandomAccessibleInterval<ShortType> signed(final RandomAccessibleInterval<UnsignedShortType> img) {
		final SamplerConverter<UnsignedShortType, ShortType> conv = sampler -> new ShortType(
				new ShortAccess() {
					@Override
					public short getValue(final int index) {
						return (short) (sampler.get().getShort() ^ SIGN_FLIP);
					}

					@Override
					public void setValue(final int index, final short value) {
						sampler.get().setShort((short) (value ^ SIGN_FLIP));
					}
				});
		return Converters.convert(img, conv);
	}

	/** Applies {@code value = k[0] + k[1] * raw}; writes invert it, rounded and clamped to raw. */
	static <T extends RealType<T>> RandomAccessibleInterval<FloatType> linear(
			final RandomAccessibleInterval<T> img, final double[] k) {
		final double a = k[0], b = k[1];
		final SamplerConverter<T, FloatType> conv = sampler -> new FloatType(new FloatAccess() {
			@Override
			public float getValue(final int index) {
				return (float) (a + b * sampler.get().getRealDouble());
			}

			@Override
			public void setValue(final int index, final float value) {
				final T raw = sampler.get();
				final double r = Math.rint((value - a) / b);
				raw.setReal(Math.max(raw.getMinValue(), Math.min(raw.getMaxValue(), r)));
			}
		});
		return Converters.convert(img, conv);
	}
}
