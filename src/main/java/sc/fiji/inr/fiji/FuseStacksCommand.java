package sc.fiji.inr.fiji;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;

import ij.ImagePlus;
import ij.WindowManager;
import sc.fiji.inr.field.ModelOptions;
import sc.fiji.inr.field.NeuralField;
import sc.fiji.inr.image.CalibratedImage;
import sc.fiji.inr.image.ImagePlusAdapter;
import sc.fiji.inr.raster.RenderGrid;
import sc.fiji.inr.tasks.superres.Interpolation;
import sc.fiji.inr.tasks.superres.Orientation;
import sc.fiji.inr.tasks.superres.StackGeometry;
import sc.fiji.inr.tasks.superres.SuperResolution;

/**
 * Fuses two or three thick-slice stacks of the same object, acquired in different orientations
 * (as clinical MRI often is), into one volume with isotropic voxels: a neural field is fitted to
 * every stack at once through a model of how each voxel was acquired, optionally with a rigid
 * pose per stack for motion between acquisitions; or, to compare, the stacks are interpolated
 * and averaged. ImageJ images have no orientation, so each stack's is chosen here.
 * <p>
 * The third stack is optional and named by title: ImageJ fills an absent image input with the
 * current image, which for an optional stack would silently fuse a stack with itself.
 */
@Plugin(type = Command.class, menuPath = "Plugins>INR>Fuse Stacks...")
public class FuseStacksCommand extends InrCommand {

	@Parameter(label = "First stack (reference)")
	private ImagePlus stack1;
	@Parameter(label = "Second stack")
	private ImagePlus stack2;
	@Parameter(label = "Third stack (title; empty = none)", required = false)
	private String stack3 = "";
	@Parameter(label = "First stack's orientation", choices = { "axial", "coronal", "sagittal" })
	private String orientation1 = "axial";
	@Parameter(label = "Second stack's orientation", choices = { "axial", "coronal", "sagittal" })
	private String orientation2 = "coronal";
	@Parameter(label = "Third stack's orientation", choices = { "axial", "coronal", "sagittal" })
	private String orientation3 = "sagittal";
	@Parameter(label = "Output voxel size (0 = finest input spacing)", min = "0")
	private double voxel = 0;
	@Parameter(label = "Field of view", choices = { "union", "first" })
	private String fov = "union";
	@Parameter(label = "Align stacks (rigid motion)")
	private boolean align = false;
	@Parameter(label = "Method", choices = { "inr", "average" })
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

	@Parameter
	private LogService log;

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus fused;

	@Override
	public void run() {
		try {
			final boolean inr = method.equalsIgnoreCase("inr");
			if (!inr && !method.equalsIgnoreCase("average"))
				throw new IllegalArgumentException("Unknown method '" + method + "' (use inr or average)");
			if (!inr && align) throw new IllegalArgumentException("Alignment needs method inr; the " + method + " cannot align stacks");
			final Path path = SuperResolutionCommand.fieldTarget(field, inr, method);
			final List<ImagePlus> images = images();
			final String[] orientations = { orientation1, orientation2, orientation3 };
			final List<SuperResolution.Stack> stacks = new ArrayList<>();
			for (int i = 0; i < images.size(); i++) {
				final CalibratedImage<?> img = ImagePlusAdapter.wrap(images.get(i));
				stacks.add(new SuperResolution.Stack(img, StackGeometry.fromCalibration(img, Orientation.parse(orientations[i]))));
			}
			SuperResolution.checkFusable(stacks);
			final RenderGrid grid = SuperResolution.fusionGrid(stacks.stream().map(SuperResolution.Stack::geometry).toList(), voxel,
					SuperResolution.FieldOfView.parse(fov));
			if (!inr) {
				fused = ImagePlusAdapter.toImagePlus(SuperResolution.average(stacks, grid, Interpolation.CUBIC));
				fused.setTitle("fused");
				return;
			}
			final SuperResolution.Settings settings = SuperResolution.Settings.of(ModelOptions.of(model), steps, time, 0, 0, seed,
					"l2", profile, thickness, align);
			try (FitMonitor monitor = FitMonitor.start(getContext(), label() + " " + images.size() + " stacks")) {
				final SuperResolution.Result r = SuperResolution.fuse(stacks, grid, settings, monitor);
				try (NeuralField f = r.field()) {
					if (!keepFit(monitor, f, r.fit(), path, "Fusion")) return;
				}
				if (align)
					for (int i = 1; i < images.size(); i++)
						log.info(label() + ": motion of '" + images.get(i).getTitle() + "': " + r.motions().get(i));
				fused = ImagePlusAdapter.toImagePlus(r.image());
				fused.setTitle("fused");
			}
		}
		catch (final IllegalArgumentException | IllegalStateException | IOException | UncheckedIOException e) {
			fail(describe(e));
		}
	}

	/** The two given stacks and the third, if one is named; each a different image. */
	private List<ImagePlus> images() {
		if (stack1 == null || stack2 == null) throw new IllegalArgumentException("Fusing needs two stacks: open them first");
		final List<ImagePlus> images = new ArrayList<>(List.of(stack1, stack2));
		final String title = stack3 == null ? "" : stack3.trim();
		if (!title.isEmpty() && !title.equalsIgnoreCase("none")) {
			final ImagePlus third = WindowManager.getImage(title);
			if (third == null) throw new IllegalArgumentException("Third stack: no image titled '" + title + "' is open");
			images.add(third);
		}
		for (int i = 0; i < images.size(); i++)
			for (int j = i + 1; j < images.size(); j++)
				if (images.get(i) == images.get(j))
					throw new IllegalArgumentException("Stack " + (i + 1) + " and stack " + (j + 1) + " are the same image '"
							+ images.get(i).getTitle() + "'; choose different stacks");
		return images;
	}
}
