package sc.fiji.inr.image;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes a file so that readers never see it half-written and a failed write never destroys an
 * existing file: the content goes to a temporary file in the same directory (same file system,
 * so the final rename is atomic) which then replaces the target.
 */
public final class AtomicFiles {

	/** Writes the content of one file, given the path to write it to. */
	@FunctionalInterface
	public interface Writer {
		void writeTo(Path path) throws IOException;
	}

	private AtomicFiles() {}

	public static void write(final Path target, final Writer writer) throws IOException {
		final Path absolute = target.toAbsolutePath();
		final Path dir = absolute.getParent();
		if (dir != null && !Files.isDirectory(dir))
			throw new IOException("Cannot write " + target + ": directory " + dir + " does not exist");
		final Path temp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp");
		boolean done = false;
		try {
			writer.writeTo(temp);
			setPermissions(temp, absolute);
			try {
				Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE,
						StandardCopyOption.REPLACE_EXISTING);
			}
			catch (final AtomicMoveNotSupportedException e) {
				Files.move(temp, absolute, StandardCopyOption.REPLACE_EXISTING);
			}
			done = true;
		}
		finally {
			if (!done) Files.deleteIfExists(temp);
		}
	}

	/**
	 * Temp files are created private (rw-------); give the result the permissions of the file it
	 * replaces, or the usual rw-r--r--, so that writing through us does not hide files from others.
	 */
	private static void setPermissions(final Path temp, final Path target) {
		if (Files.getFileAttributeView(temp, PosixFileAttributeView.class) == null) return;
		try {
			Files.setPosixFilePermissions(temp, Files.exists(target) ? Files.getPosixFilePermissions(
					target) : PosixFilePermissions.fromString("rw-r--r--"));
		}
		catch (final IOException | UnsupportedOperationException e) {
			// permissions are a courtesy; the content is what matters
		}
	}
}
