package sc.fiji.inr.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import sc.fiji.inr.compute.ComputeRuntime;
import sc.fiji.inr.field.*;

/** Scratch: time of values vs values+Jacobian, forward + backward. args: model width depth n */
public class JetTiming {
	public static void main(final String[] a) throws Exception {
		final ModelOptions m = new ModelOptions(a[0], Integer.parseInt(a[1]), Integer.parseInt(a[2]), 0, 0, 0, 0, 0, 0, 0, 0, 0);
		final int n = Integer.parseInt(a[3]);
		final FieldSpec spec = m.toSpec(2, 2, new long[] { 256, 256 });
		try (NeuralField f = NeuralField.create(spec, new CoordinateFrame(java.util.List.of(sc.fiji.inr.image.Axis.X, sc.fiji.inr.image.Axis.Y),
				new String[] { "px", "px" }, new double[2], new double[] { 1, 1 }, new long[] { 256, 256 }), ValueScale.identity(2), new SourceInfo("t", null), 1)) {
			for (final boolean jac : new boolean[] { false, true, false, true }) {
				final long t0 = System.nanoTime();
				ComputeRuntime.get().run(() -> {
					for (int it = 0; it < 10; it++)
						try (NDManager s = f.parameters().manager().newSubManager()) {
							final NDArray x = s.randomUniform(-1, 1, new Shape(n, 2));
							try (GradientCollector g = ComputeRuntime.get().engine().newGradientCollector()) {
								final NDArray out = jac ? f.valuesWithJacobian(x).tangents().square().sum().add(f.valuesWithJacobian(x).value().sum())
										: f.values(x).square().sum();
								g.backward(out);
							}
						}
				});
				System.out.printf("%s jac=%s: %.1f ms/step%n", String.join(" ", a), jac, (System.nanoTime() - t0) / 1e7);
			}
		}
	}
}
