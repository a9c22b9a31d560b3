package sc.fiji.inr.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandModule;

import ij.ImagePlus;
import ij.gui.PointRoi;
import ij.process.FloatProcessor;
import sc.fiji.inr.field.FieldFile;
import sc.fiji.inr.tasks.registration.DeformationTransform;

/**
 * Register Images (Deformable)... and Apply Deformation... through a context: outputs and their
 * calibration, a recovered shift in physical units, landmarks from point selections, labels kept
 * as labels, and errors.
 */
class RegistrationCommandsTest {

	@TempDir
	static Path dir;
	private static Context context;

	@BeforeAll
	static void setUp() {
		FijiTestSupport.headless();
		context = new Context();
	}

	@AfterEach
	void forget() {
		FijiTestSupport.closeAll();
	}

	@AfterAll
	static void tearDown() {
		context.dispose();
	}

	/** Smooth blobs shifted by (dx, dy) pixels, 0.5 µm pixels. */
	static ImagePlus blobs(final String title, final int w, final int h, final double dx, final double dy) {
		final FloatProcessor ip = new FloatProcessor(w, h);
		final double[][] b = { { 12, 14, 4 }, { 30, 10, 5 }, { 22, 28, 3 }, { 36, 30, 6 }, { 10, 34, 4 }, { 26, 19, 2.5 } };
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				double s = 0;
				for (final double[] q : b) s += Math.exp(-(Math.pow(x - dx - q[0], 2) + Math.pow(y - dy - q[1], 2)) / (2 * q[2] * q[2]));
				ip.setf(x, y, (float) (100 * s));
			}
		final ImagePlus imp = new ImagePlus(title, ip);
		imp.getCalibration().pixelWidth = imp.getCalibration().pixelHeight = 0.5;
		imp.getCalibration().setUnit("µm");
		return FijiTestSupport.open(imp);
	}

	static Map<String, Object> inputs(final ImagePlus fixed, final ImagePlus moving, final File transform) {
		final Map<String, Object> m = new HashMap<>();
		m.put("fixed", fixed);
		m.put("moving", moving);
		m.put("mask", "");
		m.put("support", "");
		m.put("similarity", "ncc");
		m.put("model", "siren");
		m.put("steps", 40);
		m.put("jacobian", 0.05);
		m.put("hyperelastic", 0.0);
		m.put("bending", 0.0);
		m.put("affine", "fit");
		m.put("baseline", false);
		m.put("seed", 1L);
		m.put("points", null);
		m.put("matches", null);
		m.put("transform", transform);
		return m;
	}

	@Test
	void registersAShiftAndWarpsLabelsWithTheSavedTransform() throws Exception {
		final ImagePlus fixed = blobs("fixed", 48, 44, 0, 0), moving = blobs("moving", 48, 44, 2, 1);
		// Landmarks as point selections: a blob centre in each image.
		fixed.setRoi(new PointRoi(new int[] { 12, 30 }, new int[] { 14, 10 }, 2));
		moving.setRoi(new PointRoi(new int[] { 14, 32 }, new int[] { 15, 11 }, 2));
		final File transform = dir.resolve("shift.inr").toFile();
		final CommandModule m = FijiTestSupport.run(context, RegisterImagesCommand.class, inputs(fixed, moving, transform));
		assertFalse(m.isCanceled(), m.getCancelReason());
		final ImagePlus warped = (ImagePlus) m.getOutput("warped"), displacement = (ImagePlus) m.getOutput("displacement"),
				det = (ImagePlus) m.getOutput("determinant");
		assertEquals(48, warped.getWidth());
		assertEquals(0.5, warped.getCalibration().pixelWidth, 1e-12);
		assertTrue(((String) warped.getProperty("Info")).contains("TRE"), (String) warped.getProperty("Info"));
		assertEquals(2, displacement.getNChannels());
		assertEquals("µm", displacement.getCalibration().getUnit());
		// 2 px and 1 px of 0.5 µm, in the middle of the image.
		displacement.setC(1);
		assertEquals(1.0, displacement.getProcessor().getPixelValue(24, 22), 0.15);
		displacement.setC(2);
		assertEquals(0.5, displacement.getProcessor().getPixelValue(24, 22), 0.15);
		assertEquals(1, det.getProcessor().getPixelValue(24, 22), 0.05);
		assertTrue(Files.size(transform.toPath()) > 0);

		// Labels on the moving grid stay labels.
		final FloatProcessor labels = new FloatProcessor(48, 44);
		for (int y = 0; y < 44; y++) for (int x = 0; x < 48; x++) labels.setf(x, y, (x / 12) * 2 + (y / 22) * 5);
		final ImagePlus labelImage = FijiTestSupport.open(new ImagePlus("labels", labels));
		final Map<String, Object> apply = new HashMap<>(Map.of("image", labelImage, "transform", transform, "labels", true));
		final CommandModule a = FijiTestSupport.run(context, ApplyDeformationCommand.class, apply);
		assertFalse(a.isCanceled(), a.getCancelReason());
		final Set<Float> allowed = new HashSet<>(Set.of(0f, 2f, 4f, 6f, 5f, 7f, 9f, 11f));
		final float[] out = (float[]) ((ImagePlus) a.getOutput("warped")).getProcessor().getPixels();
		for (final float v : out) assertTrue(allowed.contains(v), "label " + v);
	}

	@Test
	void errorsAreReportedAndNothingIsWritten() throws Exception {
		final ImagePlus fixed = blobs("f2", 24, 24, 0, 0);
		final ImagePlus volume = FijiTestSupport.open(ij.IJ.createImage("vol", "32-bit ramp", 24, 24, 5));
		final File transform = dir.resolve("never.inr").toFile();
		CommandModule m = FijiTestSupport.run(context, RegisterImagesCommand.class, inputs(fixed, volume, transform));
		assertTrue(m.isCanceled() && m.getCancelReason().contains("same dimensionality"), m.getCancelReason());
		assertFalse(transform.exists());
		final ImagePlus moving = blobs("m2", 24, 24, 1, 0);
		fixed.setRoi(new PointRoi(new int[] { 3, 5, 7 }, new int[] { 3, 5, 7 }, 3));
		moving.setRoi(new PointRoi(new int[] { 3, 5 }, new int[] { 3, 5 }, 2));
		m = FijiTestSupport.run(context, RegisterImagesCommand.class, inputs(fixed, moving, transform));
		assertTrue(m.isCanceled() && m.getCancelReason().contains("Landmark count mismatch"), m.getCancelReason());
		fixed.deleteRoi();
		moving.deleteRoi();
		final Map<String, Object> bad = inputs(fixed, moving, transform);
		bad.put("mask", "no such image");
		m = FijiTestSupport.run(context, RegisterImagesCommand.class, bad);
		assertTrue(m.isCanceled() && m.getCancelReason().contains("no image titled 'no such image'"), m.getCancelReason());
		bad.put("mask", "");
		bad.put("similarity", "mutual-information");
		m = FijiTestSupport.run(context, RegisterImagesCommand.class, bad);
		assertTrue(m.isCanceled() && m.getCancelReason().contains("Unknown similarity"), m.getCancelReason());
		assertFalse(transform.exists());

		// A plain field file is not a transform.
		final Path plain = dir.resolve("plain.inr");
		try (DeformationTransform t = sc.fiji.inr.tasks.registration.Registration.register(
				sc.fiji.inr.tasks.registration.Volume.of(sc.fiji.inr.image.ImagePlusAdapter.wrap(fixed)),
				sc.fiji.inr.tasks.registration.Volume.of(sc.fiji.inr.image.ImagePlusAdapter.wrap(moving)), null, null,
				sc.fiji.inr.tasks.registration.RegistrationSettings.defaults().withDeformable(false).withAffine(
						sc.fiji.inr.tasks.registration.RegistrationSettings.AffineMode.NONE, null, 0), null).transform()) {
			FieldFile.save(t.field(), plain);
		}
		final CommandModule a = FijiTestSupport.run(context, ApplyDeformationCommand.class,
				new HashMap<>(Map.of("image", moving, "transform", plain.toFile(), "labels", false)));
		assertTrue(a.isCanceled() && a.getCancelReason().contains("not a registration transform"), a.getCancelReason());
	}
}
