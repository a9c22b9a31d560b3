package sc.fiji.inr.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import net.imglib2.type.numeric.integer.ByteType;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.integer.ShortType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedIntType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.DoubleType;
import net.imglib2.type.numeric.real.FloatType;

class NiftiTest {

	@TempDir
	Path dir;

	// -- writer/reader round trips --

	static Stream<Arguments> roundTrips() {
		return Stream.of(".nii", ".nii.gz").flatMap(ext -> Stream.of(
				Arguments.of(ext, PixelType.UINT8, List.of(Axis.X, Axis.Y, Axis.Z), new long[] { 4, 3, 2 }),
				Arguments.of(ext, PixelType.UINT16, List.of(Axis.X, Axis.Y, Axis.Z, Axis.TIME),
						new long[] { 3, 2, 2, 3 }),
				Arguments.of(ext, PixelType.INT16, List.of(Axis.X, Axis.Y), new long[] { 5, 4 }),
				Arguments.of(ext, PixelType.FLOAT32, List.of(Axis.X, Axis.Y, Axis.Z, Axis.TIME,
						Axis.CHANNEL), new long[] { 3, 2, 2, 2, 3 })));
	}

	private static double valueFor(final PixelType type, final int i) {
		return switch (type) {
		case UINT8 -> (i * 37) % 256;
		case UINT16 -> (i * 4099) % 65536;
		case INT16 -> i * 1637 - 16000;
		case FLOAT32 -> i * 0.25 - 3;
		};
	}

	@ParameterizedTest
	@MethodSource("roundTrips")
	void roundTripKeepsValuesCalibrationAndType(final String ext, final PixelType type,
			final List<Axis> axes, final long[] dims) throws IOException {
		final CalibratedImage<?> img = TestImages.image("rt", axes, type, i -> valueFor(type, i), dims);
		final Path file = dir.resolve("rt" + ext);
		NiftiWriter.write(img, file);
		final CalibratedImage<?> back = NiftiReader.read(file);

		assertEquals("rt", back.name());
		assertEquals(axes, back.axes());
		assertArrayEquals(dims, back.pixels().dimensionsAsLongArray());
		assertEquals(type, back.pixelType());
		assertArrayEquals(TestImages.values(img.pixels()), TestImages.values(back.pixels()));
		assertArrayEquals(img.spacing(), back.spacing(), 1e-6);
		assertArrayEquals(img.origin(), back.origin(), 1e-6);
		assertArrayEquals(img.units(), back.units());
		// only the files we asked for are left: the temp file was moved, not copied
		try (Stream<Path> files = Files.list(dir)) {
			assertEquals(List.of(file), files.toList());
		}
	}

	@Test
	void writerHeaderFollowsTheSpec() throws IOException {
		final CalibratedImage<?> img = TestImages.image("h", List.of(Axis.X, Axis.Y, Axis.Z),
				PixelType.INT16, i -> i, 4, 3, 2);
		final Path file = dir.resolve("h.nii");
		NiftiWriter.write(img, file);
		final byte[] bytes = Files.readAllBytes(file);
		assertEquals(352 + 4 * 3 * 2 * 2, bytes.length);
		assertEquals("n+1", new String(bytes, 344, 3, java.nio.charset.StandardCharsets.US_ASCII));
		assertEquals(0, bytes[347]);

		final NiftiHeader h = NiftiReader.readHeader(file);
		assertEquals(ByteOrder.LITTLE_ENDIAN, h.byteOrder());
		assertArrayEquals(new int[] { 3, 4, 3, 2, 1, 1, 1, 1 }, h.dim());
		assertEquals(NiftiHeader.DT_INT16, h.datatype());
		assertEquals(16, h.bitpix());
		assertEquals(352, h.voxOffset());
		assertEquals(NiftiHeader.UNITS_MM, h.spatialUnits());
		assertEquals(1, h.qformCode());
		assertEquals(1, h.sformCode());
		assertArrayEquals(new double[3], h.quatern());
		assertEquals(1, h.pixdim()[0]);
		final double[][] expected = { { 0.5, 0, 0, -3.25 }, { 0, 1.5, 0, -2.25 }, { 0, 0, 2.5, -1.25 },
			{ 0, 0, 0, 1 } };
		assertArrayEquals(expected, h.sformAffine());
		// the identity quaternion must describe the same grid as the sform
		for (int r = 0; r < 4; r++)
			assertArrayEquals(expected[r], h.qformAffine()[r], 1e-6);
	}

	@Test
	void writerReordersImageJAxisOrder() throws IOException {
		// ImageJ order X, Y, C, Z, T must be stored as x, y, z, t, vector
		final List<Axis> axes = List.of(Axis.X, Axis.Y, Axis.CHANNEL, Axis.Z, Axis.TIME);
		final CalibratedImage<?> img = TestImages.image("ij", axes, PixelType.FLOAT32, i -> i, 3, 2,
				2, 4, 5);
		final Path file = dir.resolve("ij.nii.gz");
		NiftiWriter.write(img, file);
		final CalibratedImage<?> back = NiftiReader.read(file);
		assertEquals(List.of(Axis.X, Axis.Y, Axis.Z, Axis.TIME, Axis.CHANNEL), back.axes());
		assertArrayEquals(new long[] { 3, 2, 4, 5, 2 }, back.pixels().dimensionsAsLongArray());
		for (int x = 0; x < 3; x++)
			for (int c = 0; c < 2; c++)
				for (int z = 0; z < 4; z++)
					for (int t = 0; t < 5; t++)
						assertEquals(TestImages.at(img, x, 1, c, z, t), TestImages.at(back, x, 1, z, t, c));
		assertEquals(NiftiHeader.INTENT_VECTOR, NiftiReader.readHeader(file).intentCode());
	}

	@Test
	void writerConvertsMicronsAndClampsValues() throws IOException {
		final CalibratedImage<?> img = new CalibratedImage<>("u", TestImages.image("u", List.of(Axis.X,
				Axis.Y), PixelType.UINT8, i -> new double[] { -5, 3.6, 300, 7 }[i], 2, 2).pixels(), List
						.of(Axis.X, Axis.Y), new double[] { 0.5, 0.25 }, new double[] { 10, 20 }, new String[] {
							"\u00b5m", "nm" }, PixelType.UINT8);
		final Path file = dir.resolve("u.nii");
		NiftiWriter.write(img, file);
		final NiftiHeader h = NiftiReader.readHeader(file);
		assertEquals(NiftiHeader.UNITS_MICRON, h.spatialUnits());
		assertEquals(0.5, h.pixdim()[1], 1e-7);
		assertEquals(0.25e-3, h.pixdim()[2], 1e-9); // nm converted to the file's micrometres
		final CalibratedImage<?> back = NiftiReader.read(file);
		assertArrayEquals(new double[] { 0.5e-3, 0.25e-6 }, back.spacing(), 1e-10);
		assertArrayEquals(new String[] { "mm", "mm" }, back.units());
		assertArrayEquals(new double[] { 0, 4, 255, 7 }, TestImages.values(back.pixels()));
	}

	@Test
	void writerReplacesExistingFile() throws IOException {
		final Path file = dir.resolve("r.nii");
		Files.writeString(file, "old content");
		NiftiWriter.write(TestImages.image("r", List.of(Axis.X, Axis.Y), PixelType.UINT8, i -> i, 2, 2),
				file);
		assertEquals(4, NiftiReader.read(file).pixels().size());
	}

	@Test
	void writerRejectsBadNamesAndDimensions() {
		final CalibratedImage<?> img = TestImages.image("b", List.of(Axis.X, Axis.Y), PixelType.UINT8,
				i -> 0, 2, 2);
		final IllegalArgumentException ext = assertThrows(IllegalArgumentException.class,
				() -> NiftiWriter.write(img, dir.resolve("b.img")));
		assertTrue(ext.getMessage().contains(".nii"), ext.getMessage());
		final CalibratedImage<?> wide = TestImages.image("wide", List.of(Axis.X, Axis.Y),
				PixelType.UINT8, i -> 0, 40000, 1);
		final IllegalArgumentException dims = assertThrows(IllegalArgumentException.class,
				() -> NiftiWriter.write(wide, dir.resolve("wide.nii")));
		assertTrue(dims.getMessage().contains("40000") && dims.getMessage().contains("32767"), dims
				.getMessage());
	}

	// -- reading files built byte by byte --

	static Stream<Arguments> datatypes() {
		return Stream.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN).flatMap(order -> Stream.of(
				Arguments.of(order, NiftiHeader.DT_UINT8, 8, 200.0, UnsignedByteType.class, PixelType.UINT8),
				Arguments.of(order, NiftiHeader.DT_INT8, 8, -100.0, ByteType.class, PixelType.INT16),
				Arguments.of(order, NiftiHeader.DT_INT16, 16, -30000.0, ShortType.class, PixelType.INT16),
				Arguments.of(order, NiftiHeader.DT_UINT16, 16, 60000.0, UnsignedShortType.class,
						PixelType.UINT16),
				Arguments.of(order, NiftiHeader.DT_INT32, 32, -2_000_000_000.0, IntType.class,
						PixelType.FLOAT32),
				Arguments.of(order, NiftiHeader.DT_UINT32, 32, 4_000_000_000.0, UnsignedIntType.class,
						PixelType.FLOAT32),
				Arguments.of(order, NiftiHeader.DT_FLOAT32, 32, -1.5e-3, FloatType.class, PixelType.FLOAT32),
				Arguments.of(order, NiftiHeader.DT_FLOAT64, 64, 1.0 / 3, DoubleType.class,
						PixelType.FLOAT32)));
	}

	@ParameterizedTest
	@MethodSource("datatypes")
	void readsEveryDatatypeInBothByteOrders(final ByteOrder order, final int datatype, final int bitpix,
			final double base, final Class<?> type, final PixelType pixelType) throws IOException {
		final NiftiTestFiles f = new NiftiTestFiles();
		f.order = order;
		f.datatype = (short) datatype;
		f.bitpix = (short) bitpix;
		final double[] values = new double[(int) f.voxels()];
		for (int i = 0; i < values.length; i++)
			values[i] = datatype == NiftiHeader.DT_FLOAT32 || datatype == NiftiHeader.DT_FLOAT64 ? base
					* (i + 1) : base + Math.signum(base) * -i;
		final Path file = f.write(dir.resolve("t.nii"), values);

		final NiftiHeader h = NiftiReader.readHeader(file);
		assertEquals(order, h.byteOrder());
		final CalibratedImage<?> img = NiftiReader.read(file);
		assertInstanceOf(type, img.pixels().getType());
		assertEquals(pixelType, img.pixelType());
		assertEquals(List.of(Axis.X, Axis.Y, Axis.Z), img.axes());
		final double[] expected = values.clone();
		if (datatype == NiftiHeader.DT_FLOAT32)
			for (int i = 0; i < expected.length; i++)
				expected[i] = (float) expected[i];
		assertArrayEquals(expected, TestImages.values(img.pixels()));
	}

	@ParameterizedTest
	@ValueSource(strings = { "t.nii", "t.nii.gz" })
	void readsBigEndianFloatVolumeWithCalibration(final String name) throws IOException {
		final NiftiTestFiles f = new NiftiTestFiles();
		f.order = ByteOrder.BIG_ENDIAN;
		f.datatype = NiftiHeader.DT_FLOAT32;
		f.bitpix = 32;
		f.dim = new short[] { 4, 3, 2, 2, 3, 1, 1, 1 };
		f.pixdim = new float[] { 1, 0.5f, 0.75f, 2, 1500, 0, 0, 0 };
		f.xyztUnits = NiftiHeader.UNITS_MICRON | NiftiHeader.UNITS_MSEC;
		f.toffset = 250;
		f.sformCode = 2;
		f.srow = new float[][] { { -0.5f, 0, 0, 90 }, { 0, 0.75f, 0, -126 }, { 0, 0, 2, -72 } };
		f.qformCode = 1;
		f.qoffset = new float[] { 1, 2, 3 };
		f.voxOffset = 400; // extension space the reader must skip
		final Path file = f.write(dir.resolve(name), f.ramp(-10));
		final CalibratedImage<?> img = NiftiReader.read(file);
		assertEquals("t", img.name());
		assertEquals(List.of(Axis.X, Axis.Y, Axis.Z, Axis.TIME), img.axes());
		assertArrayEquals(new double[] { 0.5e-3, 0.75e-3, 2e-3, 1.5 }, img.spacing(), 1e-9);
		// sform wins over qform; translations converted from microns to mm, toffset from ms to s
		assertArrayEquals(new double[] { 0.09, -0.126, -0.072, 0.25 }, img.origin(), 1e-7);
		assertArrayEquals(new String[] { "mm", "mm", "mm", "s" }, img.units());
		assertArrayEquals(f.ramp(-10), TestImages.values(img.pixels()));
		final NiftiHeader h = NiftiReader.readHeader(file);
		assertEquals(-0.5, h.affine()[0][0]);
		assertEquals(90, h.affine()[0][3]);
	}

	@Test
	void usesQformWhenThereIsNoSform() throws IOException {
		final NiftiTestFiles f = new NiftiTestFiles();
		f.qformCode = 1;
		f.pixdim = new float[] { -1, 2, 3, 4, 1, 1, 1, 1 }; // qfac -1 flips z
		// 90 degrees about z: a = cos(45), d = sin(45)
		f.quatern = new float[] { 0, 0, (float) Math.sqrt(0.5) };
		f.qoffset = new float[] { 5, 6, 7 };
		final Path file = f.write(dir.resolve("q.nii"), f.ramp(0));
		final CalibratedImage<?> img = NiftiReader.read(file);
		assertArrayEquals(new double[] { 5, 6, 7 }, img.origin(), 1e-6);
		assertArrayEquals(new double[] { 2, 3, 4 }, img.spacing(), 1e-6);
		final double[][] q = NiftiReader.readHeader(file).affine();
		final double[][] expected = { { 0, -3, 0, 5 }, { 2, 0, 0, 6 }, { 0, 0, -4, 7 }, { 0, 0, 0, 1 } };
		for (int r = 0; r < 4; r++)
			assertArrayEquals(expected[r], q[r], 1e-6, "row " + r + ": " + Arrays.toString(q[r]));
	}

	@Test
	void noTransformGivesZeroOriginAndUnknownUnitsCountAsMm() throws IOException {
		final NiftiTestFiles f = new NiftiTestFiles();
		f.xyztUnits = 0;
		f.pixdim = new float[] { 0, 1.5f, 1.5f, 1.5f, 0, 0, 0, 0 };
		final CalibratedImage<?> img = NiftiReader.read(f.write(dir.resolve("n.nii"), f.ramp(0)));
		assertArrayEquals(new double[3], img.origin());
		assertArrayEquals(new double[] { 1.5, 1.5, 1.5 }, img.spacing(), 1e-7);
		assertArrayEquals(new String[] { "mm", "mm", "mm" }, img.units());
	}

	@Test
	void metresAreConvertedToMm() throws IOException {
		final NiftiTestFiles f = new NiftiTestFiles();
		f.xyztUnits = NiftiHeader.UNITS_METER;
		f.pixdim = new float[] { 1, 0.001f, 0.002f, 0.003f, 0, 0, 0, 0 };
		final CalibratedImage<?> img = NiftiReader.read(f.write(dir.resolve("m.nii"), f.ramp(0)));
		assertArrayEquals(new double[] { 1, 2, 3 }, img.spacing(), 1e-4);
	}

	@Test
	void appliesSlopeAndInterceptAsFloat() throws IOException {
		final NiftiTestFiles f = new NiftiTestFiles();
		f.sclSlope = 2;
		f.sclInter = -1.5f;
		final CalibratedImage<?> img = NiftiReader.read(f.write(dir.resolve("s.nii.gz"), f.ramp(0)));
		assertInstanceOf(FloatType.class, img.pixels().getType());
		assertEquals(PixelType.FLOAT32, img.pixelType());
		final double[] v = TestImages.values(img.pixels());
		for (int i = 0; i < v.length; i++)
			assertEquals(2 * i - 1.5, v[i]);
		// slope 1, intercept 0 is "no scaling": keeps the integer type
		f.sclSlope = 1;
		f.sclInter = 0;
		assertEquals(PixelType.UINT8, NiftiReader.read(f.write(dir.resolve("s1.nii"), f.ramp(0)))
				.pixelType());
	}

	@Test
	void vectorDimensionBecomesChannelAxisAndSingletonsAreDropped() throws IOException {
		final NiftiTestFiles f = new NiftiTestFiles();
		f.dim = new short[] { 5, 2, 3, 1, 1, 3, 1, 1 };
		final CalibratedImage<?> img = NiftiReader.read(f.write(dir.resolve("v.nii"), f.ramp(0)));
		assertEquals(List.of(Axis.X, Axis.Y, Axis.CHANNEL), img.axes());
		assertEquals(3, img.channels());
		assertEquals(2 * 3 + 1, TestImages.at(img, 1, 0, 1));
		assertEquals(1, img.spacing()[2]);
	}

	// -- errors --

	private IOException readFails(final Path file) {
		return assertThrows(IOException.class, () -> NiftiReader.read(file));
	}

	private static void assertMessage(final Exception e, final String... parts) {
		for (final String p : parts)
			assertTrue(e.getMessage().contains(p), "'" + e.getMessage() + "' lacks '" + p + "'");
	}

	@Test
	void rejectsFilesThatAreNotNifti() throws IOException {
		final Path text = Files.writeString(dir.resolve("text.nii"), "hello, this is not an image".repeat(20));
		assertMessage(readFails(text), "text.nii", "not a NIfTI-1 file");
		assertMessage(readFails(Files.writeString(dir.resolve("tiny.nii"), "hi")), "not a NIfTI-1 file");
		assertMessage(readFails(Files.write(dir.resolve("empty.nii"), new byte[0])), "not a NIfTI-1");

		final NiftiTestFiles badMagic = new NiftiTestFiles();
		badMagic.magic = "xyz";
		assertMessage(readFails(badMagic.write(dir.resolve("magic.nii"), badMagic.ramp(0))), "magic",
				"'xyz'");
		final NiftiTestFiles pair = new NiftiTestFiles();
		pair.magic = "ni1";
		assertMessage(readFails(pair.write(dir.resolve("pair.nii"), pair.ramp(0))), ".hdr/.img");
		final NiftiTestFiles nifti2 = new NiftiTestFiles();
		nifti2.sizeofHdr = 540;
		assertMessage(readFails(nifti2.write(dir.resolve("two.nii"), nifti2.ramp(0))), "NIfTI-2");
		assertMessage(assertThrows(IOException.class, () -> NiftiReader.readHeader(dir.resolve(
				"text.nii"))), "not a NIfTI-1 file");
	}

	@Test
	void rejectsCorruptGzip() throws IOException {
		final byte[] junk = { 0x1f, (byte) 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
		assertMessage(readFails(Files.write(dir.resolve("junk.nii.gz"), junk)), "junk.nii.gz");
	}

	@ParameterizedTest
	@ValueSource(strings = { "cut.nii", "cut.nii.gz" })
	void reportsTruncatedData(final String name) throws IOException {
		final NiftiTestFiles f = new NiftiTestFiles();
		f.datatype = NiftiHeader.DT_INT16;
		f.bitpix = 16;
		final byte[] full = f.file(f.ramp(0));
		final byte[] cut = Arrays.copyOf(full, full.length - 5);
		final Path file = dir.resolve(name);
		if (name.endsWith(".gz")) {
			try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
				out.write(cut);
			}
		}
		else {
			Files.write(file, cut);
		}
		assertMessage(readFails(file), "Truncated", name, "expected 48 bytes", "found only 43");
	}

	@Test
	void reportsTruncatedHeaderAndTruncatedGzipStream() throws IOException {
		final NiftiTestFiles f = new NiftiTestFiles();
		final byte[] full = f.file(f.ramp(0));
		assertMessage(readFails(Files.write(dir.resolve("hdr.nii"), Arrays.copyOf(full, 200))),
				"Truncated", "200 of 348");
		// a gzip stream cut in the middle (no gzip trailer)
		final Path gz = f.write(dir.resolve("whole.nii.gz"), f.ramp(0));
		final byte[] compressed = Files.readAllBytes(gz);
		final Path cut = Files.write(dir.resolve("cutgz.nii.gz"), Arrays.copyOf(compressed,
				compressed.length - 12));
		assertMessage(readFails(cut), "cutgz.nii.gz");
	}

	@ParameterizedTest
	@ValueSource(strings = { "huge.nii", "huge.nii.gz" })
	void headerClaimingHugeVolumeFailsAsTruncatedWithoutAllocatingIt(final String name)
			throws IOException {
		final NiftiTestFiles f = new NiftiTestFiles();
		f.datatype = NiftiHeader.DT_FLOAT32;
		f.bitpix = 32;
		f.dim = new short[] { 4, 2000, 2000, 2000, 2000, 1, 1, 1 }; // 64 TB of floats
		final Path file = f.write(dir.resolve(name), new double[100]);
		assertMessage(readFails(file), "Truncated", name, "found only 400");
	}

	@Test
	void namesUnsupportedDatatypes() throws IOException {
		final NiftiTestFiles f = new NiftiTestFiles();
		f.datatype = NiftiHeader.DT_COMPLEX64;
		f.bitpix = 64;
		assertMessage(readFails(f.write(dir.resolve("c.nii"), f.ramp(0))), "complex64", "supported");
		f.datatype = NiftiHeader.DT_RGB24;
		f.bitpix = 24;
		assertMessage(readFails(f.write(dir.resolve("rgb.nii"), f.ramp(0))), "rgb24");
		f.datatype = 99;
		assertMessage(readFails(f.write(dir.resolve("odd.nii"), f.ramp(0))), "99");
		// the header alone can still be read
		assertEquals(99, NiftiReader.readHeader(dir.resolve("odd.nii")).datatype());
	}

	@Test
	void rejectsDimensionsOutOfRange() throws IOException {
		final NiftiTestFiles f = new NiftiTestFiles();
		f.dim = new short[] { 0, 4, 3, 2, 1, 1, 1, 1 };
		assertMessage(readFails(f.write(dir.resolve("d0.nii"))), "dim[0] = 0", "1..7");
		f.dim = new short[] { 8, 4, 3, 2, 1, 1, 1, 1 };
		assertMessage(readFails(f.write(dir.resolve("d8.nii"))), "dim[0] = 8");
		f.dim = new short[] { 3, 4, -3, 2, 1, 1, 1, 1 };
		assertMessage(readFails(f.write(dir.resolve("neg.nii"))), "dimension 2", "-3");
		f.dim = new short[] { 6, 2, 2, 1, 1, 1, 2, 1 };
		assertMessage(readFails(f.write(dir.resolve("six.nii"), new double[8])), "dimension 6",
				"only 5");
	}

	@Test
	void reportsMissingFile() {
		assertMessage(readFails(dir.resolve("nope.nii")), "not found", "nope.nii");
	}
}
