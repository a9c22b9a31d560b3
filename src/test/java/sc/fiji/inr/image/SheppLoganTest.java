package sc.fiji.inr.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import net.imglib2.type.numeric.real.FloatType;

class SheppLoganTest {

	/** Pixel index of continuous coordinate {@code c} in [-1, 1] on a grid of {@code n}. */
	private static long index(final double c, final int n) {
		return Math.round((c + 1) * (n - 1) / 2);
	}

	/** 2D value at phantom coordinates (x, y), y pointing up. */
	private static double at2d(final CalibratedImage<FloatType> p, final int n, final double x,
			final double y) {
		return TestImages.at(p, index(x, n), index(-y, n));
	}

	private static double at3d(final CalibratedImage<FloatType> p, final int n, final double x,
			final double y, final double z) {
		return TestImages.at(p, index(x, n), index(-y, n), index(z, n));
	}

	@Test
	void phantom2dHasTheKnownIntensities() {
		final int n = 257; // odd: pixel 128 is exactly at 0
		final CalibratedImage<FloatType> p = SheppLogan.phantom2d(n);
		assertEquals(List.of(Axis.X, Axis.Y), p.axes());
		assertArrayEquals(new long[] { n, n }, p.pixels().dimensionsAsLongArray());
		assertEquals(PixelType.FLOAT32, p.pixelType());
		assertArrayEquals(new double[] { 1, 1 }, p.spacing());

		assertEquals(0.2f, at2d(p, n, 0, 0)); // brain
		assertEquals(0, at2d(p, n, -0.99, -0.99)); // background corner
		assertEquals(0, at2d(p, n, 0.95, 0)); // background beside the head
		assertEquals(1, at2d(p, n, 0, 0.9)); // skull, top
		assertEquals(1, at2d(p, n, 0, -0.9)); // skull, bottom
		assertEquals(0, at2d(p, n, 0.22, 0)); // right ventricle: 1 - 0.8 - 0.2
		assertEquals(0, at2d(p, n, -0.22, 0)); // left ventricle
		assertEquals(0.3f, at2d(p, n, 0, 0.35)); // ellipse e
		assertEquals(0.4f, at2d(p, n, 0, 0.1)); // ellipse f touches e
		assertEquals(0.3f, at2d(p, n, 0, 0.08)); // ellipse f alone
		assertEquals(0.3f, at2d(p, n, 0, -0.1)); // ellipse g
		assertEquals(0.3f, at2d(p, n, 0, -0.606)); // the middle one of the three small ellipses
		final double range = ImageMetrics.dataRange(p.pixels());
		assertEquals(1, range);
		for (final double v : TestImages.values(p.pixels()))
			assertTrue(v >= 0 && v <= 1, "value " + v);
	}

	@Test
	void phantom2dIsMirrorSymmetricAwayFromTheAsymmetricFeatures() {
		final int n = 128;
		final CalibratedImage<FloatType> p = SheppLogan.phantom2d(n);
		// ventricles differ in size and the three small ellipses are not symmetric: compare rows
		// above y = 0.45 (row 0 is y = +1)
		int compared = 0;
		for (int j = 0; j < n && (1 - 2.0 * j / (n - 1)) > 0.45; j++)
			for (int i = 0; i < n / 2; i++) {
				assertEquals(TestImages.at(p, i, j), TestImages.at(p, n - 1 - i, j), "at " + i + "," + j);
				compared++;
			}
		assertTrue(compared > 1000);
		// and the whole phantom is not symmetric (the ventricles differ)
		int differ = 0;
		for (int j = 0; j < n; j++)
			for (int i = 0; i < n / 2; i++)
				if (TestImages.at(p, i, j) != TestImages.at(p, n - 1 - i, j)) differ++;
		assertTrue(differ > 0);
	}

	@Test
	void phantom3dHasTheKnownIntensities() {
		final int n = 65;
		final CalibratedImage<FloatType> p = SheppLogan.phantom3d(n);
		assertEquals(List.of(Axis.X, Axis.Y, Axis.Z), p.axes());
		assertArrayEquals(new long[] { n, n, n }, p.pixels().dimensionsAsLongArray());
		assertEquals(PixelType.FLOAT32, p.pixelType());
		assertArrayEquals(new double[] { 1, 1, 1 }, p.spacing());

		assertEquals(0.2f, at3d(p, n, 0, 0, 0));
		assertEquals(0, at3d(p, n, -1, -1, -1));
		assertEquals(0, at3d(p, n, 0, 0, 0.95)); // above the head
		assertEquals(1, at3d(p, n, 0, -0.9, 0)); // skull
		assertEquals(0.3f, at3d(p, n, 0, 0.35, -0.15)); // ellipsoid e
		assertEquals(0.3f, at3d(p, n, 0, 0.1, 0.25)); // ellipsoid f
		// Schabel rotates coordinates about the origin: ellipsoid c (phi -18, psi 10) is centred at
		// R^T (0.22, 0, 0), a rotation by -8 degrees
		final double a = Math.toRadians(-8);
		assertEquals(0, at3d(p, n, 0.22 * Math.cos(a), 0.22 * Math.sin(a), 0));
		for (final double v : TestImages.values(p.pixels()))
			assertTrue(v >= 0 && v <= 1, "value " + v);
	}

	@Test
	void phantom3dIsMirrorSymmetricInItsUpperPart() {
		final int n = 48;
		final CalibratedImage<FloatType> p = SheppLogan.phantom3d(n);
		for (int k = 0; k < n; k++)
			for (int j = 0; j < n && (1 - 2.0 * j / (n - 1)) > 0.5; j++)
				for (int i = 0; i < n / 2; i++)
					assertEquals(TestImages.at(p, i, j, k), TestImages.at(p, n - 1 - i, j, k));
	}

	@Test
	void midSliceOf3dMatches2dNearTheSkull() {
		// at z = 0 the skull and brain ellipsoids cut the 2D ellipses; inside, the 3D ventricles
		// (rotated about the origin) and the z-shifted small ellipsoids differ from 2D
		final int n = 129;
		final CalibratedImage<FloatType> p2 = SheppLogan.phantom2d(n);
		final CalibratedImage<FloatType> p3 = SheppLogan.phantom3d(n);
		for (double y = -1; y <= 1; y += 0.01) {
			if (y > -0.7 && y < 0.65) continue;
			assertEquals(at2d(p2, n, 0, y), at3d(p3, n, 0, y, 0), "y = " + y);
		}
		for (double x = -1; x <= 1; x += 0.01) {
			if (Math.abs(x) < 0.6) continue;
			assertEquals(at2d(p2, n, x, 0), at3d(p3, n, x, 0, 0), "x = " + x);
		}
	}

	@Test
	void rejectsTinySizes() {
		assertThrows(IllegalArgumentException.class, () -> SheppLogan.phantom2d(1));
		assertThrows(IllegalArgumentException.class, () -> SheppLogan.phantom3d(0));
	}
}
