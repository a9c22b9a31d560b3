package sc.fiji.inr.tasks.ct;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;
import sc.fiji.inr.image.Axis;
import sc.fiji.inr.image.CalibratedImage;
import sc.fiji.inr.image.PixelType;

/** Poisson noise, the automatic scan parameters, and the images a simulation reads and writes. */
class CtSimulatorTest {

	@Test
	void poissonDrawsHaveTheRightMeanAndVarianceOnBothSidesOfTheAlgorithmSwitch() {
		final SplittableRandom random = new SplittableRandom(3);
		for (final double lambda : new double[] { 0.5, 7, 29.9, 30, 250, 1e5 }) {
			final int n = 20_000;
			double sum = 0, sum2 = 0;
			for (int i = 0; i < n; i++) {
				final long k = PoissonNoise.sample(lambda, random);
				assertTrue(k >= 0);
				sum += k;
				sum2 += (double) k * k;
			}
			final double mean = sum / n, variance = sum2 / n - mean * mean;
			// the standard error of the mean is √(λ/n); 5 of them
			assertEquals(lambda, mean, 5 * Math.sqrt(lambda / n), "mean at λ = " + lambda);
			assertEquals(lambda, variance, 0.06 * lambda, "variance at λ = " + lambda);
		}
		assertEquals(0, PoissonNoise.sample(0, random));
	}

	@Test
	void logFactorialIsExactBelowAndAccurateAboveTheSwitch() {
		double exact = 0;
		for (int k = 1; k <= 200; k++) {
			exact += Math.log(k);
			assertEquals(exact, PoissonNoise.logFactorial(k), 1e-9 * Math.max(1, exact), "ln " + k + "!");
		}
	}

	@Test
	void transmissionNoiseScalesWithThePhotonCountAndIsSeeded() {
		final float[] p = new float[20_000];
		Arrays.fill(p, 1.5f);
		final double counts = 1e4 * Math.exp(-1.5);
		final float[] a = PoissonNoise.transmission(p, 1e4, 7), b = PoissonNoise.transmission(p, 1e4, 7);
		assertArrayEquals(a, b);
		assertFalse(Arrays.equals(a, PoissonNoise.transmission(p, 1e4, 8)));
		double mean = 0, var = 0;
		for (final float v : a) mean += v / p.length;
		for (final float v : a) var += (v - mean) * (v - mean) / p.length;
		assertEquals(1.5, mean, 0.005);
		assertEquals(1 / counts, var, 0.1 / counts); // delta method: Var(−ln N/I₀) ≈ 1/(I₀e^−p)
		// photon starvation: no photon left counts as one
		final float[] dark = PoissonNoise.transmission(new float[] { 50 }, 100, 1);
		assertEquals(Math.log(100), dark[0], 1e-5);
		assertThrows(IllegalArgumentException.class, () -> PoissonNoise.transmission(p, 0, 1));
		assertThrows(IllegalArgumentException.class, () -> CtSimulator.simulate(null, new float[1], CtReconstruction.Grid.of(1, 1, 1, "mm"),
				-1, 1));
	}

	@Test
	void automaticDetectorsSeeTheWholeImageAndAreOdd() {
		final CtReconstruction.Grid grid = CtReconstruction.Grid.of(32, 32, 0.5, "mm");
		// diagonal 45.25 pixels → 46 → 47
		assertEquals(47, CtSimulator.detectorsFor(grid, Beam.PARALLEL, 0.5, 0, 0));
		assertEquals(23, CtSimulator.detectorsFor(grid, Beam.PARALLEL, 1, 0, 0));
		final CtGeometry fan = new CtScan(Beam.FAN, 8, 360, 0, null, 0, 0, 0, 0, 0).forImage(grid);
		final double r = Math.hypot(8, 8); // half the diagonal of 32 × 0.5 mm
		assertEquals(4 * r, fan.sourceToCentre(), 1e-9);
		assertEquals(8 * r, fan.sourceToDetector(), 1e-9);
		// the outer elements' rays just clear the corner circle
		final double edge = fan.detectorPosition(fan.detectors() - 1);
		assertTrue(Math.atan(edge / fan.sourceToDetector()) >= Math.asin(r / fan.sourceToCentre()), fan.toString());
		assertEquals(1, fan.detectors() % 2);
		final IllegalArgumentException inside = assertThrows(IllegalArgumentException.class,
				() -> CtSimulator.detectorsFor(grid, Beam.FAN, 0.5, 10, 40));
		assertTrue(inside.getMessage().contains("inside the circle"), inside.getMessage());
	}

	@Test
	void aScanForAnImageFillsInWhatWasLeftAutomatic() {
		final CtReconstruction.Grid grid = CtReconstruction.Grid.of(20, 20, 2, "mm");
		final CtGeometry g = new CtScan(Beam.PARALLEL, 30, 180, 10, null, 0, 0, 0.5, 0, 0).forImage(grid);
		assertEquals(30, g.views());
		assertEquals(Math.toRadians(16), g.angle(1), 1e-12);
		assertEquals(2, g.detectorSpacing());
		assertEquals(29, g.detectors()); // diagonal 28.3 pixels
		assertEquals(0.5, g.detectorOffset());
		// an angle list replaces views, range and start
		final CtGeometry listed = new CtScan(Beam.PARALLEL, 30, 180, 10, CtScan.parseAngles("0, 45 90"), 11, 1, 0, 0, 0).forImage(grid);
		assertArrayEquals(new double[] { 0, Math.PI / 4, Math.PI / 2 }, listed.angles(), 1e-15);
		assertEquals(11, listed.detectors());
		assertNull(CtScan.parseAngles("  "));
		final IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> CtScan.parseAngles("0, 1x"));
		assertTrue(bad.getMessage().contains("'1x'"), bad.getMessage());
		final IllegalArgumentException noViews = assertThrows(IllegalArgumentException.class, () -> CtScan.automatic().forImage(grid));
		assertTrue(noViews.getMessage().contains("at least one view"), noViews.getMessage());
	}

	@Test
	void aScanForASinogramTakesItsSizeAndRefusesMismatches() {
		final CtGeometry g = CtScan.automatic().forSinogram(31, 24, 0.25);
		assertEquals(31, g.detectors());
		assertEquals(24, g.views());
		assertEquals(0.25, g.detectorSpacing());
		assertEquals(Math.toRadians(7.5), g.angle(1), 1e-12);
		assertTrue(CtScan.automatic().isAutomatic());
		assertFalse(new CtScan(Beam.PARALLEL, 0, 180, 0, null, 0, 0, 0.1, 0, 0).isAutomatic());

		IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> new CtScan(Beam.PARALLEL, 30, 180, 0, null, 0, 0, 0, 0, 0).forSinogram(31, 29, 1));
		assertEquals("The sinogram has 29 rows but the geometry lists 30 angles", e.getMessage());
		e = assertThrows(IllegalArgumentException.class,
				() -> new CtScan(Beam.PARALLEL, 0, 180, 0, new double[] { 0, 1 }, 0, 0, 0, 0, 0).forSinogram(31, 29, 1));
		assertTrue(e.getMessage().contains("lists 2 angles"), e.getMessage());
		e = assertThrows(IllegalArgumentException.class, () -> new CtScan(Beam.PARALLEL, 0, 180, 0, null, 30, 0, 0, 0, 0).forSinogram(31, 29, 1));
		assertTrue(e.getMessage().contains("31 pixels wide but the geometry has 30"), e.getMessage());
		e = assertThrows(IllegalArgumentException.class, () -> new CtScan(Beam.FAN, 0, 360, 0, null, 0, 0, 0, 0, 0).forSinogram(31, 29, 1));
		assertTrue(e.getMessage().contains("sid, sdd"), e.getMessage());
		e = assertThrows(IllegalArgumentException.class, () -> new CtScan(Beam.FAN, 0, 360, 0, null, 0, 0, 0, -5, 100));
		assertTrue(e.getMessage().contains("must not be negative") && e.getMessage().contains("-5"), e.getMessage());
		e = assertThrows(IllegalArgumentException.class, () -> new CtScan(Beam.FAN, 0, 360, 0, null, 0, 0, 0, 100, 50).forSinogram(31, 29, 1));
		assertTrue(e.getMessage().contains("must exceed"), e.getMessage());
	}

	@Test
	void aSinogramImageIsCalibratedByDetectorCoordinateAndDegreesPerView() {
		final CtGeometry g = CtGeometry.parallel(5, 0.5, 0.25, CtGeometry.uniformAngles(4, 180, 30));
		final CalibratedImage<FloatType> s = CtImages.sinogram(new float[5 * 4 * 2], g, 2, 3, "mm", "sino");
		assertEquals(List.of(Axis.X, Axis.Y, Axis.Z), s.axes());
		assertArrayEquals(new long[] { 5, 4, 2 }, s.pixels().dimensionsAsLongArray());
		assertArrayEquals(new double[] { 0.5, 45, 3 }, s.spacing(), 1e-12);
		assertArrayEquals(new double[] { -0.75, 30, 0 }, s.origin(), 1e-12);
		assertArrayEquals(new String[] { "mm", CtImages.DEGREES, "mm" }, s.units());
		// irregular angles: the rows are just views
		final CalibratedImage<FloatType> views = CtImages.sinogram(new float[15], CtGeometry.parallel(5, 1, 0, new double[] { 0, 0.1, 0.5 }), 1,
				1, "mm", "x");
		assertEquals("view", views.units()[1]);
		assertEquals(1, views.spacing()[1]);
	}

	@Test
	void anImageGridIsCentredAndNeedsSquarePixelsAndOneChannel() {
		final CalibratedImage<FloatType> img = new CalibratedImage<>("slices", ArrayImgs.floats(new float[6 * 4 * 3], 6, 4, 3),
				List.of(Axis.X, Axis.Y, Axis.Z), new double[] { 0.5, 0.5, 2 }, new double[] { 10, 10, 0 },
				new String[] { "mm", "mm", "mm" }, PixelType.FLOAT32);
		final CtReconstruction.Grid g = CtImages.grid(img);
		assertEquals(new CtReconstruction.Grid(6, 4, 0.5, 3, 2, "mm"), g);
		assertEquals(72, CtImages.pixels(img, "x").length);
		final CalibratedImage<FloatType> oblong = new CalibratedImage<>("oblong", ArrayImgs.floats(4, 4), List.of(Axis.X, Axis.Y),
				new double[] { 0.5, 1 }, new double[2], new String[] { "mm", "mm" }, PixelType.FLOAT32);
		assertTrue(assertThrows(IllegalArgumentException.class, () -> CtImages.grid(oblong)).getMessage().contains("square pixels"));
		final CalibratedImage<FloatType> rgb = new CalibratedImage<>("rgb", ArrayImgs.floats(4, 4, 3), List.of(Axis.X, Axis.Y, Axis.CHANNEL),
				new double[] { 1, 1, 1 }, new double[3], new String[] { "mm", "mm", "" }, PixelType.FLOAT32);
		assertTrue(assertThrows(IllegalArgumentException.class, () -> CtImages.pixels(rgb, "A sinogram")).getMessage()
				.contains("one channel"));
	}

	@Test
	void aSimulatedSinogramIsTheProjectionPlusSeededNoise() {
		final CtReconstruction.Grid grid = CtReconstruction.Grid.of(16, 16, 1, "mm");
		final float[] image = CtPhantoms.disk(16, 16, 1, 0, 0, 5, 0.1);
		final CtGeometry g = CtGeometry.parallel(23, 1, 0, CtGeometry.uniformAngles(12, 180, 0));
		final float[] clean = CtSimulator.simulate(g, image, grid, 0, 1);
		assertArrayEquals(CtReconstruction.project(g, image, grid), clean);
		final float[] noisy = CtSimulator.simulate(g, image, grid, 1e3, 1);
		assertArrayEquals(noisy, CtSimulator.simulate(g, image, grid, 1e3, 1));
		double error = 0;
		for (int i = 0; i < clean.length; i++) error += Math.abs(noisy[i] - clean[i]) / clean.length;
		assertTrue(error > 0.005 && error < 0.1, "mean |noise| " + error);
	}
}
