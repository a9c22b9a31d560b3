package sc.fiji.inr.tasks.mri;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

import net.imglib2.type.numeric.integer.UnsignedByteType;
import sc.fiji.inr.image.CalibratedImage;

class SamplingMaskTest {

	private static int sampledRows(final SamplingMask m) {
		int rows = 0;
		for (int y = 0; y < m.height(); y++)
			if (m.isSampled(0, y)) rows++;
		return rows;
	}

	@Test
	void cartesianSamplesWholeRowsAtTheAskedAcceleration() {
		for (final int h : new int[] { 217, 218, 64 })
			for (final double acc : new double[] { 1, 2, 4, 8 }) {
				final SamplingMask m = SamplingMask.cartesian(181, h, acc, 0.08, 42);
				for (int y = 0; y < h; y++)
					for (int x = 1; x < 181; x++)
						assertEquals(m.isSampled(0, y), m.isSampled(x, y), "row " + y + " is not whole");
				final int rows = sampledRows(m);
				assertEquals(h / acc, rows, 1, "h=" + h + " acceleration " + acc);
				assertEquals(1 / acc, m.fraction(), 1.0 / h, "h=" + h + " acceleration " + acc);
				assertEquals((long) rows * 181, m.count());
			}
	}

	@Test
	void cartesianCentreBandIsFullySampled() {
		for (final int h : new int[] { 217, 218 }) {
			final int c = (int) Math.round(h * 0.08);
			// at 20× the band (17 rows) is most of the 11 rows asked: only the band is sampled
			final SamplingMask onlyBand = SamplingMask.cartesian(16, h, 20, 0.08, 1);
			assertEquals(c, sampledRows(onlyBand));
			for (int y = h / 2 - c / 2; y < h / 2 - c / 2 + c; y++)
				assertTrue(onlyBand.isSampled(3, y), "h=" + h + " centre row " + y);
			for (final long seed : new long[] { 1, 2, 3 }) {
				final SamplingMask m = SamplingMask.cartesian(16, h, 4, 0.08, seed);
				assertTrue(m.isSampled(8, h / 2), "DC row");
				for (int y = h / 2 - c / 2; y < h / 2 - c / 2 + c; y++)
					assertTrue(m.isSampled(0, y), "h=" + h + " centre row " + y + " seed " + seed);
			}
		}
		// the band is centred on the DC row: as many rows either side for an odd band
		final SamplingMask band = SamplingMask.cartesian(4, 217, 100, 17 / 217.0, 0);
		assertTrue(band.isSampled(0, 108 - 8) && band.isSampled(0, 108 + 8));
		assertFalse(band.isSampled(0, 108 - 9) || band.isSampled(0, 108 + 9));
	}

	@Test
	void cartesianIsDeterministicForASeedAndDiffersAcrossSeeds() {
		final SamplingMask a = SamplingMask.cartesian(181, 217, 4, 0.08, 7);
		final SamplingMask b = SamplingMask.cartesian(181, 217, 4, 0.08, 7);
		final SamplingMask c = SamplingMask.cartesian(181, 217, 4, 0.08, 8);
		assertArrayEquals(a.sampled(), b.sampled());
		assertFalse(Arrays.equals(a.sampled(), c.sampled()));
		assertEquals(a.count(), c.count());
	}

	@Test
	void cartesianOuterRowsAreSpreadOverKSpace() {
		// rows outside the band are drawn uniformly: both halves of k-space get some
		final SamplingMask m = SamplingMask.cartesian(8, 217, 4, 0.08, 3);
		int low = 0, high = 0;
		for (int y = 0; y < 100; y++)
			if (m.isSampled(0, y)) low++;
		for (int y = 117; y < 217; y++)
			if (m.isSampled(0, y)) high++;
		assertEquals(54 - 17, low + high);
		assertTrue(low > 5 && high > 5, low + " low and " + high + " high rows");
	}

	@Test
	void radialContainsTheCentreAndGrowsWithSpokes() {
		double previous = 0;
		for (final int spokes : new int[] { 1, 5, 10, 30, 60 }) {
			for (final boolean golden : new boolean[] { false, true }) {
				final SamplingMask m = SamplingMask.radial(181, 217, spokes, golden);
				assertTrue(m.isSampled(90, 108), "centre, " + spokes + " spokes");
				if (!golden) {
					assertTrue(m.fraction() > previous, spokes + " spokes: " + m.fraction() + " ≤ " + previous);
					previous = m.fraction();
				}
			}
		}
		assertTrue(previous < 1);
		// one spoke at 0°: exactly the DC row
		final SamplingMask one = SamplingMask.radial(181, 217, 1, false);
		assertEquals(181, one.count());
		for (int x = 0; x < 181; x++)
			assertTrue(one.isSampled(x, 108));
		// two uniform spokes: the DC row and the DC column
		assertEquals(181 + 217 - 1, SamplingMask.radial(181, 217, 2, false).count());
		// dense rasterisation leaves no gaps along a diagonal spoke
		final SamplingMask diagonal = SamplingMask.radial(64, 64, 4, false);
		for (int t = -32; t < 32; t++)
			assertTrue(diagonal.isSampled(32 + t, 32 + t), "45° spoke at " + t);
	}

	@Test
	void radialIsPointSymmetricAboutTheCentre() {
		for (final boolean golden : new boolean[] { false, true }) {
			final SamplingMask m = SamplingMask.radial(181, 217, 30, golden);
			long mirrored = 0;
			for (int y = 0; y < 217; y++)
				for (int x = 0; x < 181; x++)
					if (m.isSampled(x, y) && m.isSampled(180 - x, 216 - y)) mirrored++;
			assertTrue(mirrored > 0.95 * m.count(), "golden=" + golden + ": " + mirrored + " of " + m.count());
		}
	}

	@Test
	void goldenAngleSpokesDifferFromUniformOnes() {
		assertEquals(111.246, SamplingMask.GOLDEN_ANGLE_DEGREES, 1e-3);
		assertFalse(Arrays.equals(SamplingMask.radial(64, 64, 10, false).sampled(),
				SamplingMask.radial(64, 64, 10, true).sampled()));
	}

	@Test
	void imageRoundTripAndNonzeroMeansSampled() {
		final SamplingMask m = SamplingMask.cartesian(20, 30, 3, 0.1, 5);
		final CalibratedImage<UnsignedByteType> img = m.toImage("mask");
		double max = 0;
		for (final UnsignedByteType v : img.pixels())
			max = Math.max(max, v.getRealDouble());
		assertEquals(1, max, "stored as 0/1");
		assertArrayEquals(m.sampled(), SamplingMask.of(img).sampled());
		final float[] v255 = new float[6];
		v255[1] = 255;
		v255[4] = 0.5f;
		final SamplingMask fromFloats = SamplingMask.of(KSpaceTest.single("m", v255, 3, 2));
		assertArrayEquals(new boolean[] { false, true, false, false, true, false }, fromFloats.sampled());
		assertArrayEquals(new float[] { 0, 1, 0, 0, 1, 0 }, fromFloats.toFloats());
	}

	@Test
	void invalidParametersAreRejectedWithTheirValues() {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> SamplingMask.cartesian(10, 10, 0.5, 0.08, 0));
		assertTrue(e.getMessage().contains("0.5"), e.getMessage());
		e = assertThrows(IllegalArgumentException.class, () -> SamplingMask.cartesian(10, 10, 4, 1, 0));
		assertTrue(e.getMessage().contains("[0, 1)"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> SamplingMask.cartesian(10, 10, 4, -0.1, 0));
		assertThrows(IllegalArgumentException.class, () -> SamplingMask.cartesian(10, 10, Double.NaN, 0.1, 0));
		e = assertThrows(IllegalArgumentException.class, () -> SamplingMask.radial(10, 10, 0, false));
		assertTrue(e.getMessage().contains("0"), e.getMessage());
		e = assertThrows(IllegalArgumentException.class, () -> SamplingMask.radial(1, 10, 3, false));
		assertTrue(e.getMessage().contains("1×10"), e.getMessage());
		e = assertThrows(IllegalArgumentException.class, () -> new SamplingMask(3, 2, new boolean[5]));
		assertTrue(e.getMessage().contains("5") && e.getMessage().contains("3×2"), e.getMessage());
		assertNotEquals(0, SamplingMask.cartesian(10, 10, 1000, 0, 0).count(), "at least one row");
	}
}
