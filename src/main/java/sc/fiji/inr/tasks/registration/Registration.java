package sc.fiji.inr.tasks.registration;

import java.util.Arrays;
import java.util.List;

import sc.fiji.inr.image.Axis;
import sc.fiji.inr.field.CoordinateFrame;
import sc.fiji.inr.field.FieldSpec;
import sc.fiji.inr.field.NeuralField;
import sc.fiji.inr.field.SourceInfo;
import sc.fiji.inr.field.ValueScale;
import sc.fiji.inr.fit.FitListener;
import sc.fiji.inr.fit.FitResult;
import sc.fiji.inr.fit.Fitter;
import sc.fiji.inr.image.PixelType;

/**
 * Deformable registration with an implicit deformation field (IDIR, Wolterink et al., MIDL
 * 2022): fits φ(x) = M x + t + u(x) so that moving(φ(x)) ≈ fixed(x), first the affine part
 * (unless given or switched off) on lightly smoothed images, then the field u with the
 * similarity and regularisers of {@link RegistrationSettings}. No UI: commands and the CLI
 * call {@link #register}.
 */
public final class Registration {

	/** Smoothing (voxels) of both images during the affine stage: a wider basin for large shifts. */
	static final double AFFINE_SMOOTHING = 2;

	private Registration() {}

	/** What a registration gives: the transform and how well it aligns. */
	public record Result(DeformationTransform transform, Volume warped, float[] determinant, double nccBefore, double nccAfter,
			double foldingPercent, double seconds, FitResult affineFit, FitResult deformableFit) {}

	/**
	 * Registers {@code moving} to {@code fixed}. Masks (same grid as their image, nonzero =
	 * inside) are optional. The images must have the same number of spatial axes and channels.
	 */
	public static Result register(final Volume fixed, final Volume moving, final Volume fixedMask, final Volume movingMask,
			final RegistrationSettings settings, final FitListener listener) {
		check(fixed, moving, fixedMask, movingMask);
		final long start = System.nanoTime();
		final int d = fixed.dims();
		final Volume f = normalised(fixed), m = normalised(moving);
		final CoordinateFrame frame = frame(fixed);
		final double[] centre = new double[d];
		for (int k = 0; k < d; k++) centre[k] = frame.centre(k);
		final double scale = frame.halfExtent(0);

		Affine affine = settings.initialAffine() != null ? settings.initialAffine() : Affine.identity(d);
		if (affine.dims() != d)
			throw new IllegalArgumentException("The given affine is " + affine.dims() + "D but the images are " + d + "D");
		FitResult affineFit = null;
		final FieldSpec spec = settings.model().toSpec(d, d, fixed.size());
		final NeuralField field = NeuralField.create(spec, frame, displacementScale(d, scale), new SourceInfo("displacement of " + moving.name()
				+ " onto " + fixed.name(), PixelType.FLOAT32), settings.fit().seed());
		boolean ok = false;
		try {
			DeformationTransform.zeroLastLayer(field);
			if (settings.affine() == RegistrationSettings.AffineMode.FIT && settings.affineSteps() > 0) {
				final DeformationObjective o = new DeformationObjective(f.smoothed(AFFINE_SMOOTHING), m.smoothed(AFFINE_SMOOTHING), fixedMask,
						movingMask, centre, scale, affine, settings, DeformationObjective.Stage.AFFINE);
				affineFit = Fitter.fit(field, o, settings.fit().withSteps(settings.affineSteps()), listener);
				affine = o.affine();
			}
			FitResult deformableFit = null;
			if (settings.deformable() && !(listener != null && listener.isCancelled())) {
				final DeformationObjective o = new DeformationObjective(f, m, fixedMask, movingMask, centre, scale, affine, settings,
						DeformationObjective.Stage.DEFORMABLE);
				deformableFit = Fitter.fit(field, o, settings.fit(), listener);
			}
			final DeformationTransform transform = new DeformationTransform(field, affine);
			final Volume warped = Warping.warp(moving, transform, false);
			final double before = Warping.ncc(fixed, Warping.resample(moving, fixed), fixedMask);
			final double after = Warping.ncc(fixed, warped, fixedMask);
			final float[] determinant = Warping.jacobianDeterminant(transform);
			final double folding = Warping.foldingPercent(determinant, fixedMask);
			ok = true;
			return new Result(transform, warped, determinant, before, after, folding, (System.nanoTime() - start) / 1e9, affineFit,
					deformableFit);
		}
		finally {
			if (!ok) field.close();
		}
	}

	static void check(final Volume fixed, final Volume moving, final Volume fixedMask, final Volume movingMask) {
		if (fixed.dims() != moving.dims())
			throw new IllegalArgumentException("Fixed image '" + fixed.name() + "' is " + fixed.dims() + "D but moving image '" + moving.name()
					+ "' is " + moving.dims() + "D; both must have the same dimensionality");
		if (fixed.channels().length != moving.channels().length)
			throw new IllegalArgumentException("Fixed image has " + fixed.channels().length + " channels, moving image " + moving.channels().length);
		if (fixedMask != null && !Arrays.equals(fixedMask.size(), fixed.size()))
			throw new IllegalArgumentException("Fixed mask is " + Arrays.toString(fixedMask.size()) + " but the fixed image " + Arrays.toString(fixed.size()));
		if (movingMask != null && !Arrays.equals(movingMask.size(), moving.size()))
			throw new IllegalArgumentException("Moving mask is " + Arrays.toString(movingMask.size()) + " but the moving image " + Arrays.toString(moving.size()));
		if (movingMask != null) {
			boolean any = false;
			for (final float v : movingMask.channels()[0]) any |= v > 0;
			if (!any) throw new IllegalArgumentException("The moving mask '" + movingMask.name() + "' is empty (no pixel > 0)");
		}
		for (final Volume v : List.of(fixed, moving)) {
			boolean varies = false;
			for (final float[] c : v.channels()) {
				for (final float x : c) if (x != c[0]) { varies = true; break; }
			}
			if (!varies) throw new IllegalArgumentException("Image '" + v.name() + "' is constant: there is nothing to register");
		}
	}

	/** The fixed image's frame (x, y(, z)), on which the displacement field lives. */
	static CoordinateFrame frame(final Volume v) {
		final int d = v.dims();
		final String[] units = new String[d];
		Arrays.fill(units, v.unit());
		return new CoordinateFrame(List.of(Axis.X, Axis.Y, Axis.Z).subList(0, d), units, v.origin(), v.spacing(), v.size());
	}

	private static ValueScale displacementScale(final int d, final double scale) {
		final double[] offset = new double[d], s = new double[d];
		Arrays.fill(s, scale);
		return new ValueScale(offset, s);
	}

	/** Each channel mapped by its 1st and 99th percentiles to about [0, 1], so losses and rates suit any intensity range. */
	static Volume normalised(final Volume v) {
		final float[][] out = new float[v.channels().length][];
		for (int c = 0; c < out.length; c++) {
			final float[] a = v.channels()[c], sorted = a.clone();
			Arrays.sort(sorted);
			final double lo = sorted[(int) (0.01 * (sorted.length - 1))], hi = sorted[(int) (0.99 * (sorted.length - 1))];
			final double range = hi > lo ? hi - lo : Math.max(1e-12, sorted[sorted.length - 1] - sorted[0]);
			out[c] = new float[a.length];
			for (int i = 0; i < a.length; i++) out[c][i] = (float) ((a[i] - lo) / range);
		}
		return v.withChannels(out, v.name());
	}
}
