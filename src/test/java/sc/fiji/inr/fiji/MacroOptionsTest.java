package sc.fiji.inr.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;

import org.junit.jupiter.api.Test;

class MacroOptionsTest {

	@Test
	void readsPlainBracketedEmptyAndBareOptions() {
		final MacroOptions o = MacroOptions.parse("model=siren steps=200 output=[/my data/x y.inr] region= show Scale=[] ");
		assertEquals("siren", o.take("model"));
		assertEquals("200", o.take("steps"));
		assertEquals("/my data/x y.inr", o.take("output"));
		assertEquals("", o.take("region"));
		assertEquals("", o.take("scale"), "keys are matched in lower case");
		assertTrue(o.takeFlag("show"));
		assertTrue(o.remaining().isEmpty());
	}

	@Test
	void leavesWhatWasNotTaken() {
		final MacroOptions o = MacroOptions.parse("steps=3 stepz=4 verbose");
		assertEquals("3", o.take("steps"));
		assertNull(o.take("seed"));
		assertFalse(o.takeFlag("quiet"));
		assertEquals(Set.of("stepz", "verbose"), o.remaining());
	}

	@Test
	void nullOptionsAreEmpty() {
		assertTrue(MacroOptions.parse(null).remaining().isEmpty());
	}

	@Test
	void anUnclosedBracketIsNamed() {
		final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
				() -> MacroOptions.parse("output=[/tmp/x steps=2"));
		assertTrue(e.getMessage().contains("output"), e.getMessage());
	}
}
