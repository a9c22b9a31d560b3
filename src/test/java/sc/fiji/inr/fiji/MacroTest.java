package sc.fiji.inr.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.log.LogService;

import ij.ImagePlus;
import ij.WindowManager;
import ij.macro.Interpreter;
import sc.fiji.inr.field.FieldFile;

/**
 * The example macros and the macro bridge, run as ImageJ 1 runs a batch macro, headless. Every
 * path is put in brackets, as ImageJ's recorder does, because the temporary folder may contain
 * spaces.
 */
class MacroTest {

	@TempDir
	Path dir;
	private Context context;
	private final List<String> logged = new CopyOnWriteArrayList<>();

	@BeforeEach
	void setUp() {
		FijiTestSupport.headless();
		context = new Context();
		context.service(LogService.class).addLogListener(m -> logged.add(m.text()));
		LegacyBridge.install(context);
		Interpreter.batchMode = true;
	}

	@AfterEach
	void tearDown() {
		for (final int id : Interpreter.getBatchModeImageIDs()) {
			final ImagePlus imp = WindowManager.getImage(id);
			if (imp != null) Interpreter.removeBatchModeImage(imp);
		}
		WindowManager.setTempCurrentImage(null);
		Interpreter.batchMode = false;
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
	void fitAndRenderMacroSavesTheFieldAndLeavesTheRenderingCurrent() throws Exception {
		final Path out = dir.resolve("my field.inr");
		assertNull(run(macro("fit_and_render.ijm"), "output=[" + out + "] steps=20"));
		final FieldFile.Header h = FieldFile.readHeader(out);
		assertEquals("pattern", h.source().name());
		assertEquals(20, h.training().steps());
		final ImagePlus rendered = WindowManager.getCurrentImage();
		assertNotNull(rendered);
		assertEquals("pattern", rendered.getTitle());
		assertEquals(128, rendered.getWidth());
		assertEquals(128, rendered.getHeight());
		assertEquals(8, rendered.getBitDepth());
		assertEquals(0.25, rendered.getCalibration().pixelWidth, 1e-9);
		assertEquals("µm", rendered.getCalibration().getUnit());
	}

	@Test
	void fieldInfoMacroLogsTheHeader() throws Exception {
		final Path out = dir.resolve("info.inr");
		assertNull(run(macro("fit_and_render.ijm"), "output=[" + out + "] steps=3"));
		logged.clear();
		assertNull(run(macro("field_info.ijm"), "field=[" + out + "]"));
		assertTrue(logged.stream().anyMatch(t -> t.contains("Source:     pattern (UINT8)") && t.contains("\"inr-field\"")),
				String.join("\n", logged));
	}

	@Test
	void theImageIsChosenByTitle() throws Exception {
		final Path out = dir.resolve("b.inr");
		assertNull(run("newImage('first', '8-bit ramp', 16, 12, 1); newImage('second one', '16-bit ramp', 20, 10, 1);"
				+ "selectImage('first');"
				+ "run('Fit Neural Field...', 'image=[second one] steps=2 output=[" + out + "]');", ""));
		final FieldFile.Header h = FieldFile.readHeader(out);
		assertEquals("second one", h.source().name());
		assertEquals(20, h.frame().size()[0]);
	}

	@Test
	void aFailingCommandStopsTheMacroWithItsMessage() throws Exception {
		final Path marker = dir.resolve("reached.txt");
		final String error = run("run('Render Neural Field...', 'field=[" + dir.resolve("missing.inr") + "]');"
				+ "File.saveString('yes', '" + marker + "');", "");
		assertNotNull(error);
		assertTrue(error.contains("Render Neural Field...") && error.contains("missing.inr"), error);
		assertFalse(Files.exists(marker), "the macro went on after the error");
	}

	@Test
	void anUnknownOptionIsAnErrorAndTheOutputIsLeftAlone() throws Exception {
		final Path out = dir.resolve("keep.inr");
		Files.writeString(out, "precious");
		final String error = run("newImage('x', '8-bit ramp', 16, 16, 1);"
				+ "run('Fit Neural Field...', 'stepz=5 output=[" + out + "]');", "");
		assertNotNull(error);
		assertTrue(error.contains("stepz") && error.contains("steps"), error);
		assertEquals("precious", Files.readString(out));
	}

	@Test
	void aNumberThatIsNotOneIsNamed() throws Exception {
		final String error = run("newImage('x', '8-bit ramp', 16, 16, 1);"
				+ "run('Fit Neural Field...', 'steps=many output=[" + dir.resolve("x.inr") + "]');", "");
		assertNotNull(error);
		assertTrue(error.contains("steps=many"), error);
	}

	@Test
	void fittingWithoutAnImageSaysSo() throws Exception {
		final String error = run("run('Fit Neural Field...', 'steps=2 output=[" + dir.resolve("x.inr") + "]');", "");
		assertNotNull(error);
		assertTrue(error.contains("no images open"), error);
	}
}
