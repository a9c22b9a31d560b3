package sc.fiji.inr.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

class ImageMetricsTest {

	private static ArrayImg<FloatType, ?> floats(final float... v) {
		return ArrayImgs.floats(v, 2, v.length / 2);
	}

	@Test
	void mseAndPsnrOfKnownImages() {
		final var ref = floats(0, 1, 2, 3);
		final var test = floats(0, 1, 2, 4);
		assertEquals(0.25, ImageMetrics.mse(ref, test));
		assertEquals(10 * Math.log10(255.0 * 255 / 0.25), ImageMetrics.psnr(ref, test, 255), 1e-12);
		// data range from the reference: max - min = 3
		assertEquals(10 * Math.log10(9 / 0.25), ImageMetrics.psnr(ref, test), 1e-12);
		assertEquals(3, ImageMetrics.dataRange(ref));
	}

	@Test
	void identicalImagesHaveInfinitePsnr() {
		final var ref = floats(0, 1, 2, 3);
		assertEquals(0, ImageMetrics.mse(ref, ref));
		assertEquals(Double.POSITIVE_INFINITY, ImageMetrics.psnr(ref, ref, 1));
	}

	@Test
	void mixedTypesAndOffsetIntervalsAreCompared() {
		final ArrayImg<UnsignedByteType, ?> bytes = ArrayImgs.unsignedBytes(new byte[] { 10, 20, 30,
			(byte) 200 }, 2, 2);
		final var shifted = Views.translate(floats(10, 20, 30, 190), 5, -7);
		assertEquals(25, ImageMetrics.mse(bytes, shifted));
		assertEquals(10 * Math.log10(255.0 * 255 / 25), ImageMetrics.psnr(bytes, shifted, 255), 1e-12);
	}

	@Test
	void rejectsBadInput() {
		final var a = floats(0, 1, 2, 3);
		final IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
				() -> ImageMetrics.mse(a, floats(0, 1, 2, 3, 4, 5)));
		assertTrue(size.getMessage().contains("[2, 2]") && size.getMessage().contains("[2, 3]"));
		assertThrows(IllegalArgumentException.class, () -> ImageMetrics.psnr(a, a, 0));
		assertThrows(IllegalArgumentException.class, () -> ImageMetrics.psnr(a, a, Double.NaN));
		final IllegalArgumentException constant = assertThrows(IllegalArgumentException.class,
				() -> ImageMetrics.psnr(floats(2, 2, 2, 2), a));
		assertTrue(constant.getMessage().contains("constant"));
	}

	@Test
	void nanPropagates() {
		assertTrue(Double.isNaN(ImageMetrics.mse(floats(0, Float.NaN), floats(0, 1))));
		assertTrue(Double.isNaN(ImageMetrics.dataRange(floats(0, Float.NaN))));
	}
}
