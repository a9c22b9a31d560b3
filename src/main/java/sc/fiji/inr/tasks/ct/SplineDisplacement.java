package sc.fiji.inr.tasks.ct;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import sc.fiji.inr.compute.Tensors;
import sc.fiji.inr.field.CoordinateFrame;

/**
 * A smooth displacement of a frame's box: cubic B-splines on a regular control grid, the
 * transform elastix calls BSplineTransform, in the frame's normalised coordinates. Why this
 * and not a network: it is linear in its few coefficients (a few hundred for a slice), so a fit
 * of them to measurements as indirect as CT rays is well posed, it cannot bend faster than its
 * control spacing, and it reproduces any affine map exactly (cubic B-splines reproduce linear
 * functions), so a shift or small rotation of the patient is inside it too.
 * <p>
 * Control point k of axis d sits at {@code low[d] + (k − 1)·spacing[d]}, k = 0 … cells + 2, so
 * the box [low, high] is covered by {@code cells} knot intervals, each seen by 4 control points.
 * Points outside the box take the displacement at its edge.
 */
final class SplineDisplacement {

	private final int dims;
	private final int[] cells, controls;
	private final double[] low, spacing;
	private final int corners;

	/**
	 * @param frame          the box (its normalised coordinates)
	 * @param controlSpacing control point spacing in the frame's physical units (at most; each
	 *                       axis gets a whole number of knot intervals, at least one)
	 */
	SplineDisplacement(final CoordinateFrame frame, final double controlSpacing) {
		if (!(controlSpacing > 0) || !Double.isFinite(controlSpacing))
			throw new IllegalArgumentException("Control point spacing must be positive, was " + controlSpacing);
		dims = frame.numDimensions();
		cells = new int[dims];
		controls = new int[dims];
		low = new double[dims];
		spacing = new double[dims];
		int c = 1;
		for (int d = 0; d < dims; d++) {
			final double extent = frame.max(d) - frame.min(d);
			cells[d] = (int) Math.max(1, Math.ceil(extent / controlSpacing - 1e-9));
			controls[d] = cells[d] + 3;
			low[d] = (frame.min(d) - frame.centre(d)) / frame.halfExtent(d);
			spacing[d] = extent / frame.halfExtent(d) / cells[d];
			c *= 4;
		}
		corners = c;
	}

	int dims() {
		return dims;
	}

	/** Number of control points (each has {@link #dims()} coefficients). */
	int controlPoints() {
		int k = 1;
		for (final int c : controls) k *= c;
		return k;
	}

	int[] controlsPerAxis() {
		return controls.clone();
	}

	/**
	 * The control points and weights of {@code count} points stored interleaved from point
	 * {@code first} of {@code coords}: 4^dims of each per point, point-major.
	 */
	record Basis(int[] rows, float[] weights, int points) {}

	Basis basis(final float[] coords, final int first, final int count) {
		final int[] rows = new int[count * corners];
		final float[] weights = new float[count * corners];
		final int[] cell = new int[dims];
		final double[][] w = new double[dims][4];
		for (int i = 0; i < count; i++) {
			for (int d = 0; d < dims; d++) {
				final double s = Math.max(0, Math.min(cells[d], (coords[(first + i) * dims + d] - low[d]) / spacing[d]));
				cell[d] = Math.min(cells[d] - 1, (int) Math.floor(s));
				cubic(s - cell[d], w[d]);
			}
			for (int k = 0; k < corners; k++) {
				int row = 0, stride = 1;
				double weight = 1;
				for (int d = 0, rest = k; d < dims; d++, rest >>= 2) {
					final int j = rest & 3;
					row += (cell[d] + j) * stride;
					stride *= controls[d];
					weight *= w[d][j];
				}
				rows[i * corners + k] = row;
				weights[i * corners + k] = (float) weight;
			}
		}
		return new Basis(rows, weights, count);
	}

	/** The uniform cubic B-spline's four weights at fraction {@code f} of a knot interval. */
	private static void cubic(final double f, final double[] w) {
		final double g = 1 - f;
		w[0] = g * g * g / 6;
		w[1] = (3 * f * f * f - 6 * f * f + 4) / 6;
		w[2] = (-3 * f * f * f + 3 * f * f + 3 * f + 1) / 6;
		w[3] = f * f * f / 6;
	}

	/**
	 * The displacement [points, dims] at the basis's points, differentiable with respect to
	 * {@code coefficients} [controlPoints, dims] (normalised units).
	 */
	NDArray displacement(final NDArray coefficients, final Basis basis, final NDManager manager) {
		return displacement(coefficients, basis, manager, (long) basis.points() * controlPoints() <= DENSE_LIMIT);
	}

	/**
	 * Largest basis matrix (points × control points) multiplied as a dense matrix. Why dense at
	 * all: the gather's backward is a scatter-add of 16 rows per point, which PyTorch's CPU kernel
	 * does several times slower than a matrix product the size of a slice's control grid (121
	 * control points at 256² and 32 px spacing: 4 M entries, 16 MB, for a step's 32 768 nodes).
	 */
	static final long DENSE_LIMIT = 1 << 23;

	/** {@link #displacement(NDArray, Basis, NDManager)} by a dense basis matrix or by a gather. */
	NDArray displacement(final NDArray coefficients, final Basis basis, final NDManager manager, final boolean dense) {
		if (dense) {
			final int k = controlPoints();
			final float[] matrix = new float[Math.multiplyExact(basis.points(), k)];
			for (int i = 0; i < basis.points(); i++)
				for (int c = 0; c < corners; c++) matrix[i * k + basis.rows()[i * corners + c]] += basis.weights()[i * corners + c];
			return Tensors.floats(manager, matrix, new Shape(basis.points(), k)).matMul(coefficients);
		}
		final NDArray rows = Tensors.ints(manager, basis.rows(), new Shape(basis.rows().length));
		final NDArray weights = Tensors.floats(manager, basis.weights(), new Shape(basis.points(), corners, 1));
		final NDArray gathered = coefficients.get(rows).reshape(basis.points(), corners, dims);
		return gathered.mul(weights).sum(new int[] { 1 });
	}

	/** The displacement of the basis's points in plain Java, from coefficients [controlPoints·dims]. */
	float[] displacement(final float[] coefficients, final Basis basis) {
		final float[] out = new float[basis.points() * dims];
		for (int i = 0; i < basis.points(); i++)
			for (int k = 0; k < corners; k++) {
				final int row = basis.rows()[i * corners + k];
				final float w = basis.weights()[i * corners + k];
				for (int d = 0; d < dims; d++) out[i * dims + d] += w * coefficients[row * dims + d];
			}
		return out;
	}

	/**
	 * Mean squared second difference of the coefficients along each axis: a discrete bending
	 * energy in units of (normalised length)², which is 0 for any affine map.
	 */
	NDArray bending(final NDArray coefficients) {
		final long[] shape = new long[dims + 1];
		for (int d = 0; d < dims; d++) shape[dims - 1 - d] = controls[d]; // x fastest: the last array axis
		shape[dims] = dims;
		final NDArray grid = coefficients.reshape(new Shape(shape));
		NDArray sum = null;
		for (int d = 0; d < dims; d++) {
			final int axis = dims - 1 - d;
			final long n = controls[d];
			final NDArray second = grid.get(slice(axis, 2, n)).sub(grid.get(slice(axis, 1, n - 1)).mul(2f)).add(grid.get(slice(axis, 0, n - 2)));
			final NDArray e = second.square().mean();
			sum = sum == null ? e : sum.add(e);
		}
		return sum;
	}

	private String slice(final int axis, final long from, final long to) {
		final StringBuilder b = new StringBuilder();
		for (int a = 0; a <= dims; a++) {
			if (a > 0) b.append(',');
			b.append(a == axis ? from + ":" + to : ":");
		}
		return b.toString();
	}
}
