package sc.fiji.inr.bench;

import java.nio.file.Path;

import net.imglib2.img.array.ArrayImgs;
import sc.fiji.inr.field.ModelOptions;
import sc.fiji.inr.fit.FitOptions;
import sc.fiji.inr.image.CalibratedImage;
import sc.fiji.inr.image.ImageMetrics;
import sc.fiji.inr.image.ImageReader;
import sc.fiji.inr.image.Ssim;
import sc.fiji.inr.tasks.Reconstruction;
import sc.fiji.inr.tasks.mri.*;

/** Scratch: MRI quality by model. args: model accel steps tv lr */
public class MriExperiment {
	public static void main(final String[] a) throws Exception {
		final CalibratedImage<?> img = ImageReader.read(Path.of("test-images/BrainProtonDensitySlice.png"));
		final int w = (int) img.pixels().dimension(0), h = (int) img.pixels().dimension(1);
		final float[] truth = new float[w * h];
		int i = 0;
		for (final var t : net.imglib2.view.Views.flatIterable(img.pixels())) truth[i++] = (float) ((net.imglib2.type.numeric.RealType<?>) t).getRealDouble();
		final double accel = Double.parseDouble(a[1]);
		final SamplingMask mask = accel > 0 ? SamplingMask.cartesian(w, h, accel, 0.08, 1) : SamplingMask.radial(w, h, (int) -accel, false);
		final KSpace k = MriSimulator.simulate(truth, w, h, mask, 0, 1);
		final var ref = ArrayImgs.floats(truth, w, h);
		final var zf = MriReconstruction.zeroFilled(k, mask, MriReconstruction.Calibration.pixels(), "zf");
		System.out.printf("zero-filled %.2f dB ssim %.4f fraction %.3f%n", ImageMetrics.psnr(ref, zf.pixels(), 255), Ssim.ssim(ref, zf.pixels(), 255), mask.fraction());
		final ModelOptions base = ModelOptions.of(a[0]);
		final int finest = a.length > 5 ? Integer.parseInt(a[5]) : 0, levels = a.length > 6 ? Integer.parseInt(a[6]) : 0;
		final ModelOptions model = new ModelOptions(a[0], 0, 0, 0, 0, a.length > 7 ? Double.parseDouble(a[7]) : 0, 0, levels, 0, 0, 0, finest);
		final double lr = a.length > 4 ? Double.parseDouble(a[4]) : model.defaultLearningRate();
		final Reconstruction.Settings s = new Reconstruction.Settings(model,
				FitOptions.defaults().withSteps(Integer.parseInt(a[2])).withLearningRate(lr).withEvaluateEvery(100), Double.parseDouble(a[3]), 0);
		final long t0 = System.nanoTime();
		final var r = MriReconstruction.reconstruct(k, mask, MriReconstruction.Calibration.pixels(), "inr", false, s, null, new sc.fiji.inr.fit.FitListener() { public void progress(final sc.fiji.inr.fit.FitProgress p) {
			if (p.step() % 200 == 0) System.out.printf("  step %d loss %.3g dc %.2f%n", p.step(), p.loss(), p.psnr()); }
		});
		System.out.printf("%s x%s: %.2f dB ssim %.4f in %.1f s%n", a[0], a[1], ImageMetrics.psnr(ref, r.image().pixels(), 255),
				Ssim.ssim(ref, r.image().pixels(), 255), (System.nanoTime() - t0) / 1e9);
		r.field().close();
	}
}
