package sc.fiji.inr.fiji;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import org.scijava.ItemIO;
import org.scijava.ItemVisibility;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;

import ij.ImagePlus;
import sc.fiji.inr.field.FieldFile;
import sc.fiji.inr.field.ModelOptions;
import sc.fiji.inr.field.NeuralField;
import sc.fiji.inr.image.ImagePlusAdapter;
import sc.fiji.inr.tasks.fitimage.ImageFitting;

/**
 * Fits a neural field to the current image and saves it as an {@code .inr} file. Overwrites a
 * chosen output file, as a save dialog promises, but only once the fit has succeeded: a failed
 * or cancelled fit leaves whatever was there.
 */
@Plugin(type = Command.class, menuPath = "Plugins>INR>Fit Neural Field...")
public class FitFieldCommand extends InrCommand {

	@Parameter(label = "Image")
	private ImagePlus image;
	@Parameter(label = "Model", choices = { "hashgrid", "siren", "fourier", "positional" })
	private String model = "hashgrid";
	@Parameter(label = "Steps", min = "1")
	private int steps = 2000;
	@Parameter(label = "Time limit (s, 0 = none)", min = "0")
	private double time = 0;
	@Parameter(label = "Learning rate (0 = model default)", min = "0", stepSize = "0.0001")
	private double lr = 0;
	@Parameter(label = "Pixels per step (0 = auto)", min = "0")
	private int batch = 0;
	@Parameter(label = "Random seed")
	private long seed = 1;
	@Parameter(label = "Stop at PSNR (dB, 0 = off)", min = "0")
	private double target = 0;
	@Parameter(label = "Loss", description = "l2, l1, huber[:delta] or cauchy[:scale]")
	private String loss = "l2";
	@Parameter(visibility = ItemVisibility.MESSAGE, persist = false, required = false)
	private String overrides = "Architecture overrides (0 = the model's default)";
	@Parameter(label = "Network width", min = "0")
	private int width = 0;
	@Parameter(label = "Network depth", min = "0")
	private int depth = 0;
	@Parameter(label = "SIREN omega0", min = "0")
	private double omega = 0;
	@Parameter(label = "Fourier features", min = "0")
	private int features = 0;
	@Parameter(label = "Fourier sigma", min = "0")
	private double sigma = 0;
	@Parameter(label = "Positional frequencies", min = "0")
	private int frequencies = 0;
	@Parameter(label = "Hash grid levels", min = "0")
	private int levels = 0;
	@Parameter(label = "Features per level", min = "0")
	private int perlevel = 0;
	@Parameter(label = "Hash table size (log2)", min = "0")
	private int table = 0;
	@Parameter(label = "Coarsest resolution", min = "0")
	private int coarsest = 0;
	@Parameter(label = "Finest resolution", min = "0")
	private int finest = 0;
	@Parameter(label = "Output field (.inr)", style = FileWidget.SAVE_STYLE)
	private File output;

	@Parameter(type = ItemIO.OUTPUT, label = "PSNR (dB)")
	private double psnr = Double.NaN;
	@Parameter(type = ItemIO.OUTPUT, label = "Seconds")
	private double seconds;
	@Parameter(type = ItemIO.OUTPUT, label = "Steps taken")
	private long iterations;

	@Override
	public void run() {
		try {
			if (image == null) throw new IllegalArgumentException("There is no image to fit: open one first");
			if (output == null) throw new IllegalArgumentException("Choose an output file (.inr) for the field");
			final Path path = writableTarget(output, "output");
			final ModelOptions architecture = new ModelOptions(model, width, depth, omega, features, sigma, frequencies,
					levels, perlevel, table, coarsest, finest);
			final ImageFitting.Settings settings = ImageFitting.Settings.of(architecture, steps, time, lr, batch, seed,
					target, loss);
			try (FitMonitor monitor = FitMonitor.start(getContext(), label() + " " + image.getTitle())) {
				final ImageFitting.Result result = ImageFitting.fit(ImagePlusAdapter.wrap(image), settings, monitor);
				try (NeuralField field = result.field()) {
					if (monitor.discarded()) {
						cancel("Fit cancelled: " + path + " was not written");
						return;
					}
					FieldFile.save(field, path);
				}
				psnr = result.fit().psnr();
				seconds = result.fit().seconds();
				iterations = result.fit().steps();
				monitor.finished(result.fit(), path);
			}
		}
		catch (final IllegalArgumentException | IllegalStateException | IOException | UncheckedIOException e) {
			fail(describe(e));
		}
	}
}
