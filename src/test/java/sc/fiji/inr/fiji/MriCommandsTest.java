package sc.fiji.inr.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.Command;
import org.scijava.command.CommandModule;

import ij.ImagePlus;
import ij.measure.Calibration;
import ij.process.ByteProcessor;
import sc.fiji.inr.field.FieldFile;
import sc.fiji.inr.field.NeuralField;
import sc.fiji.inr.image.ImageMetrics;
import sc.fiji.inr.image.ImagePlusAdapter;

/**
 * Simulate MRI k-space..., Reconstruct MRI... and Fit Prior... through a context: k-space and
 * mask size and calibration, the image's pixel size carried through, zero-filled and short INR
 * reconstructions of a 32² phantom, masks by title or from the data, priors, and errors.
 */
class MriCommandsTest {

	@TempDir
	static Path dir;
	private static Context context;
	/** 32² Shepp–Logan of 0.5 mm. */
	private static ImagePlus phantom;

	@BeforeAll
	static void setUp() {
		FijiTestSupport.headless();
		context = new Context();
		phantom = FijiTestSupport.phantom(32, 0.5);
	}

	@AfterEach
	void forget() {
		FijiTestSupport.closeAll();
	}

	@AfterAll
	static void tearDown() {
		context.dispose();
	}

	private static CommandModule run(final Class<? extends Command> c, final Map<String, Object> inputs) throws Exception {
		return FijiTestSupport.run(context, c, inputs);
	}

	/** Runs Simulate MRI k-space...; returns {k-space, mask}, both findable by title. */
	private static ImagePlus[] simulate(final Map<String, Object> inputs) throws Exception {
		final CommandModule m = run(SimulateMriCommand.class, inputs);
		assertFalse(m.isCanceled(), m.getCancelReason());
		return new ImagePlus[] { FijiTestSupport.open((ImagePlus) m.getOutput("kspace")),
				FijiTestSupport.open((ImagePlus) m.getOutput("sampling")) };
	}

	private static ImagePlus reconstruct(final Map<String, Object> inputs) throws Exception {
		final CommandModule m = run(ReconstructMriCommand.class, inputs);
		assertFalse(m.isCanceled(), m.getCancelReason());
		return (ImagePlus) m.getOutput("reconstruction");
	}

	private static String failure(final Class<? extends Command> c, final Map<String, Object> inputs) throws Exception {
		final CommandModule m = run(c, inputs);
		assertTrue(m.isCanceled(), "expected a failure");
		return m.getCancelReason();
	}

	private static double psnr(final ImagePlus test) {
		return ImageMetrics.psnr(ImagePlusAdapter.wrap(phantom).pixels(), ImagePlusAdapter.wrap(test).pixels(), 1);
	}

	private static Map<String, Object> with(final Map<String, Object> m, final Object... keyValues) {
		for (int i = 0; i < keyValues.length; i += 2) m.put((String) keyValues[i], keyValues[i + 1]);
		return m;
	}

	private static int count(final ImagePlus mask) {
		int n = 0;
		for (final byte b : (byte[]) mask.getProcessor().getPixels()) n += b;
		return n;
	}

	@Test
	void theKSpaceHasTwoChannelsAndCarriesThePixelSize() throws Exception {
		final ImagePlus[] out = simulate(FijiTestSupport.mriSimulateInputs(phantom, 4));
		final ImagePlus k = out[0], mask = out[1];
		assertEquals("phantom-kspace", k.getTitle());
		assertArrayEquals(new int[] { 32, 32, 2, 1, 1 }, k.getDimensions());
		assertEquals(32, k.getBitDepth());
		final Calibration cal = k.getCalibration();
		assertEquals(1 / 16.0, cal.pixelWidth, 1e-12); // 1 / (32 × 0.5 mm)
		assertEquals("cycles/mm", cal.getUnit());
		assertEquals(16, cal.xOrigin, 1e-9); // DC at 0
		assertEquals("phantom-mask", mask.getTitle());
		assertEquals(8, mask.getBitDepth());
		assertEquals(8 * 32, count(mask)); // 32 rows / 4
		assertEquals(1 / 16.0, mask.getCalibration().pixelWidth, 1e-12);
		// unsampled rows are exactly 0
		final float[] re = (float[]) k.getStack().getPixels(1);
		final byte[] m = (byte[]) mask.getProcessor().getPixels();
		for (int i = 0; i < re.length; i++) if (m[i] == 0) assertEquals(0, re[i]);
	}

	@Test
	void zeroFilledGivesTheImageBackWithItsPixelSize() throws Exception {
		final ImagePlus[] full = simulate(FijiTestSupport.mriSimulateInputs(phantom, 1));
		final ImagePlus exact = reconstruct(FijiTestSupport.mriReconstructInputs(full[0], full[1].getTitle(), "zero-filled"));
		assertEquals("phantom-kspace-zero-filled", exact.getTitle());
		assertEquals(32, exact.getWidth());
		assertEquals(0.5, exact.getCalibration().pixelWidth, 1e-9);
		assertEquals("mm", exact.getCalibration().getUnit());
		assertTrue(psnr(exact) > 60, "fully sampled: " + psnr(exact));

		final ImagePlus[] half = simulate(FijiTestSupport.mriSimulateInputs(phantom, 2));
		final ImagePlus masked = reconstruct(FijiTestSupport.mriReconstructInputs(half[0], half[1].getTitle(), "zero-filled"));
		assertTrue(psnr(masked) > 15 && psnr(masked) < 60, "2× zero-filled: " + psnr(masked));
		// no mask: the nonzero samples, the same image
		final ImagePlus nonzero = reconstruct(FijiTestSupport.mriReconstructInputs(half[0], "", "zero-filled"));
		assertArrayEquals((float[]) masked.getProcessor().getPixels(), (float[]) nonzero.getProcessor().getPixels());
		// the two parts as separate images
		final ImagePlus real = FijiTestSupport.open(new ImagePlus("real", half[0].getStack().getProcessor(1)));
		real.setCalibration(half[0].getCalibration());
		FijiTestSupport.open(new ImagePlus("imag", half[0].getStack().getProcessor(2)));
		final ImagePlus parts = reconstruct(with(FijiTestSupport.mriReconstructInputs(real, half[1].getTitle(), "zero-filled"),
				"imaginary", "imag"));
		assertArrayEquals((float[]) masked.getProcessor().getPixels(), (float[]) parts.getProcessor().getPixels());
		assertEquals(0.5, parts.getCalibration().pixelWidth, 1e-9);
	}

	@Test
	void radialAndGivenMasksAndNoise() throws Exception {
		final ImagePlus[] radial = simulate(with(FijiTestSupport.mriSimulateInputs(phantom, 1), "pattern", "radial", "spokes", 8,
				"golden", true));
		final int spokes = count(radial[1]);
		assertTrue(spokes > 8 * 20 && spokes < 8 * 64, "radial samples " + spokes);
		// a given mask image, with noise: sampled where the mask is, seeded
		final ByteProcessor rows = new ByteProcessor(32, 32);
		for (int x = 0; x < 32; x++) for (int y = 10; y < 20; y++) rows.set(x, y, 255);
		FijiTestSupport.open(new ImagePlus("rows", rows));
		final Map<String, Object> given = with(FijiTestSupport.mriSimulateInputs(phantom, 1), "pattern", "image", "mask", "rows", "noise",
				0.01);
		final ImagePlus[] a = simulate(given), b = simulate(given);
		assertEquals(320, count(a[1]));
		assertArrayEquals((float[]) a[0].getStack().getPixels(1), (float[]) b[0].getStack().getPixels(1));
		final String e = failure(SimulateMriCommand.class, with(FijiTestSupport.mriSimulateInputs(phantom, 1), "pattern", "image"));
		assertTrue(e.contains("title of an open mask image"), e);
	}

	@Test
	void inrFitsAComplexImageAndStartsFromAPrior() throws Exception {
		final ImagePlus[] scan = simulate(FijiTestSupport.mriSimulateInputs(phantom, 2));
		final File field = dir.resolve("mri.inr").toFile();
		final ImagePlus inr = reconstruct(with(FijiTestSupport.mriReconstructInputs(scan[0], scan[1].getTitle(), "inr"), "complex", true,
				"field", field));
		assertEquals("phantom-kspace-inr", inr.getTitle());
		assertEquals(32, inr.getWidth());
		assertEquals(0.5, inr.getCalibration().pixelWidth, 1e-9);
		assertTrue(psnr(inr) > 12, "20 steps: " + psnr(inr));
		try (NeuralField f = FieldFile.load(field.toPath())) {
			assertEquals(2, f.spec().outChannels());
			assertEquals(20, f.training().steps());
		}
		// Fit Prior on the phantom, then a real-image reconstruction from it
		final File prior = dir.resolve("mri-prior.inr").toFile();
		assertFalse(run(FitPriorCommand.class, FijiTestSupport.priorInputs(phantom, prior, 10)).isCanceled());
		final ImagePlus fromPrior = reconstruct(with(FijiTestSupport.mriReconstructInputs(scan[0], scan[1].getTitle(), "inr"), "prior",
				prior, "steps", 3));
		assertEquals(32, fromPrior.getWidth());
		// a 2-channel reconstruction cannot start from a 1-channel prior
		String e = failure(ReconstructMriCommand.class, with(FijiTestSupport.mriReconstructInputs(scan[0], scan[1].getTitle(), "inr"),
				"prior", prior, "complex", true));
		assertTrue(e.contains("1 channel(s) but the reconstruction needs 2"), e);
		// nor from a prior of another size
		final File small = dir.resolve("small-prior.inr").toFile();
		assertFalse(run(FitPriorCommand.class, FijiTestSupport.priorInputs(FijiTestSupport.phantom(16, 1), small, 1)).isCanceled());
		e = failure(ReconstructMriCommand.class, with(FijiTestSupport.mriReconstructInputs(scan[0], scan[1].getTitle(), "inr"), "prior",
				small));
		assertTrue(e.contains("16×16 pixels but the k-space is 32×32"), e);
	}

	@Test
	void aCancelledReconstructionOutputsNothingAndWritesNoField() throws Exception {
		final ImagePlus[] scan = simulate(FijiTestSupport.mriSimulateInputs(phantom, 2));
		final File field = dir.resolve("never.inr").toFile();
		final java.util.concurrent.Future<CommandModule> running = context.service(org.scijava.command.CommandService.class).run(
				ReconstructMriCommand.class, true, with(FijiTestSupport.mriReconstructInputs(scan[0], scan[1].getTitle(), "inr"), "steps",
						1_000_000, "field", field));
		try {
			while (!running.isDone()) {
				Thread.sleep(100);
				ij.IJ.setKeyDown(java.awt.event.KeyEvent.VK_ESCAPE); // what FitMonitor reads as the user's Esc
			}
		}
		finally {
			ij.IJ.resetEscape();
		}
		final CommandModule m = running.get();
		assertTrue(m.isCanceled());
		assertTrue(m.getCancelReason().contains("cancelled") && m.getCancelReason().contains("not written"), m.getCancelReason());
		assertNull(m.getOutput("reconstruction"));
		assertFalse(field.exists());
	}

	@Test
	void mismatchesAndBadParametersAreNamed() throws Exception {
		final ImagePlus[] scan = simulate(FijiTestSupport.mriSimulateInputs(phantom, 2));
		FijiTestSupport.open(new ImagePlus("small mask", new ByteProcessor(31, 32)));
		String e = failure(ReconstructMriCommand.class, FijiTestSupport.mriReconstructInputs(scan[0], "small mask", "zero-filled"));
		assertEquals("The mask is 31×32 but the k-space is 32×32", e);
		e = failure(ReconstructMriCommand.class, FijiTestSupport.mriReconstructInputs(scan[0], "no such mask", "zero-filled"));
		assertTrue(e.contains("'no such mask'"), e);
		e = failure(ReconstructMriCommand.class, FijiTestSupport.mriReconstructInputs(phantom, "", "zero-filled"));
		assertTrue(e.contains("2 channel(s)"), e);
		e = failure(ReconstructMriCommand.class, FijiTestSupport.mriReconstructInputs(scan[0], "", "sense"));
		assertTrue(e.contains("'sense'"), e);
		e = failure(ReconstructMriCommand.class, with(FijiTestSupport.mriReconstructInputs(scan[0], "", "zero-filled"), "prior",
				dir.resolve("p.inr").toFile()));
		assertTrue(e.contains("prior"), e);
		e = failure(SimulateMriCommand.class, with(FijiTestSupport.mriSimulateInputs(phantom, 0.5)));
		assertTrue(e.contains("Acceleration"), e);
		e = failure(SimulateMriCommand.class, with(FijiTestSupport.mriSimulateInputs(phantom, 2), "noise", -1.0));
		assertTrue(e.contains("sigma"), e);
		e = failure(SimulateMriCommand.class, with(FijiTestSupport.mriSimulateInputs(phantom, 2), "pattern", "spiral"));
		assertTrue(e.contains("'spiral'"), e);
		e = failure(FitPriorCommand.class, FijiTestSupport.priorInputs(phantom, dir.resolve("nowhere/x.inr").toFile(), 1));
		assertTrue(e.contains("not found") || e.contains("does not exist"), e);
		assertNull(run(SimulateMriCommand.class, with(FijiTestSupport.mriSimulateInputs(phantom, 2), "pattern", "x")).getOutput("kspace"));
	}
}
