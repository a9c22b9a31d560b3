package sc.fiji.inr.fiji;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;

import ij.ImagePlus;
import sc.fiji.inr.field.ModelOptions;
import sc.fiji.inr.field.NeuralField;
import sc.fiji.inr.image.CalibratedImage;
import sc.fiji.inr.image.ImagePlusAdapter;
import sc.fiji.inr.raster.RenderGrid;
import sc.fiji.inr.tasks.Reconstruction;
import sc.fiji.inr.tasks.ct.Beam;
import sc.fiji.inr.tasks.ct.CtGeometry;
import sc.fiji.inr.tasks.ct.CtImages;
import sc.fiji.inr.tasks.ct.CtReconstruction;
import sc.fiji.inr.tasks.ct.CtScan;
import sc.fiji.inr.tasks.ct.RampFilter;

/**
 * Reconstructs an image (or a stack of slices) from a sinogram: by fitting a neural field
 * through the ray model ({@code inr}, optionally starting from a prior field fitted with
 * {@link FitPriorCommand}), or by filtered back-projection ({@code fbp}) or SART to compare.
 * <p>
 * <b>Geometry.</b> When the sinogram's Info property holds a line starting
 * {@value SimulateCtCommand#INFO_PREFIX} (as Simulate CT Projections... writes it) and every
 * geometry field is left at its default — beam parallel, views 0, range 180, start 0, angles
 * empty, detectors 0, spacing 0, offset 0, sid 0, sdd 0 — that recorded geometry is used.
 * Change any of them and the fields alone describe the scan: views 0 = one per sinogram row,
 * detectors 0 = the sinogram's width, spacing 0 = its pixel width; a fan beam needs both
 * distances. The grid is square and centred on the isocentre: size and pixel size 0 cover the
 * detector's width at the isocentre with one pixel per element; give one and the other follows.
 * <p>
 * A prior's pixel size and unit must be the reconstruction's, its image centred on the
 * isocentre (Fit Prior... centres it); the result is rendered on the grid chosen here. With a
 * prior weight ({@code anchor}, default {@value CtReconstruction#DEFAULT_PRIOR_WEIGHT}) the prior is
 * first registered onto the sinogram (a smooth displacement whose ray integrals match it) before
 * its image enters the prior term; {@code registration=none} takes it as it is, {@code anchor=0}
 * uses it only as the starting point.
 */
@Plugin(type = Command.class, menuPath = "Plugins>INR>Reconstruct CT...")
public class ReconstructCtCommand extends InrCommand {

	@Parameter(label = "Sinogram")
	private ImagePlus sinogram;
	@Parameter(label = "Method", choices = { "inr", "fbp", "sart" })
	private String method = "inr";
	@Parameter(label = "Beam", choices = { "parallel", "fan" })
	private String beam = "parallel";
	@Parameter(label = "Views (0 = one per row)", min = "0")
	private int views = 0;
	@Parameter(label = "Angular range (degrees)", min = "0")
	private double range = CtScan.DEFAULT_RANGE;
	@Parameter(label = "Start angle (degrees)")
	private double start = 0;
	@Parameter(label = "Angles (degrees, optional)", required = false, description = "one per sinogram row; replaces views, range and start")
	private String angles = "";
	@Parameter(label = "Detectors (0 = sinogram width)", min = "0")
	private int detectors = 0;
	@Parameter(label = "Detector spacing (0 = pixel width)", min = "0")
	private double spacing = 0;
	@Parameter(label = "Detector offset")
	private double offset = 0;
	@Parameter(label = "Source to isocentre (fan)", min = "0")
	private double sid = 0;
	@Parameter(label = "Source to detector (fan)", min = "0")
	private double sdd = 0;
	@Parameter(label = "Output size (0 = auto)", min = "0")
	private int size = 0;
	@Parameter(label = "Pixel size (0 = auto)", min = "0")
	private double pixel = 0;
	@Parameter(label = "Filter (fbp)", choices = { "ram-lak", "shepp-logan", "cosine", "hann" })
	private String filter = "ram-lak";
	@Parameter(label = "Iterations (sart)", min = "1")
	private int iterations = 10;
	@Parameter(label = "Relaxation (sart)", min = "0", max = "2", stepSize = "0.05")
	private double relaxation = 0.5;
	@Parameter(label = "Model (inr)", choices = { "hashgrid", "siren", "fourier", "positional" })
	private String model = "hashgrid";
	@Parameter(label = "Steps (inr)", min = "1")
	private int steps = 2000;
	@Parameter(label = "Time limit (s, 0 = none)", min = "0")
	private double time = 0;
	@Parameter(label = "Ray samples per step (inr, 0 = auto)", min = "0", description = "points along rays per step; auto = 32768")
	private int batch = 0;
	@Parameter(label = "Random seed")
	private long seed = 1;
	@Parameter(label = "TV weight (inr)", min = "0", stepSize = "0.001")
	private double tv = CtReconstruction.DEFAULT_TV_WEIGHT;
	@Parameter(label = "Prior field (.inr, optional)", required = false)
	private File prior;
	@Parameter(label = "Prior weight (inr with a prior; 0 = warm start only)", min = "0", stepSize = "0.001",
			description = "weight of the total variation of the change from the prior's image: keeps what the data cannot see at the prior")
	private double anchor = CtReconstruction.DEFAULT_PRIOR_WEIGHT;
	@Parameter(label = "Prior registration (inr with a prior weight)", choices = { "sinogram", "none" },
			description = "sinogram: fit a smooth displacement of the prior whose ray integrals match the sinogram before its image enters the prior term (an earlier scan never lines up); none: take the prior as it is")
	private String registration = "sinogram";
	@Parameter(label = "Save field (.inr, optional)", style = FileWidget.SAVE_STYLE, required = false)
	private File field;

	@Parameter
	private LogService log;

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus reconstruction;

	@Override
	public void run() {
		try {
			if (sinogram == null) throw new IllegalArgumentException("There is no sinogram to reconstruct: open one first");
			final String m = method.trim().toLowerCase(java.util.Locale.ROOT);
			if (!m.equals("inr") && !m.equals("fbp") && !m.equals("sart"))
				throw new IllegalArgumentException("Unknown method '" + method + "' (use inr, fbp or sart)");
			final Path path = SuperResolutionCommand.fieldTarget(field, m.equals("inr"), method);
			PriorFields.refuseUnless(m.equals("inr"), prior, method);
			final CalibratedImage<?> s = ImagePlusAdapter.wrap(sinogram);
			final float[] data = CtImages.pixels(s, "A sinogram");
			final CtGeometry g = geometry(s);
			final CtReconstruction.Grid grid = CtImages.reconstructionGrid(g, size, pixel, CtImages.slices(s), CtImages.sliceSpacing(s),
					s.units()[0]);
			final String title = sinogram.getTitle() + "-" + m;
			final CalibratedImage<?> result;
			if (m.equals("fbp")) result = CtReconstruction.image(CtReconstruction.filteredBackProjection(g, data, grid,
					RampFilter.parse(filter)), grid, title);
			else if (m.equals("sart")) result = CtReconstruction.image(CtReconstruction.sart(g, data, grid, iterations, relaxation, true),
					grid, title);
			else {
				final Reconstruction.Settings of = Reconstruction.Settings.of(ModelOptions.of(model), steps, time, 0, seed, tv, anchor);
				final Reconstruction.Settings settings = of.withFit(of.fit().withBatchSize(batch))
						.withRegisterPrior(CtReconstruction.registersPrior(prior != null, anchor, asItIs()));
				final NeuralField initial = PriorFields.load(prior);
				NeuralField fitted = null;
				try (FitMonitor monitor = FitMonitor.start(getContext(), label() + " " + sinogram.getTitle())) {
					final CtReconstruction.Result r = CtReconstruction.reconstruct(g, data, grid, settings, initial,
							RenderGrid.source(grid.frame()), monitor);
					fitted = r.field();
					if (r.registration() != null)
						log.info(label() + ": prior registered onto the sinogram: " + r.registration().summary());
					if (!keepFit(monitor, fitted, r.fit(), path, "Reconstruction")) return;
					result = r.image();
				}
				finally {
					PriorFields.close(fitted, initial);
				}
			}
			reconstruction = ImagePlusAdapter.toImagePlus(result);
			reconstruction.setTitle(title);
		}
		catch (final IllegalArgumentException | IllegalStateException | IOException | UncheckedIOException e) {
			fail(describe(e));
		}
	}

	/** Whether the user asked for the prior as it is (registration {@code none}). */
	private boolean asItIs() {
		final String r = registration == null ? "sinogram" : registration.trim().toLowerCase(java.util.Locale.ROOT);
		if (!r.equals("sinogram") && !r.equals("none"))
			throw new IllegalArgumentException("Unknown prior registration '" + registration + "' (use sinogram or none)");
		return r.equals("none");
	}

	/** The recorded geometry when every field is at its default and the Info has one, else the fields' geometry. */
	private CtGeometry geometry(final CalibratedImage<?> s) {
		final CtScan scan = new CtScan(Beam.parse(beam), views, range, start, CtScan.parseAngles(angles), detectors, spacing, offset,
				sid, sdd);
		final CtGeometry recorded = scan.isAutomatic() ? SimulateCtCommand.recorded(sinogram.getInfoProperty()) : null;
		if (recorded == null) return scan.forSinogram(CtImages.width(s), CtImages.height(s), s.spacing()[0]);
		recorded.checkSinogram(CtImages.width(s), CtImages.height(s));
		log.info(label() + ": geometry from the Info of '" + sinogram.getTitle() + "': " + recorded.toProperties());
		return recorded;
	}
}
