package sc.fiji.inr.tasks.ct;

import sc.fiji.inr.field.CoordinateFrame;
import sc.fiji.inr.field.NeuralField;

/**
 * The CT prior term's image at any point: the prior field at x + u(x), with u the registration's
 * displacement ({@link ProjectionRegistration}) or none. Why the field between pixel centres and
 * not a ramp between its values at the pixel centres: the reconstruction is the prior field
 * trained further, so between pixel centres it is as sharp as the prior field; compared there
 * with a bilinear ramp, every sharp edge (Shepp–Logan's skull) keeps a change from the prior that
 * the term penalises, and the term fights the data. Measured on the benchmark's Shepp–Logan 256²,
 * 30 views, registered prior, weight 0.003, seed 1: 37.65 dB against the truth with the ramp,
 * 39.40 dB with the field (data consistency 56.3 → 60.6 dB; the INR alone 35.18 dB).
 * <p>
 * The field is rendered once, before the fit trains it in place, on a grid {@link #upsampling}
 * times finer in x and y than its own (8 for a slice: within 0.05 of the field itself at the
 * pixel centres of Shepp–Logan 48², 0.001 on average, in normalised units), and read bilinearly
 * there, and linearly between a stack's slices.
 */
final class WarpedPrior {

	/** Largest upsampling in x and y, and the most samples it may take (64 M floats: 256 MB). */
	static final int MAX_UPSAMPLING = 8;
	static final long MAX_SAMPLES = 1L << 26;

	private final SplineDisplacement spline;
	private final float[] coefficients;
	private final int dims, s;
	private final long slices, fw, fh;
	private final float[] image;
	// pixel index along axis d = a[d] · normalised coordinate + b[d]
	private final double[] a, b;

	/**
	 * @param prior        the prior field, before the fit trains it (its image is taken now)
	 * @param spline       the displacement's spline, or null for none
	 * @param coefficients its coefficients [controlPoints·dims], or null for none
	 */
	WarpedPrior(final NeuralField prior, final SplineDisplacement spline, final float[] coefficients) {
		if ((spline == null) != (coefficients == null))
			throw new IllegalArgumentException("A displacement needs both its spline and its coefficients");
		if (spline != null && coefficients.length != spline.controlPoints() * spline.dims())
			throw new IllegalArgumentException("The displacement has " + coefficients.length + " coefficients, its spline needs "
					+ spline.controlPoints() * spline.dims());
		this.spline = spline;
		this.coefficients = coefficients == null ? null : coefficients.clone();
		final CoordinateFrame frame = prior.frame();
		dims = frame.numDimensions();
		final long w = frame.size()[0], h = frame.size()[1];
		slices = dims == 3 ? frame.size()[2] : 1;
		s = upsampling(w * h * slices);
		fw = w * s;
		fh = h * s;
		a = new double[dims];
		b = new double[dims];
		for (int d = 0; d < dims; d++) {
			a[d] = frame.pixelsPerNormalisedUnit(d);
			b[d] = frame.centrePixelIndex(d);
		}
		// rendered a slice at a time, so that the coordinates never outgrow one plane
		final int plane = (int) (fw * fh);
		image = new float[(int) (plane * slices)];
		final float[] coords = new float[plane * dims];
		for (long z = 0; z < slices; z++) {
			for (long y = 0, p = 0; y < fh; y++)
				for (long x = 0; x < fw; x++, p++) {
					// fine sample i lies at pixel coordinate (i + 0.5)/s − 0.5
					coords[(int) (p * dims)] = (float) (((x + 0.5) / s - 0.5 - b[0]) / a[0]);
					coords[(int) (p * dims + 1)] = (float) (((y + 0.5) / s - 0.5 - b[1]) / a[1]);
					if (dims == 3) coords[(int) (p * dims + 2)] = (float) ((z - b[2]) / a[2]);
				}
			System.arraycopy(prior.evaluateNormalised(coords, plane), 0, image, (int) (z * plane), plane);
		}
	}

	/** The finest upsampling in x and y, at most {@link #MAX_UPSAMPLING}, whose samples stay within {@link #MAX_SAMPLES}. */
	static int upsampling(final long pixels) {
		int s = MAX_UPSAMPLING;
		while (s > 1 && pixels * s * s > MAX_SAMPLES) s--;
		if (pixels * s * s > MAX_SAMPLES)
			throw new IllegalArgumentException("The prior's grid (" + pixels + " pixels) is too large for its term");
		return s;
	}

	/** The upsampling in x and y this prior was rendered at. */
	int upsampling() {
		return s;
	}

	/** The prior term's image (normalised units) at {@code count} points from point {@code first} of {@code coords}. */
	float[] at(final float[] coords, final int first, final int count) {
		final float[] u = spline == null ? null : spline.displacement(coefficients, spline.basis(coords, first, count));
		final float[] out = new float[count];
		for (int i = 0; i < count; i++) {
			final int p = (first + i) * dims;
			final double x = coords[p] + (u == null ? 0 : u[i * dims]), y = coords[p + 1] + (u == null ? 0 : u[i * dims + 1]);
			final double fx = Math.max(0, Math.min(fw - 1, ((x * a[0] + b[0]) + 0.5) * s - 0.5));
			final double fy = Math.max(0, Math.min(fh - 1, ((y * a[1] + b[1]) + 0.5) * s - 0.5));
			final int x0 = (int) Math.min(Math.max(0, fw - 2), Math.floor(fx)), y0 = (int) Math.min(Math.max(0, fh - 2), Math.floor(fy));
			final int x1 = (int) Math.min(fw - 1, x0 + 1), y1 = (int) Math.min(fh - 1, y0 + 1);
			final double tx = fx - x0, ty = fy - y0;
			if (dims == 2) {
				out[i] = (float) bilinear(0, x0, x1, y0, y1, tx, ty);
				continue;
			}
			final double z = Math.max(0, Math.min(slices - 1, (coords[p + 2] + (u == null ? 0 : u[i * dims + 2])) * a[2] + b[2]));
			final long z0 = Math.min(Math.max(0, slices - 2), (long) Math.floor(z)), z1 = Math.min(slices - 1, z0 + 1);
			final double tz = z1 == z0 ? 0 : z - z0;
			out[i] = (float) ((1 - tz) * bilinear(z0, x0, x1, y0, y1, tx, ty) + tz * bilinear(z1, x0, x1, y0, y1, tx, ty));
		}
		return out;
	}

	private double bilinear(final long slice, final int x0, final int x1, final int y0, final int y1, final double tx, final double ty) {
		final long plane = slice * fw * fh;
		return (1 - ty) * ((1 - tx) * image[(int) (plane + x0 + fw * y0)] + tx * image[(int) (plane + x1 + fw * y0)])
				+ ty * ((1 - tx) * image[(int) (plane + x0 + fw * y1)] + tx * image[(int) (plane + x1 + fw * y1)]);
	}
}
