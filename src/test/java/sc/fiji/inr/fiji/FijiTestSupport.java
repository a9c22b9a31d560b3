package sc.fiji.inr.fiji;

import java.io.File;
import java.util.HashMap;
import java.util.Map;

import org.scijava.Context;
import org.scijava.command.Command;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import ij.ImagePlus;
import ij.measure.Calibration;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;

/** Small images, complete parameter maps and a one-line command runner for the command tests. */
final class FijiTestSupport {

	static {
		System.setProperty("java.awt.headless", "true");
	}

	private FijiTestSupport() {}

	/** Makes sure the headless property is set before any AWT or ImageJ class asks for it. */
	static void headless() {
		System.setProperty("java.awt.headless", "true");
	}

	/** A smooth 8-bit pattern with a non-trivial calibration (0.5 µm pixels, shifted origin). */
	static ImagePlus pattern8(final String title, final int w, final int h) {
		final ByteProcessor ip = new ByteProcessor(w, h);
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++)
				ip.set(x, y, (int) Math.round(127 + 100 * Math.sin(x / 5.0) * Math.cos(y / 7.0)));
		final ImagePlus imp = new ImagePlus(title, ip);
		final Calibration cal = imp.getCalibration();
		cal.pixelWidth = cal.pixelHeight = 0.5;
		cal.setUnit("µm");
		cal.xOrigin = 4;
		return imp;
	}

	static ImagePlus patternRgb(final String title, final int w, final int h) {
		final ColorProcessor ip = new ColorProcessor(w, h);
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++)
				ip.set(x, y, (x * 4 & 0xff) << 16 | (y * 4 & 0xff) << 8 | (x + y) * 2 & 0xff);
		return new ImagePlus(title, ip);
	}

	/**
	 * Every input of the fit command, so that no value remembered from an earlier run (SciJava
	 * persists inputs) leaks into a test. A small hash table keeps the field files small.
	 */
	static Map<String, Object> fitInputs(final ImagePlus image, final File output, final int steps) {
		final Map<String, Object> m = new HashMap<>();
		m.put("image", image);
		m.put("model", "hashgrid");
		m.put("steps", steps);
		m.put("time", 0.0);
		m.put("lr", 0.0);
		m.put("batch", 0);
		m.put("seed", 1L);
		m.put("target", 0.0);
		m.put("loss", "l2");
		for (final String k : new String[] { "width", "depth", "features", "frequencies", "levels", "perlevel", "coarsest",
				"finest" })
			m.put(k, 0);
		m.put("omega", 0.0);
		m.put("sigma", 0.0);
		m.put("table", 12);
		m.put("output", output);
		return m;
	}

	static Map<String, Object> renderInputs(final File field, final String scale, final String size, final String region) {
		final Map<String, Object> m = new HashMap<>();
		m.put("field", field);
		m.put("scale", scale);
		m.put("size", size);
		m.put("region", region);
		return m;
	}

	static CommandModule run(final Context context, final Class<? extends Command> command, final Map<String, Object> inputs)
			throws Exception {
		return context.service(CommandService.class).run(command, true, inputs).get();
	}
}
