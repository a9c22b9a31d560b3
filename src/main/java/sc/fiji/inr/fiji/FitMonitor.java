package sc.fiji.inr.fiji;

import java.awt.GraphicsEnvironment;
import java.nio.file.Path;
import java.util.Locale;

import org.scijava.Context;
import org.scijava.app.StatusService;
import org.scijava.log.LogService;
import org.scijava.ui.UIService;

import ij.IJ;
import sc.fiji.inr.fit.FitListener;
import sc.fiji.inr.fit.FitProgress;
import sc.fiji.inr.fit.FitResult;

/**
 * Shows a running fit and carries the user's wish to end it back to the engine. The engine calls
 * {@link #progress} on its compute thread after every step, so each call only records and
 * throttles: the status bar is updated at most 10 times a second, the headless log once a second,
 * and the window redraws on the Swing event thread.
 * <p>
 * Two ways to end a fit early: <em>stop</em> keeps the field fitted so far (the fit was good
 * enough), <em>cancel</em> (button, closing the window, or Esc) discards it.
 */
public final class FitMonitor implements FitListener, AutoCloseable {

	private static final long STATUS_NANOS = 100_000_000L, LOG_NANOS = 1_000_000_000L;

	private final String title;
	private final StatusService status;
	private final LogService log;
	private final FitMonitorWindow window;
	private volatile boolean stopped, discarded;
	private long lastStatus, lastLog;
	private double lastPsnr = Double.NaN;
	private long lastPsnrStep;

	FitMonitor(final String title, final StatusService status, final LogService log, final boolean window) {
		this.title = title;
		this.status = status;
		this.log = log;
		this.window = window ? new FitMonitorWindow(title, this::stop, this::cancel) : null;
		lastStatus = lastLog = System.nanoTime() - LOG_NANOS; // the first step is reported
		IJ.resetEscape();
	}

	/** A monitor for {@code context}'s status bar and log, with a window when a user can see one. */
	public static FitMonitor start(final Context context, final String title) {
		return new FitMonitor(title, context.getService(StatusService.class), context.getService(LogService.class),
				hasScreen(context));
	}

	static boolean hasScreen(final Context context) {
		if (GraphicsEnvironment.isHeadless()) return false;
		final UIService ui = context.getService(UIService.class);
		return IJ.getInstance() != null || ui != null && !ui.isHeadless() && ui.isVisible();
	}

	@Override
	public void progress(final FitProgress p) {
		if (!Double.isNaN(p.psnr())) {
			lastPsnr = p.psnr();
			lastPsnrStep = p.step();
		}
		final long now = System.nanoTime();
		if (status != null && now - lastStatus >= STATUS_NANOS) {
			lastStatus = now;
			status.showStatus((int) Math.round(1000 * p.fraction()), 1000, title + ": " + line(p));
		}
		if (window != null) window.add(p);
		else if (log != null && now - lastLog >= LOG_NANOS) {
			lastLog = now;
			log.info(title + ": " + line(p));
		}
	}

	@Override
	public boolean isCancelled() {
		if (IJ.escapePressed()) discarded = true;
		return stopped || discarded;
	}

	/** Ends the fit after the current step, keeping the field. */
	public void stop() {
		stopped = true;
	}

	/** Ends the fit after the current step; the caller discards the field. */
	public void cancel() {
		discarded = true;
	}

	public boolean discarded() {
		return discarded;
	}

	/** Reports the outcome once, in the log, where a batch user looks for it. */
	public void finished(final FitResult result, final Path savedTo) {
		if (log != null)
			log.info(String.format(Locale.ROOT, "%s: %d steps, PSNR %.2f dB, %.1f s, stopped by %s; saved %s", title,
					result.steps(), result.psnr(), result.seconds(), result.stopDescription(), savedTo));
	}

	String line(final FitProgress p) {
		return String.format(Locale.ROOT, "step %d/%d (%.0f%%), loss %.3g, PSNR %.2f dB at step %d, %.1f s", p.step(),
				p.maxSteps(), 100 * p.fraction(), p.loss(), lastPsnr, lastPsnrStep, p.seconds());
	}

	@Override
	public void close() {
		if (status != null) status.clearStatus();
		if (window != null) window.dispose();
	}
}
