package sc.fiji.inr.tasks.mri;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import ij.ImagePlus;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;
import sc.fiji.inr.image.Axis;
import sc.fiji.inr.image.CalibratedImage;
import sc.fiji.inr.image.ImagePlusAdapter;
import sc.fiji.inr.image.PixelType;

class KSpaceTest {

	static float[] random(final int n, final long seed) {
		final SplittableRandom r = new SplittableRandom(seed);
		final float[] v = new float[n];
		for (int i = 0; i < n; i++)
			v[i] = (float) r.nextDouble(-1, 1);
		return v;
	}

	static CalibratedImage<FloatType> single(final String name, final float[] data, final int w, final int h) {
		return new CalibratedImage<>(name, ArrayImgs.floats(data, w, h), List.of(Axis.X, Axis.Y),
				new double[] { 1, 1 }, new double[2], new String[] { "pixel", "pixel" }, PixelType.FLOAT32);
	}

	@Test
	void constantImageHasAllEnergyAtTheDcIndex() {
		for (final int[] size : new int[][] { { 8, 6 }, { 7, 5 }, { 181, 217 } }) {
			final int w = size[0], h = size[1];
			final float[] img = new float[w * h];
			java.util.Arrays.fill(img, 3);
			final KSpace k = KSpace.fromImage(img, w, h);
			final int dc = w / 2 + w * (h / 2);
			assertEquals(dc, k.centreIndex());
			// orthonormal: Σ 3 / sqrt(wh) = 3 sqrt(wh)
			assertEquals(3 * Math.sqrt(w * h), k.real()[dc], 1e-4 * Math.sqrt(w * h), w + "×" + h);
			assertEquals(0, k.imaginary()[dc], 1e-3);
			for (int i = 0; i < w * h; i++)
				if (i != dc) {
					assertEquals(0, k.real()[i], 1e-3, w + "×" + h + " at " + i);
					assertEquals(0, k.imaginary()[i], 1e-3, w + "×" + h + " at " + i);
				}
		}
	}

	@Test
	void matchesTheCentredOrthonormalDftByDefinition() {
		// pins the convention: element (u, v) is frequency (u - w/2, v - h/2), scaled by 1/sqrt(wh)
		for (final int[] size : new int[][] { { 6, 4 }, { 5, 7 } }) {
			final int w = size[0], h = size[1];
			final float[] re = random(w * h, 1), im = random(w * h, 2);
			final KSpace k = KSpace.fromImage(re, im, w, h);
			for (int v = 0; v < h; v++)
				for (int u = 0; u < w; u++) {
					double sr = 0, si = 0;
					for (int y = 0; y < h; y++)
						for (int x = 0; x < w; x++) {
							final double a = -2 * Math.PI * ((double) (u - w / 2) * x / w + (double) (v - h / 2) * y / h);
							final int i = x + w * y;
							sr += re[i] * Math.cos(a) - im[i] * Math.sin(a);
							si += re[i] * Math.sin(a) + im[i] * Math.cos(a);
						}
					final double norm = Math.sqrt(w * h);
					assertEquals(sr / norm, k.real()[u + w * v], 1e-5, "real at " + u + "," + v);
					assertEquals(si / norm, k.imaginary()[u + w * v], 1e-5, "imaginary at " + u + "," + v);
				}
		}
	}

	@Test
	void imageRoundTripAndEnergyIsPreserved() {
		final int w = 181, h = 217;
		final float[] re = random(w * h, 3), im = random(w * h, 4);
		final KSpace k = KSpace.fromImage(re, im, w, h);
		double imageEnergy = 0, kEnergy = 0;
		for (int i = 0; i < w * h; i++) {
			imageEnergy += re[i] * re[i] + im[i] * im[i];
			kEnergy += k.real()[i] * k.real()[i] + k.imaginary()[i] * k.imaginary()[i];
		}
		assertEquals(imageEnergy, kEnergy, 1e-5 * imageEnergy, "orthonormal scaling keeps the energy");
		final float[][] back = k.toComplexImage();
		assertArrayEquals(re, back[0], 1e-5f);
		assertArrayEquals(im, back[1], 1e-5f);
	}

	@Test
	void twoChannelImageRoundTrip() {
		final int w = 9, h = 6;
		final KSpace k = new KSpace(w, h, random(w * h, 5), random(w * h, 6));
		final CalibratedImage<FloatType> img = k.toImage("k");
		assertEquals(List.of(Axis.X, Axis.Y, Axis.CHANNEL), img.axes());
		assertEquals(2, img.channels());
		assertArrayEquals(new double[] { -4, -3, 0 }, img.origin()); // DC at coordinate 0
		final KSpace back = KSpace.of(img);
		assertArrayEquals(k.real(), back.real());
		assertArrayEquals(k.imaginary(), back.imaginary());
		// and through ImageJ, as a composite image would come from Fiji
		final ImagePlus imp = ImagePlusAdapter.toImagePlus(img);
		assertEquals(2, imp.getNChannels());
		final KSpace fromImageJ = KSpace.of(ImagePlusAdapter.wrap(imp));
		assertArrayEquals(k.real(), fromImageJ.real());
		assertArrayEquals(k.imaginary(), fromImageJ.imaginary());
	}

	@Test
	void twoSingleChannelImages() {
		final float[] re = random(12, 7), im = random(12, 8);
		final KSpace k = KSpace.of(single("re", re, 4, 3), single("im", im, 4, 3));
		assertEquals(4, k.width());
		assertEquals(3, k.height());
		assertArrayEquals(re, k.real());
		assertArrayEquals(im, k.imaginary());
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> KSpace.of(single("re", new float[181 * 217], 181, 217), single("im", new float[180 * 217], 180, 217)));
		assertEquals("Real part is 181×217 but imaginary part is 180×217", e.getMessage());
	}

	@Test
	void magnitudeAndMasking() {
		final KSpace k = new KSpace(2, 2, new float[] { 3, 0, -1, 2 }, new float[] { 4, 0, 0, 0 });
		assertArrayEquals(new float[] { 5, 0, 1, 2 }, k.magnitude());
		final KSpace m = k.masked(new SamplingMask(2, 2, new boolean[] { false, true, true, false }));
		assertArrayEquals(new float[] { 0, 0, -1, 0 }, m.real());
		assertArrayEquals(new float[] { 0, 0, 0, 0 }, m.imaginary());
		assertArrayEquals(new float[] { 3, 0, -1, 2 }, k.real(), "masking copies");
	}

	@Test
	void invalidInputsAreNamed() {
		IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> new KSpace(4, 3, new float[12], new float[11]));
		assertTrue(e.getMessage().contains("imaginary part") && e.getMessage().contains("11")
				&& e.getMessage().contains("4×3"), e.getMessage());
		e = assertThrows(IllegalArgumentException.class, () -> KSpace.of(single("one", new float[12], 4, 3)));
		assertTrue(e.getMessage().contains("2 channel") && e.getMessage().contains("'one' has 1"), e.getMessage());
		final CalibratedImage<FloatType> three = new CalibratedImage<>("three", ArrayImgs.floats(4, 3, 3),
				List.of(Axis.X, Axis.Y, Axis.Z), new double[] { 1, 1, 1 }, new double[3],
				new String[] { "mm", "mm", "mm" }, PixelType.FLOAT32);
		e = assertThrows(IllegalArgumentException.class, () -> KSpace.of(three, three));
		assertTrue(e.getMessage().contains("2D") && e.getMessage().contains("Z"), e.getMessage());
		e = assertThrows(IllegalArgumentException.class,
				() -> new KSpace(4, 3, new float[12], new float[12]).masked(SamplingMask.full(3, 4)));
		assertEquals("The mask is 3×4 but the k-space is 4×3", e.getMessage());
	}
}
