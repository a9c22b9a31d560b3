package sc.fiji.inr.tasks;

import sc.fiji.inr.field.ModelOptions;
import sc.fiji.inr.field.NeuralField;
import sc.fiji.inr.fit.FitOptions;

/**
 * What CT and MRI reconstruction share: how to fit (model, budget, total-variation weight) and
 * the rules for a prior field used as the starting point (NeRP, Shen et al. 2022).
 */
public final class Reconstruction {

	private Reconstruction() {}

	/**
	 * @param model    field architecture of a new field (ignored with a prior: the prior's is kept)
	 * @param fit      budget, optimiser, seed
	 * @param tvWeight weight of the total variation of the normalised image (0 = none)
	 */
	public record Settings(ModelOptions model, FitOptions fit, double tvWeight) {

		public Settings {
			if (model == null) model = ModelOptions.of("hashgrid");
			if (fit == null) fit = FitOptions.defaults().withLearningRate(model.defaultLearningRate());
			if (!(tvWeight >= 0) || !Double.isFinite(tvWeight))
				throw new IllegalArgumentException("Total-variation weight must be ≥ 0, was " + tvWeight);
		}

		/** Settings from the parameters users type, where 0 means "the default". */
		public static Settings of(final ModelOptions model, final int steps, final double maxSeconds, final double learningRate,
				final long seed, final double tvWeight) {
			return new Settings(model, FitOptions.defaults().withSteps(steps).withMaxSeconds(maxSeconds)
					.withLearningRate(learningRate > 0 ? learningRate : model.defaultLearningRate()).withSeed(seed), tvWeight);
		}

		public Settings withFit(final FitOptions f) {
			return new Settings(model, f, tvWeight);
		}

		public Settings withTvWeight(final double w) {
			return new Settings(model, fit, w);
		}
	}

	/**
	 * Refuses a prior field that cannot start this reconstruction, naming the mismatch.
	 *
	 * @param dims     spatial dimensions the reconstruction needs
	 * @param channels output channels it needs
	 */
	public static void checkPrior(final NeuralField prior, final int dims, final int channels) {
		if (prior.spec().inDims() != dims)
			throw new IllegalArgumentException("The prior field is " + prior.spec().inDims() + "D but the reconstruction is " + dims
					+ "D");
		if (prior.spec().outChannels() != channels)
			throw new IllegalArgumentException("The prior field has " + prior.spec().outChannels() + " channel(s) but the "
					+ "reconstruction needs " + channels);
		for (int d = 0; d < dims; d++)
			if (!prior.frame().axes().get(d).isCoordinate() || prior.frame().axes().get(d) == sc.fiji.inr.image.Axis.TIME)
				throw new IllegalArgumentException("The prior field's axis " + prior.frame().axes().get(d) + " is not spatial");
	}
}
