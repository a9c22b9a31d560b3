package sc.fiji.inr.bench;

import java.nio.file.Path;

import sc.fiji.inr.field.ModelOptions;
import sc.fiji.inr.fit.FitListener;
import sc.fiji.inr.fit.FitProgress;
import sc.fiji.inr.image.ImageReader;
import sc.fiji.inr.tasks.registration.*;

/**
 * Scratch: one synthetic 2D registration (brain slice warped by a smooth random field, max 8 px).
 * args: model steps lr jacobian batch [width depth omega] [similarity]
 */
public class RegistrationExperiment {
	public static void main(final String[] a) throws Exception {
		final Volume image = Volume.of(ImageReader.read(Path.of("test-images/BrainProtonDensitySlice.png")));
		final float[][] u = Synthetic.smoothDisplacement(image.size(), 14, 8, 1);
		final Volume fixed = Synthetic.warp(image, u);
		final int w = a.length > 5 ? Integer.parseInt(a[5]) : 0, dp = a.length > 6 ? Integer.parseInt(a[6]) : 0;
		final double om = a.length > 7 ? Double.parseDouble(a[7]) : 0;
		final ModelOptions model = new ModelOptions(a[0], w, dp, om, 0, 0, 0, 0, 0, 0, 0, 0);
		RegistrationSettings s = RegistrationSettings.defaults().withModel(model)
				.withFit(RegistrationSettings.defaults().fit().withSteps(Integer.parseInt(a[1])).withLearningRate(Double.parseDouble(a[2]))
						.withBatchSize(Integer.parseInt(a[4])))
				.withRegularisers(Double.parseDouble(a[3]), Double.parseDouble(System.getProperty("hyper", "0")), Double.parseDouble(System.getProperty("bend", "0")));
		if (a.length > 8) s = s.withSimilarity(Similarity.parse(a[8]), 7);
		final long t0 = System.nanoTime();
		final Registration.Result r = Registration.register(fixed, image, null, null, s, new FitListener() {
			public void progress(final FitProgress p) {
				if (p.step() % 100 == 0) System.out.printf("  step %d loss %.4f %.1f s%n", p.step(), p.loss(), p.seconds());
			}
		});
		final double secs = (System.nanoTime() - t0) / 1e9;
		final float[][] got = Warping.displacement(r.transform());
		final double[] epe = Synthetic.endPointError(got, u, image.size(), 10);
		final float[][] gotFg = got.clone(), uFg = u.clone();
		for (int k = 0; k < 2; k++) {
			gotFg[k] = got[k].clone();
			uFg[k] = u[k].clone();
			for (int i = 0; i < uFg[k].length; i++) if (!(fixed.channels()[0][i] > 10)) gotFg[k][i] = uFg[k][i] = 0;
		}
		final double[] fg = Synthetic.endPointError(gotFg, uFg, image.size(), 10);
		System.out.printf("foreground-masked (zeros count as exact): mean %.3f p95 %.3f%n", fg[0], fg[1]);
		System.out.printf("%s: EPE mean %.3f p95 %.3f px, NCC %.4f -> %.4f, folding %.3f %%, %.1f s (affine %s)%n", String.join(" ", a), epe[0], epe[1],
				r.nccBefore(), r.nccAfter(), r.foldingPercent(), secs, r.transform().affine());
		r.transform().close();
	}
}
