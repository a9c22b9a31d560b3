package sc.fiji.inr.fiji;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;

import org.scijava.Context;
import org.scijava.command.Command;
import org.scijava.event.ContextDisposingEvent;
import org.scijava.event.EventHandler;
import org.scijava.event.EventService;
import org.scijava.plugin.DefaultPluginFinder;
import org.scijava.plugin.PluginInfo;

import ij.IJ;
import ij.Menus;

/**
 * Makes the suite's SciJava commands callable from ImageJ 1 macros when imagej-legacy is absent,
 * e.g. {@code run("Fit Neural Field...", "steps=200 output=/tmp/x.inr")}.
 * <p>
 * Inside Fiji, imagej-legacy has already put every command's label into ImageJ 1's command
 * table, and this does nothing. Elsewhere it adds each missing label, pointing it at
 * {@link SciJavaCommandPlugIn} with the command's class name as argument (ImageJ 1 accepts
 * {@code Class("arg")} there). Plain ImageJ users can run
 * {@code call("sc.fiji.inr.fiji.LegacyBridge.install");} once, e.g. from their startup macro.
 */
public final class LegacyBridge {

	/** Commands of this suite are the ones bridged; other SciJava commands are not ours to add. */
	static final String PACKAGE_PREFIX = "sc.fiji.inr.";

	private static Context context;
	/** Held strongly: the event service keeps only weak references to its subscribers. */
	private static Object disposalWatch;

	private LegacyBridge() {}

	/** For {@code call(...)} from a macro: installs with a context created on first use. */
	public static String install() {
		return String.join("\n", install(null));
	}

	/**
	 * Registers the labels ImageJ 1 does not know yet.
	 *
	 * @param context the context to run commands in; null keeps the current one, or creates one
	 *                when a command first runs
	 * @return the labels added (empty inside Fiji, or when called twice)
	 */
	public static synchronized List<String> install(final Context context) {
		if (context != null) use(context);
		final Hashtable<String, String> table = commandTable();
		final List<String> added = new ArrayList<>();
		if (table == null) return added;
		for (final PluginInfo<?> info : commands()) {
			final String label = label(info);
			if (table.get(label) != null) continue;
			table.put(label, SciJavaCommandPlugIn.class.getName() + "(\"" + info.getClassName() + "\")");
			added.add(label);
		}
		return added;
	}

	/** The context commands run in; created on first use when none was given. */
	static synchronized Context context() {
		if (context == null) use(new Context());
		return context;
	}

	private static void use(final Context c) {
		context = c;
		final DisposalWatch watch = new DisposalWatch();
		disposalWatch = watch;
		final EventService events = c.getService(EventService.class);
		if (events != null) events.subscribe(watch);
	}

	/** Drops a context that is being disposed, so the next command gets a live one. */
	private static final class DisposalWatch {
		@EventHandler
		void onEvent(final ContextDisposingEvent e) {
			synchronized (LegacyBridge.class) {
				if (context == e.getContext()) context = null;
			}
		}
	}

	/** The suite's commands that have a menu path, found from the plugin index without a context. */
	static List<PluginInfo<?>> commands() {
		final List<PluginInfo<?>> all = new ArrayList<>();
		new DefaultPluginFinder(LegacyBridge.class.getClassLoader()).findPlugins(all);
		final List<PluginInfo<?>> ours = new ArrayList<>();
		for (final PluginInfo<?> info : all)
			if (info.getPluginType() == Command.class && info.getClassName().startsWith(PACKAGE_PREFIX)
					&& info.getMenuPath() != null && !info.getMenuPath().isEmpty())
				ours.add(info);
		return ours;
	}

	/** The label ImageJ 1 knows a command by: the last element of its menu path. */
	static String label(final PluginInfo<?> info) {
		return info.getMenuPath().getLeaf().getName();
	}

	/**
	 * ImageJ 1's command table, building it first if needed. ImageJ 1 builds it lazily, inside
	 * {@code IJ.run}, through the package-private {@code IJ.init()}; there is no public way to ask
	 * for it, so this calls the same method (entries put into a table that does not exist yet
	 * would be lost when ImageJ 1 builds it). Headless, {@code init()} creates the table and then
	 * fails on its first AWT menu, exactly as it does inside {@code IJ.run}: the table stays, empty
	 * of ImageJ's own commands, and ours can still go in.
	 */
	@SuppressWarnings("unchecked")
	private static Hashtable<String, String> commandTable() {
		final Hashtable<String, String> table = Menus.getCommands();
		if (table != null) return table;
		try {
			final Method init = IJ.class.getDeclaredMethod("init");
			init.setAccessible(true);
			init.invoke(null);
		}
		catch (final InvocationTargetException e) {
			// Expected headless (HeadlessException from the menu bar); the table exists by then.
		}
		catch (final ReflectiveOperationException | RuntimeException e) {
			IJ.log("INR: cannot reach ImageJ's command table, so macros cannot run INR commands: " + e);
		}
		return Menus.getCommands();
	}
}
