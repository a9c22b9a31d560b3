package sc.fiji.inr.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;
import sc.fiji.inr.field.FieldFile;
import sc.fiji.inr.field.NeuralField;
import sc.fiji.inr.image.Axis;
import sc.fiji.inr.image.CalibratedImage;
import sc.fiji.inr.image.ImageReader;
import sc.fiji.inr.image.ImageWriter;
import sc.fiji.inr.image.NiftiHeader;
import sc.fiji.inr.image.NiftiReader;
import sc.fiji.inr.image.NiftiWriter;
import sc.fiji.inr.image.PixelType;
import sc.fiji.inr.image.SheppLogan;
import sc.fiji.inr.tasks.superres.Orientation;
import sc.fiji.inr.tasks.superres.SliceProfile;
import sc.fiji.inr.tasks.superres.StackGeometry;
import sc.fiji.inr.tasks.superres.StackSimulator;
import sc.fiji.inr.tasks.superres.SuperResolution;

/**
 * {@code inr superres} and {@code inr fuse}: output sizes and calibration, NIfTI orientation
 * carried through, the baselines, and one-line errors with the right exit codes. Models are tiny
 * and fits short: these check the plumbing, the benchmark checks quality.
 */
class SuperresCliTest {

	@TempDir
	static Path dir;

	static Path small, axial, coronal, sagittal, coronalTiff, sagittalTiff, far, twoChannels, flat;

	/** A tiny hash grid and a short fit on small batches. */
	static final String[] TINY = { "--steps", "30", "--batch", "512", "--log2-table", "12", "--levels", "4", "--quiet" };

	record Run(int code, String out, String err) {}

	static Run run(final String... args) {
		final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
		final int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
		return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	/** {@code args} followed by {@link #TINY}. */
	static String[] tiny(final String... args) {
		final String[] all = java.util.Arrays.copyOf(args, args.length + TINY.length);
		System.arraycopy(TINY, 0, all, args.length, TINY.length);
		return all;
	}

	static String file(final String name) {
		return dir.resolve(name).toString();
	}

	@BeforeAll
	static void images() throws Exception {
		System.setProperty("java.awt.headless", "true");
		final float[] px = new float[24 * 24];
		for (int y = 0; y < 24; y++)
			for (int x = 0; x < 24; x++) px[x + 24 * y] = (float) (50 + 40 * Math.sin(x / 4.0) * Math.cos(y / 5.0));
		small = dir.resolve("small.tif");
		ImageWriter.write(new CalibratedImage<>("small", ArrayImgs.floats(px, 24, 24), List.of(Axis.X, Axis.Y), new double[] { 0.5, 0.5 },
				new double[2], new String[] { "µm", "µm" }, PixelType.FLOAT32), small);

		// three orthogonal stacks of a 16³ phantom (1 mm voxels), slices 2 mm thick
		final CalibratedImage<FloatType> p = SheppLogan.phantom3d(16);
		final CalibratedImage<FloatType> truth = new CalibratedImage<>("phantom", p.pixels(), List.of(Axis.X, Axis.Y, Axis.Z),
				new double[] { 1, 1, 1 }, new double[3], new String[] { "mm", "mm", "mm" }, PixelType.FLOAT32);
		final SuperResolution.Stack a = StackSimulator.simulate(truth, Orientation.AXIAL, 2, SliceProfile.Kind.BOX, 1, null, 0, 1);
		final SuperResolution.Stack c = StackSimulator.simulate(truth, Orientation.CORONAL, 2, SliceProfile.Kind.BOX, 1, null, 0, 2);
		final SuperResolution.Stack s = StackSimulator.simulate(truth, Orientation.SAGITTAL, 2, SliceProfile.Kind.BOX, 1, null, 0, 3);
		axial = dir.resolve("axial.nii.gz");
		coronal = dir.resolve("coronal.nii.gz");
		sagittal = dir.resolve("sagittal.nii");
		NiftiWriter.write(a.image(), axial, a.geometry().toSform());
		NiftiWriter.write(c.image(), coronal, c.geometry().toSform());
		NiftiWriter.write(s.image(), sagittal, s.geometry().toSform());
		coronalTiff = dir.resolve("coronal.tif");
		sagittalTiff = dir.resolve("sagittal.tif");
		ImageWriter.write(c.image(), coronalTiff);
		ImageWriter.write(s.image(), sagittalTiff);

		// the axial stack 100 mm away: overlaps nothing
		final double[][] moved = a.geometry().toSform();
		for (int r = 0; r < 3; r++) moved[r][3] += 100;
		far = dir.resolve("far.nii");
		NiftiWriter.write(a.image(), far, moved);
		// a two-channel stack where the others have one
		final CalibratedImage<FloatType> two = new CalibratedImage<>("two", ArrayImgs.floats(16, 16, 8, 2),
				List.of(Axis.X, Axis.Y, Axis.Z, Axis.CHANNEL), new double[] { 1, 1, 2, 1 }, new double[] { 0, 0, 0.5, 0 },
				new String[] { "mm", "mm", "mm", "" }, PixelType.FLOAT32);
		twoChannels = dir.resolve("two.nii");
		NiftiWriter.write(two, twoChannels);
		flat = dir.resolve("flat.nii");
		NiftiWriter.write(SheppLogan.phantom2d(16), flat);
	}

	// -- superres --

	@Test
	void cubicUpsamplesA2DImageWithItsCalibration() throws Exception {
		final Path out = dir.resolve("small-cubic.tif");
		final Run r = run("superres", small.toString(), "-o", out.toString(), "--method", "cubic");
		assertEquals(0, r.code(), r.err());
		assertTrue(r.out().contains("24×24 → 48×48") && r.out().contains("cubic"), r.out());
		final CalibratedImage<?> img = ImageReader.read(out);
		assertArrayEquals(new long[] { 48, 48 }, img.pixels().dimensionsAsLongArray());
		assertArrayEquals(new double[] { 0.25, 0.25 }, img.spacing(), 1e-9);
		assertArrayEquals(new double[] { -0.125, -0.125 }, img.origin(), 1e-9);
		assertEquals("µm", img.units()[0]);

		// per-axis scale and voxel size
		final Path anisotropic = dir.resolve("small-1x3.nii");
		assertEquals(0, run("superres", small.toString(), "-o", anisotropic.toString(), "--method", "nearest", "--scale", "1,3").code());
		assertArrayEquals(new long[] { 24, 72 }, ImageReader.read(anisotropic).pixels().dimensionsAsLongArray());
		final Path voxel = dir.resolve("small-v.tif");
		assertEquals(0, run("superres", small.toString(), "-o", voxel.toString(), "--method", "lanczos", "--voxel", "0.125").code());
		assertArrayEquals(new long[] { 96, 96 }, ImageReader.read(voxel).pixels().dimensionsAsLongArray());
	}

	@Test
	void inrUpsamplesAndSavesItsField() throws Exception {
		final Path out = dir.resolve("small-inr.tif"), field = dir.resolve("small-inr.inr");
		final Run r = run(tiny("superres", small.toString(), "-o", out.toString(), "--field", field.toString()));
		assertEquals(0, r.code(), r.err());
		assertTrue(r.out().contains("PSNR") && r.out().contains("30 steps") && r.out().contains("48×48"), r.out());
		assertEquals(1, r.out().strip().lines().count(), "one summary line: " + r.out());
		final CalibratedImage<?> img = ImageReader.read(out);
		assertArrayEquals(new long[] { 48, 48 }, img.pixels().dimensionsAsLongArray());
		assertArrayEquals(new double[] { 0.25, 0.25 }, img.spacing(), 1e-9);
		try (NeuralField f = FieldFile.load(field)) {
			assertArrayEquals(new long[] { 48, 48 }, f.frame().size());
		}

		// existing outputs are kept without --force, and nothing is fitted
		final byte[] before = Files.readAllBytes(out);
		final Run again = run(tiny("superres", small.toString(), "-o", out.toString()));
		assertEquals(1, again.code());
		assertTrue(again.err().contains("--force"), again.err());
		assertArrayEquals(before, Files.readAllBytes(out));
		final Path other = dir.resolve("small-inr-2.tif");
		final Run fieldExists = run(tiny("superres", small.toString(), "-o", other.toString(), "--field", field.toString()));
		assertEquals(1, fieldExists.code());
		assertTrue(fieldExists.err().contains("small-inr.inr") && fieldExists.err().contains("--force"), fieldExists.err());
		assertTrue(Files.notExists(other), "no image written when the field path is refused");
	}

	@Test
	void obliqueNiftiKeepsItsOrientationScaled() throws Exception {
		// 8×8×4 voxels of 1 × 1 × 3 mm, rotated (Rz(0.5) · Rx(0.3)) and flipped along x in the world
		final double cz = Math.cos(0.5), sz = Math.sin(0.5), cx = Math.cos(0.3), sx = Math.sin(0.3);
		final double[][] rot = { { cz, -sz * cx, sz * sx }, { sz, cz * cx, -cz * sx }, { 0, sx, cx } };
		final double[] spacing = { -1, 1, 3 }, shift = { 20, -15, 4 };
		final double[][] a = new double[4][4];
		for (int row = 0; row < 3; row++) {
			for (int col = 0; col < 3; col++) a[row][col] = rot[row][col] * spacing[col];
			a[row][3] = shift[row];
		}
		a[3][3] = 1;
		final float[] v = new float[8 * 8 * 4];
		for (int i = 0; i < v.length; i++) v[i] = (float) Math.sin(i * 0.1);
		final CalibratedImage<FloatType> in = new CalibratedImage<>("obl", ArrayImgs.floats(v, 8, 8, 4), List.of(Axis.X, Axis.Y, Axis.Z),
				new double[] { 1, 1, 3 }, new double[] { 20, -15, 4 }, new String[] { "mm", "mm", "mm" }, PixelType.FLOAT32);
		final Path input = dir.resolve("oblique.nii.gz"), out = dir.resolve("oblique-x3.nii.gz");
		NiftiWriter.write(in, input, a);
		final Run r = run("superres", input.toString(), "-o", out.toString(), "--scale", "1,1,3", "--steps", "5", "--batch", "256",
				"--log2-table", "12", "--levels", "4", "--profile", "gaussian", "--thickness", "3", "--quiet");
		assertEquals(0, r.code(), r.err());
		final NiftiHeader h = NiftiReader.readHeader(out);
		assertArrayEquals(new int[] { 8, 8, 12 }, new int[] { h.size(1), h.size(2), h.size(3) });
		// output voxel k along z is input index (k − 1) / 3: the z column shrinks to a third, the
		// origin moves back by a third of it; x and y are unchanged
		final double[][] expected = new double[4][];
		for (int row = 0; row < 4; row++) expected[row] = a[row].clone();
		for (int row = 0; row < 3; row++) {
			expected[row][2] = a[row][2] / 3;
			expected[row][3] = a[row][3] - a[row][2] / 3;
		}
		for (int row = 0; row < 4; row++) assertArrayEquals(expected[row], h.affine()[row], 1e-5, "sform row " + row);
		for (int row = 0; row < 4; row++) assertArrayEquals(expected[row], h.qformAffine()[row], 1e-5, "qform row " + row);

		// TIFF cannot hold the rotation: said so, but written
		final Path tif = dir.resolve("oblique-x3.tif");
		final Run t = run("superres", input.toString(), "-o", tif.toString(), "--method", "linear", "--scale", "1,1,3");
		assertEquals(0, t.code(), t.err());
		assertTrue(t.err().contains("cannot store"), t.err());
		assertArrayEquals(new long[] { 8, 8, 12 }, ImageReader.read(tif).pixels().dimensionsAsLongArray());
	}

	// -- fuse --

	@Test
	void inrFusesThreeNiftiStacksWithAlignment() throws Exception {
		final Path out = dir.resolve("fused.nii.gz"), field = dir.resolve("fused.inr");
		final Run r = run(tiny("fuse", axial.toString(), coronal.toString(), sagittal.toString(), "-o", out.toString(), "--align",
				"--field", field.toString()));
		assertEquals(0, r.code(), r.err());
		assertTrue(r.out().contains("→ 16×16×16, voxel 1 mm") && r.out().contains("PSNR"), r.out());
		assertEquals(3, r.out().lines().filter(l -> l.contains("motion of")).count(), r.out());
		final CalibratedImage<?> img = ImageReader.read(out);
		assertArrayEquals(new long[] { 16, 16, 16 }, img.pixels().dimensionsAsLongArray());
		assertArrayEquals(new double[] { 1, 1, 1 }, img.spacing(), 1e-6);
		assertArrayEquals(new double[3], img.origin(), 1e-6);
		try (NeuralField f = FieldFile.load(field)) {
			assertEquals(3, f.frame().numDimensions());
		}
	}

	@Test
	void averageWorksAndTiffStacksTakeAnOrientation() throws Exception {
		final Path nifti = dir.resolve("average.nii"), mixed = dir.resolve("average-mixed.nii");
		final Run r = run("fuse", axial.toString(), coronal.toString(), sagittal.toString(), "-o", nifti.toString(), "--method",
				"average", "--interpolation", "linear");
		assertEquals(0, r.code(), r.err());
		assertTrue(r.out().contains("average of linear"), r.out());
		final Run m = run("fuse", axial.toString(), coronalTiff.toString(), sagittalTiff.toString(), "-o", mixed.toString(), "--method",
				"average", "--interpolation", "linear", "--orientation", "header,coronal,sagittal");
		assertEquals(0, m.code(), m.err());
		// the TIFF stacks, placed by calibration + orientation, land where their NIfTI twins do
		final CalibratedImage<?> a = ImageReader.read(nifti), b = ImageReader.read(mixed);
		assertArrayEquals(new long[] { 16, 16, 16 }, b.pixels().dimensionsAsLongArray());
		assertArrayEquals(values(a), values(b), 1e-5f);

		final Path coarse = dir.resolve("average-2mm.tif");
		final Run c = run("fuse", axial.toString(), coronal.toString(), "-o", coarse.toString(), "--method", "average", "--voxel", "2",
				"--fov", "first");
		assertEquals(0, c.code(), c.err());
		final CalibratedImage<?> img = ImageReader.read(coarse);
		assertArrayEquals(new long[] { 8, 8, 8 }, img.pixels().dimensionsAsLongArray());
		assertArrayEquals(new double[] { 2, 2, 2 }, img.spacing(), 1e-6);
	}

	private static float[] values(final CalibratedImage<?> img) {
		final float[] v = new float[(int) img.pixels().size()];
		int i = 0;
		for (final var p : Views.flatIterable(img.pixels())) v[i++] = p.getRealFloat();
		return v;
	}

	// -- errors --

	private static void assertFails(final int code, final String expected, final String... args) {
		final Run r = run(args);
		assertEquals(code, r.code(), r.err());
		assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
		assertEquals(1, r.err().strip().lines().count(), "one-line message: " + r.err());
	}

	@Test
	void badFuseInputGivesOneLineErrorsAndExitCodes() {
		final String out = file("bad-fuse.nii"), a = axial.toString(), c = coronal.toString(), s = sagittal.toString();
		assertFails(2, "at least 2 stacks", "fuse", a, "-o", out);
		assertFails(1, "is 2D", "fuse", a, flat.toString(), "-o", out, "--method", "average");
		assertFails(1, "different channel counts", "fuse", a, twoChannels.toString(), "-o", out);
		assertFails(1, "does not overlap", "fuse", a, c, far.toString(), "-o", out, "--method", "average");
		assertFails(2, "one entry per stack", "fuse", a, c, s, "-o", out, "--orientation", "header,header");
		assertFails(2, "Unknown orientation 'oblique'", "fuse", a, coronalTiff.toString(), "-o", out, "--orientation", "header,oblique");
		assertFails(2, "is NIfTI", "fuse", a, coronalTiff.toString(), "-o", out, "--orientation", "axial,coronal");
		assertFails(2, "is not NIfTI", "fuse", a, coronalTiff.toString(), "-o", out, "--orientation", "header,header");
		assertFails(2, "give --orientation", "fuse", a, coronalTiff.toString(), "-o", out);
		assertFails(2, "Unknown method 'median'", "fuse", a, c, "-o", out, "--method", "median");
		assertFails(2, "Unknown slice profile 'triangle'", "fuse", a, c, "-o", out, "--profile", "triangle");
		assertFails(2, "Unknown interpolation 'sinc'", "fuse", a, c, "-o", out, "--method", "average", "--interpolation", "sinc");
		assertFails(2, "--interpolation applies to --method average", "fuse", a, c, "-o", out, "--interpolation", "cubic");
		assertFails(2, "--align applies to --method inr", "fuse", a, c, "-o", out, "--method", "average", "--align");
		assertFails(2, "--steps applies to --method inr only", "fuse", a, c, "-o", out, "--method", "average", "--steps", "5");
		assertFails(2, "Unknown field of view 'all'", "fuse", a, c, "-o", out, "--fov", "all");
		assertFails(2, "--voxel needs a positive", "fuse", a, c, "-o", out, "--voxel", "-1");
		assertFails(1, "not found", "fuse", a, file("missing.nii"), "-o", out);
		assertTrue(Files.notExists(Path.of(out)), "no output written on failure");
	}

	@Test
	void badSuperresInputGivesOneLineErrorsAndExitCodes() {
		final String out = file("bad-superres.tif"), in = small.toString();
		assertFails(2, "Unknown method 'bicubic'", "superres", in, "-o", out, "--method", "bicubic");
		assertFails(2, "either --scale or --voxel", "superres", in, "-o", out, "--scale", "2", "--voxel", "0.1");
		assertFails(2, "needs 1 or 2 values", "superres", in, "-o", out, "--method", "cubic", "--scale", "1,2,3");
		assertFails(2, "positive", "superres", in, "-o", out, "--scale", "0");
		assertFails(2, "--steps, --field apply to --method inr only", "superres", in, "-o", out, "--method", "cubic", "--steps", "9",
				"--field", file("x.inr"));
		assertFails(2, "is 2D", "superres", in, "-o", out, "--profile", "gaussian");
		assertFails(2, "ending in .inr", "superres", in, "-o", out, "--field", file("x.tif"));
		assertFails(2, "Cannot write", "superres", in, "-o", file("bad.png"));
		assertFails(2, "needs exactly one input image", "superres", in, in, "-o", out);
		assertFails(1, "not found", "superres", file("missing.tif"), "-o", out);
		assertTrue(Files.notExists(Path.of(out)), "no output written on failure");
	}

	@Test
	void theAffineOfAnAxisAlignedInputIsTheCalibration() {
		// the sform formula reduces to diag(spacing) + origin when the input has no rotation
		final CalibratedImage<FloatType> img = new CalibratedImage<>("a", ArrayImgs.floats(4, 4, 2), List.of(Axis.X, Axis.Y, Axis.Z),
				new double[] { 1, 2, 3 }, new double[] { 5, 6, 7 }, new String[] { "mm", "mm", "mm" }, PixelType.FLOAT32);
		final var grid = SuperResolution.upsampleGrid(img, new double[] { 2 }, null);
		final StackGeometry g = StackGeometry.fromCalibration(img, null);
		final NiftiHeader header = new NiftiHeader(java.nio.ByteOrder.LITTLE_ENDIAN, new int[] { 3, 4, 4, 2, 1, 1, 1, 1 },
				new double[] { 1, 1, 2, 3, 1, 1, 1, 1 }, NiftiHeader.DT_FLOAT32, 32, 352, 1, 0, NiftiHeader.UNITS_MM, 0, "", "", 0, 0, 1,
				new double[3], new double[3], java.util.Arrays.copyOf(g.toSform(), 3));
		final double[][] sform = SuperresVerb.outputSform(header, img, grid);
		for (int d = 0; d < 3; d++) {
			assertEquals(grid.spacing()[d], sform[d][d], 1e-12);
			assertEquals(grid.origin()[d], sform[d][3], 1e-12);
		}
		assertTrue(SuperresVerb.isAxisAligned(sform));
	}
}
