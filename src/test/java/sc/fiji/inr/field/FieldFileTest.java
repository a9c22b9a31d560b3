package sc.fiji.inr.field;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import sc.fiji.inr.image.PixelType;

class FieldFileTest {

	@TempDir
	Path dir;

	private static final double[] POINTS = { 1, 2, 3, 4.5, 6, 7.25, -3, 0, 12 };

	@Test
	void roundTripKeepsEverything() throws IOException {
		for (final String model : ModelOptions.MODELS) {
			final FieldSpec spec = ModelOptions.of(model).toSpec(3, 2, new long[] { 20, 16, 8 });
			final CoordinateFrame frame = FieldTestSupport.frame(20, 16, 8);
			final ValueScale scale = new ValueScale(new double[] { 100, -3 }, new double[] { 50, 0.25 });
			final Path file = dir.resolve(model + ".inr");
			final float[] before;
			try (NeuralField f = NeuralField.create(spec, frame, scale, new SourceInfo("brain", PixelType.UINT16), 77)) {
				f.setTraining(new TrainingRecord(123, 0.01, 31.5, 4.2, 77, "cpu()", "steps", "pixels"));
				before = f.evaluatePhysical(POINTS, 3);
				FieldFile.save(f, file);
			}
			try (NeuralField g = FieldFile.load(file)) {
				assertEquals(spec, g.spec());
				assertEquals(frame, g.frame());
				assertEquals(scale, g.scale());
				assertEquals(new SourceInfo("brain", PixelType.UINT16), g.source());
				assertEquals(123, g.training().steps());
				assertEquals(31.5, g.training().psnr());
				assertArrayEquals(before, g.evaluatePhysical(POINTS, 3), model);
			}
			final FieldFile.Header h = FieldFile.readHeader(file);
			assertEquals(FieldFile.VERSION, h.version());
			assertTrue(h.toJson().contains("\"name\": \"brain\""));
			assertTrue(h.parameterCount() > 0);
		}
	}

	private Path saved() throws IOException {
		final Path file = dir.resolve("good.inr");
		try (NeuralField f = FieldTestSupport.field(FieldSpec.siren(2, 1, 16, 2), 1)) {
			FieldFile.save(f, file);
		}
		return file;
	}

	private static String loadError(final Path file) {
		return assertThrows(IOException.class, () -> FieldFile.load(file).close()).getMessage();
	}

	@Test
	void missingFileIsReported() {
		final IOException e = assertThrows(IOException.class, () -> FieldFile.load(dir.resolve("nope.inr")));
		assertTrue(e instanceof NoSuchFileException);
		assertTrue(e.getMessage().contains("nope.inr"));
	}

	@Test
	void foreignFileIsRejected() throws IOException {
		final Path png = dir.resolve("image.inr");
		Files.write(png, new byte[] { (byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 });
		assertTrue(loadError(png).contains("is not an INR field file"));
		final Path empty = dir.resolve("empty.inr");
		Files.write(empty, new byte[0]);
		assertTrue(loadError(empty).contains("is not an INR field file"));
	}

	@Test
	void truncatedFileIsRejected() throws IOException {
		final Path file = saved();
		final byte[] bytes = Files.readAllBytes(file);
		for (final int keep : new int[] { 12, 40, bytes.length - 1 }) {
			final Path cut = dir.resolve("cut" + keep + ".inr");
			Files.write(cut, Arrays.copyOf(bytes, keep));
			final String message = loadError(cut);
			assertTrue(message.contains("corrupt") || message.contains("not an INR field"), message);
		}
	}

	@Test
	void damagedWeightsFailTheChecksum() throws IOException {
		final Path file = saved();
		final byte[] bytes = Files.readAllBytes(file);
		bytes[bytes.length - 3] ^= 0x40;
		Files.write(file, bytes);
		assertTrue(loadError(file).contains("checksum"));
	}

	@Test
	void newerVersionAsksForAnUpdate() throws IOException {
		final Path file = saved();
		final byte[] bytes = Files.readAllBytes(file);
		ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(8, FieldFile.VERSION + 1);
		Files.write(file, bytes);
		assertTrue(loadError(file).contains("newer"));
	}

	@Test
	void invalidHeaderIsReported() throws IOException {
		final Path file = saved();
		final byte[] bytes = Files.readAllBytes(file);
		final int headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(12);
		final String header = new String(bytes, 16, headerLength, StandardCharsets.UTF_8);
		final String bad = header.replace("\"width\": 16", "\"width\": -16");
		assertEquals(header.length(), bad.length() - 1);
		final ByteBuffer out = ByteBuffer.allocate(bytes.length + 1).order(ByteOrder.LITTLE_ENDIAN);
		out.put(bytes, 0, 12).putInt(headerLength + 1).put(bad.getBytes(StandardCharsets.UTF_8))
				.put(bytes, 16 + headerLength, bytes.length - 16 - headerLength);
		Files.write(file, out.array());
		final String message = loadError(file);
		assertTrue(message.contains("header is invalid") && message.contains("-16"), message);
	}

	@Test
	void failedSaveLeavesTheOldFileAlone() throws IOException {
		final Path file = saved();
		final byte[] before = Files.readAllBytes(file);
		try (NeuralField f = FieldTestSupport.field(FieldSpec.siren(2, 1, 8, 1), 2)) {
			assertThrows(IOException.class, () -> FieldFile.save(f, dir.resolve("missing-folder").resolve("x.inr")));
			FieldFile.save(f, file);
		}
		assertTrue(Files.size(file) != before.length, "overwrite with a different field should change the file");
		try (var files = Files.list(dir)) {
			assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary left behind");
		}
	}
}
