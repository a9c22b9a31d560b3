package sc.fiji.inr.field;

import java.util.SplittableRandom;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import sc.fiji.inr.compute.Tensors;

/**
 * Multi-resolution hash grid encoding (Müller et al., SIGGRAPH 2022).
 * <p>
 * All levels share one table tensor of shape [Σ rows, F] so that one gather serves every level.
 * A level whose (res+1)^d vertices fit into 2^log2T rows is stored densely (no collisions, as in
 * Instant-NGP); finer levels use Instant-NGP's spatial hash ⊕_i (v_i · π_i) mod 2^log2T.
 * <p>
 * Why the vertex indices are computed in Java: DJL has no bitwise XOR, and the indices are
 * integers that carry no gradient anyway. The interpolation weights are computed with DJL
 * operations from the coordinates, so the encoding stays differentiable with respect to them
 * (needed by registration).
 */
public final class HashGridEncoding implements Encoding {

	static final String TABLE = "encoding.table";

	/** Instant-NGP's primes; the first is 1 so that the finest axis stays coherent in memory. */
	private static final int[] PRIMES = { 1, (int) 2654435761L, 805459861, (int) 3674653429L };

	private final int dims, levels, features, corners;
	private final int[] resolution;
	private final long[] rowOffset;
	private final boolean[] hashed;
	private final int tableMask;
	private final NDArray table;
	private final float[] resolutionAsFloat;

	HashGridEncoding(final EncodingSpec.HashGrid spec, final int dims, final Parameters parameters,
			final SplittableRandom random) {
		this.dims = dims;
		this.levels = spec.levels();
		this.features = spec.featuresPerLevel();
		this.corners = 1 << dims;
		final long tableSize = 1L << spec.log2TableSize();
		tableMask = (int) (tableSize - 1);
		resolution = new int[levels];
		resolutionAsFloat = new float[levels];
		rowOffset = new long[levels + 1];
		hashed = new boolean[levels];
		for (int l = 0; l < levels; l++) {
			resolution[l] = spec.resolution(l);
			resolutionAsFloat[l] = resolution[l];
			final double vertices = Math.pow(resolution[l] + 1.0, dims);
			hashed[l] = vertices > tableSize;
			rowOffset[l + 1] = rowOffset[l] + (hashed[l] ? tableSize : (long) vertices);
		}
		// Instant-NGP initialises the table with U(−1e-4, 1e-4).
		table = parameters.uniform(TABLE, new Shape(rowOffset[levels], features), 1e-4, random, true);
	}

	/**
	 * Index and weight buffers reused across calls ({@link Tensors} copies them). Why: a fit makes
	 * these tens of MB every step, and as garbage they made the JVM heap grow by gigabytes.
	 * Encoding runs on the one compute thread, so the buffers are never shared.
	 */
	private int[] rowBuffer = new int[0];
	private float[] weightBuffer = new float[0];

	private int[] rowBuffer(final int size) {
		if (rowBuffer.length < size) rowBuffer = new int[size];
		return rowBuffer;
	}

	private float[] weightBuffer(final int size) {
		if (weightBuffer.length < size) weightBuffer = new float[size];
		return weightBuffer;
	}

	@Override
	public int outputDims() {
		return levels * features;
	}

	/** Grid resolution of each level (cells across the unit domain). */
	public int[] resolutions() {
		return resolution.clone();
	}

	/** Whether level {@code l} uses the spatial hash (else a dense table). */
	public boolean isHashed(final int l) {
		return hashed[l];
	}

	/** Total number of table rows over all levels. */
	public long tableRows() {
		return rowOffset[levels];
	}

	@Override
	public NDArray encode(final NDArray coords) {
		return encode(coords, coords.hasGradient());
	}

	@Override
	public NDArray encodeDifferentiably(final NDArray coords) {
		return encode(coords, true);
	}

	private NDArray encode(final NDArray coords, final boolean differentiable) {
		final NDManager manager = coords.getManager();
		final int n = Math.toIntExact(coords.getShape().get(0));
		final int entries = n * levels * corners;
		final int[] rows = rowBuffer(entries);
		final NDArray weights;                                                // [N, L, 2^d]
		if (differentiable) {
			// Coordinates carry gradients (e.g. registration): weights must be DJL operations.
			// Unit-cube position, clamped: renders beyond the image reuse the border cells.
			final NDArray unit = coords.add(1).mul(0.5).clip(0, 1);
			final float[] u = unit.toFloatArray();
			final float[] cellOrigin = new float[n * levels * dims];
			vertexRows(u, n, cellOrigin, rows, null);
			final NDArray res = Tensors.floats(manager, resolutionAsFloat, new Shape(1, levels, 1));
			final NDArray frac = unit.reshape(n, 1, dims).mul(res)
					.sub(Tensors.floats(manager, cellOrigin, new Shape(n, levels, dims)));
			weights = cornerWeights(frac, n);
		}
		else {
			// Fixed coordinates (fitting pixels, rendering): compute the weights alongside the rows,
			// which saves a dozen small tensor operations per call.
			final float[] u = coords.toFloatArray();
			for (int i = 0; i < u.length; i++) u[i] = Math.min(1f, Math.max(0f, (u[i] + 1) * 0.5f));
			final float[] w = weightBuffer(entries);
			vertexRows(u, n, null, rows, w);
			weights = Tensors.floats(manager, w, new Shape(n, levels, corners));
		}
		final NDArray gathered = gather(manager, rows, n);                          // [N·L, 2^d, F]
		// Weighted sum over corners as one batched product [N·L, 1, 2^d] × [N·L, 2^d, F]: one
		// operation and no [N, L, 2^d, F] temporary (a third of the forward time otherwise).
		return weights.reshape(n * levels, 1, corners).batchMatMul(gathered).reshape(n, levels * features);
	}

	@Override
	public Jet encodeWithTangents(final NDArray coords) {
		final NDManager manager = coords.getManager();
		final int n = Math.toIntExact(coords.getShape().get(0));
		final int entries = n * levels * corners;
		final int[] rows = rowBuffer(entries);
		final float[] u = coords.toFloatArray();
		// d unit / d coord = 1/2 inside the domain, 0 where the clamp holds the point on the border.
		final float[] slope = new float[u.length];
		for (int i = 0; i < u.length; i++) {
			slope[i] = u[i] > -1 && u[i] < 1 ? 0.5f : 0f;
			u[i] = Math.min(1f, Math.max(0f, (u[i] + 1) * 0.5f));
		}
		// Per point and level: the corner weights, then their derivative along each axis,
		// [N·L, 1 + d, 2^d]; one batched product with the gathered rows gives features and tangents.
		final float[] w = new float[entries * (1 + dims)];
		vertexRows(u, n, null, rows, w, slope);
		final NDArray gathered = gather(manager, rows, n);
		final NDArray both = Tensors.floats(manager, w, new Shape(n * levels, 1 + dims, corners)).batchMatMul(gathered)
				.reshape(n, levels, 1 + dims, features);
		final NDArray value = both.get(new NDIndex(":, :, 0, :")).reshape(n, levels * features);
		final NDArray tangents = both.get(new NDIndex(":, :, 1:, :")).transpose(2, 0, 1, 3).reshape(dims, n, levels * features);
		return new Jet(value, tangents);
	}

	/**
	 * The table rows of every point, level and corner, as [N·L, 2^d, F] in {@code manager}.
	 * <p>
	 * Why {@code gather} on an index expanded over the features and not advanced indexing
	 * ({@code table.get(rows)}): both read the same rows, but their gradients differ. Indexing
	 * back-propagates through {@code index_put_} with accumulation, which PyTorch runs with atomic
	 * float additions on several threads, so the order in which a row's contributions are summed,
	 * and the last bits of the sum, change from run to run: two CT fits of the same seed parted
	 * from step 20 on (and benchmark reruns of one seed differed by up to 0.5 dB). The gradient
	 * of {@code gather} is a {@code scatter_add} whose order does not depend on threads, so the
	 * same seed gives the same field (at a given thread count), and it is no slower
	 * ({@code embedding}, deterministic too, was 1.5× slower; see the README).
	 */
	private NDArray gather(final NDManager manager, final int[] rows, final int n) {
		final long m = (long) n * levels * corners;
		final NDArray indices = Tensors.ints(manager, rows, new Shape(m, 1)).toType(DataType.INT64, false).broadcast(m, features);
		final NDArray rowsOfTable = table.gather(indices, 0);
		// DJL attaches a result to the manager of the array operated on: move it to the caller's
		// (per-step) manager, or every step would leave its gather in the field's manager.
		rowsOfTable.attach(manager);
		return rowsOfTable.reshape(n * levels, corners, features);
	}

	/** d-linear weights of the 2^d cell corners, corner c having bit i set ⇔ upper vertex along axis i. */
	private NDArray cornerWeights(final NDArray frac, final int n) {
		NDArray w = null;
		for (int i = 0; i < dims; i++) {
			final NDArray f = frac.get(new NDIndex(":, :, {}:{}", i, i + 1));        // [N, L, 1]
			final NDArray pair = f.neg().add(1).concat(f, 2);                        // [N, L, 2]
			w = w == null ? pair
					: pair.expandDims(3).mul(w.expandDims(2)).reshape(n, levels, -1);
		}
		return w;
	}

	/**
	 * For each point and level, the table row of each of the 2^d cell corners (including the
	 * level's row offset), and either the lower cell corner (as float, for DJL-side weights) or the
	 * d-linear corner weights; either output may be null.
	 */
	void vertexRows(final float[] unit, final int n, final float[] cellOrigin, final int[] rows, final float[] weights) {
		vertexRows(unit, n, cellOrigin, rows, weights, null);
	}

	/**
	 * As above; with {@code slope} (d unit / d coordinate per point and axis) non-null, each
	 * point-level block of {@code weights} holds the 2^d weights followed by their derivative
	 * along each axis with respect to the coordinates, (1 + d)·2^d values.
	 */
	void vertexRows(final float[] unit, final int n, final float[] cellOrigin, final int[] rows, final float[] weights,
			final float[] slope) {
		// Points are independent: split them over the cores, which are idle while Java works.
		final int blocks = n < 4096 ? 1 : Math.min(Runtime.getRuntime().availableProcessors(), 8);
		java.util.stream.IntStream.range(0, blocks).parallel().forEach(b -> vertexRows(unit, (int) ((long) n * b / blocks),
				(int) ((long) n * (b + 1) / blocks), cellOrigin, rows, weights, slope));
	}

	private void vertexRows(final float[] unit, final int from, final int to, final float[] cellOrigin, final int[] rows,
			final float[] weights, final float[] slope) {
		final int[] lower = new int[dims];
		final float[] frac = new float[dims];
		for (int p = from; p < to; p++) {
			for (int l = 0; l < levels; l++) {
				final int res = resolution[l];
				for (int i = 0; i < dims; i++) {
					final float pos = unit[p * dims + i] * res;
					int v = (int) Math.floor(pos);
					if (v >= res) v = res - 1; // the far border belongs to the last cell
					if (v < 0) v = 0;
					lower[i] = v;
					frac[i] = pos - v;
					if (cellOrigin != null) cellOrigin[(p * levels + l) * dims + i] = v;
				}
				final int base = (p * levels + l) * corners;
				for (int c = 0; c < corners; c++) {
					rows[base + c] = (int) (rowOffset[l] + row(l, lower, c));
					if (weights != null && slope == null) {
						float w = 1;
						for (int i = 0; i < dims; i++) w *= ((c >> i) & 1) == 1 ? frac[i] : 1 - frac[i];
						weights[base + c] = w;
					}
					else if (weights != null) {
						final int block = (p * levels + l) * (1 + dims) * corners;
						float w = 1;
						for (int i = 0; i < dims; i++) w *= ((c >> i) & 1) == 1 ? frac[i] : 1 - frac[i];
						weights[block + c] = w;
						for (int k = 0; k < dims; k++) {
							// ∂/∂x_k of Π_i w_i: the axis-k factor becomes ±1, times d frac / d x_k = res · slope.
							float dw = ((c >> k) & 1) == 1 ? 1 : -1;
							for (int i = 0; i < dims; i++)
								if (i != k) dw *= ((c >> i) & 1) == 1 ? frac[i] : 1 - frac[i];
							weights[block + (1 + k) * corners + c] = dw * res * slope[p * dims + k];
						}
					}
				}
			}
		}
	}

	/** Row within level {@code l} of corner {@code c} of the cell whose lower vertex is {@code lower}. */
	int row(final int l, final int[] lower, final int c) {
		if (hashed[l]) {
			int h = 0;
			for (int i = 0; i < dims; i++)
				h ^= (lower[i] + ((c >> i) & 1)) * PRIMES[i];
			return h & tableMask;
		}
		final int stride = resolution[l] + 1;
		int index = 0, scale = 1;
		for (int i = 0; i < dims; i++) {
			index += (lower[i] + ((c >> i) & 1)) * scale;
			scale *= stride;
		}
		return index;
	}
}
