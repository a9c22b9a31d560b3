package sc.fiji.inr.tasks.superres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import net.imglib2.img.array.ArrayImgs;
import sc.fiji.inr.image.Axis;
import sc.fiji.inr.image.CalibratedImage;
import sc.fiji.inr.image.NiftiHeader;
import sc.fiji.inr.image.NiftiReader;
import sc.fiji.inr.image.NiftiWriter;
import sc.fiji.inr.image.PixelType;

class StackGeometryTest {

	private static NiftiHeader header(final double[][] srow, final int sformCode) {
		return new NiftiHeader(ByteOrder.LITTLE_ENDIAN, new int[] { 3, 4, 5, 6, 1, 1, 1, 1 },
				new double[] { 1, 0.9, 0.9, 4, 1, 1, 1, 1 }, NiftiHeader.DT_FLOAT32, 32, 352, 1, 0, NiftiHeader.UNITS_MM, 0, "", "",
				0, 0, sformCode, new double[3], new double[3], srow);
	}

	@Test
	void niftiSformIsTheWorldTransform() {
		// An oblique thick-slice stack: rotated 30° about z, 0.9 × 0.9 × 4 mm.
		final double c = Math.cos(Math.PI / 6), s = Math.sin(Math.PI / 6);
		final double[][] srow = { { 0.9 * c, -0.9 * s, 0, -10 }, { 0.9 * s, 0.9 * c, 0, 20 }, { 0, 0, 4, -30 } };
		final StackGeometry g = StackGeometry.fromNifti(header(srow, 1));
		assertArrayEquals(new long[] { 4, 5, 6 }, g.size());
		assertEquals(0.9, g.spacing(0), 1e-12);
		assertEquals(4, g.spacing(2), 1e-12);
		final double[] world = new double[3];
		g.toWorld(new double[] { 1, 2, 3 }, world);
		assertArrayEquals(new double[] { 0.9 * c - 1.8 * s - 10, 0.9 * s + 1.8 * c + 20, -18 }, world, 1e-12);
		// world → index → world
		final double[][] inv = g.inverse();
		final double[] index = new double[3];
		for (int r = 0; r < 3; r++) index[r] = inv[r][0] * world[0] + inv[r][1] * world[1] + inv[r][2] * world[2] + inv[r][3];
		assertArrayEquals(new double[] { 1, 2, 3 }, index, 1e-12);
		// back to an sform
		final double[][] sform = g.toSform();
		for (int r = 0; r < 3; r++) assertArrayEquals(srow[r], sform[r], 1e-12);
	}

	@Test
	void niftiWithoutSformFallsBackToVoxelSizes() {
		final StackGeometry g = StackGeometry.fromNifti(header(new double[3][4], 0));
		assertEquals(0.9, g.spacing(1), 1e-12);
		assertArrayEquals(new double[] { 0, 0, 1 }, g.direction(2), 1e-12);
	}

	@Test
	void writtenNiftiRoundTripsItsGeometry(@TempDir final Path dir) throws Exception {
		final CalibratedImage<?> img = new CalibratedImage<>("stack", ArrayImgs.floats(3, 4, 5), List.of(Axis.X, Axis.Y, Axis.Z),
				new double[] { 0.5, 0.5, 2 }, new double[] { -4, 7, 1.5 }, new String[] { "mm", "mm", "mm" }, PixelType.FLOAT32);
		final Path file = dir.resolve("stack.nii.gz");
		NiftiWriter.write(img, file);
		final StackGeometry fromFile = StackGeometry.fromNifti(NiftiReader.readHeader(file));
		final StackGeometry fromCalibration = StackGeometry.fromCalibration(NiftiReader.read(file), Orientation.AXIAL);
		assertEquals(fromCalibration, fromFile);
		final double[][] sform = fromFile.toSform();
		assertArrayEquals(new double[] { -4, 7, 1.5 }, new double[] { sform[0][3], sform[1][3], sform[2][3] }, 1e-6);
	}

	@Test
	void orientationsPlaceImageAxesAlongWorldAxes() {
		final CalibratedImage<?> img = new CalibratedImage<>("s", ArrayImgs.floats(10, 20, 5), List.of(Axis.X, Axis.Y, Axis.Z),
				new double[] { 1, 2, 4 }, new double[] { 100, 200, 300 }, new String[] { "mm", "mm", "mm" }, PixelType.FLOAT32);
		final double[] w = new double[3];
		StackGeometry.fromCalibration(img, Orientation.CORONAL).toWorld(new double[] { 1, 1, 1 }, w);
		assertArrayEquals(new double[] { 101, 304, 202 }, w, 1e-12);
		StackGeometry.fromCalibration(img, Orientation.SAGITTAL).toWorld(new double[] { 1, 1, 1 }, w);
		assertArrayEquals(new double[] { 304, 101, 202 }, w, 1e-12);
		assertThrows(IllegalArgumentException.class, () -> Orientation.parse("oblique"));
	}

	@Test
	void motionMovesTheVoxelsRigidly() {
		final StackGeometry g = StackGeometry.axisAligned(new long[] { 10, 10, 4 }, new double[] { 1, 1, 3 }, new double[3]);
		final RigidMotion m = new RigidMotion(new double[] { 0, 0, 90 }, new double[] { 1, 0, 0 }, g.centre());
		final double[] a = new double[3], b = new double[3];
		g.toWorld(new double[] { 0, 0, 0 }, a);
		m.apply(a);
		g.moved(m).toWorld(new double[] { 0, 0, 0 }, b);
		assertArrayEquals(a, b, 1e-12);
		// (0,0,0) is 4.5 mm left and below the centre (4.5, 4.5, 4.5): 90° about z takes it to (9, 0) + 1 in x.
		assertArrayEquals(new double[] { 10, 0, 0 }, b, 1e-12);
		assertEquals(3, g.moved(m).spacing(2), 1e-12);
	}

	@Test
	void overlapIsTestedOnWorldBoxes() {
		final StackGeometry a = StackGeometry.axisAligned(new long[] { 10, 10, 10 }, new double[] { 1, 1, 1 }, new double[3]);
		final StackGeometry b = StackGeometry.axisAligned(new long[] { 10, 10, 10 }, new double[] { 1, 1, 1 }, new double[] { 5, 5, 5 });
		final StackGeometry far = StackGeometry.axisAligned(new long[] { 10, 10, 10 }, new double[] { 1, 1, 1 }, new double[] { 50, 0, 0 });
		assertTrue(a.overlaps(b));
		assertFalse(a.overlaps(far));
		assertThrows(IllegalArgumentException.class,
				() -> new StackGeometry(new long[] { 2, 2, 2 }, new double[][] { { 1, 0, 0, 0 }, { 1, 0, 0, 0 }, { 0, 0, 1, 0 } }));
	}
}
