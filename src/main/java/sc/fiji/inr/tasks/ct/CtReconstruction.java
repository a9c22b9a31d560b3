package sc.fiji.inr.tasks.ct;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;
import sc.fiji.inr.field.CoordinateFrame;
import sc.fiji.inr.field.FieldSpec;
import sc.fiji.inr.field.ModelOptions;
import sc.fiji.inr.field.NeuralField;
import sc.fiji.inr.field.SourceInfo;
import sc.fiji.inr.field.ValueScale;
import sc.fiji.inr.fit.FitListener;
import sc.fiji.inr.fit.FitOptions;
import sc.fiji.inr.fit.FitResult;
import sc.fiji.inr.fit.Fitter;
import sc.fiji.inr.image.Axis;
import sc.fiji.inr.image.CalibratedImage;
import sc.fiji.inr.image.PixelType;
import sc.fiji.inr.raster.FieldRenderer;
import sc.fiji.inr.raster.RenderGrid;
import sc.fiji.inr.tasks.Reconstruction;

/**
 * Task entry point for CT: reconstruction from a sinogram (2D, or a stack of 2D sinograms
 * sharing one geometry) by fitting a neural field through the ray forward model
 * ({@link RayObjective}), optionally from a prior field (NeRP); the classical baselines
 * (filtered back-projection, SART) and the simulator on the same grids. Used alike by the Fiji
 * commands, the CLI and the benchmark.
 */
public final class CtReconstruction {

	private CtReconstruction() {}

	/**
	 * Total-variation weight users start from. 0.0005 since 2026-12-03: at the default 2000 steps it
	 * beat 0.002 (chosen at 1000 steps) on all four 30-view benchmark cases, by 0.8 to 2.3 dB, and on
	 * CT_small at 60 views by 2.5 dB; a stronger weight smooths away what the views resolve (see the
	 * README's benchmark).
	 */
	public static final double DEFAULT_TV_WEIGHT = 0.0005;

	/**
	 * Weight of the change-from-prior term users start from, for a prior registered onto the
	 * sinogram first ({@link #registersPrior}). Why registered: with a prior off by up to
	 * 1 pixel (an earlier scan never lines up exactly) and taken as it is, every weight tried
	 * lowered the PSNR: Shepp–Logan 256², 30 views, 500 steps: warm start only 32.02 dB; weight
	 * 0.001 31.24, 0.003 28.97, 0.01 26.38, 0.03 25.25; no prior 29.30 (the skull's edge,
	 * misplaced by a pixel, costs more than the term gains). Registered, at 2000 steps and 30
	 * views, weight 0.003 gave Shepp–Logan 36.54 dB against 33.31 for the warm start alone and
	 * 32.71 without prior; CT_small 42.12 against 34.67 and 34.99 (bending weight 0.1 and 1 were
	 * no better, see the README). Those figures predate the term reading the prior field itself
	 * between pixel centres ({@link WarpedPrior}); with it, Shepp–Logan at 30 views gave 39.35 dB
	 * (INR alone 35.18), at 60 views 40.30 (37.36). 0 = the prior is only the starting point (NeRP).
	 */
	public static final double DEFAULT_PRIOR_WEIGHT = 0.003;

	/**
	 * Whether to register the prior onto the sinogram before its image enters the prior term
	 * ({@link ProjectionRegistration}), from what a user asked: yes unless they asked for the
	 * prior as it is (why, see {@link #DEFAULT_PRIOR_WEIGHT}), and only where the registration has
	 * something to change: a prior, and a prior weight > 0 (a warm start alone trains the prior
	 * field itself). What the Fiji command and {@code ct-recon} both use.
	 */
	public static boolean registersPrior(final boolean hasPrior, final double priorWeight, final boolean asItIs) {
		return hasPrior && priorWeight > 0 && !asItIs;
	}

	/**
	 * The reconstruction region: {@code width × height} pixels of {@code pixelSize} centred on the
	 * isocentre, and for a stack {@code slices} planes {@code sliceSpacing} apart.
	 */
	public record Grid(int width, int height, double pixelSize, int slices, double sliceSpacing, String unit) {
		public Grid {
			if (width < 1 || height < 1 || slices < 1)
				throw new IllegalArgumentException("Reconstruction size must be ≥ 1 pixel, was " + width + "×" + height + "×" + slices);
			if ((long) width * height * slices > Integer.MAX_VALUE - 8)
				throw new IllegalArgumentException("A reconstruction of " + width + "×" + height + "×" + slices + " pixels is too large");
			if (!(pixelSize > 0) || !Double.isFinite(pixelSize))
				throw new IllegalArgumentException("Pixel size must be positive, was " + pixelSize);
			if (!(sliceSpacing > 0) || !Double.isFinite(sliceSpacing))
				throw new IllegalArgumentException("Slice spacing must be positive, was " + sliceSpacing);
			if (unit == null || unit.isBlank()) unit = "mm";
		}

		/** A 2D grid. */
		public static Grid of(final int width, final int height, final double pixelSize, final String unit) {
			return new Grid(width, height, pixelSize, 1, 1, unit);
		}

		/**
		 * The grid a user expects by default: square, one pixel per detector element across the
		 * detector's width at the isocentre (for a fan beam, the detector demagnified by R/SDD).
		 */
		public static Grid defaultFor(final CtGeometry g, final int slices, final double sliceSpacing, final String unit) {
			final double atIsocentre = g.beam() == Beam.FAN ? g.detectorSpacing() * g.sourceToCentre() / g.sourceToDetector()
					: g.detectorSpacing();
			return new Grid(g.detectors(), g.detectors(), atIsocentre, slices, sliceSpacing, unit);
		}

		int dimensions() {
			return slices > 1 ? 3 : 2;
		}

		public long pixels() {
			return (long) width * height * slices;
		}

		/** The frame of a field on this grid, centred on the isocentre in x and y. */
		public CoordinateFrame frame() {
			final int n = dimensions();
			final List<Axis> axes = n == 2 ? List.of(Axis.X, Axis.Y) : List.of(Axis.X, Axis.Y, Axis.Z);
			final String[] units = new String[n];
			Arrays.fill(units, unit);
			final double[] origin = { -(width - 1) * pixelSize / 2, -(height - 1) * pixelSize / 2, 0 };
			final double[] spacing = { pixelSize, pixelSize, sliceSpacing };
			final long[] size = { width, height, slices };
			return new CoordinateFrame(axes, units, Arrays.copyOf(origin, n), Arrays.copyOf(spacing, n), Arrays.copyOf(size, n));
		}
	}

	/**
	 * @param field the fitted field (owned by the caller: close it)
	 * @param image the field rendered on the requested grid
	 * @param fit   how fitting went (its PSNR is the data consistency on a fixed set of rays)
	 * @param registration how the prior was registered onto the sinogram first, or null (no prior,
	 *              or one taken as it is)
	 */
	public record Result(NeuralField field, CalibratedImage<FloatType> image, FitResult fit,
			ProjectionRegistration.Result registration) {}

	/**
	 * Fits a field to the sinogram and renders it.
	 *
	 * @param sinogram line integrals, index detector + D·(view + V·slice)
	 * @param grid     reconstruction region (ignored with a prior, whose frame is kept)
	 * @param output   where to render (null = the field's own grid)
	 * @param prior    a field to start from (trained in place and returned), or null
	 */
	public static Result reconstruct(final CtGeometry geometry, final float[] sinogram, final Grid grid,
			final Reconstruction.Settings settings, final NeuralField prior, final RenderGrid output, final FitListener listener) {
		if ((long) geometry.detectors() * geometry.views() * grid.slices() != sinogram.length)
			throw new IllegalArgumentException("The sinogram has " + sinogram.length + " values but " + geometry.detectors()
					+ " detectors × " + geometry.views() + " views × " + grid.slices() + " slices need "
					+ (long) geometry.detectors() * geometry.views() * grid.slices());
		Reconstruction.checkRegisterPrior(settings, prior != null);
		final NeuralField field;
		if (prior != null) {
			Reconstruction.checkPrior(prior, grid.dimensions(), 1);
			if (grid.dimensions() == 3 && prior.frame().size()[2] != grid.slices())
				throw new IllegalArgumentException("The prior field has " + prior.frame().size()[2] + " slices but the sinogram has "
						+ grid.slices());
			field = prior;
		}
		else {
			final CoordinateFrame frame = grid.frame();
			final FieldSpec spec = Reconstruction.coarseHashGrid(settings.model(), frame.size()).toSpec(frame.numDimensions(), 1, frame.size());
			field = NeuralField.create(spec, frame, valueScale(geometry, sinogram, grid), new SourceInfo("reconstruction",
					PixelType.FLOAT32), settings.fit().seed());
		}
		try {
			final CoordinateFrame frame = field.frame();
			final long largest = Math.max(frame.size()[0], frame.size()[1]);
			// The fit's batch counts quadrature nodes per step, as pixels per step when fitting an image.
			final int points = pointsPerRay(largest);
			final int batch = settings.fit().batchSize() > 0 ? settings.fit().batchSize() : 1 << 15;
			final int rays = Math.max(16, batch / points);
			final ProjectionRegistration.Registered registered = prior != null && settings.registerPrior()
					? ProjectionRegistration.register(geometry, sinogram, grid.slices(), prior, registrationSettings(settings.fit()), listener)
					: null;
			final Reconstruction.PriorImage term = prior == null ? null
					: registered != null ? registered.priorImage(settings.priorWeight())
					: Reconstruction.PriorImage.of(prior, settings.priorWeight());
			// the result keeps the registration's figures, not its warped image
			final ProjectionRegistration.Result registration = registered == null ? null : registered.result();
			// the term reads the prior field itself, displaced, between pixel centres (see WarpedPrior)
			final WarpedPrior priorField = term == null ? null
					: registration != null ? new WarpedPrior(prior, registration.spline(), registration.coefficients())
					: new WarpedPrior(prior, null, null);
			final RayObjective objective = new RayObjective(geometry, sinogram, grid.slices(), frame, field.scale(), rays, points,
					settings.tvWeight(), settings.fit().seed(), term, priorField);
			FitOptions fit = prior == null ? settings.fit() : Reconstruction.fromPrior(settings.fit());
			// a time budget covers the registration and the fit together
			if (registration != null && fit.maxSeconds() > 0)
				fit = fit.withMaxSeconds(Math.max(1e-3, fit.maxSeconds() - registration.fit().seconds()));
			final FitResult result = Fitter.fit(field, objective, fit, listener);
			final CalibratedImage<FloatType> image = FieldRenderer.render(field, output != null ? output : RenderGrid.source(frame));
			return new Result(field, image, result, registration);
		}
		catch (final RuntimeException | Error e) {
			if (prior == null) field.close();
			throw e;
		}
	}

	/**
	 * How the prior is registered onto this scan's sinogram before its image enters the prior
	 * term: {@link ProjectionRegistration}'s defaults, the fit's seed and batch size, and no more
	 * steps than the fit itself, so that a short trial reconstruction is not dominated by its
	 * registration (the default 2000-step fit registers in the full 400), and with a time budget
	 * at most a fifth of it (the fit gets the rest). Why the sinogram and not
	 * a reconstruction of it: at 30 views the prior registered onto SART-50 was 34.6 dB against
	 * the undeformed anatomy, registered through the rays 38.8 dB (Shepp–Logan 256², see the
	 * README).
	 */
	static ProjectionRegistration.Settings registrationSettings(final FitOptions fit) {
		final ProjectionRegistration.Settings d = ProjectionRegistration.Settings.defaults();
		return d.withSteps(Math.min(d.steps(), fit.steps())).withSeed(fit.seed()).withBatchSize(fit.batchSize())
				.withMaxSeconds(fit.maxSeconds() / 5);
	}

	/**
	 * Quadrature nodes per ray: one per pixel along the longest chord (strata move every step).
	 * Measured on Shepp–Logan 256², 30 views, 500 steps: one node per pixel 25.6 dB, one per two
	 * pixels 25.1 dB at the same number of nodes per step.
	 */
	static int pointsPerRay(final long largestSide) {
		return (int) Math.max(32, Math.ceil(largestSide * Math.sqrt(2)));
	}

	/**
	 * The field's value scale from the filtered back-projection: [0, 99.5th percentile]. FBP is
	 * cheap and gets the attenuation's order of magnitude right even from few views; a
	 * percentile, not the maximum, since sparse-view streaks make the maximum an outlier.
	 */
	static ValueScale valueScale(final CtGeometry geometry, final float[] sinogram, final Grid grid) {
		final float[] fbp = filteredBackProjection(geometry, sinogram, grid, RampFilter.RAM_LAK);
		final float[] sorted = fbp.clone();
		Arrays.sort(sorted);
		final double high = sorted[(int) Math.min(sorted.length - 1, Math.round(0.995 * (sorted.length - 1)))];
		if (!(high > 0) || !Double.isFinite(high))
			throw new IllegalArgumentException("The sinogram back-projects to nothing positive; is it all zero, or negated?");
		return ValueScale.fromRange(new double[] { 0 }, new double[] { high });
	}

	/** FBP of every slice. */
	public static float[] filteredBackProjection(final CtGeometry geometry, final float[] sinogram, final Grid grid,
			final RampFilter filter) {
		return perSlice(geometry, sinogram, grid, s -> FilteredBackProjection.reconstruct(geometry, s, filter, grid.width(),
				grid.height(), grid.pixelSize()));
	}

	/** SART of every slice. */
	public static float[] sart(final CtGeometry geometry, final float[] sinogram, final Grid grid, final int iterations,
			final double relaxation, final boolean nonNegative) {
		return perSlice(geometry, sinogram, grid, s -> Sart.reconstruct(geometry, s, grid.width(), grid.height(), grid.pixelSize(),
				iterations, relaxation, nonNegative, null));
	}

	/** The discrete projector applied to every slice of {@code image} (index x + W·(y + H·slice)). */
	public static float[] project(final CtGeometry geometry, final float[] image, final Grid grid) {
		final RayProjector projector = new RayProjector(geometry, grid.width(), grid.height(), grid.pixelSize());
		final int plane = grid.width() * grid.height(), rows = geometry.detectors() * geometry.views();
		final float[] out = new float[rows * grid.slices()];
		for (int s = 0; s < grid.slices(); s++)
			System.arraycopy(projector.project(Arrays.copyOfRange(image, s * plane, (s + 1) * plane)), 0, out, s * rows, rows);
		return out;
	}

	private static float[] perSlice(final CtGeometry geometry, final float[] sinogram, final Grid grid,
			final java.util.function.UnaryOperator<float[]> reconstruct) {
		final int rows = geometry.detectors() * geometry.views(), plane = grid.width() * grid.height();
		if ((long) rows * grid.slices() != sinogram.length)
			throw new IllegalArgumentException("The sinogram has " + sinogram.length + " values but the geometry and " + grid.slices()
					+ " slice(s) need " + (long) rows * grid.slices());
		final float[] out = new float[plane * grid.slices()];
		for (int s = 0; s < grid.slices(); s++)
			System.arraycopy(reconstruct.apply(Arrays.copyOfRange(sinogram, s * rows, (s + 1) * rows)), 0, out, s * plane, plane);
		return out;
	}

	/** A reconstruction as a calibrated image on {@code grid}. */
	public static CalibratedImage<FloatType> image(final float[] pixels, final Grid grid, final String name) {
		final CoordinateFrame f = grid.frame();
		final long[] size = f.size();
		return new CalibratedImage<>(name, ArrayImgs.floats(pixels, size), new ArrayList<>(f.axes()), f.spacing(), f.origin(),
				f.units(), PixelType.FLOAT32);
	}
}
