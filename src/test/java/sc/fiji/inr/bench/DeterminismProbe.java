package sc.fiji.inr.bench;

import sc.fiji.inr.field.ModelOptions;
import sc.fiji.inr.fit.FitOptions;
import sc.fiji.inr.image.SheppLogan;
import sc.fiji.inr.tasks.Reconstruction;
import sc.fiji.inr.tasks.ct.CtGeometry;
import sc.fiji.inr.tasks.ct.CtReconstruction;
import sc.fiji.inr.tasks.fitimage.ImageFitting;

/**
 * Whether a CT reconstruction of one seed gives the same bits twice in one JVM: a 64² Shepp–Logan,
 * 12 views, 150 steps, reconstructed, then (with any argument) a prior fitted and used in between,
 * then reconstructed again; prints both hashes. {@code bench/run determinism [between]}; run it
 * several times, on an idle machine and under load. Why: of seven fits of the benchmark's INR row
 * of one seed (same code, data and seed; in {@code bench/run recon} and {@code bench/run ct-prior}),
 * five gave 35.18 dB, one 35.35 and one 35.85 (not explained by the MKL instruction set or the
 * thread count, see the README), and in this probe's first five runs (under load, without the
 * MKL setting) one fit of ten differed from the others.
 */
public class DeterminismProbe {
	public static void main(final String[] a) throws Exception {
		final int n = 64;
		final float[] img = ReconBenchmark.floats(SheppLogan.phantom2d(n).pixels());
		final CtGeometry g = CtGeometry.parallel(91, 1, 0, CtGeometry.uniformAngles(12, 180, 0));
		final CtReconstruction.Grid grid = CtReconstruction.Grid.of(n, n, 1, "mm");
		final float[] sino = CtReconstruction.project(g, img, grid);
		final Reconstruction.Settings s = new Reconstruction.Settings(ModelOptions.of("hashgrid"),
				FitOptions.defaults().withSteps(150).withLearningRate(1e-2).withBatchSize(1 << 13), 0.0005, 0.003);
		final float[] r1 = run(g, sino, grid, s);
		if (a.length > 0) {
			final var f = ImageFitting.fit(CtReconstruction.image(img, grid, "x"), new ImageFitting.Settings(ModelOptions.of("hashgrid"),
					FitOptions.defaults().withSteps(100).withLearningRate(1e-2).withBatchSize(1 << 12), null), null);
			CtReconstruction.reconstruct(g, sino, grid, s.withRegisterPrior(true), f.field(), null, null).field().close();
		}
		final float[] r2 = run(g, sino, grid, s);
		System.out.println("first " + java.util.Arrays.hashCode(r1) + " again " + java.util.Arrays.hashCode(r2) + " equal "
				+ java.util.Arrays.equals(r1, r2));
	}

	static float[] run(final CtGeometry g, final float[] sino, final CtReconstruction.Grid grid, final Reconstruction.Settings s) {
		final CtReconstruction.Result r = CtReconstruction.reconstruct(g, sino, grid, s, null, null, null);
		r.field().close();
		return ReconBenchmark.floats(r.image().pixels());
	}
}
