package sc.fiji.inr.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;

import ij.ImagePlus;
import ij.WindowManager;
import ij.macro.Interpreter;
import sc.fiji.inr.field.FieldFile;

/**
 * The super-resolution example macros and the two commands' macro options, run as ImageJ 1 runs a
 * batch macro, headless (see {@link MacroTest}).
 */
class SuperResolutionMacroTest {

	@TempDir
	Path dir;
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

	@Test
	void superResolutionMacroUpsamplesByInterpolation() throws Exception {
		assertNull(run(macro("super_resolution.ijm"), "method=cubic scale=2"));
		final ImagePlus out = WindowManager.getCurrentImage();
		assertNotNull(out);
		assertEquals("pattern-superres", out.getTitle());
		assertEquals(96, out.getWidth());
		assertEquals(96, out.getHeight());
		assertEquals(8, out.getBitDepth());
		assertEquals(0.25, out.getCalibration().pixelWidth, 1e-9);
	}

	@Test
	void superResolutionMacroFitsAndSavesAField() throws Exception {
		final Path field = dir.resolve("my field.inr");
		assertNull(run("newImage('small', '16-bit ramp', 24, 20, 1);" + macro("super_resolution.ijm"),
				"voxel=0.5 steps=20 field=[" + field + "]"));
		final ImagePlus out = WindowManager.getCurrentImage();
		assertEquals("small-superres", out.getTitle());
		assertEquals(48, out.getWidth());
		assertEquals(40, out.getHeight());
		assertEquals(16, out.getBitDepth());
		assertEquals(20, FieldFile.readHeader(field).training().steps());
	}

	@Test
	void fuseStacksMacroFusesThreeSyntheticStacks() throws Exception {
		assertNull(run(macro("fuse_stacks.ijm"), "method=inr steps=3 size=16 voxel=2"));
		final ImagePlus out = WindowManager.getCurrentImage();
		assertNotNull(out);
		assertEquals("fused", out.getTitle());
		// in-plane [-0.5, 15.5] mm, slices 4 mm thick centred at 0, 4, 8, 12 mm: [-2, 14] mm
		assertArrayEquals(new int[] { 9, 9, 1, 9, 1 }, out.getDimensions());
		assertEquals(2, out.getCalibration().pixelDepth, 1e-9);
		assertEquals("mm", out.getCalibration().getUnit());
	}

	@Test
	void fuseStacksMacroAveragesOpenStacks() throws Exception {
		assertNull(run("newImage('a', '8-bit ramp', 12, 12, 3); setVoxelSize(1, 1, 4, 'mm');"
				+ "newImage('c', '8-bit ramp', 12, 12, 3); setVoxelSize(1, 1, 4, 'mm');" + macro("fuse_stacks.ijm"),
				"method=average"));
		final ImagePlus out = WindowManager.getCurrentImage();
		assertEquals("fused", out.getTitle());
		// the union of x [-0.5, 11.5], y [-2, 11.5], z [-2, 11.5] mm in 1 mm voxels
		assertArrayEquals(new int[] { 12, 14, 1, 14, 1 }, out.getDimensions());
	}

	@Test
	void aFusionErrorStopsTheMacroWithItsMessage() throws Exception {
		final String error = run("newImage('a', '8-bit ramp', 12, 12, 3); newImage('flat', '8-bit ramp', 12, 12, 1);"
				+ "run('Fuse Stacks...', 'stack1=a stack2=flat method=average');", "");
		assertNotNull(error);
		assertTrue(error.contains("Fuse Stacks...") && error.contains("'flat' is 2D"), error);
	}

	@Test
	void bothAScaleAndAVoxelSizeStopTheMacro() throws Exception {
		final String error = run("newImage('x', '8-bit ramp', 16, 16, 1);"
				+ "run('Super-Resolution...', 'scale=2 voxel=0.5 method=cubic');", "");
		assertNotNull(error);
		assertTrue(error.contains("Super-Resolution...") && error.contains("not both"), error);
	}
}
