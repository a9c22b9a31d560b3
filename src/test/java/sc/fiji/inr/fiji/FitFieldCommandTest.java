package sc.fiji.inr.fiji;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandModule;

import ij.ImagePlus;
import ij.process.FloatProcessor;
import sc.fiji.inr.field.FieldFile;
import sc.fiji.inr.image.PixelType;

class FitFieldCommandTest {

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

	@Test
	void fitsAnImageAndWritesTheFieldWithTheFitOutcome() throws Exception {
		final File out = dir.resolve("pattern.inr").toFile();
		final CommandModule m = FijiTestSupport.run(context, FitFieldCommand.class,
				FijiTestSupport.fitInputs(FijiTestSupport.pattern8("pattern", 48, 40), out, 40));
		assertFalse(m.isCanceled(), m.getCancelReason());
		assertTrue(out.isFile());
		assertEquals(40L, m.getOutput("iterations"));
		final double psnr = (Double) m.getOutput("psnr");
		assertTrue(psnr > 15, "PSNR " + psnr);
		assertTrue((Double) m.getOutput("seconds") > 0);
		final FieldFile.Header h = FieldFile.readHeader(out.toPath());
		assertEquals("pattern", h.source().name());
		assertEquals(PixelType.UINT8, h.source().pixelType());
		assertEquals(1, h.spec().outChannels());
		assertArrayEquals(new long[] { 48, 40 }, h.frame().size());
		assertEquals(0.5, h.frame().spacing()[0], 1e-12);
		assertEquals(40, h.training().steps());
		assertEquals(psnr, h.training().psnr(), 1e-9);
	}

	@Test
	void fitsAnRgbImageAsThreeChannels() throws Exception {
		final File out = dir.resolve("rgb.inr").toFile();
		final CommandModule m = FijiTestSupport.run(context, FitFieldCommand.class,
				FijiTestSupport.fitInputs(FijiTestSupport.patternRgb("rgb", 32, 24), out, 10));
		assertFalse(m.isCanceled(), m.getCancelReason());
		final FieldFile.Header h = FieldFile.readHeader(out.toPath());
		assertEquals(3, h.spec().outChannels());
		assertEquals(2, h.spec().inDims());
		assertEquals(PixelType.UINT8, h.source().pixelType());
	}

	@Test
	void aNanImageIsRefusedAndTheExistingOutputIsLeftAlone() throws Exception {
		final Path out = dir.resolve("keep.inr");
		Files.writeString(out, "precious");
		final FloatProcessor ip = new FloatProcessor(16, 16);
		ip.setf(3, 5, Float.NaN);
		final CommandModule m = FijiTestSupport.run(context, FitFieldCommand.class,
				FijiTestSupport.fitInputs(new ImagePlus("holes", ip), out.toFile(), 5));
		assertTrue(m.isCanceled());
		assertTrue(m.getCancelReason().contains("NaN"), m.getCancelReason());
		assertEquals("precious", Files.readString(out));
	}

	@Test
	void anUnknownModelIsNamedInTheMessage() throws Exception {
		final Path out = dir.resolve("keep.inr");
		Files.writeString(out, "precious");
		final Map<String, Object> in = FijiTestSupport.fitInputs(FijiTestSupport.pattern8("p", 16, 16), out.toFile(), 5);
		in.put("model", "transformer");
		final CommandModule m = FijiTestSupport.run(context, FitFieldCommand.class, in);
		assertTrue(m.isCanceled());
		assertTrue(m.getCancelReason().contains("transformer"), m.getCancelReason());
		assertEquals("precious", Files.readString(out));
	}

	@Test
	void badNumbersAndLossesAreNamed() throws Exception {
		final File out = dir.resolve("x.inr").toFile();
		final Map<String, Object> in = FijiTestSupport.fitInputs(FijiTestSupport.pattern8("p", 16, 16), out, 0);
		CommandModule m = FijiTestSupport.run(context, FitFieldCommand.class, in);
		assertTrue(m.isCanceled());
		assertTrue(m.getCancelReason().contains("Steps"), m.getCancelReason());
		in.put("steps", 5);
		in.put("loss", "tukey");
		m = FijiTestSupport.run(context, FitFieldCommand.class, in);
		assertTrue(m.getCancelReason().contains("tukey"), m.getCancelReason());
		assertFalse(out.exists());
	}

	@Test
	void aMissingOutputFolderIsReportedBeforeFitting() throws Exception {
		final File out = dir.resolve("no/such/folder/x.inr").toFile();
		final CommandModule m = FijiTestSupport.run(context, FitFieldCommand.class,
				FijiTestSupport.fitInputs(FijiTestSupport.pattern8("p", 16, 16), out, 100000));
		assertTrue(m.isCanceled());
		assertTrue(m.getCancelReason().contains("folder"), m.getCancelReason());
		assertEquals(0L, m.getOutput("iterations"));
	}

	@Test
	void noOutputFileIsReported() throws Exception {
		final Map<String, Object> in = FijiTestSupport.fitInputs(FijiTestSupport.pattern8("p", 16, 16), null, 5);
		final CommandModule m = FijiTestSupport.run(context, FitFieldCommand.class, in);
		assertTrue(m.isCanceled());
		assertTrue(m.getCancelReason().contains("output"), m.getCancelReason());
	}
}
