package sc.fiji.inr.tasks.superres;

import java.util.Arrays;

import sc.fiji.inr.image.Axis;
import sc.fiji.inr.image.CalibratedImage;
import sc.fiji.inr.image.NiftiHeader;

/**
 * Where the voxels of one acquired stack sit in the world: an affine map from voxel indices
 * (i, j[, k]) — voxel centres at integer indices — to world coordinates in millimetres (or the
 * image's length unit), as a NIfTI sform does.
 * <p>
 * Column {@code d} of the matrix is the world step from one voxel to the next along index axis
 * {@code d}: its length is the voxel spacing, its direction the axis direction. For a thick-slice
 * stack the last index axis is the slice direction.
 *
 * @param size   voxels along each index axis (2 or 3 axes)
 * @param matrix row-major n × (n + 1) affine: world_r = Σ_c matrix[r][c] · index_c + matrix[r][n]
 */
public record StackGeometry(long[] size, double[][] matrix) {

	public StackGeometry {
		final int n = size.length;
		if (n < 2 || n > 3) throw new IllegalArgumentException("A stack has 2 or 3 spatial axes, not " + n);
		if (matrix.length != n) throw new IllegalArgumentException("Stack affine needs " + n + " rows, got " + matrix.length);
		final double[][] copy = new double[n][];
		for (int r = 0; r < n; r++) {
			if (matrix[r].length != n + 1)
				throw new IllegalArgumentException("Stack affine rows need " + (n + 1) + " values, got " + matrix[r].length);
			for (final double v : matrix[r])
				if (!Double.isFinite(v)) throw new IllegalArgumentException("Stack affine contains " + v);
			copy[r] = matrix[r].clone();
		}
		for (final long s : size)
			if (s < 1) throw new IllegalArgumentException("Stack size must be ≥ 1 along every axis, was " + Arrays.toString(size));
		matrix = copy;
		size = size.clone();
		if (Math.abs(determinant(matrix)) < 1e-12)
			throw new IllegalArgumentException("Stack affine is singular (voxel axes are parallel or of zero length)");
	}

	/** A stack whose index axes run along the world axes: spacing and origin (first voxel centre). */
	public static StackGeometry axisAligned(final long[] size, final double[] spacing, final double[] origin) {
		final int n = size.length;
		final double[][] m = new double[n][n + 1];
		for (int d = 0; d < n; d++) {
			m[d][d] = spacing[d];
			m[d][n] = origin[d];
		}
		return new StackGeometry(size, m);
	}

	/**
	 * The geometry a NIfTI header states for its first three axes (sform if set, else qform,
	 * else the bare voxel sizes), in millimetres. The data must be read in file order, as
	 * {@link sc.fiji.inr.image.NiftiReader} does.
	 */
	public static StackGeometry fromNifti(final NiftiHeader header) {
		final double[][] a = header.affine();
		final double mm = header.spatialScaleToMm();
		final int n = header.rank() >= 3 && header.size(3) > 1 ? 3 : 2;
		final long[] size = new long[n];
		final double[][] m = new double[n][n + 1];
		for (int d = 0; d < n; d++) size[d] = header.size(d + 1);
		for (int r = 0; r < n; r++) {
			for (int c = 0; c < n; c++) m[r][c] = a[r][c] * mm;
			m[r][n] = a[r][3] * mm;
		}
		return new StackGeometry(size, m);
	}

	/**
	 * The geometry of an ImageJ-style image, which has a calibration but no orientation: the
	 * image's x, y, z axes are placed along the world axes that {@code orientation} names.
	 */
	public static StackGeometry fromCalibration(final CalibratedImage<?> image, final Orientation orientation) {
		final int[] dims = spatialDimensions(image);
		final int n = dims.length;
		final long[] size = new long[n];
		final double[] spacing = new double[n], origin = new double[n];
		for (int i = 0; i < n; i++) {
			size[i] = image.pixels().dimension(dims[i]);
			spacing[i] = image.spacing()[dims[i]];
			origin[i] = image.origin()[dims[i]];
		}
		if (n == 2 || orientation == null) return axisAligned(size, spacing, origin);
		final int[] worldAxis = orientation.worldAxes();
		final double[][] m = new double[3][4];
		for (int i = 0; i < 3; i++) {
			m[worldAxis[i]][i] = spacing[i];
			m[worldAxis[i]][3] = origin[i];
		}
		return new StackGeometry(size, m);
	}

	/** Dimension indices of X, Y(, Z) in {@code image}; refuses a time axis. */
	static int[] spatialDimensions(final CalibratedImage<?> image) {
		if (image.dimensionOf(Axis.TIME) >= 0)
			throw new IllegalArgumentException("Image '" + image.name() + "' has a time axis; super-resolution takes 2D or 3D images"
					+ " (split the time points first)");
		final int x = image.dimensionOf(Axis.X), y = image.dimensionOf(Axis.Y), z = image.dimensionOf(Axis.Z);
		if (x < 0 || y < 0) throw new IllegalArgumentException("Image '" + image.name() + "' needs X and Y axes, has " + image.axes());
		return z < 0 ? new int[] { x, y } : new int[] { x, y, z };
	}

	public int numDimensions() {
		return size.length;
	}

	@Override
	public long[] size() {
		return size.clone();
	}

	@Override
	public double[][] matrix() {
		final double[][] copy = new double[matrix.length][];
		for (int r = 0; r < matrix.length; r++) copy[r] = matrix[r].clone();
		return copy;
	}

	public long voxels() {
		long v = 1;
		for (final long s : size) v *= s;
		return v;
	}

	/** Voxel spacing along index axis d: the length of column d. */
	public double spacing(final int d) {
		double s = 0;
		for (final double[] row : matrix) s += row[d] * row[d];
		return Math.sqrt(s);
	}

	/** Unit world direction of index axis d. */
	public double[] direction(final int d) {
		final double s = spacing(d);
		final double[] v = new double[matrix.length];
		for (int r = 0; r < v.length; r++) v[r] = matrix[r][d] / s;
		return v;
	}

	/** Writes the world position of (fractional) voxel index {@code index} into {@code world}. */
	public void toWorld(final double[] index, final double[] world) {
		final int n = matrix.length;
		for (int r = 0; r < n; r++) {
			double w = matrix[r][n];
			for (int c = 0; c < n; c++) w += matrix[r][c] * index[c];
			world[r] = w;
		}
	}

	/** The inverse map: world coordinates to fractional voxel indices. */
	public double[][] inverse() {
		final int n = matrix.length;
		final double[][] lin = new double[n][n];
		for (int r = 0; r < n; r++) lin[r] = Arrays.copyOf(matrix[r], n);
		final double[][] inv = invert(lin);
		final double[][] m = new double[n][n + 1];
		for (int r = 0; r < n; r++) {
			double t = 0;
			for (int c = 0; c < n; c++) {
				m[r][c] = inv[r][c];
				t -= inv[r][c] * matrix[c][n];
			}
			m[r][n] = t;
		}
		return m;
	}

	/** World bounding box {min, max} of the voxels' outer corners (voxel index ± 0.5). */
	public double[][] worldBounds() {
		final int n = matrix.length;
		final double[] lo = new double[n], hi = new double[n];
		Arrays.fill(lo, Double.POSITIVE_INFINITY);
		Arrays.fill(hi, Double.NEGATIVE_INFINITY);
		final double[] index = new double[n], world = new double[n];
		for (int corner = 0; corner < 1 << n; corner++) {
			for (int d = 0; d < n; d++) index[d] = ((corner >> d) & 1) == 0 ? -0.5 : size[d] - 0.5;
			toWorld(index, world);
			for (int d = 0; d < n; d++) {
				lo[d] = Math.min(lo[d], world[d]);
				hi[d] = Math.max(hi[d], world[d]);
			}
		}
		return new double[][] { lo, hi };
	}

	/** World position of the stack's centre (the middle of its voxel box). */
	public double[] centre() {
		final int n = matrix.length;
		final double[] index = new double[n], world = new double[n];
		for (int d = 0; d < n; d++) index[d] = (size[d] - 1) / 2.0;
		toWorld(index, world);
		return world;
	}

	/** True when the world boxes of the two stacks intersect with positive volume. */
	public boolean overlaps(final StackGeometry other) {
		if (other.numDimensions() != numDimensions()) return false;
		final double[][] a = worldBounds(), b = other.worldBounds();
		for (int d = 0; d < numDimensions(); d++)
			if (Math.min(a[1][d], b[1][d]) <= Math.max(a[0][d], b[0][d])) return false;
		return true;
	}

	/**
	 * The same voxels with an extra rigid motion applied in the world (x ↦ motion(x)): where the
	 * stack really was when its header says {@code this}.
	 */
	public StackGeometry moved(final RigidMotion motion) {
		final int n = matrix.length;
		final double[][] r = motion.rotationMatrix();
		final double[] t = motion.translation(), c = motion.centre();
		final double[][] m = new double[n][n + 1];
		for (int row = 0; row < n; row++) {
			for (int col = 0; col < n; col++) {
				double v = 0;
				for (int k = 0; k < n; k++) v += r[row][k] * matrix[k][col];
				m[row][col] = v;
			}
			double o = c[row] + t[row];
			for (int k = 0; k < n; k++) o += r[row][k] * (matrix[k][n] - c[k]);
			m[row][n] = o;
		}
		return new StackGeometry(size, m);
	}

	/** The 4 × 4 NIfTI sform of this (3D) stack. */
	public double[][] toSform() {
		final int n = matrix.length;
		final double[][] a = new double[4][4];
		for (int r = 0; r < n; r++) {
			for (int c = 0; c < n; c++) a[r][c] = matrix[r][c];
			a[r][3] = matrix[r][n];
		}
		if (n == 2) a[2][2] = 1;
		a[3][3] = 1;
		return a;
	}

	static double determinant(final double[][] m) {
		final int n = m.length;
		if (n == 2) return m[0][0] * m[1][1] - m[0][1] * m[1][0];
		return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
				+ m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
	}

	static double[][] invert(final double[][] m) {
		final int n = m.length;
		final double det = determinant(m);
		final double[][] inv = new double[n][n];
		if (n == 2) {
			inv[0][0] = m[1][1] / det;
			inv[0][1] = -m[0][1] / det;
			inv[1][0] = -m[1][0] / det;
			inv[1][1] = m[0][0] / det;
			return inv;
		}
		for (int r = 0; r < 3; r++)
			for (int c = 0; c < 3; c++) {
				// Cofactor of (c, r) over det: the adjugate's transpose.
				final int r1 = (c + 1) % 3, r2 = (c + 2) % 3, c1 = (r + 1) % 3, c2 = (r + 2) % 3;
				inv[r][c] = (m[r1][c1] * m[r2][c2] - m[r1][c2] * m[r2][c1]) / det;
			}
		return inv;
	}

	@Override
	public boolean equals(final Object o) {
		return o instanceof StackGeometry g && Arrays.equals(size, g.size) && Arrays.deepEquals(matrix, g.matrix);
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(size) * 31 + Arrays.deepHashCode(matrix);
	}

	@Override
	public String toString() {
		return "StackGeometry[size=" + Arrays.toString(size) + ", matrix=" + Arrays.deepToString(matrix) + "]";
	}
}
