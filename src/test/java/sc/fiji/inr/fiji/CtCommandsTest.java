package sc.fiji.inr.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.log.LogService;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import sc.fiji.inr.field.FieldFile;
import sc.fiji.inr.field.NeuralField;
import sc.fiji.inr.image.ImageMetrics;
import sc.fiji.inr.image.ImagePlusAdapter;
import sc.fiji.inr.tasks.ct.CtGeometry;
import sc.fiji.inr.tasks.ct.CtScan;

/**
 * Simulate CT Projections..., Reconstruct CT... and Fit Prior... through a context, as Fiji
 * runs them: sinogram size, calibration and recorded geometry; the recorded geometry used only
 * when the fields are left alone; FBP, SART and a short INR fit of a 32² phantom; priors; errors.
 */
class CtCommandsTest {

	@TempDir
	static Path dir;
	private static Context context;
	private static final List<String> logged = new CopyOnWriteArrayList<>();
	/** 32² Shepp–Logan of 0.5 mm and its 180-view sinogram. */
	private static ImagePlus phantom, sinogram;

	@BeforeAll
	static void setUp() throws Exception {
		FijiTestSupport.headless();
		context = new Context();
		context.service(LogService.class).addLogListener(m -> logged.add(m.text()));
		phantom = FijiTestSupport.phantom(32, 0.5);
		sinogram = simulate(FijiTestSupport.ctSimulateInputs(phantom, 180));
	}

	@AfterAll
	static void tearDown() {
		context.dispose();
	}

	private static CommandModule run(final Class<? extends org.scijava.command.Command> c, final Map<String, Object> inputs)
			throws Exception {
		return FijiTestSupport.run(context, c, inputs);
	}

	private static ImagePlus simulate(final Map<String, Object> inputs) throws Exception {
		final CommandModule m = run(SimulateCtCommand.class, inputs);
		assertFalse(m.isCanceled(), m.getCancelReason());
		return (ImagePlus) m.getOutput("sinogram");
	}

	private static ImagePlus reconstruct(final Map<String, Object> inputs) throws Exception {
		final CommandModule m = run(ReconstructCtCommand.class, inputs);
		assertFalse(m.isCanceled(), m.getCancelReason());
		return (ImagePlus) m.getOutput("reconstruction");
	}

	private static String failure(final Class<? extends org.scijava.command.Command> c, final Map<String, Object> inputs)
			throws Exception {
		final CommandModule m = run(c, inputs);
		assertTrue(m.isCanceled(), "expected a failure");
		return m.getCancelReason();
	}

	private static double psnr(final ImagePlus truth, final ImagePlus test) {
		return ImageMetrics.psnr(ImagePlusAdapter.wrap(truth).pixels(), ImagePlusAdapter.wrap(test).pixels(), 1);
	}

	private static Map<String, Object> with(final Map<String, Object> m, final Object... keyValues) {
		for (int i = 0; i < keyValues.length; i += 2) m.put((String) keyValues[i], keyValues[i + 1]);
		return m;
	}

	@Test
	void theSinogramIsCalibratedAndRecordsItsGeometry() {
		// the diagonal of 32 pixels is 45.3 → 46 → 47 elements of 0.5 mm; 180 views of 1°
		assertEquals(47, sinogram.getWidth());
		assertEquals(180, sinogram.getHeight());
		assertEquals("phantom-sinogram", sinogram.getTitle());
		final Calibration cal = sinogram.getCalibration();
		assertEquals(0.5, cal.pixelWidth, 1e-12);
		assertEquals("mm", cal.getXUnit());
		assertEquals(23, cal.xOrigin, 1e-9); // element 23 is at the detector's centre
		assertEquals(1, cal.pixelHeight, 1e-12);
		assertEquals("degree", cal.getYUnit());
		assertEquals(0, cal.yOrigin, 1e-12);
		final String info = sinogram.getInfoProperty();
		assertEquals(1, info.strip().lines().count(), info);
		assertTrue(info.startsWith(SimulateCtCommand.INFO_PREFIX), info);
		assertEquals(CtGeometry.parallel(47, 0.5, 0, CtGeometry.uniformAngles(180, 180, 0)), SimulateCtCommand.recorded(info));
		// a parallel view integrates the whole image: Σ_i p_i · spacing = Σ f · pixel²
		double image = 0, view = 0;
		final float[] f = (float[]) phantom.getProcessor().getPixels(), p = (float[]) sinogram.getProcessor().getPixels();
		for (final float v : f) image += v * 0.25;
		for (int i = 0; i < 47; i++) view += p[i] * 0.5;
		assertEquals(image, view, 1e-3 * image);
	}

	@Test
	void fbpOfTheFullViewSinogramResemblesThePhantom() throws Exception {
		logged.clear();
		final ImagePlus fbp = reconstruct(with(FijiTestSupport.ctReconstructInputs(sinogram, "fbp"), "size", 32, "pixel", 0.5));
		assertEquals("phantom-sinogram-fbp", fbp.getTitle());
		assertEquals(32, fbp.getWidth());
		assertEquals(32, fbp.getHeight());
		assertEquals(0.5, fbp.getCalibration().pixelWidth, 1e-12);
		assertEquals("mm", fbp.getCalibration().getUnit());
		assertEquals(15.5, fbp.getCalibration().xOrigin, 1e-9); // centred on the isocentre
		final double psnr = psnr(phantom, fbp);
		assertTrue(psnr > 15, "FBP PSNR " + psnr);
		assertTrue(logged.stream().anyMatch(l -> l.contains("geometry from the Info")), logged.toString());
		// the automatic grid: one 0.5 mm pixel per element
		final ImagePlus auto = reconstruct(FijiTestSupport.ctReconstructInputs(sinogram, "fbp"));
		assertEquals(47, auto.getWidth());
		assertEquals(0.5, auto.getCalibration().pixelWidth, 1e-12);
		// the same sinogram without its Info is read from its calibration and height: the same geometry
		final ImagePlus bare = sinogram.duplicate();
		bare.setProperty("Info", null);
		assertArrayEquals((float[]) auto.getProcessor().getPixels(),
				(float[]) reconstruct(FijiTestSupport.ctReconstructInputs(bare, "fbp")).getProcessor().getPixels());
	}

	@Test
	void aChangedGeometryFieldReplacesTheRecordedGeometry() throws Exception {
		final ImagePlus fan = simulate(with(FijiTestSupport.ctSimulateInputs(phantom, 120), "beam", "fan", "range", 360.0));
		final CtGeometry g = SimulateCtCommand.recorded(fan.getInfoProperty());
		assertEquals(4 * Math.hypot(8, 8), g.sourceToCentre(), 1e-9);
		final ImagePlus recorded = reconstruct(with(FijiTestSupport.ctReconstructInputs(fan, "fbp"), "size", 32, "pixel", 0.5));
		assertTrue(psnr(phantom, recorded) > 15, "fan FBP PSNR " + psnr(phantom, recorded));
		// the fields, once touched, describe the scan alone: the same fan, rotated by 90°, is a worse fit
		final ImagePlus rotated = reconstruct(with(FijiTestSupport.ctReconstructInputs(fan, "fbp"), "size", 32, "pixel", 0.5, "beam", "fan",
				"range", 360.0, "start", 90.0, "spacing", g.detectorSpacing(), "sid", g.sourceToCentre(), "sdd", g.sourceToDetector()));
		assertTrue(psnr(phantom, rotated) < psnr(phantom, recorded) - 3,
				psnr(phantom, rotated) + " vs " + psnr(phantom, recorded));
		// and a fan without its distances is refused rather than guessed
		final String e = failure(ReconstructCtCommand.class, with(FijiTestSupport.ctReconstructInputs(fan, "fbp"), "beam", "fan"));
		assertTrue(e.contains("sid, sdd"), e);
	}

	@Test
	void sartAndStacksOfSlices() throws Exception {
		final ImagePlus sparse = simulate(FijiTestSupport.ctSimulateInputs(phantom, 30));
		final ImagePlus sart = reconstruct(with(FijiTestSupport.ctReconstructInputs(sparse, "sart"), "size", 32, "pixel", 0.5, "iterations", 5));
		assertEquals("phantom-sinogram-sart", sart.getTitle());
		assertTrue(psnr(phantom, sart) > 15, "SART PSNR " + psnr(phantom, sart));

		final ImageStack stack = new ImageStack(32, 32);
		stack.addSlice(phantom.getProcessor().duplicate());
		final var half = phantom.getProcessor().duplicate();
		half.multiply(0.5);
		stack.addSlice(half);
		final ImagePlus slices = new ImagePlus("slices", stack);
		slices.setCalibration(phantom.getCalibration().copy());
		slices.getCalibration().pixelDepth = 3;
		final ImagePlus s = simulate(FijiTestSupport.ctSimulateInputs(slices, 60));
		assertArrayEquals(new int[] { 47, 60, 1, 2, 1 }, s.getDimensions());
		assertEquals(3, s.getCalibration().pixelDepth, 1e-12);
		final ImagePlus r = reconstruct(with(FijiTestSupport.ctReconstructInputs(s, "fbp"), "size", 32, "pixel", 0.5));
		assertArrayEquals(new int[] { 32, 32, 1, 2, 1 }, r.getDimensions());
		assertEquals(3, r.getCalibration().pixelDepth, 1e-12);
		final float[] a = (float[]) r.getStack().getPixels(1), b = (float[]) r.getStack().getPixels(2);
		assertEquals(0.5 * a[16 + 32 * 16], b[16 + 32 * 16], 1e-4); // projection and FBP are linear
	}

	@Test
	void inrFitsSavesItsFieldAndStartsFromAPrior() throws Exception {
		final File field = dir.resolve("ct.inr").toFile();
		final ImagePlus inr = reconstruct(with(FijiTestSupport.ctReconstructInputs(sinogram, "inr"), "size", 32, "pixel", 0.5,
				"field", field));
		assertEquals("phantom-sinogram-inr", inr.getTitle());
		assertEquals(32, inr.getWidth());
		assertEquals(0.5, inr.getCalibration().pixelWidth, 1e-12);
		assertEquals(20, FieldFile.readHeader(field.toPath()).training().steps());
		try (NeuralField f = FieldFile.load(field.toPath())) {
			assertArrayEquals(new long[] { 32, 32 }, f.frame().size());
			assertArrayEquals(new double[] { -7.75, -7.75 }, f.frame().origin(), 1e-12);
		}

		// a prior fitted to the phantom (origin ignored: centred), then trained on the sinogram
		final File prior = dir.resolve("prior.inr").toFile();
		final ImagePlus shifted = phantom.duplicate();
		shifted.getCalibration().xOrigin = 5;
		final CommandModule fit = run(FitPriorCommand.class, FijiTestSupport.priorInputs(shifted, prior, 10));
		assertFalse(fit.isCanceled(), fit.getCancelReason());
		assertTrue((Double) fit.getOutput("psnr") > 10);
		final File trained = dir.resolve("trained.inr").toFile();
		final ImagePlus fromPrior = reconstruct(with(FijiTestSupport.ctReconstructInputs(sinogram, "inr"), "size", 16, "pixel", 1.0,
				"prior", prior, "field", trained, "steps", 3));
		assertEquals(16, fromPrior.getWidth()); // rendered on the grid asked for ...
		try (NeuralField f = FieldFile.load(trained.toPath())) {
			assertArrayEquals(new long[] { 32, 32 }, f.frame().size()); // ... by the prior's field
			assertArrayEquals(new double[] { -7.75, -7.75 }, f.frame().origin(), 1e-12);
		}
		// with a prior weight the prior is registered onto the sinogram first, in no more steps than the fit's
		// (what the registration achieves is tested in ProjectionRegistrationTest and PriorTermTest) ...
		logged.clear();
		reconstruct(with(FijiTestSupport.ctReconstructInputs(sinogram, "inr"), "prior", prior, "anchor", 0.003, "steps", 3));
		assertTrue(logged.stream().anyMatch(l -> l.contains("prior registered onto the sinogram: data consistency")
				&& l.contains("mm inside the object in 3 steps")), logged.toString());
		// ... unless it is to be taken as it is, or is only the starting point
		logged.clear();
		reconstruct(with(FijiTestSupport.ctReconstructInputs(sinogram, "inr"), "prior", prior, "anchor", 0.003, "steps", 3,
				"registration", "none"));
		reconstruct(with(FijiTestSupport.ctReconstructInputs(sinogram, "inr"), "prior", prior, "anchor", 0.0, "steps", 3));
		assertFalse(logged.stream().anyMatch(l -> l.contains("prior registered")), logged.toString());
		String e = failure(ReconstructCtCommand.class, with(FijiTestSupport.ctReconstructInputs(sinogram, "inr"), "prior", prior,
				"anchor", 0.003, "registration", "affine"));
		assertTrue(e.contains("Unknown prior registration 'affine' (use sinogram or none)"), e);
		// a 3D prior cannot start a 2D reconstruction
		final File prior3d = dir.resolve("prior3d.inr").toFile();
		final ImagePlus stack = FijiTestSupport.phantomStacks(8, 2).get(0);
		assertFalse(run(FitPriorCommand.class, FijiTestSupport.priorInputs(stack, prior3d, 1)).isCanceled());
		e = failure(ReconstructCtCommand.class, with(FijiTestSupport.ctReconstructInputs(sinogram, "inr"), "prior", prior3d));
		assertTrue(e.contains("3D but the reconstruction is 2D"), e);
	}

	@Test
	void noiseIsSeeded() throws Exception {
		final Map<String, Object> in = with(FijiTestSupport.ctSimulateInputs(phantom, 20), "photons", 1e4);
		final float[] a = (float[]) simulate(in).getProcessor().getPixels();
		final float[] b = (float[]) simulate(in).getProcessor().getPixels();
		final float[] c = (float[]) simulate(with(in, "seed", 2L)).getProcessor().getPixels();
		assertArrayEquals(a, b);
		assertFalse(java.util.Arrays.equals(a, c));
	}

	@Test
	void anglesListsAndTheirMismatches() throws Exception {
		final ImagePlus listed = simulate(with(FijiTestSupport.ctSimulateInputs(phantom, 180), "angles", "0, 10, 30", "detectors", 21));
		assertEquals(3, listed.getHeight());
		assertEquals(21, listed.getWidth());
		assertEquals("view", listed.getCalibration().getYUnit()); // not uniformly spaced
		assertArrayEquals(new double[] { 0, Math.toRadians(10), Math.toRadians(30) },
				SimulateCtCommand.recorded(listed.getInfoProperty()).angles(), 1e-15);

		final ImagePlus rows29 = simulate(FijiTestSupport.ctSimulateInputs(phantom, 29));
		String e = failure(ReconstructCtCommand.class, with(FijiTestSupport.ctReconstructInputs(rows29, "fbp"), "views", 30));
		assertEquals("The sinogram has 29 rows but the geometry lists 30 angles", e);
		e = failure(ReconstructCtCommand.class, with(FijiTestSupport.ctReconstructInputs(rows29, "fbp"), "angles", "0,1,2"));
		assertTrue(e.contains("lists 3 angles"), e);
		// a recorded geometry that does not fit its image (edited or cropped) is refused too
		final ImagePlus cropped = new ImagePlus("cropped", rows29.getProcessor().crop());
		cropped.setProcessor(rows29.getProcessor().resize(rows29.getWidth(), 28));
		cropped.setProperty("Info", rows29.getInfoProperty());
		e = failure(ReconstructCtCommand.class, FijiTestSupport.ctReconstructInputs(cropped, "fbp"));
		assertTrue(e.contains("28 rows but the geometry lists 29"), e);
	}

	@Test
	void badParametersAreNamed() throws Exception {
		String e = failure(SimulateCtCommand.class, with(FijiTestSupport.ctSimulateInputs(phantom, 10), "beam", "fan", "sid", -5.0));
		assertTrue(e.contains("must not be negative") && e.contains("-5"), e);
		e = failure(SimulateCtCommand.class, with(FijiTestSupport.ctSimulateInputs(phantom, 10), "beam", "cone"));
		assertTrue(e.contains("'cone'"), e);
		e = failure(SimulateCtCommand.class, with(FijiTestSupport.ctSimulateInputs(phantom, 10), "angles", "0, ten"));
		assertTrue(e.contains("'ten'"), e);
		e = failure(SimulateCtCommand.class, with(FijiTestSupport.ctSimulateInputs(phantom, 10), "photons", -1.0));
		assertTrue(e.contains("Photon count"), e);
		e = failure(ReconstructCtCommand.class, with(FijiTestSupport.ctReconstructInputs(sinogram, "fbp"), "filter", "gauss"));
		assertTrue(e.contains("'gauss'"), e);
		e = failure(ReconstructCtCommand.class, with(FijiTestSupport.ctReconstructInputs(sinogram, "sart"), "relaxation", 2.5));
		assertTrue(e.contains("relaxation"), e);
		e = failure(ReconstructCtCommand.class, with(FijiTestSupport.ctReconstructInputs(sinogram, "art"), "relaxation", 2.5));
		assertTrue(e.contains("'art'"), e);
		// a field or a prior with a method that has none is refused, and nothing is written
		final Path keep = dir.resolve("keep.inr");
		Files.writeString(keep, "precious");
		e = failure(ReconstructCtCommand.class, with(FijiTestSupport.ctReconstructInputs(sinogram, "fbp"), "field", keep.toFile()));
		assertTrue(e.contains("fbp") && e.contains("inr"), e);
		e = failure(ReconstructCtCommand.class, with(FijiTestSupport.ctReconstructInputs(sinogram, "fbp"), "prior", keep.toFile()));
		assertTrue(e.contains("prior"), e);
		assertEquals("precious", Files.readString(keep));
		e = failure(ReconstructCtCommand.class, with(FijiTestSupport.ctReconstructInputs(sinogram, "inr"), "prior",
				dir.resolve("missing.inr").toFile()));
		assertTrue(e.contains("missing.inr"), e);
		assertNull(run(ReconstructCtCommand.class, with(FijiTestSupport.ctReconstructInputs(sinogram, "fbp"), "size", -1))
				.getOutput("reconstruction"));
		assertTrue(CtScan.automatic().isAutomatic());
	}
}
