package sc.fiji.inr.tasks.mri;

import java.util.List;

import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;
import sc.fiji.inr.field.CoordinateFrame;
import sc.fiji.inr.field.FieldSpec;
import sc.fiji.inr.field.NeuralField;
import sc.fiji.inr.field.SourceInfo;
import sc.fiji.inr.field.ValueScale;
import sc.fiji.inr.fit.FitListener;
import sc.fiji.inr.fit.FitResult;
import sc.fiji.inr.fit.Fitter;
import sc.fiji.inr.image.Axis;
import sc.fiji.inr.image.CalibratedImage;
import sc.fiji.inr.image.PixelType;
import sc.fiji.inr.raster.FieldRenderer;
import sc.fiji.inr.raster.RenderGrid;
import sc.fiji.inr.tasks.Reconstruction;

/**
 * Task entry point: MRI reconstruction from undersampled Cartesian or radial k-space by fitting
 * a neural field through the Fourier forward model ({@link KSpaceObjective}), optionally
 * starting from a prior field fitted to an earlier scan (NeRP). Also the zero-filled baseline
 * on the same grid. Used alike by the Fiji commands, the CLI and the benchmark.
 */
public final class MriReconstruction {

	private MriReconstruction() {}

	/** Total-variation weight users start from (see the README's benchmark for how it was chosen). */
	public static final double DEFAULT_TV_WEIGHT = 0.01;

	/**
	 * Weight of the change-from-prior term users start from. Measured on the brain slice with a
	 * prior off by up to 1 pixel and 5 % darker, without the lesion, 500 steps: at 4× warm start
	 * only 25.53 dB, weight 0.003 26.93, 0.01 28.48, 0.02 28.76, 0.05 27.59, 0.2 25.37 (no prior
	 * 25.04); at 8× 0.003 25.14, 0.01 26.76, 0.02 27.09 (no prior 22.08).
	 */
	public static final double DEFAULT_PRIOR_WEIGHT = 0.02;

	/**
	 * @param field the fitted field (owned by the caller: close it)
	 * @param image the magnitude image on the k-space grid
	 * @param fit   how fitting went (its PSNR is the data consistency on the sampled k-space)
	 */
	public record Result(NeuralField field, CalibratedImage<FloatType> image, FitResult fit) {}

	/** Calibration of the image grid behind a k-space: pixel size and its unit. */
	public record Calibration(double pixelSize, String unit) {
		public Calibration {
			if (!(pixelSize > 0) || !Double.isFinite(pixelSize))
				throw new IllegalArgumentException("Pixel size must be positive, was " + pixelSize);
			if (unit == null || unit.isBlank()) unit = "pixel";
		}

		public static Calibration pixels() {
			return new Calibration(1, "pixel");
		}
	}

	/**
	 * Fits a field to the sampled k-space and renders its magnitude on the image grid.
	 *
	 * @param complexImage fit real and imaginary parts (2 channels) instead of a real image;
	 *                     needed when the object has phase (most raw scanner data)
	 * @param prior        a field to start from (trained in place and returned), or null for a new one
	 */
	public static Result reconstruct(final KSpace kspace, final SamplingMask mask, final Calibration calibration,
			final String name, final boolean complexImage, final Reconstruction.Settings settings, final NeuralField prior,
			final FitListener listener) {
		checkSizes(kspace, mask);
		final int w = kspace.width(), h = kspace.height(), channels = complexImage ? 2 : 1;
		// Measured on the 48² phantom, prior 1 px off, 4×, 200 steps: registered onto the zero-filled
		// image (the only image of the new scan before fitting) the term lost 2.6 dB (its aliasing
		// was registered too), affine only gained 0.7 dB; the unregistered term already tolerates
		// such priors (see DEFAULT_PRIOR_WEIGHT).
		if (settings.registerPrior())
			throw new IllegalArgumentException("Registering the prior is offered for CT only; MRI's prior term takes the prior as it is");
		final NeuralField field;
		if (prior != null) {
			Reconstruction.checkPrior(prior, 2, channels);
			final long[] size = prior.frame().size();
			if (size[0] != w || size[1] != h)
				throw new IllegalArgumentException("The prior field was fitted on " + size[0] + "×" + size[1] + " pixels but the k-space is "
						+ w + "×" + h + "; fit the prior on an image of the k-space's size");
			field = prior;
		}
		else {
			final CoordinateFrame frame = new CoordinateFrame(List.of(Axis.X, Axis.Y),
					new String[] { calibration.unit(), calibration.unit() }, new double[] { 0, 0 },
					new double[] { calibration.pixelSize(), calibration.pixelSize() }, new long[] { w, h });
			final FieldSpec spec = Reconstruction.coarseHashGrid(settings.model(), frame.size()).toSpec(2, channels, frame.size());
			field = NeuralField.create(spec, frame, valueScale(kspace, mask, complexImage), new SourceInfo(name, PixelType.FLOAT32),
					settings.fit().seed());
		}
		try {
			final Reconstruction.PriorImage term = prior == null ? null : Reconstruction.PriorImage.of(prior, settings.priorWeight());
			final KSpaceObjective objective = objective(kspace, mask, field.frame(), field.scale(), settings.tvWeight(), term);
			final FitResult result = Fitter.fit(field, objective, (prior == null ? settings.fit() : Reconstruction.fromPrior(settings.fit())).withBatchSize(0), listener);
			final CalibratedImage<FloatType> rendered = FieldRenderer.render(field, RenderGrid.source(field.frame()));
			return new Result(field, magnitude(rendered, name), result);
		}
		catch (final RuntimeException | Error e) {
			if (prior == null) field.close();
			throw e;
		}
	}

	/** The objective for {@code kspace} under {@code mask}, in the unshifted layout the FFT uses. */
	static KSpaceObjective objective(final KSpace kspace, final SamplingMask mask, final CoordinateFrame frame,
			final ValueScale scale, final double tvWeight, final Reconstruction.PriorImage prior) {
		final int w = kspace.width(), h = kspace.height();
		final int count = (int) mask.count();
		final long[] sampled = new long[count];
		final float[] re = new float[count], im = new float[count];
		int i = 0;
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				final int c = x + w * y;
				if (!mask.sampled()[c]) continue;
				// Centred index c ↔ unshifted index u: c = (u + n/2) mod n, as numpy's fftshift.
				final int ux = Math.floorMod(x - w / 2, w), uy = Math.floorMod(y - h / 2, h);
				sampled[i] = ux + (long) w * uy;
				re[i] = kspace.real()[c];
				im[i] = kspace.imaginary()[c];
				i++;
			}
		return new KSpaceObjective(frame, scale, w, h, sampled, re, im, tvWeight, prior);
	}

	/**
	 * The field's value scale from the zero-filled image: [0, max magnitude] for a real image,
	 * ±max for each part of a complex one. Zero filling loses energy but keeps the order of magnitude,
	 * which is all a scale needs.
	 */
	static ValueScale valueScale(final KSpace kspace, final SamplingMask mask, final boolean complexImage) {
		final float[] magnitude = ZeroFilled.magnitude(kspace, mask);
		double max = 0;
		for (final float v : magnitude) max = Math.max(max, v);
		if (!(max > 0) || !Double.isFinite(max))
			throw new IllegalArgumentException("The sampled k-space is all zero (or not finite): nothing to reconstruct");
		return complexImage ? new ValueScale(new double[] { 0, 0 }, new double[] { max, max })
				: ValueScale.fromRange(new double[] { 0 }, new double[] { max });
	}

	/** Baseline: the zero-filled inverse FFT's magnitude, calibrated like {@link #reconstruct}'s image. */
	public static CalibratedImage<FloatType> zeroFilled(final KSpace kspace, final SamplingMask mask, final Calibration calibration,
			final String name) {
		checkSizes(kspace, mask);
		return image(ZeroFilled.magnitude(kspace, mask), kspace.width(), kspace.height(), calibration, name);
	}

	static CalibratedImage<FloatType> image(final float[] pixels, final int w, final int h, final Calibration calibration,
			final String name) {
		final String u = calibration.unit();
		return new CalibratedImage<>(name, ArrayImgs.floats(pixels, w, h), List.of(Axis.X, Axis.Y),
				new double[] { calibration.pixelSize(), calibration.pixelSize() }, new double[] { 0, 0 }, new String[] { u, u },
				PixelType.FLOAT32);
	}

	/** |re + i·im| of a rendered 2-channel field; a 1-channel rendering is returned as it is. */
	private static CalibratedImage<FloatType> magnitude(final CalibratedImage<FloatType> rendered, final String name) {
		final int c = rendered.dimensionOf(Axis.CHANNEL);
		if (c < 0 || rendered.pixels().dimension(c) == 1)
			return new CalibratedImage<>(name, c < 0 ? rendered.pixels() : net.imglib2.view.Views.hyperSlice(rendered.pixels(), c, 0),
					List.of(Axis.X, Axis.Y), spatial(rendered.spacing(), c), spatial(rendered.origin(), c), spatialUnits(rendered.units(), c),
					PixelType.FLOAT32);
		final long w = rendered.pixels().dimension(0), h = rendered.pixels().dimension(1);
		final float[] out = new float[(int) (w * h)];
		final var re = net.imglib2.view.Views.flatIterable(net.imglib2.view.Views.hyperSlice(rendered.pixels(), c, 0)).cursor();
		final var im = net.imglib2.view.Views.flatIterable(net.imglib2.view.Views.hyperSlice(rendered.pixels(), c, 1)).cursor();
		for (int i = 0; i < out.length; i++) out[i] = (float) Math.hypot(re.next().get(), im.next().get());
		return new CalibratedImage<>(name, ArrayImgs.floats(out, w, h), List.of(Axis.X, Axis.Y), spatial(rendered.spacing(), c),
				spatial(rendered.origin(), c), spatialUnits(rendered.units(), c), PixelType.FLOAT32);
	}

	private static double[] spatial(final double[] v, final int channel) {
		return channel < 0 ? v : channel == 0 ? new double[] { v[1], v[2] } : new double[] { v[0], v[1] };
	}

	private static String[] spatialUnits(final String[] v, final int channel) {
		return channel < 0 ? v : channel == 0 ? new String[] { v[1], v[2] } : new String[] { v[0], v[1] };
	}

	private static void checkSizes(final KSpace kspace, final SamplingMask mask) {
		if (mask.width() != kspace.width() || mask.height() != kspace.height())
			throw new IllegalArgumentException("The mask is " + mask.width() + "×" + mask.height() + " but the k-space is "
					+ kspace.width() + "×" + kspace.height());
		if (mask.count() == 0) throw new IllegalArgumentException("The sampling mask is empty: no k-space point is marked sampled");
	}
}
