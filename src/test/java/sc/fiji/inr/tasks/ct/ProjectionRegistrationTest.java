package sc.fiji.inr.tasks.ct;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import sc.fiji.inr.field.CoordinateFrame;
import sc.fiji.inr.field.ModelOptions;
import sc.fiji.inr.field.NeuralField;
import sc.fiji.inr.field.TrainingRecord;
import sc.fiji.inr.fit.FitOptions;
import sc.fiji.inr.tasks.Reconstruction;
import sc.fiji.inr.tasks.fitimage.ImageFitting;

/**
 * Registration of a prior field onto a sinogram: the scan is the prior's anatomy shifted by
 * (1.5, −1) px, which the displacement must recover from 12 views alone, leaving the prior field
 * itself as it was; the same for a stack of slices sharing the geometry; and the settings'
 * validation.
 */
class ProjectionRegistrationTest {

	private static final int N = 40;

	/** Three Gaussian blobs (σ 3–6 px) inside the box, shifted by (sx, sy) px; flat index x + N·y. */
	private static float[] blobs(final double sx, final double sy) {
		final double[][] blobs = { { -6, -4, 6, 1 }, { 7, 3, 4, 0.7 }, { 1, 9, 3, 0.5 } }; // centre from the middle, σ, height
		final float[] a = new float[N * N];
		for (int j = 0; j < N; j++)
			for (int i = 0; i < N; i++) {
				double v = 0;
				for (final double[] b : blobs) {
					final double x = i - (N - 1) / 2.0 - sx - b[0], y = j - (N - 1) / 2.0 - sy - b[1];
					v += b[3] * Math.exp(-(x * x + y * y) / (2 * b[2] * b[2]));
				}
				a[i + N * j] = (float) v;
			}
		return a;
	}

	@Test
	void recoversAShiftOfTheAnatomyFromTheSinogramAndLeavesThePriorAsItWas() {
		final CtReconstruction.Grid grid = CtReconstruction.Grid.of(N, N, 1, "mm");
		final CtGeometry g = CtGeometry.parallel(57, 1, 0, CtGeometry.uniformAngles(12, 180, 0));
		final float[] scan = blobs(1.5, -1);
		final float[] sinogram = CtSimulator.simulate(g, scan, grid, 0, 1);
		try (NeuralField prior = ImageFitting.fit(CtReconstruction.image(blobs(0, 0), grid, "earlier"), new ImageFitting.Settings(
				ModelOptions.of("hashgrid"), FitOptions.defaults().withSteps(300).withLearningRate(1e-2).withBatchSize(N * N), null), null)
				.field()) {
			final CoordinateFrame frame = prior.frame();
			final TrainingRecord record = prior.training();
			final float[] before = prior.evaluateNormalised(centres(frame), N * N);
			final ProjectionRegistration.Registered registered = ProjectionRegistration.register(g, sinogram, 1, prior,
					ProjectionRegistration.Settings.defaults().withControlSpacing(10).withSteps(100).withLearningRate(5e-3).withBatchSize(1 << 13), null);
			final ProjectionRegistration.Result r = registered.result();
			assertEquals(100, r.fit().steps());
			assertTrue(r.fit().psnr() > r.before() + 6, "data consistency " + r.before() + " → " + r.fit().psnr() + " dB");
			// prior(x + u) = anatomy(x − s): u = −s, in normalised units 2/N per pixel, over the blobs' support
			final float[] u = r.displacementAt(centres(frame), N * N);
			double ux = 0, uy = 0;
			int n = 0;
			for (int j = 10; j < 30; j++)
				for (int i = 10; i < 30; i++) {
					ux += u[2 * (i + N * j)] * N / 2.0;
					uy += u[2 * (i + N * j) + 1] * N / 2.0;
					n++;
				}
			assertEquals(-1.5, ux / n, 0.3, "mean x displacement in px");
			assertEquals(1, uy / n, 0.3, "mean y displacement in px");
			// inside the blobs the displacement is the shift (1.80 mm); the air beyond them constrains nothing
			assertEquals(Math.hypot(1.5, 1), r.largestDisplacement(), 0.6, r.summary());
			assertTrue(r.summary().contains(String.format(java.util.Locale.ROOT, "largest displacement %.2f mm inside the object in 100 steps",
					r.largestDisplacement())), r.summary());
			// the warped prior is the scan's anatomy; the prior field is untouched
			final Reconstruction.PriorImage warped = registered.priorImage(0.01);
			assertTrue(error(warped.values(), prior, scan) < 0.4 * error(before, prior, scan), "the warped prior is not closer to the scan");
			assertEquals(0.01, warped.weight());
			assertNull(registered.priorImage(0));
			assertArrayEquals(before, prior.evaluateNormalised(centres(frame), N * N));
			assertEquals(record, prior.training());
		}
	}

	@Test
	void registersAStackOfSlicesThroughTheirSinograms() {
		final int slices = 3;
		final CtReconstruction.Grid grid = new CtReconstruction.Grid(N, N, 1, slices, 4, "mm");
		final CtGeometry g = CtGeometry.parallel(57, 1, 0, CtGeometry.uniformAngles(12, 180, 0));
		final float[] scan = new float[N * N * slices], earlier = new float[N * N * slices];
		for (int z = 0; z < slices; z++) {
			System.arraycopy(blobs(-1.5, 0), 0, scan, z * N * N, N * N);
			System.arraycopy(blobs(0, 0), 0, earlier, z * N * N, N * N);
		}
		final float[] sinogram = CtSimulator.simulate(g, scan, grid, 0, 1);
		try (NeuralField prior = ImageFitting.fit(CtReconstruction.image(earlier, grid, "earlier"), new ImageFitting.Settings(
				ModelOptions.of("hashgrid"), FitOptions.defaults().withSteps(300).withLearningRate(1e-2).withBatchSize(N * N), null), null)
				.field()) {
			final ProjectionRegistration.Result r = ProjectionRegistration.register(g, sinogram, slices, prior,
					ProjectionRegistration.Settings.defaults().withControlSpacing(10).withSteps(100).withLearningRate(5e-3).withBatchSize(1 << 13), null)
					.result();
			assertTrue(r.fit().psnr() > r.before() + 6, "data consistency " + r.before() + " → " + r.fit().psnr() + " dB");
			// the middle slice's centre moves by +1.5 px along x, nothing along y or z
			final CoordinateFrame f = prior.frame();
			final float[] centre = { (float) f.normalisedPixelCentre(0, N / 2), (float) f.normalisedPixelCentre(1, N / 2),
					(float) f.normalisedPixelCentre(2, 1) };
			final float[] u = r.displacementAt(centre, 1);
			assertEquals(1.5, u[0] * f.halfExtent(0), 0.4, "x displacement in mm");
			assertEquals(0, u[1] * f.halfExtent(1), 0.4, "y displacement in mm");
			assertEquals(0, u[2] * f.halfExtent(2), 0.4, "z displacement in mm");
		}
	}

	/**
	 * A new lesion in the scan, absent from the prior: by squares its rays pull the displacement
	 * towards it, by the robust loss (the default) much less. The scan is the prior's anatomy shifted
	 * by (1.5, −1) px plus a bright disk of radius 3 px; the error is the RMS distance of the
	 * displacement to the true one over the anatomy's middle.
	 */
	@Test
	void aLesionTheRobustLossSetsAsideBendsTheSquaresFit() {
		final CtReconstruction.Grid grid = CtReconstruction.Grid.of(N, N, 1, "mm");
		final CtGeometry g = CtGeometry.parallel(57, 1, 0, CtGeometry.uniformAngles(12, 180, 0));
		final float[] scan = blobs(1.5, -1);
		for (int j = 0; j < N; j++)
			for (int i = 0; i < N; i++)
				if (Math.hypot(i - 24, j - 14) <= 3) scan[i + N * j] += 1;
		final float[] sinogram = CtSimulator.simulate(g, scan, grid, 0, 1);
		try (NeuralField prior = ImageFitting.fit(CtReconstruction.image(blobs(0, 0), grid, "earlier"), new ImageFitting.Settings(
				ModelOptions.of("hashgrid"), FitOptions.defaults().withSteps(300).withLearningRate(1e-2).withBatchSize(N * N), null), null)
				.field()) {
			final ProjectionRegistration.Settings settings = ProjectionRegistration.Settings.defaults().withControlSpacing(10).withSteps(100)
					.withLearningRate(5e-3).withBatchSize(1 << 13);
			assertTrue(settings.robust(), "robust by default");
			final double robust = displacementError(ProjectionRegistration.register(g, sinogram, 1, prior, settings, null).result(), prior);
			final double squares = displacementError(
					ProjectionRegistration.register(g, sinogram, 1, prior, settings.withRobust(false), null).result(), prior);
			assertTrue(robust < 0.3 && robust < 0.7 * squares, "RMS displacement error robust " + robust + " px, by squares " + squares + " px");
		}
	}

	/** RMS distance in px of a registration's displacement to the true (−1.5, 1) px over pixels 10…29 of both axes. */
	private static double displacementError(final ProjectionRegistration.Result r, final NeuralField prior) {
		final float[] u = r.displacementAt(centres(prior.frame()), N * N);
		double sum = 0;
		int n = 0;
		for (int j = 10; j < 30; j++)
			for (int i = 10; i < 30; i++) {
				sum += Math.pow(u[2 * (i + N * j)] * N / 2.0 + 1.5, 2) + Math.pow(u[2 * (i + N * j) + 1] * N / 2.0 - 1, 2);
				n++;
			}
		return Math.sqrt(sum / n);
	}

	@Test
	void theRobustScaleIsSetByTheMedianResidualNotTheOutliers() {
		assertEquals(2.385 * 1.4826 * 0.5, WarpedRayObjective.robustScale(new float[] { 0.5f, -0.5f, 0.4f, -0.6f, 0.5f, 80, -90 }), 1e-6);
		assertEquals(0, WarpedRayObjective.robustScale(new float[] { 0, 0, 0, 1 }));
	}

	/** RMS difference between a prior image (normalised values) and a physical image. */
	private static double error(final float[] normalised, final NeuralField prior, final float[] physical) {
		double sum = 0;
		for (int k = 0; k < physical.length; k++) sum += Math.pow(prior.scale().denormalise(0, normalised[k]) - physical[k], 2);
		return Math.sqrt(sum / physical.length);
	}

	private static float[] centres(final CoordinateFrame frame) {
		final float[] c = new float[2 * N * N];
		for (int j = 0; j < N; j++)
			for (int i = 0; i < N; i++) {
				c[2 * (i + N * j)] = (float) frame.normalisedPixelCentre(0, i);
				c[2 * (i + N * j) + 1] = (float) frame.normalisedPixelCentre(1, j);
			}
		return c;
	}

	@Test
	void refusesBadSettings() {
		final ProjectionRegistration.Settings d = ProjectionRegistration.Settings.defaults();
		assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withControlSpacing(0)).getMessage().contains("Control point spacing"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withSteps(0)).getMessage().contains("steps"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withLearningRate(Double.NaN)).getMessage().contains("learning rate"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withBendingWeight(-1)).getMessage().contains("Bending weight"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> d.withBatchSize(-1)).getMessage().contains("batch size"));
	}
}
