package sc.fiji.inr.fiji;

import java.awt.GraphicsEnvironment;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;

import sc.fiji.inr.field.FieldFile;
import sc.fiji.inr.field.TrainingRecord;

/**
 * Describes a field file without loading its weights: a short summary, then the full JSON header.
 * Showing the text is left to the host (Fiji opens a text window for a String output), except
 * headless, where nothing would show it, so it is logged.
 */
@Plugin(type = Command.class, menuPath = "Plugins>INR>Neural Field Info")
public class FieldInfoCommand extends InrCommand {

	@Parameter(label = "Field file (.inr)", style = FileWidget.OPEN_STYLE)
	private File field;

	@Parameter
	private LogService log;

	@Parameter(type = ItemIO.OUTPUT)
	private String info;

	@Override
	public void run() {
		try {
			final Path path = existingFile(field, "field file");
			info = summary(path, FieldFile.readHeader(path));
			if (GraphicsEnvironment.isHeadless()) log.info(info);
		}
		catch (final IllegalArgumentException | IOException e) {
			fail(describe(e));
		}
	}

	static String summary(final Path path, final FieldFile.Header h) {
		final TrainingRecord t = h.training();
		final StringBuilder s = new StringBuilder();
		s.append("Field file: ").append(path).append('\n');
		s.append("Source:     ").append(h.source().name()).append(" (").append(h.source().pixelType()).append(")\n");
		s.append("Axes:       ").append(h.frame().axes()).append(", size ").append(Arrays.toString(h.frame().size()))
				.append(", spacing ").append(Arrays.toString(h.frame().spacing())).append(' ')
				.append(Arrays.toString(h.frame().units())).append('\n');
		s.append("Model:      ").append(h.spec().encoding()).append(" + ").append(h.spec().network()).append(", ")
				.append(h.spec().inDims()).append(" → ").append(h.spec().outChannels()).append(" channel(s)\n");
		s.append("Parameters: ").append(String.format(Locale.ROOT, "%,d", h.parameterCount())).append('\n');
		s.append("Training:   ").append(String.format(Locale.ROOT, "%d steps, PSNR %.2f dB, loss %.3g, %.1f s, stopped by %s, seed %d, %s",
				t.steps(), t.psnr(), t.loss(), t.seconds(), t.stopReason(), t.seed(), t.device())).append("\n\n");
		s.append(h.toJson()).append('\n');
		return s.toString();
	}
}
