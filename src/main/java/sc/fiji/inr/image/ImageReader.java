package sc.fiji.inr.image;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import ij.ImagePlus;
import ij.io.Opener;
import ij.process.ImageConverter;
import ij.process.ImageProcessor;

/**
 * Opens an image file of any format the suite accepts as a {@link CalibratedImage}.
 * <p>
 * Formats ImageJ 1.x reads headlessly go through {@link Opener}; NIfTI, which ImageJ cannot
 * read, goes through {@link NiftiReader}. The format is chosen by extension rather than by
 * sniffing, so that a mislabelled file fails with a message about that file instead of being
 * decoded as something else.
 * <p>
 * Every failure is an {@link IOException} whose message names the file, so a plugin can show it
 * to the user as it is: {@link FileNotFoundException} for a missing file, plain IOException for
 * an unsupported extension or a file that cannot be decoded.
 */
public final class ImageReader {

	/** Lower-case extensions {@link #read} accepts, including the dot. */
	public static final List<String> SUPPORTED_EXTENSIONS = List.of(".tif", ".tiff", ".png", ".jpg",
			".jpeg", ".gif", ".bmp", ".dcm", ".nii", ".nii.gz");

	private ImageReader() {}

	/**
	 * Reads {@code path}; the image is named after the file without its extension.
	 * <p>
	 * Palette images (8-bit with a colour table, as GIF/PNG/BMP allow) are converted to RGB first,
	 * because their pixel values are palette indices, not intensities; RGB then becomes three UINT8
	 * channels (see {@link ImagePlusAdapter#wrap}). 8-bit images with a smooth pseudo-colour LUT
	 * stay single-channel, as ImageJ treats them as gray data displayed in colour.
	 */
	public static CalibratedImage<?> read(final Path path) throws IOException {
		if (!Files.exists(path)) throw new FileNotFoundException("Image file not found: " + path);
		if (Files.isDirectory(path))
			throw new IOException("Cannot read image " + path + ": it is a directory");
		final String ext = extension(path);
		if (!SUPPORTED_EXTENSIONS.contains(ext))
			throw new IOException("Unsupported image file extension '" + ext + "' of " + path
					+ "; supported are " + String.join(", ", SUPPORTED_EXTENSIONS));
		if (!Files.isReadable(path)) throw new IOException("Image file is not readable: " + path);
		if (ext.equals(".nii") || ext.equals(".nii.gz")) return NiftiReader.read(path);

		final ImagePlus imp;
		try {
			final Opener opener = new Opener();
			opener.setSilentMode(true);
			imp = opener.openImage(path.toAbsolutePath().toString());
		}
		catch (final RuntimeException e) {
			throw new IOException("Cannot read image " + path + ": " + e, e);
		}
		if (imp == null || imp.getStackSize() == 0 || imp.getWidth() == 0)
			throw new IOException("Cannot read image " + path
					+ ": ImageJ could not decode it (damaged file, or not really " + ext + "?)");
		if (isPalette(imp)) new ImageConverter(imp).convertToRGB();
		return renamed(ImagePlusAdapter.wrap(imp), baseName(path));
	}

	/**
	 * True for 8-bit images whose values are palette indices. ImageJ's readers leave such images
	 * typed GRAY8 with the palette as LUT, so the LUT decides: a colour LUT that is not a smooth
	 * pseudo-colour ramp (ImageJ's own test) is a palette.
	 */
	private static boolean isPalette(final ImagePlus imp) {
		if (imp.getType() == ImagePlus.COLOR_256) return true;
		if (imp.getBitDepth() != 8 || imp.isComposite()) return false;
		final ImageProcessor ip = imp.getProcessor();
		return ip.isColorLut() && !ip.isPseudoColorLut();
	}

	/** Lower-case extension including the dot (".nii.gz" counts as one), or "" if none. */
	static String extension(final Path path) {
		final String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
		if (name.endsWith(".nii.gz")) return ".nii.gz";
		final int dot = name.lastIndexOf('.');
		return dot > 0 ? name.substring(dot) : "";
	}

	/** File name without {@link #extension}. */
	static String baseName(final Path path) {
		final String name = path.getFileName().toString();
		return name.substring(0, name.length() - extension(path).length());
	}

	private static <T extends net.imglib2.type.numeric.RealType<T>> CalibratedImage<T> renamed(
			final CalibratedImage<T> img, final String name) {
		return new CalibratedImage<>(name, img.pixels(), img.axes(), img.spacing(), img.origin(),
				img.units(), img.pixelType());
	}
}
