package sc.fiji.inr.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.event.KeyEvent;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import ij.IJ;
import ij.ImagePlus;
import ij.measure.Calibration;
import sc.fiji.inr.field.FieldFile;
import sc.fiji.inr.field.NeuralField;

class SuperResolutionCommandTest {

	@TempDir
	Path dir;
	private Context context;

	@BeforeEach
	void setUp() {
		FijiTestSupport.headless();
		context = new Context();
	}

	@AfterEach
	void tearDown() {
		context.dispose();
	}

	private CommandModule run(final Map<String, Object> inputs) throws Exception {
		return FijiTestSupport.run(context, SuperResolutionCommand.class, inputs);
	}

	/** 24 × 20 pixels of 0.5 µm, origin at x = −2 µm. */
	private static ImagePlus image() {
		return FijiTestSupport.pattern8("cells", 24, 20);
	}

	@Test
	void aScaleOfTwoHalvesThePixelsOverTheSameExtent() throws Exception {
		final CommandModule m = run(FijiTestSupport.superresInputs(image(), "2", "", "cubic", 1, null));
		assertFalse(m.isCanceled(), m.getCancelReason());
		final ImagePlus out = (ImagePlus) m.getOutput("upsampled");
		assertEquals("cells-superres", out.getTitle());
		assertEquals(48, out.getWidth());
		assertEquals(40, out.getHeight());
		assertEquals(8, out.getBitDepth());
		final Calibration cal = out.getCalibration();
		assertEquals(0.25, cal.pixelWidth, 1e-12);
		assertEquals(0.25, cal.pixelHeight, 1e-12);
		assertEquals("µm", cal.getUnit());
		// the left edge stays at −2 − 0.25 µm: first pixel centre at −2.125 µm
		assertEquals(-2.125, -cal.xOrigin * cal.pixelWidth, 1e-9);
	}

	@Test
	void aVoxelSizeGivesTheSameGridAsTheMatchingScale() throws Exception {
		final CommandModule m = run(FijiTestSupport.superresInputs(image(), "", "0.25", "linear", 1, null));
		assertFalse(m.isCanceled(), m.getCancelReason());
		final ImagePlus out = (ImagePlus) m.getOutput("upsampled");
		assertEquals(48, out.getWidth());
		assertEquals(40, out.getHeight());
		assertEquals(0.25, out.getCalibration().pixelWidth, 1e-12);
	}

	@Test
	void aThickSliceStackIsMadeIsotropicPerAxis() throws Exception {
		final ImagePlus axial = FijiTestSupport.phantomStacks(16, 4).get(0); // 16 × 16 × 4, 1 × 1 × 4 mm
		for (final String[] grid : new String[][] { { "1,1,4", "" }, { "", "1" }, { "", "1,1,1" } }) {
			final CommandModule m = run(FijiTestSupport.superresInputs(axial, grid[0], grid[1], "lanczos", 1, null));
			assertFalse(m.isCanceled(), m.getCancelReason());
			final ImagePlus out = (ImagePlus) m.getOutput("upsampled");
			assertArrayEquals(new int[] { 16, 16, 1, 16, 1 }, out.getDimensions(), String.join("|", grid));
			assertEquals(32, out.getBitDepth());
			assertEquals(1, out.getCalibration().pixelDepth, 1e-12);
			assertEquals("mm", out.getCalibration().getUnit());
		}
	}

	@Test
	void inrFitsAFieldAndSavesIt() throws Exception {
		final File field = dir.resolve("cells.inr").toFile();
		final CommandModule m = run(FijiTestSupport.superresInputs(image(), "2", "", "inr", 20, field));
		assertFalse(m.isCanceled(), m.getCancelReason());
		final ImagePlus out = (ImagePlus) m.getOutput("upsampled");
		assertEquals(48, out.getWidth());
		assertEquals(40, out.getHeight());
		assertEquals(8, out.getBitDepth());
		assertEquals(0.25, out.getCalibration().pixelWidth, 1e-12);
		try (NeuralField f = FieldFile.load(field.toPath())) {
			assertArrayEquals(new long[] { 48, 40 }, f.frame().size());
			assertEquals("cells-superres", f.source().name());
		}
		assertEquals(20, FieldFile.readHeader(field.toPath()).training().steps());
	}

	@Test
	void aCancelledFitOutputsNothingAndWritesNoField() throws Exception {
		final File field = dir.resolve("never.inr").toFile();
		final Future<CommandModule> running = context.service(CommandService.class).run(SuperResolutionCommand.class, true,
				FijiTestSupport.superresInputs(image(), "2", "", "inr", 1_000_000, field));
		try {
			while (!running.isDone()) {
				Thread.sleep(100);
				IJ.setKeyDown(KeyEvent.VK_ESCAPE); // what FitMonitor reads as the user's Esc
			}
		}
		finally {
			IJ.resetEscape();
		}
		final CommandModule m = running.get();
		assertTrue(m.isCanceled());
		assertTrue(m.getCancelReason().contains("cancelled"), m.getCancelReason());
		assertNull(m.getOutput("upsampled"));
		assertFalse(field.exists());
	}

	@Test
	void aScaleAndAVoxelSizeTogetherAreRefused() throws Exception {
		final CommandModule m = run(FijiTestSupport.superresInputs(image(), "2", "0.25", "cubic", 1, null));
		assertTrue(m.isCanceled());
		assertTrue(m.getCancelReason().contains("not both"), m.getCancelReason());
		assertNull(m.getOutput("upsampled"));
	}

	@Test
	void badValuesAreNamed() throws Exception {
		CommandModule m = run(FijiTestSupport.superresInputs(image(), "2,x", "", "cubic", 1, null));
		assertTrue(m.isCanceled());
		assertTrue(m.getCancelReason().contains("'x'"), m.getCancelReason());
		m = run(FijiTestSupport.superresInputs(image(), "", "0.5,0", "cubic", 1, null));
		assertTrue(m.getCancelReason().contains("positive"), m.getCancelReason());
		m = run(FijiTestSupport.superresInputs(image(), "2", "", "bicubic", 1, null));
		assertTrue(m.getCancelReason().contains("bicubic"), m.getCancelReason());
		m = run(FijiTestSupport.superresInputs(image(), "1,1,4", "", "cubic", 1, null));
		assertTrue(m.getCancelReason().contains("1 or 2 values"), m.getCancelReason());
	}

	@Test
	void aFieldFileWithoutAFitIsRefused() throws Exception {
		final Path field = dir.resolve("keep.inr");
		Files.writeString(field, "precious");
		final CommandModule m = run(FijiTestSupport.superresInputs(image(), "2", "", "cubic", 1, field.toFile()));
		assertTrue(m.isCanceled());
		assertTrue(m.getCancelReason().contains("cubic") && m.getCancelReason().contains("inr"), m.getCancelReason());
		assertEquals("precious", Files.readString(field));
	}
}
