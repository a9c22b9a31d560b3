package sc.fiji.inr.tasks.registration;

import java.io.IOException;
import java.nio.file.Path;

import com.google.gson.JsonObject;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import sc.fiji.inr.compute.ComputeRuntime;
import sc.fiji.inr.compute.Tensors;
import sc.fiji.inr.field.CoordinateFrame;
import sc.fiji.inr.field.FieldFile;
import sc.fiji.inr.field.Jet;
import sc.fiji.inr.field.NeuralField;

/**
 * A fitted registration: φ(x) = M x + t + u(x), mapping physical points of the fixed image into
 * the moving image. u is a neural field over the fixed image's frame whose values are physical
 * displacements (its value scale holds the frame's half extent s, as it predicts u / s).
 * Saved as a field file whose header member "registration" holds the affine part.
 */
public final class DeformationTransform implements AutoCloseable {

	/** Header member of a registration field file. */
	public static final String HEADER = "registration";

	private final NeuralField field;
	private final Affine affine;

	public DeformationTransform(final NeuralField field, final Affine affine) {
		if (field.spec().inDims() != affine.dims() || field.spec().outChannels() != affine.dims())
			throw new IllegalArgumentException("A " + affine.dims() + "D transform needs a field from " + affine.dims()
					+ " coordinates to " + affine.dims() + " displacements, not " + field.spec().inDims() + " → " + field.spec().outChannels());
		this.field = field;
		this.affine = affine;
	}

	public NeuralField field() {
		return field;
	}

	public Affine affine() {
		return affine;
	}

	public int dims() {
		return affine.dims();
	}

	/** The fixed image's grid, on which the displacement is defined. */
	public CoordinateFrame fixedFrame() {
		return field.frame();
	}

	/** Maps {@code n} interleaved physical points in place: x ↦ M x + t + u(x). */
	public void map(final double[] points, final int n) {
		final int d = dims();
		final float[] u = field.evaluatePhysical(points, n);
		final double[] x = new double[d];
		for (int p = 0; p < n; p++) {
			System.arraycopy(points, p * d, x, 0, d);
			affine.apply(x);
			for (int k = 0; k < d; k++) points[p * d + k] = x[k] + u[p * d + k];
		}
	}

	/**
	 * det ∂φ/∂x at {@code n} interleaved physical points: det(M + ∂u/∂x), exact (forward mode).
	 * A value ≤ 0 means the map folds there.
	 */
	public float[] jacobianDeterminants(final double[] points, final int n) {
		final int d = dims();
		final float[] normalised = new float[n * d];
		field.frame().normalise(points, normalised, n);
		final double[][] m = affine.matrix();
		return ComputeRuntime.get().call(() -> {
			final float[] det = new float[n];
			final int chunk = 8192;
			try (NDManager scope = field.parameters().manager().newSubManager()) {
				for (int from = 0; from < n; from += chunk) {
					final int rows = Math.min(chunk, n - from);
					try (NDManager step = scope.newSubManager()) {
						final float[] part = new float[rows * d];
						System.arraycopy(normalised, from * d, part, 0, rows * d);
						final Jet jet = field.valuesWithJacobian(Tensors.floats(step, part, new Shape(rows, d)));
						final float[] t = jet.tangents().toFloatArray(); // [k, p, i] = ∂û_i/∂x̂_k = ∂u_i/∂x_k
						final double[][] j = new double[d][d];
						for (int p = 0; p < rows; p++) {
							for (int i = 0; i < d; i++)
								for (int k = 0; k < d; k++) j[i][k] = m[i][k] + t[(k * rows + p) * d + i];
							det[from + p] = (float) Affine.determinant(j);
						}
					}
				}
			}
			return det;
		});
	}

	/** Saves the transform as a field file (atomically: a failed save keeps any older file). */
	public void save(final Path path) throws IOException {
		final JsonObject extras = new JsonObject();
		final JsonObject r = new JsonObject();
		r.addProperty("affine", affine.toString());
		r.addProperty("convention", "moving(M x + t + u(x)) ≈ fixed(x); u = field value, physical units, channels x, y(, z)");
		extras.add(HEADER, r);
		FieldFile.save(field, path, extras);
	}

	/** Reads a transform saved by {@link #save}; a plain field file is refused with a message. */
	public static DeformationTransform load(final Path path) throws IOException {
		final FieldFile.Header header = FieldFile.readHeader(path);
		if (!header.json().has(HEADER) || !header.json().getAsJsonObject(HEADER).has("affine"))
			throw new IOException("'" + path.getFileName() + "' is a neural field but not a registration transform (its header has no '"
					+ HEADER + "' member); make one with Register Images (Deformable)... or 'inr register'");
		final Affine affine;
		try {
			affine = Affine.parse(header.json().getAsJsonObject(HEADER).get("affine").getAsString());
		}
		catch (final IllegalArgumentException e) {
			throw new IOException("Registration transform '" + path.getFileName() + "' is corrupt: " + e.getMessage(), e);
		}
		final NeuralField field = FieldFile.load(path);
		try {
			return new DeformationTransform(field, affine);
		}
		catch (final IllegalArgumentException e) {
			field.close();
			throw new IOException("Registration transform '" + path.getFileName() + "' is corrupt: " + e.getMessage(), e);
		}
	}

	@Override
	public void close() {
		field.close();
	}

	/** Zeroes the field's last layer so that u ≡ 0 before fitting (the affine alone maps). */
	static void zeroLastLayer(final NeuralField field) {
		final int last = field.spec().network().depth();
		ComputeRuntime.get().run(() -> {
			for (final String part : new String[] { "weight", "bias" }) {
				final NDArray a = field.parameters().get("network.layer" + last + "." + part);
				a.set(new float[(int) a.size()]);
			}
		});
	}
}
