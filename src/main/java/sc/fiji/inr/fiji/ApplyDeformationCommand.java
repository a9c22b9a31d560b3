package sc.fiji.inr.fiji;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;

import ij.ImagePlus;
import sc.fiji.inr.image.ImagePlusAdapter;
import sc.fiji.inr.tasks.registration.DeformationTransform;
import sc.fiji.inr.tasks.registration.Warping;

/**
 * Warps an image on the moving image's grid (another channel, a segmentation) onto the fixed
 * grid with a transform saved by Register Images (Deformable)...; label images use the nearest
 * voxel so that their values stay labels.
 */
@Plugin(type = Command.class, menuPath = "Plugins>INR>Apply Deformation...")
public class ApplyDeformationCommand extends InrCommand {

	@Parameter(label = "Image (on the moving image's grid)")
	private ImagePlus image;
	@Parameter(label = "Transform (.inr from Register Images)")
	private File transform;
	@Parameter(label = "Label image (nearest neighbour)")
	private boolean labels = false;

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus warped;

	@Override
	public void run() {
		try {
			if (image == null) throw new IllegalArgumentException("There is no image to warp: open one first");
			try (DeformationTransform t = DeformationTransform.load(existingFile(transform, "transform file"))) {
				warped = ImagePlusAdapter.toImagePlus(Warping.warp(ImagePlusAdapter.wrap(image), t, labels));
				warped.setTitle(image.getTitle() + "-warped");
			}
		}
		catch (final IllegalArgumentException | IllegalStateException | IOException | UncheckedIOException e) {
			fail(describe(e));
		}
	}
}
