package sc.fiji.inr.tasks.registration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Corresponding points of the fixed and the moving image, in physical units, for the target
 * registration error (TRE): the distance between a mapped fixed landmark φ(x_f) and its moving
 * counterpart x_m, before (φ = identity) and after registration.
 */
public record Landmarks(double[][] fixed, double[][] moving) {

	public Landmarks {
		if (fixed.length != moving.length)
			throw new IllegalArgumentException("Landmark count mismatch: " + fixed.length + " fixed and " + moving.length + " moving landmarks");
		if (fixed.length == 0) throw new IllegalArgumentException("No landmarks given");
		final int d = fixed[0].length;
		for (final double[][] set : new double[][][] { fixed, moving })
			for (final double[] p : set)
				if (p.length != d) throw new IllegalArgumentException("Landmarks mix " + d + " and " + p.length + " coordinates");
	}

	/**
	 * Reads a CSV or whitespace-separated file of one point per line, x, y(, z) in physical
	 * units; a first line that is not numeric (a header) is skipped, and so is a leading index
	 * column when a row has one number more than {@code dims}.
	 */
	public static double[][] read(final Path path, final int dims) throws IOException {
		final List<double[]> points = new ArrayList<>();
		int line = 0;
		for (final String raw : Files.readAllLines(path)) {
			line++;
			final String s = raw.trim();
			if (s.isEmpty() || s.startsWith("#")) continue;
			final String[] parts = s.split("[,;\\s]+");
			final double[] v = new double[parts.length];
			try {
				for (int i = 0; i < parts.length; i++) v[i] = Double.parseDouble(parts[i].replace("\"", ""));
			}
			catch (final NumberFormatException e) {
				if (points.isEmpty() && line == 1) continue; // header
				throw new IOException("Landmark file " + path.getFileName() + ", line " + line + ": '" + s + "' is not a list of numbers");
			}
			if (v.length != dims && v.length != dims + 1)
				throw new IOException("Landmark file " + path.getFileName() + ", line " + line + ": expected " + dims + " coordinates, got " + v.length);
			final double[] p = new double[dims];
			System.arraycopy(v, v.length - dims, p, 0, dims);
			for (final double c : p)
				if (!Double.isFinite(c)) throw new IOException("Landmark file " + path.getFileName() + ", line " + line + " has a non-finite coordinate");
			points.add(p);
		}
		return points.toArray(new double[0][]);
	}

	/** Mean and maximum TRE before (identity) and after {@code t}: {meanBefore, maxBefore, meanAfter, maxAfter}. */
	public double[] targetRegistrationError(final DeformationTransform t) {
		final int d = fixed[0].length, n = fixed.length;
		if (d != t.dims()) throw new IllegalArgumentException("Landmarks have " + d + " coordinates but the transform is " + t.dims() + "D");
		final double[] mapped = new double[n * d];
		for (int i = 0; i < n; i++) System.arraycopy(fixed[i], 0, mapped, i * d, d);
		t.map(mapped, n);
		double mb = 0, xb = 0, ma = 0, xa = 0;
		for (int i = 0; i < n; i++) {
			double before = 0, after = 0;
			for (int k = 0; k < d; k++) {
				before += Math.pow(fixed[i][k] - moving[i][k], 2);
				after += Math.pow(mapped[i * d + k] - moving[i][k], 2);
			}
			mb += Math.sqrt(before) / n;
			ma += Math.sqrt(after) / n;
			xb = Math.max(xb, Math.sqrt(before));
			xa = Math.max(xa, Math.sqrt(after));
		}
		return new double[] { mb, xb, ma, xa };
	}
}
