package sc.fiji.inr.tasks.ct;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

class RayProjectorTest {

	private static final int N = 64;
	private static final double P = 0.8;

	private static CtGeometry parallel(final int views) {
		return CtGeometry.parallel(95, 0.6, 0.13, CtGeometry.uniformAngles(views, 180, 3));
	}

	private static CtGeometry fan(final int views) {
		// magnification 2: 0.9 on the detector is 0.45 at the isocentre
		return CtGeometry.fan(131, 0.9, -0.4, 80, 160, CtGeometry.uniformAngles(views, 360, 0));
	}

	private static float[] random(final Random random, final int n) {
		final float[] a = new float[n];
		for (int k = 0; k < n; k++) a[k] = (float) random.nextGaussian();
		return a;
	}

	private static double dot(final float[] a, final float[] b) {
		double s = 0;
		for (int k = 0; k < a.length; k++) s += (double) a[k] * b[k];
		return s;
	}

	private static void assertAdjoint(final CtGeometry g, final int width, final int height) {
		final RayProjector a = new RayProjector(g, width, height, P);
		final Random random = new Random(11);
		for (int trial = 0; trial < 3; trial++) {
			final float[] x = random(random, width * height), y = random(random, g.detectors() * g.views());
			final double ax = dot(a.project(x), y), aty = dot(x, a.backproject(y));
			assertEquals(ax, aty, 1e-4 * Math.abs(ax), "⟨Ax, y⟩ = " + ax + ", ⟨x, Aᵀy⟩ = " + aty);
		}
		// the per-view operators are the rows of the whole ones
		final float[] x = random(random, width * height), y = random(random, g.detectors());
		final float[] row = a.projectView(x, 2, null), whole = a.project(x);
		for (int i = 0; i < g.detectors(); i++) assertEquals(whole[i + g.detectors() * 2], row[i], 0);
		assertEquals(dot(row, y), dot(x, a.backprojectView(y, 2, null)), 1e-4 * Math.abs(dot(row, y)));
	}

	@Test
	void backprojectionIsTheAdjointParallel() {
		assertAdjoint(parallel(17), N, N);
		// non-square grids: width and height must not be swapped anywhere
		assertAdjoint(parallel(9), 40, 71);
	}

	@Test
	void backprojectionIsTheAdjointFan() {
		assertAdjoint(fan(23), N, N);
		assertAdjoint(fan(7), 57, 36);
	}

	@Test
	void adjointnessNoticesAWrongWeight() {
		// the check above can fail: a back-projection with one pixel's weight off breaks it
		final CtGeometry g = parallel(9);
		final RayProjector a = new RayProjector(g, N, N, P);
		final Random random = new Random(5);
		final float[] x = random(random, N * N), y = random(random, g.detectors() * g.views());
		final float[] aty = a.backproject(y);
		aty[N * N / 2 + N / 2] *= 1.5f;
		final double lhs = dot(a.project(x), y), rhs = dot(x, aty);
		assertTrue(Math.abs(lhs - rhs) > 1e-4 * Math.abs(lhs), lhs + " vs " + rhs);
	}

	@Test
	void diskProjectsToItsChordLengthsParallel() {
		final double r = 18, mu = 0.02;
		final int size = 128;
		final double p = 0.5;
		final CtGeometry g = CtGeometry.parallel(101, 0.5, 0, CtGeometry.uniformAngles(7, 180, 10));
		final RayProjector a = new RayProjector(g, size, size, p);
		final float[] centred = a.project(CtPhantoms.disk(size, size, p, 0, 0, r, mu));
		for (int v = 0; v < g.views(); v++)
			assertEquals(2 * r * mu, centred[50 + 101 * v], 0.01 * 2 * r * mu, "central detector, view " + v);
		// off centre, the profile is centred on the detector coordinate ⟨c, e_s⟩ of the disk's centre
		for (final double[] c : new double[][] { { 0, 0 }, { 7, -9 } }) {
			final float[] sino = a.project(CtPhantoms.disk(size, size, p, c[0], c[1], r, mu));
			for (int v = 0; v < g.views(); v++) {
				final double theta = g.angle(v), s = c[0] * Math.cos(theta) - c[1] * Math.sin(theta);
				for (int i = 0; i < 101; i++) {
					final double u = g.detectorPosition(i) - s;
					final double chord = Math.abs(u) < r ? 2 * mu * Math.sqrt(r * r - u * u) : 0;
					// within two pixels of the rim the chord is steep and the rasterised edge blurs it
					if (Math.abs(u) < r - 2 * p)
						assertEquals(chord, sino[i + 101 * v], 0.02 * 2 * r * mu + 0.03 * chord, "u = " + u + ", view " + v);
					if (Math.abs(u) > r + 2 * p) assertEquals(0, sino[i + 101 * v], 1e-6, "u = " + u + ", view " + v);
				}
			}
		}
	}

	@Test
	void diskProjectsToItsChordLengthsFan() {
		// an off-centre disk, so that the diverging rays' chords differ from the parallel ones
		final double r = 12, mu = 0.03, cx = 6, cy = -4;
		final int size = 128;
		final double p = 0.5;
		final float[] disk = CtPhantoms.disk(size, size, p, cx, cy, r, mu);
		final CtGeometry g = CtGeometry.fan(121, 1, 0.3, 60, 150, CtGeometry.uniformAngles(8, 360, 5));
		final float[] sino = new RayProjector(g, size, size, p).project(disk);
		final double[] o = new double[2], d = new double[2];
		int checked = 0;
		for (int v = 0; v < g.views(); v++)
			for (int i = 0; i < g.detectors(); i++) {
				g.ray(v, g.detectorPosition(i), o, d);
				// distance from the disk's centre to the ray's line
				final double dist = Math.abs((cx - o[0]) * d[1] - (cy - o[1]) * d[0]);
				final double chord = dist < r ? 2 * mu * Math.sqrt(r * r - dist * dist) : 0;
				if (dist < r - 2 * p) {
					assertEquals(chord, sino[i + g.detectors() * v], 0.02 * 2 * r * mu + 0.03 * chord, "view " + v + ", element " + i);
					checked++;
				}
				if (dist > r + 2 * p) assertEquals(0, sino[i + g.detectors() * v], 1e-6);
			}
		assertTrue(checked > 200, "only " + checked + " rays through the disk");
	}

	@Test
	void uniformImageIntegratesToTheClippedLength() {
		// a ray along x sees the full width W·p, except that over the half pixel at each end the
		// interpolant falls linearly from 1 to ½ (it would reach 0 half a pixel beyond the box): 0.125 lost per end
		final CtGeometry g = CtGeometry.parallel(1, 1, 0, new double[] { Math.PI / 2 });
		final float[] ones = new float[20 * 10];
		java.util.Arrays.fill(ones, 1);
		final float[] sino = new RayProjector(g, 20, 10, 1).project(ones);
		// the ray at u = 0 lies between rows 4 and 5 (row centres at ±0.5), inside the grid
		assertEquals(20 - 2 * 0.125, sino[0], 1e-5);
	}

	@Test
	void sizeMismatchesAreRefused() {
		final RayProjector a = new RayProjector(parallel(5), N, N, P);
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.project(new float[10]));
		assertTrue(e.getMessage().contains("10") && e.getMessage().contains("4096"), e.getMessage());
		assertThrows(IllegalArgumentException.class, () -> a.backproject(new float[10]));
		assertThrows(IllegalArgumentException.class, () -> a.projectView(new float[N * N], 5, null));
		assertThrows(IllegalArgumentException.class, () -> new RayProjector(parallel(5), 0, 4, 1));
		assertThrows(IllegalArgumentException.class, () -> new RayProjector(parallel(5), 4, 4, -1));
	}

	@Test
	void projectionIsDeterministic() {
		final CtGeometry g = fan(40);
		final RayProjector a = new RayProjector(g, N, N, P);
		final float[] x = random(new Random(1), N * N), y = random(new Random(2), g.detectors() * g.views());
		assertArrayEquals(a.project(x), a.project(x));
		assertArrayEquals(a.backproject(y), a.backproject(y));
	}

	@Test
	void timing256() {
		// not an assertion of speed (the machine is shared), a record of it
		final int size = 256;
		final float[] image = CtPhantoms.sheppLogan(size);
		for (final Beam beam : Beam.values()) {
			final CtGeometry g = beam == Beam.PARALLEL ? CtGeometry.parallel(367, 1, 0, CtGeometry.uniformAngles(60, 180, 0))
					: CtGeometry.fan(367, 2, 0, 500, 1000, CtGeometry.uniformAngles(60, 360, 0));
			final RayProjector a = new RayProjector(g, size, size, 1);
			float[] sino = a.project(image);
			a.backproject(sino);
			long t = System.nanoTime();
			sino = a.project(image);
			final long project = System.nanoTime() - t;
			t = System.nanoTime();
			a.backproject(sino);
			final long back = System.nanoTime() - t;
			System.out.printf("RayProjector %s 256² × 60 views × 367: project %.0f ms, backproject %.0f ms%n", beam,
					project / 1e6, back / 1e6);
			assertTrue(project < 5e9);
		}
	}
}
