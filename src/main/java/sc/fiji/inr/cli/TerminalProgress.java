package sc.fiji.inr.cli;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicBoolean;

import sc.fiji.inr.fit.FitListener;
import sc.fiji.inr.fit.FitProgress;

/**
 * A progress bar on the terminal (stderr, redrawn in place when it is a console, one line per
 * update at most every few seconds otherwise, so logs stay readable). Cancelled by Ctrl-C via a
 * shutdown hook that lets the current step finish.
 */
final class TerminalProgress implements FitListener {

	private final PrintStream out;
	private final boolean console;
	private final AtomicBoolean cancelled = new AtomicBoolean();
	private long lastDraw;
	private double lastPsnr = Double.NaN;

	TerminalProgress(final PrintStream out) {
		this.out = out;
		this.console = System.console() != null;
	}

	void cancel() {
		cancelled.set(true);
	}

	@Override
	public boolean isCancelled() {
		return cancelled.get();
	}

	@Override
	public void progress(final FitProgress p) {
		if (!Double.isNaN(p.psnr())) lastPsnr = p.psnr();
		final long now = System.nanoTime();
		final boolean done = p.fraction() >= 1;
		if (!done && now - lastDraw < (console ? 200_000_000L : 5_000_000_000L)) return;
		lastDraw = now;
		final int width = 30, filled = (int) Math.round(Math.min(1, p.fraction()) * width);
		final String bar = "#".repeat(filled) + "-".repeat(width - filled);
		final String line = String.format("[%s] %3.0f%%  step %d  loss %.3g  PSNR %s  %.1f s", bar, 100 * Math.min(1, p.fraction()),
				p.step(), p.loss(), Double.isNaN(lastPsnr) ? "  -  " : String.format("%.2f dB", lastPsnr), p.seconds());
		if (console) out.print("\r" + line + (done ? "\n" : ""));
		else out.println(line);
		out.flush();
	}

	/** Ends a redrawn line. */
	void finish() {
		if (console) out.println();
	}
}
