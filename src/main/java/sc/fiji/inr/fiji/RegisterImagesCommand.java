package sc.fiji.inr.fiji;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;

import ij.ImagePlus;
import ij.gui.PointRoi;
import ij.gui.Roi;
import ij.measure.Calibration;
import sc.fiji.inr.field.ModelOptions;
import sc.fiji.inr.image.ImagePlusAdapter;
import sc.fiji.inr.tasks.registration.DeformationTransform;
import sc.fiji.inr.tasks.registration.Landmarks;
import sc.fiji.inr.tasks.registration.Registration;
import sc.fiji.inr.tasks.registration.RegistrationSettings;
import sc.fiji.inr.tasks.registration.Similarity;
import sc.fiji.inr.tasks.registration.Volume;
import sc.fiji.inr.tasks.registration.Warping;

/**
 * Deformable registration with an implicit deformation field (IDIR): moving(φ(x)) ≈ fixed(x),
 * φ(x) = M x + t + u(x). Shows the warped moving image, the displacement (channels x, y(, z), in
 * calibrated units) and the Jacobian determinant, saves the transform for Apply Deformation...,
 * and logs NCC, folding and, given landmarks (CSV files, or point selections on both images),
 * the target registration error before and after.
 */
@Plugin(type = Command.class, menuPath = "Plugins>INR>Register Images (Deformable)...")
public class RegisterImagesCommand extends InrCommand {

	@Parameter(label = "Fixed image")
	private ImagePlus fixed;
	@Parameter(label = "Moving image")
	private ImagePlus moving;
	@Parameter(label = "Fixed mask (title, optional)", required = false)
	private String mask = "";
	@Parameter(label = "Moving mask (title, optional)", required = false)
	private String support = "";
	@Parameter(label = "Similarity", choices = { "ncc", "lncc", "mse" })
	private String similarity = "ncc";
	@Parameter(label = "Model", choices = { "siren", "hashgrid", "fourier" })
	private String model = "siren";
	@Parameter(label = "Steps", min = "1")
	private int steps = RegistrationSettings.DEFAULT_STEPS;
	@Parameter(label = "Jacobian penalty weight", min = "0", stepSize = "0.01")
	private double jacobian = RegistrationSettings.DEFAULT_JACOBIAN;
	@Parameter(label = "Hyperelastic weight", min = "0", stepSize = "0.01")
	private double hyperelastic = 0;
	@Parameter(label = "Bending energy weight", min = "0", stepSize = "0.01")
	private double bending = 0;
	@Parameter(label = "Affine (fit, none, or \"m00 m01 t0; m10 m11 t1\")")
	private String affine = "fit";
	/** A flag ("baseline": affine only), not "deformable": a macro that leaves out a checkbox key means unticked. */
	@Parameter(label = "Affine only (the baseline: no deformation field)")
	private boolean baseline = false;
	@Parameter(label = "Random seed")
	private long seed = 1;
	@Parameter(label = "Fixed landmarks (CSV, optional)", required = false)
	private File points;
	@Parameter(label = "Moving landmarks (CSV, optional)", required = false)
	private File matches;
	@Parameter(label = "Save transform (.inr, optional)", style = FileWidget.SAVE_STYLE, required = false)
	private File transform;

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus warped;
	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus displacement;
	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus determinant;

	@Override
	public void run() {
		try {
			if (fixed == null || moving == null) throw new IllegalArgumentException("Open a fixed and a moving image first");
			final Path target = transform == null ? null : writableTarget(transform, "transform file");
			final RegistrationSettings settings = settings();
			final Volume f = Volume.of(ImagePlusAdapter.wrap(fixed)), m = Volume.of(ImagePlusAdapter.wrap(moving));
			final ImagePlus maskImage = imageTitled(mask, "Fixed mask"), supportImage = imageTitled(support, "Moving mask");
			final Volume fm = maskImage == null ? null : Volume.of(ImagePlusAdapter.wrap(maskImage));
			final Volume mm = supportImage == null ? null : Volume.of(ImagePlusAdapter.wrap(supportImage));
			final Landmarks landmarks = landmarks(f.dims());
			final Registration.Result r;
			try (FitMonitor monitor = FitMonitor.start(getContext(), label() + " " + moving.getTitle())) {
				r = Registration.register(f, m, fm, mm, settings, monitor);
				if (monitor.discarded()) {
					r.transform().close();
					cancel("Registration cancelled" + (target == null ? "" : ": " + target + " was not written"));
					return;
				}
			}
			try (DeformationTransform t = r.transform()) {
				if (target != null) t.save(target);
				String summary = String.format(Locale.ROOT, "%s → %s: NCC %.4f → %.4f, folding %.3f %%, %.1f s, affine [%s]", moving.getTitle(),
						fixed.getTitle(), r.nccBefore(), r.nccAfter(), r.foldingPercent(), r.seconds(), t.affine());
				if (landmarks != null) {
					final double[] e = landmarks.targetRegistrationError(t);
					summary += String.format(Locale.ROOT, ", TRE %.3f → %.3f %s (mean of %d landmarks)", e[0], e[2], f.unit(), landmarks.fixed().length);
				}
				getContext().service(LogService.class).info(label() + ": " + summary);
				warped = ImagePlusAdapter.toImagePlus(r.warped().image(moving.getTitle() + "-warped", r.warped().channels(), m.pixelType()));
				warped.setTitle(moving.getTitle() + "-warped");
				warped.setProperty("Info", "INR registration: " + summary + (target == null ? "" : "\nTransform: " + target));
				displacement = ImagePlusAdapter.toImagePlus(Warping.displacementImage(t, moving.getTitle() + "-displacement"));
				determinant = ImagePlusAdapter.toImagePlus(Warping.jacobianImage(t, r.determinant(), moving.getTitle() + "-jacobian"));
			}
		}
		catch (final IllegalArgumentException | IllegalStateException | IOException | UncheckedIOException e) {
			fail(describe(e));
		}
	}

	private RegistrationSettings settings() {
		final RegistrationSettings d = RegistrationSettings.defaults();
		final String name = model.trim().toLowerCase(Locale.ROOT);
		final ModelOptions options = name.equals(d.model().model()) ? d.model() : ModelOptions.of(name);
		return d.withModel(options).withFit(d.fit().withSteps(steps).withLearningRate(d.learningRateFor(options)).withSeed(seed))
				.withSimilarity(Similarity.parse(similarity), d.window()).withRegularisers(jacobian, hyperelastic, bending)
				.withAffine(affine, d.affineSteps()).withDeformable(!baseline);
	}

	/** CSV files if given, else point selections on both images, else none. */
	private Landmarks landmarks(final int dims) throws IOException {
		if ((points == null) != (matches == null)) throw new IllegalArgumentException("Landmarks need both a fixed and a moving CSV file");
		if (points != null)
			return new Landmarks(Landmarks.read(existingFile(points, "landmark file"), dims), Landmarks.read(existingFile(matches, "landmark file"), dims));
		final double[][] a = selection(fixed, dims), b = selection(moving, dims);
		if (a == null && b == null) return null;
		if (a == null || b == null) throw new IllegalArgumentException("Landmarks: only one image has a point selection; add one to both, or remove it");
		return new Landmarks(a, b);
	}

	/** A point selection's points in calibrated units (pixel centres), or null without one. */
	static double[][] selection(final ImagePlus imp, final int dims) {
		final Roi roi = imp.getRoi();
		if (!(roi instanceof PointRoi p)) return null;
		final Calibration c = imp.getCalibration();
		final java.awt.Polygon poly = p.getPolygon();
		final double[][] out = new double[poly.npoints][dims];
		for (int i = 0; i < poly.npoints; i++) {
			out[i][0] = c.xOrigin * -c.pixelWidth + poly.xpoints[i] * c.pixelWidth;
			out[i][1] = c.yOrigin * -c.pixelHeight + poly.ypoints[i] * c.pixelHeight;
			if (dims == 3) out[i][2] = c.zOrigin * -c.pixelDepth + (p.getPointPosition(i) - 1) / Math.max(1, imp.getNChannels()) * c.pixelDepth;
		}
		return out;
	}
}
