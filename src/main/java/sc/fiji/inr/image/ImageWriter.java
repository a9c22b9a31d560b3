package sc.fiji.inr.image;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import ij.ImagePlus;
import ij.io.FileSaver;

/**
 * Saves a {@link CalibratedImage} as TIFF (ImageJ hyperstack, calibration in the ImageJ
 * description so ImageJ/Fiji reopen it with the same axes, spacing, origin and units) or as
 * NIfTI-1, chosen by extension.
 * <p>
 * Both formats are written to a temporary file in the target directory that then replaces the
 * target, so an interrupted save never leaves a corrupt file where a good one was.
 */
public final class ImageWriter {

	/** Lower-case extensions {@link #write} accepts, including the dot. */
	public static final List<String> SUPPORTED_EXTENSIONS = List.of(".tif", ".tiff", ".nii",
			".nii.gz");

	private ImageWriter() {}

	/**
	 * Writes {@code img} to {@code path}.
	 *
	 * @throws IllegalArgumentException for an extension other than {@link #SUPPORTED_EXTENSIONS}
	 *                                  (checked before anything is written)
	 * @throws IOException              when writing fails; the target is then left unchanged
	 */
	public static void write(final CalibratedImage<?> img, final Path path) throws IOException {
		final String ext = ImageReader.extension(path);
		switch (ext) {
		case ".nii", ".nii.gz" -> NiftiWriter.write(img, path);
		case ".tif", ".tiff" -> writeTiff(img, path);
		default -> throw new IllegalArgumentException("Cannot write " + path + ": unsupported extension '"
				+ ext + "'; supported are " + String.join(", ", SUPPORTED_EXTENSIONS));
		}
	}

	private static void writeTiff(final CalibratedImage<?> img, final Path path) throws IOException {
		final ImagePlus imp = ImagePlusAdapter.toImagePlus(img);
		AtomicFiles.write(path, temp -> {
			// FileSaver reports failures through IJ.error (a log line when headless) and false
			if (!new FileSaver(imp).saveAsTiff(temp.toString()))
				throw new IOException("ImageJ could not write TIFF " + path);
		});
	}
}
