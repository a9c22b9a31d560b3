package sc.fiji.inr.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import net.imglib2.type.numeric.real.FloatType;
import sc.fiji.inr.field.FieldFile;
import sc.fiji.inr.field.NeuralField;
import sc.fiji.inr.image.CalibratedImage;
import sc.fiji.inr.image.ImageWriter;
import sc.fiji.inr.raster.FieldRenderer;
import sc.fiji.inr.raster.RenderGrid;
import sc.fiji.inr.raster.RenderRequest;

/** {@code inr render FIELD.inr -o OUT}: evaluate a field on a grid and write the image. */
final class RenderVerb implements Main.Verb {

	@Override
	public String summary() {
		return "render a field file to TIFF or NIfTI at any scale, size or region";
	}

	@Override
	public String help() {
		return """
				Usage: inr render FIELD.inr -o OUT.tif|OUT.nii|OUT.nii.gz [--scale S | --size X,Y[,Z]] [--roi ...]

				Evaluates the field on a regular grid and writes it with physical pixel sizes and the source
				image's pixel type. Without options the source grid is reproduced.
				  --scale S           S times as many pixels per axis (2), or one factor per axis (1,1,4)
				  --size X,Y[,Z,T]    exact output size in pixels (same extent as the source)
				  --roi x,y,w,h       region of the source, in source pixels: starts then sizes
				                      (3D: x,y,z,w,h,d); combines with --scale or --size
				  -o, --output FILE   image to write (.tif, .tiff, .nii, .nii.gz)
				  --force             overwrite an existing output file
				""";
	}

	@Override
	public int run(final String[] args, final PrintStream out, final PrintStream err) throws Exception {
		final Arguments a = new Arguments("render", args, List.of("output", "scale", "size", "roi"), List.of("force", "quiet"));
		final Path input = Path.of(a.single("render", "field file"));
		final String output = a.string("output", null);
		final Path target = OutputFiles.check(output, a.has("force"), input);
		if (ImageWriter.SUPPORTED_EXTENSIONS.stream().noneMatch(e -> target.toString().toLowerCase().endsWith(e)))
			throw new UsageException("Cannot write " + target.getFileName() + ": use one of " + ImageWriter.SUPPORTED_EXTENSIONS);
		final RenderRequest request;
		try {
			request = RenderRequest.parse(a.string("scale", ""), a.string("size", ""), a.string("roi", ""));
		}
		catch (final IllegalArgumentException e) {
			throw new UsageException(e.getMessage());
		}
		try (NeuralField field = FieldFile.load(input)) {
			final RenderGrid grid = request.toGrid(field.frame());
			final CalibratedImage<FloatType> image = FieldRenderer.render(field, grid, p -> {}, () -> false);
			ImageWriter.write(image, target);
			out.printf("Rendered %s at %s (pixel size %s) to %s%n", input.getFileName(), java.util.Arrays.toString(grid.size()),
					java.util.Arrays.toString(grid.spacing()), target);
		}
		return 0;
	}
}
