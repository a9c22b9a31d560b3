package sc.fiji.inr.tasks.ct;

import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;
import sc.fiji.inr.image.CalibratedImage;
import sc.fiji.inr.image.ImageMetrics;
import sc.fiji.inr.image.SheppLogan;

/** Test images for CT: a rasterised disk, the Shepp–Logan phantom as a flat array, and error measures. */
final class CtPhantoms {

	private CtPhantoms() {}

	/**
	 * A disk of radius r (length units) and value μ centred at (cx, cy), on the W×H grid of pixel
	 * size p centred on the isocentre: each pixel holds μ times the fraction of its 4×4 sub-pixel
	 * centres inside the disk.
	 */
	static float[] disk(final int width, final int height, final double pixelSize, final double cx, final double cy,
			final double r, final double mu) {
		final float[] image = new float[width * height];
		for (int j = 0; j < height; j++)
			for (int i = 0; i < width; i++) {
				int inside = 0;
				for (int b = 0; b < 4; b++)
					for (int a = 0; a < 4; a++) {
						final double x = (i - (width - 1) / 2.0 + (a + 0.5) / 4 - 0.5) * pixelSize - cx;
						final double y = (j - (height - 1) / 2.0 + (b + 0.5) / 4 - 0.5) * pixelSize - cy;
						if (x * x + y * y <= r * r) inside++;
					}
				image[i + width * j] = (float) (mu * inside / 16);
			}
		return image;
	}

	/** Toft's modified Shepp–Logan phantom, size × size, values in [0, 1], flat index i + size·j. */
	static float[] sheppLogan(final int size) {
		final CalibratedImage<FloatType> p = SheppLogan.phantom2d(size);
		final float[] data = new float[size * size];
		int k = 0;
		for (final FloatType v : Views.flatIterable(p.pixels())) data[k++] = v.get();
		return data;
	}

	/** PSNR of {@code test} against {@code truth} (both W×H), data range 1, by {@link ImageMetrics#psnr}. */
	static double psnr(final float[] truth, final float[] test, final int width, final int height) {
		return ImageMetrics.psnr(ArrayImgs.floats(truth, width, height), ArrayImgs.floats(test, width, height), 1);
	}

	/** Mean |a − b| over the pixels whose centres lie within {@code radius} of the isocentre. */
	static double meanAbsErrorWithin(final float[] a, final float[] b, final int width, final int height, final double pixelSize,
			final double radius) {
		double sum = 0;
		int n = 0;
		for (int j = 0; j < height; j++)
			for (int i = 0; i < width; i++) {
				final double x = (i - (width - 1) / 2.0) * pixelSize, y = (j - (height - 1) / 2.0) * pixelSize;
				if (x * x + y * y > radius * radius) continue;
				sum += Math.abs(a[i + width * j] - b[i + width * j]);
				n++;
			}
		return sum / n;
	}

	/** Root-mean-square difference over all pixels. */
	static double rms(final float[] a, final float[] b) {
		double sum = 0;
		for (int k = 0; k < a.length; k++) {
			final double d = a[k] - b[k];
			sum += d * d;
		}
		return Math.sqrt(sum / a.length);
	}
}
