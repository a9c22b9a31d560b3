package sc.fiji.inr.fiji;

import java.io.File;
import java.io.IOException;
import java.util.concurrent.CancellationException;

import org.scijava.ItemIO;
import org.scijava.app.StatusService;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.scijava.widget.FileWidget;

import ij.IJ;
import ij.ImagePlus;
import sc.fiji.inr.field.FieldFile;
import sc.fiji.inr.field.NeuralField;
import sc.fiji.inr.image.ImagePlusAdapter;
import sc.fiji.inr.raster.FieldRenderer;
import sc.fiji.inr.raster.RenderRequest;

/**
 * Renders a saved field on a pixel grid: the source grid, a finer or coarser one, an exact size,
 * and/or a region. The image comes back with the source's name, calibration and pixel type, so it
 * can stand in for the source in any later step.
 */
@Plugin(type = Command.class, menuPath = "Plugins>INR>Render Neural Field...")
public class RenderFieldCommand extends InrCommand {

	@Parameter(label = "Field file (.inr)", style = FileWidget.OPEN_STYLE)
	private File field;
	@Parameter(label = "Scale", required = false, description = "e.g. 2, or 1,1,4 per axis; empty = source pixels")
	private String scale = "";
	@Parameter(label = "Size", required = false, description = "pixels per axis, e.g. 512,512 (instead of a scale)")
	private String size = "";
	@Parameter(label = "Region", required = false, description = "source pixels: x,y,w,h (2D) or x,y,z,w,h,d (3D)")
	private String region = "";

	@Parameter
	private StatusService status;

	@Parameter(type = ItemIO.OUTPUT)
	private ImagePlus rendered;

	@Override
	public void run() {
		try {
			final RenderRequest request = RenderRequest.parse(scale, size, region);
			try (NeuralField f = FieldFile.load(existingFile(field, "field file"))) {
				IJ.resetEscape();
				rendered = ImagePlusAdapter.toImagePlus(FieldRenderer.render(f, request.toGrid(f.frame()),
						done -> status.showProgress((int) (1000 * done), 1000), IJ::escapePressed));
			}
		}
		catch (final CancellationException e) {
			cancel("Rendering cancelled");
		}
		catch (final IllegalArgumentException | IllegalStateException | IOException e) {
			fail(describe(e));
		}
		finally {
			status.clearStatus();
		}
	}
}
