package sc.fiji.inr.tasks.ct;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

class CtGeometryTest {

	private static String error(final Runnable r) {
		return assertThrows(IllegalArgumentException.class, r::run).getMessage();
	}

	@Test
	void uniformAnglesExcludeTheEndpoint() {
		final double[] a = CtGeometry.uniformAngles(4, 180, 10);
		assertArrayEquals(new double[] { Math.toRadians(10), Math.toRadians(55), Math.toRadians(100), Math.toRadians(145) }, a, 1e-15);
		assertTrue(error(() -> CtGeometry.uniformAngles(0, 180, 0)).contains("was 0"));
		assertTrue(error(() -> CtGeometry.uniformAngles(3, -1, 0)).contains("-1"));
	}

	@Test
	void detectorPositionsAreCentredAndOffset() {
		final CtGeometry g = CtGeometry.parallel(4, 0.5, 2, new double[] { 0 });
		assertEquals(2 - 0.75, g.detectorPosition(0), 1e-15);
		assertEquals(2 + 0.75, g.detectorPosition(3), 1e-15);
		assertEquals(0, CtGeometry.parallel(5, 1, 0, new double[] { 0 }).detectorPosition(2), 0);
	}

	@Test
	void parallelRayAtZeroRunsDownTheImageAtXEqualU() {
		final CtGeometry g = CtGeometry.parallel(3, 1, 0, new double[] { 0, Math.PI / 2 });
		final double[] o = new double[2], d = new double[2];
		g.ray(0, 2.5, o, d);
		assertArrayEquals(new double[] { 2.5, 0 }, o, 1e-15);
		assertArrayEquals(new double[] { 0, 1 }, d, 1e-15);
		// at 90°: e_s = (0, −1), e_t = (1, 0)
		g.ray(1, 2.5, o, d);
		assertArrayEquals(new double[] { 0, -2.5 }, o, 1e-15);
		assertArrayEquals(new double[] { 1, 0 }, d, 1e-15);
	}

	@Test
	void fanRayGoesFromTheSourceToItsDetectorElement() {
		final double theta = 0.7, r = 300, sdd = 500, u = 40;
		final CtGeometry g = CtGeometry.fan(11, 2, 0, r, sdd, new double[] { theta });
		final double[] o = new double[2], d = new double[2];
		g.ray(0, u, o, d);
		final double[] es = { Math.cos(theta), -Math.sin(theta) }, et = { Math.sin(theta), Math.cos(theta) };
		assertArrayEquals(new double[] { -r * et[0], -r * et[1] }, o, 1e-12);
		assertEquals(1, Math.hypot(d[0], d[1]), 1e-15);
		final double length = g.rayLength(u);
		assertEquals(Math.hypot(sdd, u), length, 1e-12);
		final double[] element = { (sdd - r) * et[0] + u * es[0], (sdd - r) * et[1] + u * es[1] };
		assertArrayEquals(element, new double[] { o[0] + length * d[0], o[1] + length * d[1] }, 1e-9);
		// the central ray passes through the isocentre
		g.ray(0, 0, o, d);
		assertEquals(0, o[0] * d[1] - o[1] * d[0], 1e-12);
		assertEquals(Math.atan(g.detectorPosition(10) / sdd), g.fanAngle(), 1e-15);
	}

	@Test
	void clipFindsTheBoxCrossing() {
		// along +x through y = 1: enters at x = −3, leaves at x = 3
		assertArrayEquals(new double[] { -8, -2 }, CtGeometry.clip(new double[] { 5, 1 }, new double[] { 1, 0 }, 3, 2), 1e-15);
		// along −y
		assertArrayEquals(new double[] { 8, 12 }, CtGeometry.clip(new double[] { 0, 10 }, new double[] { 0, -1 }, 3, 2), 1e-15);
		// a miss beside the box and a miss along a face line outside
		assertNull(CtGeometry.clip(new double[] { 0, 5 }, new double[] { 1, 0 }, 3, 2));
		final double s = Math.sqrt(0.5);
		assertNull(CtGeometry.clip(new double[] { 0, 6 }, new double[] { s, s }, 3, 2));
		// diagonal through the corner region: points at the interval ends lie on the box
		final Random random = new Random(3);
		for (int k = 0; k < 200; k++) {
			final double phi = random.nextDouble() * 2 * Math.PI;
			final double[] o = { random.nextGaussian() * 4, random.nextGaussian() * 4 }, d = { Math.cos(phi), Math.sin(phi) };
			final double[] t = CtGeometry.clip(o, d, 3, 2);
			// brute force: which points of the line are inside
			double lo = Double.NaN, hi = Double.NaN;
			for (double tt = -20; tt <= 20; tt += 1e-3) {
				final double x = o[0] + tt * d[0], y = o[1] + tt * d[1];
				if (Math.abs(x) <= 3 && Math.abs(y) <= 2) {
					if (Double.isNaN(lo)) lo = tt;
					hi = tt;
				}
			}
			if (Double.isNaN(lo)) assertTrue(t == null || t[1] - t[0] < 2e-3, "missed box, got an interval");
			else {
				assertEquals(lo, t[0], 1.1e-3);
				assertEquals(hi, t[1], 1.1e-3);
			}
		}
	}

	@Test
	void fanSegmentStopsAtTheSourceAndDetector() {
		// source 5 above the centre of a 20 × 20 box, detector 5 below it: the segment is the source-to-detector distance
		final CtGeometry g = CtGeometry.fan(1, 1, 0, 5, 10, new double[] { 0 });
		final double[] o = new double[2], d = new double[2];
		assertArrayEquals(new double[] { 0, 10 }, g.segment(0, 0, 10, 10, o, d), 1e-12);
		// a parallel ray crosses the whole box
		assertArrayEquals(new double[] { -10, 10 },
				CtGeometry.parallel(1, 1, 0, new double[] { 0 }).segment(0, 0, 10, 10, o, d), 1e-12);
	}

	@Test
	void propertiesRoundTrip() {
		final CtGeometry fan = CtGeometry.fan(367, 1, 0, 500, 1000, CtGeometry.uniformAngles(60, 360, 0));
		final String text = fan.toProperties();
		assertTrue(text.startsWith("beam=fan detectors=367 spacing=1 offset=0 sid=500 sdd=1000 angles=0,6,12,18,"), text);
		assertEquals(fan, CtGeometry.parse(text));
		final Random random = new Random(7);
		final double[] angles = new double[50];
		for (int v = 0; v < angles.length; v++) angles[v] = (random.nextDouble() - 0.3) * 7;
		final CtGeometry odd = CtGeometry.parallel(64, 0.37, -1.25e-3, angles);
		final CtGeometry back = CtGeometry.parse(odd.toProperties());
		// not every radian value is the toRadians of a decimal: arbitrary angles come back within an ulp or two
		assertArrayEquals(angles, back.angles(), 4e-15);
		assertEquals(odd.detectorSpacing(), back.detectorSpacing(), 0);
		assertEquals(odd.detectorOffset(), back.detectorOffset(), 0);
		final CtGeometry exact = CtGeometry.parallel(64, 0.37, -1.25e-3, back.angles());
		assertEquals(exact, CtGeometry.parse(exact.toProperties()));
		assertEquals(exact.hashCode(), CtGeometry.parse(exact.toProperties()).hashCode());
		assertTrue(odd.toProperties().startsWith("beam=parallel detectors=64 spacing=0.37 offset=-0.00125 angles="),
				odd.toProperties());
		// offset is optional, keys may come in any order
		assertEquals(CtGeometry.parallel(3, 2, 0, new double[] { Math.toRadians(90) }),
				CtGeometry.parse("  angles=90 spacing=2 detectors=3 beam=parallel "));
	}

	@Test
	void parseNamesTheProblem() {
		assertTrue(error(() -> CtGeometry.parse("beam=parallel detectors=3 angles=0")).contains("missing 'spacing'"));
		assertTrue(error(() -> CtGeometry.parse("beam=fan detectors=3 spacing=1 sdd=9 angles=0")).contains("missing 'sid'"));
		assertTrue(error(() -> CtGeometry.parse("beam=parallel detectors=3 spacing=1 angles=0 pitch=2")).contains("'pitch'"));
		assertTrue(error(() -> CtGeometry.parse("beam=cone detectors=3 spacing=1 angles=0")).contains("'cone'"));
		assertTrue(error(() -> CtGeometry.parse("beam=parallel detectors=3.5 spacing=1 angles=0")).contains("'3.5'"));
		assertTrue(error(() -> CtGeometry.parse("beam=parallel detectors=3 spacing=1 angles=0,x")).contains("'x'"));
		assertTrue(error(() -> CtGeometry.parse("beam=parallel detectors=3 detectors=4 spacing=1 angles=0")).contains("twice"));
		assertTrue(error(() -> CtGeometry.parse("beam=parallel detectors")).contains("key=value"));
	}

	@Test
	void badGeometriesAreRefused() {
		final double[] a = { 0 };
		assertEquals("Source-to-isocentre distance must be positive, was -3", error(() -> CtGeometry.fan(3, 1, 0, -3, 10, a)));
		final String sdd = error(() -> CtGeometry.fan(3, 1, 0, 10, 10, a));
		assertTrue(sdd.contains("must exceed") && sdd.contains("10"), sdd);
		assertTrue(error(() -> CtGeometry.fan(3, 1, 0, 10, 5, a)).contains("was 5"));
		assertTrue(error(() -> CtGeometry.parallel(0, 1, 0, a)).contains("was 0"));
		assertTrue(error(() -> CtGeometry.parallel(3, 0, 0, a)).contains("spacing"));
		assertTrue(error(() -> CtGeometry.parallel(3, 1, Double.NaN, a)).contains("offset"));
		assertTrue(error(() -> CtGeometry.parallel(3, 1, 0, new double[0])).contains("at least one"));
		assertTrue(error(() -> CtGeometry.parallel(3, 1, 0, new double[] { 0, Double.POSITIVE_INFINITY })).contains("View angle 1"));
		assertTrue(error(() -> Beam.parse("cone")).contains("'cone'"));
		assertEquals(Beam.FAN, Beam.parse(" Fan "));
		// parallel beams ignore the distances
		final CtGeometry p = new CtGeometry(Beam.PARALLEL, a, 3, 1, 0, -5, 7);
		assertEquals(0, p.sourceToCentre());
		assertEquals(0, p.sourceToDetector());
	}

	@Test
	void anglesAreCopiedDefensively() {
		final double[] a = { 0, 1 };
		final CtGeometry g = CtGeometry.parallel(3, 1, 0, a);
		a[0] = 5;
		assertEquals(0, g.angle(0));
		g.angles()[1] = 9;
		assertEquals(1, g.angle(1));
	}

	@Test
	void sinogramSizeMismatchNamesBothNumbers() {
		final CtGeometry g = CtGeometry.parallel(40, 1, 0, CtGeometry.uniformAngles(30, 180, 0));
		assertEquals("The sinogram has 29 rows but the geometry lists 30 angles", error(() -> g.checkSinogram(40, 29)));
		final String wide = error(() -> g.checkSinogram(41, 30));
		assertTrue(wide.contains("41") && wide.contains("40"), wide);
		assertDoesNotThrow(() -> g.checkSinogram(40, 30));
	}
}
