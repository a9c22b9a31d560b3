package sc.fiji.inr.fiji;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The options string ImageJ 1 hands a command run from a macro, e.g.
 * {@code model=siren steps=200 output=[/my data/x.inr] show}: {@code key=value} pairs, with
 * values that contain spaces in brackets, and bare keys for ticked checkboxes. Items are taken out
 * as they are used, so that what is left over is what the command did not understand.
 */
final class MacroOptions {

	private final Map<String, String> values = new LinkedHashMap<>();
	private final Set<String> flags = new LinkedHashSet<>();

	static MacroOptions parse(final String options) {
		final MacroOptions o = new MacroOptions();
		if (options == null) return o;
		final String s = options;
		int i = 0;
		final int n = s.length();
		while (i < n) {
			while (i < n && Character.isWhitespace(s.charAt(i))) i++;
			if (i >= n) break;
			final int keyStart = i;
			while (i < n && s.charAt(i) != '=' && !Character.isWhitespace(s.charAt(i))) i++;
			final String key = s.substring(keyStart, i).toLowerCase(Locale.ROOT);
			if (i < n && s.charAt(i) == '=') {
				i++;
				final String value;
				if (i < n && s.charAt(i) == '[') {
					final int close = s.indexOf(']', i + 1);
					if (close < 0) throw new IllegalArgumentException("Option '" + key + "' has an unclosed '[' in: " + options.trim());
					value = s.substring(i + 1, close);
					i = close + 1;
				}
				else {
					final int start = i;
					while (i < n && !Character.isWhitespace(s.charAt(i))) i++;
					value = s.substring(start, i);
				}
				o.values.put(key, value);
			}
			else {
				o.flags.add(key);
			}
		}
		return o;
	}

	/** Removes and returns the value of {@code key}, or null when not given. */
	String take(final String key) {
		return values.remove(key);
	}

	/** Removes {@code key} if given as a bare word (a ticked checkbox); true if it was. */
	boolean takeFlag(final String key) {
		return flags.remove(key);
	}

	/** Keys given but not taken. */
	Set<String> remaining() {
		final Set<String> keys = new LinkedHashSet<>(values.keySet());
		keys.addAll(flags);
		return keys;
	}
}
