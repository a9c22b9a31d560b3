package sc.fiji.inr.tasks.superres;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import sc.fiji.inr.compute.Tensors;
import sc.fiji.inr.field.CoordinateFrame;
import sc.fiji.inr.field.FieldEvaluator;
import sc.fiji.inr.field.NeuralField;
import sc.fiji.inr.field.ValueScale;
import sc.fiji.inr.fit.Batch;
import sc.fiji.inr.fit.Loss;
import sc.fiji.inr.fit.Objective;
import sc.fiji.inr.fit.Trainable;

/**
 * The acquisition forward model: each measured voxel is the field integrated over that voxel's
 * point-spread function in world space (NeSVoR, Xu et al. 2023; IREM, Wu et al. 2021),
 * estimated by the PSF's stratified quadrature with a fresh random position in every stratum at
 * every step (so the estimate is unbiased and the field is not fitted to a fixed set of points).
 * <p>
 * Several stacks may be fitted at once; with {@code align}, every stack but the first gets a
 * rigid pose (3 rotations, 3 translations about its centre) fitted jointly with the field, the
 * first stack fixing the world frame. The field works in normalised coordinates, where all
 * spatial axes share one scale, so a rigid motion in the world stays rigid there.
 */
final class AcquisitionObjective implements Objective {

	/** Voxels in the fixed evaluation set reported as the fit's PSNR. */
	static final int EVALUATION_VOXELS = 1 << 13;

	private final List<Stack> stacks = new ArrayList<>();
	private final Loss loss;
	private final int batchVoxels;
	private final boolean align;
	private final boolean jitter;
	private final double poseLearningRate;
	private final int channels;
	private final long totalVoxels;
	private final double halfExtent;
	private final long[] evaluationVoxels;
	private final int[] evaluationStacks;
	private final List<NDArray> livePoses = new ArrayList<>();
	private double[][] finalPoses;

	/** One stack, with its geometry pre-composed with the field's normalisation. */
	private static final class Stack {
		final Acquisition acquisition;
		final float[] normalisedValues;
		/** normalised position = index · linear + offset (n × (n + 1), row-major like the geometry). */
		final double[][] toNormalised;
		/** Normalised displacement per physical unit along each index axis: direction / halfExtent. */
		final double[][] axisStep;
		/** The stack centre in normalised coordinates: its poses rotate about it. */
		final double[] centre;
		/** Voxels inside the field's box (all, when null). */
		final int[] inside;
		final long voxels;
		final boolean posed;

		Stack(final Acquisition a, final CoordinateFrame frame, final ValueScale scale, final boolean posed) {
			acquisition = a;
			this.posed = posed;
			final int n = a.geometry().numDimensions(), c = a.channels();
			normalisedValues = new float[a.values().length];
			for (int i = 0; i < normalisedValues.length; i++) normalisedValues[i] = (float) scale.normalise(i % c, a.values()[i]);
			final double[][] m = a.geometry().matrix();
			toNormalised = new double[n][n + 1];
			axisStep = new double[n][n];
			for (int r = 0; r < n; r++) {
				final double h = frame.halfExtent(r);
				for (int col = 0; col < n; col++) toNormalised[r][col] = m[r][col] / h;
				toNormalised[r][n] = (m[r][n] - frame.centre(r)) / h;
			}
			for (int d = 0; d < n; d++) {
				final double[] dir = a.geometry().direction(d);
				for (int r = 0; r < n; r++) axisStep[d][r] = dir[r] / frame.halfExtent(r);
			}
			final double[] world = a.geometry().centre();
			centre = new double[n];
			for (int r = 0; r < n; r++) centre[r] = (world[r] - frame.centre(r)) / frame.halfExtent(r);
			inside = insideVoxels(a.geometry());
			voxels = inside == null ? a.geometry().voxels() : inside.length;
		}

		/** Voxels whose centre lies in the field's box [−1, 1]^n; null when that is all of them. */
		private int[] insideVoxels(final StackGeometry g) {
			final long total = g.voxels();
			final int n = g.numDimensions();
			final long[] size = g.size();
			final double[] position = new double[n];
			final int[] keep = new int[(int) total];
			int count = 0;
			for (long v = 0; v < total; v++) {
				normalisedCentre(v, size, position);
				boolean in = true;
				for (int d = 0; d < n; d++) in &= Math.abs(position[d]) <= 1 + 1e-9;
				if (in) keep[count++] = (int) v;
			}
			return count == total ? null : java.util.Arrays.copyOf(keep, count);
		}

		long voxel(final long i) {
			return inside == null ? i : inside[(int) i];
		}

		void normalisedCentre(final long voxel, final long[] size, final double[] out) {
			final int n = size.length;
			long rest = voxel;
			double i0 = rest % size[0];
			rest /= size[0];
			double i1 = rest % size[1];
			rest /= size[1];
			final double i2 = n == 3 ? rest : 0;
			for (int r = 0; r < n; r++)
				out[r] = toNormalised[r][n] + toNormalised[r][0] * i0 + toNormalised[r][1] * i1 + (n == 3 ? toNormalised[r][2] * i2 : 0);
		}

		/**
		 * Writes the quadrature points of {@code voxel} (normalised, relative to the stack centre
		 * when posed) into {@code out} from {@code offset}; u = null for the symmetric rule.
		 */
		void points(final long voxel, final double[] u, final double[] scratchOffsets, final double[] scratchCentre,
				final float[] out, final int offset) {
			final long[] size = acquisition.geometry().size();
			final int n = size.length, k = acquisition.psf().points();
			normalisedCentre(voxel, size, scratchCentre);
			if (posed) for (int r = 0; r < n; r++) scratchCentre[r] -= centre[r];
			acquisition.psf().offsets(u, scratchOffsets);
			for (int p = 0; p < k; p++)
				for (int r = 0; r < n; r++) {
					double v = scratchCentre[r];
					for (int d = 0; d < n; d++) v += scratchOffsets[p * n + d] * axisStep[d][r];
					out[offset + p * n + r] = (float) v;
				}
		}
	}

	/** One step's voxels, grouped by stack: quadrature points per stack and the measured values. */
	record StackBatch(NDArray[] points, int[] counts, NDArray target, long size) implements Batch {}

	AcquisitionObjective(final List<Acquisition> acquisitions, final CoordinateFrame frame, final ValueScale scale,
			final Loss loss, final int batchVoxels, final boolean align, final double poseLearningRate, final long seed) {
		this(acquisitions, frame, scale, loss, batchVoxels, align, poseLearningRate, seed, true);
	}

	/** @param jitter false places every quadrature point at the middle of its stratum (for tests) */
	AcquisitionObjective(final List<Acquisition> acquisitions, final CoordinateFrame frame, final ValueScale scale,
			final Loss loss, final int batchVoxels, final boolean align, final double poseLearningRate, final long seed,
			final boolean jitter) {
		if (acquisitions.isEmpty()) throw new IllegalArgumentException("No stacks to fit");
		this.jitter = jitter;
		this.loss = loss;
		this.align = align && acquisitions.size() > 1;
		this.poseLearningRate = poseLearningRate;
		channels = acquisitions.get(0).channels();
		for (int s = 0; s < acquisitions.size(); s++) stacks.add(new Stack(acquisitions.get(s), frame, scale, this.align && s > 0));
		long total = 0;
		for (final Stack s : stacks) {
			if (s.voxels == 0)
				throw new IllegalArgumentException("Stack '" + s.acquisition.name() + "' lies entirely outside the field of view");
			total += s.voxels;
		}
		totalVoxels = total;
		double h = 0;
		for (int d = 0; d < frame.numDimensions(); d++) h = Math.max(h, frame.halfExtent(d));
		halfExtent = h;
		this.batchVoxels = (int) Math.max(1, Math.min(batchVoxels, total));
		final SplittableRandom random = new SplittableRandom(seed ^ 0x3C6EF372FE94F82BL);
		final int e = (int) Math.min(EVALUATION_VOXELS, total);
		evaluationVoxels = new long[e];
		evaluationStacks = new int[e];
		for (int i = 0; i < e; i++) {
			final long pick = random.nextLong(total);
			long rest = pick;
			int s = 0;
			while (rest >= stacks.get(s).voxels) rest -= stacks.get(s++).voxels;
			evaluationStacks[i] = s;
			evaluationVoxels[i] = stacks.get(s).voxel(rest);
		}
	}

	@Override
	public String name() {
		return stacks.size() == 1 ? "slice-profile" : "slice-profile x" + stacks.size() + (align ? " aligned" : "");
	}

	@Override
	public List<Trainable> createTrainables(final NDManager fitManager) {
		livePoses.clear();
		finalPoses = null;
		final List<Trainable> trainables = new ArrayList<>();
		for (final Stack s : stacks) {
			if (!s.posed) {
				livePoses.add(null);
				continue;
			}
			final NDArray pose = Tensors.floats(fitManager, new float[6], new Shape(6));
			pose.setName("pose." + s.acquisition.name());
			pose.setRequiresGradient(true);
			livePoses.add(pose);
			trainables.add(new Trainable(pose, poseLearningRate));
		}
		return trainables;
	}

	@Override
	public void fitFinished() {
		finalPoses = currentPoses();
		livePoses.clear();
	}

	/** Per stack the pose (rx, ry, rz in radians; tx, ty, tz normalised), or null when not posed. */
	private double[][] currentPoses() {
		final double[][] poses = new double[stacks.size()][];
		for (int s = 0; s < stacks.size(); s++) {
			if (!stacks.get(s).posed) continue;
			if (livePoses.size() > s && livePoses.get(s) != null) {
				final float[] f = livePoses.get(s).toFloatArray();
				poses[s] = new double[6];
				for (int i = 0; i < 6; i++) poses[s][i] = f[i];
			}
			else if (finalPoses != null) poses[s] = finalPoses[s];
			else poses[s] = new double[6];
		}
		return poses;
	}

	/**
	 * The fitted motions, in world units: where each stack really was relative to its header
	 * (identity for unposed stacks).
	 */
	List<RigidMotion> motions() {
		final double[][] poses = currentPoses();
		final List<RigidMotion> motions = new ArrayList<>();
		for (int s = 0; s < stacks.size(); s++) {
			final StackGeometry g = stacks.get(s).acquisition.geometry();
			final int n = g.numDimensions();
			if (poses[s] == null) {
				motions.add(new RigidMotion(new double[3], new double[n], g.centre()));
				continue;
			}
			final double[] p = poses[s];
			final double[] t = new double[n];
			for (int d = 0; d < n; d++) t[d] = p[3 + d] * halfExtent;
			motions.add(new RigidMotion(new double[] { Math.toDegrees(p[0]), Math.toDegrees(p[1]), Math.toDegrees(p[2]) }, t,
					g.centre()));
		}
		return motions;
	}

	@Override
	public Batch sample(final NDManager manager, final SplittableRandom random) {
		final int stackCount = stacks.size();
		final int[] counts = new int[stackCount];
		for (int i = 0; i < batchVoxels; i++) {
			long rest = random.nextLong(totalVoxels);
			int s = 0;
			while (rest >= stacks.get(s).voxels) rest -= stacks.get(s++).voxels;
			counts[s]++;
		}
		final NDArray[] points = new NDArray[stackCount];
		final float[] target = new float[batchVoxels * channels];
		int row = 0;
		for (int s = 0; s < stackCount; s++) {
			if (counts[s] == 0) continue;
			final Stack stack = stacks.get(s);
			final int n = stack.acquisition.geometry().numDimensions(), k = stack.acquisition.psf().points();
			final float[] p = new float[counts[s] * k * n];
			final double[] u = new double[k * n], offsets = new double[k * n], centre = new double[n];
			for (int i = 0; i < counts[s]; i++) {
				final long voxel = stack.voxel(random.nextLong(stack.voxels));
				for (int j = 0; j < u.length; j++) u[j] = random.nextDouble();
				stack.points(voxel, jitter ? u : null, offsets, centre, p, i * k * n);
				System.arraycopy(stack.normalisedValues, (int) (voxel * channels), target, row * channels, channels);
				row++;
			}
			points[s] = Tensors.floats(manager, p, new Shape((long) counts[s] * k, n));
		}
		return new StackBatch(points, counts, Tensors.floats(manager, target, new Shape(batchVoxels, channels)), batchVoxels);
	}

	@Override
	public NDArray predict(final FieldEvaluator field, final Batch batch) {
		final StackBatch b = (StackBatch) batch;
		// One field evaluation for all stacks: a call has a fixed cost, and the field chunks rows anyway.
		final NDList points = new NDList();
		final List<Integer> present = new ArrayList<>();
		for (int s = 0; s < stacks.size(); s++) {
			if (b.counts()[s] == 0) continue;
			final Stack stack = stacks.get(s);
			points.add(stack.posed ? posed(b.points()[s], livePoses.get(s), stack.centre) : b.points()[s]);
			present.add(s);
		}
		final NDArray all = points.size() == 1 ? points.get(0) : NDArrays.concat(points, 0);
		// With poses the points depend on unknowns: the field must pass gradients to them.
		final NDArray values = align ? field.valuesDifferentiableInCoordinates(all) : field.values(all);
		final NDList parts = new NDList();
		long row = 0;
		for (final int s : present) {
			final int k = stacks.get(s).acquisition.psf().points(), count = b.counts()[s];
			final NDArray part = present.size() == 1 ? values : values.get(row + ":" + (row + (long) count * k));
			parts.add(part.reshape(count, k, channels).mean(new int[] { 1 }));
			row += (long) count * k;
		}
		return parts.size() == 1 ? parts.get(0) : NDArrays.concat(parts, 0);
	}

	/** q ↦ R(pose) q + centre + t(pose), differentiable in the pose; rows of {@code q} are points. */
	static NDArray posed(final NDArray q, final NDArray pose, final double[] centre) {
		final NDArray a = pose.get(0), b = pose.get(1), c = pose.get(2);
		final NDArray ca = a.cos(), sa = a.sin(), cb = b.cos(), sb = b.sin(), cc = c.cos(), sc = c.sin();
		// R = Rz(c) Ry(b) Rx(a), as RigidMotion.rotation; rows here are the columns of R (Rᵀ),
		// since points are row vectors: p' = q Rᵀ.
		final NDArray r00 = cb.mul(cc), r01 = sa.mul(sb).mul(cc).sub(ca.mul(sc)), r02 = ca.mul(sb).mul(cc).add(sa.mul(sc));
		final NDArray r10 = cb.mul(sc), r11 = sa.mul(sb).mul(sc).add(ca.mul(cc)), r12 = ca.mul(sb).mul(sc).sub(sa.mul(cc));
		final NDArray r20 = sb.neg(), r21 = sa.mul(cb), r22 = ca.mul(cb);
		final NDArray rt = NDArrays.stack(new NDList(NDArrays.stack(new NDList(r00, r10, r20)),
				NDArrays.stack(new NDList(r01, r11, r21)), NDArrays.stack(new NDList(r02, r12, r22))));
		final NDArray shift = Tensors.floats(q.getManager(), new float[] { (float) centre[0], (float) centre[1], (float) centre[2] },
				new Shape(3)).add(pose.get("3:6"));
		return q.matMul(rt).add(shift);
	}

	@Override
	public NDArray loss(final NDArray predicted, final Batch batch) {
		return loss.apply(predicted, ((StackBatch) batch).target());
	}

	/**
	 * PSNR (data range 2 of the normalised values) between the measured voxels of a fixed
	 * evaluation set and their prediction by the symmetric quadrature rule, with the current poses.
	 */
	@Override
	public double evaluatePsnr(final NeuralField field) {
		final double[][] poses = currentPoses();
		double sum = 0;
		long count = 0;
		for (int s = 0; s < stacks.size(); s++) {
			final Stack stack = stacks.get(s);
			final int n = stack.acquisition.geometry().numDimensions(), k = stack.acquisition.psf().points();
			int m = 0;
			for (final int es : evaluationStacks) if (es == s) m++;
			if (m == 0) continue;
			final float[] points = new float[m * k * n];
			final double[] offsets = new double[k * n], centre = new double[n];
			final long[] voxels = new long[m];
			for (int i = 0, j = 0; i < evaluationVoxels.length; i++)
				if (evaluationStacks[i] == s) {
					voxels[j] = evaluationVoxels[i];
					stack.points(voxels[j], null, offsets, centre, points, j * k * n);
					j++;
				}
			if (poses[s] != null) applyPose(points, poses[s], stack.centre);
			final float[] values = field.evaluateNormalised(points, m * k);
			for (int j = 0; j < m; j++)
				for (int c = 0; c < channels; c++) {
					double mean = 0;
					for (int p = 0; p < k; p++) mean += values[(j * k + p) * channels + c];
					final double e = mean / k - stack.normalisedValues[(int) (voxels[j] * channels + c)];
					sum += e * e;
					count++;
				}
		}
		return 10 * Math.log10(4 / Math.max(sum / count, 1e-20));
	}

	private static void applyPose(final float[] points, final double[] pose, final double[] centre) {
		final double[][] r = RigidMotion.rotation(pose[0], pose[1], pose[2], 3);
		for (int i = 0; i < points.length; i += 3) {
			final double x = points[i], y = points[i + 1], z = points[i + 2];
			for (int d = 0; d < 3; d++)
				points[i + d] = (float) (r[d][0] * x + r[d][1] * y + r[d][2] * z + centre[d] + pose[3 + d]);
		}
	}
}
