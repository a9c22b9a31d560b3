package sc.fiji.inr.tasks.superres;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;
import java.util.function.ToDoubleFunction;

import org.junit.jupiter.api.Test;

import net.imglib2.Cursor;
import net.imglib2.RandomAccess;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;
import sc.fiji.inr.image.Axis;
import sc.fiji.inr.image.CalibratedImage;
import sc.fiji.inr.image.PixelType;
import sc.fiji.inr.raster.RenderGrid;

class ResamplerTest {

	private static final List<Axis> XYZ = List.of(Axis.X, Axis.Y, Axis.Z);

	/** An image with {@code axes} and {@code dims}, pixel values {@code value(position)}, spacing 1 and origin 0. */
	private static CalibratedImage<FloatType> image(final String name, final List<Axis> axes, final long[] dims,
			final ToDoubleFunction<long[]> value) {
		final ArrayImg<FloatType, ?> img = ArrayImgs.floats(dims);
		final Cursor<FloatType> c = img.localizingCursor();
		final long[] p = new long[dims.length];
		while (c.hasNext()) {
			c.fwd();
			c.localize(p);
			c.get().setReal(value.applyAsDouble(p));
		}
		final double[] ones = new double[dims.length];
		Arrays.fill(ones, 1);
		final String[] units = new String[dims.length];
		Arrays.fill(units, "mm");
		return new CalibratedImage<>(name, img, axes, ones, new double[dims.length], units, PixelType.UINT16);
	}

	/** A stack whose voxel values are {@code g(world position)} under {@code geometry}. */
	private static CalibratedImage<FloatType> sampled(final StackGeometry geometry, final ToDoubleFunction<double[]> g) {
		final int n = geometry.numDimensions();
		return image("s", XYZ.subList(0, n), geometry.size(), p -> {
			final double[] index = new double[n], world = new double[n];
			for (int d = 0; d < n; d++) index[d] = p[d];
			geometry.toWorld(index, world);
			return g.applyAsDouble(world);
		});
	}

	private static double at(final CalibratedImage<FloatType> img, final long... pos) {
		final RandomAccess<FloatType> ra = img.pixels().randomAccess();
		ra.setPosition(pos);
		return ra.get().get();
	}

	/** World position of target voxel {@code p}. */
	private static double[] world(final RenderGrid grid, final long[] p) {
		final double[] w = new double[p.length];
		for (int d = 0; d < p.length; d++) w[d] = grid.origin()[d] + p[d] * grid.spacing()[d];
		return w;
	}

	/** Calls {@code check} with every voxel position of the (channel-free) result and its world position. */
	private static void forEachVoxel(final CalibratedImage<FloatType> img, final RenderGrid grid,
			final BiConsumer<double[], Double> check) {
		final Cursor<FloatType> c = img.pixels().localizingCursor();
		final long[] p = new long[grid.numDimensions()];
		while (c.hasNext()) {
			c.fwd();
			c.localize(p);
			check.accept(world(grid, p), (double) c.get().get());
		}
	}

	@Test
	void ownGridIsReproducedExactlyByEveryMethod() {
		final SplittableRandom random = new SplittableRandom(7);
		for (final long[] size : new long[][] { { 7, 6, 5 }, { 9, 8 } }) {
			final int n = size.length;
			final double[] spacing = { 0.7, 1.1, 2.3 }, origin = { 1.3, -2.2, 0.4 };
			final StackGeometry g = StackGeometry.axisAligned(size, Arrays.copyOf(spacing, n),
					Arrays.copyOf(origin, n));
			final CalibratedImage<FloatType> stack = image("own", XYZ.subList(0, n), size, p -> random.nextDouble(-50, 50));
			final RenderGrid grid = new RenderGrid(size, Arrays.copyOf(origin, n), Arrays.copyOf(spacing, n));
			for (final Interpolation m : Interpolation.values()) {
				final CalibratedImage<FloatType> out = Resampler.resample(stack, g, grid, m, Double.NaN);
				assertArrayEquals(size, out.pixels().dimensionsAsLongArray());
				final Cursor<FloatType> a = stack.pixels().cursor(), b = out.pixels().cursor();
				while (a.hasNext()) assertEquals(a.next().get(), b.next().get(), 0, m + " " + n + "D");
			}
		}
	}

	@Test
	void linearAndCubicReproduceALinearFunctionBetweenVoxels() {
		final StackGeometry g = StackGeometry.axisAligned(new long[] { 8, 9, 7 }, new double[] { 1, 0.8, 2 }, new double[] { 0, 1, -3 });
		final ToDoubleFunction<double[]> f = w -> 2 + 0.5 * w[0] - 0.3 * w[1] + 0.8 * w[2];
		final CalibratedImage<FloatType> stack = sampled(g, f);
		// Off-grid points from index 1.1 to ~5.9 along each axis: interior for the 4-tap cubic too.
		final RenderGrid grid = new RenderGrid(new long[] { 13, 11, 9 }, new double[] { 1.1, 1.88, -0.8 }, new double[] { 0.37, 0.29, 0.41 });
		for (final Interpolation m : List.of(Interpolation.LINEAR, Interpolation.CUBIC))
			forEachVoxel(Resampler.resample(stack, g, grid, m, Double.NaN), grid,
					(w, v) -> assertEquals(f.applyAsDouble(w), v, 1e-5, m + " at " + Arrays.toString(w)));
	}

	@Test
	void cubicReproducesAQuadraticInTheInterior() {
		final StackGeometry g = StackGeometry.axisAligned(new long[] { 9, 8, 10 }, new double[] { 1, 1.5, 0.5 }, new double[] { 0, 0, 0 });
		final ToDoubleFunction<double[]> f = w -> 1 + 0.1 * w[0] * w[0] - 0.2 * w[0] * w[1] + 0.3 * w[2] * w[2] - w[1] + 0.05 * w[1] * w[1] * w[2];
		final CalibratedImage<FloatType> stack = sampled(g, f);
		// Indices in [1, size - 2]: all four taps inside the stack.
		final RenderGrid grid = new RenderGrid(new long[] { 12, 10, 11 }, new double[] { 1.05, 1.6, 0.55 }, new double[] { 0.51, 0.77, 0.33 });
		forEachVoxel(Resampler.resample(stack, g, grid, Interpolation.CUBIC, Double.NaN), grid,
				(w, v) -> assertEquals(f.applyAsDouble(w), v, 2e-5 * Math.max(1, Math.abs(v)), "at " + Arrays.toString(w)));
		// Linear interpolation does not (it overestimates a convex function between voxels).
		final double linear = at(Resampler.resample(stack, g, grid, Interpolation.LINEAR, Double.NaN), 1, 0, 0);
		assertTrue(linear > f.applyAsDouble(world(grid, new long[] { 1, 0, 0 })) + 1e-3);
	}

	@Test
	void nearestPicksTheClosestVoxel() {
		final StackGeometry g = StackGeometry.axisAligned(new long[] { 6, 3 }, new double[] { 2, 1 }, new double[] { 10, 0 });
		final CalibratedImage<FloatType> stack = image("n", XYZ.subList(0, 2), g.size(), p -> 100 * p[1] + p[0]);
		// x = 9.2, 9.86, ..., 22.4: stack index (x - 10) / 2 = -0.4, -0.07, ..., 6.2 (no ties)
		final RenderGrid grid = new RenderGrid(new long[] { 21, 3 }, new double[] { 9.2, 0 }, new double[] { 0.66, 1 });
		final CalibratedImage<FloatType> out = Resampler.resample(stack, g, grid, Interpolation.NEAREST, -1);
		for (int i = 0; i < 21; i++) {
			final double index = (9.2 + 0.66 * i - 10) / 2;
			assertEquals(index > 5.5 ? -1 : 100 * 2 + Math.round(index), at(out, i, 2), "x index " + index);
		}
	}

	@Test
	void permutedAndFlippedGeometryIsFollowed() {
		// Index i runs along world y, j along world -z, k along world x.
		final long[] size = { 6, 5, 4 };
		final StackGeometry g = new StackGeometry(size, new double[][] { { 0, 0, 2, 1 }, { 0.8, 0, 0, -1 }, { 0, -1.5, 0, 3 } });
		final ToDoubleFunction<double[]> f = w -> 5 + w[0] - 2 * w[1] + 0.5 * w[2];
		final CalibratedImage<FloatType> stack = sampled(g, f);
		// The stack's own voxels, as an axis-aligned world grid: output (x, y, z) is stack (y, 4 - z, x).
		final RenderGrid own = new RenderGrid(new long[] { 4, 6, 5 }, new double[] { 1, -1, 3 - 1.5 * 4 }, new double[] { 2, 0.8, 1.5 });
		final CalibratedImage<FloatType> out = Resampler.resample(stack, g, own, Interpolation.NEAREST, Double.NaN);
		for (int x = 0; x < 4; x++)
			for (int y = 0; y < 6; y++)
				for (int z = 0; z < 5; z++)
					assertEquals(at(stack, y, 4 - z, x), at(out, x, y, z), 0);
		// Off-grid with linear interpolation: the stack's box is x ∈ [0, 8], y ∈ [-1.4, 3.4], z ∈ [-3.75, 3.75], and
		// the function is reproduced exactly between its outermost voxel centres, x ∈ [1, 7], y ∈ [-1, 3], z ∈ [-3, 3].
		final RenderGrid grid = new RenderGrid(new long[] { 12, 10, 9 }, new double[] { -1.03, -2.01, -5.02 }, new double[] { 0.9, 0.6, 1.1 });
		final int[] counts = new int[2];
		forEachVoxel(Resampler.resample(stack, g, grid, Interpolation.LINEAR, -7), grid, (w, v) -> {
			final String where = "at " + Arrays.toString(w);
			if (w[0] >= 1 && w[0] <= 7 && w[1] >= -1 && w[1] <= 3 && w[2] >= -3 && w[2] <= 3) {
				assertEquals(f.applyAsDouble(w), v, 1e-5, where);
				counts[0]++;
			}
			else if (w[0] >= 0 && w[0] <= 8 && w[1] >= -1.4 && w[1] <= 3.4 && w[2] >= -3.75 && w[2] <= 3.75) assertTrue(v != -7, where);
			else {
				assertEquals(-7, v, where);
				counts[1]++;
			}
		});
		assertTrue(counts[0] > 50 && counts[1] > 50, Arrays.toString(counts));
	}

	@Test
	void pointsOutsideTheStackGetTheOutsideValue() {
		final StackGeometry g = StackGeometry.axisAligned(new long[] { 4, 4 }, new double[] { 1, 1 }, new double[] { 0, 0 });
		final CalibratedImage<FloatType> stack = image("o", XYZ.subList(0, 2), g.size(), p -> 3);
		// Centres at -2 ... 5: the stack's box is [-0.5, 3.5], and its faces count as inside.
		final RenderGrid grid = new RenderGrid(new long[] { 15, 1 }, new double[] { -2, 1 }, new double[] { 0.5, 1 });
		for (final Interpolation m : Interpolation.values()) {
			final CalibratedImage<FloatType> zero = Resampler.resample(stack, g, grid, m, 0);
			final CalibratedImage<FloatType> nan = Resampler.resample(stack, g, grid, m, Double.NaN);
			for (int i = 0; i < 15; i++) {
				final double x = -2 + 0.5 * i;
				final boolean inside = x >= -0.5 && x <= 3.5;
				assertEquals(inside ? 3 : 0, at(zero, i, 0), 1e-6, m + " at " + x);
				assertEquals(inside ? 3 : Double.NaN, at(nan, i, 0), 1e-6, m + " at " + x);
			}
		}
	}

	@Test
	void channelsAreResampledAndPlacedAfterY() {
		// Channels first in the stack; the result has ImageJ's X, Y, C, Z like a rendered field.
		final CalibratedImage<FloatType> stack = image("two", List.of(Axis.CHANNEL, Axis.X, Axis.Y, Axis.Z), new long[] { 2, 4, 5, 3 },
				p -> 1000 * p[0] + 100 * p[3] + 10 * p[2] + p[1]);
		final StackGeometry g = StackGeometry.fromCalibration(stack, Orientation.AXIAL);
		final RenderGrid grid = new RenderGrid(new long[] { 4, 5, 3 }, new double[] { 0.25, 0, 0 }, new double[] { 1, 1, 1 });
		final CalibratedImage<FloatType> out = Resampler.resample(stack, g, grid, Interpolation.LINEAR, Double.NaN);
		assertEquals(List.of(Axis.X, Axis.Y, Axis.CHANNEL, Axis.Z), out.axes());
		assertArrayEquals(new long[] { 4, 5, 2, 3 }, out.pixels().dimensionsAsLongArray());
		assertArrayEquals(new double[] { 1, 1, 1, 1 }, out.spacing());
		assertArrayEquals(new double[] { 0.25, 0, 0, 0 }, out.origin());
		assertArrayEquals(new String[] { "mm", "mm", "", "mm" }, out.units());
		assertEquals("two", out.name());
		assertEquals(PixelType.UINT16, out.pixelType());
		for (int c = 0; c < 2; c++)
			for (int x = 0; x < 4; x++)
				assertEquals(1000 * c + 100 * 2 + 10 * 3 + Math.min(x + 0.25, 3), at(out, x, 3, c, 2), 1e-4);
		// A 2D two-channel image: channels last.
		final CalibratedImage<FloatType> flat = image("flat", List.of(Axis.X, Axis.Y, Axis.CHANNEL), new long[] { 3, 2, 2 },
				p -> 10 * p[2] + p[0] + 3 * p[1]);
		final RenderGrid flatGrid = new RenderGrid(new long[] { 3, 2 }, new double[] { 0, 0 }, new double[] { 1, 1 });
		final CalibratedImage<FloatType> flatOut = Resampler.resample(flat, StackGeometry.fromCalibration(flat, null), flatGrid,
				Interpolation.CUBIC, 0);
		assertEquals(List.of(Axis.X, Axis.Y, Axis.CHANNEL), flatOut.axes());
		final Cursor<FloatType> a = flat.pixels().cursor(), b = flatOut.pixels().cursor();
		while (a.hasNext()) assertEquals(a.next().get(), b.next().get(), 0);
	}

	@Test
	void averageUsesTheStacksThatCoverEachVoxel() {
		// A covers x ∈ [-0.5, 9.5] with value 1, B covers [4.5, 14.5] with 3: the target sees A alone, both, B alone.
		final StackGeometry ga = StackGeometry.axisAligned(new long[] { 10, 4 }, new double[] { 1, 1 }, new double[] { 0, 0 });
		final StackGeometry gb = StackGeometry.axisAligned(new long[] { 5, 4 }, new double[] { 2, 1 }, new double[] { 5.5, 0 });
		final CalibratedImage<FloatType> a = image("a", XYZ.subList(0, 2), ga.size(), p -> 1);
		final CalibratedImage<FloatType> b = image("b", XYZ.subList(0, 2), gb.size(), p -> 3);
		final RenderGrid grid = new RenderGrid(new long[] { 21, 4 }, new double[] { -3, 0 }, new double[] { 1, 1 });
		final CalibratedImage<FloatType> out = Resampler.average(List.of(a, b), List.of(ga, gb), grid, Interpolation.LINEAR, -1);
		assertEquals("a", out.name());
		for (int i = 0; i < 21; i++) {
			final double x = -3 + i;
			final double expected = x < 0 || x > 14 ? -1 : x < 5 ? 1 : x <= 9 ? 2 : 3;
			for (int y = 0; y < 4; y++) assertEquals(expected, at(out, i, y), 1e-6, "x = " + x);
		}
	}

	@Test
	void rejectsMismatchedInput() {
		final StackGeometry g = StackGeometry.axisAligned(new long[] { 4, 4 }, new double[] { 1, 1 }, new double[] { 0, 0 });
		final CalibratedImage<FloatType> one = image("one", XYZ.subList(0, 2), new long[] { 4, 4 }, p -> 1);
		final CalibratedImage<FloatType> two = image("two", List.of(Axis.X, Axis.Y, Axis.CHANNEL), new long[] { 4, 4, 2 }, p -> 1);
		final RenderGrid grid = new RenderGrid(new long[] { 4, 4 }, new double[] { 0, 0 }, new double[] { 1, 1 });
		final IllegalArgumentException channels = assertThrows(IllegalArgumentException.class,
				() -> Resampler.average(List.of(one, two), List.of(g, g), grid, Interpolation.LINEAR, 0));
		assertTrue(channels.getMessage().contains("'one' has 1") && channels.getMessage().contains("'two' has 2"), channels.getMessage());
		final StackGeometry wrong = StackGeometry.axisAligned(new long[] { 4, 5 }, new double[] { 1, 1 }, new double[] { 0, 0 });
		final IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
				() -> Resampler.resample(one, wrong, grid, Interpolation.LINEAR, 0));
		assertTrue(size.getMessage().contains("[4, 4]") && size.getMessage().contains("[4, 5]"), size.getMessage());
		assertThrows(IllegalArgumentException.class, () -> Resampler.resample(one, g,
				new RenderGrid(new long[] { 4, 4, 4 }, new double[3], new double[] { 1, 1, 1 }), Interpolation.LINEAR, 0));
	}

	@Test
	void kernelWeightsFollowTheirDefinitions() {
		final double[] w = new double[6];
		assertEquals(1, Interpolation.CUBIC.weights(2.5, w));
		assertArrayEquals(new double[] { -0.0625, 0.5625, 0.5625, -0.0625 }, Arrays.copyOf(w, 4), 1e-15);
		for (final double f : new double[] { 2.3, -0.4, 7.999 }) {
			final long first = Interpolation.LANCZOS.weights(f, w);
			assertEquals((long) Math.floor(f) - 2, first);
			final double[] direct = new double[6];
			double sum = 0;
			for (int k = 0; k < 6; k++) {
				final double x = Math.PI * (first + k - f);
				sum += direct[k] = Math.sin(x) * Math.sin(x / 3) / (x * x / 3);
			}
			for (int k = 0; k < 6; k++) assertEquals(direct[k] / sum, w[k], 1e-14, "f = " + f + ", tap " + k);
		}
		assertEquals(3, Interpolation.NEAREST.weights(3.49, w));
		assertEquals(4, Interpolation.NEAREST.weights(3.5, w));
	}

	@Test
	void parsesInterpolationNames() {
		assertEquals(Interpolation.CUBIC, Interpolation.parse(" Cubic"));
		assertEquals(Interpolation.LANCZOS, Interpolation.parse("lanczos"));
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Interpolation.parse("bicubic"));
		assertEquals("Unknown interpolation 'bicubic' (use nearest, linear, cubic or lanczos)", e.getMessage());
	}
}
