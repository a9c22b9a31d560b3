package sc.fiji.inr.tasks.ct;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class SartTest {

	private static double[] radians(final double... degrees) {
		final double[] r = new double[degrees.length];
		for (int v = 0; v < r.length; v++) r[v] = Math.toRadians(degrees[v]);
		return r;
	}

	@Test
	void goldenRatioOrderIsScikitImages() {
		// skimage.transform.radon_transform.order_angles_golden_ratio (0.19.3) on the same angles
		assertArrayEquals(new int[] { 0, 2, 5, 1, 3, 4 }, Sart.goldenRatioOrder(radians(0, 30, 60, 90, 120, 150), 180));
		assertArrayEquals(new int[] { 0, 11, 23, 4, 16, 27, 9, 20, 2, 13, 25, 6, 18, 29, 10, 22, 3, 15, 26, 8, 19, 1, 12, 24, 5, 17, 28,
				7, 21, 14 }, Sart.goldenRatioOrder(CtGeometry.uniformAngles(30, 180, 0), 180));
		assertArrayEquals(new int[] { 6, 4, 5, 3, 0, 2, 7, 1 }, Sart.goldenRatioOrder(radians(100, 10, 170, 45, 80, 135, 5, 60), 180));
		// every view exactly once, also for a fan beam's full turn
		final int[] fan = Sart.goldenRatioOrder(CtGeometry.uniformAngles(37, 360, 0), 360);
		final int[] sorted = fan.clone();
		Arrays.sort(sorted);
		for (int v = 0; v < 37; v++) assertEquals(v, sorted[v]);
	}

	@Test
	void convergesAndBeatsFbpAt30Views() {
		final int size = 128;
		final float[] truth = CtPhantoms.sheppLogan(size);
		final CtGeometry g = CtGeometry.parallel(185, 1, 0, CtGeometry.uniformAngles(30, 180, 0));
		final float[] sino = new RayProjector(g, size, size, 1).project(truth);
		final double fbp = CtPhantoms.psnr(truth, FilteredBackProjection.reconstruct(g, sino, RampFilter.SHEPP_LOGAN, size, size, 1),
				size, size);
		double previous = 0;
		float[] x = null;
		for (int it = 1; it <= 8; it *= 2) {
			// continuing from the previous result: 1, 2, 4, 8 iterations in all
			x = Sart.reconstruct(g, sino, size, size, 1, it == 1 ? 1 : it / 2, 0.5, true, x);
			final double psnr = CtPhantoms.psnr(truth, x, size, size);
			System.out.printf("SART 30 views, %d iterations: PSNR %.2f dB (FBP shepp-logan %.2f dB)%n", it, psnr, fbp);
			assertTrue(psnr > previous + 0.1, it + " iterations: " + psnr + " after " + previous);
			previous = psnr;
		}
		assertTrue(previous > fbp + 2, "SART " + previous + " vs FBP " + fbp);
		for (final float v : x) assertTrue(v >= 0);
	}

	@Test
	void fanBeamSartConverges() {
		final int size = 64;
		final float[] truth = CtPhantoms.sheppLogan(size);
		final CtGeometry g = CtGeometry.fan(121, 1, 0, 100, 200, CtGeometry.uniformAngles(30, 360, 0));
		final float[] sino = new RayProjector(g, size, size, 1).project(truth);
		final float[] one = Sart.reconstruct(g, sino, size, size, 1, 1, 0.5, false, null);
		final float[] five = Sart.reconstruct(g, sino, size, size, 1, 5, 0.5, false, null);
		final double p1 = CtPhantoms.psnr(truth, one, size, size), p5 = CtPhantoms.psnr(truth, five, size, size);
		final double fbp = CtPhantoms.psnr(truth, FilteredBackProjection.reconstruct(g, sino, RampFilter.SHEPP_LOGAN, size, size, 1),
				size, size);
		System.out.printf("SART fan 30 views 64²: 1 iteration %.2f dB, 5 iterations %.2f dB (FBP %.2f dB)%n", p1, p5, fbp);
		assertTrue(p5 > p1 + 1 && p5 > fbp, p1 + " → " + p5 + ", FBP " + fbp);
	}

	@Test
	void exactDataOfOneViewIsFitted() {
		// one SART step with λ = 1 on one view makes that view's projection match its data (where rays are not
		// clamped): for a single view A_v is a smoothing whose rows are all positive
		final int size = 32;
		final CtGeometry g = CtGeometry.parallel(40, 1, 0, new double[] { 0.3 });
		final RayProjector a = new RayProjector(g, size, size, 1);
		final float[] disk = CtPhantoms.disk(size, size, 1, 2, 3, 8, 1);
		final float[] sino = a.project(disk);
		final float[] x = Sart.reconstruct(g, sino, size, size, 1, 30, 1, false, null);
		final float[] fitted = a.project(x);
		for (int i = 0; i < 40; i++) assertEquals(sino[i], fitted[i], 0.02 * 16, "detector " + i);
	}

	@Test
	void initialImageAndArgumentsAreChecked() {
		final CtGeometry g = CtGeometry.parallel(20, 1, 0, CtGeometry.uniformAngles(4, 180, 0));
		final float[] initial = new float[16 * 16];
		Arrays.fill(initial, 0.5f);
		assertArrayEquals(initial, Sart.reconstruct(g, new float[80], 16, 16, 1, 0, 0.5, false, initial));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> Sart.reconstruct(g, new float[80], 16, 16, 1, 1, 2.5, false, null))
				.getMessage().contains("2.5"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> Sart.reconstruct(g, new float[80], 16, 16, 1, -1, 0.5, false, null))
				.getMessage().contains("-1"));
		final String m = assertThrows(IllegalArgumentException.class,
				() -> Sart.reconstruct(g, new float[80], 16, 16, 1, 1, 0.5, false, new float[10])).getMessage();
		assertTrue(m.contains("10") && m.contains("256"), m);
		assertThrows(IllegalArgumentException.class, () -> Sart.reconstruct(g, new float[81], 16, 16, 1, 1, 0.5, false, null));
		// the caller's initial image is not modified
		Sart.reconstruct(g, new float[80], 16, 16, 1, 2, 0.5, false, initial);
		assertEquals(0.5f, initial[0]);
	}
}
