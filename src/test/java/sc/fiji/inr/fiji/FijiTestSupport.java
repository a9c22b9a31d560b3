package sc.fiji.inr.fiji;

import java.io.File;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.scijava.Context;
import org.scijava.command.Command;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

import ij.ImagePlus;
import ij.WindowManager;
import ij.macro.Interpreter;
import ij.measure.Calibration;
import ij.process.ByteProcessor;
import ij.process.ColorProcessor;
import net.imglib2.type.numeric.real.FloatType;
import sc.fiji.inr.image.Axis;
import sc.fiji.inr.image.CalibratedImage;
import sc.fiji.inr.image.ImagePlusAdapter;
import sc.fiji.inr.image.PixelType;
import sc.fiji.inr.image.SheppLogan;
import sc.fiji.inr.tasks.superres.Orientation;
import sc.fiji.inr.tasks.superres.SliceProfile;
import sc.fiji.inr.tasks.superres.StackSimulator;

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

	/**
	 * Every input of the super-resolution command (see {@link #fitInputs}); {@code scale} and
	 * {@code voxel} as typed, e.g. "2" or "" (none).
	 */
	static Map<String, Object> superresInputs(final ImagePlus image, final String scale, final String voxel, final String method,
			final int steps, final File field) {
		final Map<String, Object> m = new HashMap<>();
		m.put("image", image);
		m.put("scale", scale);
		m.put("voxel", voxel);
		m.put("method", method);
		m.put("profile", "box");
		m.put("thickness", 0.0);
		m.put("model", "hashgrid");
		m.put("steps", steps);
		m.put("time", 0.0);
		m.put("seed", 1L);
		m.put("field", field);
		return m;
	}

	/** Every input of the fusion command; {@code third} is the third stack's title ("" = none). */
	static Map<String, Object> fuseInputs(final ImagePlus first, final ImagePlus second, final String third, final String method,
			final int steps, final File field) {
		final Map<String, Object> m = new HashMap<>();
		m.put("stack1", first);
		m.put("stack2", second);
		m.put("stack3", third);
		m.put("orientation1", "axial");
		m.put("orientation2", "coronal");
		m.put("orientation3", "sagittal");
		m.put("voxel", 0.0);
		m.put("fov", "union");
		m.put("align", false);
		m.put("method", method);
		m.put("profile", "box");
		m.put("thickness", 0.0);
		m.put("model", "hashgrid");
		m.put("steps", steps);
		m.put("time", 0.0);
		m.put("seed", 1L);
		m.put("field", field);
		return m;
	}

	/**
	 * Axial, coronal and sagittal stacks of the 3D Shepp–Logan phantom ({@code size}³ voxels of
	 * 1 mm), each {@code factor} times thicker along its own slice axis, as 32-bit ImagePlus
	 * titled phantom-axial, phantom-coronal, phantom-sagittal.
	 */
	static List<ImagePlus> phantomStacks(final int size, final int factor) {
		final CalibratedImage<FloatType> p = SheppLogan.phantom3d(size);
		final CalibratedImage<FloatType> truth = new CalibratedImage<>("phantom", p.pixels(), List.of(Axis.X, Axis.Y, Axis.Z),
				new double[] { 1, 1, 1 }, new double[3], new String[] { "mm", "mm", "mm" }, PixelType.FLOAT32);
		final List<ImagePlus> stacks = new ArrayList<>();
		long seed = 1;
		for (final Orientation o : Orientation.values())
			stacks.add(ImagePlusAdapter.toImagePlus(
					StackSimulator.simulate(truth, o, factor, SliceProfile.Kind.BOX, 1, null, 0, seed++).image()));
		return stacks;
	}

	/** The 2D Shepp–Logan phantom, {@code size}² pixels of {@code pixel} mm, as a 32-bit ImagePlus titled "phantom". */
	static ImagePlus phantom(final int size, final double pixel) {
		final CalibratedImage<FloatType> p = SheppLogan.phantom2d(size);
		return ImagePlusAdapter.toImagePlus(new CalibratedImage<>("phantom", p.pixels(), List.of(Axis.X, Axis.Y),
				new double[] { pixel, pixel }, new double[2], new String[] { "mm", "mm" }, PixelType.FLOAT32));
	}

	/** Every input of Simulate CT Projections..., parallel beam over 180° with automatic detectors. */
	static Map<String, Object> ctSimulateInputs(final ImagePlus image, final int views) {
		final Map<String, Object> m = new HashMap<>();
		m.put("image", image);
		m.put("beam", "parallel");
		m.put("views", views);
		m.put("range", 180.0);
		m.put("start", 0.0);
		m.put("angles", "");
		m.put("detectors", 0);
		m.put("spacing", 0.0);
		m.put("offset", 0.0);
		m.put("sid", 0.0);
		m.put("sdd", 0.0);
		m.put("photons", 0.0);
		m.put("seed", 1L);
		return m;
	}

	/** Every input of Reconstruct CT..., the geometry fields at their defaults (so a recorded geometry is used). */
	static Map<String, Object> ctReconstructInputs(final ImagePlus sinogram, final String method) {
		final Map<String, Object> m = new HashMap<>();
		m.put("sinogram", sinogram);
		m.put("method", method);
		m.put("beam", "parallel");
		m.put("views", 0);
		m.put("range", 180.0);
		m.put("start", 0.0);
		m.put("angles", "");
		m.put("detectors", 0);
		m.put("spacing", 0.0);
		m.put("offset", 0.0);
		m.put("sid", 0.0);
		m.put("sdd", 0.0);
		m.put("size", 0);
		m.put("pixel", 0.0);
		m.put("filter", "ram-lak");
		m.put("iterations", 10);
		m.put("relaxation", 0.5);
		m.put("model", "hashgrid");
		m.put("steps", 20);
		m.put("time", 0.0);
		m.put("batch", 4096); // small steps: these tests check the plumbing
		m.put("seed", 1L);
		m.put("tv", 0.01);
		m.put("prior", null);
		m.put("anchor", 0.0); // explicit: SciJava would otherwise reuse the last run's value
		m.put("registration", "sinogram");
		m.put("field", null);
		return m;
	}

	/** Every input of Simulate MRI k-space..., Cartesian rows at {@code acceleration}, noise-free. */
	static Map<String, Object> mriSimulateInputs(final ImagePlus image, final double acceleration) {
		final Map<String, Object> m = new HashMap<>();
		m.put("image", image);
		m.put("pattern", "cartesian");
		m.put("mask", "");
		m.put("acceleration", acceleration);
		m.put("centre", 0.08);
		m.put("spokes", 32);
		m.put("golden", false);
		m.put("noise", 0.0);
		m.put("seed", 1L);
		return m;
	}

	/** Every input of Reconstruct MRI...; {@code mask} a title ("" = the nonzero samples). */
	static Map<String, Object> mriReconstructInputs(final ImagePlus kspace, final String mask, final String method) {
		final Map<String, Object> m = new HashMap<>();
		m.put("kspace", kspace);
		m.put("imaginary", "");
		m.put("mask", mask);
		m.put("method", method);
		m.put("complex", false);
		m.put("model", "hashgrid");
		m.put("steps", 20);
		m.put("time", 0.0);
		m.put("seed", 1L);
		m.put("tv", 0.01);
		m.put("prior", null);
		m.put("field", null);
		return m;
	}

	/** Every input of Fit Prior.... */
	static Map<String, Object> priorInputs(final ImagePlus image, final File output, final int steps) {
		final Map<String, Object> m = new HashMap<>();
		m.put("image", image);
		m.put("model", "hashgrid");
		m.put("steps", steps);
		m.put("time", 0.0);
		m.put("seed", 1L);
		m.put("output", output);
		return m;
	}

	/** Makes {@code imp} findable by title, as an image a macro opened in batch mode is. */
	static ImagePlus open(final ImagePlus imp) {
		Interpreter.batchMode = true;
		Interpreter.addBatchModeImage(imp);
		return imp;
	}

	/** Forgets the images {@link #open} made findable, and leaves batch mode. */
	static void closeAll() {
		for (final int id : Interpreter.getBatchModeImageIDs()) {
			final ImagePlus imp = WindowManager.getImage(id);
			if (imp != null) Interpreter.removeBatchModeImage(imp);
		}
		WindowManager.setTempCurrentImage(null);
		Interpreter.batchMode = false;
	}

	static CommandModule run(final Context context, final Class<? extends Command> command, final Map<String, Object> inputs)
			throws Exception {
		return context.service(CommandService.class).run(command, true, inputs).get();
	}
}
