package sc.fiji.inr.tasks.superres;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import sc.fiji.inr.compute.ComputeRuntime;
import sc.fiji.inr.compute.Tensors;
import sc.fiji.inr.field.CoordinateFrame;
import sc.fiji.inr.field.FieldEvaluator;
import sc.fiji.inr.field.ValueScale;
import sc.fiji.inr.fit.Loss;
import sc.fiji.inr.fit.Trainable;
import sc.fiji.inr.image.Axis;

class PoseGradientTest {

	@Test
	void lossGradientReachesThePoses() {
		final CoordinateFrame frame = new CoordinateFrame(List.of(Axis.X, Axis.Y, Axis.Z), new String[] { "mm", "mm", "mm" },
				new double[3], new double[] { 1, 1, 1 }, new long[] { 10, 10, 10 });
		final StackGeometry g = StackGeometry.axisAligned(new long[] { 10, 10, 5 }, new double[] { 1, 1, 2 }, new double[] { 0, 0, 0.5 });
		final PointSpreadFunction psf = PointSpreadFunction.forStack(g, SliceProfile.box(2), 1);
		final float[] values = new float[500];
		for (int i = 0; i < values.length; i++) values[i] = (i % 10) / 10f;
		final Acquisition a = new Acquisition("a", values, 1, g, psf), b = new Acquisition("b", values.clone(), 1, g, psf);
		final AcquisitionObjective objective = new AcquisitionObjective(List.of(a, b), frame, ValueScale.identity(1), Loss.L2, 256,
				true, 1e-3, 1);
		final FieldEvaluator linear = (FieldEvaluator) coords -> coords.matMul(Tensors.floats(coords.getManager(), new float[] { 1, 2, 3 }, new Shape(3, 1)));
		final sc.fiji.inr.field.NeuralField hash = sc.fiji.inr.field.NeuralField.create(
				sc.fiji.inr.field.ModelOptions.of("hashgrid").toSpec(3, 1, new long[] { 10, 10, 10 }), frame, ValueScale.identity(1),
				new sc.fiji.inr.field.SourceInfo("x", null), 1);
		for (final FieldEvaluator field : List.of(linear, hash)) {
		final float[] gradient = ComputeRuntime.get().call(() -> {
			try (NDManager m = ComputeRuntime.get().engine().newBaseManager()) {
				final List<Trainable> poses = objective.createTrainables(m);
				final var batch = objective.sample(m, new SplittableRandom(1));
				try (GradientCollector c = ComputeRuntime.get().engine().newGradientCollector()) {
					final NDArray loss = objective.loss(objective.predict(field, batch), batch);
					c.backward(loss);
				}
				return poses.get(0).tensor().getGradient().toFloatArray();
			}
		});
		double norm = 0;
		for (final float v : gradient) norm += v * v;
		assertTrue(norm > 1e-12, "pose gradient " + java.util.Arrays.toString(gradient));
		}
		hash.close();
	}
}
