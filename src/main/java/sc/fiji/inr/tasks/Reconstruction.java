package sc.fiji.inr.tasks;

import sc.fiji.inr.field.CoordinateFrame;
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
	 * @param model       field architecture of a new field (ignored with a prior: the prior's is kept)
	 * @param fit         budget, optimiser, seed
	 * @param tvWeight    weight of the total variation of the normalised image (0 = none)
	 * @param priorWeight with a prior field: weight of the total variation of the change from the
	 *                    prior's image, frozen when fitting starts (0 = the prior is only the
	 *                    starting point); ignored without a prior
	 * @param registerPrior with a prior and a prior weight: register the prior onto the scan's
	 *                    measurements before its image enters the term (CT: a smooth
	 *                    displacement fitted to the sinogram, {@code ProjectionRegistration}); CT only, MRI refuses it (see
	 *                    {@code MriReconstruction.reconstruct}); needs a prior and a prior weight
	 *                    ({@link Reconstruction#checkRegisterPrior})
	 */
	public record Settings(ModelOptions model, FitOptions fit, double tvWeight, double priorWeight, boolean registerPrior) {

		/** Settings that use the prior's image as it is (not registered). */
		public Settings(final ModelOptions model, final FitOptions fit, final double tvWeight, final double priorWeight) {
			this(model, fit, tvWeight, priorWeight, false);
		}

		public Settings {
			if (model == null) model = ModelOptions.of("hashgrid");
			if (fit == null) fit = FitOptions.defaults().withLearningRate(model.defaultLearningRate());
			if (!(tvWeight >= 0) || !Double.isFinite(tvWeight))
				throw new IllegalArgumentException("Total-variation weight must be ≥ 0, was " + tvWeight);
			if (!(priorWeight >= 0) || !Double.isFinite(priorWeight))
				throw new IllegalArgumentException("Prior weight must be ≥ 0, was " + priorWeight);
		}

		/** Settings from the parameters users type, where 0 means "the default". */
		public static Settings of(final ModelOptions model, final int steps, final double maxSeconds, final double learningRate,
				final long seed, final double tvWeight, final double priorWeight) {
			return new Settings(model, FitOptions.defaults().withSteps(steps).withMaxSeconds(maxSeconds)
					.withLearningRate(learningRate > 0 ? learningRate : model.defaultLearningRate()).withSeed(seed), tvWeight,
					priorWeight);
		}

		public Settings withFit(final FitOptions f) {
			return new Settings(model, f, tvWeight, priorWeight, registerPrior);
		}

		public Settings withTvWeight(final double w) {
			return new Settings(model, fit, w, priorWeight, registerPrior);
		}

		public Settings withPriorWeight(final double w) {
			return new Settings(model, fit, tvWeight, w, registerPrior);
		}

		public Settings withRegisterPrior(final boolean v) {
			return new Settings(model, fit, tvWeight, priorWeight, v);
		}
	}

	/**
	 * Warm-up of a fit that starts from a prior: the learning rate rises over this fraction of
	 * the step budget (at most {@link #PRIOR_WARMUP_MAX_STEPS} steps). Without it Adam's first
	 * steps move every weight of the converged prior by about the learning rate; on Shepp–Logan
	 * with 60 views that threw the fit out of the prior's basin (23.57 dB against 29.89 without a
	 * prior, see the README).
	 */
	public static final double PRIOR_WARMUP_FRACTION = 0.1;
	public static final int PRIOR_WARMUP_MAX_STEPS = 500;

	/**
	 * The fitting options for a fit from a prior: {@code fit} with its warm-up, or the prior's
	 * default warm-up when it has none.
	 */
	public static FitOptions fromPrior(final FitOptions fit) {
		if (fit.warmupSteps() > 0) return fit;
		return fit.withWarmupSteps((int) Math.min(PRIOR_WARMUP_MAX_STEPS, Math.round(PRIOR_WARMUP_FRACTION * fit.steps())));
	}

	/**
	 * The prior term of a reconstruction: the prior field's image on its own pixel grid, in
	 * normalised units, and its weight. Why a term and not only the starting point (NeRP): a
	 * warm start helps early, but the field is then free to drift wherever the measurements are
	 * silent, and after a full fit it ends up barely better than one without a prior. Penalising
	 * the total variation of the change from the prior (as PICCS does, Chen et al. 2008) keeps
	 * those parts at the prior while letting a compact change, such as a new lesion, through.
	 * The image is taken before fitting, because the prior field itself is what gets trained.
	 *
	 * @param values normalised values, channel fastest, then x, y (and z)
	 * @param size   the grid's size (the field's frame)
	 */
	public record PriorImage(float[] values, long[] size, int channels, double weight) {

		public PriorImage {
			long n = channels;
			for (final long s : size) n *= s;
			if (values.length != n)
				throw new IllegalArgumentException("The prior image has " + values.length + " values, the grid needs " + n);
			if (!(weight > 0) || !Double.isFinite(weight)) throw new IllegalArgumentException("Prior weight must be > 0, was " + weight);
		}

		/** The image of {@code prior} on its frame's pixel centres, or null when {@code weight} is 0. */
		public static PriorImage of(final NeuralField prior, final double weight) {
			if (weight == 0) return null;
			final CoordinateFrame f = prior.frame();
			final float[] coords = f.normalisedPixelCentres();
			final int count = coords.length / f.numDimensions();
			return new PriorImage(prior.evaluateNormalised(coords, count), f.size(), prior.spec().outChannels(), weight);
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

	/**
	 * Refuses {@code registerPrior} where it would silently do nothing: without a prior, or with
	 * a prior weight of 0 (a warm start cannot be registered: the prior field itself is trained).
	 */
	public static void checkRegisterPrior(final Settings settings, final boolean hasPrior) {
		if (!settings.registerPrior()) return;
		if (!hasPrior) throw new IllegalArgumentException("Registering the prior needs a prior field; none was given");
		if (settings.priorWeight() == 0)
			throw new IllegalArgumentException("Registering the prior only changes the prior term: give a prior weight > 0 "
					+ "(0 = warm start only, which is not registered)");
	}

	/**
	 * The hash grid for reconstruction from undersampled data, unless the user chose its levels or
	 * finest resolution: 12 levels up to half the largest side, not 16 up to the side. Why: the
	 * finest levels are free to fit what the measurements cannot see (few CT views, missing
	 * k-space rows). Measured: Shepp–Logan 256², 30 views, TV 0.002, 300 steps: 26.2 dB against
	 * 25.1 dB with the image-fitting default (32.0 dB after 1000 steps, 33.1 after 2000); MRI brain
	 * slice 4× Cartesian, TV 0.01, 500 steps: 25.1 dB (finest 128) against 24.3 dB.
	 */
	public static ModelOptions coarseHashGrid(final ModelOptions m, final long[] size) {
		if (!m.model().equals("hashgrid") || m.finest() > 0 || m.levels() > 0) return m;
		final long largest = Math.max(size[0], size[1]);
		return new ModelOptions(m.model(), m.width(), m.depth(), m.omega0(), m.fourierFeatures(), m.sigma(), m.frequencies(), 12,
				m.featuresPerLevel(), m.log2TableSize(), m.coarsest(), (int) Math.max(16, largest / 2));
	}
}
