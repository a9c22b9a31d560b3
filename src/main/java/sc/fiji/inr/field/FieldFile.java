package sc.fiji.inr.field;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import sc.fiji.inr.compute.ComputeRuntime;
import sc.fiji.inr.image.AtomicFiles;
import sc.fiji.inr.image.Axis;
import sc.fiji.inr.image.PixelType;

/**
 * The {@code .inr} field file: one self-describing file per field.
 * <pre>
 *  8 bytes  magic "INRFIELD"
 *  4 bytes  format version (int32, little-endian)
 *  4 bytes  header length H (int32, little-endian)
 *  H bytes  UTF-8 JSON header: spec, frame, value scale, source, training record, tensor table
 *  …        tensors, float32 little-endian, in the header's order; CRC-32 of them in the header
 * </pre>
 * Why this layout: the JSON header can be read by any tool (and {@code bin/inr info}) without
 * touching the weights, and the checksum turns a truncated copy into a clear error instead of a
 * silently wrong field. Saving writes a temporary file beside the target and moves it into place,
 * so an existing good file is never left half-overwritten.
 */
public final class FieldFile {

	public static final String EXTENSION = ".inr";
	static final byte[] MAGIC = "INRFIELD".getBytes(StandardCharsets.US_ASCII);
	public static final int VERSION = 1;
	private static final int MAX_HEADER = 16 << 20;
	private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

	private FieldFile() {}

	/** What a field file holds, without its weights. */
	public record Header(int version, FieldSpec spec, CoordinateFrame frame, ValueScale scale, SourceInfo source,
			TrainingRecord training, long parameterCount, long payloadBytes, JsonObject json) {

		/** Pretty-printed JSON header. */
		public String toJson() {
			return GSON.toJson(json);
		}
	}

	// ---------------------------------------------------------------- writing

	public static void save(final NeuralField field, final Path path) throws IOException {
		save(field, path, new JsonObject());
	}

	/**
	 * Saves with task metadata: each member of {@code extras} becomes a top-level header member
	 * (e.g. "registration" holds a transform's affine part), read back through
	 * {@link Header#json()}. Readers that do not know a member ignore it.
	 */
	public static void save(final NeuralField field, final Path path, final JsonObject extras) throws IOException {
		final Map<String, NDArray> tensors = field.parameters().all();
		final List<float[]> data = new ArrayList<>();
		final JsonArray table = new JsonArray();
		ComputeRuntime.get().run(() -> {
			for (final Map.Entry<String, NDArray> e : tensors.entrySet()) {
				data.add(e.getValue().toFloatArray());
				final JsonObject t = new JsonObject();
				t.addProperty("name", e.getKey());
				t.add("shape", GSON.toJsonTree(e.getValue().getShape().getShape()));
				t.addProperty("dtype", "float32");
				t.addProperty("trainable", field.parameters().isTrainable(e.getKey()));
				table.add(t);
			}
		});
		long floats = 0;
		for (final float[] d : data) floats += d.length;
		final ByteBuffer payload = ByteBuffer.allocate(Math.toIntExact(floats * 4)).order(ByteOrder.LITTLE_ENDIAN);
		for (final float[] d : data) for (final float v : d) payload.putFloat(v);
		final CRC32 crc = new CRC32();
		crc.update(payload.array());

		final JsonObject header = new JsonObject();
		header.addProperty("format", "inr-field");
		header.addProperty("version", VERSION);
		header.add("spec", specToJson(field.spec()));
		header.add("frame", frameToJson(field.frame()));
		header.add("valueScale", GSON.toJsonTree(field.scale()));
		header.add("source", GSON.toJsonTree(field.source()));
		header.add("training", GSON.toJsonTree(field.training()));
		header.add("tensors", table);
		for (final Map.Entry<String, com.google.gson.JsonElement> e : extras.entrySet())
			if (!header.has(e.getKey())) header.add(e.getKey(), e.getValue());
			else throw new IllegalArgumentException("Header member '" + e.getKey() + "' is reserved");
		header.addProperty("payloadBytes", payload.capacity());
		header.addProperty("payloadCrc32", crc.getValue());
		final byte[] json = GSON.toJson(header).getBytes(StandardCharsets.UTF_8);

		final ByteBuffer prefix = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
		prefix.put(MAGIC).putInt(VERSION).putInt(json.length).flip();
		AtomicFiles.write(path, temporary -> {
			try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE);
					OutputStream out = Channels.newOutputStream(channel)) {
				out.write(prefix.array());
				out.write(json);
				out.write(payload.array());
				out.flush();
				channel.force(true); // on disk before it replaces a good file
			}
		});
	}

	// ---------------------------------------------------------------- reading

	/** Reads only the header (fast; used by Neural Field Info). */
	public static Header readHeader(final Path path) throws IOException {
		try (InputStream in = open(path)) {
			return readHeader(new DataInputStream(in), path, Files.size(path));
		}
	}

	/** Loads a field; the caller owns (and must close) it. */
	public static NeuralField load(final Path path) throws IOException {
		try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(open(path), 1 << 20))) {
			final Header header = readHeader(in, path, Files.size(path));
			final byte[] payload = new byte[Math.toIntExact(header.payloadBytes())];
			try {
				in.readFully(payload);
			}
			catch (final EOFException e) {
				throw corrupt(path, "it is truncated (weights end early)");
			}
			final CRC32 crc = new CRC32();
			crc.update(payload);
			final long expected = header.json().get("payloadCrc32").getAsLong();
			if (crc.getValue() != expected) throw corrupt(path, "its weights fail the checksum (damaged file)");
			if (in.read() != -1) throw corrupt(path, "it has extra bytes after the weights");

			final NeuralField field = NeuralField.create(header.spec(), header.frame(), header.scale(),
					header.source(), header.training().seed());
			try {
				field.setTraining(header.training());
				fillTensors(field, header, payload, path);
				return field;
			}
			catch (final IOException | RuntimeException e) {
				field.close();
				throw e;
			}
		}
	}

	private static InputStream open(final Path path) throws IOException {
		if (!Files.exists(path)) throw new NoSuchFileException(path.toString(), null, "field file not found");
		if (Files.isDirectory(path)) throw new IOException(path + " is a folder, not a field file");
		return Files.newInputStream(path);
	}

	private static void fillTensors(final NeuralField field, final Header header, final byte[] payload,
			final Path path) throws IOException {
		final JsonArray table = header.json().getAsJsonArray("tensors");
		final Map<String, NDArray> tensors = field.parameters().all();
		if (table.size() != tensors.size())
			throw corrupt(path, "it lists " + table.size() + " tensors where its spec needs " + tensors.size());
		final ByteBuffer buffer = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
		final IOException[] failure = new IOException[1];
		ComputeRuntime.get().run(() -> {
			for (final JsonElement el : table) {
				final JsonObject t = el.getAsJsonObject();
				final String name = t.get("name").getAsString();
				final NDArray target = tensors.get(name);
				final long[] shape = GSON.fromJson(t.get("shape"), long[].class);
				if (target == null) {
					failure[0] = corrupt(path, "it has an unknown tensor '" + name + "'");
					return;
				}
				if (!target.getShape().equals(new Shape(shape))) {
					failure[0] = corrupt(path, "tensor '" + name + "' has shape " + new Shape(shape) + " but the spec needs "
							+ target.getShape());
					return;
				}
				final float[] values = new float[Math.toIntExact(target.size())];
				if (buffer.remaining() < values.length * 4L) {
					failure[0] = corrupt(path, "its weights are shorter than its tensor table says");
					return;
				}
				buffer.asFloatBuffer().get(values);
				buffer.position(buffer.position() + values.length * 4);
				target.set(values);
			}
		});
		if (failure[0] != null) throw failure[0];
	}

	private static Header readHeader(final DataInputStream in, final Path path, final long fileSize) throws IOException {
		final byte[] magic = new byte[MAGIC.length];
		final byte[] lengths = new byte[8];
		try {
			in.readFully(magic);
			if (!java.util.Arrays.equals(magic, MAGIC))
				throw new IOException(path + " is not an INR field file (it does not start with INRFIELD)");
			in.readFully(lengths);
		}
		catch (final EOFException e) {
			throw new IOException(path + " is not an INR field file (too short: " + fileSize + " bytes)");
		}
		final ByteBuffer b = ByteBuffer.wrap(lengths).order(ByteOrder.LITTLE_ENDIAN);
		final int version = b.getInt();
		final int headerLength = b.getInt();
		if (version > VERSION)
			throw new IOException(path + " was written by a newer INR for Fiji (field format " + version
					+ "; this version reads up to " + VERSION + "): please update");
		if (version < 1) throw corrupt(path, "its format version " + version + " is invalid");
		if (headerLength <= 0 || headerLength > MAX_HEADER || headerLength > fileSize - 16)
			throw corrupt(path, "its header length " + headerLength + " does not fit the file size " + fileSize);
		final byte[] json = new byte[headerLength];
		try {
			in.readFully(json);
		}
		catch (final EOFException e) {
			throw corrupt(path, "it is truncated inside the header");
		}
		try {
			final JsonObject o = JsonParser.parseString(new String(json, StandardCharsets.UTF_8)).getAsJsonObject();
			final FieldSpec spec = specFromJson(o.getAsJsonObject("spec"));
			final CoordinateFrame frame = frameFromJson(o.getAsJsonObject("frame"));
			final ValueScale scale = GSON.fromJson(o.get("valueScale"), ValueScale.class);
			final SourceInfo source = o.has("source") ? GSON.fromJson(o.get("source"), SourceInfo.class)
					: new SourceInfo("", PixelType.FLOAT32);
			final TrainingRecord training = o.has("training") ? GSON.fromJson(o.get("training"), TrainingRecord.class)
					: TrainingRecord.untrained(0);
			final long payloadBytes = o.get("payloadBytes").getAsLong();
			if (payloadBytes < 0 || payloadBytes != fileSize - 16 - headerLength)
				throw corrupt(path, "it is truncated or padded: its header announces " + payloadBytes
						+ " bytes of weights but " + (fileSize - 16 - headerLength) + " follow");
			long count = 0;
			for (final JsonElement t : o.getAsJsonArray("tensors")) {
				long n = 1;
				for (final long s : GSON.fromJson(t.getAsJsonObject().get("shape"), long[].class)) n *= s;
				count += n;
			}
			// Revalidate the records: Gson bypasses compact constructors.
			return new Header(version, spec, frame, new ValueScale(scale.offset(), scale.scale()),
					new SourceInfo(source.name(), source.pixelType()), training, count, payloadBytes, o);
		}
		catch (final JsonParseException | IllegalStateException | NullPointerException | IllegalArgumentException
				| ClassCastException | UnsupportedOperationException e) {
			if (e instanceof IllegalArgumentException && e.getMessage() != null && e.getCause() == null
					&& !(e instanceof NumberFormatException))
				throw corrupt(path, "its header is invalid: " + e.getMessage());
			throw corrupt(path, "its header cannot be read (" + e.getClass().getSimpleName()
					+ (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
		}
	}

	private static IOException corrupt(final Path path, final String why) {
		return new IOException("Field file " + path + " is corrupt: " + why);
	}

	// ---------------------------------------------------------------- JSON mapping

	static JsonObject specToJson(final FieldSpec spec) {
		final JsonObject o = new JsonObject();
		o.addProperty("inDims", spec.inDims());
		o.addProperty("outChannels", spec.outChannels());
		final JsonObject enc = GSON.toJsonTree(spec.encoding()).getAsJsonObject();
		enc.addProperty("kind", spec.encoding().kind());
		o.add("encoding", enc);
		o.add("network", GSON.toJsonTree(spec.network()));
		return o;
	}

	static FieldSpec specFromJson(final JsonObject o) {
		final JsonObject enc = o.getAsJsonObject("encoding");
		final EncodingSpec encoding = switch (enc.get("kind").getAsString()) {
			case "none" -> new EncodingSpec.None();
			case "fourier" -> new EncodingSpec.FourierFeatures(enc.get("count").getAsInt(), enc.get("sigma").getAsDouble());
			case "positional" -> new EncodingSpec.Positional(enc.get("frequencies").getAsInt());
			case "hashgrid" -> new EncodingSpec.HashGrid(enc.get("levels").getAsInt(), enc.get("featuresPerLevel").getAsInt(),
					enc.get("log2TableSize").getAsInt(), enc.get("coarsest").getAsInt(), enc.get("finest").getAsInt());
			default -> throw new IllegalArgumentException("unknown encoding '" + enc.get("kind").getAsString() + "'");
		};
		final JsonObject net = o.getAsJsonObject("network");
		final NetworkSpec network = new NetworkSpec(NetworkSpec.Activation.valueOf(net.get("activation").getAsString()),
				net.get("width").getAsInt(), net.get("depth").getAsInt(), net.get("omega0").getAsDouble());
		return new FieldSpec(o.get("inDims").getAsInt(), o.get("outChannels").getAsInt(), encoding, network);
	}

	static JsonObject frameToJson(final CoordinateFrame f) {
		final JsonObject o = new JsonObject();
		final JsonArray axes = new JsonArray();
		for (final Axis a : f.axes()) axes.add(a.name());
		o.add("axes", axes);
		o.add("units", GSON.toJsonTree(f.units()));
		o.add("origin", GSON.toJsonTree(f.origin()));
		o.add("spacing", GSON.toJsonTree(f.spacing()));
		o.add("size", GSON.toJsonTree(f.size()));
		return o;
	}

	static CoordinateFrame frameFromJson(final JsonObject o) {
		final List<Axis> axes = new ArrayList<>();
		for (final JsonElement a : o.getAsJsonArray("axes")) axes.add(Axis.valueOf(a.getAsString()));
		return new CoordinateFrame(axes, GSON.fromJson(o.get("units"), String[].class),
				GSON.fromJson(o.get("origin"), double[].class), GSON.fromJson(o.get("spacing"), double[].class),
				GSON.fromJson(o.get("size"), long[].class));
	}

	/** Utility for tools: the whole header as pretty JSON. */
	public static String headerJson(final Path path) throws IOException {
		return readHeader(path).toJson();
	}
}
