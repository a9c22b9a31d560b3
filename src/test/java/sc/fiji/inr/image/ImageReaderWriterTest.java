package sc.fiji.inr.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.IndexColorModel;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ByteProcessor;

class ImageReaderWriterTest {

	/** Real images copied from Debian packages by test-images/fetch.sh (see its README). */
	private static final Path TEST_IMAGES = Path.of("test-images");

	@TempDir
	Path dir;

	@BeforeAll
	static void headless() {
		System.setProperty("java.awt.headless", "true");
	}

	private static void assertMessage(final Exception e, final String... parts) {
		for (final String p : parts)
			assertTrue(e.getMessage().contains(p), "'" + e.getMessage() + "' lacks '" + p + "'");
	}

	@ParameterizedTest
	@EnumSource(PixelType.class)
	void tiffRoundTripKeepsHyperstackCalibrationAndType(final PixelType type) throws IOException {
		final List<Axis> axes = List.of(Axis.X, Axis.Y, Axis.CHANNEL, Axis.Z, Axis.TIME);
		final CalibratedImage<?> img = TestImages.image("tif", axes, type, i -> switch (type) {
		case UINT8 -> i % 251;
		case UINT16 -> i * 211;
		case INT16 -> i * 211 - 20000;
		case FLOAT32 -> i * 0.125 - 9;
		}, 5, 4, 2, 3, 2);
		final Path file = dir.resolve("stack.tif");
		ImageWriter.write(img, file);
		final CalibratedImage<?> back = ImageReader.read(file);
		assertEquals("stack", back.name());
		assertEquals(axes, back.axes());
		assertEquals(type, back.pixelType());
		assertArrayEquals(img.pixels().dimensionsAsLongArray(), back.pixels().dimensionsAsLongArray());
		assertArrayEquals(TestImages.values(img.pixels()), TestImages.values(back.pixels()));
		// ImageJ stores x/y pixel size as TIFF resolution, a rational number: ~1e-6 relative
		assertArrayEquals(img.spacing(), back.spacing(), 1e-5);
		final double[] origin = img.origin();
		origin[4] = 0; // ImageJ has no time origin
		assertArrayEquals(origin, back.origin(), 1e-5);
		assertArrayEquals(img.units(), back.units());
		try (Stream<Path> files = Files.list(dir)) {
			assertEquals(List.of(file), files.toList(), "no temporary file may be left behind");
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "img.nii", "img.nii.gz", "img.tiff" })
	void writerAndReaderHandleNiftiAndTiffExtensions(final String name) throws IOException {
		final CalibratedImage<?> img = TestImages.image("x", List.of(Axis.X, Axis.Y, Axis.Z),
				PixelType.UINT16, i -> i * 7, 6, 5, 4);
		final Path file = dir.resolve(name);
		ImageWriter.write(img, file);
		final CalibratedImage<?> back = ImageReader.read(file);
		assertEquals("img", back.name());
		assertEquals(PixelType.UINT16, back.pixelType());
		assertArrayEquals(TestImages.values(img.pixels()), TestImages.values(back.pixels()));
		assertArrayEquals(img.spacing(), back.spacing(), 1e-5);
	}

	@Test
	void tiffWriteReplacesExistingFile() throws IOException {
		final Path file = dir.resolve("old.tif");
		Files.writeString(file, "not a tiff");
		ImageWriter.write(TestImages.image("n", List.of(Axis.X, Axis.Y), PixelType.UINT8, i -> i, 3, 3),
				file);
		assertEquals(8, TestImages.at(ImageReader.read(file), 2, 2));
	}

	@Test
	void readsFormatsImageJWrites() throws IOException {
		final ByteProcessor bp = new ByteProcessor(16, 8);
		for (int i = 0; i < 16 * 8; i++)
			bp.set(i, i * 2);
		final ImagePlus imp = new ImagePlus("gray", bp);
		final FileSaver saver = new FileSaver(imp);
		assertTrue(saver.saveAsPng(dir.resolve("a.png").toString()));
		assertTrue(saver.saveAsGif(dir.resolve("a.gif").toString()));
		assertTrue(saver.saveAsBmp(dir.resolve("a.bmp").toString()));
		assertTrue(saver.saveAsJpeg(dir.resolve("a.jpg").toString()));
		for (final String name : List.of("a.png", "a.gif", "a.bmp")) {
			final CalibratedImage<?> img = ImageReader.read(dir.resolve(name));
			assertEquals("a", img.name());
			assertEquals(List.of(Axis.X, Axis.Y), img.axes(), name);
			assertEquals(PixelType.UINT8, img.pixelType(), name);
			assertEquals(2 * 37, TestImages.at(img, 37 % 16, 37 / 16), name);
		}
		final CalibratedImage<?> jpeg = ImageReader.read(dir.resolve("a.jpg"));
		assertArrayEquals(new long[] { 16, 8 }, jpeg.pixels().dimensionsAsLongArray());
		assertEquals(2 * 37, TestImages.at(jpeg, 37 % 16, 37 / 16), 12); // lossy
	}

	@Test
	void paletteImagesBecomeRgbChannels() throws IOException {
		// a jumpy palette: ImageJ treats smooth LUTs as display pseudo-colour of gray data
		final byte[] r = new byte[256], g = new byte[256], b = new byte[256];
		final Random random = new Random(1);
		random.nextBytes(r);
		random.nextBytes(g);
		random.nextBytes(b);
		r[0] = g[0] = b[0] = 0;
		r[1] = (byte) 250;
		g[1] = 10;
		b[1] = 0;
		r[2] = g[2] = 0;
		b[2] = (byte) 200;
		final ByteProcessor bp = new ByteProcessor(4, 4);
		bp.setColorModel(new IndexColorModel(8, 256, r, g, b));
		bp.set(1, 1, 1);
		bp.set(2, 2, 2);
		final Path file = dir.resolve("palette.gif");
		assertTrue(new FileSaver(new ImagePlus("p", bp)).saveAsGif(file.toString()));
		final CalibratedImage<?> img = ImageReader.read(file);
		assertEquals(List.of(Axis.X, Axis.Y, Axis.CHANNEL), img.axes());
		assertEquals(250, TestImages.at(img, 1, 1, 0));
		assertEquals(10, TestImages.at(img, 1, 1, 1));
		assertEquals(200, TestImages.at(img, 2, 2, 2));
		assertEquals(0, TestImages.at(img, 0, 0, 0));
	}

	// -- errors --

	@Test
	void missingFileNamesThePath() {
		final Path missing = dir.resolve("missing.png");
		final FileNotFoundException e = assertThrows(FileNotFoundException.class,
				() -> ImageReader.read(missing));
		assertMessage(e, "not found", missing.toString());
	}

	@Test
	void unsupportedExtensionListsSupportedOnes() throws IOException {
		final Path file = Files.writeString(dir.resolve("data.xyz"), "?");
		assertMessage(assertThrows(IOException.class, () -> ImageReader.read(file)), "'.xyz'",
				"data.xyz", ".tif", ".png", ".dcm", ".nii.gz");
		final Path noExt = Files.writeString(dir.resolve("README"), "?");
		assertMessage(assertThrows(IOException.class, () -> ImageReader.read(noExt)), "''");
		assertMessage(assertThrows(IOException.class, () -> ImageReader.read(dir)), "directory");
	}

	@ParameterizedTest
	@ValueSource(strings = { "bad.png", "bad.tif", "bad.jpg", "bad.gif", "bad.bmp", "bad.dcm",
		"bad.nii", "bad.nii.gz" })
	void undecodableFileIsAnIOException(final String name) throws IOException {
		final byte[] junk = new byte[2000];
		new Random(42).nextBytes(junk);
		final Path file = Files.write(dir.resolve(name), junk);
		assertMessage(assertThrows(IOException.class, () -> ImageReader.read(file)), name);
	}

	@Test
	void writerRejectsUnknownExtensionBeforeWriting() {
		final CalibratedImage<?> img = TestImages.image("w", List.of(Axis.X, Axis.Y), PixelType.UINT8,
				i -> i, 2, 2);
		for (final String name : List.of("w.png", "w.jpg", "w", "w.raw")) {
			final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
					() -> ImageWriter.write(img, dir.resolve(name)));
			assertMessage(e, "unsupported extension", ".tif", ".nii.gz");
			assertTrue(Files.notExists(dir.resolve(name)));
		}
	}

	@Test
	void writeIntoMissingDirectoryFails() {
		final CalibratedImage<?> img = TestImages.image("w", List.of(Axis.X, Axis.Y), PixelType.UINT8,
				i -> i, 2, 2);
		final Path file = dir.resolve("no/such/dir/w.tif");
		assertMessage(assertThrows(IOException.class, () -> ImageWriter.write(img, file)),
				"does not exist");
	}

	// -- real files from test-images/ (skipped when fetch.sh has not been run) --

	private static Path testImage(final String name) {
		final Path p = TEST_IMAGES.resolve(name);
		assumeTrue(Files.exists(p), "run test-images/fetch.sh to get " + name);
		return p;
	}

	@Test
	void readsCameraPng() throws IOException {
		final CalibratedImage<?> img = ImageReader.read(testImage("camera.png"));
		assertEquals("camera", img.name());
		assertArrayEquals(new long[] { 512, 512 }, img.pixels().dimensionsAsLongArray());
		assertEquals(PixelType.UINT8, img.pixelType());
		assertEquals(255, ImageMetrics.dataRange(img.pixels()));
	}

	@ParameterizedTest
	@ValueSource(strings = { "BrainProtonDensitySlice.png", "BrainProtonDensitySliceShifted13x17y.png",
		"BrainProtonDensitySliceR10X13Y17.png" })
	void readsItkBrainSlices(final String name) throws IOException {
		final CalibratedImage<?> img = ImageReader.read(testImage(name));
		assertEquals(List.of(Axis.X, Axis.Y), img.axes());
		assertEquals(PixelType.UINT8, img.pixelType());
		final long[] expected = name.equals("BrainProtonDensitySlice.png") ? new long[] { 181, 217 }
				: new long[] { 221, 257 };
		assertArrayEquals(expected, img.pixels().dimensionsAsLongArray());
	}

	@Test
	void readsDicomWithHounsfieldCalibration() throws IOException {
		final CalibratedImage<?> img = ImageReader.read(testImage("CT_small.dcm"));
		assertEquals("CT_small", img.name());
		assertArrayEquals(new long[] { 128, 128 }, img.pixels().dimensionsAsLongArray());
		assertEquals(PixelType.FLOAT32, img.pixelType()); // rescale intercept applied
		assertArrayEquals(new double[] { 0.661468, 0.661468 }, img.spacing(), 1e-6);
		assertEquals("mm", img.units()[0]);
		assertEquals(1167 - -896, ImageMetrics.dataRange(img.pixels()));
	}

	@Test
	void readsInia19Template() throws IOException {
		final CalibratedImage<?> img = ImageReader.read(testImage("inia19-t1-brain.nii.gz"));
		assertEquals("inia19-t1-brain", img.name());
		assertEquals(List.of(Axis.X, Axis.Y, Axis.Z), img.axes());
		assertArrayEquals(new long[] { 168, 206, 128 }, img.pixels().dimensionsAsLongArray());
		assertArrayEquals(new double[] { 0.5, 0.5, 0.5 }, img.spacing());
		assertArrayEquals(new double[] { -42, -57.5, -30 }, img.origin());
		ImageChecks.requireFinite(img);
	}
}
