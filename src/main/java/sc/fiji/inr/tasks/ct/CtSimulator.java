package sc.fiji.inr.tasks.ct;

/**
 * Simulates a CT acquisition of a known image: the discrete projector's line integrals
 * ({@link CtReconstruction#project}), optionally with photon-counting noise
 * ({@link PoissonNoise}), and the automatic choices of {@link CtScan#forImage}. The image lies on
 * a {@link CtReconstruction.Grid} centred on the isocentre.
 */
public final class CtSimulator {

	private CtSimulator() {}

	/**
	 * The sinogram (index detector + D·(view + V·slice)) of {@code image} (index x + W·(y + H·slice)).
	 *
	 * @param photons incident photons per ray for Poisson noise, 0 = noise-free
	 * @param seed    noise seed: the same seed gives the same noise
	 */
	public static float[] simulate(final CtGeometry geometry, final float[] image, final CtReconstruction.Grid grid,
			final double photons, final long seed) {
		if (!(photons >= 0) || !Double.isFinite(photons))
			throw new IllegalArgumentException("Photon count must be ≥ 0 (0 = no noise), was " + photons);
		if (image.length != grid.pixels())
			throw new IllegalArgumentException("The image has " + image.length + " values but the grid " + grid.width() + "×"
					+ grid.height() + "×" + grid.slices() + " has " + grid.pixels());
		final float[] sinogram = CtReconstruction.project(geometry, image, grid);
		return photons > 0 ? PoissonNoise.transmission(sinogram, photons, seed) : sinogram;
	}

	/** Half the diagonal of the grid's slice: the radius of the circle every view must see. */
	static double radius(final CtReconstruction.Grid grid) {
		return Math.hypot(grid.width(), grid.height()) * grid.pixelSize() / 2;
	}

	/**
	 * The automatic source-to-isocentre distance: twice the slice's diagonal, a fan of about ±29°
	 * with the default detector distance.
	 */
	public static double defaultSourceToCentre(final CtReconstruction.Grid grid) {
		return 4 * radius(grid);
	}

	/**
	 * The odd number of detector elements that sees the whole slice in every view (with offset 0):
	 * {@code ceil(diagonal / spacing)} for a parallel beam, i.e. the diagonal in pixels at the
	 * default spacing; for a fan beam the shadow of the circle through the corners on the
	 * detector, {@code 2·SDD·r / √(R² − r²)}, over the spacing.
	 */
	public static int detectorsFor(final CtReconstruction.Grid grid, final Beam beam, final double spacing, final double sourceToCentre,
			final double sourceToDetector) {
		final double r = radius(grid);
		final double width;
		if (beam == Beam.PARALLEL) width = 2 * r;
		else {
			if (!(sourceToCentre > r))
				throw new IllegalArgumentException("The source (" + CtGeometry.number(sourceToCentre) + " from the isocentre) is inside "
						+ "the circle through the image's corners (radius " + CtGeometry.number(r) + "); move it further out or give the"
						+ " number of detectors");
			width = 2 * sourceToDetector * r / Math.sqrt(sourceToCentre * sourceToCentre - r * r);
		}
		final long d = (long) Math.ceil(width / spacing - 1e-9);
		if (d > 1 << 20) throw new IllegalArgumentException("The detector would need " + d + " elements; give a larger spacing");
		return (int) (d % 2 == 0 ? d + 1 : d);
	}
}
