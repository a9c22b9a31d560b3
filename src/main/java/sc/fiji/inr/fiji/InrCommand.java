package sc.fiji.inr.fiji;

import java.awt.GraphicsEnvironment;
import java.io.File;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Plugin;

import ij.IJ;
import ij.ImagePlus;
import ij.WindowManager;
import sc.fiji.inr.field.FieldFile;
import sc.fiji.inr.field.NeuralField;
import sc.fiji.inr.fit.FitResult;

/**
 * What the suite's commands share: how a failure reaches the user, and what follows a fit. A
 * SciJava command has no user-facing exception, so a failure cancels the module with the message
 * (what scripts, the macro bridge and tests read) and tells the user: a dialog when there is a
 * screen (which also stops a running ImageJ 1 macro), the log when headless.
 */
abstract class InrCommand extends ContextCommand {

	/** Cancels this command with {@code message} and reports it to the user. */
	protected final void fail(final String message) {
		cancel(message);
		if (GraphicsEnvironment.isHeadless()) getContext().service(LogService.class).error(label() + ": " + message);
		else IJ.error(label(), message);
	}

	/**
	 * What every fitting command does after its fit: if the user discarded the fit in the monitor,
	 * cancels the command (nothing written) and returns false; else saves the field to
	 * {@code path}, when one was asked for, reports it in the monitor and returns true.
	 */
	protected final boolean keepFit(final FitMonitor monitor, final NeuralField field, final FitResult fit, final Path path,
			final String what) throws IOException {
		if (monitor.discarded()) {
			cancel(what + " cancelled" + (path == null ? "" : ": " + path + " was not written"));
			return false;
		}
		if (path != null) {
			FieldFile.save(field, path);
			monitor.finished(fit, path);
		}
		return true;
	}

	/** The menu label, which is also the command's name in macros. */
	final String label() {
		final Plugin plugin = getClass().getAnnotation(Plugin.class);
		final String path = plugin == null ? "" : plugin.menuPath();
		return path.isEmpty() ? getClass().getSimpleName() : path.substring(path.lastIndexOf('>') + 1);
	}

	/**
	 * A readable message for an exception from a task. NIO file exceptions carry only the path
	 * as their message, which alone does not tell a user what went wrong.
	 */
	static String describe(final Exception e) {
		if (e instanceof NoSuchFileException f) return "File or folder not found: " + f.getFile()
				+ (f.getReason() == null ? "" : " (" + f.getReason() + ")");
		if (e instanceof AccessDeniedException f) return "Permission denied: " + f.getFile();
		final String message = e.getMessage();
		return message == null || message.isBlank() ? e.toString() : message;
	}

	/** An existing, readable field file, or an exception naming what is wrong with it. */
	static Path existingFile(final File file, final String what) throws NoSuchFileException {
		if (file == null) throw new IllegalArgumentException("Choose a " + what);
		final Path path = file.toPath();
		if (Files.isDirectory(path)) throw new IllegalArgumentException("The " + what + " " + path + " is a folder, not a file");
		if (!Files.isRegularFile(path)) throw new NoSuchFileException(path.toString(), null, "no such " + what);
		return path;
	}

	/**
	 * A file that can be written: not a folder, in an existing, writable folder. Checked before
	 * fitting, so that a long fit does not end in an unwritable file.
	 */
	static Path writableTarget(final File file, final String what) throws NoSuchFileException {
		final Path path = file.toPath().toAbsolutePath();
		if (Files.isDirectory(path)) throw new IllegalArgumentException("The " + what + " " + path + " is a folder; choose a file name");
		final Path dir = path.getParent();
		if (dir == null || !Files.isDirectory(dir)) throw new NoSuchFileException(String.valueOf(dir), null, "output folder does not exist");
		if (!Files.isWritable(dir)) throw new IllegalArgumentException("Cannot write to the output folder " + dir);
		return path;
	}

	/**
	 * The open image titled {@code title}, or null for an empty title or "none". Optional images
	 * are named by title: ImageJ fills an absent image input with the current image, which would
	 * silently use the wrong one.
	 */
	static ImagePlus imageTitled(final String title, final String what) {
		final String t = title == null ? "" : title.trim();
		if (t.isEmpty() || t.equalsIgnoreCase("none")) return null;
		final ImagePlus imp = WindowManager.getImage(t);
		if (imp == null) throw new IllegalArgumentException(what + ": no image titled '" + t + "' is open");
		return imp;
	}
}
