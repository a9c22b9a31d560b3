package sc.fiji.inr.raster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

import net.imglib2.RandomAccess;
import net.imglib2.RealRandomAccess;
import net.imglib2.type.numeric.real.FloatType;
import sc.fiji.inr.field.FieldSpec;
import sc.fiji.inr.field.FieldTestSupport;
import sc.fiji.inr.field.NeuralField;
import sc.fiji.inr.field.SourceInfo;
import sc.fiji.inr.field.ValueScale;
import sc.fiji.inr.image.Axis;
import sc.fiji.inr.image.CalibratedImage;
import sc.fiji.inr.image.PixelType;

class FieldRendererTest {

	private static NeuralField field(final int channels, final PixelType type) {
		final FieldSpec spec = FieldSpec.fourier(3, channels, 16, 2, 16, 2);
		return NeuralField.create(spec, FieldTestSupport.frame(6, 5, 4),
				new ValueScale(new double[channels], filled(channels, 100)), new SourceInfo("f", type), 3);
	}

	private static double[] filled(final int n, final double v) {
		final double[] a = new double[n];
		java.util.Arrays.fill(a, v);
		return a;
	}

	@Test
	void renderEqualsDirectEvaluation() {
		try (NeuralField f = field(2, PixelType.FLOAT32)) {
			final RenderGrid grid = RenderGrid.scaled(f.frame(), 1.5, 2, 0.5);
			assertArrayEquals(new long[] { 9, 10, 2 }, grid.size());
			final CalibratedImage<FloatType> img = FieldRenderer.render(f, grid);
			assertEquals(List.of(Axis.X, Axis.Y, Axis.CHANNEL, Axis.Z), img.axes());
			assertArrayEquals(new long[] { 9, 10, 2, 2 }, img.pixels().dimensionsAsLongArray());
			assertArrayEquals(new double[] { grid.spacing()[0], grid.spacing()[1], 1, grid.spacing()[2] }, img.spacing());
			final RandomAccess<FloatType> ra = img.pixels().randomAccess();
			for (final long[] p : new long[][] { { 0, 0, 0 }, { 8, 9, 1 }, { 3, 4, 0 } }) {
				final double[] x = new double[3];
				for (int d = 0; d < 3; d++) x[d] = grid.origin()[d] + p[d] * grid.spacing()[d];
				final float[] direct = f.evaluatePhysical(x, 1);
				for (int c = 0; c < 2; c++) {
					ra.setPosition(new long[] { p[0], p[1], c, p[2] });
					assertEquals(direct[c], ra.get().get(), 1e-5 * Math.max(1, Math.abs(direct[c])));
				}
			}
		}
	}

	@Test
	void scaledGridKeepsTheImageExtent() {
		try (NeuralField f = field(1, PixelType.FLOAT32)) {
			final RenderGrid g = RenderGrid.scaled(f.frame(), 4);
			for (int d = 0; d < 3; d++) {
				final double lower = g.origin()[d] - g.spacing()[d] / 2;
				final double upper = lower + g.size()[d] * g.spacing()[d];
				assertEquals(f.frame().min(d), lower, 1e-9);
				assertEquals(f.frame().max(d), upper, 1e-9);
			}
			final RenderGrid roi = RenderGrid.region(f.frame(), new long[] { 1, 1, 0 }, new long[] { 3, 4, 2 }, null);
			assertArrayEquals(new long[] { 2, 3, 2 }, roi.size());
			assertEquals(f.frame().origin()[0] + f.frame().spacing()[0], roi.origin()[0], 1e-9);
			assertThrows(IllegalArgumentException.class, () -> RenderGrid.scaled(f.frame(), 1, 2));
			assertThrows(IllegalArgumentException.class, () -> RenderGrid.scaled(f.frame(), 0));
			assertThrows(IllegalArgumentException.class,
					() -> RenderGrid.region(f.frame(), new long[] { 3, 0, 0 }, new long[] { 3, 1, 1 }, null));
		}
	}

	@Test
	void integerSourceTypesAreRoundedAndClamped() {
		try (NeuralField f = field(1, PixelType.UINT8)) {
			final CalibratedImage<FloatType> img = FieldRenderer.render(f, RenderGrid.source(f.frame()));
			for (final FloatType v : net.imglib2.view.Views.flatIterable(img.pixels())) {
				final float x = v.get();
				assertEquals(Math.rint(x), x);
				assertEquals(true, x >= 0 && x <= 255);
			}
		}
	}

	@Test
	void lazyImageAndRealRandomAccessibleAgreeWithTheRender() {
		try (NeuralField f = field(2, PixelType.FLOAT32)) {
			final RenderGrid grid = RenderGrid.scaled(f.frame(), 2);
			final CalibratedImage<FloatType> full = FieldRenderer.render(f, grid);
			final LazyFieldImage lazy = new LazyFieldImage(f, grid, 4, 1 << 20);
			final RandomAccess<FloatType> fr = full.pixels().randomAccess();
			final FieldRealRandomAccessible continuous = new FieldRealRandomAccessible(f, 1);
			final RealRandomAccess<FloatType> rr = continuous.realRandomAccess();
			for (int c = 0; c < 2; c++) {
				final RandomAccess<FloatType> lr = lazy.channel(c).randomAccess();
				for (final long[] p : new long[][] { { 0, 0, 0 }, { 11, 9, 7 }, { 5, 6, 3 } }) {
					lr.setPosition(p);
					fr.setPosition(new long[] { p[0], p[1], c, p[2] });
					assertEquals(fr.get().get(), lr.get().get(), 1e-6);
					if (c == 1) {
						for (int d = 0; d < 3; d++) rr.setPosition(grid.origin()[d] + p[d] * grid.spacing()[d], d);
						assertEquals(fr.get().get(), rr.get().get(), 1e-5 * Math.max(1, Math.abs(fr.get().get())));
					}
				}
			}
			assertThrows(IllegalArgumentException.class, () -> new FieldRealRandomAccessible(f, 2));
		}
	}
}
