package sc.fiji.inr.tasks.registration;

import sc.fiji.inr.field.ModelOptions;
import sc.fiji.inr.fit.FitOptions;

/**
 * How to register: the deformation field's model and fit, the similarity, the regulariser
 * weights and the affine stage.
 *
 * @param model         the displacement field's network (IDIR uses a SIREN)
 * @param fit           steps, learning rate, batch (points per step) and seed of the deformable stage
 * @param similarity    the data term
 * @param window        LNCC window width in voxels (odd)
 * @param jacobian      weight of mean |1 − det J| (IDIR's Jacobian regulariser)
 * @param hyperelastic  weight of the hyperelastic energy (length, area and volume terms)
 * @param bending       weight of the bending energy (mean squared second derivatives)
 * @param affine        FIT: fit an affine first; NONE: identity; GIVEN: use {@code initialAffine} as is
 * @param initialAffine the affine to start from (GIVEN, or FIT's starting point); null = identity
 * @param affineSteps   steps of the affine stage
 * @param deformable    false: affine only (the baseline)
 * @param pyramid       coarse to fine: the deformable stage starts on smoothed images
 */
public record RegistrationSettings(ModelOptions model, FitOptions fit, Similarity similarity, int window, double jacobian,
		double hyperelastic, double bending, AffineMode affine, Affine initialAffine, int affineSteps, boolean deformable,
		boolean pyramid) {

	public enum AffineMode { FIT, NONE, GIVEN }

	/**
	 * Affine steps: measured on ITK's 10° rotation pair, 300 steps stop at 6.8° (NCC 0.980), 800
	 * reach 10.0° and the true translation to 0.03 px (NCC 0.998) in 2 s more.
	 */
	public static final int DEFAULT_AFFINE_STEPS = 800;
	public static final int DEFAULT_STEPS = 1000, DEFAULT_BATCH = 5000, DEFAULT_WINDOW = 7;
	/**
	 * Jacobian penalty off by default. Measured on the brain slice with a smooth 8 px deformation
	 * (SIREN 64×3, 500 steps): weight 0 gives 0.29 px mean end-point error and no folding, IDIR's
	 * 0.05 gives 0.86 px (it holds the field back; 0.01: 0.38 px). Users with noisy or
	 * low-contrast data, where folding appears, raise it.
	 */
	public static final double DEFAULT_JACOBIAN = 0;

	public RegistrationSettings {
		if (model == null || fit == null || similarity == null || affine == null)
			throw new IllegalArgumentException("Registration settings are incomplete");
		if (window < 3 || window % 2 == 0) throw new IllegalArgumentException("LNCC window must be odd and ≥ 3, was " + window);
		for (final double w : new double[] { jacobian, hyperelastic, bending })
			if (!(w >= 0) || !Double.isFinite(w)) throw new IllegalArgumentException("Regulariser weights must be ≥ 0, was " + w);
		if (affineSteps < 0) throw new IllegalArgumentException("Affine steps must be ≥ 0, was " + affineSteps);
		if (affine == AffineMode.GIVEN && initialAffine == null) throw new IllegalArgumentException("A given affine is missing");
	}

	/**
	 * IDIR's choices scaled to 2 cores: a SIREN (ω0 30, 3 hidden layers, here 128 wide), NCC,
	 * PyTorch's Adam (β2 0.999, ε 1e-8, as IDIR; the engine's default ε 1e-15 suits hash grids),
	 * an affine stage first and a coarse-to-fine deformable stage.
	 */
	public static RegistrationSettings defaults() {
		return new RegistrationSettings(new ModelOptions("siren", 128, 3, 30, 0, 0, 0, 0, 0, 0, 0, 0),
				FitOptions.defaults().withSteps(DEFAULT_STEPS).withBatchSize(DEFAULT_BATCH).withLearningRate(1e-4).withAdam(0.9, 0.999, 1e-8),
				Similarity.NCC, DEFAULT_WINDOW, DEFAULT_JACOBIAN, 0, 0, AffineMode.FIT, null, DEFAULT_AFFINE_STEPS, true, true);
	}

	public RegistrationSettings withModel(final ModelOptions v) {
		return new RegistrationSettings(v, fit, similarity, window, jacobian, hyperelastic, bending, affine, initialAffine, affineSteps, deformable, pyramid);
	}

	public RegistrationSettings withFit(final FitOptions v) {
		return new RegistrationSettings(model, v, similarity, window, jacobian, hyperelastic, bending, affine, initialAffine, affineSteps, deformable, pyramid);
	}

	public RegistrationSettings withSimilarity(final Similarity v, final int w) {
		return new RegistrationSettings(model, fit, v, w, jacobian, hyperelastic, bending, affine, initialAffine, affineSteps, deformable, pyramid);
	}

	public RegistrationSettings withRegularisers(final double jac, final double hyper, final double bend) {
		return new RegistrationSettings(model, fit, similarity, window, jac, hyper, bend, affine, initialAffine, affineSteps, deformable, pyramid);
	}

	public RegistrationSettings withAffine(final AffineMode mode, final Affine initial, final int steps) {
		return new RegistrationSettings(model, fit, similarity, window, jacobian, hyperelastic, bending, mode, initial, steps, deformable, pyramid);
	}

	public RegistrationSettings withPyramid(final boolean v) {
		return new RegistrationSettings(model, fit, similarity, window, jacobian, hyperelastic, bending, affine, initialAffine, affineSteps, deformable, v);
	}

	/**
	 * The affine stage from its user-facing form: "fit", "none", or an affine in {@link Affine}'s
	 * text form to use as is (commands and the CLI take this one string).
	 */
	public RegistrationSettings withAffine(final String text, final int steps) {
		final String a = text == null ? "fit" : text.trim();
		if (a.equalsIgnoreCase("fit")) return withAffine(AffineMode.FIT, null, steps);
		if (a.equalsIgnoreCase("none")) return withAffine(AffineMode.NONE, null, steps);
		return withAffine(AffineMode.GIVEN, Affine.parse(a), steps);
	}

	/** Adam's rate for {@code m}: the registration's for a SIREN (its defaults' rate), else the model's own. */
	public double learningRateFor(final ModelOptions m) {
		return m.model().equals("siren") ? defaults().fit().learningRate() : m.defaultLearningRate();
	}

	public RegistrationSettings withDeformable(final boolean v) {
		return new RegistrationSettings(model, fit, similarity, window, jacobian, hyperelastic, bending, affine, initialAffine, affineSteps, v, pyramid);
	}
}
