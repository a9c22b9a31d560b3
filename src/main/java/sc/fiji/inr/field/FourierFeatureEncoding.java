package sc.fiji.inr.field;

import java.util.SplittableRandom;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.Shape;

/**
 * Gaussian random Fourier features (Tancik et al., NeurIPS 2020): γ(x) = [cos 2πBx, sin 2πBx].
 * B is drawn once and stored with the field (it is a buffer, not trained).
 */
final class FourierFeatureEncoding implements Encoding {

	/** The matrix 2πB, stored pre-multiplied so the file holds exactly what evaluation uses. */
	static final String MATRIX = "encoding.twoPiB";

	private final NDArray twoPiB;
	private final int count;

	FourierFeatureEncoding(final EncodingSpec.FourierFeatures spec, final int inDims,
			final Parameters parameters, final SplittableRandom random) {
		count = spec.count();
		twoPiB = parameters.normal(MATRIX, new Shape(inDims, count), 2 * Math.PI * spec.sigma(), random, false);
	}

	@Override
	public int outputDims() {
		return 2 * count;
	}

	@Override
	public NDArray encode(final NDArray coords) {
		final NDArray phase = coords.matMul(twoPiB);
		return NDArrays.concat(new ai.djl.ndarray.NDList(phase.cos(), phase.sin()), 1);
	}

	@Override
	public Jet encodeWithTangents(final NDArray coords) {
		final NDArray phase = coords.matMul(twoPiB);                                  // [N, K]
		final NDArray cos = phase.cos(), sin = phase.sin();
		// ∂phase/∂x_k is row k of 2πB: ∂cos = −sin · 2πB_k, ∂sin = cos · 2πB_k.
		final long d = twoPiB.getShape().get(0);
		final NDArray rows = twoPiB.reshape(d, 1, count);                             // [d, 1, K]
		final NDArray tangents = NDArrays.concat(new ai.djl.ndarray.NDList(sin.neg().expandDims(0).mul(rows),
				cos.expandDims(0).mul(rows)), 2);                                   // [d, N, 2K]
		return new Jet(NDArrays.concat(new ai.djl.ndarray.NDList(cos, sin), 1), tangents);
	}
}
