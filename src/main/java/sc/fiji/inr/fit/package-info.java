/**
 * The one fitting engine: an {@link sc.fiji.inr.fit.Objective} (forward model + loss) is fitted
 * with Adam under a step or time budget, with a learning-rate schedule, progress, cancellation and a
 * seed. Knows no task.
 */
package sc.fiji.inr.fit;
