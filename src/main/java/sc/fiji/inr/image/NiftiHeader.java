package sc.fiji.inr.image;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The fields of a NIfTI-1 header that matter for geometry and data layout.
 * <p>
 * {@link CalibratedImage} only knows per-axis spacing and origin, which loses any rotation or
 * flip of the voxel grid; this record keeps the full qform/sform so that registration and
 * resampling code can still place voxels in scanner/template space (see {@link #affine()}).
 * Values are exactly as stored in the file, i.e. in the units of {@link #xyztUnits()}.
 *
 * @param byteOrder   byte order the file was written in
 * @param dim         dim[0] = number of dimensions, dim[1..7] = sizes (length 8)
 * @param pixdim      pixdim[0] = qfac, pixdim[1..7] = grid spacings (length 8)
 * @param datatype    NIFTI_TYPE_* code, see {@link #datatypeName(int)}
 * @param bitpix      bits per voxel
 * @param voxOffset   byte offset of the voxel data in the file
 * @param sclSlope    data scaling slope (0 = no scaling)
 * @param sclInter    data scaling offset
 * @param xyztUnits   spatial units in bits 0-2, temporal units in bits 3-5
 * @param intentCode  NIFTI_INTENT_* code
 * @param intentName  intent name, trailing NULs removed
 * @param description free-text description (descrip), trailing NULs removed
 * @param toffset     time coordinate of the first volume
 * @param qformCode   NIFTI_XFORM_* code of the quaternion transform, 0 = absent
 * @param sformCode   NIFTI_XFORM_* code of the affine rows, 0 = absent
 * @param quatern     quaternion parameters b, c, d (length 3)
 * @param qoffset     quaternion offsets x, y, z (length 3)
 * @param srow        rows x, y, z of the sform affine (3 x 4)
 */
public record NiftiHeader(ByteOrder byteOrder, int[] dim, double[] pixdim, int datatype, int bitpix,
		double voxOffset, double sclSlope, double sclInter, int xyztUnits, int intentCode,
		String intentName, String description, double toffset, int qformCode, int sformCode,
		double[] quatern, double[] qoffset, double[][] srow) {

	/** Size of a NIfTI-1 header in bytes; also the value of its first field. */
	public static final int SIZEOF_HDR = 348;
	/** Offset of the voxel data written by {@link NiftiWriter}: header plus 4 extension bytes. */
	public static final int VOX_OFFSET = 352;

	public static final int DT_UINT8 = 2, DT_INT16 = 4, DT_INT32 = 8, DT_FLOAT32 = 16,
			DT_COMPLEX64 = 32, DT_FLOAT64 = 64, DT_RGB24 = 128, DT_INT8 = 256, DT_UINT16 = 512,
			DT_UINT32 = 768, DT_INT64 = 1024, DT_UINT64 = 1280, DT_FLOAT128 = 1536,
			DT_COMPLEX128 = 1792, DT_COMPLEX256 = 2048, DT_RGBA32 = 2304, DT_BINARY = 1;

	public static final int UNITS_UNKNOWN = 0, UNITS_METER = 1, UNITS_MM = 2, UNITS_MICRON = 3,
			UNITS_SEC = 8, UNITS_MSEC = 16, UNITS_USEC = 24, UNITS_HZ = 32, UNITS_PPM = 40,
			UNITS_RADS = 48;

	public static final int XFORM_UNKNOWN = 0, XFORM_SCANNER_ANAT = 1;
	public static final int INTENT_NONE = 0, INTENT_VECTOR = 1007;

	public NiftiHeader {
		if (dim.length != 8 || pixdim.length != 8 || quatern.length != 3 || qoffset.length != 3
				|| srow.length != 3)
			throw new IllegalArgumentException("NIfTI header arrays have wrong lengths");
		dim = dim.clone();
		pixdim = pixdim.clone();
		quatern = quatern.clone();
		qoffset = qoffset.clone();
		srow = deepCopy(srow, 4);
		intentName = intentName == null ? "" : intentName;
		description = description == null ? "" : description;
	}

	@Override
	public int[] dim() {
		return dim.clone();
	}

	@Override
	public double[] pixdim() {
		return pixdim.clone();
	}

	@Override
	public double[] quatern() {
		return quatern.clone();
	}

	@Override
	public double[] qoffset() {
		return qoffset.clone();
	}

	@Override
	public double[][] srow() {
		return deepCopy(srow, 4);
	}

	/** Number of dimensions, dim[0]. */
	public int rank() {
		return dim[0];
	}

	/** Size along dimension {@code i} (1-based as in the file); 1 beyond {@link #rank()}. */
	public int size(final int i) {
		return i <= dim[0] ? dim[i] : 1;
	}

	/** True when {@link #sclSlope()}/{@link #sclInter()} change values (slope 0 means "none"). */
	public boolean hasScaling() {
		return sclSlope != 0 && Double.isFinite(sclSlope) && Double.isFinite(sclInter)
				&& (sclSlope != 1 || sclInter != 0);
	}

	/** Spatial unit code, bits 0-2 of xyzt_units. */
	public int spatialUnits() {
		return xyztUnits & 0x07;
	}

	/** Temporal unit code, bits 3-5 of xyzt_units. */
	public int temporalUnits() {
		return xyztUnits & 0x38;
	}

	/**
	 * Factor from the file's spatial unit to millimetres. Unknown units count as millimetres,
	 * as ITK, FSL and nibabel assume: almost every file that leaves the field blank is in mm.
	 */
	public double spatialScaleToMm() {
		return switch (spatialUnits()) {
		case UNITS_METER -> 1000;
		case UNITS_MICRON -> 1e-3;
		default -> 1;
		};
	}

	/** Factor from the file's temporal unit to {@link #temporalUnitName()}. */
	public double temporalScale() {
		return switch (temporalUnits()) {
		case UNITS_MSEC -> 1e-3;
		case UNITS_USEC -> 1e-6;
		default -> 1;
		};
	}

	/**
	 * Unit of the fourth axis after {@link #temporalScale()}: "s" for times (and when unknown),
	 * else the frequency-like unit NIfTI allows there.
	 */
	public String temporalUnitName() {
		return switch (temporalUnits()) {
		case UNITS_HZ -> "Hz";
		case UNITS_PPM -> "ppm";
		case UNITS_RADS -> "rad/s";
		default -> "s";
		};
	}

	/** 4x4 affine of the sform rows (last row 0 0 0 1), whether or not sform_code is set. */
	public double[][] sformAffine() {
		final double[][] a = new double[4][];
		for (int r = 0; r < 3; r++)
			a[r] = srow[r].clone();
		a[3] = new double[] { 0, 0, 0, 1 };
		return a;
	}

	/**
	 * 4x4 affine of the quaternion transform (NIfTI-1 method 2), whether or not qform_code is
	 * set: rotation from quatern_b/c/d, scaled by pixdim[1..3] with pixdim[0] (qfac) flipping z.
	 */
	public double[][] qformAffine() {
		double b = quatern[0], c = quatern[1], d = quatern[2];
		double a2 = 1 - (b * b + c * c + d * d);
		double a;
		if (a2 < 1e-7) {
			// nifti1_io: a 180-degree rotation; renormalise b, c, d
			final double norm = Math.sqrt(b * b + c * c + d * d);
			a = 0;
			if (norm > 0) {
				b /= norm;
				c /= norm;
				d /= norm;
			}
		}
		else {
			a = Math.sqrt(a2);
		}
		final double[][] r = {
			{ a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c) },
			{ 2 * (b * c + a * d), a * a + c * c - b * b - d * d, 2 * (c * d - a * b) },
			{ 2 * (b * d - a * c), 2 * (c * d + a * b), a * a + d * d - c * c - b * b } };
		final double qfac = pixdim[0] < 0 ? -1 : 1;
		final double[] scale = { pixdim[1], pixdim[2], qfac * pixdim[3] };
		final double[][] m = new double[4][4];
		for (int i = 0; i < 3; i++) {
			for (int j = 0; j < 3; j++)
				m[i][j] = r[i][j] * scale[j];
			m[i][3] = qoffset[i];
		}
		m[3][3] = 1;
		return m;
	}

	/**
	 * The voxel-to-world affine readers should use: the sform when sform_code &gt; 0 (the
	 * alignment to a template, which is what most tools show), else the qform when
	 * qform_code &gt; 0, else the bare voxel scaling of NIfTI method 1.
	 */
	public double[][] affine() {
		if (sformCode > 0) return sformAffine();
		if (qformCode > 0) return qformAffine();
		final double[][] m = new double[4][4];
		for (int i = 0; i < 3; i++)
			m[i][i] = pixdim[i + 1];
		m[3][3] = 1;
		return m;
	}

	/** Human-readable name of a NIfTI datatype code, for error messages. */
	public static String datatypeName(final int code) {
		return switch (code) {
		case DT_BINARY -> "binary (1 bit)";
		case DT_UINT8 -> "uint8";
		case DT_INT16 -> "int16";
		case DT_INT32 -> "int32";
		case DT_FLOAT32 -> "float32";
		case DT_COMPLEX64 -> "complex64";
		case DT_FLOAT64 -> "float64";
		case DT_RGB24 -> "rgb24";
		case DT_INT8 -> "int8";
		case DT_UINT16 -> "uint16";
		case DT_UINT32 -> "uint32";
		case DT_INT64 -> "int64";
		case DT_UINT64 -> "uint64";
		case DT_FLOAT128 -> "float128";
		case DT_COMPLEX128 -> "complex128";
		case DT_COMPLEX256 -> "complex256";
		case DT_RGBA32 -> "rgba32";
		default -> "unknown datatype code " + code;
		};
	}

	/**
	 * Decodes the 348 header bytes; checks only what is needed to interpret them (size, magic,
	 * dimensions), so that {@link NiftiReader#readHeader} works on files whose data we cannot read.
	 *
	 * @throws IllegalArgumentException naming {@code source} when the bytes are not a NIfTI-1 header
	 */
	static NiftiHeader parse(final byte[] bytes, final String source) {
		if (bytes.length < SIZEOF_HDR)
			throw new IllegalArgumentException(source + ": header has " + bytes.length + " of "
					+ SIZEOF_HDR + " bytes");
		final ByteBuffer bb = ByteBuffer.wrap(bytes, 0, SIZEOF_HDR);
		final int le = bb.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
		final int be = bb.order(ByteOrder.BIG_ENDIAN).getInt(0);
		final ByteOrder order;
		if (le == SIZEOF_HDR) order = ByteOrder.LITTLE_ENDIAN;
		else if (be == SIZEOF_HDR) order = ByteOrder.BIG_ENDIAN;
		else if (le == 540 || be == 540)
			throw new IllegalArgumentException(source + " is a NIfTI-2 file; only NIfTI-1 is supported");
		else throw new IllegalArgumentException(source + " is not a NIfTI-1 file (sizeof_hdr is "
				+ le + ", expected " + SIZEOF_HDR + ")");
		bb.order(order);

		final String magic = string(bytes, 344, 4);
		if (magic.equals("ni1"))
			throw new IllegalArgumentException(source + " is the header of a NIfTI .hdr/.img pair;"
					+ " only single-file NIfTI (.nii, .nii.gz) is supported");
		if (!magic.equals("n+1"))
			throw new IllegalArgumentException(source + " is not a NIfTI-1 file (magic is '"
					+ printable(magic) + "', expected 'n+1'; plain Analyze 7.5 is not supported)");

		final int[] dim = new int[8];
		for (int i = 0; i < 8; i++)
			dim[i] = bb.getShort(40 + 2 * i);
		if (dim[0] < 1 || dim[0] > 7)
			throw new IllegalArgumentException(source + ": number of dimensions dim[0] = " + dim[0]
					+ " is out of range 1..7");
		for (int i = 1; i <= dim[0]; i++)
			if (dim[i] < 1)
				throw new IllegalArgumentException(source + ": size of dimension " + i + " is "
						+ dim[i] + "; sizes must be at least 1");
		final double[] pixdim = new double[8];
		for (int i = 0; i < 8; i++)
			pixdim[i] = bb.getFloat(76 + 4 * i);
		final double[][] srow = new double[3][4];
		for (int r = 0; r < 3; r++)
			for (int c = 0; c < 4; c++)
				srow[r][c] = bb.getFloat(280 + 16 * r + 4 * c);
		return new NiftiHeader(order, dim, pixdim, bb.getShort(70), bb.getShort(72), bb.getFloat(108),
				bb.getFloat(112), bb.getFloat(116), bytes[123] & 0xff, bb.getShort(68),
				string(bytes, 328, 16), string(bytes, 148, 80), bb.getFloat(136), bb.getShort(252),
				bb.getShort(254), new double[] { bb.getFloat(256), bb.getFloat(260), bb.getFloat(264) },
				new double[] { bb.getFloat(268), bb.getFloat(272), bb.getFloat(276) }, srow);
	}

	/** Encodes this header as the 348 bytes of a single-file ("n+1") NIfTI-1 header. */
	byte[] toBytes() {
		final ByteBuffer bb = ByteBuffer.allocate(SIZEOF_HDR).order(byteOrder);
		bb.putInt(0, SIZEOF_HDR);
		bb.put(38, (byte) 'r'); // "regular", kept for Analyze readers
		for (int i = 0; i < 8; i++)
			bb.putShort(40 + 2 * i, (short) dim[i]);
		bb.putShort(68, (short) intentCode);
		bb.putShort(70, (short) datatype);
		bb.putShort(72, (short) bitpix);
		for (int i = 0; i < 8; i++)
			bb.putFloat(76 + 4 * i, (float) pixdim[i]);
		bb.putFloat(108, (float) voxOffset);
		bb.putFloat(112, (float) sclSlope);
		bb.putFloat(116, (float) sclInter);
		bb.put(123, (byte) xyztUnits);
		bb.putFloat(136, (float) toffset);
		putString(bb, 148, 80, description);
		bb.putShort(252, (short) qformCode);
		bb.putShort(254, (short) sformCode);
		for (int i = 0; i < 3; i++) {
			bb.putFloat(256 + 4 * i, (float) quatern[i]);
			bb.putFloat(268 + 4 * i, (float) qoffset[i]);
		}
		for (int r = 0; r < 3; r++)
			for (int c = 0; c < 4; c++)
				bb.putFloat(280 + 16 * r + 4 * c, (float) srow[r][c]);
		putString(bb, 328, 16, intentName);
		putString(bb, 344, 4, "n+1");
		return bb.array();
	}

	private static String string(final byte[] bytes, final int offset, final int length) {
		int end = offset;
		while (end < offset + length && bytes[end] != 0)
			end++;
		return new String(bytes, offset, end - offset, StandardCharsets.ISO_8859_1);
	}

	private static void putString(final ByteBuffer bb, final int offset, final int length,
			final String s) {
		final byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
		for (int i = 0; i < Math.min(b.length, length - 1); i++)
			bb.put(offset + i, b[i]);
	}

	private static String printable(final String s) {
		final StringBuilder sb = new StringBuilder();
		for (final char c : s.toCharArray())
			sb.append(c >= 32 && c < 127 ? String.valueOf(c) : String.format("\\x%02x", (int) c));
		return sb.toString();
	}

	private static double[][] deepCopy(final double[][] a, final int columns) {
		final double[][] copy = new double[a.length][];
		for (int i = 0; i < a.length; i++) {
			if (a[i].length != columns)
				throw new IllegalArgumentException("NIfTI srow rows must have " + columns + " entries");
			copy[i] = a[i].clone();
		}
		return copy;
	}

	@Override
	public boolean equals(final Object o) {
		if (!(o instanceof NiftiHeader h)) return false;
		return byteOrder.equals(h.byteOrder) && Arrays.equals(dim, h.dim)
				&& Arrays.equals(pixdim, h.pixdim) && datatype == h.datatype && bitpix == h.bitpix
				&& voxOffset == h.voxOffset && Double.compare(sclSlope, h.sclSlope) == 0
				&& Double.compare(sclInter, h.sclInter) == 0 && xyztUnits == h.xyztUnits
				&& intentCode == h.intentCode && intentName.equals(h.intentName)
				&& description.equals(h.description) && toffset == h.toffset
				&& qformCode == h.qformCode && sformCode == h.sformCode
				&& Arrays.equals(quatern, h.quatern) && Arrays.equals(qoffset, h.qoffset)
				&& Arrays.deepEquals(srow, h.srow);
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(dim) * 31 + datatype;
	}

	@Override
	public String toString() {
		return "NiftiHeader[" + byteOrder + ", dim=" + Arrays.toString(dim) + ", pixdim="
				+ Arrays.toString(pixdim) + ", datatype=" + datatypeName(datatype) + ", voxOffset="
				+ voxOffset + ", scl=" + sclSlope + "/" + sclInter + ", xyztUnits=" + xyztUnits
				+ ", qform=" + qformCode + ", sform=" + sformCode + "]";
	}
}
