package sc.fiji.inr.cli;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Output-path checks shared by the verbs: nothing the user had is overwritten by accident. */
final class OutputFiles {

	private OutputFiles() {}

	/**
	 * Checks before any work starts, so a long fit never ends in "cannot write": the folder
	 * exists, the file is not an input, and an existing file is replaced only with --force.
	 */
	static Path check(final String output, final boolean force, final Path... inputs) throws IOException {
		if (output == null || output.isBlank()) throw new UsageException("Missing output file (-o FILE)");
		final Path path = Path.of(output).toAbsolutePath();
		final Path dir = path.getParent();
		if (dir != null && !Files.isDirectory(dir)) throw new IOException("Output folder " + dir + " does not exist");
		for (final Path in : inputs)
			if (Files.exists(path) && Files.exists(in) && Files.isSameFile(path, in))
				throw new IOException("Output " + path + " is the input file; choose another name");
		if (Files.exists(path) && !force) throw new FileAlreadyExistsException(path.toString());
		return path;
	}
}
