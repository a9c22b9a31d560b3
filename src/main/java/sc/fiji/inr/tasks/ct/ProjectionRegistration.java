package sc.fiji.inr.tasks.ct;

import sc.fiji.inr.field.CoordinateFrame;
import sc.fiji.inr.field.NeuralField;
import sc.fiji.inr.field.TrainingRecord;
import sc.fiji.inr.fit.FitListener;
import sc.fiji.inr.fit.FitOptions;
import sc.fiji.inr.fit.FitResult;
import sc.fiji.inr.fit.Fitter;
import sc.fiji.inr.tasks.Reconstruction;

/**
 * Registers a prior field onto a CT scan through its raw measurements: the smooth displacement
 * u ({@link SplineDisplacement}) for which the ray integrals of prior(x + u(x)) best match the
 * sinogram. Why not register onto a reconstruction of the scan: at few views every classical
 * reconstruction carries streaks and blur, and an image-to-image registration aligns the prior
 * to those as well (Shepp–Logan 256², 30 views: the prior registered onto SART-50 is 34.6 dB
 * against the undeformed anatomy, onto the anatomy itself 38 dB; see the README). The
 * sinogram is what is actually known, and a displacement with a few hundred coefficients is
 * well determined by thousands of rays; a compact change such as a new lesion is a small part
 * of the residual, which a control grid this coarse cannot absorb.
 */
public final class ProjectionRegistration {

	private ProjectionRegistration() {}

	/**
	 * @param controlSpacing control point spacing in pixels of the prior's grid
	 * @param steps          optimisation steps
	 * @param learningRate   Adam step of the displacement, in normalised units (1 = half the box)
	 * @param bendingWeight  weight of the bending energy of the control grid (0 = none)
	 * @param seed           chooses the rays of each step
	 * @param batchSize      quadrature nodes per step, as for the reconstruction (0 = 32 768)
	 * @param maxSeconds     wall-clock budget (0 = none): the registration stops at whichever of it
	 *                       and {@code steps} comes first
	 * @param robust         compare ray integrals by a Cauchy loss scaled to the residuals' spread
	 *                       ({@link WarpedRayObjective#robustScale}) instead of by their squares, so
	 *                       that rays through a change the prior lacks (a lesion) do not pull the
	 *                       displacement towards it
	 */
	public record Settings(double controlSpacing, int steps, double learningRate, double bendingWeight, long seed, int batchSize,
			double maxSeconds, boolean robust) {

		public Settings {
			if (!(controlSpacing > 0) || !Double.isFinite(controlSpacing))
				throw new IllegalArgumentException("Control point spacing must be positive, was " + controlSpacing);
			if (steps < 1) throw new IllegalArgumentException("Registration steps must be ≥ 1, was " + steps);
			if (!(learningRate > 0) || !Double.isFinite(learningRate))
				throw new IllegalArgumentException("Registration learning rate must be positive, was " + learningRate);
			if (!(bendingWeight >= 0) || !Double.isFinite(bendingWeight))
				throw new IllegalArgumentException("Bending weight must be ≥ 0, was " + bendingWeight);
			if (batchSize < 0) throw new IllegalArgumentException("Registration batch size must be ≥ 0, was " + batchSize);
			if (!(maxSeconds >= 0) || !Double.isFinite(maxSeconds))
				throw new IllegalArgumentException("Registration time budget must be ≥ 0 s, was " + maxSeconds);
		}

		public static Settings defaults() {
			return new Settings(32, 400, 2e-3, 0, 0, 0, 0, true);
		}

		public Settings withControlSpacing(final double v) {
			return new Settings(v, steps, learningRate, bendingWeight, seed, batchSize, maxSeconds, robust);
		}

		public Settings withSteps(final int v) {
			return new Settings(controlSpacing, v, learningRate, bendingWeight, seed, batchSize, maxSeconds, robust);
		}

		public Settings withLearningRate(final double v) {
			return new Settings(controlSpacing, steps, v, bendingWeight, seed, batchSize, maxSeconds, robust);
		}

		public Settings withBendingWeight(final double v) {
			return new Settings(controlSpacing, steps, learningRate, v, seed, batchSize, maxSeconds, robust);
		}

		public Settings withSeed(final long v) {
			return new Settings(controlSpacing, steps, learningRate, bendingWeight, v, batchSize, maxSeconds, robust);
		}

		public Settings withBatchSize(final int v) {
			return new Settings(controlSpacing, steps, learningRate, bendingWeight, seed, v, maxSeconds, robust);
		}

		public Settings withMaxSeconds(final double v) {
			return new Settings(controlSpacing, steps, learningRate, bendingWeight, seed, batchSize, v, robust);
		}

		public Settings withRobust(final boolean v) {
			return new Settings(controlSpacing, steps, learningRate, bendingWeight, seed, batchSize, maxSeconds, v);
		}
	}

	/**
	 * Where a prior counts as the object rather than the air around it: above this fraction of its
	 * largest attenuation. Why it matters: rays through air constrain no displacement (moving
	 * nothing changes nothing), so there the spline drifts freely (Shepp–Logan, 30 views: 4.6 px
	 * in the corner of the grid, 1.6 px at most inside the anatomy, where the true one is 1 px).
	 * The displacement a user wants to check is the one inside the object.
	 */
	static final double OBJECT_FRACTION = 0.01;

	/** A fitted displacement: how well the warped prior matches the sinogram, and the displacement itself. */
	public static final class Result {

		private final SplineDisplacement spline;
		private final float[] coefficients;
		private final FitResult fit;
		private final double before;
		private final double inside, outside;
		private final String unit;

		/**
		 * {@code u}: this displacement at the prior's pixel centres [count·dims]; {@code warped}: the
		 * prior there, warped by it.
		 */
		Result(final SplineDisplacement spline, final float[] coefficients, final FitResult fit, final double before, final NeuralField prior,
				final float[] u, final float[] warped) {
			this.spline = spline;
			this.coefficients = coefficients;
			this.fit = fit;
			this.before = before;
			final CoordinateFrame frame = prior.frame();
			final int n = frame.numDimensions();
			double peak = 0;
			for (final float w : warped) peak = Math.max(peak, Math.abs(prior.scale().denormalise(0, w)));
			double in = 0, out = 0;
			for (int p = 0; p < warped.length; p++) {
				double s = 0;
				for (int d = 0; d < n; d++) s += Math.pow(u[p * n + d] * frame.halfExtent(d), 2);
				if (Math.abs(prior.scale().denormalise(0, warped[p])) > OBJECT_FRACTION * peak) in = Math.max(in, Math.sqrt(s));
				else out = Math.max(out, Math.sqrt(s));
			}
			inside = in;
			outside = out;
			unit = frame.units()[0];
		}

		SplineDisplacement spline() {
			return spline;
		}

		float[] coefficients() {
			return coefficients.clone();
		}

		/** How the fit went; its PSNR is the data consistency of the warped prior, in dB. */
		public FitResult fit() {
			return fit;
		}

		/** The data consistency of the prior as it is, in dB. */
		public double before() {
			return before;
		}

		/** The displacement [count·dims] at {@code count} interleaved points, all in normalised coordinates. */
		public float[] displacementAt(final float[] coords, final int count) {
			return spline.displacement(coefficients, spline.basis(coords, 0, count));
		}

		/**
		 * The largest displacement over the pixel centres inside the object (where the warped prior
		 * exceeds {@link #OBJECT_FRACTION} of its peak), in the frame's physical units.
		 */
		public double largestDisplacement() {
			return inside;
		}

		/** The largest displacement in the air around the object, which no ray constrains. */
		public double largestDisplacementOutside() {
			return outside;
		}

		/**
		 * What a user wants to know of it, e.g. "data consistency 44.83 → 52.46 dB, largest
		 * displacement 1.58 mm inside the object in 400 steps": did the prior move, and did it fit
		 * the scan better.
		 */
		public String summary() {
			return String.format(java.util.Locale.ROOT, "data consistency %.2f → %.2f dB, largest displacement %.2f %s inside the object in %d steps",
					before, fit.psnr(), inside, unit, fit.steps());
		}
	}

	/**
	 * A registration's outcome and the prior's image warped by it, on the prior's pixel grid: the
	 * warped image is computed once, both to find the object for {@link Result#largestDisplacement()}
	 * and to be the prior term's image on the pixel grid (which {@link CtReconstruction} reads
	 * between pixel centres from the prior field itself, {@link WarpedPrior}; the benchmark's
	 * experiments still read this image). Keep only {@link #result()} once the term is built, so
	 * the image (one float per pixel) is not held longer than the fit that needs it.
	 */
	public record Registered(Result result, float[] warped, long[] size) {

		/** The prior term's image with {@code weight}, or null when the weight is 0. */
		public Reconstruction.PriorImage priorImage(final double weight) {
			return weight == 0 ? null : new Reconstruction.PriorImage(warped, size, 1, weight);
		}
	}

	/**
	 * Fits the displacement of {@code prior} (left unchanged) onto the sinogram.
	 *
	 * @param sinogram line integrals, index detector + D·(view + V·slice)
	 * @param slices   1 for a 2D prior; its z size for a stack
	 */
	public static Registered register(final CtGeometry geometry, final float[] sinogram, final int slices, final NeuralField prior,
			final Settings settings, final FitListener listener) {
		final CoordinateFrame frame = prior.frame();
		final long largest = Math.max(frame.size()[0], frame.size()[1]);
		final int points = CtReconstruction.pointsPerRay(largest);
		final int batch = settings.batchSize() > 0 ? settings.batchSize() : 1 << 15;
		final RayObjective rays = new RayObjective(geometry, sinogram, slices, frame, prior.scale(), Math.max(16, batch / points),
				points, 0, settings.seed(), null);
		final SplineDisplacement spline = new SplineDisplacement(frame, settings.controlSpacing() * frame.spacing()[0]);
		final WarpedRayObjective objective = new WarpedRayObjective(rays, spline, settings.learningRate(), settings.bendingWeight(), settings.robust());
		final double before = objective.evaluatePsnr(prior);
		// The prior's record is what it was trained on; a registration does not change the field.
		final TrainingRecord record = prior.training();
		try {
			final FitResult fit = Fitter.fit(prior, objective, FitOptions.defaults().withSteps(settings.steps())
					.withMaxSeconds(settings.maxSeconds()).withSeed(settings.seed())
					.withWarmupSteps(Math.max(1, settings.steps() / 20)).withRecoverFromCollapse(false), listener);
			final float[] coefficients = objective.coefficients();
			// the prior at its pixel centres x + u(x)
			final float[] coords = frame.normalisedPixelCentres();
			final int count = coords.length / frame.numDimensions();
			final float[] u = spline.displacement(coefficients, spline.basis(coords, 0, count));
			for (int k = 0; k < coords.length; k++) coords[k] += u[k];
			final float[] warped = prior.evaluateNormalised(coords, count);
			return new Registered(new Result(spline, coefficients, fit, before, prior, u, warped), warped, frame.size());
		}
		finally {
			prior.setTraining(record);
		}
	}
}
