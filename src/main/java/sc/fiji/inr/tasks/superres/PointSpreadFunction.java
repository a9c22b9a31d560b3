package sc.fiji.inr.tasks.superres;

import java.util.Arrays;
import java.util.List;

/**
 * A voxel's point-spread function as a product of one {@link SliceProfile} per index axis,
 * integrated by a product of stratified quadrature rules: {@code nodes[d]} nodes along axis d,
 * all points of equal weight.
 *
 * @param profiles one profile per index axis of the stack (in-plane first, slice axis last)
 * @param nodes    quadrature nodes per axis (≥ 1; 1 for a delta profile)
 */
public record PointSpreadFunction(List<SliceProfile> profiles, int[] nodes) {

	/** At most this many nodes along one axis: beyond it fitting time grows with no gain. */
	public static final int MAX_NODES_PER_AXIS = 8;

	public PointSpreadFunction {
		profiles = List.copyOf(profiles);
		if (nodes.length != profiles.size())
			throw new IllegalArgumentException("Need one node count per profile: " + profiles.size() + " profiles, "
					+ nodes.length + " counts");
		nodes = nodes.clone();
		for (int d = 0; d < nodes.length; d++) {
			if (profiles.get(d).isDelta()) nodes[d] = 1;
			if (nodes[d] < 1 || nodes[d] > 64)
				throw new IllegalArgumentException("Quadrature nodes per axis must be 1..64, was " + nodes[d]);
		}
	}

	/**
	 * The usual model of a stack: a box over one voxel in-plane (a delta where the in-plane
	 * spacing is no coarser than {@code resolution}) and {@code slice} along the last index axis of
	 * a 3D stack; node counts chosen so that nodes are at most about {@code resolution} apart
	 * (the voxel size one wants to recover), between 1 and {@link #MAX_NODES_PER_AXIS}.
	 */
	public static PointSpreadFunction forStack(final StackGeometry geometry, final SliceProfile slice,
			final double resolution) {
		final int n = geometry.numDimensions();
		final SliceProfile[] p = new SliceProfile[n];
		final int[] k = new int[n];
		for (int d = 0; d < n; d++) {
			// In-plane, a box over one voxel matters only where the stack's voxels are coarser than
			// the output's: a box no wider than an output voxel is not resolved by the output grid,
			// and sampling it would only blur the field (and add noise) below the resolution asked for.
			final boolean slice3d = d == n - 1 && n == 3;
			final double spacing = geometry.spacing(d);
			p[d] = slice3d ? slice : SliceProfile.box(spacing > resolution * (1 + 1e-6) ? spacing : 0);
			// One node per output voxel across the profile's width (FWHM for a Gaussian): the nodes
			// are stratified and jittered, so fewer nodes add variance, not bias, and more cost
			// time in proportion.
			k[d] = (int) Math.max(1, Math.min(MAX_NODES_PER_AXIS, Math.ceil(p[d].width() / resolution - 1e-9)));
		}
		return new PointSpreadFunction(Arrays.asList(p), k);
	}

	public int numDimensions() {
		return nodes.length;
	}

	@Override
	public int[] nodes() {
		return nodes.clone();
	}

	/** Quadrature points per voxel: the product of the per-axis node counts. */
	public int points() {
		int p = 1;
		for (final int k : nodes) p *= k;
		return p;
	}

	/**
	 * Offsets (physical, along the index axes) of all quadrature points of one voxel into
	 * {@code out[point * n + d]}; {@code u} gives the fraction within each stratum per point and
	 * axis ({@code u[point * n + d]}), or null for the symmetric rule (all ½).
	 */
	public void offsets(final double[] u, final double[] out) {
		final int n = nodes.length, points = points();
		for (int p = 0; p < points; p++) {
			int rest = p;
			for (int d = 0; d < n; d++) {
				final int k = rest % nodes[d];
				rest /= nodes[d];
				out[p * n + d] = profiles.get(d).offset(k, nodes[d], u == null ? 0.5 : u[p * n + d]);
			}
		}
	}

	@Override
	public boolean equals(final Object o) {
		return o instanceof PointSpreadFunction f && profiles.equals(f.profiles) && Arrays.equals(nodes, f.nodes);
	}

	@Override
	public int hashCode() {
		return profiles.hashCode() * 31 + Arrays.hashCode(nodes);
	}

	@Override
	public String toString() {
		return "PSF" + profiles + " nodes " + Arrays.toString(nodes);
	}
}
