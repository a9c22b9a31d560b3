package sc.fiji.inr.tasks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;
import sc.fiji.inr.field.ModelOptions;
import sc.fiji.inr.field.NeuralField;
import sc.fiji.inr.fit.FitOptions;
import sc.fiji.inr.fit.FitResult;
import sc.fiji.inr.image.Axis;
import sc.fiji.inr.image.CalibratedImage;
import sc.fiji.inr.image.ImageMetrics;
import sc.fiji.inr.image.PixelType;
import sc.fiji.inr.image.SheppLogan;
import sc.fiji.inr.tasks.ct.CtGeometry;
import sc.fiji.inr.tasks.ct.CtReconstruction;
import sc.fiji.inr.tasks.ct.CtSimulator;
import sc.fiji.inr.tasks.fitimage.ImageFitting;
import sc.fiji.inr.tasks.mri.KSpace;
import sc.fiji.inr.tasks.mri.MriReconstruction;
import sc.fiji.inr.tasks.mri.MriSimulator;
import sc.fiji.inr.tasks.mri.SamplingMask;

/**
 * The prior term end to end, on a 48² Shepp–Logan phantom with a lesion the prior lacks: with
 * a prior weight (MRI's default; 0.01 for CT, with an aligned prior taken as it is) the reconstruction beats the
 * same prior used only as the starting point (NeRP), for undersampled MRI and for sparse-view CT,
 * and the lesion survives it. Also
 * the prior image the term freezes, and the weight's validation.
 */
class PriorTermTest {

	private static final int N = 48;

	/** Shepp–Logan, flat index x + N·y. */
	private static float[] phantom() {
		final float[] a = new float[N * N];
		int k = 0;
		for (final FloatType v : Views.flatIterable(SheppLogan.phantom2d(N).pixels())) a[k++] = v.get();
		return a;
	}

	/** The phantom plus 0.4 in a disk of radius 3 px at pixel (30, 20). */
	private static float[] withLesion(final float[] plain) {
		final float[] a = plain.clone();
		for (int y = 0; y < N; y++)
			for (int x = 0; x < N; x++)
				if ((x - 30) * (x - 30) + (y - 20) * (y - 20) <= 9) a[x + N * y] += 0.4f;
		return a;
	}

	private static double psnr(final float[] truth, final CalibratedImage<FloatType> image) {
		return ImageMetrics.psnr(ArrayImgs.floats(truth, N, N), image.pixels(), 1.4);
	}

	/** Mean over the 5 × 5 pixels around the lesion's centre. */
	private static double lesionMean(final CalibratedImage<FloatType> image) {
		final float[] a = new float[N * N];
		int k = 0;
		for (final FloatType v : Views.flatIterable(image.pixels())) a[k++] = v.get();
		return lesionMean(a);
	}

	private static double lesionMean(final float[] a) {
		double sum = 0;
		for (int y = 18; y <= 22; y++)
			for (int x = 28; x <= 32; x++) sum += a[x + N * y];
		return sum / 25;
	}

	/** The reconstruction keeps at least 2/3 of the lesion's contrast over the prior. */
	private static void assertLesionKept(final float[] plain, final float[] truth, final double reconstructed) {
		final double before = lesionMean(plain), after = lesionMean(truth);
		assertTrue(reconstructed > before + 2 / 3.0 * (after - before), "lesion mean " + reconstructed + ", prior " + before
				+ ", truth " + after);
	}

	private static NeuralField prior(final CalibratedImage<?> earlier) {
		return ImageFitting.fit(earlier, new ImageFitting.Settings(ModelOptions.of("hashgrid"),
				FitOptions.defaults().withSteps(300).withLearningRate(1e-2).withBatchSize(N * N), null), null).field();
	}

	@Test
	void mriPriorTermBeatsTheWarmStartAndKeepsTheLesion() {
		final float[] plain = phantom(), truth = withLesion(plain);
		final SamplingMask mask = SamplingMask.cartesian(N, N, 4, 0.08, 1);
		final KSpace k = MriSimulator.simulate(truth, N, N, mask, 0, 1);
		final CalibratedImage<FloatType> earlier = new CalibratedImage<>("earlier", ArrayImgs.floats(plain.clone(), N, N),
				List.of(Axis.X, Axis.Y), new double[] { 1, 1 }, new double[] { 0, 0 }, new String[] { "pixel", "pixel" },
				PixelType.FLOAT32);
		// 400 steps, not 200: at 200 the lesion sat at 0.34-0.39 against the bar of 0.315 on this machine's seeds and
		// fell to 0.30 on another CPU; at 400 it is 0.417-0.419 for seeds 1-3 (the term's gain grows from ~10 to ~20 dB)
		final Reconstruction.Settings settings = new Reconstruction.Settings(ModelOptions.of("hashgrid"),
				FitOptions.defaults().withSteps(400).withLearningRate(1e-2), MriReconstruction.DEFAULT_TV_WEIGHT,
				MriReconstruction.DEFAULT_PRIOR_WEIGHT);
		final double[] psnr = new double[2], lesion = new double[2];
		for (int i = 0; i < 2; i++) {
			final Reconstruction.Settings s = i == 0 ? settings.withPriorWeight(0) : settings;
			try (NeuralField start = prior(earlier)) {
				final MriReconstruction.Result r = MriReconstruction.reconstruct(k, mask, MriReconstruction.Calibration.pixels(), "r",
						false, s, start, null);
				assertWarmedUp(s.fit(), r.fit());
				psnr[i] = psnr(truth, r.image());
				lesion[i] = lesionMean(r.image());
			}
		}
		assertTrue(psnr[1] > psnr[0] + 2, "prior term " + psnr[1] + " dB against warm start only " + psnr[0] + " dB");
		assertLesionKept(plain, truth, lesion[1]);
	}

	@Test
	void ctPriorTermBeatsTheWarmStartAndKeepsTheLesion() {
		final float[] plain = phantom(), truth = withLesion(plain);
		final CtReconstruction.Grid grid = CtReconstruction.Grid.of(N, N, 1, "mm");
		final CtGeometry g = CtGeometry.parallel(69, 1, 0, CtGeometry.uniformAngles(8, 180, 0));
		final float[] sinogram = CtSimulator.simulate(g, truth, grid, 0, 1);
		final CalibratedImage<FloatType> earlier = CtReconstruction.image(plain.clone(), grid, "earlier");
		// this prior is aligned, so it is taken as it is (the registered default is tested below)
		final Reconstruction.Settings settings = new Reconstruction.Settings(ModelOptions.of("hashgrid"),
				FitOptions.defaults().withSteps(200).withLearningRate(1e-2).withBatchSize(1 << 13), CtReconstruction.DEFAULT_TV_WEIGHT,
				0.01);
		final double[] psnr = new double[2], lesion = new double[2];
		for (int i = 0; i < 2; i++) {
			final Reconstruction.Settings s = i == 0 ? settings.withPriorWeight(0) : settings;
			try (NeuralField start = prior(earlier)) {
				final CtReconstruction.Result r = CtReconstruction.reconstruct(g, sinogram, grid, s, start, null, null);
				assertWarmedUp(s.fit(), r.fit());
				psnr[i] = psnr(truth, r.image());
				lesion[i] = lesionMean(r.image());
			}
		}
		assertTrue(psnr[1] > psnr[0] + 1, "prior term " + psnr[1] + " dB against warm start only " + psnr[0] + " dB");
		assertLesionKept(plain, truth, lesion[1]);
	}

	@Test
	void thePriorImageIsTheFieldOnItsGridTakenBeforeFitting() {
		final float[] plain = phantom();
		final CalibratedImage<FloatType> earlier = new CalibratedImage<>("earlier", ArrayImgs.floats(plain.clone(), N, N),
				List.of(Axis.X, Axis.Y), new double[] { 0.5, 0.5 }, new double[] { 3, -2 }, new String[] { "mm", "mm" },
				PixelType.FLOAT32);
		try (NeuralField field = prior(earlier)) {
			final Reconstruction.PriorImage image = Reconstruction.PriorImage.of(field, 0.3);
			assertArrayEquals(new long[] { N, N }, image.size());
			assertEquals(1, image.channels());
			assertEquals(0.3, image.weight());
			// pixel (i, j) holds the field at that pixel's centre, normalised
			final double[] physical = new double[N * N * 2];
			for (int j = 0, p = 0; j < N; j++)
				for (int i = 0; i < N; i++, p++) {
					physical[2 * p] = 3 + 0.5 * i;
					physical[2 * p + 1] = -2 + 0.5 * j;
				}
			final float[] rendered = field.evaluatePhysical(physical, N * N);
			for (int p = 0; p < N * N; p += 37)
				assertEquals(rendered[p], field.scale().denormalise(0, image.values()[p]), 1e-4, "pixel " + p);
			assertNull(Reconstruction.PriorImage.of(field, 0), "weight 0: no term");
		}
	}


	/** {@code a} moved by {@code dx} pixels along x (zeros shifted in). */
	private static float[] shifted(final float[] a, final int dx) {
		final float[] b = new float[a.length];
		for (int y = 0; y < N; y++)
			for (int x = 0; x < N; x++)
				if (x - dx >= 0 && x - dx < N) b[x + N * y] = a[x - dx + N * y];
		return b;
	}

	/** CT with a prior 1 px off: registered onto the sinogram first, the term gains over the unregistered one. */
	@Test
	void ctRegisteredPriorBeatsTheMisalignedOne() {
		final float[] plain = phantom(), truth = withLesion(plain);
		final CtReconstruction.Grid grid = CtReconstruction.Grid.of(N, N, 1, "mm");
		final CtGeometry g = CtGeometry.parallel(69, 1, 0, CtGeometry.uniformAngles(12, 180, 0));
		final float[] sinogram = CtSimulator.simulate(g, truth, grid, 0, 1);
		final CalibratedImage<FloatType> earlier = CtReconstruction.image(shifted(plain, 1), grid, "earlier");
		final Reconstruction.Settings settings = new Reconstruction.Settings(ModelOptions.of("hashgrid"),
				FitOptions.defaults().withSteps(200).withLearningRate(1e-2).withBatchSize(1 << 13), CtReconstruction.DEFAULT_TV_WEIGHT,
				0.01);
		final double[] psnr = new double[2];
		for (int i = 0; i < 2; i++)
			try (NeuralField start = prior(earlier)) {
				final CtReconstruction.Result r = CtReconstruction.reconstruct(g, sinogram, grid, settings.withRegisterPrior(i == 1), start,
						null, null);
				psnr[i] = psnr(truth, r.image());
				assertEquals(i == 1, r.registration() != null);
				if (i == 1) {
					// the registration ran in no more steps than the fit's 200, and moved the prior by about its 1 px error
					assertEquals(200, r.registration().fit().steps());
					assertTrue(r.registration().fit().psnr() > r.registration().before() + 3, r.registration().summary());
					final double moved = r.registration().largestDisplacement();
					assertTrue(moved > 0.5 && moved < 4, r.registration().summary());
				}
			}
		System.out.printf("CT, prior 1 px off: term %.2f dB, registered first %.2f dB%n", psnr[0], psnr[1]);
		// measured 17.78 → 33.87 dB with the term read from the prior field (WarpedPrior); with a bilinear ramp between
		// pixel centres, before 2026-12-06: 19.19 → 28.58 (onto SART, earlier still: 23.15)
		assertTrue(psnr[1] > psnr[0] + 5, "registered " + psnr[1] + " dB against " + psnr[0] + " dB");
	}

	/** A time budget covers the registration (a fifth of it at most) and the fit together. */
	@Test
	void aTimeBudgetCoversTheRegistrationAndTheFit() {
		final float[] plain = phantom();
		final CtReconstruction.Grid grid = CtReconstruction.Grid.of(N, N, 1, "mm");
		final CtGeometry g = CtGeometry.parallel(69, 1, 0, CtGeometry.uniformAngles(8, 180, 0));
		final float[] sinogram = CtSimulator.simulate(g, withLesion(plain), grid, 0, 1);
		final Reconstruction.Settings settings = new Reconstruction.Settings(ModelOptions.of("hashgrid"), FitOptions.defaults()
				.withSteps(1_000_000).withMaxSeconds(3).withLearningRate(1e-2).withBatchSize(1 << 12), CtReconstruction.DEFAULT_TV_WEIGHT,
				CtReconstruction.DEFAULT_PRIOR_WEIGHT).withRegisterPrior(true);
		try (NeuralField start = prior(CtReconstruction.image(shifted(plain, 1), grid, "earlier"))) {
			final CtReconstruction.Result r = CtReconstruction.reconstruct(g, sinogram, grid, settings, start, null, null);
			final FitResult registration = r.registration().fit();
			// 400 registration steps would not fit in 0.6 s at this size; the slack is for a slow step
			assertEquals(FitResult.StopReason.TIME, registration.stopReason(), registration.stopDescription());
			assertTrue(registration.seconds() < 0.6 + 1, "registration " + registration.seconds() + " s");
			assertEquals(FitResult.StopReason.TIME, r.fit().stopReason(), r.fit().stopDescription());
			assertTrue(registration.seconds() + r.fit().seconds() < 3 + 1.5,
					"registration " + registration.seconds() + " s + fit " + r.fit().seconds() + " s");
		}
	}

	/** Registering asks for a prior and a weight (a warm start alone would silently ignore it), and CT. */
	@Test
	void registeringThePriorNeedsAPriorAndAWeight() {
		final float[] plain = phantom();
		final CtReconstruction.Grid grid = CtReconstruction.Grid.of(N, N, 1, "mm");
		final CtGeometry g = CtGeometry.parallel(69, 1, 0, CtGeometry.uniformAngles(4, 180, 0));
		final float[] sinogram = CtSimulator.simulate(g, plain, grid, 0, 1);
		// what the command and ct-recon ask for: registered by default, where there is a prior term to register for
		assertTrue(CtReconstruction.registersPrior(true, CtReconstruction.DEFAULT_PRIOR_WEIGHT, false));
		assertFalse(CtReconstruction.registersPrior(true, CtReconstruction.DEFAULT_PRIOR_WEIGHT, true));
		assertFalse(CtReconstruction.registersPrior(true, 0, false));
		assertFalse(CtReconstruction.registersPrior(false, CtReconstruction.DEFAULT_PRIOR_WEIGHT, false));
		final Reconstruction.Settings registered = new Reconstruction.Settings(null, FitOptions.defaults().withSteps(1), 0, 0.01)
				.withRegisterPrior(true);
		String e = assertThrows(IllegalArgumentException.class,
				() -> CtReconstruction.reconstruct(g, sinogram, grid, registered, null, null, null)).getMessage();
		assertTrue(e.contains("needs a prior field"), e);
		final SamplingMask mask = SamplingMask.cartesian(N, N, 4, 0.08, 1);
		final KSpace k = MriSimulator.simulate(plain, N, N, mask, 0, 1);
		e = assertThrows(IllegalArgumentException.class, () -> MriReconstruction.reconstruct(k, mask,
				MriReconstruction.Calibration.pixels(), "r", false, registered, null, null)).getMessage();
		assertTrue(e.contains("CT only"), e);
		try (NeuralField start = prior(CtReconstruction.image(plain.clone(), grid, "earlier"))) {
			e = assertThrows(IllegalArgumentException.class, () -> CtReconstruction.reconstruct(g, sinogram, grid,
					registered.withPriorWeight(0), start, null, null)).getMessage();
			assertTrue(e.contains("prior weight > 0"), e);
		}
	}

	@Test
	void refusesANegativeOrNonFinitePriorWeight() {
		for (final double w : new double[] { -0.1, Double.NaN, Double.POSITIVE_INFINITY })
			assertTrue(assertThrows(IllegalArgumentException.class,
					() -> new Reconstruction.Settings(null, null, 0, w)).getMessage().contains("Prior weight"), "weight " + w);
	}

	/** A fit from a prior starts at 1/(w+1) of the rate, w = 10 % of the steps. */
	private static void assertWarmedUp(final FitOptions asked, final sc.fiji.inr.fit.FitResult fit) {
		final int w = (int) Math.round(asked.steps() * Reconstruction.PRIOR_WARMUP_FRACTION);
		final sc.fiji.inr.fit.FitProgress first = fit.history().get(0);
		assertEquals(1, first.step());
		assertEquals(asked.learningRate() / (w + 1), first.learningRate(), asked.learningRate() * 1e-6);
	}

	@Test
	void aFitFromAPriorWarmsUpUnlessTold() {
		final FitOptions fit = FitOptions.defaults().withSteps(2000);
		assertEquals(0, fit.warmupSteps(), "a fit from scratch does not warm up");
		assertEquals(200, Reconstruction.fromPrior(fit).warmupSteps());
		assertEquals(Reconstruction.PRIOR_WARMUP_MAX_STEPS, Reconstruction.fromPrior(fit.withSteps(1_000_000)).warmupSteps(),
				"a long budget (or a time budget with many steps) still reaches the full rate");
		assertEquals(7, Reconstruction.fromPrior(fit.withWarmupSteps(7)).warmupSteps(), "the caller's warm-up is kept");
		assertEquals(0, Reconstruction.fromPrior(fit.withSteps(4)).warmupSteps(), "4 steps: none");
		assertTrue(assertThrows(IllegalArgumentException.class, () -> fit.withWarmupSteps(-1)).getMessage().contains("Warm-up"));
	}
}
