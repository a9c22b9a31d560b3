package sc.fiji.inr.tasks.ct;

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
 * The CT forward model as an objective of the one fitting engine: each measurement is the line
 * integral of the field along one ray, estimated by stratified jittered quadrature over the
 * part of the ray inside the reconstruction box (an unbiased estimate whose nodes move every
 * step, so the field cannot fit the nodes instead of the line). Each step draws rays uniformly
 * over views, detector elements and slices, as NeRP and the CT INR papers batch over rays.
 * <p>
 * Geometry: ray coordinates are relative to the isocentre, which is the centre of the field's
 * frame in x and y; slice k of a stack of 2D sinograms lies at the frame's z of pixel k.
 * <p>
 * Loss scale: residuals are divided by {@code s·L} (value scale times the box's larger side),
 * so the data term is in normalised image units along a full path and an optional total
 * variation weight means the same for any pixel size or attenuation unit.
 */
public final class RayObjective implements Objective {

	/** Rays in the fixed evaluation set (or all rays, when there are fewer). */
	static final int EVALUATION_RAYS = 4096;

	private final CtGeometry geometry;
	private final float[] sinogram;
	private final int slices;
	private final CoordinateFrame frame;
	private final ValueScale scale;
	private final int raysPerStep, pointsPerRay, tvPoints;
	private final double tvWeight;
	private final double halfX, halfY, pathScale;
	private final int[] evaluationRays;
	private final Reconstruction.PriorImage prior;
	private final WarpedPrior priorField;

	/**
	 * @param geometry     the acquisition
	 * @param sinogram     line integrals, index detector + D·(view + V·slice)
	 * @param slices       number of 2D slices (1 for a 2D field; the frame's z size otherwise)
	 * @param frame        the field's frame (2D, or 3D with one z pixel per slice)
	 * @param scale        the field's value scale (1 channel)
	 * @param raysPerStep  rays per optimisation step
	 * @param pointsPerRay quadrature nodes per ray
	 * @param tvWeight     weight of the total variation of the normalised field (0 = none)
	 * @param seed         chooses the evaluation rays
	 * @param prior        the prior term (total variation of the change from the prior image on
	 *                     the frame's grid, at the same stencil as the TV term), or null
	 */
	public RayObjective(final CtGeometry geometry, final float[] sinogram, final int slices, final CoordinateFrame frame,
			final ValueScale scale, final int raysPerStep, final int pointsPerRay, final double tvWeight, final long seed,
			final Reconstruction.PriorImage prior) {
		this(geometry, sinogram, slices, frame, scale, raysPerStep, pointsPerRay, tvWeight, seed, prior, null);
	}

	/**
	 * As above, with the prior term's image read from the prior field itself at each stencil point
	 * ({@code priorField}, what {@link CtReconstruction} uses) instead of bilinearly between the
	 * pixel centres of {@code prior}'s image, which then only gives the term its weight.
	 */
	RayObjective(final CtGeometry geometry, final float[] sinogram, final int slices, final CoordinateFrame frame,
			final ValueScale scale, final int raysPerStep, final int pointsPerRay, final double tvWeight, final long seed,
			final Reconstruction.PriorImage prior, final WarpedPrior priorField) {
		final int n = frame.numDimensions();
		if (priorField != null && prior == null) throw new IllegalArgumentException("The prior field's term needs its weight");
		if (n != 2 && n != 3) throw new IllegalArgumentException("A CT field is 2D or a 3D stack of slices, not " + n + "D");
		if (n == 2 && slices != 1 || n == 3 && frame.size()[2] != slices)
			throw new IllegalArgumentException("The sinogram has " + slices + " slices but the field's frame has "
					+ (n == 2 ? 1 : frame.size()[2]));
		if ((long) geometry.detectors() * geometry.views() * slices != sinogram.length)
			throw new IllegalArgumentException("The sinogram has " + sinogram.length + " values but the geometry needs "
					+ geometry.detectors() + " × " + geometry.views() + " × " + slices);
		if (scale.channels() != 1) throw new IllegalArgumentException("A CT field has 1 channel, not " + scale.channels());
		if (raysPerStep < 1 || pointsPerRay < 1)
			throw new IllegalArgumentException("Rays per step and points per ray must be ≥ 1, were " + raysPerStep + " and " + pointsPerRay);
		if (!(tvWeight >= 0) || !Double.isFinite(tvWeight))
			throw new IllegalArgumentException("Total-variation weight must be ≥ 0, was " + tvWeight);
		for (final float v : sinogram)
			if (!Float.isFinite(v)) throw new IllegalArgumentException("The sinogram contains NaN or infinite values");
		this.geometry = geometry;
		this.sinogram = sinogram;
		this.slices = slices;
		this.frame = frame;
		this.scale = scale;
		this.raysPerStep = raysPerStep;
		this.pointsPerRay = pointsPerRay;
		this.tvWeight = tvWeight;
		if (prior != null && (prior.channels() != 1 || !java.util.Arrays.equals(prior.size(), frame.size())))
			throw new IllegalArgumentException("The prior image (" + java.util.Arrays.toString(prior.size()) + ") is not on the field's "
					+ "grid " + java.util.Arrays.toString(frame.size()));
		this.prior = prior;
		this.priorField = priorField;
		tvPoints = tvWeight > 0 || prior != null ? Math.max(256, raysPerStep * pointsPerRay / 8) : 0;
		halfX = (frame.max(0) - frame.min(0)) / 2;
		halfY = (frame.max(1) - frame.min(1)) / 2;
		pathScale = scale.scale()[0] * 2 * Math.max(halfX, halfY);
		final SplittableRandom random = new SplittableRandom(seed ^ 0xC7L);
		final int total = sinogram.length;
		final int[] rays = new int[Math.min(EVALUATION_RAYS, total)];
		int count = 0;
		for (int attempt = 0; count < rays.length && attempt < 20 * rays.length; attempt++) {
			final int r = rays.length == total ? attempt : random.nextInt(total);
			if (r >= total) break;
			if (interval(r, new double[2], new double[2]) != null) rays[count++] = r;
		}
		evaluationRays = java.util.Arrays.copyOf(rays, count);
		if (count == 0) throw new IllegalArgumentException("No ray of the geometry crosses the reconstruction region; check the "
				+ "detector size and distances against the image size");
	}

	@Override
	public String name() {
		return "ct-rays";
	}

	/** One step's rays: coordinates of all nodes (then the TV points), node weights and the measured integrals. */
	static final class RayBatch implements Batch {
		final NDArray coords, weights, target;
		/** The prior image at the TV stencil [3·tvPoints, 1] (normalised units), or null. */
		NDArray priorValues;
		final int rays, points, tvPoints;
		/** Field values at the TV stencil, kept by predict for the regulariser. */
		NDArray tvValues;

		RayBatch(final NDArray coords, final NDArray weights, final NDArray target, final int rays, final int points,
				final int tvPoints) {
			this.coords = coords;
			this.weights = weights;
			this.target = target;
			this.rays = rays;
			this.points = points;
			this.tvPoints = tvPoints;
		}

		@Override
		public long size() {
			return rays;
		}
	}

	@Override
	public Batch sample(final NDManager manager, final SplittableRandom random) {
		final int[] rays = new int[raysPerStep];
		final double[] origin = new double[2], direction = new double[2];
		for (int i = 0; i < raysPerStep; i++) {
			int r;
			int attempts = 0;
			do r = random.nextInt(sinogram.length);
			while (interval(r, origin, direction) == null && ++attempts < 100);
			rays[i] = r;
		}
		return batch(manager, rays, random, tvPoints);
	}

	/** Nodes jittered within their strata when {@code random} is given, at stratum midpoints otherwise. */
	RayBatch batch(final NDManager manager, final int[] rays, final SplittableRandom random, final int tv) {
		final int n = frame.numDimensions(), k = pointsPerRay, b = rays.length;
		final float[] coords = new float[(b * k + 3 * tv) * n];
		final float[] weights = new float[b];
		final float[] target = new float[b];
		final double[] origin = new double[2], direction = new double[2];
		final double h = frame.halfExtent(0);
		for (int i = 0; i < b; i++) {
			final double[] t = interval(rays[i], origin, direction);
			final int slice = rays[i] / (geometry.detectors() * geometry.views());
			final double z = n == 3 ? frame.normalisedPixelCentre(2, slice) : 0;
			target[i] = sinogram[rays[i]];
			if (t == null) continue; // weight 0: the ray misses the box and predicts 0
			final double step = (t[1] - t[0]) / k;
			weights[i] = (float) step;
			for (int j = 0; j < k; j++) {
				final double s = t[0] + (j + (random == null ? 0.5 : random.nextDouble())) * step;
				final int p = (i * k + j) * n;
				coords[p] = (float) ((origin[0] + s * direction[0]) / h);
				coords[p + 1] = (float) ((origin[1] + s * direction[1]) / h);
				if (n == 3) coords[p + 2] = (float) z;
			}
		}
		if (tv > 0) tvStencil(coords, b * k * n, tv, random);
		final RayBatch batch = new RayBatch(Tensors.floats(manager, coords, new Shape(b * k + 3 * tv, n)),
				Tensors.floats(manager, weights, new Shape(b, 1)), Tensors.floats(manager, target, new Shape(b)), b, k, tv);
		if (tv > 0 && prior != null) batch.priorValues = Tensors.floats(manager,
				priorField != null ? priorField.at(coords, b * k, 3 * tv) : priorAt(coords, b * k, 3 * tv), new Shape(3 * tv, 1));
		return batch;
	}

	/**
	 * The prior image at {@code count} points from point {@code first} of {@code coords}: bilinear
	 * in x and y on the pixel grid (the stencil lies between pixel centres), the slice by z. In the
	 * half pixel between the outer pixel centres and the box's edge the outer cells extrapolate
	 * linearly, as a field would continue there.
	 */
	private float[] priorAt(final float[] coords, final int first, final int count) {
		final int n = frame.numDimensions();
		final long[] size = frame.size();
		final long w = size[0], hgt = size[1];
		// pixel index along axis d = a[d] · normalised coordinate + b[d], once per batch, not per point
		final double[] a = new double[n], b = new double[n];
		for (int d = 0; d < n; d++) {
			a[d] = frame.pixelsPerNormalisedUnit(d);
			b[d] = frame.centrePixelIndex(d);
		}
		final float[] image = prior.values(), out = new float[count];
		for (int i = 0; i < count; i++) {
			final int p = (first + i) * n;
			final double u = Math.max(-0.5, Math.min(w - 0.5, coords[p] * a[0] + b[0]));
			final double v = Math.max(-0.5, Math.min(hgt - 0.5, coords[p + 1] * a[1] + b[1]));
			final long slice = n == 3 ? Math.max(0, Math.min(size[2] - 1, Math.round(coords[p + 2] * a[2] + b[2]))) : 0;
			// a one-pixel-wide axis has no neighbour to interpolate with: its cell is constant
			final int xa = (int) Math.max(0, Math.min(w - 2, Math.floor(u))), ya = (int) Math.max(0, Math.min(hgt - 2, Math.floor(v)));
			final int xb = (int) Math.min(w - 1, xa + 1), yb = (int) Math.min(hgt - 1, ya + 1);
			final double fx = xb == xa ? 0 : u - xa, fy = yb == ya ? 0 : v - ya;
			final long plane = slice * w * hgt;
			out[i] = (float) ((1 - fy) * ((1 - fx) * image[(int) (plane + xa + w * ya)] + fx * image[(int) (plane + xb + w * ya)])
					+ fy * ((1 - fx) * image[(int) (plane + xa + w * yb)] + fx * image[(int) (plane + xb + w * yb)]));
		}
		return out;
	}

	/**
	 * TV stencil: random points p in the box, then p + one pixel along x, then along y (along z
	 * the slices are independent measurements, so the prior would only couple them).
	 */
	private void tvStencil(final float[] coords, final int offset, final int tv, final SplittableRandom random) {
		final int n = frame.numDimensions();
		final double h = frame.halfExtent(0);
		final double dx = frame.spacing()[0] / h, dy = frame.spacing()[1] / h;
		for (int i = 0; i < tv; i++) {
			final double x = (random.nextDouble(-halfX, halfX - frame.spacing()[0])) / h;
			final double y = (random.nextDouble(-halfY, halfY - frame.spacing()[1])) / h;
			final double z = n == 3 ? frame.normalisedPixelCentre(2, random.nextInt(slices)) : 0;
			for (int s = 0; s < 3; s++) {
				final int p = offset + (s * tv + i) * n;
				coords[p] = (float) (x + (s == 1 ? dx : 0));
				coords[p + 1] = (float) (y + (s == 2 ? dy : 0));
				if (n == 3) coords[p + 2] = (float) z;
			}
		}
	}

	/**
	 * The ray of flat sinogram index {@code r} (origin and direction relative to the isocentre)
	 * and its parameter interval inside the reconstruction box, or null if it misses.
	 */
	private double[] interval(final int r, final double[] origin, final double[] direction) {
		final int d = geometry.detectors();
		final int view = (r / d) % geometry.views();
		final double[] t = geometry.segment(view, geometry.detectorPosition(r % d), halfX, halfY, origin, direction);
		return t == null || !(t[1] > t[0]) ? null : t;
	}

	@Override
	public NDArray predict(final FieldEvaluator field, final Batch batch) {
		final RayBatch b = (RayBatch) batch;
		final NDArray values = field.values(b.coords);
		final NDArray nodes = b.tvPoints == 0 ? values : values.get("0:{}", (long) b.rays * b.points);
		if (b.tvPoints > 0) b.tvValues = values.get("{}:", (long) b.rays * b.points);
		return integrate(nodes, b);
	}

	/** The rays' integrals [rays] from the field's normalised values at their nodes [rays·points, 1]. */
	NDArray integrate(final NDArray nodes, final RayBatch b) {
		final NDArray physical = nodes.reshape(b.rays, b.points).mul((float) scale.scale()[0]).add((float) scale.offset()[0]);
		return physical.sum(new int[] { 1 }, true).mul(b.weights).reshape(b.rays);
	}

	/** The path-normalised data term: mean squared residual of the integrals, divided by s·L. */
	NDArray dataLoss(final NDArray predicted, final RayBatch b) {
		return residual(predicted, b).square().mean();
	}

	/** The integrals' residuals [rays], divided by s·L (the data term's units). */
	NDArray residual(final NDArray predicted, final RayBatch b) {
		return predicted.sub(b.target).div((float) pathScale);
	}

	@Override
	public NDArray loss(final NDArray predicted, final Batch batch) {
		final RayBatch b = (RayBatch) batch;
		NDArray loss = dataLoss(predicted, b);
		if (b.tvValues != null && tvWeight > 0) loss = loss.add(totalVariation(b.tvValues, b.tvPoints).mul((float) tvWeight));
		if (b.tvValues != null && b.priorValues != null)
			loss = loss.add(totalVariation(b.tvValues.sub(b.priorValues), b.tvPoints).mul((float) prior.weight()));
		return loss;
	}

	/** Mean absolute difference along x plus along y at the stencil (p, p + x pixel, p + y pixel). */
	private static NDArray totalVariation(final NDArray stencil, final long m) {
		final NDArray base = stencil.get("0:{}", m);
		return stencil.get("{}:{}", m, 2 * m).sub(base).abs().mean().add(stencil.get("{}:", 2 * m).sub(base).abs().mean());
	}

	/** Data consistency in dB on a fixed set of rays: range 2 against the RMS path-normalised residual. */
	@Override
	public double evaluatePsnr(final NeuralField field) {
		return evaluatePsnr(field, this::predict);
	}

	/** {@link #evaluatePsnr(NeuralField)} with another prediction of a batch's integrals (a warped field). */
	double evaluatePsnr(final NeuralField field, final java.util.function.BiFunction<FieldEvaluator, RayBatch, NDArray> predict) {
		return ComputeRuntime.get().call(() -> {
			try (NDManager m = field.parameters().manager().newSubManager()) {
				double sum = 0;
				final int chunk = Math.max(1, (1 << 16) / pointsPerRay);
				for (int from = 0; from < evaluationRays.length; from += chunk) {
					final int[] rays = java.util.Arrays.copyOfRange(evaluationRays, from, Math.min(evaluationRays.length, from + chunk));
					try (NDManager step = m.newSubManager()) {
						final RayBatch b = batch(step, rays, null, 0);
						sum += predict.apply(field, b).sub(b.target).div((float) pathScale).square().sum().getFloat();
					}
				}
				final double mse = sum / evaluationRays.length;
				return 10 * Math.log10(4 / Math.max(mse, 1e-20));
			}
		});
	}
}
