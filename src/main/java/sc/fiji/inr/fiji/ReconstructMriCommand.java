package sc.fiji.inr.fiji;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import sc.fiji.inr.tasks.Reconstruction;
import sc.fiji.inr.tasks.mri.KSpace;
import sc.fiji.inr.tasks.mri.MriImages;
import sc.fiji.inr.tasks.mri.MriReconstruction;
import sc.fiji.inr.tasks.mri.SamplingMask;

/**
 * Reconstructs an image from undersampled k-space: by fitting a neural field through the Fourier
 * model ({@code inr}; a real image, or with {@code complex} its real and imaginary parts,
 * optionally starting from a prior field of the k-space's size fitted with Fit Prior...), or by
 * the zero-filled inverse FFT to compare. The result is the magnitude image.
 * <p>
 * The k-space is a 2-channel image (real, imaginary), or the real part with the imaginary part
 * named by title. The mask is named by title; without one, the k-space's nonzero elements are
 * taken as the sampled ones. The pixel size comes from a k-space calibrated in cycles per unit
 * (as Simulate MRI k-space... writes it), else it is 1 pixel.
 */
@Plugin(type = Command.class, menuPath = "Plugins>INR>Reconstruct MRI...")
public class ReconstructMriCommand extends InrCommand {

	@Parameter(label = "k-space (2 channels, or the real part)")
	private ImagePlus kspace;
	@Parameter(label = "Imaginary part (title; empty = 2 channels)", required = false)
	private String imaginary = "";
	@Parameter(label = "Mask (title; empty = nonzero samples)", required = false)
	private String mask = "";
	@Parameter(label = "Method", choices = { "inr", "zero-filled" })
	private String method = "inr";
	@Parameter(label = "Complex image (inr: fit real and imaginary parts)")
	private boolean complex = false;
	@Parameter(label = "Model (inr)", choices = { "hashgrid", "siren", "fourier", "positional" })
	private String model = "hashgrid";
	@Parameter(label = "Steps (inr)", min = "1")
	private int steps = 2000;
	@Parameter(label = "Time limit (s, 0 = none)", min = "0")
	private double time = 0;
	@Parameter(label = "Random seed")
	private long seed = 1;
	@Parameter(label = "TV weight (inr)", min = "0", stepSize = "0.001")
	private double tv = MriReconstruction.DEFAULT_TV_WEIGHT;
	@Parameter(label = "Prior field (.inr, optional)", required = false)
	private File prior;
	@Parameter(label = "Prior weight (inr with a prior; 0 = warm start only)", min = "0", stepSize = "0.01",
			description = "weight of the total variation of the change from the prior's image: keeps what the data cannot see at the prior")
	private double anchor = MriReconstruction.DEFAULT_PRIOR_WEIGHT;
	@Parameter(label = "Save field (.inr, optional)", style = FileWidget.SAVE_STYLE, required = false)
	private File field;

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus reconstruction;

	@Override
	public void run() {
		try {
			if (kspace == null) throw new IllegalArgumentException("There is no k-space to reconstruct: open one first");
			final String m = method.trim().toLowerCase(java.util.Locale.ROOT);
			final boolean inr = m.equals("inr");
			if (!inr && !m.equals("zero-filled")) throw new IllegalArgumentException("Unknown method '" + method + "' (use inr or zero-filled)");
			final Path path = SuperResolutionCommand.fieldTarget(field, inr, method);
			PriorFields.refuseUnless(inr, prior, method);
			final CalibratedImage<?> k = ImagePlusAdapter.wrap(kspace);
			final ImagePlus im = imageTitled(imaginary, "Imaginary part");
			final KSpace data = im == null ? KSpace.of(k) : KSpace.of(k, ImagePlusAdapter.wrap(im));
			final ImagePlus maskImage = imageTitled(mask, "Mask");
			final SamplingMask sampled = maskImage == null ? MriImages.nonzero(data) : SamplingMask.of(ImagePlusAdapter.wrap(maskImage));
			final MriReconstruction.Calibration calibration = MriImages.calibration(k);
			final String title = kspace.getTitle() + "-" + m;
			final CalibratedImage<?> result;
			if (!inr) result = MriReconstruction.zeroFilled(data, sampled, calibration, title);
			else {
				final Reconstruction.Settings settings = Reconstruction.Settings.of(ModelOptions.of(model), steps, time, 0, seed, tv, anchor);
				final NeuralField initial = PriorFields.load(prior);
				NeuralField fitted = null;
				try (FitMonitor monitor = FitMonitor.start(getContext(), label() + " " + kspace.getTitle())) {
					final MriReconstruction.Result r = MriReconstruction.reconstruct(data, sampled, calibration, title, complex, settings,
							initial, monitor);
					fitted = r.field();
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
}
