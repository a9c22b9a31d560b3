package sc.fiji.inr.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.scijava.Context;

import ij.ImagePlus;
import ij.WindowManager;
import ij.macro.Interpreter;
import sc.fiji.inr.image.ImageMetrics;
import sc.fiji.inr.image.ImagePlusAdapter;

/**
 * The CT and MRI example macros and the reconstruction commands' macro keys, run as ImageJ 1
 * runs a batch macro, headless (see {@link MacroTest}).
 */
class ReconstructionMacroTest {

	private Context context;

	@BeforeEach
	void setUp() {
		FijiTestSupport.headless();
		context = new Context();
		LegacyBridge.install(context);
		Interpreter.batchMode = true;
	}

	@AfterEach
	void tearDown() {
		FijiTestSupport.closeAll();
		context.dispose();
	}

	private static String macro(final String name) throws Exception {
		return Files.readString(Path.of("macros", name));
	}

	/** Runs {@code code}; returns the interpreter's error message, null when it ran through. */
	private static String run(final String code, final String args) {
		final Interpreter interpreter = new Interpreter();
		interpreter.run(code, args);
		return interpreter.getErrorMessage();
	}

	private static ImagePlus image(final String title) {
		final ImagePlus imp = WindowManager.getImage(title);
		assertNotNull(imp, "no image titled " + title);
		return imp;
	}

	private static double psnr(final String truth, final String test) {
		return ImageMetrics.psnr(ImagePlusAdapter.wrap(image(truth)).pixels(), ImagePlusAdapter.wrap(image(test)).pixels(), 1);
	}

	@Test
	void ctMacroSimulatesAndReconstructsByFbpAndInr() throws Exception {
		assertNull(run(macro("ct_reconstruction.ijm"), "size=32 views=60 steps=3 batch=4096"));
		final ImagePlus sinogram = image("phantom-sinogram");
		assertEquals(47, sinogram.getWidth()); // 32 · √2 → 46 → odd
		assertEquals(60, sinogram.getHeight());
		assertEquals(3, sinogram.getCalibration().pixelHeight, 1e-12);
		final ImagePlus fbp = image("phantom-sinogram-fbp");
		assertEquals(32, fbp.getWidth());
		assertEquals(1, fbp.getCalibration().pixelWidth, 1e-12);
		assertTrue(psnr("phantom", "phantom-sinogram-fbp") > 15, "fbp " + psnr("phantom", "phantom-sinogram-fbp"));
		assertEquals("phantom-sinogram-inr", WindowManager.getCurrentImage().getTitle());
		assertEquals(32, WindowManager.getCurrentImage().getWidth());
	}

	@Test
	void mriMacroSimulatesAndReconstructsByZeroFillingAndInr() throws Exception {
		assertNull(run(macro("mri_reconstruction.ijm"), "size=32 acceleration=2 steps=20 prior=40 anchor=0.02"));
		final ImagePlus k = image("phantom-kspace");
		assertEquals(2, k.getNChannels());
		assertEquals("cycles/mm", k.getCalibration().getUnit());
		assertTrue(psnr("phantom", "phantom-kspace-zero-filled") > 15, "zero-filled " + psnr("phantom", "phantom-kspace-zero-filled"));
		final ImagePlus inr = image("phantom-kspace-inr");
		assertEquals(1, inr.getCalibration().pixelWidth, 1e-9);
		assertTrue(psnr("phantom", "phantom-kspace-inr") > 12, "inr " + psnr("phantom", "phantom-kspace-inr"));
		// the prior run: Fit Prior on the earlier scan, then Reconstruct MRI with prior= and anchor=
		assertEquals("phantom-kspace-inr-prior", WindowManager.getCurrentImage().getTitle());
		assertTrue(psnr("phantom", "phantom-kspace-inr-prior") > 12, "inr + prior " + psnr("phantom", "phantom-kspace-inr-prior"));
	}

	@Test
	void registrationMacroRegistersAndWarpsLabels(@org.junit.jupiter.api.io.TempDir final Path dir) throws Exception {
		final Path transform = dir.resolve("t.inr");
		assertNull(run(macro("registration.ijm"), "size=40 amplitude=1.5 steps=20 transform=[" + transform + "]"));
		assertTrue(Files.size(transform) > 0);
		final ImagePlus labels = WindowManager.getCurrentImage();
		assertEquals("labels-warped", labels.getTitle());
		final ij.process.ImageStatistics s = labels.getStatistics();
		assertTrue(s.min >= 0 && s.max == 4, "labels " + s.min + ".." + s.max);
		final ImagePlus warped = image("original-warped");
		assertTrue(((String) warped.getProperty("Info")).contains("NCC"));
		// Errors stop the macro with the command's message.
		final String error = run("newImage('a', '32-bit ramp', 16, 16, 1); newImage('b', '32-bit ramp', 16, 16, 3);"
				+ "run('Register Images (Deformable)...', 'fixed=a moving=b steps=1');", "");
		assertTrue(error != null && error.contains("same dimensionality"), error);
	}

	@Test
	void theCommandsRunByTheirKeysAndStopTheMacroWithTheirErrors() throws Exception {
		final String simulate = "newImage('disk', '32-bit black', 24, 24, 1); setVoxelSize(0.5, 0.5, 1, 'mm');"
				+ "for (j = 0; j < 24; j++) for (i = 0; i < 24; i++) if ((i - 11.5) * (i - 11.5) + (j - 11.5) * (j - 11.5) < 64) setPixel(i, j, 1);"
				+ "run('Simulate CT Projections...', 'image=disk beam=fan views=29 range=360 photons=100000 seed=3');";
		assertNull(run(simulate + "run('Reconstruct CT...', 'sinogram=disk-sinogram method=sart iterations=2 size=24 pixel=0.5');", ""));
		assertEquals("disk-sinogram-sart", WindowManager.getCurrentImage().getTitle());
		assertTrue(psnr("disk", "disk-sinogram-sart") > 15, "sart " + psnr("disk", "disk-sinogram-sart"));
		String error = run(simulate + "run('Reconstruct CT...', 'sinogram=disk-sinogram method=fbp views=30');", "");
		assertNotNull(error);
		assertTrue(error.contains("Reconstruct CT...") && error.contains("29 rows but the geometry lists 30 angles"), error);
		error = run(simulate + "run('Reconstruct CT...', 'sinogram=disk-sinogram method=fbp sid=-1 beam=fan');", "");
		assertTrue(error != null && error.contains("must not be negative"), error);
		error = run(simulate + "run('Reconstruct CT...', 'sinogram=disk-sinogram registration=rigid');", "");
		assertTrue(error != null && error.contains("Unknown prior registration 'rigid'"), error);
		error = run("newImage('x', '32-bit ramp', 16, 16, 1);"
				+ "run('Simulate MRI k-space...', 'image=x acceleration=2'); newImage('m', '8-bit white', 16, 15, 1);"
				+ "run('Reconstruct MRI...', 'kspace=x-kspace mask=m method=zero-filled');", "");
		assertTrue(error != null && error.contains("The mask is 16×15 but the k-space is 16×16"), error);
		error = run("newImage('x', '32-bit ramp', 16, 16, 1); run('Fit Prior...', 'image=x steps=1');", "");
		assertTrue(error != null && error.contains("Fit Prior...") && error.contains("output"), error);
	}
}
