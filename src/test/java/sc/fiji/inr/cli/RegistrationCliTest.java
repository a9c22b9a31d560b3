package sc.fiji.inr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import sc.fiji.inr.image.CalibratedImage;
import sc.fiji.inr.image.ImageReader;
import sc.fiji.inr.image.ImageWriter;
import sc.fiji.inr.tasks.registration.Volume;

/**
 * {@code inr register} and {@code inr warp}: the files written, their units and channels, TRE from
 * landmark files, labels kept, and one-line errors that leave existing files alone.
 */
class RegistrationCliTest {

	@TempDir
	static Path dir;
	static Path fixed, moving;

	static ReconstructionCliTest.Run run(final String... args) {
		return ReconstructionCliTest.run(args);
	}

	static Path write(final String name, final Volume v) throws Exception {
		final Path p = dir.resolve(name);
		ImageWriter.write(v.image(name, v.channels(), sc.fiji.inr.image.PixelType.FLOAT32), p);
		return p;
	}

	@BeforeAll
	static void images() throws Exception {
		fixed = write("fixed.tif", sc.fiji.inr.tasks.registration.RegistrationTest.blobs(48, 40, 0, 0, 9));
		moving = write("moving.tif", sc.fiji.inr.tasks.registration.RegistrationTest.blobs(48, 40, 2, 1, 9));
	}

	@Test
	void registerWritesTheResultsAndWarpAppliesTheTransform() throws Exception {
		final Path out = dir.resolve("result");
		Files.writeString(dir.resolve("f.csv"), "x,y\n20,20\n30,15\n");
		Files.writeString(dir.resolve("m.csv"), "x,y\n22,21\n32,16\n");
		final var r = run("register", fixed.toString(), moving.toString(), "-o", out.toString(), "--steps", "40", "--batch", "2048", "--width", "64",
				"--fixed-landmarks", dir.resolve("f.csv").toString(), "--moving-landmarks", dir.resolve("m.csv").toString(), "--quiet");
		assertEquals(0, r.code(), r.err());
		assertTrue(r.out().contains("TRE"), r.out());
		for (final String f : new String[] { "warped.tif", "displacement.tif", "jacobian.tif", "transform.inr", "report.json" })
			assertTrue(Files.exists(out.resolve(f)), f);
		final CalibratedImage<?> u = ImageReader.read(out.resolve("displacement.tif"));
		assertEquals(2, u.channels());
		final Volume v = Volume.of(u);
		final int centre = 24 + 48 * 20;
		assertEquals(2, v.channels()[0][centre], 0.2);
		assertEquals(1, v.channels()[1][centre], 0.2);
		final JsonObject report = JsonParser.parseString(Files.readString(out.resolve("report.json"))).getAsJsonObject();
		assertTrue(report.get("nccAfter").getAsDouble() > report.get("nccBefore").getAsDouble());
		assertTrue(report.get("treMeanAfter").getAsDouble() < report.get("treMeanBefore").getAsDouble() / 3, report.toString());

		// Again without --force: refused, nothing replaced.
		final long before = Files.getLastModifiedTime(out.resolve("transform.inr")).toMillis();
		final var again = run("register", fixed.toString(), moving.toString(), "-o", out.toString(), "--steps", "1", "--quiet");
		assertEquals(1, again.code());
		assertTrue(again.err().contains("--force"), again.err());
		assertEquals(before, Files.getLastModifiedTime(out.resolve("transform.inr")).toMillis());

		final Path warped = dir.resolve("labels-warped.tif");
		final var w = run("warp", moving.toString(), out.resolve("transform.inr").toString(), "-o", warped.toString(), "--labels");
		assertEquals(0, w.code(), w.err());
		assertTrue(Files.exists(warped));
		final var plain = run("warp", moving.toString(), fixed.toString(), "-o", dir.resolve("x.tif").toString());
		assertEquals(1, plain.code());
	}

	@Test
	void badCommandLinesAndInputsAreOneLineErrors() throws Exception {
		final String out = dir.resolve("bad").toString();
		var r = run("register", fixed.toString(), "-o", out);
		assertEquals(2, r.code());
		assertTrue(r.err().contains("fixed and a moving image"), r.err());
		r = run("register", fixed.toString(), moving.toString(), "-o", out, "--similarity", "mi");
		assertEquals(2, r.code());
		assertTrue(r.err().contains("Unknown similarity"), r.err());
		r = run("register", fixed.toString(), moving.toString(), "-o", out, "--frobnicate", "1");
		assertEquals(2, r.code());
		r = run("register", fixed.toString(), moving.toString(), "-o", out, "--fixed-landmarks", "a.csv");
		assertEquals(2, r.code());
		assertTrue(r.err().contains("both"), r.err());
		Files.writeString(dir.resolve("three.csv"), "1,1\n2,2\n3,3\n");
		Files.writeString(dir.resolve("two.csv"), "1,1\n2,2\n");
		r = run("register", fixed.toString(), moving.toString(), "-o", out, "--fixed-landmarks", dir.resolve("three.csv").toString(),
				"--moving-landmarks", dir.resolve("two.csv").toString(), "--steps", "1", "--quiet");
		assertEquals(1, r.code());
		assertTrue(r.err().contains("Landmark count mismatch"), r.err());
		final Path empty = write("empty.tif", sc.fiji.inr.tasks.registration.RegistrationTest.blobs(48, 40, 0, 0, 9).withChannels(
				new float[][] { new float[48 * 40] }, "empty"));
		r = run("register", fixed.toString(), moving.toString(), "-o", out, "--fixed-mask", empty.toString(), "--steps", "1", "--quiet");
		assertEquals(1, r.code());
		assertTrue(r.err().contains("empty"), r.err());
	}
}
