package sc.fiji.inr.image;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import net.imglib2.Cursor;
import net.imglib2.img.basictypeaccess.array.ArrayDataAccess;
import net.imglib2.img.basictypeaccess.array.ByteArray;
import net.imglib2.img.basictypeaccess.array.DoubleArray;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.basictypeaccess.array.IntArray;
import net.imglib2.img.basictypeaccess.array.ShortArray;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.img.planar.PlanarImgs;
import net.imglib2.type.NativeType;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.integer.ByteType;
import net.imglib2.type.numeric.integer.IntType;
import net.imglib2.type.numeric.integer.ShortType;
import net.imglib2.type.numeric.integer.UnsignedByteType;
import net.imglib2.type.numeric.integer.UnsignedIntType;
import net.imglib2.type.numeric.integer.UnsignedShortType;
import net.imglib2.type.numeric.real.DoubleType;
import net.imglib2.type.numeric.real.FloatType;

/**
 * Reads single-file NIfTI-1 images ({@code .nii}, and gzip-compressed {@code .nii.gz}) of either
 * byte order.
 * <p>
 * We read NIfTI ourselves because no NIfTI library is on the class path and ImageJ 1.x cannot
 * open it. Only what the rest of the suite needs is supported: up to five dimensions
 * (x, y, z, t and a vector/channel dimension), scalar integer and float datatypes.
 * <p>
 * The resulting {@link CalibratedImage} has axes X, Y, then Z, TIME, CHANNEL where their size is
 * above 1; spacing in mm (space) and s (time); origin = translation of {@link NiftiHeader#affine()}.
 * Rotations and axis flips of the affine cannot be expressed by a CalibratedImage; callers that
 * need them read {@link #readHeader}. Pixel data are kept in the file's type (so int8 stays
 * {@code ByteType}, float64 stays {@code DoubleType}); {@link CalibratedImage#pixelType()} is the
 * closest type we can write back: int8 → INT16, int32/uint32/float64 → FLOAT32. Data with a
 * non-trivial scl_slope/scl_inter are converted to float values {@code slope * v + inter}.
 */
public final class NiftiReader {

	private NiftiReader() {}

	/** Reads only the header, e.g. to get the full affine or to inspect an unsupported file. */
	public static NiftiHeader readHeader(final Path path) throws IOException {
		try (InputStream in = open(path)) {
			return readHeader(in, path);
		}
		catch (final ZipException e) {
			throw new IOException(path + " is not a valid gzip file: " + e.getMessage(), e);
		}
	}

	/**
	 * Reads the whole image into memory.
	 *
	 * @throws IOException with the path in the message when the file is missing, not NIfTI-1,
	 *                     truncated, of an unsupported datatype or has unsupported dimensions
	 */
	public static CalibratedImage<?> read(final Path path) throws IOException {
		try (InputStream in = open(path)) {
			final NiftiHeader h = readHeader(in, path);
			final Layout layout = layout(h, path);
			if (h.voxOffset() < NiftiHeader.SIZEOF_HDR || h.voxOffset() != Math.rint(h.voxOffset()))
				throw new IOException(path + ": invalid vox_offset " + h.voxOffset()
						+ " (must be a whole number >= " + NiftiHeader.SIZEOF_HDR + ")");
			// for plain files, catch a truncated or lying header before allocating the image
			final long available = Files.size(path) - (long) h.voxOffset();
			if (!isGzip(path) && available < dataBytes(h, layout))
				throw truncated(path, h, layout, Math.max(0, available));
			try {
				in.skipNBytes((long) h.voxOffset() - NiftiHeader.SIZEOF_HDR);
			}
			catch (final EOFException e) {
				throw truncated(path, h, layout, 0);
			}
			final PlanarImg<?, ?> img = readData(in, h, layout, path);
			return calibrate(h, layout, scaled(img, h), path);
		}
		catch (final ZipException e) {
			throw new IOException(path + " is not a valid gzip file: " + e.getMessage(), e);
		}
	}

	/** Image name for {@code path}: the file name without .nii or .nii.gz. */
	static String baseName(final Path path) {
		final String n = path.getFileName().toString();
		final String lower = n.toLowerCase(java.util.Locale.ROOT);
		if (lower.endsWith(".nii.gz")) return n.substring(0, n.length() - 7);
		if (lower.endsWith(".nii")) return n.substring(0, n.length() - 4);
		final int dot = n.lastIndexOf('.');
		return dot > 0 ? n.substring(0, dot) : n;
	}

	// -- opening --

	/** Opens plain or gzip-compressed data, decided by the gzip magic bytes, not the extension. */
	private static InputStream open(final Path path) throws IOException {
		final InputStream raw;
		try {
			raw = Files.newInputStream(path);
		}
		catch (final NoSuchFileException e) {
			final FileNotFoundException notFound = new FileNotFoundException("NIfTI file not found: "
					+ path);
			notFound.initCause(e);
			throw notFound;
		}
		final BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
		try {
			buffered.mark(2);
			final int b0 = buffered.read(), b1 = buffered.read();
			buffered.reset();
			if (b0 == 0x1f && b1 == 0x8b)
				return new BufferedInputStream(new GZIPInputStream(buffered, 1 << 16), 1 << 16);
			return buffered;
		}
		catch (final IOException e) {
			buffered.close();
			throw new IOException(path + " is not a valid gzip file: " + e.getMessage(), e);
		}
	}

	private static boolean isGzip(final Path path) throws IOException {
		try (InputStream in = Files.newInputStream(path)) {
			return in.read() == 0x1f && in.read() == 0x8b;
		}
	}

	private static NiftiHeader readHeader(final InputStream in, final Path path) throws IOException {
		final byte[] bytes = new byte[NiftiHeader.SIZEOF_HDR];
		final int n = readFully(in, bytes, 0, bytes.length, path);
		if (n < bytes.length) {
			final int first = n >= 4 ? ByteBuffer.wrap(bytes).getInt(0) : 0;
			// a short file that starts like a NIfTI header was cut off; anything else is not NIfTI
			if (first == NiftiHeader.SIZEOF_HDR || Integer.reverseBytes(first) == NiftiHeader.SIZEOF_HDR)
				throw new IOException("Truncated NIfTI file " + path + ": header has only " + n
						+ " of " + NiftiHeader.SIZEOF_HDR + " bytes");
			throw new IOException(path + " is not a NIfTI-1 file (only " + n + " bytes long)");
		}
		try {
			return NiftiHeader.parse(bytes, path.toString());
		}
		catch (final IllegalArgumentException e) {
			throw new IOException(e.getMessage(), e);
		}
	}

	// -- layout --

	/** Which NIfTI dimensions become which axes, and how voxels are stored. */
	private record Layout(long[] dims, List<Axis> axes, List<Integer> niftiDims, int bytesPerVoxel) {}

	private static Layout layout(final NiftiHeader h, final Path path) throws IOException {
		for (int i = 6; i <= h.rank(); i++)
			if (h.size(i) > 1)
				throw new IOException(path + ": dimension " + i + " has size " + h.size(i)
						+ "; only 5 dimensions (x, y, z, t, vector) are supported");
		final int bytesPerVoxel = switch (h.datatype()) {
		case NiftiHeader.DT_UINT8, NiftiHeader.DT_INT8 -> 1;
		case NiftiHeader.DT_INT16, NiftiHeader.DT_UINT16 -> 2;
		case NiftiHeader.DT_INT32, NiftiHeader.DT_UINT32, NiftiHeader.DT_FLOAT32 -> 4;
		case NiftiHeader.DT_FLOAT64 -> 8;
		default -> throw new IOException(path + ": unsupported NIfTI datatype "
				+ NiftiHeader.datatypeName(h.datatype()) + " (code " + h.datatype()
				+ "); supported are uint8, int8, int16, uint16, int32, uint32, float32, float64");
		};
		final List<Long> dims = new ArrayList<>();
		final List<Axis> axes = new ArrayList<>();
		final List<Integer> niftiDims = new ArrayList<>();
		final Axis[] meaning = { null, Axis.X, Axis.Y, Axis.Z, Axis.TIME, Axis.CHANNEL };
		for (int i = 1; i <= 5; i++) {
			if (i <= 2 || h.size(i) > 1) {
				dims.add((long) h.size(i));
				axes.add(meaning[i]);
				niftiDims.add(i);
			}
		}
		if ((long) h.size(1) * h.size(2) * bytesPerVoxel > Integer.MAX_VALUE - 16
				|| (long) h.size(3) * h.size(4) * h.size(5) > Integer.MAX_VALUE)
			throw new IOException(path + ": image of " + h.size(1) + " x " + h.size(2) + " x "
					+ h.size(3) + " x " + h.size(4) + " x " + h.size(5) + " voxels is too large");
		return new Layout(dims.stream().mapToLong(Long::longValue).toArray(), axes, niftiDims,
				bytesPerVoxel);
	}

	// -- data --

	private static PlanarImg<?, ?> readData(final InputStream in, final NiftiHeader h,
			final Layout layout, final Path path) throws IOException {
		return switch (h.datatype()) {
		case NiftiHeader.DT_UINT8 -> NiftiReader.<UnsignedByteType, ByteArray> readPlanes(in, h, layout,
				path, ByteArray::new, UnsignedByteType::new);
		case NiftiHeader.DT_INT8 -> NiftiReader.<ByteType, ByteArray> readPlanes(in, h, layout, path,
				ByteArray::new, ByteType::new);
		case NiftiHeader.DT_INT16 -> NiftiReader.<ShortType, ShortArray> readPlanes(in, h, layout, path,
				ShortArray::new, ShortType::new);
		case NiftiHeader.DT_UINT16 -> NiftiReader.<UnsignedShortType, ShortArray> readPlanes(in, h,
				layout, path, ShortArray::new, UnsignedShortType::new);
		case NiftiHeader.DT_INT32 -> NiftiReader.<IntType, IntArray> readPlanes(in, h, layout, path,
				IntArray::new, IntType::new);
		case NiftiHeader.DT_UINT32 -> NiftiReader.<UnsignedIntType, IntArray> readPlanes(in, h, layout,
				path, IntArray::new, UnsignedIntType::new);
		case NiftiHeader.DT_FLOAT32 -> NiftiReader.<FloatType, FloatArray> readPlanes(in, h, layout,
				path, FloatArray::new, FloatType::new);
		case NiftiHeader.DT_FLOAT64 -> NiftiReader.<DoubleType, DoubleArray> readPlanes(in, h, layout,
				path, DoubleArray::new, DoubleType::new);
		default -> throw new IllegalStateException("unreachable: checked in layout()");
		};
	}

	/**
	 * Reads the voxel data plane by plane, in chunks of at most 1 MiB, allocating each plane only
	 * when its data arrive: a header that claims more data than a (compressed) file holds then
	 * fails as truncated instead of first allocating the whole claimed volume.
	 */
	private static <T extends NativeType<T>, A extends ArrayDataAccess<A>> PlanarImg<T, A> readPlanes(
			final InputStream in, final NiftiHeader h, final Layout layout, final Path path,
			final IntFunction<A> newPlane, final Function<PlanarImg<T, A>, T> linkedType)
			throws IOException {
		final int bytesPerVoxel = layout.bytesPerVoxel();
		final int planeVoxels = h.size(1) * h.size(2);
		final int numPlanes = h.size(3) * h.size(4) * h.size(5);
		final int chunkVoxels = Math.max(1, Math.min(planeVoxels, (1 << 20) / bytesPerVoxel));
		final byte[] buffer = new byte[chunkVoxels * bytesPerVoxel];
		final List<A> planes = new ArrayList<>(Math.min(numPlanes, 1 << 12));
		long done = 0;
		for (int p = 0; p < numPlanes; p++) {
			final A plane = newPlane.apply(planeVoxels);
			final Object storage = plane.getCurrentStorageArray();
			for (int offset = 0; offset < planeVoxels; offset += chunkVoxels) {
				final int count = Math.min(chunkVoxels, planeVoxels - offset);
				final int n = readFully(in, buffer, 0, count * bytesPerVoxel, path);
				if (n < count * bytesPerVoxel) throw truncated(path, h, layout, done + n);
				done += n;
				decode(ByteBuffer.wrap(buffer, 0, n).order(h.byteOrder()), storage, offset, count);
			}
			planes.add(plane);
		}
		return Planar.wrap(planes, layout.dims(), linkedType);
	}

	private static void decode(final ByteBuffer bb, final Object storage, final int offset,
			final int count) {
		if (storage instanceof byte[] a) bb.get(a, offset, count);
		else if (storage instanceof short[] a) bb.asShortBuffer().get(a, offset, count);
		else if (storage instanceof int[] a) bb.asIntBuffer().get(a, offset, count);
		else if (storage instanceof float[] a) bb.asFloatBuffer().get(a, offset, count);
		else if (storage instanceof double[] a) bb.asDoubleBuffer().get(a, offset, count);
		else throw new IllegalStateException("unexpected storage " + storage.getClass());
	}

	/** Size of the voxel data in bytes (dimensions beyond 5 are known to be 1). */
	private static long dataBytes(final NiftiHeader h, final Layout layout) {
		long voxels = 1;
		for (int i = 1; i <= 5; i++)
			voxels *= h.size(i);
		return voxels * layout.bytesPerVoxel();
	}

	private static IOException truncated(final Path path, final NiftiHeader h, final Layout layout,
			final long found) {
		return new IOException("Truncated NIfTI file " + path + ": expected " + dataBytes(h, layout)
				+ " bytes of voxel data at offset " + (long) h.voxOffset() + ", found only " + found);
	}

	/** scl_slope/scl_inter turn stored integers into physical values, which need floats. */
	private static PlanarImg<?, ?> scaled(final PlanarImg<?, ?> img, final NiftiHeader h) {
		if (!h.hasScaling()) return img;
		return scaledCopy(img, h.sclSlope(), h.sclInter());
	}

	private static <T extends NativeType<T> & RealType<T>> PlanarImg<FloatType, ?> scaledCopy(final PlanarImg<?, ?> img,
			final double slope, final double inter) {
		@SuppressWarnings("unchecked")
		final PlanarImg<T, ?> in = (PlanarImg<T, ?>) img;
		final PlanarImg<FloatType, ?> out = PlanarImgs.floats(img.dimensionsAsLongArray());
		final Cursor<T> src = in.cursor();
		final Cursor<FloatType> dst = out.cursor();
		while (src.hasNext())
			dst.next().setReal(slope * src.next().getRealDouble() + inter);
		return out;
	}

	// -- calibration --

	@SuppressWarnings({ "rawtypes", "unchecked" })
	private static CalibratedImage<?> calibrate(final NiftiHeader h, final Layout layout,
			final PlanarImg<?, ?> img, final Path path) {
		final int n = layout.axes().size();
		final double[] spacing = new double[n], origin = new double[n];
		final String[] units = new String[n];
		final double[][] affine = h.affine();
		final double mm = h.spatialScaleToMm(), ts = h.temporalScale();
		final double[] pixdim = h.pixdim();
		for (int d = 0; d < n; d++) {
			final int i = layout.niftiDims().get(d);
			switch (layout.axes().get(d)) {
			case X, Y, Z -> {
				spacing[d] = positiveOr1(Math.abs(pixdim[i]) * mm);
				origin[d] = finiteOr0(affine[i - 1][3] * mm);
				units[d] = "mm";
			}
			case TIME -> {
				spacing[d] = positiveOr1(Math.abs(pixdim[i]) * ts);
				origin[d] = finiteOr0(h.toffset() * ts);
				units[d] = h.temporalUnitName();
			}
			case CHANNEL -> {
				spacing[d] = 1;
				units[d] = "channel";
			}
			}
		}
		final PixelType type = h.hasScaling() ? PixelType.FLOAT32 : switch (h.datatype()) {
		case NiftiHeader.DT_UINT8 -> PixelType.UINT8;
		case NiftiHeader.DT_INT8, NiftiHeader.DT_INT16 -> PixelType.INT16;
		case NiftiHeader.DT_UINT16 -> PixelType.UINT16;
		default -> PixelType.FLOAT32;
		};
		return new CalibratedImage(baseName(path), img, layout.axes(), spacing, origin, units, type);
	}

	private static double positiveOr1(final double v) {
		return v > 0 && Double.isFinite(v) ? v : 1;
	}

	private static double finiteOr0(final double v) {
		return Double.isFinite(v) ? v + 0.0 : 0; // + 0.0 turns -0.0 into 0.0
	}

	// -- stream helpers --

	/** Like {@link InputStream#readNBytes(byte[], int, int)}, but reports EOF-in-gzip as truncation. */
	private static int readFully(final InputStream in, final byte[] b, final int off, final int len,
			final Path path) throws IOException {
		try {
			return in.readNBytes(b, off, len);
		}
		catch (final EOFException e) {
			throw new IOException("Truncated NIfTI file " + path + ": compressed data end early ("
					+ e.getMessage() + ")", e);
		}
	}
}
