package sc.fiji.inr.fiji;

import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.FlowLayout;
import java.awt.GridLayout;
import java.awt.event.KeyEvent;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.util.Arrays;
import java.util.Locale;

import javax.swing.BorderFactory;
import javax.swing.ImageIcon;
import javax.swing.JButton;
import javax.swing.JComponent;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JPanel;
import javax.swing.KeyStroke;
import javax.swing.SwingUtilities;
import javax.swing.Timer;
import javax.swing.WindowConstants;

import ij.gui.Plot;
import ij.process.ImageProcessor;
import sc.fiji.inr.fit.FitProgress;

/**
 * The window of a running fit: training loss (log scale) and evaluation PSNR against step, the
 * latest numbers, and Stop / Cancel buttons. Progress arrives on the compute thread and is only
 * recorded there; a Swing timer redraws a few times a second, so a fast fit is never slowed by
 * drawing.
 */
final class FitMonitorWindow {

	static final int PLOT_WIDTH = 480, PLOT_HEIGHT = 220;
	/** Most points drawn per curve: enough for a smooth line, cheap to draw at any fit length. */
	static final int MAX_POINTS = 2000;

	private final Series loss = new Series(), psnr = new Series();
	private volatile String text = "Starting…";
	private volatile long maxSteps = 1;
	private volatile boolean dirty;
	private JFrame frame;
	private JLabel lossView, psnrView, textView;
	private Timer timer;

	FitMonitorWindow(final String title, final Runnable onStop, final Runnable onCancel) {
		SwingUtilities.invokeLater(() -> build(title, onStop, onCancel));
	}

	void add(final FitProgress p) {
		maxSteps = Math.max(1, p.maxSteps());
		loss.add(p.step(), Math.max(p.loss(), 1e-12));
		if (!Double.isNaN(p.psnr())) psnr.add(p.step(), p.psnr());
		text = String.format(Locale.ROOT, "Step %d of %d · loss %.3g · PSNR %s · %.1f s", p.step(), p.maxSteps(), p.loss(),
				psnr.size() == 0 ? "–" : String.format(Locale.ROOT, "%.2f dB", psnr.last()), p.seconds());
		dirty = true;
	}

	void dispose() {
		SwingUtilities.invokeLater(() -> {
			if (timer != null) timer.stop();
			if (frame != null) frame.dispose();
		});
	}

	private void build(final String title, final Runnable onStop, final Runnable onCancel) {
		frame = new JFrame(title);
		frame.setDefaultCloseOperation(WindowConstants.DISPOSE_ON_CLOSE);
		lossView = new JLabel();
		psnrView = new JLabel();
		textView = new JLabel(text);
		final JPanel plots = new JPanel(new GridLayout(2, 1));
		plots.add(lossView);
		plots.add(psnrView);
		final JButton stop = new JButton("Stop");
		stop.setToolTipText("End the fit now and save the field as it is");
		stop.addActionListener(e -> {
			onStop.run();
			stop.setEnabled(false);
		});
		final JButton cancel = new JButton("Cancel");
		cancel.setToolTipText("End the fit now without saving");
		cancel.addActionListener(e -> onCancel.run());
		final JPanel buttons = new JPanel(new FlowLayout(FlowLayout.RIGHT));
		buttons.add(stop);
		buttons.add(cancel);
		final JPanel south = new JPanel(new BorderLayout());
		south.setBorder(BorderFactory.createEmptyBorder(4, 8, 4, 8));
		south.add(textView, BorderLayout.NORTH);
		south.add(buttons, BorderLayout.SOUTH);
		frame.getContentPane().add(plots, BorderLayout.CENTER);
		frame.getContentPane().add(south, BorderLayout.SOUTH);
		// Esc here does what Esc on an image window does: ImageJ only hears it in its own windows.
		frame.getRootPane().registerKeyboardAction(e -> onCancel.run(), KeyStroke.getKeyStroke(KeyEvent.VK_ESCAPE, 0),
				JComponent.WHEN_IN_FOCUSED_WINDOW);
		frame.addWindowListener(new WindowAdapter() {
			@Override
			public void windowClosing(final WindowEvent e) {
				onCancel.run();
			}
		});
		redraw();
		frame.pack();
		frame.setLocationByPlatform(true);
		frame.setVisible(true);
		timer = new Timer(250, e -> {
			if (dirty) redraw();
		});
		timer.start();
	}

	private void redraw() {
		dirty = false;
		final double[][] l = loss.snapshot(), q = psnr.snapshot();
		lossView.setIcon(new ImageIcon(plot("Training loss", "loss", l[0], l[1], true, maxSteps).getBufferedImage()));
		psnrView.setIcon(new ImageIcon(plot("Evaluation PSNR", "PSNR (dB)", q[0], q[1], false, maxSteps).getBufferedImage()));
		textView.setText(text);
	}

	/**
	 * One curve against step, drawn off screen (also headless). The step axis spans the whole
	 * budget, so the curve's length shows how far the fit has come.
	 */
	static ImageProcessor plot(final String title, final String yLabel, final double[] x, final double[] y,
			final boolean logY, final long maxSteps) {
		final Plot plot = new Plot(title, "step", yLabel);
		plot.setSize(PLOT_WIDTH, PLOT_HEIGHT);
		if (x.length == 0) {
			plot.setLimits(0, maxSteps, 0, 1);
			plot.addLabel(0.35, 0.5, "waiting for data…");
			return plot.getProcessor();
		}
		double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
		for (final double v : y) {
			lo = Math.min(lo, v);
			hi = Math.max(hi, v);
		}
		if (logY) {
			plot.setLogScaleY();
			lo /= 1.5;
			hi *= 1.5;
		}
		else {
			final double pad = Math.max(0.5, 0.05 * (hi - lo));
			lo -= pad;
			hi += pad;
		}
		plot.setColor(Color.BLUE);
		plot.add(x.length == 1 ? "circle" : "line", x, y);
		plot.setLimits(0, maxSteps, lo, hi);
		return plot.getProcessor();
	}

	/** A growing curve that keeps every point but hands out at most {@link #MAX_POINTS} of them. */
	static final class Series {
		private double[] x = new double[256], y = new double[256];
		private int n;

		synchronized void add(final double xv, final double yv) {
			if (n == x.length) {
				x = Arrays.copyOf(x, 2 * n);
				y = Arrays.copyOf(y, 2 * n);
			}
			x[n] = xv;
			y[n++] = yv;
		}

		synchronized int size() {
			return n;
		}

		synchronized double last() {
			return y[n - 1];
		}

		/** {x, y}, thinned to at most {@link #MAX_POINTS} evenly spaced points, the last one kept. */
		synchronized double[][] snapshot() {
			final int m = Math.min(n, MAX_POINTS);
			final double[] xs = new double[m], ys = new double[m];
			for (int i = 0; i < m; i++) {
				final int j = m == n ? i : (int) ((long) i * (n - 1) / (m - 1));
				xs[i] = x[j];
				ys[i] = y[j];
			}
			return new double[][] { xs, ys };
		}
	}
}
