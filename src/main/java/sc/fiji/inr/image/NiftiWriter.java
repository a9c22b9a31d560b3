package sc.fiji.inr.image;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

/**
 * Writes a {@link CalibratedImage} as single-file NIfTI-1, little-endian, gzip-compressed when
 * the name ends in {@code .nii.gz}.
 * <p>
 * The voxel grid is written axis-aligned: both qform (identity quaternion) and sform
 * (diag(spacing) + origin) carry the same transform, code 1 (scanner anatomical), so that tools
 * preferring either one place the image identically. The datatype follows
 * {@link CalibratedImage#pixelType()} (values rounded and clamped into it), so an image read from
 * an 8-bit file is written back as 8-bit rather than silently growing to float.
 */
public final class NiftiWriter {

	private static final List<Axis> FILE_ORDER = List.of(Axis.X, Axis.Y, Axis.Z, Axis.TIME,
			Axis.CHANNEL);
	private static final int MAX_DIM = Short.MAX_VALUE;

	private NiftiWriter() {}

	/**
	 * Writes {@code img} to {@code path} (.nii or .nii.gz) via a temporary file in the same
	 * directory, so an existing file is only replaced by a complete one.
	 *
	 * @throws IllegalArgumentException if the name does not end in .nii/.nii.gz or a dimension is
	 *                                  larger than NIfTI-1 allows (32767)
	 */
	public static void write(final CalibratedImage<?> img, final Path path) throws IOException {
		final String lower = path.getFileName().toString().toLowerCase(Locale.ROOT);
		final boolean gzip = lower.endsWith(".nii.gz");
		if (!gzip && !lower.endsWith(".nii"))
			throw new IllegalArgumentException("NIfTI file name must end in .nii or .nii.gz: " + path);
		final NiftiHeader header = header(img);
		AtomicFiles.write(path, temp -> {
			try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16);
					OutputStream out = gzip ? new GZIPOutputStream(raw, 1 << 16) : raw) {
				out.write(header.toBytes());
				out.write(new byte[NiftiHeader.VOX_OFFSET - NiftiHeader.SIZEOF_HDR]); // no extensions
				writeData(img, out);
			}
		});
	}

	/** The header {@link #write} would write for {@code img}. */
	static NiftiHeader header(final CalibratedImage<?> img) {
		final RandomAccessibleInterval<?> view = AxisViews.reorder(img.pixels(), img.axes(),
				FILE_ORDER, img.name());
		final int[] dim = new int[8];
		for (int i = 0; i < 5; i++) {
			final long size = view.dimension(i);
			if (size < 1 || size > MAX_DIM)
				throw new IllegalArgumentException("Image '" + img.name() + "' has " + size
						+ " pixels along " + FILE_ORDER.get(i) + "; NIfTI-1 allows 1.." + MAX_DIM);
			dim[i + 1] = (int) size;
		}
		int rank = 5;
		while (rank > 2 && dim[rank] == 1)
			rank--;
		dim[0] = rank;
		for (int i = rank + 1; i < 8; i++)
			dim[i] = 1;

		final double[] spacing = img.spacing(), origin = img.origin();
		final String[] units = img.units();
		// one spatial unit for all three axes: the first spatial axis's unit decides
		int firstSpatial = -1;
		for (final Axis a : List.of(Axis.X, Axis.Y, Axis.Z))
			if (firstSpatial < 0 && img.dimensionOf(a) >= 0) firstSpatial = img.dimensionOf(a);
		final SpaceUnit space = SpaceUnit.of(firstSpatial < 0 ? null : units[firstSpatial]);
		final double[] pixdim = new double[8];
		final double[] offset = new double[3];
		pixdim[0] = 1; // qfac
		for (int i = 0; i < 3; i++) {
			final int d = img.dimensionOf(FILE_ORDER.get(i));
			pixdim[i + 1] = d < 0 ? 1 : space.convert(spacing[d], units[d]);
			offset[i] = d < 0 ? 0 : space.convert(origin[d], units[d]);
		}
		final int t = img.dimensionOf(Axis.TIME);
		final TimeUnit time = TimeUnit.of(t < 0 ? null : units[t]);
		pixdim[4] = t < 0 ? 1 : spacing[t] * time.factor;
		final double toffset = t < 0 ? 0 : origin[t] * time.factor;
		for (int i = 5; i < 8; i++)
			pixdim[i] = 1;

		final double[][] srow = new double[3][4];
		for (int r = 0; r < 3; r++) {
			srow[r][r] = pixdim[r + 1];
			srow[r][3] = offset[r];
		}
		final int datatype, bitpix;
		switch (img.pixelType()) {
		case UINT8 -> { datatype = NiftiHeader.DT_UINT8; bitpix = 8; }
		case UINT16 -> { datatype = NiftiHeader.DT_UINT16; bitpix = 16; }
		case INT16 -> { datatype = NiftiHeader.DT_INT16; bitpix = 16; }
		default -> { datatype = NiftiHeader.DT_FLOAT32; bitpix = 32; }
		}
		return new NiftiHeader(ByteOrder.LITTLE_ENDIAN, dim, pixdim, datatype, bitpix,
				NiftiHeader.VOX_OFFSET, 1, 0, space.code | (t < 0 ? 0 : time.code),
				dim[5] > 1 ? NiftiHeader.INTENT_VECTOR : NiftiHeader.INTENT_NONE, "", "INR for Fiji",
				toffset, NiftiHeader.XFORM_SCANNER_ANAT, NiftiHeader.XFORM_SCANNER_ANAT,
				new double[3], offset, srow);
	}

	private static <T extends RealType<T>> void writeData(final CalibratedImage<T> img,
			final OutputStream out) throws IOException {
		final RandomAccessibleInterval<T> view = AxisViews.reorder(img.pixels(), img.axes(),
				FILE_ORDER, img.name());
		final PixelType type = img.pixelType();
		final ByteBuffer buffer = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
		final Cursor<T> cursor = Views.flatIterable(view).cursor();
		while (cursor.hasNext()) {
			if (buffer.remaining() < 4) flush(buffer, out);
			final double v = type.clamp(cursor.next().getRealDouble());
			switch (type) {
			case UINT8 -> buffer.put((byte) (int) v);
			case UINT16, INT16 -> buffer.putShort((short) (int) v);
			case FLOAT32 -> buffer.putFloat((float) v);
			}
		}
		flush(buffer, out);
	}

	private static void flush(final ByteBuffer buffer, final OutputStream out) throws IOException {
		out.write(buffer.array(), 0, buffer.position());
		buffer.clear();
	}

	/** NIfTI spatial unit chosen for a file, and conversion of values given in other units. */
	private enum SpaceUnit {
		UNKNOWN(NiftiHeader.UNITS_UNKNOWN, Double.NaN), METER(NiftiHeader.UNITS_METER, 1000),
		MM(NiftiHeader.UNITS_MM, 1), MICRON(NiftiHeader.UNITS_MICRON, 1e-3);

		final int code;
		final double mm;

		SpaceUnit(final int code, final double mm) {
			this.code = code;
			this.mm = mm;
		}

		static SpaceUnit of(final String unit) {
			final double mm = toMm(unit);
			if (Double.isNaN(mm)) return UNKNOWN;
			if (mm >= 1000) return METER;
			if (mm >= 1) return MM;
			return MICRON;
		}

		/** {@code value} in {@code unit}, expressed in this unit (unchanged when either is unknown). */
		double convert(final double value, final String unit) {
			final double from = toMm(unit);
			return Double.isNaN(from) || Double.isNaN(mm) ? value : value * from / mm;
		}

		/** Millimetres per {@code unit}, NaN for units that are not lengths (e.g. "pixel"). */
		static double toMm(final String unit) {
			if (unit == null) return Double.NaN;
			return switch (unit.trim().toLowerCase(Locale.ROOT)) {
			case "m", "meter", "metre", "meters", "metres" -> 1000;
			case "cm", "centimeter", "centimetre" -> 10;
			case "mm", "millimeter", "millimetre", "millimeters", "millimetres" -> 1;
			case "\u00b5m", "\u03bcm", "um", "micron", "microns", "micrometer", "micrometre",
					"micrometers", "micrometres" -> 1e-3;
			case "nm", "nanometer", "nanometre" -> 1e-6;
			default -> Double.NaN;
			};
		}
	}

	/** NIfTI temporal unit chosen for a time axis, with the factor to apply to values. */
	private record TimeUnit(int code, double factor) {
		static TimeUnit of(final String unit) {
			if (unit == null) return new TimeUnit(NiftiHeader.UNITS_UNKNOWN, 1);
			return switch (unit.trim().toLowerCase(Locale.ROOT)) {
			case "s", "sec", "second", "seconds" -> new TimeUnit(NiftiHeader.UNITS_SEC, 1);
			case "min", "minute", "minutes" -> new TimeUnit(NiftiHeader.UNITS_SEC, 60);
			case "h", "hr", "hour", "hours" -> new TimeUnit(NiftiHeader.UNITS_SEC, 3600);
			case "ms", "msec", "millisecond", "milliseconds" -> new TimeUnit(NiftiHeader.UNITS_MSEC, 1);
			case "\u00b5s", "\u03bcs", "us", "usec", "microsecond", "microseconds" ->
				new TimeUnit(NiftiHeader.UNITS_USEC, 1);
			case "hz" -> new TimeUnit(NiftiHeader.UNITS_HZ, 1);
			case "ppm" -> new TimeUnit(NiftiHeader.UNITS_PPM, 1);
			case "rad/s" -> new TimeUnit(NiftiHeader.UNITS_RADS, 1);
			default -> new TimeUnit(NiftiHeader.UNITS_UNKNOWN, 1);
			};
		}
	}
}
