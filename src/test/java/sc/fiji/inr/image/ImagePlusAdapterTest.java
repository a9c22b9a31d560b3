package sc.fiji.inr.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import ij.CompositeImage;
import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ShortProcessor;
import net.imglib2.type.numeric.integer.ShortType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.FloatType;

class ImagePlusAdapterTest {

	@BeforeAll
	static void headless() {
		System.setProperty("java.awt.headless", "true");
	}

	@Test
	void wraps8BitWithoutCopying() {
		final ByteProcessor bp = new ByteProcessor(4, 3);
		bp.set(2, 1, 200);
		final ImagePlus imp = new ImagePlus("bytes", bp);
		@SuppressWarnings("unchecked")
		final CalibratedImage<UnsignedByteType> img = (CalibratedImage<UnsignedByteType>) ImagePlusAdapter
				.wrap(imp);
		assertEquals("bytes", img.name());
		assertEquals(List.of(Axis.X, Axis.Y), img.axes());
		assertArrayEquals(new long[] { 4, 3 }, img.pixels().dimensionsAsLongArray());
		assertEquals(PixelType.UINT8, img.pixelType());
		assertInstanceOf(UnsignedByteType.class, img.pixels().getType());
		assertEquals(200, TestImages.at(img, 2, 1));
		// shared memory in both directions
		bp.set(0, 0, 17);
		assertEquals(17, TestImages.at(img, 0, 0));
		TestImages.set(img, 99, 3, 2);
		assertEquals(99, bp.get(3, 2));
	}

	@Test
	void wraps16And32Bit() {
		final ShortProcessor sp = new ShortProcessor(3, 2);
		sp.set(1, 1, 60000);
		final CalibratedImage<?> shorts = ImagePlusAdapter.wrap(new ImagePlus("s", sp));
		assertEquals(PixelType.UINT16, shorts.pixelType());
		assertInstanceOf(UnsignedShortType.class, shorts.pixels().getType());
		assertEquals(60000, TestImages.at(shorts, 1, 1));

		final FloatProcessor fp = new FloatProcessor(3, 2);
		fp.setf(2, 0, -1.25f);
		final CalibratedImage<?> floats = ImagePlusAdapter.wrap(new ImagePlus("f", fp));
		assertEquals(PixelType.FLOAT32, floats.pixelType());
		assertInstanceOf(FloatType.class, floats.pixels().getType());
		assertEquals(-1.25, TestImages.at(floats, 2, 0));
		fp.setf(0, 0, 7.5f);
		assertEquals(7.5, TestImages.at(floats, 0, 0));
	}

	/** Hyperstack whose pixel (0,0) in plane (c, z, t) holds 100c + 10z + t. */
	private static ImagePlus hyperstack(final int c, final int z, final int t) {
		final ImageStack stack = new ImageStack(5, 4);
		for (int ti = 0; ti < t; ti++)
			for (int zi = 0; zi < z; zi++)
				for (int ci = 0; ci < c; ci++) {
					final FloatProcessor fp = new FloatProcessor(5, 4);
					fp.setf(0, 0, 100 * ci + 10 * zi + ti);
					fp.setf(4, 3, -1);
					stack.addSlice(fp);
				}
		final ImagePlus imp = new ImagePlus("hs", stack);
		imp.setDimensions(c, z, t);
		return imp;
	}

	@Test
	void hyperstackAxesFollowImageJOrder() {
		final CalibratedImage<?> img = ImagePlusAdapter.wrap(hyperstack(2, 3, 4));
		assertEquals(List.of(Axis.X, Axis.Y, Axis.CHANNEL, Axis.Z, Axis.TIME), img.axes());
		assertArrayEquals(new long[] { 5, 4, 2, 3, 4 }, img.pixels().dimensionsAsLongArray());
		for (int c = 0; c < 2; c++)
			for (int z = 0; z < 3; z++)
				for (int t = 0; t < 4; t++) {
					assertEquals(100 * c + 10 * z + t, TestImages.at(img, 0, 0, c, z, t));
					assertEquals(-1, TestImages.at(img, 4, 3, c, z, t));
				}
		assertEquals(2, img.channels());
	}

	@Test
	void singletonDimensionsAreDropped() {
		assertEquals(List.of(Axis.X, Axis.Y, Axis.Z), ImagePlusAdapter.wrap(hyperstack(1, 3, 1)).axes());
		assertEquals(List.of(Axis.X, Axis.Y, Axis.TIME), ImagePlusAdapter.wrap(hyperstack(1, 1, 3))
				.axes());
		assertEquals(List.of(Axis.X, Axis.Y, Axis.CHANNEL, Axis.TIME), ImagePlusAdapter.wrap(hyperstack(
				2, 1, 3)).axes());
		assertEquals(List.of(Axis.X, Axis.Y), ImagePlusAdapter.wrap(hyperstack(1, 1, 1)).axes());
	}

	@Test
	void calibrationBecomesSpacingOriginAndUnits() {
		final ImagePlus imp = hyperstack(1, 3, 2);
		final Calibration cal = imp.getCalibration();
		cal.pixelWidth = 0.5;
		cal.pixelHeight = 0.25;
		cal.pixelDepth = 2;
		cal.frameInterval = 0; // ImageJ's "not set"
		cal.xOrigin = 10; // in pixels
		cal.yOrigin = -4;
		cal.zOrigin = 1;
		cal.setXUnit("\u00b5m");
		cal.setYUnit("nm");
		cal.setZUnit("mm");
		cal.setTimeUnit("min");
		final CalibratedImage<?> img = ImagePlusAdapter.wrap(imp);
		assertArrayEquals(new double[] { 0.5, 0.25, 2, 1 }, img.spacing());
		assertArrayEquals(new double[] { -5, 1, -2, 0 }, img.origin());
		assertArrayEquals(new String[] { "\u00b5m", "nm", "mm", "min" }, img.units());
	}

	@Test
	void rgbBecomesThreeChannels() {
		final ColorProcessor cp = new ColorProcessor(2, 2);
		cp.set(1, 0, (10 << 16) | (20 << 8) | 30);
		final ImageStack stack = new ImageStack(2, 2);
		stack.addSlice(cp);
		final ColorProcessor cp2 = new ColorProcessor(2, 2);
		cp2.set(0, 1, (200 << 16) | (100 << 8) | 50);
		stack.addSlice(cp2);
		final CalibratedImage<?> img = ImagePlusAdapter.wrap(new ImagePlus("rgb", stack));
		assertEquals(List.of(Axis.X, Axis.Y, Axis.CHANNEL, Axis.Z), img.axes());
		assertEquals(PixelType.UINT8, img.pixelType());
		assertArrayEquals(new long[] { 2, 2, 3, 2 }, img.pixels().dimensionsAsLongArray());
		assertEquals(10, TestImages.at(img, 1, 0, 0, 0));
		assertEquals(20, TestImages.at(img, 1, 0, 1, 0));
		assertEquals(30, TestImages.at(img, 1, 0, 2, 0));
		assertEquals(200, TestImages.at(img, 0, 1, 0, 1));
		assertEquals(50, TestImages.at(img, 0, 1, 2, 1));
	}

	@Test
	void signed16BitIsShiftedBackAndStaysWritable() {
		final ShortProcessor sp = new ShortProcessor(3, 1);
		sp.set(0, 0, 0);
		sp.set(1, 0, 32768);
		sp.set(2, 0, 65535);
		final ImagePlus imp = new ImagePlus("signed", sp);
		imp.getCalibration().setSigned16BitCalibration();
		assertTrue(imp.getCalibration().isSigned16Bit());
		@SuppressWarnings("unchecked")
		final CalibratedImage<ShortType> img = (CalibratedImage<ShortType>) ImagePlusAdapter.wrap(imp);
		assertEquals(PixelType.INT16, img.pixelType());
		assertInstanceOf(ShortType.class, img.pixels().getType());
		assertArrayEquals(new double[] { -32768, 0, 32767 }, TestImages.values(img.pixels()));
		TestImages.set(img, -1000, 1, 0);
		assertEquals(31768, sp.get(1, 0));
	}

	@Test
	void otherLinearCalibrationGivesCalibratedFloats() {
		final ShortProcessor sp = new ShortProcessor(2, 1);
		sp.set(0, 0, 1000);
		sp.set(1, 0, 3000);
		final ImagePlus imp = new ImagePlus("ct", sp);
		imp.getCalibration().setFunction(Calibration.STRAIGHT_LINE, new double[] { -1024, 0.5 }, "HU");
		@SuppressWarnings("unchecked")
		final CalibratedImage<FloatType> img = (CalibratedImage<FloatType>) ImagePlusAdapter.wrap(imp);
		assertEquals(PixelType.FLOAT32, img.pixelType());
		assertArrayEquals(new double[] { -524, 476 }, TestImages.values(img.pixels()));
		TestImages.set(img, 0, 0, 0);
		assertEquals(2048, sp.get(0, 0));
	}

	@ParameterizedTest
	@EnumSource(PixelType.class)
	void toImagePlusRoundTripsEveryPixelType(final PixelType type) {
		final List<Axis> axes = List.of(Axis.X, Axis.Y, Axis.Z);
		final CalibratedImage<?> img = TestImages.image("rt", axes, type, i -> switch (type) {
		case UINT8 -> i % 256;
		case UINT16 -> i * 1000;
		case INT16 -> i * 1000 - 20000;
		case FLOAT32 -> i * 0.5 - 7;
		}, 4, 3, 2);
		final ImagePlus imp = ImagePlusAdapter.toImagePlus(img);
		assertEquals("rt", imp.getTitle());
		assertEquals(type == PixelType.UINT8 ? 8 : type == PixelType.FLOAT32 ? 32 : 16, imp
				.getBitDepth());
		assertEquals(type == PixelType.INT16, imp.getCalibration().isSigned16Bit());
		assertEquals(2, imp.getNSlices());
		final CalibratedImage<?> back = ImagePlusAdapter.wrap(imp);
		assertEquals(axes, back.axes());
		assertEquals(type, back.pixelType());
		assertArrayEquals(TestImages.values(img.pixels()), TestImages.values(back.pixels()));
		assertArrayEquals(img.spacing(), back.spacing(), 1e-12);
		assertArrayEquals(img.origin(), back.origin(), 1e-12);
		assertArrayEquals(img.units(), back.units());
	}

	@Test
	void toImagePlusMakesCompositeHyperstackFromAnyAxisOrder() {
		// NIfTI order: X, Y, Z, TIME, CHANNEL
		final List<Axis> axes = List.of(Axis.X, Axis.Y, Axis.Z, Axis.TIME, Axis.CHANNEL);
		final CalibratedImage<?> img = TestImages.image("c", axes, PixelType.FLOAT32, i -> i, 3, 2, 4,
				5, 2);
		final ImagePlus imp = ImagePlusAdapter.toImagePlus(img);
		assertInstanceOf(CompositeImage.class, imp);
		assertTrue(imp.isHyperStack());
		assertArrayEquals(new int[] { 3, 2, 2, 4, 5 }, imp.getDimensions());
		assertEquals(2.5, imp.getCalibration().pixelDepth);
		assertEquals(3.5, imp.getCalibration().frameInterval);
		assertEquals("s", imp.getCalibration().getTimeUnit());
		final CalibratedImage<?> back = ImagePlusAdapter.wrap(imp);
		assertEquals(List.of(Axis.X, Axis.Y, Axis.CHANNEL, Axis.Z, Axis.TIME), back.axes());
		for (int c = 0; c < 2; c++)
			for (int z = 0; z < 4; z++)
				for (int t = 0; t < 5; t++)
					assertEquals(TestImages.at(img, 2, 1, z, t, c), TestImages.at(back, 2, 1, c, z, t));
	}

	@Test
	void toImagePlusRoundsAndClamps() {
		final CalibratedImage<?> img = TestImages.image("clamp", List.of(Axis.X, Axis.Y),
				PixelType.UINT8, i -> new double[] { -5, 3.6, 300, 7 }[i], 2, 2);
		final ImagePlus imp = ImagePlusAdapter.toImagePlus(img);
		assertArrayEquals(new byte[] { 0, 4, (byte) 255, 7 }, (byte[]) imp.getProcessor().getPixels());
		assertFalse(imp.isHyperStack());
	}
}
