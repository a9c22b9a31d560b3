package sc.fiji.inr.field;

import java.util.SplittableRandom;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import sc.fiji.inr.compute.ComputeRuntime;
import sc.fiji.inr.compute.Tensors;

/**
 * A neural field: encoding + network + coordinate frame + value scale, with its tensors.
 * <p>
 * The field owns an {@link NDManager} that holds its parameters and nothing else; every
 * evaluation's temporaries belong to the caller's manager. Close the field to free its native
 * memory. All DJL work must happen on the {@link ComputeRuntime} thread; the {@code *Physical}
 * methods hop there themselves.
 */
public final class NeuralField implements FieldEvaluator, AutoCloseable {

	/**
	 * Rows per network evaluation. Why: fresh allocations of tens of MB are slow (page faults,
	 * glibc returning large blocks to the system), so wide MLPs run in chunks of 4096 rows
	 * (4 MB per 256-wide activation). Autograd works across the chunks, so objectives never need
	 * to care. The hash grid's per-row work is small and its per-call overhead larger, so it
	 * prefers {@value #HASH_GRID_CHUNK_ROWS} rows (measured with bench/run).
	 */
	public static final int DEFAULT_CHUNK_ROWS = 4096;
	public static final int HASH_GRID_CHUNK_ROWS = 16384;

	/** System property overriding {@link #DEFAULT_CHUNK_ROWS} (for tuning on other machines). */
	public static final String CHUNK_ROWS_PROPERTY = "inr.chunkRows";

	private final FieldSpec spec;
	private final CoordinateFrame frame;
	private final ValueScale scale;
	private final SourceInfo source;
	private final NDManager manager;
	private final Parameters parameters;
	private final Encoding encoding;
	private final DenseNetwork network;
	private volatile TrainingRecord training;
	private int chunkRows;

	private NeuralField(final FieldSpec spec, final CoordinateFrame frame, final ValueScale scale,
			final SourceInfo source, final long seed) {
		if (frame.numDimensions() != spec.inDims())
			throw new IllegalArgumentException("Frame has " + frame.numDimensions() + " axes but the field takes "
					+ spec.inDims() + " coordinates");
		if (scale.channels() != spec.outChannels())
			throw new IllegalArgumentException("Value scale has " + scale.channels() + " channels but the field outputs "
					+ spec.outChannels());
		this.spec = spec;
		this.frame = frame;
		this.scale = scale;
		this.source = source;
		this.training = TrainingRecord.untrained(seed);
		this.chunkRows = Integer.getInteger(CHUNK_ROWS_PROPERTY,
				spec.encoding() instanceof EncodingSpec.HashGrid ? HASH_GRID_CHUNK_ROWS : DEFAULT_CHUNK_ROWS);
		final ComputeRuntime runtime = ComputeRuntime.get();
		manager = runtime.engine().newBaseManager(runtime.device());
		manager.setName("neural-field");
		boolean ok = false;
		try {
			parameters = new Parameters(manager);
			final SplittableRandom random = new SplittableRandom(seed);
			encoding = Encoding.create(spec.encoding(), spec.inDims(), parameters, random.split());
			network = new DenseNetwork(spec.network(), encoding.outputDims(), spec.outChannels(), parameters,
					random.split());
			ok = true;
		}
		finally {
			if (!ok) manager.close();
		}
	}

	/** Creates an untrained field, initialised reproducibly from {@code seed}. */
	public static NeuralField create(final FieldSpec spec, final CoordinateFrame frame, final ValueScale scale,
			final SourceInfo source, final long seed) {
		return ComputeRuntime.get().call(() -> new NeuralField(spec, frame, scale, source, seed));
	}

	public FieldSpec spec() {
		return spec;
	}

	public CoordinateFrame frame() {
		return frame;
	}

	public ValueScale scale() {
		return scale;
	}

	public SourceInfo source() {
		return source;
	}

	public Parameters parameters() {
		return parameters;
	}

	public Encoding encoding() {
		return encoding;
	}

	public TrainingRecord training() {
		return training;
	}

	public void setTraining(final TrainingRecord training) {
		this.training = training;
	}

	/** Maximum rows per network evaluation (see {@link #DEFAULT_CHUNK_ROWS}). */
	public void setChunkRows(final int rows) {
		if (rows < 1) throw new IllegalArgumentException("Chunk rows must be ≥ 1, was " + rows);
		chunkRows = rows;
	}

	public int chunkRows() {
		return chunkRows;
	}

	@Override
	public NDArray values(final NDArray coords) {
		return values(coords, false);
	}

	@Override
	public NDArray valuesDifferentiableInCoordinates(final NDArray coords) {
		return values(coords, true);
	}

	@Override
	public Jet valuesWithJacobian(final NDArray coords) {
		final Shape shape = coords.getShape();
		if (shape.dimension() != 2 || shape.get(1) != spec.inDims())
			throw new IllegalArgumentException("Coordinates must have shape [N, " + spec.inDims() + "], not " + shape);
		final long n = shape.get(0);
		// Tangents cost inDims more rows of work: keep the chunk's activations the same size.
		final long rows = Math.max(1, chunkRows / (1 + spec.inDims()));
		if (n <= rows) return network.forward(encoding.encodeWithTangents(coords));
		final NDList values = new NDList(), tangents = new NDList();
		for (long from = 0; from < n; from += rows) {
			final Jet part = network.forward(encoding.encodeWithTangents(coords.get(new NDIndex("{}:{}", from, Math.min(n, from + rows)))));
			values.add(part.value());
			tangents.add(part.tangents());
		}
		return new Jet(NDArrays.concat(values, 0), NDArrays.concat(tangents, 1));
	}

	private NDArray values(final NDArray coords, final boolean differentiable) {
		final Shape shape = coords.getShape();
		if (shape.dimension() != 2 || shape.get(1) != spec.inDims())
			throw new IllegalArgumentException("Coordinates must have shape [N, " + spec.inDims() + "], not " + shape);
		final long n = shape.get(0);
		if (n <= chunkRows) return network.forward(encode(coords, differentiable));
		final NDList parts = new NDList();
		for (long from = 0; from < n; from += chunkRows) {
			final NDArray chunk = coords.get(new NDIndex("{}:{}", from, Math.min(n, from + chunkRows)));
			parts.add(network.forward(encode(chunk, differentiable)));
		}
		return NDArrays.concat(parts, 0);
	}

	private NDArray encode(final NDArray coords, final boolean differentiable) {
		return differentiable ? encoding.encodeDifferentiably(coords) : encoding.encode(coords);
	}

	/**
	 * Evaluates the field at {@code n} physical points (interleaved, frame axis order) without
	 * gradients, returning interleaved values [n × channels] in the source intensity scale.
	 */
	public float[] evaluatePhysical(final double[] physical, final int n) {
		final int dims = spec.inDims(), channels = spec.outChannels();
		if (physical.length < (long) n * dims)
			throw new IllegalArgumentException("Expected " + n + " points of " + dims + " coordinates");
		final float[] normalised = new float[n * dims];
		frame.normalise(physical, normalised, n);
		final float[] out = evaluateNormalised(normalised, n);
		for (int p = 0; p < n; p++)
			for (int c = 0; c < channels; c++)
				out[p * channels + c] = (float) scale.denormalise(c, out[p * channels + c]);
		return out;
	}

	/** Evaluates at {@code n} normalised points without gradients; values stay normalised. */
	public float[] evaluateNormalised(final float[] normalised, final int n) {
		final int dims = spec.inDims(), channels = spec.outChannels();
		return ComputeRuntime.get().call(() -> {
			final float[] out = new float[n * channels];
			try (NDManager scope = manager.newSubManager()) {
				for (int from = 0; from < n; from += chunkRows) {
					final int rows = Math.min(chunkRows, n - from);
					try (NDManager step = scope.newSubManager()) {
						final float[] chunk = new float[rows * dims];
						System.arraycopy(normalised, from * dims, chunk, 0, rows * dims);
						final NDArray values = values(Tensors.floats(step, chunk, new Shape(rows, dims)));
						System.arraycopy(values.toFloatArray(), 0, out, from * channels, rows * channels);
					}
				}
			}
			return out;
		});
	}

	@Override
	public void close() {
		ComputeRuntime.get().run(manager::close);
	}
}
