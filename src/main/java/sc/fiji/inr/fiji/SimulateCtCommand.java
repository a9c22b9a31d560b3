package sc.fiji.inr.fiji;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.ImagePlus;
import sc.fiji.inr.image.CalibratedImage;
import sc.fiji.inr.image.ImagePlusAdapter;
import sc.fiji.inr.tasks.ct.Beam;
import sc.fiji.inr.tasks.ct.CtGeometry;
import sc.fiji.inr.tasks.ct.CtImages;
import sc.fiji.inr.tasks.ct.CtReconstruction;
import sc.fiji.inr.tasks.ct.CtScan;
import sc.fiji.inr.tasks.ct.CtSimulator;

/**
 * Simulates a CT scan of the current image (2D, or a stack of slices scanned alike): its
 * sinogram of line integrals, one row per view and one column per detector element, optionally
 * with photon-counting (Poisson) noise. The image is centred on the isocentre, with its pixel
 * size and unit; values are attenuation per unit length.
 * <p>
 * The sinogram is calibrated along x in the detector's unit (element i at its detector
 * coordinate) and along y in degrees (when the views are uniformly spaced), and its Info property
 * holds the whole geometry in one line starting {@value #INFO_PREFIX}, which
 * {@link ReconstructCtCommand} reads back.
 */
@Plugin(type = Command.class, menuPath = "Plugins>INR>Simulate CT Projections...")
public class SimulateCtCommand extends InrCommand {

	/** Start of the Info line that records a sinogram's geometry ({@link CtGeometry#toProperties()} follows). */
	public static final String INFO_PREFIX = "INR CT geometry: ";

	@Parameter(label = "Image")
	private ImagePlus image;
	@Parameter(label = "Beam", choices = { "parallel", "fan" })
	private String beam = "parallel";
	@Parameter(label = "Views", min = "1")
	private int views = 180;
	@Parameter(label = "Angular range (degrees)", min = "0")
	private double range = 180;
	@Parameter(label = "Start angle (degrees)")
	private double start = 0;
	@Parameter(label = "Angles (degrees, optional)", required = false, description = "e.g. 0,3,6,...; replaces views, range and start")
	private String angles = "";
	@Parameter(label = "Detectors (0 = auto)", min = "0", description = "auto: the whole image in every view, an odd count")
	private int detectors = 0;
	@Parameter(label = "Detector spacing (0 = pixel size)", min = "0")
	private double spacing = 0;
	@Parameter(label = "Detector offset")
	private double offset = 0;
	@Parameter(label = "Source to isocentre (fan; 0 = auto)", min = "0", description = "auto: twice the image diagonal")
	private double sid = 0;
	@Parameter(label = "Source to detector (fan; 0 = auto)", min = "0", description = "auto: twice the source to isocentre")
	private double sdd = 0;
	@Parameter(label = "Photons per ray (0 = no noise)", min = "0")
	private double photons = 0;
	@Parameter(label = "Random seed")
	private long seed = 1;

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus sinogram;

	@Override
	public void run() {
		try {
			if (image == null) throw new IllegalArgumentException("There is no image to project: open one first");
			final CalibratedImage<?> img = ImagePlusAdapter.wrap(image);
			final CtReconstruction.Grid grid = CtImages.grid(img);
			final CtGeometry g = new CtScan(Beam.parse(beam), views, range, start, CtScan.parseAngles(angles), detectors, spacing,
					offset, sid, sdd).forImage(grid);
			final float[] data = CtSimulator.simulate(g, CtImages.pixels(img, "A CT image"), grid, photons, seed);
			sinogram = ImagePlusAdapter.toImagePlus(CtImages.sinogram(data, g, grid.slices(), grid.sliceSpacing(), grid.unit(),
					image.getTitle() + "-sinogram"));
			sinogram.setProperty("Info", INFO_PREFIX + g.toProperties());
		}
		catch (final IllegalArgumentException | IllegalStateException e) {
			fail(describe(e));
		}
	}

	/** The geometry an Info property records in its {@value #INFO_PREFIX} line, or null if it has none. */
	static CtGeometry recorded(final String info) {
		if (info == null) return null;
		for (final String line : info.split("\\R"))
			if (line.startsWith(INFO_PREFIX)) return CtGeometry.parse(line.substring(INFO_PREFIX.length()));
		return null;
	}
}
