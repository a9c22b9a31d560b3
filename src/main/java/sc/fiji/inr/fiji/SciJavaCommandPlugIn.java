package sc.fiji.inr.fiji;

import java.awt.GraphicsEnvironment;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

import org.scijava.Context;
import org.scijava.ItemVisibility;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.scijava.convert.ConvertService;
import org.scijava.module.Module;
import org.scijava.module.ModuleItem;
import org.scijava.module.ModuleService;
import org.scijava.service.Service;

import ij.IJ;
import ij.ImagePlus;
import ij.Macro;
import ij.WindowManager;
import ij.macro.Interpreter;
import ij.plugin.PlugIn;
import ij.text.TextWindow;

/**
 * The ImageJ 1 side of {@link LegacyBridge}: runs one SciJava command (class name as argument)
 * with the macro's options, the way imagej-legacy does inside Fiji.
 * <ul>
 * <li>Each {@code key=value} sets the input of that name, converted to its type; a number must
 * parse in full, and an unknown key is an error rather than silently ignored, so a typo does not
 * fit 2000 steps instead of 20.</li>
 * <li>Inputs not given keep the command's defaults (not values remembered from an earlier dialog,
 * so a macro does the same thing every time); a boolean not given is false, as for an ImageJ 1
 * checkbox.</li>
 * <li>An {@link ImagePlus} input is the image titled by its key, else the current image.</li>
 * <li>{@link ImagePlus} outputs are shown, so in batch mode the last one becomes the current
 * image; a text output opens a text window when there is a screen.</li>
 * <li>A failed or cancelled command stops the macro with the command's message.</li>
 * </ul>
 */
public class SciJavaCommandPlugIn implements PlugIn {

	@Override
	public void run(final String className) {
		final Context context = LegacyBridge.context();
		final CommandInfo info = context.service(CommandService.class).getCommand(className);
		if (info == null) {
			abort("INR", "No SciJava command " + className + " (is it on the class path?)", false);
			return;
		}
		final String label = info.getMenuPath().getLeaf().getName();
		final CommandModule module;
		try {
			final ModuleService modules = context.service(ModuleService.class);
			final Module created = modules.createModule(info);
			setInputs(created, info, MacroOptions.parse(Macro.getOptions()), label, context);
			module = (CommandModule) modules.run(created, true).get();
		}
		catch (final IllegalArgumentException e) {
			abort(label, e.getMessage(), false);
			return;
		}
		catch (final InterruptedException e) {
			Thread.currentThread().interrupt();
			abort(label, "Interrupted", false);
			return;
		}
		catch (final ExecutionException e) {
			final Throwable cause = e.getCause() == null ? e : e.getCause();
			abort(label, cause.getMessage() == null ? cause.toString() : cause.getMessage(), false);
			return;
		}
		if (module.isCanceled()) {
			// Our commands have told the user already (dialog, or log when headless).
			final boolean reported = module.getDelegateObject() instanceof InrCommand;
			abort(label, module.getCancelReason() == null ? "Cancelled" : module.getCancelReason(), reported);
			return;
		}
		showOutputs(module, info, label);
	}

	/** The inputs a macro sets: all but services, the context and message lines. */
	static List<ModuleItem<?>> macroInputs(final CommandInfo info) {
		final List<ModuleItem<?>> items = new ArrayList<>();
		for (final ModuleItem<?> item : info.inputs())
			if (!Service.class.isAssignableFrom(item.getType()) && !Context.class.isAssignableFrom(item.getType())
					&& item.getVisibility() != ItemVisibility.MESSAGE)
				items.add(item);
		return items;
	}

	private static void setInputs(final Module module, final CommandInfo info, final MacroOptions options,
			final String label, final Context context) {
		for (final ModuleItem<?> item : info.inputs())
			if (item.getVisibility() == ItemVisibility.MESSAGE) module.resolveInput(item.getName());
		final List<String> known = new ArrayList<>();
		for (final ModuleItem<?> item : macroInputs(info)) {
			final String name = item.getName();
			final Class<?> type = item.getType();
			known.add(name);
			final String text = options.take(name);
			if (type == ImagePlus.class) module.setInput(name, image(text));
			else if (type == boolean.class || type == Boolean.class) module.setInput(name, options.takeFlag(name)
					|| text != null && parseBoolean(name, text));
			else if (text != null) module.setInput(name, convert(name, text, type, context));
			module.resolveInput(name);
		}
		if (!options.remaining().isEmpty())
			throw new IllegalArgumentException("Unknown option(s) " + options.remaining() + " for " + label + "; it takes "
					+ String.join(", ", known));
	}

	private static ImagePlus image(final String title) {
		if (title == null) {
			final ImagePlus current = WindowManager.getCurrentImage();
			if (current == null) throw new IllegalArgumentException("There are no images open");
			return current;
		}
		final ImagePlus named = WindowManager.getImage(title);
		if (named == null) throw new IllegalArgumentException("No image titled '" + title + "' is open");
		return named;
	}

	private static Object convert(final String name, final String text, final Class<?> type, final Context context) {
		try {
			if (type == String.class) return text;
			if (type == File.class) return new File(text);
			if (type == double.class || type == Double.class) return Double.parseDouble(text);
			if (type == float.class || type == Float.class) return Float.parseFloat(text);
			if (type == int.class || type == Integer.class) return Math.toIntExact(whole(text));
			if (type == long.class || type == Long.class) return whole(text);
		}
		catch (final NumberFormatException | ArithmeticException e) {
			throw new IllegalArgumentException(name + "=" + text + " is not a valid " + (type == double.class
					|| type == Double.class || type == float.class || type == Float.class ? "number" : "whole number"));
		}
		final Object converted = context.service(ConvertService.class).convert(text, type);
		if (converted == null) throw new IllegalArgumentException(name + "=" + text + " cannot be read as " + type.getSimpleName());
		return converted;
	}

	/** A whole number, also when a macro wrote it as {@code 200.0}. */
	private static long whole(final String text) {
		try {
			return Long.parseLong(text);
		}
		catch (final NumberFormatException e) {
			final double d = Double.parseDouble(text);
			if (d != Math.rint(d) || Math.abs(d) > Long.MAX_VALUE) throw new NumberFormatException(text);
			return (long) d;
		}
	}

	private static boolean parseBoolean(final String name, final String text) {
		if (text.equalsIgnoreCase("true")) return true;
		if (text.equalsIgnoreCase("false")) return false;
		throw new IllegalArgumentException(name + "=" + text + " must be true or false");
	}

	private static void showOutputs(final Module module, final CommandInfo info, final String label) {
		for (final ModuleItem<?> item : info.outputs()) {
			final Object value = item.getValue(module);
			if (value instanceof ImagePlus imp) {
				if (GraphicsEnvironment.isHeadless() && !IJ.isMacro() && !Interpreter.isBatchMode())
					WindowManager.setTempCurrentImage(imp);
				else imp.show();
			}
			else if (value instanceof String text && !GraphicsEnvironment.isHeadless()) {
				new TextWindow(label, text, 640, 480);
			}
		}
	}

	/**
	 * Stops the running macro with {@code message} (the interpreter's error message, which its
	 * caller can read), telling the user once. With a screen and a message not yet shown, this is
	 * a macro error dialog. Otherwise the interpreter is stopped quietly: headless, ImageJ 1 would
	 * try to open its error dialog and fail with a HeadlessException, so the message goes to the
	 * log instead.
	 */
	private static void abort(final String label, final String message, final boolean reported) {
		final String text = label + ": " + message;
		final boolean headless = GraphicsEnvironment.isHeadless();
		if (headless && !reported) IJ.log(text);
		final Interpreter interpreter = Interpreter.getInstance();
		if (interpreter == null) {
			if (!headless && !reported) IJ.error(label, message);
			return;
		}
		if (headless || reported) interpreter.setIgnoreErrors(true);
		interpreter.abort(text);
	}
}
