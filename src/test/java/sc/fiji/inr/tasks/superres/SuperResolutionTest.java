package sc.fiji.inr.tasks.superres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;
import sc.fiji.inr.field.ModelOptions;
import sc.fiji.inr.fit.FitOptions;
import sc.fiji.inr.image.Axis;
import sc.fiji.inr.image.CalibratedImage;
import sc.fiji.inr.image.ImageMetrics;
import sc.fiji.inr.image.PixelType;
import sc.fiji.inr.image.SheppLogan;
import sc.fiji.inr.raster.RenderGrid;

class SuperResolutionTest {

	/** The 3D Shepp–Logan phantom, 1 mm voxels: the ground truth of the fusion tests. */
	static CalibratedImage<FloatType> truth(final int size) {
		final CalibratedImage<FloatType> p = SheppLogan.phantom3d(size);
		return new CalibratedImage<>("phantom", p.pixels(), List.of(Axis.X, Axis.Y, Axis.Z), new double[] { 1, 1, 1 },
				new double[3], new String[] { "mm", "mm", "mm" }, PixelType.FLOAT32);
	}

	static List<SuperResolution.Stack> orthogonalStacks(final CalibratedImage<FloatType> truth, final int factor) {
		return List.of(
				StackSimulator.simulate(truth, Orientation.AXIAL, factor, SliceProfile.Kind.BOX, 1, null, 0, 1),
				StackSimulator.simulate(truth, Orientation.CORONAL, factor, SliceProfile.Kind.BOX, 1, null, 0, 2),
				StackSimulator.simulate(truth, Orientation.SAGITTAL, factor, SliceProfile.Kind.BOX, 1, null, 0, 3));
	}

	/** A small hash grid and batch: these tests check behaviour, the benchmark checks quality. */
	static SuperResolution.Settings settings(final int steps, final int batchVoxels) {
		final ModelOptions model = new ModelOptions("hashgrid", 0, 0, 0, 0, 0, 0, 8, 0, 14, 0, 0);
		return new SuperResolution.Settings(model, FitOptions.defaults().withSteps(steps)
				.withLearningRate(model.defaultLearningRate()).withBatchSize(batchVoxels).withEvaluateEvery(1000), null, null, 0, 0,
				false, 0);
	}

	@Test
	void simulatedStacksHaveThickSlicesAlongTheirOwnAxis() {
		final CalibratedImage<FloatType> truth = truth(32);
		final List<SuperResolution.Stack> stacks = orthogonalStacks(truth, 4);
		assertArrayEquals(new long[] { 32, 32, 8 }, stacks.get(0).geometry().size());
		assertEquals(4, stacks.get(1).geometry().spacing(2), 1e-12);
		assertArrayEquals(new double[] { 0, 1, 0 }, stacks.get(1).geometry().direction(2), 1e-12);
		assertArrayEquals(new double[] { 1, 0, 0 }, stacks.get(2).geometry().direction(2), 1e-12);
		// the recorded calibration + orientation gives back the geometry
		assertEquals(stacks.get(2).geometry(), StackGeometry.fromCalibration(stacks.get(2).image(), Orientation.SAGITTAL));
		// a box average of 4 slices: the stack's mean equals the volume's
		assertEquals(mean(truth), mean(stacks.get(0).image()), 1e-4);
	}

	@Test
	void fusionOfThreeStacksBeatsTheirAverage() {
		final CalibratedImage<FloatType> truth = truth(32);
		final List<SuperResolution.Stack> stacks = orthogonalStacks(truth, 4);
		final RenderGrid grid = SuperResolution.fusionGrid(stacks.stream().map(SuperResolution.Stack::geometry).toList(), 1,
				SuperResolution.FieldOfView.UNION);
		assertArrayEquals(new long[] { 32, 32, 32 }, grid.size());
		assertArrayEquals(new double[3], grid.origin(), 1e-9);
		final double average = ImageMetrics.psnr(truth.pixels(),
				SuperResolution.average(stacks, grid, Interpolation.LINEAR).pixels(), 1);
		final SuperResolution.Result fused = SuperResolution.fuse(stacks, grid, settings(300, 2048), null);
		try (var field = fused.field()) {
			final double inr = ImageMetrics.psnr(truth.pixels(), fused.image().pixels(), 1);
			assertTrue(inr > average + 1, "fusion " + inr + " dB vs stack average " + average + " dB");
			assertEquals(3, fused.motions().size());
		}
	}

	@Test
	void alignmentRecoversAShiftedStack() {
		// Three stacks of a 32³ phantom; the coronal one was acquired 1.5 mm off along x and 1 mm
		// along z. Without alignment the field cannot fit all stacks at once; with it, it can,
		// and the fitted motion is the shift.
		final CalibratedImage<FloatType> truth = truth(32);
		final List<SuperResolution.Stack> still = orthogonalStacks(truth, 4);
		final RigidMotion shift = new RigidMotion(new double[3], new double[] { 1.5, 0, 1 }, still.get(1).geometry().centre());
		final List<SuperResolution.Stack> stacks = List.of(still.get(0),
				StackSimulator.simulate(truth, Orientation.CORONAL, 4, SliceProfile.Kind.BOX, 1, shift, 0, 2), still.get(2));
		final RenderGrid grid = SuperResolution.fusionGrid(stacks.stream().map(SuperResolution.Stack::geometry).toList(), 1,
				SuperResolution.FieldOfView.UNION);
		final SuperResolution.Result plain = SuperResolution.fuse(stacks, grid, settings(300, 2048), null);
		plain.field().close();
		final SuperResolution.Result aligned = SuperResolution.fuse(stacks, grid, settings(300, 2048).withAlign(true), null);
		aligned.field().close();
		assertTrue(aligned.fit().psnr() > plain.fit().psnr() + 3,
				"fit PSNR aligned " + aligned.fit().psnr() + " vs not " + plain.fit().psnr());
		final double[] t = aligned.motions().get(1).translation();
		assertEquals(1.5, t[0], 0.5, aligned.motions().get(1).toString());
		assertEquals(0, t[1], 0.5, aligned.motions().get(1).toString());
		assertEquals(1, t[2], 0.5, aligned.motions().get(1).toString());
		assertEquals(0, aligned.motions().get(0).translation()[0], 0, "the first stack is the reference");
		assertTrue(ImageMetrics.psnr(truth.pixels(), aligned.image().pixels(), 1) > ImageMetrics.psnr(truth.pixels(),
				plain.image().pixels(), 1));
	}

	@Test
	void singleImageSuperResolutionRestoresADownsampledImage() {
		// 64² phantom, box-downsampled ×2 (pixels 2 units wide), restored on the 64² grid.
		final CalibratedImage<FloatType> hr = SheppLogan.phantom2d(64);
		final float[] lr = new float[32 * 32];
		for (int y = 0; y < 64; y++)
			for (int x = 0; x < 64; x++)
				lr[x / 2 + 32 * (y / 2)] += value(hr, x, y) / 4;
		final CalibratedImage<FloatType> low = new CalibratedImage<>("low", ArrayImgs.floats(lr, 32, 32), List.of(Axis.X, Axis.Y),
				new double[] { 2, 2 }, new double[] { 0.5, 0.5 }, new String[] { "px", "px" }, PixelType.FLOAT32);
		final RenderGrid grid = SuperResolution.upsampleGrid(low, new double[] { 2 }, null);
		assertArrayEquals(new long[] { 64, 64 }, grid.size());
		assertArrayEquals(new double[] { 0, 0 }, grid.origin(), 1e-9);
		final SuperResolution.Result r = SuperResolution.upsample(low, grid, settings(300, 1024), null);
		try (var field = r.field()) {
			final double inr = ImageMetrics.psnr(hr.pixels(), r.image().pixels(), 1);
			final double nearest = ImageMetrics.psnr(hr.pixels(),
					SuperResolution.interpolate(new SuperResolution.Stack(low, StackGeometry.fromCalibration(low, null)), grid,
							Interpolation.NEAREST).pixels(), 1);
			assertTrue(inr > nearest, "INR " + inr + " dB vs nearest " + nearest + " dB");
			assertTrue(r.fit().psnr() > 25, "fit PSNR against the measured pixels: " + r.fit().psnr());
		}
	}

	@Test
	void badInputIsRefusedWithAMessage() {
		final CalibratedImage<FloatType> truth = truth(16);
		final List<SuperResolution.Stack> stacks = orthogonalStacks(truth, 2);
		// no overlap: the third stack moved 100 mm away
		final CalibratedImage<?> s3 = stacks.get(2).image();
		final SuperResolution.Stack far = new SuperResolution.Stack(s3, StackGeometry.axisAligned(stacks.get(2).geometry().size(),
				new double[] { 1, 1, 2 }, new double[] { 100, 100, 100 }));
		final SuperResolution.Stack near = stacks.get(0);
		var e = assertThrows(IllegalArgumentException.class, () -> SuperResolution.checkFusable(List.of(near, far)));
		assertTrue(e.getMessage().contains("does not overlap"), e.getMessage());
		// 2D image
		final CalibratedImage<FloatType> flat = SheppLogan.phantom2d(16);
		final SuperResolution.Stack flatStack = new SuperResolution.Stack(flat, StackGeometry.fromCalibration(flat, null));
		e = assertThrows(IllegalArgumentException.class, () -> SuperResolution.checkFusable(List.of(near, flatStack)));
		assertTrue(e.getMessage().contains("2D"), e.getMessage());
		// channels differ
		final CalibratedImage<FloatType> two = new CalibratedImage<>("two", ArrayImgs.floats(16, 16, 2, 8),
				List.of(Axis.X, Axis.Y, Axis.CHANNEL, Axis.Z), new double[] { 1, 1, 1, 2 }, new double[4],
				new String[] { "mm", "mm", "", "mm" }, PixelType.FLOAT32);
		final SuperResolution.Stack twoStack = new SuperResolution.Stack(two, StackGeometry.fromCalibration(two, Orientation.AXIAL));
		e = assertThrows(IllegalArgumentException.class, () -> SuperResolution.checkFusable(List.of(near, twoStack)));
		assertTrue(e.getMessage().contains("channel"), e.getMessage());
		// one stack only
		e = assertThrows(IllegalArgumentException.class, () -> SuperResolution.checkFusable(List.of(near)));
		assertTrue(e.getMessage().contains("at least 2"), e.getMessage());
		// scale and voxel size together
		assertThrows(IllegalArgumentException.class, () -> SuperResolution.upsampleGrid(flat, new double[] { 2 }, new double[] { 1 }));
	}

	private static float value(final CalibratedImage<FloatType> img, final int x, final int y) {
		final var a = img.pixels().randomAccess();
		a.setPosition(new long[] { x, y });
		return a.get().get();
	}

	private static double mean(final CalibratedImage<?> img) {
		double s = 0;
		long n = 0;
		for (final var v : net.imglib2.view.Views.flatIterable(img.pixels())) {
			s += v.getRealDouble();
			n++;
		}
		return s / n;
	}
}
