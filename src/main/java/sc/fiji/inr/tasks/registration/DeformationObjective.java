package sc.fiji.inr.tasks.registration;

import java.util.List;
import java.util.SplittableRandom;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import sc.fiji.inr.compute.Tensors;
import sc.fiji.inr.field.FieldEvaluator;
import sc.fiji.inr.field.Jet;
import sc.fiji.inr.fit.Batch;
import sc.fiji.inr.fit.Objective;
import sc.fiji.inr.fit.Trainable;

/**
 * Registration as a forward model: a fixed point x maps to φ(x) = M x + t + u(x) in the moving
 * image, whose interpolated value there is the prediction of the fixed value at x
 * (moving(φ(x)) ≈ fixed(x), the elastix and IDIR convention).
 * <p>
 * Units: the field works in the fixed frame's normalised coordinates, x = c + s·x̂ with one
 * scale s for every axis (the frame normalises isotropically), and predicts û = u / s, so its
 * Jacobian ∂û/∂x̂ is the physical ∂u/∂x with no rescaling. The affine stage fits M = I + D and
 * t̂ = (M c + t − c)/s with the field unused; the deformable stage holds them fixed.
 * <p>
 * Regularisers act on the deformable part, F = I + ∂u/∂x: the Jacobian determinant penalty
 * mean |1 − det F| and the hyperelastic energy (IDIR), computed from forward-mode tangents;
 * bending energy from forward differences of those exact Jacobians one voxel apart (second
 * derivatives would need second-order reverse mode, which DJL does not have).
 */
final class DeformationObjective implements Objective {

	enum Stage { AFFINE, DEFORMABLE }

	/**
	 * Coarse to fine: the deformable stage compares images smoothed by these Gaussian widths
	 * (voxels), each for the fraction of the steps below, so that early steps see the large
	 * displacements that unsmoothed images' gradients (one voxel wide) cannot.
	 */
	static final double[] PYRAMID_SIGMAS = { 4, 2, 1, 0 };
	static final double[] PYRAMID_UNTIL = { 0.2, 0.4, 0.6, 1 };

	private final Volume fixed, moving;
	private final Volume[] fixedLevels, movingLevels;
	private final ImageSampler[] samplers;
	private int steps, level;
	private final float[] movingMask;    // null: none
	private final int[] candidates;      // fixed voxels that may be sampled (the fixed mask)
	private final RegistrationSettings settings;
	private final Stage stage;
	private final double[] centre;
	private final double scale;
	private final int dims, channels, batchSize;
	private double[][] matrix;
	private double[] translationHat;
	private NDArray d, tHat;

	DeformationObjective(final Volume fixed, final Volume moving, final Volume fixedMask, final Volume movingMask,
			final double[] centre, final double scale, final Affine affine, final RegistrationSettings settings, final Stage stage) {
		this.fixed = fixed;
		this.moving = moving;
		final boolean pyramid = stage == Stage.DEFORMABLE && settings.pyramid();
		final int levels = pyramid ? PYRAMID_SIGMAS.length : 1;
		fixedLevels = new Volume[levels];
		movingLevels = new Volume[levels];
		for (int l = 0; l < levels; l++) {
			final double sigma = pyramid ? PYRAMID_SIGMAS[l] : 0;
			fixedLevels[l] = fixed.smoothed(sigma);
			movingLevels[l] = moving.smoothed(sigma);
		}
		samplers = new ImageSampler[levels];
		this.settings = settings;
		this.stage = stage;
		this.centre = centre.clone();
		this.scale = scale;
		this.dims = fixed.dims();
		this.channels = fixed.channels().length;
		this.movingMask = movingMask == null ? null : movingMask.channels()[0];
		candidates = candidates(fixed, fixedMask);
		batchSize = settings.fit().batchSize() > 0 ? settings.fit().batchSize() : RegistrationSettings.DEFAULT_BATCH;
		matrix = affine.matrix();
		// t̂ = (M c + t − c) / s
		translationHat = new double[dims];
		final double[] mc = centre.clone();
		affine.apply(mc);
		for (int i = 0; i < dims; i++) translationHat[i] = (mc[i] - centre[i]) / scale;
	}

	private static int[] candidates(final Volume fixed, final Volume mask) {
		if (mask == null) {
			final int[] all = new int[fixed.voxels()];
			for (int i = 0; i < all.length; i++) all[i] = i;
			return all;
		}
		final float[] m = mask.channels()[0];
		int n = 0;
		for (final float v : m) if (v > 0) n++;
		if (n == 0) throw new IllegalArgumentException("The fixed mask '" + mask.name() + "' is empty (no pixel > 0)");
		final int[] c = new int[n];
		n = 0;
		for (int i = 0; i < m.length; i++) if (m[i] > 0) c[n++] = i;
		return c;
	}

	@Override
	public String name() {
		return stage == Stage.AFFINE ? "registration-affine" : "registration";
	}

	/**
	 * Registration skips steps with non-finite gradients: fits under heavy CPU contention (two
	 * registrations on two cores) hit a NaN gradient every few hundred steps in 4 of 4 runs, quiet
	 * ones in 0 of 5; the cause is not found yet (the forward values stay finite).
	 */
	@Override
	public boolean skipsNonFiniteSteps() {
		return true;
	}

	@Override
	public boolean trainsField() {
		return stage == Stage.DEFORMABLE;
	}

	/** The affine as fitted (physical): M and t = s t̂ + c − M c. */
	Affine affine() {
		final double[] t = new double[dims];
		for (int i = 0; i < dims; i++) {
			double mc = 0;
			for (int j = 0; j < dims; j++) mc += matrix[i][j] * centre[j];
			t[i] = scale * translationHat[i] + centre[i] - mc;
		}
		return new Affine(matrix, t);
	}

	@Override
	public List<Trainable> createTrainables(final NDManager fitManager) {
		for (int l = 0; l < samplers.length; l++) samplers[l] = new ImageSampler(movingLevels[l], fitManager);
		steps = 0;
		final float[] dm = new float[dims * dims];
		for (int i = 0; i < dims; i++)
			for (int j = 0; j < dims; j++) dm[i * dims + j] = (float) (matrix[i][j] - (i == j ? 1 : 0));
		final float[] th = new float[dims];
		for (int i = 0; i < dims; i++) th[i] = (float) translationHat[i];
		d = Tensors.floats(fitManager, dm, new Shape(dims, dims));
		tHat = Tensors.floats(fitManager, th, new Shape(dims));
		if (stage == Stage.DEFORMABLE) return List.of();
		d.setRequiresGradient(true);
		tHat.setRequiresGradient(true);
		// Adam steps are ~ the learning rate in each unknown: a few 1e-3 of the half extent per step.
		return List.of(new Trainable(d, 2e-3), new Trainable(tHat, 5e-3));
	}

	@Override
	public void fitFinished() {
		if (stage == Stage.AFFINE) {
			final float[] dm = d.toFloatArray(), th = tHat.toFloatArray();
			for (int i = 0; i < dims; i++) {
				for (int j = 0; j < dims; j++) matrix[i][j] = dm[i * dims + j] + (i == j ? 1 : 0);
				translationHat[i] = th[i];
			}
		}
		java.util.Arrays.fill(samplers, null);
	}

	/** One step's points: normalised fixed coordinates, fixed values, and the regulariser the prediction adds. */
	static final class Points implements Batch {
		final NDArray coords, target;
		final int groups, perGroup;
		NDArray weights, regulariser;

		Points(final NDArray coords, final NDArray target, final int groups, final int perGroup) {
			this.coords = coords;
			this.target = target;
			this.groups = groups;
			this.perGroup = perGroup;
		}

		@Override
		public long size() {
			return coords.getShape().get(0);
		}
	}

	@Override
	public Batch sample(final NDManager manager, final SplittableRandom random) {
		final double fraction = (double) steps++ / Math.max(1, settings.fit().steps());
		level = 0;
		while (level < samplers.length - 1 && fraction >= PYRAMID_UNTIL[level]) level++;
		final Volume fixed = fixedLevels[level];
		final int[] voxel;
		int groups = 1, perGroup;
		if (settings.similarity() == Similarity.LNCC) {
			// Windows of w^d voxels around random centres; their NCCs are averaged.
			final int w = settings.window(), half = w / 2;
			perGroup = (int) Math.pow(w, dims);
			groups = Math.max(1, batchSize / perGroup);
			voxel = new int[groups * perGroup];
			final long[] size = fixed.size();
			final int[] pos = new int[dims];
			for (int g = 0; g < groups; g++) {
				int centreIndex = candidates[random.nextInt(candidates.length)];
				for (int k = 0; k < dims; k++) {
					pos[k] = (int) (centreIndex % size[k]);
					centreIndex /= size[k];
				}
				for (int o = 0; o < perGroup; o++) {
					int rest = o;
					long index = 0, stride = 1;
					for (int k = 0; k < dims; k++) {
						final int q = Math.max(0, Math.min((int) size[k] - 1, pos[k] + rest % w - half));
						rest /= w;
						index += q * stride;
						stride *= size[k];
					}
					voxel[g * perGroup + o] = (int) index;
				}
			}
		}
		else {
			perGroup = Math.min(batchSize, candidates.length * 4);
			voxel = new int[perGroup];
			for (int i = 0; i < perGroup; i++) voxel[i] = candidates[random.nextInt(candidates.length)];
		}
		final int n = voxel.length;
		final float[] coords = new float[n * dims], target = new float[n * channels];
		final double[] p = new double[dims];
		for (int i = 0; i < n; i++) {
			fixed.position(voxel[i], p);
			for (int k = 0; k < dims; k++) coords[i * dims + k] = (float) ((p[k] - centre[k]) / scale);
			for (int c = 0; c < channels; c++) target[i * channels + c] = fixed.channels()[c][voxel[i]];
		}
		return new Points(Tensors.floats(manager, coords, new Shape(n, dims)), Tensors.floats(manager, target, new Shape(n, channels)),
				groups, perGroup);
	}

	@Override
	public NDArray predict(final FieldEvaluator field, final Batch batch) {
		final Points b = (Points) batch;
		final NDManager manager = b.coords.getManager();
		// ŷ = x̂ (I + D)ᵀ + t̂ (+ û). Results of operations on the fit's tensors join the fit's
		// manager: move them to the step's, or every step would leave two behind.
		final NDArray dT = d.transpose(), t = tHat.reshape(1, dims);
		dT.attach(manager);
		t.attach(manager);
		NDArray y = b.coords.add(b.coords.matMul(dT)).add(t);
		b.regulariser = null;
		if (stage == Stage.DEFORMABLE) {
			final boolean needJacobian = settings.jacobian() > 0 || settings.hyperelastic() > 0 || settings.bending() > 0;
			if (needJacobian) {
				final Jet jet = field.valuesWithJacobian(b.coords);
				y = y.add(jet.value());
				b.regulariser = regulariser(field, b.coords, jet.tangents());
			}
			else y = y.add(field.values(b.coords));
		}
		// Moving voxel index of ŷ: (c + s ŷ − origin) / spacing.
		final float[] a = new float[dims], o = new float[dims];
		for (int k = 0; k < dims; k++) {
			a[k] = (float) (scale / moving.spacing()[k]);
			o[k] = (float) ((centre[k] - moving.origin()[k]) / moving.spacing()[k]);
		}
		final NDArray voxel = y.mul(Tensors.floats(manager, a, new Shape(1, dims))).add(Tensors.floats(manager, o, new Shape(1, dims)));
		final ImageSampler.Samples s = samplers[level].sample(voxel);
		NDArray weights = s.inside();
		if (movingMask != null) weights = weights.mul(maskAt(voxel, manager));
		b.weights = weights;
		return s.values();
	}

	/** 1 where the moving mask (nearest voxel) is set, else 0; a constant. */
	private NDArray maskAt(final NDArray voxel, final NDManager manager) {
		final float[] p = voxel.toFloatArray();
		final int n = p.length / dims;
		final float[] m = new float[n];
		final long[] size = moving.size();
		for (int i = 0; i < n; i++) {
			long index = 0, stride = 1;
			for (int k = 0; k < dims; k++) {
				final long q = Math.max(0, Math.min(size[k] - 1, Math.round(p[i * dims + k])));
				index += q * stride;
				stride *= size[k];
			}
			m[i] = movingMask[(int) index] > 0 ? 1 : 0;
		}
		return Tensors.floats(manager, m, new Shape(n));
	}

	@Override
	public NDArray loss(final NDArray predicted, final Batch batch) {
		final Points b = (Points) batch;
		final NDArray data = settings.similarity().loss(predicted.reshape(b.groups, b.perGroup, channels),
				b.target.reshape(b.groups, b.perGroup, channels), b.weights.reshape(b.groups, b.perGroup));
		return b.regulariser == null ? data : data.add(b.regulariser);
	}

	/** Weighted sum of the regularisers at the batch's points; {@code t} = ∂û/∂x̂ as [d, N, d]. */
	private NDArray regulariser(final FieldEvaluator field, final NDArray coords, final NDArray t) {
		final NDArray[][] f = deformationGradient(t);
		NDArray total = null;
		if (settings.jacobian() > 0 || settings.hyperelastic() > 0) {
			final NDArray det = Jacobians.determinant(f);
			if (settings.jacobian() > 0) total = add(total, det.neg().add(1f).abs().mean().mul((float) settings.jacobian()));
			if (settings.hyperelastic() > 0) total = add(total, Jacobians.hyperelastic(f, det).mul((float) settings.hyperelastic()));
		}
		if (settings.bending() > 0) {
			// A quarter of the points suffices for the (smooth) bending term and saves d evaluations' cost.
			final long n = coords.getShape().get(0), m = Math.max(1, n / 4);
			final NDArray sub = coords.get(new NDIndex("0:{}", m));
			final NDArray base = t.get(new NDIndex(":, 0:{}, :", m));
			NDArray sum = null;
			for (int k = 0; k < dims; k++) {
				final double h = fixed.spacing()[k] / scale; // one voxel, normalised
				final float[] shift = new float[dims];
				shift[k] = (float) h;
				final NDArray moved = field.valuesWithJacobian(sub.add(Tensors.floats(coords.getManager(), shift, new Shape(1, dims)))).tangents();
				// (∂u/∂x (x + h e_k) − ∂u/∂x (x)) / h ≈ ∂²u/∂x ∂x_k, in 1/physical length
				final NDArray second = moved.sub(base).div((float) (h * scale));
				final NDArray sq = second.square().sum();
				sum = sum == null ? sq : sum.add(sq);
			}
			total = add(total, sum.div((float) m).mul((float) settings.bending()));
		}
		return total;
	}

	/** F = I + ∂u/∂x as d×d entries of [N] arrays: F[i][k] = δ_ik + t[k, :, i]. */
	private NDArray[][] deformationGradient(final NDArray t) {
		final NDArray[][] f = new NDArray[dims][dims];
		for (int k = 0; k < dims; k++) {
			final NDArray tk = t.get(k);                                              // [N, d]
			for (int i = 0; i < dims; i++) {
				// Clipped: a locally exploding Jacobian must not overflow the products below to inf
				// (whose gradient is NaN); |∂u/∂x| = 100 is far beyond any plausible deformation.
				final NDArray e = tk.get(new NDIndex(":, {}", i)).clip(-100, 100);
				f[i][k] = i == k ? e.add(1f) : e;
			}
		}
		return f;
	}

	private static NDArray add(final NDArray a, final NDArray b) {
		return a == null ? b : a.add(b);
	}
}
