package sc.fiji.inr.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link NiftiWriter#write(CalibratedImage, Path, double[][])}: an oblique or flipped grid
 * survives the round trip through the header, in the sform and, where a quaternion can hold it,
 * in the qform too.
 */
class NiftiAffineWriteTest {

	@TempDir
	Path dir;

	/** R · diag(spacing) + translation, R = Rz(γ) · Ry(β) · Rx(α), the last axis flipped when {@code flip}. */
	static double[][] affine(final double alpha, final double beta, final double gamma, final double[] spacing,
			final double[] translation, final boolean flip) {
		final double ca = Math.cos(alpha), sa = Math.sin(alpha), cb = Math.cos(beta), sb = Math.sin(beta), cc = Math.cos(gamma),
				sc = Math.sin(gamma);
		final double[][] r = { { cb * cc, sa * sb * cc - ca * sc, ca * sb * cc + sa * sc },
				{ cb * sc, sa * sb * sc + ca * cc, ca * sb * sc - sa * cc }, { -sb, sa * cb, ca * cb } };
		final double[][] a = new double[4][4];
		for (int i = 0; i < 3; i++) {
			for (int j = 0; j < 3; j++) a[i][j] = r[i][j] * spacing[j] * (flip && j == 2 ? -1 : 1);
			a[i][3] = translation[i];
		}
		a[3][3] = 1;
		return a;
	}

	private static CalibratedImage<?> volume(final double[] spacing) {
		final CalibratedImage<?> img = TestImages.image("oblique", List.of(Axis.X, Axis.Y, Axis.Z), PixelType.FLOAT32, i -> i, 5, 4, 3);
		return new CalibratedImage<>("oblique", img.pixels(), img.axes(), spacing, new double[3], new String[] { "mm", "mm", "mm" },
				PixelType.FLOAT32);
	}

	private static void assertAffine(final double[][] expected, final double[][] actual, final double tolerance) {
		for (int r = 0; r < 4; r++) assertArrayEquals(expected[r], actual[r], tolerance, "row " + r);
	}

	private NiftiHeader roundTrip(final CalibratedImage<?> img, final double[][] sform, final String name) throws IOException {
		final Path file = dir.resolve(name);
		NiftiWriter.write(img, file, sform);
		return NiftiReader.readHeader(file);
	}

	@Test
	void obliqueRotationRoundTripsThroughSformAndQform() throws IOException {
		final double[] spacing = { 0.9, 1.1, 4 };
		final double[][] a = affine(0.3, -0.2, 0.7, spacing, new double[] { 12.5, -30, 7.25 }, false);
		final NiftiHeader h = roundTrip(volume(spacing), a, "rot.nii.gz");
		assertEquals(NiftiHeader.XFORM_SCANNER_ANAT, h.sformCode());
		assertEquals(NiftiHeader.XFORM_SCANNER_ANAT, h.qformCode());
		assertAffine(a, h.affine(), 1e-5);
		assertAffine(a, h.qformAffine(), 1e-5);
		assertEquals(1, h.pixdim()[0]);
		assertArrayEquals(spacing, new double[] { h.pixdim()[1], h.pixdim()[2], h.pixdim()[3] }, 1e-6);
		// the reader's calibration: voxel sizes from pixdim, origin from the translation
		final CalibratedImage<?> back = NiftiReader.read(dir.resolve("rot.nii.gz"));
		assertArrayEquals(spacing, back.spacing(), 1e-6);
		assertArrayEquals(new double[] { 12.5, -30, 7.25 }, back.origin(), 1e-5);
	}

	@Test
	void flippedGridUsesQfac() throws IOException {
		final double[] spacing = { 1, 1, 3 };
		final double[][] a = affine(0.1, 0.4, -2.5, spacing, new double[] { -90, 126, -72 }, true);
		final NiftiHeader h = roundTrip(volume(spacing), a, "flip.nii");
		assertEquals(-1, h.pixdim()[0]);
		assertEquals(NiftiHeader.XFORM_SCANNER_ANAT, h.qformCode());
		assertAffine(a, h.affine(), 1e-5);
		assertAffine(a, h.qformAffine(), 1e-5);
	}

	@Test
	void halfTurnsAndAxisSwapsNeedTheOtherQuaternionBranches() throws IOException {
		// radiological LPS-style grids and permuted axes: trace ≤ -0.5, where a ≈ 0
		final double[][][] cases = {
				{ { -1, 0, 0, 10 }, { 0, -1, 0, 20 }, { 0, 0, 2, 30 }, { 0, 0, 0, 1 } },
				{ { 1, 0, 0, 0 }, { 0, -1, 0, 0 }, { 0, 0, -2, 0 }, { 0, 0, 0, 1 } },
				{ { -1, 0, 0, 0 }, { 0, 1, 0, 0 }, { 0, 0, -2, 0 }, { 0, 0, 0, 1 } },
				{ { 0, 0, 2, 1 }, { 1, 0, 0, 2 }, { 0, 1, 0, 3 }, { 0, 0, 0, 1 } },
				{ { 0, 1, 0, 1 }, { 1, 0, 0, 2 }, { 0, 0, 2, 3 }, { 0, 0, 0, 1 } },
				affine(Math.PI, 0, 0.01, new double[] { 1, 1, 2 }, new double[3], false),
				affine(0, Math.PI - 0.01, 0, new double[] { 1, 1, 2 }, new double[3], true) };
		for (int i = 0; i < cases.length; i++) {
			final double[] spacing = new double[3];
			for (int c = 0; c < 3; c++)
				spacing[c] = Math.sqrt(cases[i][0][c] * cases[i][0][c] + cases[i][1][c] * cases[i][1][c] + cases[i][2][c] * cases[i][2][c]);
			final NiftiHeader h = roundTrip(volume(spacing), cases[i], "case" + i + ".nii");
			assertEquals(NiftiHeader.XFORM_SCANNER_ANAT, h.qformCode(), "case " + i);
			assertAffine(cases[i], h.affine(), 1e-5);
			// Near a half turn the quaternion's a (≈ 0) is implied by float b, c, d: NIfTI-1's qform
			// itself holds such grids only to about 1e-5, the sform (stored directly) is exact to float.
			assertAffine(cases[i], h.qformAffine(), i < 5 ? 1e-6 : 1e-4);
		}
	}

	@Test
	void shearKeepsTheSformAndDropsTheQform() throws IOException {
		final double[][] a = { { 1, 0.3, 0, 5 }, { 0, 1, 0, 6 }, { 0, 0, 2, 7 }, { 0, 0, 0, 1 } };
		final NiftiHeader h = roundTrip(volume(new double[] { 1, 1, 2 }), a, "shear.nii");
		assertEquals(NiftiHeader.XFORM_SCANNER_ANAT, h.sformCode());
		assertEquals(NiftiHeader.XFORM_UNKNOWN, h.qformCode());
		assertAffine(a, h.affine(), 1e-6);
	}

	@Test
	void sformInMmIsConvertedToTheFilesUnit() throws IOException {
		final CalibratedImage<?> img = volume(new double[] { 1, 1, 1 });
		final CalibratedImage<?> microns = new CalibratedImage<>("um", img.pixels(), img.axes(), new double[] { 0.2, 0.2, 0.5 },
				new double[3], new String[] { "µm", "µm", "µm" }, PixelType.FLOAT32);
		final double[][] mm = affine(0, 0, 0.5, new double[] { 2e-4, 2e-4, 5e-4 }, new double[] { 0.01, 0.02, 0.03 }, false);
		final NiftiHeader h = roundTrip(microns, mm, "um.nii");
		assertEquals(NiftiHeader.UNITS_MICRON, h.spatialUnits());
		final double[][] back = h.affine();
		for (int r = 0; r < 3; r++)
			for (int c = 0; c < 4; c++) back[r][c] *= h.spatialScaleToMm();
		assertAffine(mm, back, 1e-9);
		assertEquals(0.2, h.pixdim()[1], 1e-6);
	}

	@Test
	void theAxisAlignedSformGivesWhatThePlainWriterWrites() throws IOException {
		final CalibratedImage<?> img = TestImages.image("plain", List.of(Axis.X, Axis.Y, Axis.Z), PixelType.INT16, i -> i, 4, 3, 2);
		final Path plain = dir.resolve("plain.nii");
		NiftiWriter.write(img, plain);
		final NiftiHeader expected = NiftiReader.readHeader(plain);
		final NiftiHeader h = roundTrip(img, expected.sformAffine(), "explicit.nii");
		assertEquals(expected, h);
	}

	@Test
	void badSformsAreRefused() {
		final CalibratedImage<?> img = volume(new double[] { 1, 1, 1 });
		final Path file = dir.resolve("bad.nii");
		final double[][] threeRows = { { 1, 0, 0, 0 }, { 0, 1, 0, 0 }, { 0, 0, 1, 0 } };
		final double[][] lastRow = { { 1, 0, 0, 0 }, { 0, 1, 0, 0 }, { 0, 0, 1, 0 }, { 0, 0, 1, 1 } };
		final double[][] singular = { { 1, 1, 0, 0 }, { 0, 0, 0, 0 }, { 0, 0, 1, 0 }, { 0, 0, 0, 1 } };
		final double[][] nan = { { Double.NaN, 0, 0, 0 }, { 0, 1, 0, 0 }, { 0, 0, 1, 0 }, { 0, 0, 0, 1 } };
		for (final double[][] s : List.of(threeRows, lastRow, singular, nan)) {
			final var e = assertThrows(IllegalArgumentException.class, () -> NiftiWriter.write(img, file, s));
			assertTrue(e.getMessage().contains("sform"), e.getMessage());
		}
		assertThrows(IllegalArgumentException.class, () -> NiftiWriter.write(img, dir.resolve("bad.tif"), threeRows));
	}
}
