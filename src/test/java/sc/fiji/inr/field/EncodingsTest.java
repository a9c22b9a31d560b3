package sc.fiji.inr.field;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import sc.fiji.inr.compute.ComputeRuntime;

class EncodingsTest {

	@Test
	void fourierFeaturesAreCosAndSinOfProjectedCoordinates() {
		final FieldSpec spec = new FieldSpec(2, 1, new EncodingSpec.FourierFeatures(5, 3),
				new NetworkSpec(NetworkSpec.Activation.RELU, 4, 1, 0));
		try (NeuralField f = FieldTestSupport.field(spec, 2)) {
			ComputeRuntime.get().run(() -> {
				final float[] b = f.parameters().get(FourierFeatureEncoding.MATRIX).toFloatArray(); // [2, 5]
				try (NDManager m = f.parameters().manager().newSubManager()) {
					final float[] x = { 0.3f, -0.7f };
					final float[] got = f.encoding().encode(m.create(x, new Shape(1, 2))).toFloatArray();
					assertEquals(10, got.length);
					for (int k = 0; k < 5; k++) {
						final double phase = x[0] * b[k] + x[1] * b[5 + k];
						assertEquals(Math.cos(phase), got[k], 1e-5);
						assertEquals(Math.sin(phase), got[5 + k], 1e-5);
					}
				}
			});
		}
	}

	@Test
	void fourierMatrixHasTheRequestedSigma() {
		final FieldSpec spec = new FieldSpec(3, 1, new EncodingSpec.FourierFeatures(2000, 4),
				new NetworkSpec(NetworkSpec.Activation.RELU, 4, 1, 0));
		try (NeuralField f = FieldTestSupport.field(spec, 9)) {
			final float[] b = ComputeRuntime.get().call(() -> f.parameters().get(FourierFeatureEncoding.MATRIX).toFloatArray());
			double sq = 0;
			for (final float v : b) sq += v * v;
			assertEquals(2 * Math.PI * 4, Math.sqrt(sq / b.length), 0.05 * 2 * Math.PI * 4);
		}
	}

	@Test
	void positionalEncodingHasLogSpacedFrequencies() {
		final FieldSpec spec = new FieldSpec(1, 1, new EncodingSpec.Positional(4), new NetworkSpec(NetworkSpec.Activation.RELU, 4, 1, 0));
		try (NeuralField f = FieldTestSupport.field(spec, 1)) {
			ComputeRuntime.get().run(() -> {
				try (NDManager m = f.parameters().manager().newSubManager()) {
					final float x = 0.37f;
					final float[] got = f.encoding().encode(m.create(new float[] { x }, new Shape(1, 1))).toFloatArray();
					assertEquals(9, got.length);
					assertEquals(x, got[0], 1e-6);
					for (int k = 0; k < 4; k++) {
						assertEquals(Math.sin(Math.PI * (1 << k) * x), got[1 + 2 * k], 1e-5);
						assertEquals(Math.cos(Math.PI * (1 << k) * x), got[2 + 2 * k], 1e-5);
					}
				}
			});
		}
	}

	@Test
	void badSpecsAreRejectedWithTheValue() {
		assertEquals("Fourier feature σ must be positive, was -1.0",
				assertThrows(IllegalArgumentException.class, () -> new EncodingSpec.FourierFeatures(8, -1)).getMessage());
		assertThrows(IllegalArgumentException.class, () -> new EncodingSpec.HashGrid(4, 2, 12, 64, 16));
		assertThrows(IllegalArgumentException.class, () -> new FieldSpec(5, 1, new EncodingSpec.None(),
				new NetworkSpec(NetworkSpec.Activation.SINE, 8, 1, 30)));
		assertThrows(IllegalArgumentException.class, () -> ModelOptions.of("transformer"));
	}
}
