package sc.fiji.inr.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ij.IJ;
import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.FloatProcessor;
import sc.fiji.inr.image.ImageReader;

/** The CLI's exit codes and one-line messages, and a fit → info → render round trip. */
class MainTest {

	@TempDir
	static Path dir;

	static Path smallTiff;

	record Run(int code, String out, String err) {}

	static Run run(final String... args) {
		final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
		final int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
		return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	@BeforeAll
	static void images() {
		System.setProperty("java.awt.headless", "true");
		final FloatProcessor fp = new FloatProcessor(24, 20);
		for (int y = 0; y < 20; y++)
			for (int x = 0; x < 24; x++) fp.setf(x, y, (float) (50 + 40 * Math.sin(x / 4.0) * Math.cos(y / 5.0)));
		final ImagePlus imp = new ImagePlus("small", fp);
		imp.getCalibration().pixelWidth = 0.5;
		imp.getCalibration().pixelHeight = 0.5;
		imp.getCalibration().setUnit("µm");
		smallTiff = dir.resolve("small.tif");
		new FileSaver(imp).saveAsTiff(smallTiff.toString());
	}

	@Test
	void fitInfoRenderRoundTrip() throws Exception {
		final Path field = dir.resolve("small.inr");
		final Run fit = run("fit", smallTiff.toString(), "-o", field.toString(), "--steps", "60", "--quiet");
		assertEquals(0, fit.code(), fit.err());
		assertTrue(fit.out().contains("PSNR"), fit.out());
		assertTrue(Files.size(field) > 0);

		final Run info = run("info", field.toString());
		assertEquals(0, info.code(), info.err());
		assertTrue(info.out().contains("small") && info.out().contains("hashgrid") && info.out().contains("60 steps"), info.out());
		assertTrue(run("info", field.toString(), "--json").out().contains("\"payloadCrc32\""));

		final Path out = dir.resolve("small-x2.tif");
		final Run render = run("render", field.toString(), "-o", out.toString(), "--scale", "2");
		assertEquals(0, render.code(), render.err());
		final var img = ImageReader.read(out);
		assertArrayEquals(new long[] { 48, 40 }, img.pixels().dimensionsAsLongArray());
		assertEquals(0.25, img.spacing()[0], 1e-6);

		final Path nii = dir.resolve("roi.nii.gz");
		assertEquals(0, run("render", field.toString(), "-o", nii.toString(), "--roi", "4,2,8,6", "--size", "16,12").code());
		assertArrayEquals(new long[] { 16, 12 }, ImageReader.read(nii).pixels().dimensionsAsLongArray());

		// An existing output is kept unless --force is given.
		final byte[] before = Files.readAllBytes(out);
		final Run again = run("render", field.toString(), "-o", out.toString(), "--scale", "3");
		assertEquals(1, again.code());
		assertTrue(again.err().contains("--force"), again.err());
		assertArrayEquals(before, Files.readAllBytes(out));
		assertEquals(0, run("render", field.toString(), "-o", out.toString(), "--scale", "3", "--force").code());
	}

	@Test
	void everyVerbHasHelp() {
		for (final String verb : Main.VERBS.keySet()) {
			final Run r = run(verb, "--help");
			assertEquals(0, r.code());
			assertTrue(r.out().startsWith("Usage: inr " + verb), r.out());
		}
		assertEquals(0, run("--help").code());
		assertEquals(2, run().code());
	}

	private static void assertFails(final int code, final String expected, final String... args) {
		final Run r = run(args);
		assertEquals(code, r.code(), r.err());
		assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
		assertEquals(1, r.err().strip().lines().count(), "one-line message: " + r.err());
	}

	@Test
	void badInputGivesOneLineErrorsAndExitCodes() throws Exception {
		final String out = dir.resolve("bad.inr").toString();
		assertFails(2, "unknown command 'fitt'", "fitt");
		assertFails(2, "Unknown option '--stepz'", "fit", smallTiff.toString(), "-o", out, "--stepz", "3");
		assertFails(2, "needs a whole number", "fit", smallTiff.toString(), "-o", out, "--steps", "many");
		assertFails(2, "Unknown model 'transformer'", "fit", smallTiff.toString(), "-o", out, "--model", "transformer");
		assertFails(2, "Missing output", "fit", smallTiff.toString());
		assertFails(2, "must be a field file ending in .inr", "fit", smallTiff.toString(), "-o", dir.resolve("x.tif").toString());
		assertFails(1, "not found", "fit", dir.resolve("missing.tif").toString(), "-o", out);

		final Path text = dir.resolve("notes.txt");
		Files.writeString(text, "hello");
		assertFails(1, ".txt", "fit", text.toString(), "-o", out);

		final FloatProcessor nan = new FloatProcessor(8, 8);
		nan.setf(3, 4, Float.NaN);
		final Path nanTiff = dir.resolve("nan.tif");
		new FileSaver(new ImagePlus("nan", nan)).saveAsTiff(nanTiff.toString());
		assertFails(1, "NaN", "fit", nanTiff.toString(), "-o", out);

		final Path dot = dir.resolve("dot.tif");
		new FileSaver(new ImagePlus("dot", new FloatProcessor(1, 1))).saveAsTiff(dot.toString());
		assertFails(1, "only 1 pixel", "fit", dot.toString(), "-o", out);
		assertTrue(Files.notExists(Path.of(out)), "no output written on failure");

		final Path corrupt = dir.resolve("corrupt.inr");
		Files.writeString(corrupt, "INRFIELD but not really");
		assertFails(1, "corrupt", "render", corrupt.toString(), "-o", dir.resolve("c.tif").toString());
		assertFails(1, "not an INR field file", "info", smallTiff.toString());
		assertFails(2, "either a scale or a size", "render", corrupt.toString(), "-o", dir.resolve("c.tif").toString(), "--scale", "2",
				"--size", "3,3");
		assertFails(2, "Cannot write", "render", corrupt.toString(), "-o", dir.resolve("c.png").toString());
		IJ.log(""); // keep ImageJ's static state initialised for the other tests
	}
}
