package sc.fiji.inr.bench;

import net.imglib2.img.array.ArrayImgs;
import sc.fiji.inr.field.ModelOptions;
import sc.fiji.inr.fit.FitOptions;
import sc.fiji.inr.image.ImageMetrics;
import sc.fiji.inr.image.SheppLogan;
import sc.fiji.inr.image.Ssim;
import sc.fiji.inr.tasks.Reconstruction;
import sc.fiji.inr.tasks.ct.*;

/** Scratch: CT quality by model. args: model views steps tv lr finest levels */
public class CtExperiment {
	public static void main(final String[] a) throws Exception {
		final int n = 256;
		final int f = 4, m = n * f;
		final var ph = SheppLogan.phantom2d(m);
		final float[] fine = new float[m * m];
		int i = 0;
		for (final var t : net.imglib2.view.Views.flatIterable(ph.pixels())) fine[i++] = t.get();
		final float[] truth = new float[n * n];
		for (int y = 0; y < m; y++) for (int x = 0; x < m; x++) truth[x / f + n * (y / f)] += fine[x + m * y] / (f * f);
		final int views = Integer.parseInt(a[1]);
		final CtGeometry g = CtGeometry.parallel(367, 1, 0, CtGeometry.uniformAngles(views, 180, 0));
		final CtReconstruction.Grid grid = CtReconstruction.Grid.of(n, n, 1, "mm");
		long t0 = System.nanoTime();
		final float[] sino = CtReconstruction.project(g, fine, CtReconstruction.Grid.of(m, m, 1.0 / f, "mm"));
		System.out.printf("project %.2f s%n", (System.nanoTime() - t0) / 1e9);
		final var ref = ArrayImgs.floats(truth, n, n);
		t0 = System.nanoTime();
		final float[] fbp = CtReconstruction.filteredBackProjection(g, sino, grid, RampFilter.SHEPP_LOGAN);
		System.out.printf("FBP %.2f dB ssim %.4f %.2f s%n", ImageMetrics.psnr(ref, ArrayImgs.floats(fbp, n, n), 1), Ssim.ssim(ref, ArrayImgs.floats(fbp, n, n), 1), (System.nanoTime() - t0) / 1e9);
		for (final int it : new int[] { 10, 50 }) {
			t0 = System.nanoTime();
			final float[] sart = CtReconstruction.sart(g, sino, grid, it, 0.25, true);
			System.out.printf("SART %d %.2f dB ssim %.4f %.2f s%n", it, ImageMetrics.psnr(ref, ArrayImgs.floats(sart, n, n), 1), Ssim.ssim(ref, ArrayImgs.floats(sart, n, n), 1), (System.nanoTime() - t0) / 1e9);
		}
		final int finest = a.length > 5 ? Integer.parseInt(a[5]) : 0, levels = a.length > 6 ? Integer.parseInt(a[6]) : 0;
		final ModelOptions model = new ModelOptions(a[0], 0, 0, 0, 0, 0, 0, levels, 0, 0, 0, finest);
		final double lr = a.length > 4 && Double.parseDouble(a[4]) > 0 ? Double.parseDouble(a[4]) : model.defaultLearningRate();
		final Reconstruction.Settings s = new Reconstruction.Settings(model,
				FitOptions.defaults().withSteps(Integer.parseInt(a[2])).withLearningRate(lr).withEvaluateEvery(100).withBatchSize(1 << 15), Double.parseDouble(a[3]), 0);
		t0 = System.nanoTime();
		final var r = CtReconstruction.reconstruct(g, sino, grid, s, null, null, new sc.fiji.inr.fit.FitListener() {
			public void progress(final sc.fiji.inr.fit.FitProgress p) {
				if (p.step() % 200 == 0) System.out.printf("  step %d loss %.3g dc %.2f%n", p.step(), p.loss(), p.psnr());
			}
		});
		System.out.printf("%s %d views: %.2f dB ssim %.4f in %.1f s%n", a[0], views, ImageMetrics.psnr(ref, r.image().pixels(), 1),
				Ssim.ssim(ref, r.image().pixels(), 1), (System.nanoTime() - t0) / 1e9);
		// where the collapse guard stepped in: the data consistency and rate at every evaluation
		if (r.fit().recoveries() > 0) {
			final StringBuilder b = new StringBuilder("  evaluations (step: dB, rate):");
			for (final var e : r.fit().history())
				b.append(String.format(" %d: %.1f, %.1e;", e.step(), e.psnr(), e.learningRate()));
			System.out.println(b);
		}
		final float[] out = new float[n * n];
		int q = 0;
		for (final var t : net.imglib2.view.Views.flatIterable(r.image().pixels())) out[q++] = t.get();
		write("/tmp/ct-inr.raw", out);
		write("/tmp/ct-sart.raw", CtReconstruction.sart(g, sino, grid, 50, 0.25, true));
		write("/tmp/ct-ref.raw", truth);
		r.field().close();
	}

	static void write(final String path, final float[] v) throws Exception {
		final java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(4 * v.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
		b.asFloatBuffer().put(v);
		java.nio.file.Files.write(java.nio.file.Path.of(path), b.array());
	}
}
