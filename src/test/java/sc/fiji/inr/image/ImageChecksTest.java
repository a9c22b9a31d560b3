package sc.fiji.inr.image;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;

class ImageChecksTest {

	@Test
	void requireFiniteNamesFirstBadPixel() {
		final CalibratedImage<?> img = TestImages.image("bad", List.of(Axis.X, Axis.Y, Axis.Z),
				PixelType.FLOAT32, i -> i == 4 * 3 + 2 * 4 + 1 ? Double.NaN : i == 30 ? Double
						.POSITIVE_INFINITY : i, 4, 3, 2);
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> ImageChecks.requireFinite(img));
		assertEquals("Image 'bad' has NaN at (x=1, y=2, z=1); fitting needs finite pixel values", e
				.getMessage());

		final CalibratedImage<?> inf = TestImages.image("inf", List.of(Axis.X, Axis.Y),
				PixelType.FLOAT32, i -> i == 5 ? Double.NEGATIVE_INFINITY : 0, 3, 2);
		assertEquals("Image 'inf' has -Infinity at (x=2, y=1); fitting needs finite pixel values",
				assertThrows(IllegalArgumentException.class, () -> ImageChecks.requireFinite(inf))
						.getMessage());
		assertDoesNotThrow(() -> ImageChecks.requireFinite(TestImages.image("ok", List.of(Axis.X,
				Axis.Y), PixelType.FLOAT32, i -> i, 3, 2)));
	}

	@Test
	void requireFiniteReportsPositionsRelativeToTheInterval() {
		final var shifted = Views.translate(ArrayImgs.floats(new float[] { 0, 0, Float.NaN, 0 }, 2, 2),
				10, 20);
		final CalibratedImage<FloatType> img = new CalibratedImage<>("s", shifted, List.of(Axis.X,
				Axis.TIME), new double[] { 1, 1 }, new double[2], new String[] { "mm", "s" },
				PixelType.FLOAT32);
		assertEquals("Image 's' has NaN at (x=0, time=1); fitting needs finite pixel values",
				assertThrows(IllegalArgumentException.class, () -> ImageChecks.requireFinite(img))
						.getMessage());
	}

	@Test
	void requireNonEmpty() {
		final CalibratedImage<?> one = TestImages.image("one", List.of(Axis.X, Axis.Y),
				PixelType.UINT8, i -> 0, 1, 1);
		assertEquals("Image 'one' has only 1 pixel(s); at least 2 are needed", assertThrows(
				IllegalArgumentException.class, () -> ImageChecks.requireNonEmpty(one)).getMessage());

		final var empty = Views.interval(ArrayImgs.floats(3, 3), new long[] { 0, 0 }, new long[] { 2,
			-1 });
		final CalibratedImage<FloatType> zero = new CalibratedImage<>("zero", empty, List.of(Axis.X,
				Axis.Y), new double[] { 1, 1 }, new double[2], new String[] { "mm", "mm" },
				PixelType.FLOAT32);
		assertEquals("Image 'zero' is empty: size 0 along Y", assertThrows(
				IllegalArgumentException.class, () -> ImageChecks.requireNonEmpty(zero)).getMessage());
		assertDoesNotThrow(() -> ImageChecks.requireNonEmpty(TestImages.image("two", List.of(Axis.X,
				Axis.Y), PixelType.UINT8, i -> 0, 2, 1)));
	}
}
