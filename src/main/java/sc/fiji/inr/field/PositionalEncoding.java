package sc.fiji.inr.field;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDArrays;

/** NeRF positional encoding: [x, sin(2^k πx), cos(2^k πx)] for k = 0 … K−1 (log-spaced frequencies). */
final class PositionalEncoding implements Encoding {

	private final int inDims, frequencies;

	PositionalEncoding(final EncodingSpec.Positional spec, final int inDims) {
		this.inDims = inDims;
		this.frequencies = spec.frequencies();
	}

	@Override
	public int outputDims() {
		return inDims * (1 + 2 * frequencies);
	}

	@Override
	public NDArray encode(final NDArray coords) {
		final NDList parts = new NDList(1 + 2 * frequencies);
		parts.add(coords);
		for (int k = 0; k < frequencies; k++) {
			final NDArray phase = coords.mul(Math.PI * (1L << k));
			parts.add(phase.sin());
			parts.add(phase.cos());
		}
		return NDArrays.concat(parts, 1);
	}
}
