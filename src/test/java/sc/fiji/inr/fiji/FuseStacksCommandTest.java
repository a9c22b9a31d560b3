package sc.fiji.inr.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.log.LogService;

import ij.IJ;
import ij.ImagePlus;
import ij.measure.Calibration;
import sc.fiji.inr.field.FieldFile;
import sc.fiji.inr.field.NeuralField;

class FuseStacksCommandTest {

	@TempDir
	Path dir;
	private Context context;
	private final List<String> logged = new CopyOnWriteArrayList<>();
	/**
	 * Axial, coronal, sagittal stacks of a 16³ phantom (1 mm), slices 2 mm thick. The fits take
	 * only 3 steps: a 3D step of the default hash grid costs most of a second on 2 cores, and
	 * these tests check the command, not the quality (SuperResolutionTest does).
	 */
	private List<ImagePlus> stacks;

	@BeforeEach
	void setUp() {
		FijiTestSupport.headless();
		context = new Context();
		context.service(LogService.class).addLogListener(m -> logged.add(m.text()));
		stacks = FijiTestSupport.phantomStacks(16, 2);
		FijiTestSupport.open(stacks.get(2));
	}

	@AfterEach
	void tearDown() {
		FijiTestSupport.closeAll();
		context.dispose();
	}

	private CommandModule run(final Map<String, Object> inputs) throws Exception {
		return FijiTestSupport.run(context, FuseStacksCommand.class, inputs);
	}

	private static void assertFusedGrid(final ImagePlus fused) {
		assertEquals("fused", fused.getTitle());
		assertArrayEquals(new int[] { 16, 16, 1, 16, 1 }, fused.getDimensions());
		final Calibration cal = fused.getCalibration();
		assertEquals(1, cal.pixelWidth, 1e-12);
		assertEquals(1, cal.pixelDepth, 1e-12);
		assertEquals("mm", cal.getUnit());
		assertEquals(0, cal.zOrigin, 1e-9);
	}

	@Test
	void theAverageOfThreeStacksNeedsNoFit() throws Exception {
		final CommandModule m = run(FijiTestSupport.fuseInputs(stacks.get(0), stacks.get(1), "phantom-sagittal", "average", 1, null));
		assertFalse(m.isCanceled(), m.getCancelReason());
		assertFusedGrid((ImagePlus) m.getOutput("fused"));
	}

	@Test
	void inrFusesTwoStacksAlignsThemAndSavesTheField() throws Exception {
		final File field = dir.resolve("fused.inr").toFile();
		final Map<String, Object> in = FijiTestSupport.fuseInputs(stacks.get(0), stacks.get(1), "", "inr", 3, field);
		in.put("align", true);
		in.put("voxel", 2.0);
		final CommandModule m = run(in);
		assertFalse(m.isCanceled(), m.getCancelReason());
		final ImagePlus fused = (ImagePlus) m.getOutput("fused");
		assertArrayEquals(new int[] { 8, 8, 1, 8, 1 }, fused.getDimensions());
		assertEquals(2, fused.getCalibration().pixelHeight, 1e-12);
		assertEquals(32, fused.getBitDepth());
		try (NeuralField f = FieldFile.load(field.toPath())) {
			assertArrayEquals(new long[] { 8, 8, 8 }, f.frame().size());
			assertEquals("fused", f.source().name());
		}
		assertTrue(logged.stream().anyMatch(t -> t.contains("'phantom-coronal'") && t.contains("rotation")), String.join("\n", logged));
	}

	@Test
	void inrFusesThreeStacks() throws Exception {
		final CommandModule m = run(FijiTestSupport.fuseInputs(stacks.get(0), stacks.get(1), "phantom-sagittal", "inr", 3, null));
		assertFalse(m.isCanceled(), m.getCancelReason());
		assertFusedGrid((ImagePlus) m.getOutput("fused"));
	}

	@Test
	void aTwoDimensionalImageIsRefused() throws Exception {
		final CommandModule m = run(FijiTestSupport.fuseInputs(stacks.get(0), FijiTestSupport.pattern8("flat", 16, 16), "", "average",
				1, null));
		assertTrue(m.isCanceled());
		assertTrue(m.getCancelReason().contains("'flat' is 2D"), m.getCancelReason());
		assertNull(m.getOutput("fused"));
	}

	@Test
	void stacksWithDifferentChannelCountsAreRefused() throws Exception {
		final ImagePlus two = IJ.createImage("two", "32-bit black", 16, 16, 2, 8, 1);
		final Calibration cal = two.getCalibration();
		cal.pixelDepth = 2;
		cal.setUnit("mm");
		final CommandModule m = run(FijiTestSupport.fuseInputs(stacks.get(0), two, "", "inr", 3, null));
		assertTrue(m.isCanceled());
		assertTrue(m.getCancelReason().contains("channel") && m.getCancelReason().contains("'two' has 2"), m.getCancelReason());
	}

	@Test
	void stacksThatDoNotOverlapAreRefused() throws Exception {
		final ImagePlus far = stacks.get(1);
		far.getCalibration().xOrigin = -100; // 100 mm to the right
		final CommandModule m = run(FijiTestSupport.fuseInputs(stacks.get(0), far, "", "inr", 3, null));
		assertTrue(m.isCanceled());
		assertTrue(m.getCancelReason().contains("does not overlap"), m.getCancelReason());
	}

	@Test
	void anUnknownThirdStackIsNamed() throws Exception {
		final CommandModule m = run(FijiTestSupport.fuseInputs(stacks.get(0), stacks.get(1), "phantom-oblique", "average", 1, null));
		assertTrue(m.isCanceled());
		assertTrue(m.getCancelReason().contains("'phantom-oblique'"), m.getCancelReason());
	}

	@Test
	void theSameStackTwiceAlignmentWithoutAFitAndUnknownMethodsAreRefused() throws Exception {
		CommandModule m = run(FijiTestSupport.fuseInputs(stacks.get(0), stacks.get(2), "phantom-sagittal", "average", 1, null));
		assertTrue(m.isCanceled());
		assertTrue(m.getCancelReason().contains("same image 'phantom-sagittal'"), m.getCancelReason());
		final Map<String, Object> in = FijiTestSupport.fuseInputs(stacks.get(0), stacks.get(1), "", "average", 1, null);
		in.put("align", true);
		m = run(in);
		assertTrue(m.isCanceled());
		assertTrue(m.getCancelReason().contains("inr"), m.getCancelReason());
		in.put("align", false);
		in.put("method", "median");
		m = run(in);
		assertTrue(m.getCancelReason().contains("'median'"), m.getCancelReason());
	}
}
