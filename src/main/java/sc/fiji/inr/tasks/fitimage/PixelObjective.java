package sc.fiji.inr.tasks.fitimage;

import java.util.SplittableRandom;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import sc.fiji.inr.compute.Tensors;
import sc.fiji.inr.field.FieldEvaluator;
import sc.fiji.inr.field.NeuralField;
import sc.fiji.inr.field.ValueScale;
import sc.fiji.inr.fit.Batch;
import sc.fiji.inr.fit.Loss;
import sc.fiji.inr.fit.Objective;

/**
 * Fit the field's value at each pixel centre to the pixel's value. Each step draws a batch of
 * pixels uniformly at random (with replacement, as Instant-NGP does), or takes all of them when
 * the batch is at least the image size. The evaluation PSNR uses a fixed set of at most
 * {@value #EVALUATION_PIXELS} pixels (all of them for images up to that size), with the data
 * range of the normalised values (2).
 */
public final class PixelObjective implements Objective {

	static final int EVALUATION_PIXELS = 1 << 16;

	private final PixelTable table;
	private final ValueScale scale;
	private final Loss loss;
	private final int batchSize;
	private final float[] normalisedValues;
	private final long[] evaluationPixels;

	PixelObjective(final PixelTable table, final ValueScale scale, final Loss loss, final int batchSize, final long seed) {
		this.table = table;
		this.scale = scale;
		this.loss = loss;
		this.batchSize = batchSize <= 0 || batchSize >= table.pixels ? (int) Math.min(table.pixels, Integer.MAX_VALUE) : batchSize;
		normalisedValues = new float[table.values.length];
		final int c = table.channels;
		for (int i = 0; i < normalisedValues.length; i++)
			normalisedValues[i] = (float) scale.normalise(i % c, table.values[i]);
		final SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
		if (table.pixels <= EVALUATION_PIXELS) {
			evaluationPixels = new long[(int) table.pixels];
			for (int p = 0; p < evaluationPixels.length; p++) evaluationPixels[p] = p;
		}
		else {
			evaluationPixels = new long[EVALUATION_PIXELS];
			for (int i = 0; i < evaluationPixels.length; i++) evaluationPixels[i] = random.nextLong(table.pixels);
		}
	}

	@Override
	public String name() {
		return "pixels";
	}

	@Override
	public Batch sample(final NDManager manager, final SplittableRandom random) {
		final boolean full = batchSize >= table.pixels;
		final long[] pixels = new long[batchSize];
		for (int i = 0; i < batchSize; i++) pixels[i] = full ? i : random.nextLong(table.pixels);
		return samples(manager, pixels);
	}

	private Batch.Samples samples(final NDManager manager, final long[] pixels) {
		final int n = pixels.length, d = table.dims(), c = table.channels;
		final float[] coords = new float[n * d];
		final float[] target = new float[n * c];
		for (int i = 0; i < n; i++) {
			table.coordinates(pixels[i], coords, i * d);
			System.arraycopy(normalisedValues, (int) (pixels[i] * c), target, i * c, c);
		}
		return new Batch.Samples(Tensors.floats(manager, coords, new Shape(n, d)), Tensors.floats(manager, target, new Shape(n, c)));
	}

	@Override
	public NDArray predict(final FieldEvaluator field, final Batch batch) {
		return field.values(((Batch.Samples) batch).coords());
	}

	@Override
	public NDArray loss(final NDArray predicted, final Batch batch) {
		return loss.apply(predicted, ((Batch.Samples) batch).target());
	}

	@Override
	public double evaluatePsnr(final NeuralField field) {
		final int n = evaluationPixels.length, d = table.dims(), c = table.channels;
		final float[] coords = new float[n * d];
		for (int i = 0; i < n; i++) table.coordinates(evaluationPixels[i], coords, i * d);
		final float[] predicted = field.evaluateNormalised(coords, n);
		double sum = 0;
		for (int i = 0; i < n; i++)
			for (int k = 0; k < c; k++) {
				final double e = predicted[i * c + k] - normalisedValues[(int) (evaluationPixels[i] * c + k)];
				sum += e * e;
			}
		final double mse = sum / ((double) n * c);
		// Normalised values span [−1, 1]: data range 2.
		return 10 * Math.log10(4 / Math.max(mse, 1e-20));
	}

	ValueScale scale() {
		return scale;
	}
}
