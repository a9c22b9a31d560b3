package sc.fiji.inr.tasks.mri;

import java.util.SplittableRandom;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import sc.fiji.inr.compute.ComputeRuntime;
import sc.fiji.inr.compute.Tensors;
import sc.fiji.inr.field.CoordinateFrame;
import sc.fiji.inr.field.FieldEvaluator;
import sc.fiji.inr.field.NeuralField;
import sc.fiji.inr.field.ValueScale;
import sc.fiji.inr.fit.Batch;
import sc.fiji.inr.fit.Objective;
import sc.fiji.inr.tasks.Reconstruction;

/**
 * The MRI forward model as an objective of the one fitting engine: the field is evaluated at
 * every pixel centre of the image grid, Fourier-transformed with orthonormal scaling and read at
 * the sampled k-space locations; the loss compares those with the measured samples, plus an
 * optional total-variation term on the image.
 * <p>
 * Every step uses the whole image, since one k-space sample depends on every pixel (no random
 * batches as for pixels or rays). Measured samples come in the unshifted (DC at index 0) layout
 * so the graph needs no shift: the caller converts once from the centred layout users see.
 * <p>
 * Loss scale: with orthonormal transforms Σ|Δk|² = Σ|Δx|² (Parseval), so the data term
 * Σ_sampled |F x − y|² / (N s²) is the normalised image-domain MSE a fully sampled scan would
 * give; the TV weight is therefore comparable to image fitting's.
 */
public final class KSpaceObjective implements Objective {

	private final int width, height, channels;
	private final ValueScale scale;
	private final float[] coordinates;
	private final long[] sampled;
	private final float[] measured;
	private final double tvWeight;
	private final Reconstruction.PriorImage prior;

	/**
	 * @param frame     the field's frame; its first two axes span the {@code width × height} image grid
	 * @param scale     the field's value scale (1 channel: a real image; 2: real and imaginary parts)
	 * @param sampled   unshifted flat k-space indices (kx + width·ky) that were measured
	 * @param real      measured real parts, one per sampled index, orthonormal scaling
	 * @param imaginary measured imaginary parts
	 * @param tvWeight  weight of the anisotropic total variation of the normalised image (0 = none)
	 * @param prior     the prior term (total variation of the change from the prior image), or null
	 */
	public KSpaceObjective(final CoordinateFrame frame, final ValueScale scale, final int width, final int height,
			final long[] sampled, final float[] real, final float[] imaginary, final double tvWeight,
			final Reconstruction.PriorImage prior) {
		if (frame.numDimensions() != 2 || frame.size()[0] != width || frame.size()[1] != height)
			throw new IllegalArgumentException("The field's frame must be the " + width + "×" + height + " image grid, was "
					+ frame);
		if (scale.channels() != 1 && scale.channels() != 2)
			throw new IllegalArgumentException("An MRI field has 1 (real) or 2 (complex) channels, not " + scale.channels());
		if (sampled.length == 0) throw new IllegalArgumentException("No k-space samples: the mask is empty");
		if (real.length != sampled.length || imaginary.length != sampled.length)
			throw new IllegalArgumentException("Measured values (" + real.length + ", " + imaginary.length
					+ ") do not match the " + sampled.length + " sampled locations");
		if (!(tvWeight >= 0) || !Double.isFinite(tvWeight))
			throw new IllegalArgumentException("Total-variation weight must be ≥ 0, was " + tvWeight);
		this.width = width;
		this.height = height;
		this.channels = scale.channels();
		this.scale = scale;
		this.tvWeight = tvWeight;
		if (prior != null && (prior.channels() != channels || prior.size().length != 2 || prior.size()[0] != width
				|| prior.size()[1] != height))
			throw new IllegalArgumentException("The prior image (" + java.util.Arrays.toString(prior.size()) + ", " + prior.channels()
					+ " channel(s)) does not match the " + width + "×" + height + " grid with " + channels);
		this.prior = prior;
		this.sampled = sampled.clone();
		measured = new float[2 * sampled.length];
		for (int i = 0; i < sampled.length; i++) {
			if (sampled[i] < 0 || sampled[i] >= (long) width * height)
				throw new IllegalArgumentException("Sampled index " + sampled[i] + " is outside the " + width + "×" + height + " grid");
			measured[2 * i] = real[i];
			measured[2 * i + 1] = imaginary[i];
		}
		coordinates = new float[2 * width * height];
		for (int y = 0, p = 0; y < height; y++)
			for (int x = 0; x < width; x++, p++) {
				coordinates[2 * p] = (float) frame.normalisedPixelCentre(0, x);
				coordinates[2 * p + 1] = (float) frame.normalisedPixelCentre(1, y);
			}
	}

	/** One step's data: all pixel coordinates, the sampled indices and values; the image predicted last. */
	static final class KSpaceBatch implements Batch {
		final NDArray coords, indices, target;
		/** The prior image [N, channels] (normalised units), or null. */
		NDArray prior;
		/** The image behind the last prediction, kept for the regulariser (normalised units). */
		NDArray normalisedImage;

		KSpaceBatch(final NDArray coords, final NDArray indices, final NDArray target) {
			this.coords = coords;
			this.indices = indices;
			this.target = target;
		}

		@Override
		public long size() {
			return indices.getShape().get(0) / 2;
		}
	}

	@Override
	public String name() {
		return "k-space";
	}

	@Override
	public Batch sample(final NDManager manager, final SplittableRandom random) {
		final long[] flat = new long[2 * sampled.length];
		for (int i = 0; i < sampled.length; i++) {
			flat[2 * i] = 2 * sampled[i];
			flat[2 * i + 1] = 2 * sampled[i] + 1;
		}
		final KSpaceBatch b = new KSpaceBatch(Tensors.floats(manager, coordinates, new Shape((long) width * height, 2)),
				manager.create(flat), Tensors.floats(manager, measured, new Shape(measured.length)));
		if (prior != null) b.prior = Tensors.floats(manager, prior.values(), new Shape((long) width * height, channels));
		return b;
	}

	@Override
	public NDArray predict(final FieldEvaluator field, final Batch batch) {
		final KSpaceBatch b = (KSpaceBatch) batch;
		final NDArray normalised = field.values(b.coords);
		b.normalisedImage = normalised;
		return transform(normalised).reshape(-1).take(b.indices);
	}

	/**
	 * Orthonormal 2D DFT of the field's image [N, channels] (normalised units), as interleaved
	 * (real, imaginary) pairs [height, width, 2]. Why assemble the complex image as
	 * {@code re + i·im} with a constant {@code i}: DJL's {@code complex()} on an array of the
	 * autograd graph does not back-propagate, arithmetic with a complex constant does.
	 */
	NDArray transform(final NDArray normalised) {
		final NDManager m = normalised.getManager();
		final double s = scale.scale()[0];
		NDArray image;
		if (channels == 1) image = normalised.reshape(height, width).mul((float) s).add((float) scale.offset()[0]);
		else {
			final NDArray re = normalised.get(":, 0").reshape(height, width).mul((float) s).add((float) scale.offset()[0]);
			final NDArray im = normalised.get(":, 1").reshape(height, width).mul((float) scale.scale()[1]).add((float) scale.offset()[1]);
			final NDArray i = m.create(new float[] { 0, 1 }).complex();
			image = re.add(im.mul(i));
		}
		return image.fft2(new long[] { height, width }, new long[] { 0, 1 }).div((float) Math.sqrt((double) width * height)).real();
	}

	@Override
	public NDArray loss(final NDArray predicted, final Batch batch) {
		final KSpaceBatch b = (KSpaceBatch) batch;
		final double s = scale.scale()[0];
		NDArray loss = predicted.sub(b.target).square().sum().div((float) (width * height * s * s));
		if (tvWeight > 0) loss = loss.add(totalVariation(b.normalisedImage).mul((float) tvWeight));
		if (b.prior != null) loss = loss.add(totalVariation(b.normalisedImage.sub(b.prior)).mul((float) prior.weight()));
		return loss;
	}

	/** Mean anisotropic total variation of the normalised image, per pixel and channel. */
	NDArray totalVariation(final NDArray normalised) {
		final NDArray image = normalised.reshape(height, width, channels);
		final NDArray dx = image.get(":, 1:, :").sub(image.get(":, :-1, :")).abs().sum();
		final NDArray dy = image.get("1:, :, :").sub(image.get(":-1, :, :")).abs().sum();
		return dx.add(dy).div((float) width * height * channels);
	}

	/** Data consistency in dB: the normalised value range (2) against the RMS error of the sampled k-space. */
	@Override
	public double evaluatePsnr(final NeuralField field) {
		return ComputeRuntime.get().call(() -> {
			try (NDManager m = field.parameters().manager().newSubManager()) {
				final KSpaceBatch b = (KSpaceBatch) sample(m, null);
				final NDArray predicted = predict(field, b);
				final double s = scale.scale()[0];
				final double mse = predicted.sub(b.target).square().sum().getFloat() / ((double) width * height * s * s);
				return 10 * Math.log10(4 / Math.max(mse, 1e-20));
			}
		});
	}

	int width() {
		return width;
	}

	int height() {
		return height;
	}
}
