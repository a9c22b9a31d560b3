package sc.fiji.inr.tasks.registration;

import java.util.Arrays;
import java.util.Locale;

/**
 * An affine map of physical points, x ↦ M x + t, in the registration convention: it maps a
 * point of the fixed image into the moving image. Written and read as "m00 m01 t0; m10 m11 t1"
 * (rows of [M | t], separated by semicolons), as it appears in a field file and in macros.
 */
public record Affine(double[][] matrix, double[] translation) {

	public Affine {
		final int d = translation.length;
		if (d < 2 || d > 3) throw new IllegalArgumentException("An affine map has 2 or 3 dimensions, not " + d);
		if (matrix.length != d) throw new IllegalArgumentException("Affine matrix must be " + d + "×" + d);
		final double[][] copy = new double[d][];
		for (int i = 0; i < d; i++) {
			if (matrix[i].length != d) throw new IllegalArgumentException("Affine matrix must be " + d + "×" + d);
			copy[i] = matrix[i].clone();
			for (final double v : copy[i]) if (!Double.isFinite(v)) throw new IllegalArgumentException("Affine matrix has a non-finite entry");
		}
		for (final double v : translation) if (!Double.isFinite(v)) throw new IllegalArgumentException("Affine translation is not finite");
		matrix = copy;
		translation = translation.clone();
	}

	public static Affine identity(final int d) {
		final double[][] m = new double[d][d];
		for (int i = 0; i < d; i++) m[i][i] = 1;
		return new Affine(m, new double[d]);
	}

	/** A translation by {@code t}. */
	public static Affine translation(final double... t) {
		final Affine id = identity(t.length);
		return new Affine(id.matrix, t);
	}

	/** Parses {@link #toString()}'s form; 2 rows of 3 numbers (2D) or 3 rows of 4 (3D). */
	public static Affine parse(final String text) {
		final String[] rows = text.trim().split("\\s*;\\s*");
		final int d = rows.length;
		if (d < 2 || d > 3)
			throw new IllegalArgumentException("Affine '" + text + "' must have 2 or 3 rows of [M | t] separated by ';'");
		final double[][] m = new double[d][d];
		final double[] t = new double[d];
		for (int i = 0; i < d; i++) {
			final String[] v = rows[i].trim().split("[\\s,]+");
			if (v.length != d + 1)
				throw new IllegalArgumentException("Affine row '" + rows[i] + "' must have " + (d + 1) + " numbers (" + d + " of M, then t)");
			try {
				for (int j = 0; j < d; j++) m[i][j] = Double.parseDouble(v[j]);
				t[i] = Double.parseDouble(v[d]);
			}
			catch (final NumberFormatException e) {
				throw new IllegalArgumentException("Affine row '" + rows[i] + "' holds something that is not a number");
			}
		}
		return new Affine(m, t);
	}

	public int dims() {
		return translation.length;
	}

	@Override
	public double[][] matrix() {
		final double[][] copy = new double[matrix.length][];
		for (int i = 0; i < copy.length; i++) copy[i] = matrix[i].clone();
		return copy;
	}

	@Override
	public double[] translation() {
		return translation.clone();
	}

	/** Maps {@code x} in place. */
	public void apply(final double[] x) {
		final int d = dims();
		final double[] y = new double[d];
		for (int i = 0; i < d; i++) {
			double v = translation[i];
			for (int j = 0; j < d; j++) v += matrix[i][j] * x[j];
			y[i] = v;
		}
		System.arraycopy(y, 0, x, 0, d);
	}

	public double determinant() {
		return determinant(matrix);
	}

	/** Determinant of a 2×2 or 3×3 matrix. */
	static double determinant(final double[][] m) {
		return m.length == 2 ? m[0][0] * m[1][1] - m[0][1] * m[1][0]
				: m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
						+ m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
	}

	@Override
	public String toString() {
		final StringBuilder s = new StringBuilder();
		for (int i = 0; i < dims(); i++) {
			if (i > 0) s.append("; ");
			for (int j = 0; j < dims(); j++) s.append(String.format(Locale.ROOT, "%.9g ", matrix[i][j]));
			s.append(String.format(Locale.ROOT, "%.9g", translation[i]));
		}
		return s.toString();
	}

	@Override
	public boolean equals(final Object o) {
		return o instanceof Affine a && Arrays.deepEquals(matrix, a.matrix) && Arrays.equals(translation, a.translation);
	}

	@Override
	public int hashCode() {
		return Arrays.deepHashCode(matrix) * 31 + Arrays.hashCode(translation);
	}
}
