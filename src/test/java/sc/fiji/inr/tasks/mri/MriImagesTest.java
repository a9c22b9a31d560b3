package sc.fiji.inr.tasks.mri;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;
import sc.fiji.inr.image.Axis;
import sc.fiji.inr.image.CalibratedImage;
import sc.fiji.inr.image.PixelType;

/** How a k-space image carries the pixel size of its image, and the mask of a k-space's nonzero samples. */
class MriImagesTest {

	@Test
	void aCalibratedImageGivesAKSpaceInCyclesPerUnitThatReadsBack() {
		final KSpace k = KSpace.fromImage(new float[12 * 8], 12, 8);
		final MriReconstruction.Calibration c = new MriReconstruction.Calibration(0.5, "mm");
		final CalibratedImage<?> image = MriImages.kspaceImage(k, c, "k");
		assertArrayEquals(new double[] { 1 / 6.0, 1 / 4.0, 1 }, image.spacing(), 1e-12);
		assertArrayEquals(new double[] { -1, -1, 0 }, image.origin(), 1e-12);
		assertEquals("cycles/mm", image.units()[0]);
		assertEquals(c, MriImages.calibration(image));
		final CalibratedImage<?> mask = MriImages.maskImage(SamplingMask.full(12, 8), c, "m");
		assertEquals(c, MriImages.calibration(mask));
		assertEquals(PixelType.UINT8, mask.pixelType());
		// no physical calibration: cycles per field of view, 1 pixel
		final CalibratedImage<?> plain = MriImages.kspaceImage(k, MriReconstruction.Calibration.pixels(), "k");
		assertEquals("cycles/FOV", plain.units()[0]);
		assertEquals(MriReconstruction.Calibration.pixels(), MriImages.calibration(plain));
		// a TIFF round trip stores 1/6 as a fraction that comes back slightly off
		final CalibratedImage<FloatType> tiff = new CalibratedImage<>("t", ArrayImgs.floats(12, 8), List.of(Axis.X, Axis.Y),
				new double[] { 0.16666671, 0.24999993 }, new double[2], new String[] { "cycles/mm", "cycles/mm" }, PixelType.FLOAT32);
		assertEquals(0.5, MriImages.calibration(tiff).pixelSize());
	}

	@Test
	void imageCalibrationNeedsSquarePixels() {
		final CalibratedImage<FloatType> image = new CalibratedImage<>("i", ArrayImgs.floats(4, 4), List.of(Axis.X, Axis.Y),
				new double[] { 0.5, 0.5 }, new double[2], new String[] { "µm", "µm" }, PixelType.FLOAT32);
		assertEquals(new MriReconstruction.Calibration(0.5, "µm"), MriImages.imageCalibration(image));
		final CalibratedImage<FloatType> pixels = new CalibratedImage<>("p", ArrayImgs.floats(4, 4), List.of(Axis.X, Axis.Y),
				new double[] { 1, 2 }, new double[2], new String[] { "pixel", "pixel" }, PixelType.FLOAT32);
		assertEquals(MriReconstruction.Calibration.pixels(), MriImages.imageCalibration(pixels));
		final CalibratedImage<FloatType> oblong = new CalibratedImage<>("o", ArrayImgs.floats(4, 4), List.of(Axis.X, Axis.Y),
				new double[] { 0.5, 1 }, new double[2], new String[] { "mm", "mm" }, PixelType.FLOAT32);
		assertTrue(assertThrows(IllegalArgumentException.class, () -> MriImages.imageCalibration(oblong)).getMessage()
				.contains("square"));
	}

	@Test
	void theNonzeroMaskIsWhereTheKSpaceHoldsData() {
		final SamplingMask mask = SamplingMask.cartesian(16, 16, 4, 0.1, 3);
		final float[] image = new float[256];
		for (int i = 0; i < image.length; i++) image[i] = (float) (1 + Math.sin(i * 0.37));
		final KSpace k = MriSimulator.simulate(image, 16, 16, mask, 0.01, 1);
		assertArrayEquals(mask.sampled(), MriImages.nonzero(k).sampled());
		assertEquals(16, MriImages.nonzero(k).height());
	}
}
