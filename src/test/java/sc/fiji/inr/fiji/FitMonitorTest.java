package sc.fiji.inr.fiji;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.event.KeyEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.log.LogService;

import ij.IJ;
import ij.process.ImageProcessor;
import sc.fiji.inr.fit.FitProgress;

class FitMonitorTest {

	@TempDir
	Path dir;
	private Context context;
	private final List<String> logged = new CopyOnWriteArrayList<>();

	@BeforeEach
	void setUp() {
		FijiTestSupport.headless();
		context = new Context();
		context.service(LogService.class).addLogListener(m -> logged.add(m.text()));
	}

	@AfterEach
	void tearDown() {
		IJ.resetEscape();
		context.dispose();
	}

	private static FitProgress step(final long step, final double psnr) {
		return new FitProgress(step, 1000, step / 1000.0, 1.0 / step, psnr, 1e-2, step * 1e-3, step * 100, 0);
	}

	@Test
	void headlessItHasNoWindowAndLogsAtMostOncePerSecond() {
		assertFalse(FitMonitor.hasScreen(context));
		try (FitMonitor monitor = FitMonitor.start(context, "Fit test")) {
			for (int i = 1; i <= 1000; i++) monitor.progress(step(i, i % 50 == 0 ? 20 + i / 100.0 : Double.NaN));
		}
		final long lines = logged.stream().filter(t -> t.startsWith("Fit test: step")).count();
		assertTrue(lines >= 1 && lines <= 2, "progress lines: " + logged);
		assertTrue(logged.get(0).contains("step 1/1000"), logged.get(0));
	}

	@Test
	void stopKeepsTheFieldCancelAndEscapeDiscardIt() {
		try (FitMonitor stop = FitMonitor.start(context, "a"); FitMonitor cancel = FitMonitor.start(context, "b")) {
			assertFalse(stop.isCancelled());
			stop.stop();
			assertTrue(stop.isCancelled());
			assertFalse(stop.discarded());
			cancel.cancel();
			assertTrue(cancel.isCancelled());
			assertTrue(cancel.discarded());
		}
		try (FitMonitor escape = FitMonitor.start(context, "c")) {
			assertFalse(escape.isCancelled(), "a new monitor forgets an old Esc");
			IJ.setKeyDown(KeyEvent.VK_ESCAPE);
			assertTrue(escape.isCancelled());
			assertTrue(escape.discarded());
		}
	}

	@Test
	void escapeDuringAFitWritesNothing() throws Exception {
		final Path out = dir.resolve("keep.inr");
		Files.writeString(out, "precious");
		final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
		try {
			// Pressed repeatedly: the monitor forgets an Esc pressed before the fit started.
			later.scheduleAtFixedRate(() -> IJ.setKeyDown(KeyEvent.VK_ESCAPE), 300, 200, TimeUnit.MILLISECONDS);
			final Map<String, Object> in = FijiTestSupport.fitInputs(FijiTestSupport.pattern8("p", 24, 24), out.toFile(),
					1_000_000);
			in.put("time", 120.0); // never hang the build
			final CommandModule m = FijiTestSupport.run(context, FitFieldCommand.class, in);
			assertTrue(m.isCanceled());
			assertTrue(m.getCancelReason().startsWith("Fit cancelled"), m.getCancelReason());
			assertEquals("precious", Files.readString(out));
		}
		finally {
			later.shutdownNow();
		}
	}

	@Test
	void plotsDrawOffScreenWithOrWithoutPoints() {
		final FitMonitorWindow.Series loss = new FitMonitorWindow.Series();
		double[][] s = loss.snapshot();
		ImageProcessor ip = FitMonitorWindow.plot("Training loss", "loss", s[0], s[1], true, 5000);
		assertEquals(FitMonitorWindow.PLOT_WIDTH, ip.getWidth());
		for (int i = 1; i <= 5000; i++) loss.add(i, Math.exp(-i / 500.0));
		s = loss.snapshot();
		ip = FitMonitorWindow.plot("Training loss", "loss", s[0], s[1], true, 5000);
		assertEquals(FitMonitorWindow.PLOT_WIDTH, ip.getWidth());
		assertEquals(FitMonitorWindow.PLOT_HEIGHT, ip.getHeight());
	}

	@Test
	void aLongCurveIsThinnedKeepingItsEnds() {
		final FitMonitorWindow.Series series = new FitMonitorWindow.Series();
		for (int i = 1; i <= 12345; i++) series.add(i, 2 * i);
		final double[][] s = series.snapshot();
		assertEquals(FitMonitorWindow.MAX_POINTS, s[0].length);
		assertEquals(1, s[0][0]);
		assertEquals(12345, s[0][s[0].length - 1]);
		assertEquals(2 * 12345, s[1][s[1].length - 1]);
		assertEquals(24690, series.last());
	}
}
