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
 * By default the voxel grid is written axis-aligned: both qform (identity quaternion) and sform
 * (diag(spacing) + origin) carry the same transform, code 1 (scanner anatomical), so that tools
 * preferring either one place the image identically. A {@link CalibratedImage} cannot hold a
 * rotation or flip of the grid, so code that knows one (e.g. from the header of the NIfTI file
 * the image was computed from) passes the full affine to {@link #write(CalibratedImage, Path, double[][])}. The datatype follows
 * {@link CalibratedImage#pixelType()} (values rounded and clamped into it), so an image read from
 * an 8-bit file is written back as 8-bit rather than silently growing to float.
 */
public final class NiftiWriter {

	private static final List<Axis> FILE_ORDER = List.of(Axis.X, Axis.Y, Axis.Z, Axis.TIME,
			Axis.CHANNEL);
	private static final int MAX_DIM = Short.MAX_VALUE;
	/** Tolerance for "the sform's 3 × 3 part is a rotation times the voxel sizes" (headers are float32). */
	private static final double ROTATION_TOLERANCE = 1e-4;

	private NiftiWriter() {}

	/**
	 * Writes {@code img} to {@code path} (.nii or .nii.gz) via a temporary file in the same
	 * directory, so an existing file is only replaced by a complete one.
	 *
	 * @throws IllegalArgumentException if the name does not end in .nii/.nii.gz or a dimension is
	 *                                  larger than NIfTI-1 allows (32767)
	 */
	public static void write(final CalibratedImage<?> img, final Path path) throws IOException {
		checkName(path);
		write(img, path, header(img));
	}

	/**
	 * Writes {@code img} like {@link #write(CalibratedImage, Path)}, but with {@code sform} as the
	 * voxel-to-world transform instead of the axis-aligned one the calibration gives: for images
	 * whose grid is rotated or flipped in the world, which the calibration cannot express.
	 * <p>
	 * The sform is written with sform_code 1 and pixdim[1..3] set to the lengths of its columns
	 * (the voxel sizes it implies). When its 3 × 3 part is a rotation times those voxel sizes,
	 * possibly with the last axis flipped, the qform is set to the same transform (quaternion and
	 * qfac, NIfTI-1 method 2) with qform_code 1, so tools that prefer the qform agree; otherwise
	 * (a shear, which no quaternion can hold) qform_code is 0 and only the sform places the image.
	 *
	 * @param sform 4 × 4 affine (last row 0 0 0 1) from voxel indices (i, j, k; file order x, y, z)
	 *              to world coordinates in millimetres, converted to the file's spatial unit if the
	 *              image is calibrated in another length unit (kept as given when its unit is not a
	 *              length, e.g. "pixel")
	 * @throws IllegalArgumentException for a bad name or dimension as the other overload, and for
	 *                                  an sform that is not 4 × 4, not finite, has a last row other
	 *                                  than 0 0 0 1 or a singular 3 × 3 part
	 */
	public static void write(final CalibratedImage<?> img, final Path path, final double[][] sform) throws IOException {
		checkName(path);
		write(img, path, header(img, sform));
	}

	private static void checkName(final Path path) {
		final String lower = path.getFileName().toString().toLowerCase(Locale.ROOT);
		if (!lower.endsWith(".nii.gz") && !lower.endsWith(".nii"))
			throw new IllegalArgumentException("NIfTI file name must end in .nii or .nii.gz: " + path);
	}

	private static void write(final CalibratedImage<?> img, final Path path, final NiftiHeader header) throws IOException {
		final boolean gzip = path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".nii.gz");
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
		final SpaceUnit space = spaceUnit(img);
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

	/** One spatial unit for all three axes: the first spatial axis's unit decides. */
	private static SpaceUnit spaceUnit(final CalibratedImage<?> img) {
		int firstSpatial = -1;
		for (final Axis a : List.of(Axis.X, Axis.Y, Axis.Z))
			if (firstSpatial < 0 && img.dimensionOf(a) >= 0) firstSpatial = img.dimensionOf(a);
		return SpaceUnit.of(firstSpatial < 0 ? null : img.units()[firstSpatial]);
	}

	/** The header {@link #write(CalibratedImage, Path, double[][])} would write. */
	static NiftiHeader header(final CalibratedImage<?> img, final double[][] sform) {
		if (sform == null || sform.length != 4)
			throw new IllegalArgumentException("The sform must be a 4 × 4 matrix, got " + (sform == null ? "null" : sform.length + " rows"));
		for (final double[] row : sform) {
			if (row == null || row.length != 4) throw new IllegalArgumentException("The sform must be a 4 × 4 matrix");
			for (final double v : row)
				if (!Double.isFinite(v)) throw new IllegalArgumentException("The sform contains " + v);
		}
		if (sform[3][0] != 0 || sform[3][1] != 0 || sform[3][2] != 0 || sform[3][3] != 1)
			throw new IllegalArgumentException("The sform's last row must be 0 0 0 1, was " + java.util.Arrays.toString(sform[3]));
		final NiftiHeader base = header(img);
		final SpaceUnit space = spaceUnit(img);
		final double[][] srow = new double[3][4];
		for (int r = 0; r < 3; r++)
			for (int c = 0; c < 4; c++)
				srow[r][c] = space.convert(sform[r][c], "mm");
		final double[] pixdim = base.pixdim();
		final double[][] rot = new double[3][3];
		for (int c = 0; c < 3; c++) {
			final double length = Math.sqrt(srow[0][c] * srow[0][c] + srow[1][c] * srow[1][c] + srow[2][c] * srow[2][c]);
			if (!(length > 0)) throw new IllegalArgumentException("The sform is singular: column " + c + " is zero");
			pixdim[c + 1] = length;
			for (int r = 0; r < 3; r++)
				rot[r][c] = srow[r][c] / length;
		}
		final double det = rot[0][0] * (rot[1][1] * rot[2][2] - rot[1][2] * rot[2][1])
				- rot[0][1] * (rot[1][0] * rot[2][2] - rot[1][2] * rot[2][0])
				+ rot[0][2] * (rot[1][0] * rot[2][1] - rot[1][1] * rot[2][0]);
		if (Math.abs(det) < 1e-9) throw new IllegalArgumentException("The sform is singular (its voxel axes are parallel)");
		// a left-handed grid: qfac = -1 flips the third axis, the rest must be a proper rotation
		final double qfac = det < 0 ? -1 : 1;
		for (int r = 0; r < 3; r++)
			rot[r][2] *= qfac;
		boolean orthonormal = true;
		for (int i = 0; i < 3; i++)
			for (int j = 0; j < 3; j++) {
				double dot = 0;
				for (int r = 0; r < 3; r++)
					dot += rot[r][i] * rot[r][j];
				orthonormal &= Math.abs(dot - (i == j ? 1 : 0)) < ROTATION_TOLERANCE;
			}
		final double[] quatern = orthonormal ? quaternion(rot) : new double[3];
		pixdim[0] = orthonormal ? qfac : 1;
		final double[] qoffset = { srow[0][3], srow[1][3], srow[2][3] };
		return new NiftiHeader(base.byteOrder(), base.dim(), pixdim, base.datatype(), base.bitpix(), base.voxOffset(),
				base.sclSlope(), base.sclInter(), base.xyztUnits(), base.intentCode(), base.intentName(), base.description(),
				base.toffset(), orthonormal ? NiftiHeader.XFORM_SCANNER_ANAT : NiftiHeader.XFORM_UNKNOWN,
				NiftiHeader.XFORM_SCANNER_ANAT, quatern, qoffset, srow);
	}

	/**
	 * Quaternion (b, c, d; a ≥ 0 implied) of a proper rotation matrix, as nifti1_io's
	 * nifti_mat44_to_quatern computes it: from the largest of the four squared components, so
	 * that no division is by a small number.
	 */
	static double[] quaternion(final double[][] r) {
		double a = r[0][0] + r[1][1] + r[2][2] + 1, b, c, d;
		if (a > 0.5) {
			a = 0.5 * Math.sqrt(a);
			b = 0.25 * (r[2][1] - r[1][2]) / a;
			c = 0.25 * (r[0][2] - r[2][0]) / a;
			d = 0.25 * (r[1][0] - r[0][1]) / a;
		}
		else {
			final double xd = 1 + r[0][0] - (r[1][1] + r[2][2]);
			final double yd = 1 + r[1][1] - (r[0][0] + r[2][2]);
			final double zd = 1 + r[2][2] - (r[0][0] + r[1][1]);
			if (xd > 1) {
				b = 0.5 * Math.sqrt(xd);
				c = 0.25 * (r[0][1] + r[1][0]) / b;
				d = 0.25 * (r[0][2] + r[2][0]) / b;
				a = 0.25 * (r[2][1] - r[1][2]) / b;
			}
			else if (yd > 1) {
				c = 0.5 * Math.sqrt(yd);
				b = 0.25 * (r[0][1] + r[1][0]) / c;
				d = 0.25 * (r[1][2] + r[2][1]) / c;
				a = 0.25 * (r[0][2] - r[2][0]) / c;
			}
			else {
				d = 0.5 * Math.sqrt(zd);
				b = 0.25 * (r[0][2] + r[2][0]) / d;
				c = 0.25 * (r[1][2] + r[2][1]) / d;
				a = 0.25 * (r[1][0] - r[0][1]) / d;
			}
			if (a < 0) {
				b = -b;
				c = -c;
				d = -d;
			}
		}
		return new double[] { b, c, d };
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
