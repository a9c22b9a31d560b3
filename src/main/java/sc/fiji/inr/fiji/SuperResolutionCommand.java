package sc.fiji.inr.fiji;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;

import ij.ImagePlus;
import sc.fiji.inr.field.ModelOptions;
import sc.fiji.inr.field.NeuralField;
import sc.fiji.inr.image.CalibratedImage;
import sc.fiji.inr.image.ImagePlusAdapter;
import sc.fiji.inr.raster.RenderGrid;
import sc.fiji.inr.tasks.superres.Interpolation;
import sc.fiji.inr.tasks.superres.StackGeometry;
import sc.fiji.inr.tasks.superres.SuperResolution;

/**
 * Resamples one 2D or 3D image onto a finer grid — a per-axis scale or a target voxel size —
 * either by fitting a neural field through a model of how each voxel was acquired (a box or
 * Gaussian slice profile along z, box in-plane), which can restore detail that interpolation
 * blurs, or by a classical interpolation to compare it with. The result keeps the physical
 * calibration and pixel type of the input; the fitted field can be saved for later renders.
 */
@Plugin(type = Command.class, menuPath = "Plugins>INR>Super-Resolution...")
public class SuperResolutionCommand extends InrCommand {

	@Parameter(label = "Image")
	private ImagePlus image;
	@Parameter(label = "Scale", required = false, description = "e.g. 2, or 1,1,4 per axis; empty = use the voxel size")
	private String scale = "";
	@Parameter(label = "Voxel size", required = false, description = "e.g. 0.5, or 0.5,0.5,0.5 per axis; empty = use the scale")
	private String voxel = "";
	@Parameter(label = "Method", choices = { "inr", "nearest", "linear", "cubic", "lanczos" })
	private String method = "inr";
	@Parameter(label = "Slice profile", choices = { "box", "gaussian" })
	private String profile = "box";
	@Parameter(label = "Slice thickness (0 = slice spacing)", min = "0", description = "box width or Gaussian FWHM")
	private double thickness = 0;
	@Parameter(label = "Model", choices = { "hashgrid", "siren", "fourier", "positional" })
	private String model = "hashgrid";
	@Parameter(label = "Steps", min = "1")
	private int steps = 2000;
	@Parameter(label = "Time limit (s, 0 = none)", min = "0")
	private double time = 0;
	@Parameter(label = "Random seed")
	private long seed = 1;
	@Parameter(label = "Save field (.inr, optional)", style = FileWidget.SAVE_STYLE, required = false)
	private File field;

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus upsampled;

	@Override
	public void run() {
		try {
			if (image == null) throw new IllegalArgumentException("There is no image to upsample: open one first");
			final boolean inr = method.equalsIgnoreCase("inr");
			final Path path = fieldTarget(field, inr, method);
			final CalibratedImage<?> img = ImagePlusAdapter.wrap(image);
			final RenderGrid grid = SuperResolution.upsampleGrid(img, numbers(scale, "scale"), numbers(voxel, "voxel size"));
			final CalibratedImage<?> result;
			if (inr) {
				final SuperResolution.Settings settings = SuperResolution.Settings.of(ModelOptions.of(model), steps, time, 0, 0,
						seed, "l2", profile, thickness, false);
				try (FitMonitor monitor = FitMonitor.start(getContext(), label() + " " + image.getTitle())) {
					final SuperResolution.Result r = SuperResolution.upsample(img, grid, settings, monitor);
					try (NeuralField f = r.field()) {
						if (!keepFit(monitor, f, r.fit(), path, "Super-resolution")) return;
					}
					result = r.image();
				}
			}
			else {
				result = SuperResolution.interpolate(new SuperResolution.Stack(img, StackGeometry.fromCalibration(img, null)), grid,
						Interpolation.parse(method));
			}
			upsampled = ImagePlusAdapter.toImagePlus(result);
			upsampled.setTitle(image.getTitle() + "-superres");
		}
		catch (final IllegalArgumentException | IllegalStateException | IOException | UncheckedIOException e) {
			fail(describe(e));
		}
	}

	/** A comma list of finite numbers, or null when {@code text} is empty. */
	static double[] numbers(final String text, final String what) {
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
			if (!Double.isFinite(v[i])) throw new IllegalArgumentException("The " + what
					+ " must be numbers separated by commas; '" + parts[i] + "' in '" + text.trim() + "' is not a number");
		}
		return v;
	}

	/**
	 * The field file to write, checked before fitting so that a long fit does not end in an
	 * unwritable file; null when none was chosen. Only a fitting method makes a field.
	 */
	static Path fieldTarget(final File file, final boolean fits, final String method) throws NoSuchFileException {
		if (file == null || file.getPath().isBlank()) return null;
		if (!fits)
			throw new IllegalArgumentException("Method " + method + " fits no field, so nothing can be saved to " + file
					+ "; clear the field file or choose method inr");
		return writableTarget(file, "field file");
	}
}
