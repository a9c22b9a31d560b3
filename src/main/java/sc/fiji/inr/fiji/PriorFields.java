package sc.fiji.inr.fiji;

import java.io.File;
import java.io.IOException;

import sc.fiji.inr.field.FieldFile;
import sc.fiji.inr.field.NeuralField;

/**
 * The optional prior field of the reconstruction commands: loaded before fitting, and closed
 * once afterwards (a reconstruction trains its prior in place and returns it as its field).
 */
final class PriorFields {

	private PriorFields() {}

	/** The field in {@code file}, or null when none was chosen. */
	static NeuralField load(final File file) throws IOException {
		if (file == null || file.getPath().isBlank()) return null;
		return FieldFile.load(InrCommand.existingFile(file, "prior field"));
	}

	/** Refuses a prior for a method that fits no field, rather than ignoring it. */
	static void refuseUnless(final boolean fits, final File file, final String method) {
		if (!fits && file != null && !file.getPath().isBlank())
			throw new IllegalArgumentException("Method " + method + " starts from no field, so the prior " + file
					+ " would be ignored; clear the prior or choose method inr");
	}

	/** Closes the fitted field, or the prior if fitting never returned one; each at most once. */
	static void close(final NeuralField fitted, final NeuralField prior) {
		if (fitted != null) fitted.close();
		if (prior != null && prior != fitted) prior.close();
	}
}
