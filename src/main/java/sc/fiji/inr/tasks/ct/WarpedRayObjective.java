package sc.fiji.inr.tasks.ct;

import java.util.List;
import java.util.SplittableRandom;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import sc.fiji.inr.compute.Tensors;
import sc.fiji.inr.field.FieldEvaluator;
import sc.fiji.inr.field.Jet;
import sc.fiji.inr.field.NeuralField;
import sc.fiji.inr.fit.Batch;
import sc.fiji.inr.fit.Loss;
import sc.fiji.inr.fit.Objective;
import sc.fiji.inr.fit.Trainable;

/**
 * The CT forward model of a warped field: each measurement is the line integral of
 * {@code field(x + u(x))}, with u a {@link SplineDisplacement} whose coefficients are the
 * unknowns; the field itself is held fixed. Fitting it registers a field (a prior scan) onto a
 * scan's raw measurements. The rays, their quadrature and the data term are those of
 * {@link RayObjective}, so the residual is the one the reconstruction will see.
 */
final class WarpedRayObjective implements Objective {

	private final RayObjective rays;
	private final SplineDisplacement spline;
	private final double learningRate, bendingWeight;
	private final boolean robust;
	private NDArray coefficients; // live during the fit
	private float[] fitted;       // after it (or the start, before it)

	/**
	 * @param rays          rays, quadrature and data term (built without total variation or prior)
	 * @param learningRate  Adam step of the coefficients (normalised units)
	 * @param bendingWeight weight of the coefficients' bending energy ({@link SplineDisplacement#bending})
	 * @param robust        compare the integrals by a Cauchy loss of scale {@link #robustScale} instead of
	 *                      their squared residuals
	 */
	WarpedRayObjective(final RayObjective rays, final SplineDisplacement spline, final double learningRate,
			final double bendingWeight, final boolean robust) {
		if (!(bendingWeight >= 0) || !Double.isFinite(bendingWeight))
			throw new IllegalArgumentException("Bending weight must be ≥ 0, was " + bendingWeight);
		this.rays = rays;
		this.spline = spline;
		this.learningRate = learningRate;
		this.bendingWeight = bendingWeight;
		this.robust = robust;
		fitted = new float[spline.controlPoints() * spline.dims()];
	}

	@Override
	public String name() {
		return "ct-rays-warp";
	}

	/** A batch of rays with the spline basis at their nodes. */
	record WarpBatch(RayObjective.RayBatch rays, SplineDisplacement.Basis basis) implements Batch {
		@Override
		public long size() {
			return rays.size();
		}
	}

	@Override
	public Batch sample(final NDManager manager, final SplittableRandom random) {
		final RayObjective.RayBatch b = (RayObjective.RayBatch) rays.sample(manager, random);
		return new WarpBatch(b, spline.basis(b.coords.toFloatArray(), 0, b.rays * b.points));
	}

	@Override
	public NDArray predict(final FieldEvaluator field, final Batch batch) {
		final WarpBatch w = (WarpBatch) batch;
		return predict(field, w.rays, w.basis, coefficients);
	}

	private NDArray predict(final FieldEvaluator field, final RayObjective.RayBatch b, final SplineDisplacement.Basis basis,
			final NDArray c) {
		final NDManager m = b.coords.getManager();
		final NDArray warped = b.coords.add(spline.displacement(c, basis, m));
		// The field is fixed, so only its value and spatial gradient at the warped nodes matter:
		// value + ∇f·(y − ȳ), with ȳ a detached copy of y and the Jet detached, equals f(y) and has
		// f's exact gradient with respect to the displacement, without back-propagating into the
		// field's parameters (for a hash grid that scatter-add was 3/4 of a step's time).
		final NDArray at = warped.stopGradient();
		final Jet jet = field.valuesWithJacobian(at);
		final long n = at.getShape().get(0);
		final NDArray value = jet.value().stopGradient();
		final NDArray slope = jet.tangents().stopGradient().reshape(spline.dims(), n).transpose(); // [nodes, dims]
		final NDArray nodes = value.add(warped.sub(at).mul(slope).sum(new int[] { 1 }, true));
		return rays.integrate(nodes, b);
	}

	@Override
	public NDArray loss(final NDArray predicted, final Batch batch) {
		final RayObjective.RayBatch b = ((WarpBatch) batch).rays;
		final NDArray data = robust ? robustLoss(rays.residual(predicted, b)) : rays.dataLoss(predicted, b);
		return bendingWeight > 0 ? data.add(spline.bending(coefficients).mul((float) bendingWeight)) : data;
	}

	/**
	 * Why a robust loss: the prior lacks what changed since it was taken (a new lesion), and the
	 * rays through that change keep a large residual at the right displacement. By squares they
	 * pull the spline towards bending the prior's structures into the change; by a Cauchy loss a
	 * residual far beyond the scale pulls ever less (measured on the benchmark's Shepp–Logan with a
	 * lesion: mean error to the true displacement 0.36–0.37 → 0.28–0.30 px over two seeds, the
	 * reconstruction unchanged; the README has the figures).
	 * Twice the Cauchy loss, so that near zero it equals the squares' term and a bending weight
	 * keeps its meaning.
	 */
	private static NDArray robustLoss(final NDArray residual) {
		final double c = robustScale(residual.toFloatArray());
		return c > 0 ? Loss.cauchy(c).apply(residual, residual.zerosLike()).mul(2f) : residual.square().mean();
	}

	/**
	 * The Cauchy scale for these residuals: 2.385 σ, with σ = 1.4826 × their median absolute value
	 * (the usual robust estimate of a normal spread, blind to a minority of outliers; 2.385 σ keeps
	 * 95 % of least squares' efficiency on normal residuals). 0 when over half the residuals are 0.
	 */
	static double robustScale(final float[] residuals) {
		final float[] a = new float[residuals.length];
		for (int k = 0; k < a.length; k++) a[k] = Math.abs(residuals[k]);
		java.util.Arrays.sort(a);
		final double median = a.length % 2 == 1 ? a[a.length / 2] : 0.5 * (a[a.length / 2 - 1] + a[a.length / 2]);
		return 2.385 * 1.4826 * median;
	}

	@Override
	public double evaluatePsnr(final NeuralField field) {
		return rays.evaluatePsnr(field, (f, b) -> {
			final NDManager m = b.coords.getManager();
			final NDArray c = coefficients != null ? coefficients
					: Tensors.floats(m, fitted, new Shape(spline.controlPoints(), spline.dims()));
			return predict(f, b, spline.basis(b.coords.toFloatArray(), 0, b.rays * b.points), c);
		});
	}

	@Override
	public List<Trainable> createTrainables(final NDManager fitManager) {
		coefficients = Tensors.floats(fitManager, fitted, new Shape(spline.controlPoints(), spline.dims()));
		coefficients.setName("displacement");
		coefficients.setRequiresGradient(true);
		return List.of(new Trainable(coefficients, learningRate));
	}

	/** The field is the prior: only the displacement is fitted. */
	@Override
	public boolean trainsField() {
		return false;
	}

	@Override
	public boolean skipsNonFiniteSteps() {
		return true;
	}

	@Override
	public void fitFinished() {
		fitted = coefficients.toFloatArray();
		coefficients = null;
	}

	/** The coefficients [controlPoints·dims], fitted or (before the fit) zero. */
	float[] coefficients() {
		return fitted.clone();
	}
}
