package sc.fiji.inr.field;

import ai.djl.ndarray.NDArray;

/** Passes coordinates through; SIREN needs no encoding. */
final class IdentityEncoding implements Encoding {

	private final int dims;

	IdentityEncoding(final int dims) {
		this.dims = dims;
	}

	@Override
	public int outputDims() {
		return dims;
	}

	@Override
	public NDArray encode(final NDArray coords) {
		return coords;
	}

	@Override
	public Jet encodeWithTangents(final NDArray coords) {
		final long n = coords.getShape().get(0);
		// ∂x/∂x_k = e_k for every point.
		final NDArray eye = coords.getManager().eye(dims).reshape(dims, 1, dims);
		return new Jet(coords, eye.broadcast(new ai.djl.ndarray.types.Shape(dims, n, dims)));
	}
}
