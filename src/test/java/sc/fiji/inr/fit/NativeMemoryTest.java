package sc.fiji.inr.fit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import sc.fiji.inr.compute.ComputeRuntime;
import sc.fiji.inr.field.FieldTestSupport;
import sc.fiji.inr.field.ModelOptions;
import sc.fiji.inr.field.NeuralField;

/**
 * Native memory stays flat over a fit: after fitting and evaluating, the field's manager holds
 * exactly its parameters. (DJL attaches an operation's result to the manager of the array it was
 * called on, so an operation on a parameter inside a step would otherwise pile up in the field.)
 */
class NativeMemoryTest {

	@Test
	void fieldManagerHoldsOnlyParametersAfterFitting() {
		for (final String model : ModelOptions.MODELS) {
			try (NeuralField f = FieldTestSupport.field(ModelOptions.of(model).toSpec(1, 1, new long[] { 64 }), 1)) {
				final int before = managed(f);
				assertEquals(f.parameters().all().size(), before, model);
				Fitter.fit(f, new FitterTest.SineObjective(), FitOptions.defaults().withSteps(5).withEvaluateEvery(2), null);
				f.evaluateNormalised(new float[] { 0.1f, 0.2f }, 2);
				assertEquals(before, managed(f), model + ": arrays left in the field's manager after a fit");
			}
		}
	}

	private static int managed(final NeuralField f) {
		return ComputeRuntime.get().call(() -> {
			int n = 0;
			for (final var a : f.parameters().manager().getManagedArrays()) if (!a.isReleased()) n++;
			return n;
		});
	}
}
