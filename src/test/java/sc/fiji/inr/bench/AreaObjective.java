package sc.fiji.inr.bench;

import java.util.SplittableRandom;
import java.util.function.BiFunction;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import sc.fiji.inr.compute.Tensors;
import sc.fiji.inr.field.CoordinateFrame;
import sc.fiji.inr.field.FieldEvaluator;
import sc.fiji.inr.field.NeuralField;
import sc.fiji.inr.field.ValueScale;
import sc.fiji.inr.fit.Batch;
import sc.fiji.inr.fit.Objective;

/**
 * For {@code bench/run ct-prior area} (an experiment, not a task): fit a 2D field so that its
 * mean over each pixel's area, not its value at the pixel centre, equals the pixel, from S×S
 * stratified points per pixel, jittered within their strata each step. A pixel of a CT image is
 * such a mean (partial volume), so the field may put an edge at its sub-pixel place.
 */
final class AreaObjective implements Objective {

	private final CoordinateFrame frame;
	private final float[] normalised;
	private final int pixelsPerStep, s;

	AreaObjective(final CoordinateFrame frame, final float[] image, final ValueScale scale, final int pixelsPerStep, final int s) {
		this.frame = frame;
		this.pixelsPerStep = pixelsPerStep;
		this.s = s;
		normalised = new float[image.length];
		for (int k = 0; k < image.length; k++) normalised[k] = (float) scale.normalise(0, image[k]);
	}

	@Override
	public String name() {
		return "pixel-areas";
	}

	@Override
	public Batch sample(final NDManager manager, final SplittableRandom random) {
		final int[] pixels = new int[pixelsPerStep];
		final float[] target = new float[pixelsPerStep];
		for (int i = 0; i < pixelsPerStep; i++) target[i] = normalised[pixels[i] = random.nextInt(normalised.length)];
		return new Batch.Samples(Tensors.floats(manager, points(frame, s, pixels, random), new Shape((long) pixelsPerStep * s * s, 2)),
				Tensors.floats(manager, target, new Shape(pixelsPerStep, 1)));
	}

	/**
	 * S² points per pixel of {@code pixels} (null = every pixel of the frame), normalised and
	 * interleaved: jittered within their strata with {@code random}, at the strata's centres without.
	 */
	static float[] points(final CoordinateFrame frame, final int s, final int[] pixels, final SplittableRandom random) {
		final long w = frame.size()[0];
		final int n = pixels != null ? pixels.length : (int) (w * frame.size()[1]), k = s * s;
		final double dx = frame.spacing()[0] / frame.halfExtent(0), dy = frame.spacing()[1] / frame.halfExtent(1);
		final float[] coords = new float[n * k * 2];
		for (int i = 0; i < n; i++) {
			final int pixel = pixels != null ? pixels[i] : i;
			final double cx = frame.normalisedPixelCentre(0, pixel % w), cy = frame.normalisedPixelCentre(1, pixel / w);
			for (int a = 0; a < s; a++)
				for (int b = 0; b < s; b++) {
					final double jx = random == null ? 0.5 : random.nextDouble(), jy = random == null ? 0.5 : random.nextDouble();
					final int p = (i * k + a * s + b) * 2;
					coords[p] = (float) (cx + ((b + jx) / s - 0.5) * dx);
					coords[p + 1] = (float) (cy + ((a + jy) / s - 0.5) * dy);
				}
		}
		return coords;
	}

	@Override
	public NDArray predict(final FieldEvaluator field, final Batch batch) {
		return field.values(((Batch.Samples) batch).coords()).reshape(-1, s * s).mean(new int[] { 1 }, true);
	}

	@Override
	public NDArray loss(final NDArray predicted, final Batch batch) {
		return predicted.sub(((Batch.Samples) batch).target()).square().mean();
	}

	@Override
	public double evaluatePsnr(final NeuralField field) {
		final float[] means = areaMeans(field, frame, s, null);
		double sum = 0;
		for (int i = 0; i < means.length; i++) sum += Math.pow(means[i] - normalised[i], 2);
		// normalised values span [−1, 1]: data range 2
		return 10 * Math.log10(4 / Math.max(sum / means.length, 1e-20));
	}

	/**
	 * {@code field}'s mean over each pixel of the frame (S² stratum centres), normalised, at
	 * x + u(x) with u = {@code displacement} (normalised coordinates and count to displacements), or at x.
	 */
	static float[] areaMeans(final NeuralField field, final CoordinateFrame frame, final int s,
			final BiFunction<float[], Integer, float[]> displacement) {
		final float[] coords = points(frame, s, null, null);
		final int k = s * s, count = coords.length / 2;
		if (displacement != null) {
			final float[] u = displacement.apply(coords, count);
			for (int j = 0; j < coords.length; j++) coords[j] += u[j];
		}
		final float[] v = field.evaluateNormalised(coords, count), out = new float[count / k];
		for (int i = 0; i < out.length; i++) {
			double m = 0;
			for (int j = 0; j < k; j++) m += v[i * k + j];
			out[i] = (float) (m / k);
		}
		return out;
	}
}
