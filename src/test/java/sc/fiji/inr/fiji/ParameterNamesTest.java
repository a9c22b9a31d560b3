package sc.fiji.inr.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.module.ModuleItem;
import org.scijava.plugin.PluginInfo;

/**
 * Macro options are matched by parameter name, lower case, and ImageJ matches a key that is the
 * start of another ambiguously; so every command's names are lower case and none is a prefix of
 * another. Checked for every command of the suite, including ones added later.
 */
class ParameterNamesTest {

	@Test
	void namesAreLowerCaseAndNoneIsAPrefixOfAnother() {
		FijiTestSupport.headless();
		try (Context context = new Context()) {
			final List<PluginInfo<?>> commands = LegacyBridge.commands();
			assertTrue(commands.size() >= 3, "commands found: " + commands);
			for (final PluginInfo<?> plugin : commands) {
				final CommandInfo info = context.service(CommandService.class).getCommand(plugin.getClassName());
				assertNotNull(info, plugin.getClassName());
				final List<String> names = new ArrayList<>();
				for (final ModuleItem<?> item : SciJavaCommandPlugIn.macroInputs(info))
					names.add(item.getName());
				for (final ModuleItem<?> item : info.outputs())
					names.add(item.getName());
				assertFalse(names.isEmpty(), info.getTitle());
				for (final String a : names) {
					assertEquals(a.toLowerCase(Locale.ROOT), a, info.getClassName() + ": name not lower case");
					assertTrue(a.matches("[a-z][a-z0-9]*"), info.getClassName() + ": '" + a + "' is not a plain word");
					for (final String b : names)
						assertFalse(a != b && b.startsWith(a),
								info.getClassName() + ": '" + a + "' is a prefix of '" + b + "' (or a duplicate)");
				}
			}
		}
	}
}
