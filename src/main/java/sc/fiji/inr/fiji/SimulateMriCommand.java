package sc.fiji.inr.fiji;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.ImagePlus;
import sc.fiji.inr.image.CalibratedImage;
import sc.fiji.inr.image.ImagePlusAdapter;
import sc.fiji.inr.tasks.mri.KSpace;
import sc.fiji.inr.tasks.mri.MriImages;
import sc.fiji.inr.tasks.mri.MriReconstruction;
import sc.fiji.inr.tasks.mri.MriSimulator;
import sc.fiji.inr.tasks.mri.SamplingMask;

/**
 * Simulates an undersampled MRI acquisition of the current (real, 2D) image: its centred,
 * orthonormal k-space at the elements a sampling mask keeps, plus complex Gaussian noise of
 * standard deviation {@code noise} per component, and exactly 0 elsewhere. The mask is random
 * Cartesian rows (an acceleration, a fully sampled centre band, a seed), radial spokes (uniform
 * or golden-angle), or an open mask image (nonzero = sampled).
 * <p>
 * Outputs: the mask (0/1, titled {@code <image>-mask}) and the 2-channel k-space (channel 1
 * real, 2 imaginary, titled {@code <image>-kspace}), which becomes the current image. Both are
 * calibrated in cycles per unit of the image (cycles/FOV for an uncalibrated image), so that
 * Reconstruct MRI... gives back the image's pixel size.
 */
@Plugin(type = Command.class, menuPath = "Plugins>INR>Simulate MRI k-space...")
public class SimulateMriCommand extends InrCommand {

	@Parameter(label = "Image")
	private ImagePlus image;
	@Parameter(label = "Sampling pattern", choices = { "cartesian", "radial", "image" })
	private String pattern = "cartesian";
	@Parameter(label = "Mask image (title; pattern image)", required = false)
	private String mask = "";
	@Parameter(label = "Acceleration (cartesian)", min = "1")
	private double acceleration = 4;
	@Parameter(label = "Centre fraction (cartesian)", min = "0", max = "1", stepSize = "0.01")
	private double centre = 0.08;
	@Parameter(label = "Spokes (radial)", min = "1")
	private int spokes = 32;
	@Parameter(label = "Golden angle (radial)")
	private boolean golden = false;
	@Parameter(label = "Noise sigma (per component)", min = "0")
	private double noise = 0;
	@Parameter(label = "Random seed")
	private long seed = 1;

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus sampling;
	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus kspace;

	@Override
	public void run() {
		try {
			if (image == null) throw new IllegalArgumentException("There is no image to simulate a scan of: open one first");
			final CalibratedImage<?> img = ImagePlusAdapter.wrap(image);
			final float[] pixels = MriImages.realImage(img);
			final int w = MriImages.width(img), h = MriImages.height(img);
			final MriReconstruction.Calibration calibration = MriImages.imageCalibration(img);
			final SamplingMask m = switch (pattern.trim().toLowerCase(java.util.Locale.ROOT)) {
				case "cartesian" -> SamplingMask.cartesian(w, h, acceleration, centre, seed);
				case "radial" -> SamplingMask.radial(w, h, spokes, golden);
				case "image" -> {
					final ImagePlus given = imageTitled(mask, "Mask image");
					if (given == null) throw new IllegalArgumentException("Pattern image needs the title of an open mask image (mask=...)");
					yield SamplingMask.of(ImagePlusAdapter.wrap(given));
				}
				default -> throw new IllegalArgumentException("Unknown sampling pattern '" + pattern + "' (use cartesian, radial or image)");
			};
			final KSpace k = MriSimulator.simulate(pixels, w, h, m, noise, seed);
			sampling = ImagePlusAdapter.toImagePlus(MriImages.maskImage(m, calibration, image.getTitle() + "-mask"));
			kspace = ImagePlusAdapter.toImagePlus(MriImages.kspaceImage(k, calibration, image.getTitle() + "-kspace"));
		}
		catch (final IllegalArgumentException | IllegalStateException e) {
			fail(describe(e));
		}
	}
}
