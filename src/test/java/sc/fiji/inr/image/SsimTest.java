package sc.fiji.inr.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.DoubleType;
import net.imglib2.view.Views;

/**
 * Reference values are scikit-image 0.19.3 (Debian python3-skimage), computed with /usr/bin/python3
 * by the one-liners quoted at each test; numpy's {@code mgrid} puts x last (fastest), as ImgLib2's
 * flat order does.
 */
class SsimTest {

	/** 2D: f(x, y) = sin(x/3) + cos(y/5) on 32 × 40, and f plus a perturbation. */
	private static ArrayImg<DoubleType, ?> pattern2d(final boolean perturbed) {
		final double[] v = new double[32 * 40];
		for (int y = 0; y < 40; y++)
			for (int x = 0; x < 32; x++)
				v[x + 32 * y] = Math.sin(x / 3.0) + Math.cos(y / 5.0) + (perturbed ? 0.25 * Math.sin(1.3 * x + 0.7 * y * y) : 0);
		return ArrayImgs.doubles(v, 32, 40);
	}

	@Test
	void matchesScikitImage2d() {
		// /usr/bin/python3 -c "import numpy as np; from skimage.metrics import structural_similarity as s; y,x=np.mgrid[0:40,0:32]*1.;
		// f=np.sin(x/3)+np.cos(y/5); print(repr(s(f, f+0.25*np.sin(1.3*x+0.7*y*y), data_range=4, gaussian_weights=True,
		// sigma=1.5, use_sample_covariance=False)))"  → 0.885725714107261
		assertEquals(0.885725714107261, Ssim.ssim(pattern2d(false), pattern2d(true), 4), 1e-6);
	}

	@Test
	void matchesScikitImage3d() {
		// /usr/bin/python3 -c "import numpy as np; from skimage.metrics import structural_similarity as s; z,y,x=np.mgrid[0:24,0:22,0:20]*1.;
		// f=np.sin(x/3)+np.cos(y/5)+np.sin(z/4+1); print(repr(s(f, f+0.2*np.cos(x+2*y+3*z), data_range=6, gaussian_weights=True,
		// sigma=1.5, use_sample_covariance=False)))"  → 0.953433030268377
		final double[] f = new double[20 * 22 * 24], g = new double[f.length];
		for (int z = 0; z < 24; z++)
			for (int y = 0; y < 22; y++)
				for (int x = 0; x < 20; x++) {
					final int i = x + 20 * (y + 22 * z);
					f[i] = Math.sin(x / 3.0) + Math.cos(y / 5.0) + Math.sin(z / 4.0 + 1);
					g[i] = f[i] + 0.2 * Math.cos(x + 2 * y + 3 * z);
				}
		assertEquals(0.953433030268377, Ssim.ssim(ArrayImgs.doubles(f, 20, 22, 24), ArrayImgs.doubles(g, 20, 22, 24), 6), 1e-6);
	}

	@Test
	void matchesScikitImage1d() {
		// /usr/bin/python3 -c "import numpy as np; from skimage.metrics import structural_similarity as s; x=np.arange(50.); f=np.sin(x/3);
		// print(repr(s(f, f+0.1*np.cos(2.1*x), data_range=2, gaussian_weights=True, sigma=1.5, use_sample_covariance=False)))"
		// → 0.9654543530742459
		final double[] f = new double[50], g = new double[50];
		for (int x = 0; x < 50; x++) {
			f[x] = Math.sin(x / 3.0);
			g[x] = f[x] + 0.1 * Math.cos(2.1 * x);
		}
		assertEquals(0.9654543530742459, Ssim.ssim(ArrayImgs.doubles(f, 50), ArrayImgs.doubles(g, 50), 2), 1e-6);
	}

	@Test
	void identicalImagesScoreOne() {
		final var a = pattern2d(true);
		assertEquals(1, Ssim.ssim(a, a, 4), 1e-12);
		// Offset intervals are matched in flat order, and SSIM is symmetric.
		assertEquals(1, Ssim.ssim(a, Views.translate(pattern2d(true), 3, -9), 4), 1e-12);
		assertEquals(Ssim.ssim(pattern2d(false), a, 4), Ssim.ssim(a, pattern2d(false), 4), 1e-12);
		final var constant = ArrayImgs.doubles(11, 11, 11);
		assertEquals(1, Ssim.ssim(constant, constant, 1), 1e-12);
	}

	@Test
	void rejectsBadInput() {
		final var a = pattern2d(false);
		final IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
				() -> Ssim.ssim(a, ArrayImgs.doubles(32, 41), 4));
		assertTrue(size.getMessage().contains("[32, 40]") && size.getMessage().contains("[32, 41]"), size.getMessage());
		final IllegalArgumentException range = assertThrows(IllegalArgumentException.class, () -> Ssim.ssim(a, a, 0));
		assertTrue(range.getMessage().contains("data range") && range.getMessage().contains("0.0"), range.getMessage());
		assertThrows(IllegalArgumentException.class, () -> Ssim.ssim(a, a, Double.NaN));
		assertThrows(IllegalArgumentException.class, () -> Ssim.ssim(a, a, Double.POSITIVE_INFINITY));
		final var small = ArrayImgs.doubles(40, 10);
		final IllegalArgumentException window = assertThrows(IllegalArgumentException.class, () -> Ssim.ssim(small, small, 1));
		assertTrue(window.getMessage().contains("[40, 10]") && window.getMessage().contains("11-voxel"), window.getMessage());
		final var big = ArrayImgs.doubles(11, 11, 11, 11);
		assertThrows(IllegalArgumentException.class, () -> Ssim.ssim(big, big, 1));
	}
}
