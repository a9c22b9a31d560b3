package sc.fiji.inr.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.scijava.Context;

import ij.Menus;

class LegacyBridgeTest {

	private static final Map<String, Class<?>> OURS = Map.of("Fit Neural Field...", FitFieldCommand.class,
			"Render Neural Field...", RenderFieldCommand.class, "Neural Field Info", FieldInfoCommand.class,
			"Super-Resolution...", SuperResolutionCommand.class, "Fuse Stacks...", FuseStacksCommand.class);
	private Context context;

	@BeforeEach
	void setUp() {
		FijiTestSupport.headless();
		context = new Context();
	}

	@AfterEach
	void tearDown() {
		context.dispose();
		LegacyBridge.install(null); // put back whatever a test removed
	}

	@SuppressWarnings("unchecked")
	private static Hashtable<String, String> table() {
		return Menus.getCommands();
	}

	@Test
	void registersEachCommandLabelWithItsClass() {
		LegacyBridge.install(context);
		for (final Map.Entry<String, Class<?>> e : OURS.entrySet())
			assertEquals(SciJavaCommandPlugIn.class.getName() + "(\"" + e.getValue().getName() + "\")", table().get(e.getKey()));
		assertEquals(List.of(), LegacyBridge.install(context), "a second install adds nothing");
	}

	@Test
	void leavesLabelsAloneThatImageJAlreadyKnows() {
		LegacyBridge.install(context);
		final Hashtable<String, String> table = table();
		// As inside Fiji, where imagej-legacy registered the command before us.
		table.put("Neural Field Info", "net.imagej.legacy.plugin.LegacyCommand(\"x\")");
		table.remove("Render Neural Field...");
		assertEquals(List.of("Render Neural Field..."), LegacyBridge.install(context));
		assertEquals("net.imagej.legacy.plugin.LegacyCommand(\"x\")", table.get("Neural Field Info"));
		table.remove("Neural Field Info");
	}

	@Test
	void findsOnlyTheSuitesCommands() {
		final List<String> labels = LegacyBridge.commands().stream().map(LegacyBridge::label).toList();
		assertTrue(labels.containsAll(OURS.keySet()), labels.toString());
		assertTrue(LegacyBridge.commands().stream().allMatch(i -> i.getClassName().startsWith("sc.fiji.inr.")));
		assertEquals(labels.size(), labels.stream().distinct().count(), "labels must be unique: " + labels);
	}

	@Test
	void replacesADisposedContext() {
		final Context other = new Context();
		LegacyBridge.install(other);
		assertSame(other, LegacyBridge.context());
		other.dispose();
		final Context fresh = LegacyBridge.context();
		try {
			assertNotSame(other, fresh);
			assertNotNull(fresh.service(org.scijava.command.CommandService.class));
		}
		finally {
			fresh.dispose();
		}
	}

	@Test
	void theMacroEntryPointReportsWhatItAdded() {
		LegacyBridge.install(context);
		table().remove("Neural Field Info");
		assertEquals("Neural Field Info", LegacyBridge.install());
		assertEquals("", LegacyBridge.install());
	}
}
