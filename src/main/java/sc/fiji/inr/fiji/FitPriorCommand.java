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
import sc.fiji.inr.field.FieldFile;
import sc.fiji.inr.field.ModelOptions;
import sc.fiji.inr.field.NeuralField;
import sc.fiji.inr.image.Axis;
import sc.fiji.inr.image.CalibratedImage;
import sc.fiji.inr.image.ImagePlusAdapter;
import sc.fiji.inr.tasks.fitimage.ImageFitting;

/**
 * Fits a field to an earlier scan of the same object, to start a CT or MRI reconstruction from
 * (the prior of NeRP) instead of from scratch. The image is centred on the isocentre first (its
 * origin is ignored; slices start at 0), as the reconstructions' grids are.
 * <p>
 * The prior must match the reconstruction: for CT the same pixel size and unit as the
 * reconstruction grid (the geometry's unit), for MRI the k-space's size (W×H pixels), with one
 * channel for a real image or two (real, imaginary) for a complex one.
 */
@Plugin(type = Command.class, menuPath = "Plugins>INR>Fit Prior...")
public class FitPriorCommand extends InrCommand {

	@Parameter(label = "Earlier scan")
	private ImagePlus image;
	@Parameter(label = "Model", choices = { "hashgrid", "siren", "fourier", "positional" })
	private String model = "hashgrid";
	@Parameter(label = "Steps", min = "1")
	private int steps = 2000;
	@Parameter(label = "Time limit (s, 0 = none)", min = "0")
	private double time = 0;
	@Parameter(label = "Random seed")
	private long seed = 1;
	@Parameter(label = "Output field (.inr)", style = FileWidget.SAVE_STYLE)
	private File output;

	@Parameter(type = ItemIO.OUTPUT, label = "PSNR (dB)")
	private double psnr = Double.NaN;

	@Override
	public void run() {
		try {
			if (image == null) throw new IllegalArgumentException("There is no image to fit a prior to: open one first");
			if (output == null) throw new IllegalArgumentException("Choose an output file (.inr) for the prior field");
			final Path path = writableTarget(output, "output");
			final ImageFitting.Settings settings = ImageFitting.Settings.of(ModelOptions.of(model), steps, time, 0, 0, seed, 0, "l2");
			try (FitMonitor monitor = FitMonitor.start(getContext(), label() + " " + image.getTitle())) {
				final ImageFitting.Result result = ImageFitting.fit(centred(ImagePlusAdapter.wrap(image)), settings, monitor);
				try (NeuralField f = result.field()) {
					if (monitor.discarded()) {
						cancel("Fit cancelled: " + path + " was not written");
						return;
					}
					FieldFile.save(f, path);
				}
				psnr = result.fit().psnr();
				monitor.finished(result.fit(), path);
			}
		}
		catch (final IllegalArgumentException | IllegalStateException | IOException | UncheckedIOException e) {
			fail(describe(e));
		}
	}

	/** {@code image} with its x and y centred on 0 and its first slice at 0, as a reconstruction grid. */
	static CalibratedImage<?> centred(final CalibratedImage<?> image) {
		final double[] origin = image.origin(), spacing = image.spacing();
		for (int d = 0; d < image.numDimensions(); d++) {
			final Axis a = image.axes().get(d);
			if (a == Axis.X || a == Axis.Y) origin[d] = -(image.pixels().dimension(d) - 1) * spacing[d] / 2;
			else if (a == Axis.Z) origin[d] = 0;
		}
		return with(image, origin);
	}

	private static <T extends net.imglib2.type.numeric.RealType<T>> CalibratedImage<T> with(final CalibratedImage<T> image,
			final double[] origin) {
		return new CalibratedImage<>(image.name(), image.pixels(), image.axes(), image.spacing(), origin, image.units(), image.pixelType());
	}
}
