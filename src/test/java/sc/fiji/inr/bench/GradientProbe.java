package sc.fiji.inr.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.TreeMap;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import sc.fiji.inr.compute.Autograd;
import sc.fiji.inr.compute.ComputeRuntime;
import sc.fiji.inr.field.CoordinateFrame;
import sc.fiji.inr.field.FieldSpec;
import sc.fiji.inr.field.ModelOptions;
import sc.fiji.inr.field.NeuralField;
import sc.fiji.inr.field.SourceInfo;
import sc.fiji.inr.field.ValueScale;
import sc.fiji.inr.fit.Batch;
import sc.fiji.inr.image.PixelType;
import sc.fiji.inr.tasks.Reconstruction;
import sc.fiji.inr.tasks.ct.CtGeometry;
import sc.fiji.inr.tasks.ct.CtReconstruction;
import sc.fiji.inr.tasks.ct.RayObjective;

/**
 * Whether one step's gradient is bit-identical when computed again: the benchmark's Shepp–Logan
 * 256² at 30 views (its sinogram simulated on the 4× finer grid), a fresh reconstruction field (the task's coarse hash grid), one fixed batch
 * of rays (the default 32 768 nodes with the TV stencil), loss and backward pass REPEATS times
 * on the same weights; prints how many distinct hashes the loss and each parameter's gradient
 * took. {@code bench/run gradients [REPEATS]}. Why: a fit of one seed is not always
 * bit-reproducible (see {@link DeterminismProbe}); this finds which gradient varies, and how often,
 * without fitting for minutes.
 */
public class GradientProbe {
	public static void main(final String[] a) {
		final int repeats = a.length > 0 ? Integer.parseInt(a[0]) : 100;
		// the benchmark's phantom and sinogram, as ReconBenchmark and CtPriorExperiment simulate them
		final ReconBenchmark.Phantom p = ReconBenchmark.Phantom.shepp();
		final int n = p.n();
		final CtGeometry g = CtGeometry.parallel(p.detectors(), p.pixel(), 0, CtGeometry.uniformAngles(30, 180, 0));
		final float[] sino = CtReconstruction.project(g, p.fine(), p.fineGrid());
		final CoordinateFrame frame = p.grid().frame();
		final FieldSpec spec = Reconstruction.coarseHashGrid(ModelOptions.of("hashgrid"), frame.size()).toSpec(2, 1, frame.size());
		// as CtReconstruction.pointsPerRay (package-private there): one node per pixel of the longest chord
		final int points = (int) Math.max(32, Math.ceil(n * Math.sqrt(2)));
		ComputeRuntime.get().run(() -> {
			try (NeuralField field = NeuralField.create(spec, frame, new ValueScale(new double[] { 0 }, new double[] { 1 }),
					new SourceInfo("probe", PixelType.FLOAT32), 1)) {
				final RayObjective objective = new RayObjective(g, sino, 1, frame, field.scale(), (1 << 15) / points, points, 0.0005, 1,
						null);
				final TreeMap<String, TreeMap<Integer, Integer>> seen = new TreeMap<>();
				for (int r = 0; r < repeats; r++) {
					try (NDManager m = field.parameters().manager().newSubManager()) {
						final Batch b = objective.sample(m, new SplittableRandom(5));
						final NDArray loss;
						try (GradientCollector c = ComputeRuntime.get().engine().newGradientCollector()) {
							loss = objective.loss(objective.predict(field, b), b);
							c.backward(loss);
						}
						count(seen, "loss", Float.hashCode(loss.getFloat()));
						for (final var e : field.parameters().all().entrySet()) {
							if (!field.parameters().isTrainable(e.getKey())) continue;
							try (NDArray grad = e.getValue().getGradient()) {
								count(seen, e.getKey(), Arrays.hashCode(grad.toFloatArray()));
							}
							Autograd.zeroGradient(e.getValue());
						}
					}
				}
				for (final var e : seen.entrySet())
					System.out.printf(Locale.ROOT, "%-28s %d distinct in %d: %s%n", e.getKey(), e.getValue().size(), repeats,
							e.getValue().values());
			}
		});
		System.exit(0);
	}

	private static void count(final TreeMap<String, TreeMap<Integer, Integer>> seen, final String key, final int hash) {
		seen.computeIfAbsent(key, k -> new TreeMap<>()).merge(hash, 1, Integer::sum);
	}
}
