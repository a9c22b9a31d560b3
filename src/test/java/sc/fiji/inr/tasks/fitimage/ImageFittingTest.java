package sc.fiji.inr.tasks.fitimage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.real.FloatType;
import sc.fiji.inr.fit.FitOptions;
import sc.fiji.inr.fit.Loss;
import sc.fiji.inr.field.ModelOptions;
import sc.fiji.inr.image.Axis;
import sc.fiji.inr.image.CalibratedImage;
import sc.fiji.inr.image.ImageMetrics;
import sc.fiji.inr.image.PixelType;
import sc.fiji.inr.raster.FieldRenderer;
import sc.fiji.inr.raster.RenderGrid;

class ImageFittingTest {

	/** A smooth 2D pattern with two channels of different ranges. */
	static CalibratedImage<FloatType> pattern(final int w, final int h) {
		final ArrayImg<FloatType, FloatArray> img = ArrayImgs.floats(w, h, 2);
		final float[] data = img.update(null).getCurrentStorageArray();
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				final double u = x / (double) w, v = y / (double) h;
				data[x + w * y] = (float) (100 + 50 * Math.sin(6 * u) * Math.cos(4 * v));
				data[x + w * y + w * h] = (float) (0.5 * u * u - v);
			}
		return new CalibratedImage<>("pattern", img, List.of(Axis.X, Axis.Y, Axis.CHANNEL), new double[] { 0.2, 0.2, 1 },
				new double[] { 5, -3, 0 }, new String[] { "µm", "µm", "" }, PixelType.FLOAT32);
	}

	private static ImageFitting.Settings settings(final String model, final int steps, final double lr) {
		return new ImageFitting.Settings(ModelOptions.of(model),
				FitOptions.defaults().withSteps(steps).withLearningRate(lr).withBatchSize(1024).withEvaluateEvery(25), Loss.L2);
	}

	@Test
	void smallFitReachesPsnrThresholdAndRendersBackInOriginalUnits() {
		final CalibratedImage<FloatType> img = pattern(48, 40);
		final ImageFitting.Result r = ImageFitting.fit(img, settings("hashgrid", 200, 1e-2), null);
		try (var field = r.field()) {
			assertTrue(r.fit().psnr() > 30, "hash grid PSNR " + r.fit().psnr());
			final CalibratedImage<FloatType> back = FieldRenderer.render(field, RenderGrid.source(field.frame()));
			assertEquals(img.axes(), back.axes());
			assertEquals(List.of(48L, 40L, 2L), java.util.Arrays.stream(back.pixels().dimensionsAsLongArray()).boxed().toList());
			assertEquals(0.2, back.spacing()[0], 1e-12);
			assertEquals(5, back.origin()[0], 1e-12);
			// PSNR in original units for the first channel (range 100 ± 50).
			final double psnr = ImageMetrics.psnr(net.imglib2.view.Views.hyperSlice(img.pixels(), 2, 0),
					net.imglib2.view.Views.hyperSlice(back.pixels(), 2, 0), 100);
			assertTrue(psnr > 28, "channel 0 PSNR " + psnr);
		}
	}

	@Test
	void sirenAndFourierAlsoFit() {
		final CalibratedImage<FloatType> img = pattern(32, 32);
		for (final String model : new String[] { "siren", "fourier" }) {
			final ImageFitting.Result r = ImageFitting.fit(img, settings(model, 150, model.equals("siren") ? 1e-4 : 2e-3), null);
			r.field().close();
			assertTrue(r.fit().psnr() > 25, model + " PSNR " + r.fit().psnr());
		}
	}

	@Test
	void timeLapseGetsATimeCoordinate() {
		// 2D + time, 16-bit: the field takes (x, y, t) and renders back a time-lapse in 16 bit.
		final var img = ArrayImgs.unsignedShorts(12, 10, 5);
		net.imglib2.Cursor<net.imglib2.type.numeric.integer.UnsignedShortType> c = img.localizingCursor();
		while (c.hasNext()) {
			c.fwd();
			c.get().set(1000 + 100 * c.getIntPosition(2) + 10 * c.getIntPosition(0));
		}
		final var movie = new CalibratedImage<>("movie", img, List.of(Axis.X, Axis.Y, Axis.TIME), new double[] { 1, 1, 30 },
				new double[3], new String[] { "µm", "µm", "s" }, PixelType.UINT16);
		final ImageFitting.Result r = ImageFitting.fit(movie, settings("hashgrid", 150, 1e-2), null);
		try (var field = r.field()) {
			assertEquals(List.of(Axis.X, Axis.Y, Axis.TIME), field.frame().axes());
			final var back = FieldRenderer.render(field, RenderGrid.source(field.frame()));
			assertEquals(PixelType.UINT16, back.pixelType());
			assertEquals(30, back.spacing()[2], 1e-12);
			final double psnr = ImageMetrics.psnr(img, back.pixels(), 510);
			assertTrue(psnr > 30, "time-lapse PSNR " + psnr);
		}
	}

	@Test
	void badImagesAreRejectedClearly() {
		final CalibratedImage<FloatType> nan = pattern(8, 8);
		nan.pixels().randomAccess().setPositionAndGet(3, 4, 1).set(Float.NaN);
		final String m = assertThrows(IllegalArgumentException.class, () -> ImageFitting.fit(nan, settings("siren", 1, 1e-4), null))
				.getMessage();
		assertTrue(m.contains("NaN") && m.contains("pattern"), m);
		final CalibratedImage<FloatType> one = new CalibratedImage<>("dot", ArrayImgs.floats(1, 1), List.of(Axis.X, Axis.Y),
				new double[] { 1, 1 }, new double[2], new String[] { "px", "px" }, PixelType.FLOAT32);
		assertTrue(assertThrows(IllegalArgumentException.class, () -> ImageFitting.fit(one, settings("siren", 1, 1e-4), null))
				.getMessage().contains("only 1 pixel"));
		final CalibratedImage<FloatType> empty = new CalibratedImage<>("void", net.imglib2.view.Views.interval(ArrayImgs.floats(4, 5), new long[] { 0, 0 }, new long[] { -1, 4 }), List.of(Axis.X, Axis.Y),
				new double[] { 1, 1 }, new double[2], new String[] { "px", "px" }, PixelType.FLOAT32);
		assertTrue(assertThrows(IllegalArgumentException.class, () -> ImageFitting.fit(empty, settings("siren", 1, 1e-4), null))
				.getMessage().contains("empty"));
	}
}
