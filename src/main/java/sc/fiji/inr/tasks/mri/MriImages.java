package sc.fiji.inr.tasks.mri;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

import net.imglib2.type.numeric.RealType;
import sc.fiji.inr.image.Axis;
import sc.fiji.inr.image.CalibratedImage;

/**
 * Between calibrated images (what the Fiji commands and the CLI read and write) and this
 * package's arrays, and how a k-space image carries the pixel size of the image behind it.
 * <p>
 * A k-space of a W×H image of pixel size p (unit U) is calibrated in spatial frequency,
 * {@code 1/(W·p)} cycles/U per element along x (likewise y), with the DC term at 0; an image
 * without a physical calibration gives {@link KSpace#toImage}'s cycles per field of view.
 * {@link #calibration(CalibratedImage)} reads the pixel size back.
 */
public final class MriImages {

	/** Unit prefix of a physically calibrated k-space axis: "cycles/mm". */
	static final String CYCLES = "cycles/";

	private MriImages() {}

	/** The pixels of a real, single-channel 2D image, x fastest. */
	public static float[] realImage(final CalibratedImage<?> image) {
		Planes.check2d(image, "An MRI image", 1);
		return Planes.plane(image, 0);
	}

	public static int width(final CalibratedImage<?> image) {
		return Planes.width(image);
	}

	public static int height(final CalibratedImage<?> image) {
		return Planes.height(image);
	}

	/**
	 * The calibration of an image: its square pixel size and unit, or 1 pixel when it has no
	 * length unit.
	 */
	public static MriReconstruction.Calibration imageCalibration(final CalibratedImage<?> image) {
		final int x = image.dimensionOf(Axis.X), y = image.dimensionOf(Axis.Y);
		final String unit = image.units()[x];
		if (unit == null || unit.isBlank() || unit.equalsIgnoreCase("pixel") || unit.equalsIgnoreCase("pixels"))
			return MriReconstruction.Calibration.pixels();
		final double px = image.spacing()[x], py = image.spacing()[y];
		if (Math.abs(px - py) > 1e-6 * Math.max(px, py))
			throw new IllegalArgumentException("MRI needs square pixels, but '" + image.name() + "' has " + px + " × " + py);
		return new MriReconstruction.Calibration(px, unit);
	}

	/**
	 * The pixel size of the image behind a k-space image (or a mask, or one part of a k-space):
	 * {@code 1/(W·Δk)} in U for axes calibrated in cycles/U, else 1 pixel. Rounded to 6
	 * significant digits, since TIFF stores pixel sizes as fractions that come back a little off.
	 */
	public static MriReconstruction.Calibration calibration(final CalibratedImage<?> kspace) {
		final int x = kspace.dimensionOf(Axis.X), y = kspace.dimensionOf(Axis.Y);
		if (x < 0 || y < 0) return MriReconstruction.Calibration.pixels();
		final String unit = kspace.units()[x];
		if (unit == null || !unit.toLowerCase(Locale.ROOT).startsWith(CYCLES)) return MriReconstruction.Calibration.pixels();
		final String length = unit.substring(CYCLES.length());
		if (length.isBlank() || length.equalsIgnoreCase("FOV") || length.equalsIgnoreCase("pixel"))
			return MriReconstruction.Calibration.pixels();
		final double px = 1 / (kspace.pixels().dimension(x) * kspace.spacing()[x]);
		final double py = 1 / (kspace.pixels().dimension(y) * kspace.spacing()[y]);
		if (Math.abs(px - py) > 1e-5 * Math.max(px, py))
			throw new IllegalArgumentException("The k-space '" + kspace.name() + "' stands for pixels of " + round(px) + " × " + round(py)
					+ " " + length + "; MRI reconstruction needs square pixels");
		return new MriReconstruction.Calibration(round(px), length);
	}

	/** {@link KSpace#toImage}, calibrated in cycles/unit for a physically calibrated image. */
	public static CalibratedImage<?> kspaceImage(final KSpace kspace, final MriReconstruction.Calibration calibration,
			final String name) {
		return calibrated(kspace.toImage(name), kspace.width(), kspace.height(), calibration);
	}

	/** {@link SamplingMask#toImage}, calibrated as {@link #kspaceImage}. */
	public static CalibratedImage<?> maskImage(final SamplingMask mask, final MriReconstruction.Calibration calibration,
			final String name) {
		return calibrated(mask.toImage(name), mask.width(), mask.height(), calibration);
	}

	/** The elements of a k-space that hold data (nonzero real or imaginary part): a mask for data saved without one. */
	public static SamplingMask nonzero(final KSpace kspace) {
		final boolean[] s = new boolean[kspace.real().length];
		for (int i = 0; i < s.length; i++) s[i] = kspace.real()[i] != 0 || kspace.imaginary()[i] != 0;
		return new SamplingMask(kspace.width(), kspace.height(), s);
	}

	private static <T extends RealType<T>> CalibratedImage<T> calibrated(final CalibratedImage<T> image, final int w, final int h,
			final MriReconstruction.Calibration c) {
		if (c.unit().equalsIgnoreCase("pixel")) return image;
		final double[] spacing = image.spacing(), origin = image.origin();
		final String[] units = image.units();
		final double dx = 1 / (w * c.pixelSize()), dy = 1 / (h * c.pixelSize());
		spacing[0] = dx;
		spacing[1] = dy;
		origin[0] = -(w / 2) * dx;
		origin[1] = -(h / 2) * dy;
		units[0] = units[1] = CYCLES + c.unit();
		return new CalibratedImage<>(image.name(), image.pixels(), image.axes(), spacing, origin, units, image.pixelType());
	}

	private static double round(final double v) {
		return new BigDecimal(v).round(new MathContext(6)).doubleValue();
	}
}
