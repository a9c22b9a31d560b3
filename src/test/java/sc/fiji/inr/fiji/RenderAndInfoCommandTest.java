package sc.fiji.inr.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandModule;

import ij.ImagePlus;
import ij.measure.Calibration;

/** The chain fit → save → render → info, and what render and info say about bad field files. */
class RenderAndInfoCommandTest {

	@TempDir
	static Path dir;
	/** One small fitted field shared by the tests: fitting is the slow part. */
	static File field;
	static ImagePlus source;
	private Context context;

	@BeforeAll
	static void fitOnce() throws Exception {
		FijiTestSupport.headless();
		source = FijiTestSupport.pattern8("cells", 40, 32);
		field = dir.resolve("cells.inr").toFile();
		try (Context c = new Context()) {
			final CommandModule m = FijiTestSupport.run(c, FitFieldCommand.class, FijiTestSupport.fitInputs(source, field, 30));
			assertFalse(m.isCanceled(), m.getCancelReason());
		}
	}

	@AfterAll
	static void forget() {
		source = null;
	}

	@BeforeEach
	void setUp() {
		context = new Context();
	}

	@AfterEach
	void tearDown() {
		context.dispose();
	}

	private CommandModule render(final File f, final String scale, final String size, final String region) throws Exception {
		return FijiTestSupport.run(context, RenderFieldCommand.class, FijiTestSupport.renderInputs(f, scale, size, region));
	}

	@Test
	void rendersAtTheSourceGridWithSourceNameTypeAndCalibration() throws Exception {
		final CommandModule m = render(field, "", "", "");
		assertFalse(m.isCanceled(), m.getCancelReason());
		final ImagePlus out = (ImagePlus) m.getOutput("rendered");
		assertEquals("cells", out.getTitle());
		assertEquals(8, out.getBitDepth());
		assertEquals(40, out.getWidth());
		assertEquals(32, out.getHeight());
		final Calibration cal = out.getCalibration(), src = source.getCalibration();
		assertEquals(src.pixelWidth, cal.pixelWidth, 1e-9);
		assertEquals(src.pixelHeight, cal.pixelHeight, 1e-9);
		assertEquals(src.xOrigin, cal.xOrigin, 1e-6);
		assertEquals("µm", cal.getUnit());
		// The fitted field reproduces the source closely.
		double err = 0;
		for (int i = 0; i < 40 * 32; i++)
			err += Math.abs(out.getProcessor().get(i) - source.getProcessor().get(i));
		assertTrue(err / (40 * 32) < 12, "mean abs error " + err / (40 * 32));
	}

	@Test
	void rendersAtTwiceTheResolutionWithHalfThePixelSize() throws Exception {
		final ImagePlus out = (ImagePlus) render(field, "2", "", "").getOutput("rendered");
		assertEquals(80, out.getWidth());
		assertEquals(64, out.getHeight());
		assertEquals(0.25, out.getCalibration().pixelWidth, 1e-9);
		assertEquals(8, out.getBitDepth());
	}

	@Test
	void rendersARegionAtAnExactSize() throws Exception {
		final ImagePlus out = (ImagePlus) render(field, "", "30,10", "10,8,15,5").getOutput("rendered");
		assertEquals(30, out.getWidth());
		assertEquals(10, out.getHeight());
		assertEquals(0.25, out.getCalibration().pixelWidth, 1e-9);
	}

	@Test
	void aRegionWithTheWrongNumberOfAxesIsNamed() throws Exception {
		final CommandModule m = render(field, "", "", "1,2,3,4,5,6");
		assertTrue(m.isCanceled());
		assertTrue(m.getCancelReason().contains("Region has 3 axes"), m.getCancelReason());
		assertNull(m.getOutput("rendered"));
	}

	@Test
	void scaleAndSizeTogetherAreRefused() throws Exception {
		final CommandModule m = render(field, "2", "10,10", "");
		assertTrue(m.isCanceled());
		assertTrue(m.getCancelReason().contains("either a scale or a size"), m.getCancelReason());
	}

	@Test
	void aMissingFieldFileIsNamed() throws Exception {
		final File missing = dir.resolve("nope.inr").toFile();
		CommandModule m = render(missing, "", "", "");
		assertTrue(m.isCanceled());
		assertTrue(m.getCancelReason().contains("nope.inr") && m.getCancelReason().contains("not found"), m.getCancelReason());
		m = FijiTestSupport.run(context, FieldInfoCommand.class, Map.of("field", missing));
		assertTrue(m.isCanceled());
		assertTrue(m.getCancelReason().contains("nope.inr"), m.getCancelReason());
	}

	@Test
	void aCorruptFieldFileIsReported() throws Exception {
		final Path bad = dir.resolve("bad.inr");
		final byte[] good = Files.readAllBytes(field.toPath());
		Files.write(bad, Arrays.copyOf(good, good.length - 100)); // truncated weights
		CommandModule m = render(bad.toFile(), "", "", "");
		assertTrue(m.isCanceled());
		assertTrue(m.getCancelReason().contains("bad.inr"), m.getCancelReason());
		assertTrue(m.getCancelReason().contains("truncated"), m.getCancelReason());

		Files.writeString(bad, "this is not a field");
		m = FijiTestSupport.run(context, FieldInfoCommand.class, Map.of("field", bad.toFile()));
		assertTrue(m.isCanceled());
		assertTrue(m.getCancelReason().contains("bad.inr"), m.getCancelReason());
	}

	@Test
	void infoSummarisesTheHeader() throws Exception {
		final CommandModule m = FijiTestSupport.run(context, FieldInfoCommand.class, Map.of("field", field));
		assertFalse(m.isCanceled(), m.getCancelReason());
		final String info = (String) m.getOutput("info");
		assertTrue(info.contains("Source:     cells (UINT8)"), info);
		assertTrue(info.contains("30 steps"), info);
		assertTrue(info.contains("\"format\": \"inr-field\""), info);
	}
}
