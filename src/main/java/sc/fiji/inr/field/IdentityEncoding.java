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
}
