package sc.fiji.inr.tasks.superres;

import java.util.Locale;

/**
 * A rigid motion of world space about a centre: x ↦ R (x − c) + c + t, with R = Rz · Ry · Rx
 * built from rotations about the world axes. In 2D only the rotation about z applies.
 *
 * @param rotationDegrees rotation about x, y, z in degrees
 * @param translation     world shift (mm) along x, y, z
 * @param centre          the world point the rotation turns about (a stack's centre)
 */
public record RigidMotion(double[] rotationDegrees, double[] translation, double[] centre) {

	public RigidMotion {
		if (rotationDegrees.length != 3) throw new IllegalArgumentException("A rigid motion has 3 rotation angles");
		if (translation.length != centre.length || translation.length < 2 || translation.length > 3)
			throw new IllegalArgumentException("Translation and centre need 2 or 3 values alike");
		rotationDegrees = rotationDegrees.clone();
		translation = translation.clone();
		centre = centre.clone();
	}

	public static RigidMotion identity(final int dims) {
		return new RigidMotion(new double[3], new double[dims], new double[dims]);
	}

	public int numDimensions() {
		return translation.length;
	}

	@Override
	public double[] rotationDegrees() {
		return rotationDegrees.clone();
	}

	@Override
	public double[] translation() {
		return translation.clone();
	}

	@Override
	public double[] centre() {
		return centre.clone();
	}

	/** R as an n × n matrix (n = 2 or 3). */
	public double[][] rotationMatrix() {
		return rotation(Math.toRadians(rotationDegrees[0]), Math.toRadians(rotationDegrees[1]),
				Math.toRadians(rotationDegrees[2]), numDimensions());
	}

	/** Rz(c) · Ry(b) · Rx(a) (the same formula the pose objective builds in DJL). */
	static double[][] rotation(final double a, final double b, final double c, final int dims) {
		final double ca = Math.cos(a), sa = Math.sin(a), cb = Math.cos(b), sb = Math.sin(b), cc = Math.cos(c), sc = Math.sin(c);
		if (dims == 2) return new double[][] { { cc, -sc }, { sc, cc } };
		return new double[][] { { cb * cc, sa * sb * cc - ca * sc, ca * sb * cc + sa * sc },
				{ cb * sc, sa * sb * sc + ca * cc, ca * sb * sc - sa * cc }, { -sb, sa * cb, ca * cb } };
	}

	/** Applies the motion to {@code world} in place. */
	public void apply(final double[] world) {
		final double[][] r = rotationMatrix();
		final int n = numDimensions();
		final double[] q = new double[n];
		for (int i = 0; i < n; i++) q[i] = world[i] - centre[i];
		for (int i = 0; i < n; i++) {
			double v = centre[i] + translation[i];
			for (int k = 0; k < n; k++) v += r[i][k] * q[k];
			world[i] = v;
		}
	}

	/** Largest displacement the motion causes within {@code radius} of its centre (mm). */
	public double maxDisplacement(final double radius) {
		// |R q + t − q| ≤ |t| + |R − I|·|q|, and |R − I| = 2 sin(θ/2) for the total angle θ.
		final double[][] r = rotationMatrix();
		double trace = 0;
		for (int i = 0; i < numDimensions(); i++) trace += r[i][i];
		final double cosTheta = numDimensions() == 3 ? (trace - 1) / 2 : trace / 2;
		final double theta = Math.acos(Math.max(-1, Math.min(1, cosTheta)));
		double t = 0;
		for (final double v : translation) t += v * v;
		return Math.sqrt(t) + 2 * Math.sin(theta / 2) * radius;
	}

	@Override
	public String toString() {
		return String.format(Locale.ROOT, "rotation (%.2f, %.2f, %.2f)°, translation (%s) mm", rotationDegrees[0],
				rotationDegrees[1], rotationDegrees[2], join(translation));
	}

	private static String join(final double[] v) {
		final StringBuilder s = new StringBuilder();
		for (int i = 0; i < v.length; i++) s.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", v[i]));
		return s.toString();
	}
}
