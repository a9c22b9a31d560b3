package sc.fiji.inr.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Builds NIfTI-1 files byte by byte, independently of {@link NiftiHeader#toBytes()}, so that the
 * reader is tested against the format specification rather than against our own writer.
 */
final class NiftiTestFiles {

	ByteOrder order = ByteOrder.LITTLE_ENDIAN;
	int sizeofHdr = 348;
	short[] dim = { 3, 4, 3, 2, 1, 1, 1, 1 };
	float[] pixdim = { 1, 1, 1, 1, 1, 1, 1, 1 };
	short datatype = NiftiHeader.DT_UINT8;
	short bitpix = 8;
	float voxOffset = 352;
	float sclSlope = 0, sclInter = 0;
	byte xyztUnits = NiftiHeader.UNITS_MM | NiftiHeader.UNITS_SEC;
	short qformCode = 0, sformCode = 0;
	float[] quatern = new float[3], qoffset = new float[3];
	float[][] srow = new float[3][4];
	float toffset = 0;
	String magic = "n+1";

	long voxels() {
		long n = 1;
		for (int i = 1; i <= dim[0]; i++)
			n *= dim[i];
		return n;
	}

	byte[] header() {
		final ByteBuffer bb = ByteBuffer.allocate(348).order(order);
		bb.putInt(0, sizeofHdr);
		for (int i = 0; i < 8; i++)
			bb.putShort(40 + 2 * i, dim[i]);
		bb.putShort(70, datatype);
		bb.putShort(72, bitpix);
		for (int i = 0; i < 8; i++)
			bb.putFloat(76 + 4 * i, pixdim[i]);
		bb.putFloat(108, voxOffset);
		bb.putFloat(112, sclSlope);
		bb.putFloat(116, sclInter);
		bb.put(123, xyztUnits);
		bb.putFloat(136, toffset);
		bb.putShort(252, qformCode);
		bb.putShort(254, sformCode);
		for (int i = 0; i < 3; i++) {
			bb.putFloat(256 + 4 * i, quatern[i]);
			bb.putFloat(268 + 4 * i, qoffset[i]);
		}
		for (int r = 0; r < 3; r++)
			for (int c = 0; c < 4; c++)
				bb.putFloat(280 + 16 * r + 4 * c, srow[r][c]);
		final byte[] m = magic.getBytes(StandardCharsets.ISO_8859_1);
		for (int i = 0; i < Math.min(4, m.length); i++)
			bb.put(344 + i, m[i]);
		return bb.array();
	}

	/** Voxel values (in file order) encoded with {@link #datatype}. */
	byte[] data(final double... values) {
		final int bytes = Math.max(1, bitpix / 8);
		final ByteBuffer bb = ByteBuffer.allocate(values.length * bytes).order(order);
		for (final double v : values) {
			switch (datatype) {
			case NiftiHeader.DT_UINT8, NiftiHeader.DT_INT8 -> bb.put((byte) (long) v);
			case NiftiHeader.DT_INT16, NiftiHeader.DT_UINT16 -> bb.putShort((short) (long) v);
			case NiftiHeader.DT_INT32, NiftiHeader.DT_UINT32 -> bb.putInt((int) (long) v);
			case NiftiHeader.DT_FLOAT32 -> bb.putFloat((float) v);
			case NiftiHeader.DT_FLOAT64 -> bb.putDouble(v);
			default -> bb.put(new byte[bytes]);
			}
		}
		return bb.array();
	}

	/** Whole file: header, padding up to vox_offset, data. */
	byte[] file(final double... values) throws IOException {
		final ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.write(header());
		out.write(new byte[Math.max(0, (int) voxOffset - 348)]);
		out.write(data(values));
		return out.toByteArray();
	}

	Path write(final Path path, final double... values) throws IOException {
		final byte[] bytes = file(values);
		if (path.toString().endsWith(".gz")) {
			try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(path))) {
				out.write(bytes);
			}
		}
		else {
			Files.write(path, bytes);
		}
		return path;
	}

	/** 0, 1, 2, ... for every voxel, shifted by {@code offset}. */
	double[] ramp(final double offset) {
		final double[] v = new double[(int) voxels()];
		for (int i = 0; i < v.length; i++)
			v[i] = i + offset;
		return v;
	}
}
