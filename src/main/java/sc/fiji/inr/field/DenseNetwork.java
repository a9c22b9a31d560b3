package sc.fiji.inr.field;

import java.util.SplittableRandom;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * A fully connected coordinate network: ReLU MLP or SIREN.
 * <p>
 * SIREN (Sitzmann et al., NeurIPS 2020) computes sin(ω0 (Wx + b)) in every hidden layer; its
 * initialisation keeps activations arcsine-distributed through depth: first layer
 * W ~ U(−1/n, 1/n), later layers W ~ U(−√(6/n)/ω0, √(6/n)/ω0), n = fan-in. ReLU layers use He
 * (Kaiming) uniform initialisation. Biases use PyTorch's default U(−1/√n, 1/√n), as the SIREN
 * reference code does.
 */
public final class DenseNetwork {

	private final NetworkSpec spec;
	private final NDArray[] weights, biases;
	private final float omega0;

	DenseNetwork(final NetworkSpec spec, final int inputs, final int outputs, final Parameters parameters,
			final SplittableRandom random) {
		this.spec = spec;
		this.omega0 = (float) spec.omega0();
		final int layers = spec.depth() + 1;
		weights = new NDArray[layers];
		biases = new NDArray[layers];
		final boolean sine = spec.activation() == NetworkSpec.Activation.SINE;
		for (int k = 0; k < layers; k++) {
			final int in = k == 0 ? inputs : spec.width();
			final int out = k == layers - 1 ? outputs : spec.width();
			final double bound;
			if (sine) bound = k == 0 ? 1.0 / in : Math.sqrt(6.0 / in) / spec.omega0();
			else bound = k == layers - 1 ? Math.sqrt(1.0 / in) : Math.sqrt(6.0 / in);
			weights[k] = parameters.uniform("network.layer" + k + ".weight", new Shape(in, out), bound, random, true);
			biases[k] = parameters.uniform("network.layer" + k + ".bias", new Shape(out), 1.0 / Math.sqrt(in), random, true);
		}
	}

	public NetworkSpec spec() {
		return spec;
	}

	/** Maps features [N, inputs] to outputs [N, outputs]. */
	public NDArray forward(final NDArray input) {
		NDArray x = input;
		final int last = weights.length - 1;
		for (int k = 0; k <= last; k++) {
			x = x.matMul(weights[k]).add(biases[k]);
			if (k < last) x = activate(x);
		}
		return x;
	}

	/**
	 * Maps features and their tangents forward: z = xW + b carries t ↦ tW; ReLU multiplies the
	 * tangent by the step z > 0, sin(ω0 z) by ω0 cos(ω0 z). Exact, first-order operations only.
	 */
	public Jet forward(final Jet input) {
		NDArray x = input.value(), t = input.tangents();                          // [N, F], [d, N, F]
		final int last = weights.length - 1;
		for (int k = 0; k <= last; k++) {
			x = x.matMul(weights[k]).add(biases[k]);
			t = t.matMul(weights[k]);
			if (k < last) {
				if (spec.activation() == NetworkSpec.Activation.SINE) {
					final NDArray phase = x.mul(omega0);
					t = t.mul(phase.cos().mul(omega0).expandDims(0));
					x = phase.sin();
				}
				else {
					t = t.mul(x.gt(0).toType(x.getDataType(), false).expandDims(0));
					x = x.getNDArrayInternal().relu();
				}
			}
		}
		return new Jet(x, t);
	}

	private NDArray activate(final NDArray x) {
		return spec.activation() == NetworkSpec.Activation.SINE ? x.mul(omega0).sin()
				: x.getNDArrayInternal().relu();
	}
}
