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
	private NDArray coefficients; // live during the fit
	private float[] fitted;       // after it (or the start, before it)

	/**
	 * @param rays          rays, quadrature and data term (built without total variation or prior)
	 * @param learningRate  Adam step of the coefficients (normalised units)
	 * @param bendingWeight weight of the coefficients' bending energy ({@link SplineDisplacement#bending})
	 */
	WarpedRayObjective(final RayObjective rays, final SplineDisplacement spline, final double learningRate,
			final double bendingWeight) {
		if (!(bendingWeight >= 0) || !Double.isFinite(bendingWeight))
			throw new IllegalArgumentException("Bending weight must be ≥ 0, was " + bendingWeight);
		this.rays = rays;
		this.spline = spline;
		this.learningRate = learningRate;
		this.bendingWeight = bendingWeight;
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
		final NDArray data = rays.dataLoss(predicted, ((WarpBatch) batch).rays);
		return bendingWeight > 0 ? data.add(spline.bending(coefficients).mul((float) bendingWeight)) : data;
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
