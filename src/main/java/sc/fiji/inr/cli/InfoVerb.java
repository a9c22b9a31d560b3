package sc.fiji.inr.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import sc.fiji.inr.field.FieldFile;

/** {@code inr info FIELD.inr}: what a field file holds, without loading its weights. */
final class InfoVerb implements Main.Verb {

	@Override
	public String summary() {
		return "show what a field file holds (model, frame, training record)";
	}

	@Override
	public String help() {
		return """
				Usage: inr info FIELD.inr [--json]

				Prints the field's model, coordinate frame, value scale, source image and training record.
				  --json   print the complete file header as JSON
				""";
	}

	@Override
	public int run(final String[] args, final PrintStream out, final PrintStream err) throws Exception {
		final Arguments a = new Arguments("info", args, List.of(), List.of("json"));
		final FieldFile.Header h = FieldFile.readHeader(Path.of(a.single("info", "field file")));
		if (a.has("json")) out.println(h.toJson());
		else out.print(describe(h));
		return 0;
	}

	static String describe(final FieldFile.Header h) {
		final StringBuilder s = new StringBuilder();
		s.append(String.format("Source:     %s (%s)%n", h.source().name(), h.source().pixelType()));
		s.append(String.format("Model:      %s encoding, %s network %d x %d, %d -> %d channel(s), %,d parameters%n",
				h.spec().encoding().kind(), h.spec().network().activation().name().toLowerCase(), h.spec().network().depth(),
				h.spec().network().width(), h.spec().inDims(), h.spec().outChannels(), h.parameterCount()));
		s.append(String.format("Encoding:   %s%n", h.spec().encoding()));
		s.append(String.format("Frame:      axes %s, size %s, pixel size %s %s%n", h.frame().axes(),
				java.util.Arrays.toString(h.frame().size()), java.util.Arrays.toString(h.frame().spacing()),
				java.util.Arrays.toString(h.frame().units())));
		s.append(String.format("Training:   %d steps, %.1f s, loss %.4g, PSNR %.2f dB, seed %d, stopped by %s, on %s%n",
				h.training().steps(), h.training().seconds(), h.training().loss(), h.training().psnr(), h.training().seed(),
				h.training().stopReason(), h.training().device()));
		s.append(String.format("File:       format version %d, %.1f kB of weights%n", h.version(), h.payloadBytes() / 1024.0));
		return s.toString();
	}
}
