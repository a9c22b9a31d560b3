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

	@Override
	public Jet encodeWithTangents(final NDArray coords) {
		final long n = coords.getShape().get(0);
		// Each feature depends on one coordinate: ∂x_i/∂x_k = δ_ik, ∂sin(ax_i)/∂x_k = a cos(ax_i) δ_ik.
		final NDArray eye = coords.getManager().eye(inDims).reshape(inDims, 1, inDims);  // [d, 1, d]
		final NDList parts = new NDList(1 + 2 * frequencies), tangents = new NDList(1 + 2 * frequencies);
		parts.add(coords);
		tangents.add(eye.broadcast(new ai.djl.ndarray.types.Shape(inDims, n, inDims)));
		for (int k = 0; k < frequencies; k++) {
			final double a = Math.PI * (1L << k);
			final NDArray phase = coords.mul((float) a);
			final NDArray sin = phase.sin(), cos = phase.cos();
			parts.add(sin);
			parts.add(cos);
			tangents.add(cos.mul((float) a).expandDims(0).mul(eye));
			tangents.add(sin.mul((float) -a).expandDims(0).mul(eye));
		}
		return new Jet(NDArrays.concat(parts, 1), NDArrays.concat(tangents, 2));
	}
}
