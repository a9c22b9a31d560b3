package sc.fiji.inr.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.Map;
import java.util.concurrent.CancellationException;

/**
 * {@code bin/inr}: the headless entry point. Each verb maps its options to the same task calls
 * the Fiji commands make. Exit codes: 0 success, 1 the work failed (bad input file, corrupt
 * field, diverged fit), 2 the command line is wrong, 130 cancelled by Ctrl-C.
 */
public final class Main {

	interface Verb {
		String summary();

		String help();

		int run(String[] args, PrintStream out, PrintStream err) throws Exception;
	}

	static final Map<String, Verb> VERBS = new java.util.LinkedHashMap<>();
	static {
		VERBS.put("fit", new FitVerb());
		VERBS.put("render", new RenderVerb());
		VERBS.put("info", new InfoVerb());
		VERBS.put("superres", new SuperresVerb());
		VERBS.put("fuse", new FuseVerb());
		VERBS.put("ct-simulate", new CtVerbs.Simulate());
		VERBS.put("ct-fbp", new CtVerbs.Reconstruct(CtVerbs.Method.FBP));
		VERBS.put("ct-sart", new CtVerbs.Reconstruct(CtVerbs.Method.SART));
		VERBS.put("ct-recon", new CtVerbs.Reconstruct(CtVerbs.Method.INR));
		VERBS.put("mri-simulate", new MriVerbs.Simulate());
		VERBS.put("mri-recon", new MriVerbs.Reconstruct());
		VERBS.put("register", new RegisterVerbs.Register());
		VERBS.put("warp", new RegisterVerbs.Warp());
		VERBS.put("demo", new DemoVerb());
	}

	private Main() {}

	public static void main(final String[] args) {
		System.setProperty("java.awt.headless", "true");
		System.exit(run(args, System.out, System.err));
	}

	/** Runs a command line and returns its exit code (testable without exiting the JVM). */
	public static int run(final String[] args, final PrintStream out, final PrintStream err) {
		if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
			out.print(usage());
			return args.length == 0 ? 2 : 0;
		}
		final Verb verb = VERBS.get(args[0]);
		if (verb == null) {
			err.println("inr: unknown command '" + args[0] + "' (commands: " + String.join(", ", VERBS.keySet()) + ")");
			return 2;
		}
		final String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
		if (java.util.Arrays.asList(rest).contains("--help") || java.util.Arrays.asList(rest).contains("-h")) {
			out.print(verb.help());
			return 0;
		}
		try {
			return verb.run(rest, out, err);
		}
		catch (final UsageException e) {
			err.println("inr " + args[0] + ": " + e.getMessage());
			return 2;
		}
		catch (final CancellationException e) {
			err.println("inr " + args[0] + ": cancelled");
			return 130;
		}
		catch (final NoSuchFileException e) {
			err.println("inr " + args[0] + ": file not found: " + e.getFile());
			return 1;
		}
		catch (final FileAlreadyExistsException e) {
			err.println("inr " + args[0] + ": " + e.getFile() + " exists (use --force to overwrite it)");
			return 1;
		}
		catch (final OutOfMemoryError e) {
			err.println("inr " + args[0] + ": out of memory (" + e.getMessage()
					+ "); use a smaller batch, a region, or give Java more memory (INR_JAVA_OPTS=-Xmx16g)");
			return 1;
		}
		catch (final IOException | RuntimeException e) {
			err.println("inr " + args[0] + ": " + message(e));
			if (System.getenv("INR_DEBUG") != null) e.printStackTrace(err);
			return 1;
		}
		catch (final Exception e) {
			err.println("inr " + args[0] + ": " + message(e));
			return 1;
		}
	}

	private static String message(final Throwable e) {
		final String m = e.getMessage();
		return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
	}

	static String usage() {
		final StringBuilder s = new StringBuilder("Usage: inr <command> [options]   (inr <command> --help for details)\n\nCommands:\n");
		final int width = VERBS.keySet().stream().mapToInt(String::length).max().orElse(8);
		VERBS.forEach((name, verb) -> s.append(String.format("  %-" + width + "s %s%n", name, verb.summary())));
		return s.toString();
	}
}
