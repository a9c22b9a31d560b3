package sc.fiji.inr.tasks.ct;

/**
 * A scan as users describe it (dialog, macro, command line), where 0 means "work it out": the
 * rules that turn it into a {@link CtGeometry} for simulating from an image
 * ({@link #forImage}) or for reconstructing a given sinogram ({@link #forSinogram}), shared by
 * the Fiji commands and the CLI so that both read the same parameters alike.
 *
 * @param beam             parallel or fan
 * @param views            number of uniformly spaced views (0 = one per sinogram row, when
 *                         reconstructing)
 * @param rangeDegrees     angular range the views cover, endpoint excluded (180)
 * @param startDegrees     angle of the first view
 * @param anglesDegrees    explicit view angles in degrees, one per sinogram row; when non-empty
 *                         they replace views, range and start (null = none)
 * @param detectors        detector elements (0 = automatic, see {@link #forImage} and
 *                         {@link #forSinogram})
 * @param detectorSpacing  distance between element centres (0 = automatic)
 * @param detectorOffset   detector coordinate of the detector's centre
 * @param sourceToCentre   fan beam: source-to-isocentre distance (0 = automatic when simulating)
 * @param sourceToDetector fan beam: source-to-detector distance (0 = automatic when simulating)
 */
public record CtScan(Beam beam, int views, double rangeDegrees, double startDegrees, double[] anglesDegrees, int detectors,
		double detectorSpacing, double detectorOffset, double sourceToCentre, double sourceToDetector) {

	/** Range of {@link #automatic()}: a parallel half turn. */
	public static final double DEFAULT_RANGE = 180;

	public CtScan {
		if (beam == null) throw new IllegalArgumentException("CT beam is missing (use parallel or fan)");
		if (views < 0) throw new IllegalArgumentException("Number of views must not be negative, was " + views);
		if (!(rangeDegrees > 0) || !Double.isFinite(rangeDegrees))
			throw new IllegalArgumentException("Angular range must be positive and finite, was " + rangeDegrees + "°");
		if (!Double.isFinite(startDegrees)) throw new IllegalArgumentException("Start angle must be finite, was " + startDegrees);
		anglesDegrees = anglesDegrees == null ? new double[0] : anglesDegrees.clone();
		for (final double a : anglesDegrees)
			if (!Double.isFinite(a)) throw new IllegalArgumentException("View angles must be finite, got " + a);
		if (detectors < 0) throw new IllegalArgumentException("Number of detectors must not be negative (0 = automatic), was " + detectors);
		if (!(detectorSpacing >= 0) || !Double.isFinite(detectorSpacing))
			throw new IllegalArgumentException("Detector spacing must not be negative (0 = automatic), was " + detectorSpacing);
		if (!Double.isFinite(detectorOffset)) throw new IllegalArgumentException("Detector offset must be finite, was " + detectorOffset);
		if (!(sourceToCentre >= 0) || !Double.isFinite(sourceToCentre))
			throw new IllegalArgumentException("Source-to-isocentre distance must not be negative (0 = automatic), was "
					+ CtGeometry.number(sourceToCentre));
		if (!(sourceToDetector >= 0) || !Double.isFinite(sourceToDetector))
			throw new IllegalArgumentException("Source-to-detector distance must not be negative (0 = automatic), was "
					+ CtGeometry.number(sourceToDetector));
	}

	/** Everything automatic: parallel beam, one view per row over 180°, detector from the data. */
	public static CtScan automatic() {
		return new CtScan(Beam.PARALLEL, 0, DEFAULT_RANGE, 0, null, 0, 0, 0, 0, 0);
	}

	/** True when every parameter is as {@link #automatic()} has it: the user described no scan. */
	public boolean isAutomatic() {
		return beam == Beam.PARALLEL && views == 0 && rangeDegrees == DEFAULT_RANGE && startDegrees == 0 && anglesDegrees.length == 0
				&& detectors == 0 && detectorSpacing == 0 && detectorOffset == 0 && sourceToCentre == 0 && sourceToDetector == 0;
	}

	@Override
	public double[] anglesDegrees() {
		return anglesDegrees.clone();
	}

	/**
	 * The geometry for simulating a scan of an image on {@code grid}: views must be ≥ 1 (or
	 * angles given); spacing 0 is the grid's pixel size; distances 0 are
	 * {@link CtSimulator#defaultSourceToCentre} and twice the source distance; detectors 0 are
	 * {@link CtSimulator#detectorsFor} (the whole image in every view, an odd count).
	 */
	public CtGeometry forImage(final CtReconstruction.Grid grid) {
		final double[] angles = angles(views);
		final double spacing = detectorSpacing > 0 ? detectorSpacing : grid.pixelSize();
		double sid = 0, sdd = 0;
		if (beam == Beam.FAN) {
			sid = sourceToCentre > 0 ? sourceToCentre : CtSimulator.defaultSourceToCentre(grid);
			sdd = sourceToDetector > 0 ? sourceToDetector : 2 * sid;
		}
		final int d = detectors > 0 ? detectors : CtSimulator.detectorsFor(grid, beam, spacing, sid, sdd);
		return new CtGeometry(beam, angles, d, spacing, detectorOffset, sid, sdd);
	}

	/**
	 * The geometry of a sinogram {@code width} detector elements wide and {@code height} views
	 * high: views 0 are one per row, detectors 0 the width, spacing 0 the sinogram's pixel width
	 * ({@code pixelWidth}); a fan beam needs both distances.
	 *
	 * @throws IllegalArgumentException naming both numbers when the sizes disagree ("The sinogram
	 *                                  has 29 rows but the geometry lists 30 angles")
	 */
	public CtGeometry forSinogram(final int width, final int height, final double pixelWidth) {
		if (beam == Beam.FAN && (sourceToCentre == 0 || sourceToDetector == 0))
			throw new IllegalArgumentException("A fan-beam reconstruction needs the source-to-isocentre and source-to-detector "
					+ "distances (sid, sdd)");
		final double spacing = detectorSpacing > 0 ? detectorSpacing : pixelWidth;
		final CtGeometry g = new CtGeometry(beam, angles(views > 0 ? views : height), detectors > 0 ? detectors : width, spacing,
				detectorOffset, sourceToCentre, sourceToDetector);
		g.checkSinogram(width, height);
		return g;
	}

	private double[] angles(final int count) {
		if (anglesDegrees.length > 0) {
			final double[] a = new double[anglesDegrees.length];
			for (int v = 0; v < a.length; v++) a[v] = Math.toRadians(anglesDegrees[v]);
			return a;
		}
		return CtGeometry.uniformAngles(count, rangeDegrees, startDegrees);
	}

	/**
	 * Angles in degrees typed as a list, "0, 6, 12" or "0 6 12"; null for an empty text.
	 *
	 * @throws IllegalArgumentException naming the entry that is not a number
	 */
	public static double[] parseAngles(final String text) {
		if (text == null || text.isBlank()) return null;
		final String[] parts = text.trim().split("\\s*,\\s*|\\s+");
		final double[] v = new double[parts.length];
		for (int i = 0; i < parts.length; i++) {
			try {
				v[i] = Double.parseDouble(parts[i]);
			}
			catch (final NumberFormatException e) {
				v[i] = Double.NaN;
			}
			if (!Double.isFinite(v[i]))
				throw new IllegalArgumentException("The angle list must be numbers in degrees separated by commas; '" + parts[i]
						+ "' is not a number");
		}
		return v;
	}
}
