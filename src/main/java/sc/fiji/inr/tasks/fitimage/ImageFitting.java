package sc.fiji.inr.tasks.fitimage;

import sc.fiji.inr.field.FieldSpec;
import sc.fiji.inr.field.ModelOptions;
import sc.fiji.inr.field.NeuralField;
import sc.fiji.inr.field.SourceInfo;
import sc.fiji.inr.field.ValueScale;
import sc.fiji.inr.fit.FitListener;
import sc.fiji.inr.fit.FitOptions;
import sc.fiji.inr.fit.FitResult;
import sc.fiji.inr.fit.Fitter;
import sc.fiji.inr.fit.Loss;
import sc.fiji.inr.image.CalibratedImage;

/**
 * Task entry point: fit a neural field to an image. Used alike by the Fiji command, the CLI and
 * the benchmarks.
 */
public final class ImageFitting {

	private ImageFitting() {}

	/**
	 * @param model        architecture (and overrides)
	 * @param fit          budget, optimiser, seed; its learning rate of 0 picks the model's default
	 * @param loss         data term
	 */
	public record Settings(ModelOptions model, FitOptions fit, Loss loss) {
		public Settings {
			if (model == null) model = ModelOptions.of("hashgrid");
			if (fit == null) fit = FitOptions.defaults().withLearningRate(model.defaultLearningRate());
			if (loss == null) loss = Loss.L2;
		}

		public static Settings of(final String model) {
			return new Settings(ModelOptions.of(model), null, null);
		}

		/**
		 * Settings from the parameters users type (dialog, macro, command line), where a
		 * learning rate or batch of 0 means "the model's default".
		 */
		public static Settings of(final ModelOptions model, final int steps, final double maxSeconds,
				final double learningRate, final int batchSize, final long seed, final double targetPsnr, final String loss) {
			final FitOptions fit = FitOptions.defaults().withSteps(steps).withMaxSeconds(maxSeconds)
					.withLearningRate(learningRate > 0 ? learningRate : model.defaultLearningRate())
					.withBatchSize(batchSize > 0 ? batchSize : defaultBatchSize(model.model())).withSeed(seed)
					.withTargetPsnr(targetPsnr);
			return new Settings(model, fit, Loss.parse(loss == null || loss.isBlank() ? "l2" : loss));
		}

		/**
		 * Pixels per step. 16384 for every model: on camera.png (2 cores) the hash grid reached
		 * 35 dB soonest with it among 4096 … 65536 (bench/run, README).
		 */
		public static int defaultBatchSize(final String model) {
			return 1 << 14;
		}
	}

	/** The fitted field (owned by the caller: close it) and how the fit went. */
	public record Result(NeuralField field, FitResult fit) {}

	public static Result fit(final CalibratedImage<?> image, final Settings settings, final FitListener listener) {
		final PixelTable table = table(image);
		if (table.pixels < 2)
			throw new IllegalArgumentException("Image '" + image.name() + "' has only " + table.pixels
					+ " pixel(s); a field needs at least 2");
		final FieldSpec spec = settings.model().toSpec(table.dims(), table.channels, table.frame.size());
		final ValueScale scale = ValueScale.fromRange(table.min, table.max);
		final NeuralField field = NeuralField.create(spec, table.frame, scale,
				new SourceInfo(image.name(), image.pixelType()), settings.fit().seed());
		try {
			final PixelObjective objective = new PixelObjective(table, scale, settings.loss(), settings.fit().batchSize(),
					settings.fit().seed());
			final FitResult result = Fitter.fit(field, objective, settings.fit(), listener);
			return new Result(field, result);
		}
		catch (final RuntimeException | Error e) {
			field.close();
			throw e;
		}
	}

	@SuppressWarnings({ "rawtypes", "unchecked" })
	private static PixelTable table(final CalibratedImage image) {
		for (int d = 0; d < image.numDimensions(); d++)
			if (image.pixels().dimension(d) == 0)
				throw new IllegalArgumentException("Image '" + image.name() + "' is empty (size 0 along " + image.axes().get(d) + ")");
		return PixelTable.of(image);
	}
}
