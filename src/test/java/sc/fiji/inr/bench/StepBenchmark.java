package sc.fiji.inr.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import com.google.gson.Gson;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import sc.fiji.inr.compute.Tensors;
import sc.fiji.inr.field.CoordinateFrame;
import sc.fiji.inr.field.FieldEvaluator;
import sc.fiji.inr.field.FieldSpec;
import sc.fiji.inr.field.ModelOptions;
import sc.fiji.inr.field.NeuralField;
import sc.fiji.inr.field.SourceInfo;
import sc.fiji.inr.field.ValueScale;
import sc.fiji.inr.fit.Batch;
import sc.fiji.inr.fit.FitListener;
import sc.fiji.inr.fit.FitOptions;
import sc.fiji.inr.fit.FitProgress;
import sc.fiji.inr.fit.Fitter;
import sc.fiji.inr.fit.Loss;
import sc.fiji.inr.fit.Objective;
import sc.fiji.inr.image.Axis;

/**
 * Time of one optimisation step (sample, forward, backward, Adam) on random coordinates and
 * targets, for the same models and batch as bench/peer/pytorch_step.py, so the two can be compared
 * in one run. Usage: StepBenchmark MODEL DIMS BATCH STEPS WARMUP
 */
public final class StepBenchmark {

	public static void main(final String[] args) {
		final String model = args[0];
		final int dims = Integer.parseInt(args[1]), batch = Integer.parseInt(args[2]);
		final int steps = Integer.parseInt(args[3]), warmup = Integer.parseInt(args[4]);
		final long grid = dims == 2 ? 512 : 256;
		final long[] size = new long[dims];
		java.util.Arrays.fill(size, grid);
		final FieldSpec spec = ModelOptions.of(model).toSpec(dims, 1, size);
		final List<Axis> axes = List.of(Axis.X, Axis.Y, Axis.Z).subList(0, dims);
		final String[] units = new String[dims];
		java.util.Arrays.fill(units, "px");
		final double[] ones = new double[dims];
		java.util.Arrays.fill(ones, 1);
		final CoordinateFrame frame = new CoordinateFrame(axes, units, new double[dims], ones, size);
		final List<Double> times = new ArrayList<>();
		try (NeuralField field = NeuralField.create(spec, frame, ValueScale.identity(1), new SourceInfo("random", null), 0)) {
			final Objective objective = new Objective() {
				@Override
				public String name() {
					return "random";
				}

				@Override
				public Batch sample(final NDManager manager, final SplittableRandom random) {
					final float[] x = new float[batch * dims], y = new float[batch];
					for (int i = 0; i < x.length; i++) x[i] = (float) (random.nextDouble() * 2 - 1);
					for (int i = 0; i < y.length; i++) y[i] = (float) (random.nextDouble() * 2 - 1);
					return new Batch.Samples(Tensors.floats(manager, x, new Shape(batch, dims)), Tensors.floats(manager, y, new Shape(batch, 1)));
				}

				@Override
				public NDArray predict(final FieldEvaluator f, final Batch b) {
					return f.values(((Batch.Samples) b).coords());
				}

				@Override
				public NDArray loss(final NDArray predicted, final Batch b) {
					return Loss.L2.apply(predicted, ((Batch.Samples) b).target());
				}
			};
			final double[] last = { 0 };
			Fitter.fit(field, objective, FitOptions.defaults().withSteps(steps + warmup).withEvaluateEvery(Integer.MAX_VALUE)
					.withLearningRate(ModelOptions.of(model).defaultLearningRate()).withBatchSize(batch), new FitListener() {
						@Override
						public void progress(final FitProgress p) {
							if (p.step() > warmup) times.add(p.seconds() - last[0]);
							last[0] = p.seconds();
						}
					});
		}
		final double[] sorted = times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
		final Map<String, Object> row = new LinkedHashMap<>();
		row.put("model", model);
		row.put("dims", dims);
		row.put("batch", batch);
		row.put("threads", System.getProperty("ai.djl.pytorch.num_threads", "default"));
		row.put("ms_per_step_median", 1000 * sorted[sorted.length / 2]);
		row.put("ms_per_step_min", 1000 * sorted[0]);
		row.put("samples_per_s", batch / sorted[sorted.length / 2]);
		System.out.println("RESULT " + new com.google.gson.GsonBuilder().serializeSpecialFloatingPointValues().create().toJson(row));
		System.exit(0);
	}
}
