package sc.fiji.inr.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A verb's command line: {@code --name value} options, {@code --flag} switches and positional
 * arguments, checked against the options the verb declares so a typo is an error, not a silently
 * ignored setting.
 */
final class Arguments {

	private final Map<String, String> values = new LinkedHashMap<>();
	private final List<String> positional = new ArrayList<>();

	/**
	 * @param options  names of options that take a value (without "--")
	 * @param switches names of options without a value
	 */
	Arguments(final String verb, final String[] args, final List<String> options, final List<String> switches) {
		for (int i = 0; i < args.length; i++) {
			final String a = args[i];
			if (a.startsWith("--") && a.length() > 2 || a.equals("-o") || a.equals("-h")) {
				String name = a.equals("-o") ? "output" : a.equals("-h") ? "help" : a.substring(2);
				String value = null;
				final int eq = name.indexOf('=');
				if (eq >= 0) {
					value = name.substring(eq + 1);
					name = name.substring(0, eq);
				}
				if (switches.contains(name)) {
					if (value != null) throw new UsageException("Option --" + name + " takes no value");
					values.put(name, "true");
				}
				else if (options.contains(name)) {
					if (value == null) {
						if (i + 1 >= args.length) throw new UsageException("Option --" + name + " needs a value");
						value = args[++i];
					}
					values.put(name, value);
				}
				else throw new UsageException("Unknown option '" + a + "' for 'inr " + verb + "' (see inr " + verb + " --help)");
			}
			else if (a.startsWith("-") && a.length() > 1 && !isNumber(a))
				throw new UsageException("Unknown option '" + a + "' for 'inr " + verb + "' (see inr " + verb + " --help)");
			else positional.add(a);
		}
	}

	private static boolean isNumber(final String s) {
		try {
			Double.parseDouble(s);
			return true;
		}
		catch (final NumberFormatException e) {
			return false;
		}
	}

	boolean has(final String name) {
		return values.containsKey(name);
	}

	String string(final String name, final String fallback) {
		return values.getOrDefault(name, fallback);
	}

	int integer(final String name, final int fallback) {
		final String v = values.get(name);
		if (v == null) return fallback;
		try {
			return Integer.parseInt(v.trim());
		}
		catch (final NumberFormatException e) {
			throw new UsageException("Option --" + name + " needs a whole number, got '" + v + "'");
		}
	}

	double number(final String name, final double fallback) {
		final String v = values.get(name);
		if (v == null) return fallback;
		try {
			final double d = Double.parseDouble(v.trim());
			if (!Double.isFinite(d)) throw new NumberFormatException();
			return d;
		}
		catch (final NumberFormatException e) {
			throw new UsageException("Option --" + name + " needs a number, got '" + v + "'");
		}
	}

	List<String> positional() {
		return positional;
	}

	/** The single positional argument, named {@code what} in the error. */
	String single(final String verb, final String what) {
		if (positional.size() != 1)
			throw new UsageException("'inr " + verb + "' needs exactly one " + what + (positional.isEmpty() ? "" : ", got " + positional));
		return positional.get(0);
	}
}
