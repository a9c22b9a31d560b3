package sc.fiji.inr.fit;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import sc.fiji.inr.compute.ComputeRuntime;
import sc.fiji.inr.field.NeuralField;
import sc.fiji.inr.field.TrainingRecord;

/**
 * The one fitting engine: fits a field to any {@link Objective} with Adam under a step and/or
 * time budget, reporting progress and honouring cancellation.
 * <p>
 * Memory: each step's arrays live in a step manager closed at the end of the step, and the
 * optimiser state in a fit manager closed at the end of the fit, so native memory stays flat
 * however long the fit runs. Reproducibility: all randomness flows from {@link FitOptions#seed()}
 * through a {@link SplittableRandom}.
 */
public final class Fitter {

	/** Consecutive steps with non-finite gradients tolerated (see {@link Objective#skipsNonFiniteSteps()}). */
	static final int MAX_SKIPPED_STEPS = 20;

	/**
	 * After a collapse (see {@link BestState}) the fit goes on from the best state with Adam's
	 * moments empty, so it warms up again over this fraction of the step budget, at half the
	 * learning rate it had before.
	 */
	static final double RECOVERY_WARMUP_FRACTION = 0.1;

	private Fitter() {}

	public static FitResult fit(final NeuralField field, final Objective objective, final FitOptions options,
			final FitListener listener) {
		final ComputeRuntime runtime = ComputeRuntime.get();
		return runtime.call(() -> run(runtime, field, objective, options, listener == null ? FitListener.NONE : listener));
	}

	private static FitResult run(final ComputeRuntime runtime, final NeuralField field, final Objective objective,
			final FitOptions options, final FitListener listener) {
		final long start = System.nanoTime();
		final List<FitProgress> history = new ArrayList<>();
		final SplittableRandom random = new SplittableRandom(options.seed() * 0x9E3779B97F4A7C15L + 17);
		double loss = Double.NaN, psnr = Double.NaN;
		long step = 0, samples = 0;
		int skippedInARow = 0;
		double evaluationSeconds = 0;
		FitResult.StopReason reason = FitResult.StopReason.STEPS;
		final Recovery recovery = new Recovery(Math.max(1, Math.round(RECOVERY_WARMUP_FRACTION * options.steps())));
		try (NDManager fitManager = field.parameters().manager().newSubManager()) {
			final Adam adam = new Adam(objective.trainsField() ? field.parameters() : null, objective.createTrainables(fitManager), fitManager,
					options);
			final BestState best = options.recoverFromCollapse() ? new BestState(adam.weights(), fitManager) : null;
			// A field that was trained before (a prior) starts in a state worth returning to.
			if (best != null && field.training().steps() > 0) {
				final long evaluationStart = System.nanoTime();
				best.offer(objective.evaluatePsnr(field));
				evaluationSeconds += seconds(evaluationStart);
			}
			while (step < options.steps()) {
				if (listener.isCancelled()) {
					reason = FitResult.StopReason.CANCELLED;
					break;
				}
				final double seconds = seconds(start);
				if (options.maxSeconds() > 0 && seconds >= options.maxSeconds()) {
					reason = FitResult.StopReason.TIME;
					break;
				}
				final double fraction = progress(step, seconds, options);
				final double lr = options.learningRate() * options.schedule().factor(fraction, options.finalLrFactor())
						* options.warmupFactor(step) * recovery.factor(step);
				try (NDManager stepManager = fitManager.newSubManager()) {
					final Batch batch = objective.sample(stepManager, random);
					final NDArray lossArray;
					try (GradientCollector collector = runtime.engine().newGradientCollector()) {
						lossArray = objective.loss(objective.predict(field, batch), batch);
						collector.backward(lossArray);
					}
					loss = lossArray.getFloat();
					final boolean lost = !Double.isFinite(loss);
					if (lost && (best == null || !best.holdsState()))
						throw new IllegalStateException("Fitting diverged at step " + (step + 1) + " (loss is " + loss
								+ "); lower the learning rate (now " + options.learningRate() + ")");
					if (lost) {
						// a non-finite loss is the worst collapse: back to the best state, as below
						adam.discardGradients();
						recovery.recover(best, adam, step + 1);
					}
					else if (objective.skipsNonFiniteSteps() && !adam.gradientsFinite(stepManager)) {
						adam.discardGradients();
						if (++skippedInARow > MAX_SKIPPED_STEPS)
							throw new IllegalStateException("Fitting diverged at step " + (step + 1) + " (" + skippedInARow
									+ " steps in a row had non-finite gradients); lower the learning rate (now " + options.learningRate() + ")");
					}
					else {
						skippedInARow = 0;
						adam.step(lr, stepManager);
					}
					samples += batch.size();
				}
				step++;
				final boolean last = step == options.steps();
				psnr = Double.NaN;
				final boolean evaluated = step % options.evaluateEvery() == 0 || last || step == 1;
				if (evaluated) {
					final long evaluationStart = System.nanoTime();
					psnr = objective.evaluatePsnr(field);
					evaluationSeconds += seconds(evaluationStart);
				}
				final FitProgress p = new FitProgress(step, options.steps(), progress(step, seconds(start), options), loss,
						psnr, lr, seconds(start), samples, evaluationSeconds);
				if (!Double.isNaN(psnr)) history.add(p);
				listener.progress(p);
				if (best != null && evaluated) {
					if (best.collapsed(psnr)) {
						recovery.recover(best, adam, step);
						psnr = best.psnr();
					}
					else best.offer(psnr);
				}
				if (options.targetPsnr() > 0 && psnr >= options.targetPsnr()) {
					reason = FitResult.StopReason.TARGET;
					break;
				}
			}
			objective.fitFinished();
		}
		if (Double.isNaN(psnr) && step > 0) psnr = objective.evaluatePsnr(field);
		final FitResult result = new FitResult(step, loss, psnr, seconds(start), reason, history, recovery.count);
		field.setTraining(new TrainingRecord(field.training().steps() + step, loss, psnr,
				field.training().seconds() + result.seconds(), options.seed(), runtime.device().toString(), result.stopDescription(),
				objective.name()));
		return result;
	}

	/**
	 * The learning-rate side of going back to the best state: each recovery halves the rate and
	 * warms it up again from there (Adam's moments start empty again).
	 */
	private static final class Recovery {
		private final long warmup;
		private double scale = 1;
		private long start;
		int count;

		Recovery(final long warmup) {
			this.warmup = warmup;
		}

		void recover(final BestState best, final Adam adam, final long fromStep) {
			best.restore();
			adam.reset();
			count++;
			scale /= 2;
			start = fromStep;
		}

		double factor(final long step) {
			return count == 0 ? 1 : scale * FitOptions.ramp(step - start, warmup);
		}
	}

	private static double progress(final long step, final double seconds, final FitOptions options) {
		final double byStep = (double) step / options.steps();
		return options.maxSeconds() > 0 ? Math.max(byStep, seconds / options.maxSeconds()) : byStep;
	}

	private static double seconds(final long start) {
		return (System.nanoTime() - start) / 1e9;
	}
}
