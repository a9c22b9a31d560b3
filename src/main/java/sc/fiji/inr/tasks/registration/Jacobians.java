package sc.fiji.inr.tasks.registration;

import ai.djl.ndarray.NDArray;

/**
 * Pointwise functions of a deformation gradient F (d×d entries, each an [N] array): its
 * determinant and IDIR's hyperelastic energy (after Burger, Modersitzki and Ruthotto 2013):
 * ½‖F − I‖² (length) + Σ_rows max(‖cof F row‖² − 1, 0)² (area) + (det F − 1)⁴ / det F² (volume),
 * averaged over the points.
 */
final class Jacobians {

	private Jacobians() {}

	static NDArray determinant(final NDArray[][] f) {
		if (f.length == 2) return f[0][0].mul(f[1][1]).sub(f[0][1].mul(f[1][0]));
		return f[0][0].mul(f[1][1].mul(f[2][2]).sub(f[1][2].mul(f[2][1])))
				.sub(f[0][1].mul(f[1][0].mul(f[2][2]).sub(f[1][2].mul(f[2][0]))))
				.add(f[0][2].mul(f[1][0].mul(f[2][1]).sub(f[1][1].mul(f[2][0]))));
	}

	/** Cofactor matrix entries. */
	static NDArray[][] cofactors(final NDArray[][] f) {
		final int d = f.length;
		final NDArray[][] c = new NDArray[d][d];
		if (d == 2) {
			c[0][0] = f[1][1];
			c[0][1] = f[1][0].neg();
			c[1][0] = f[0][1].neg();
			c[1][1] = f[0][0];
			return c;
		}
		for (int i = 0; i < 3; i++)
			for (int j = 0; j < 3; j++) {
				final int i1 = (i + 1) % 3, i2 = (i + 2) % 3, j1 = (j + 1) % 3, j2 = (j + 2) % 3;
				c[i][j] = f[i1][j1].mul(f[i2][j2]).sub(f[i1][j2].mul(f[i2][j1]));
			}
		return c;
	}

	static NDArray hyperelastic(final NDArray[][] f, final NDArray det) {
		final int d = f.length;
		NDArray length = null;
		for (int i = 0; i < d; i++)
			for (int k = 0; k < d; k++) {
				final NDArray g = i == k ? f[i][k].sub(1f) : f[i][k];
				length = length == null ? g.square() : length.add(g.square());
			}
		final NDArray[][] c = cofactors(f);
		NDArray area = null;
		for (int i = 0; i < d; i++) {
			NDArray row = null;
			for (int k = 0; k < d; k++) row = row == null ? c[i][k].square() : row.add(c[i][k].square());
			final NDArray excess = row.sub(1f).maximum(0f).square();
			area = area == null ? excess : area.add(excess);
		}
		// Clamp det² away from 0: the volume term is meant to explode there, not to be NaN.
		final NDArray volume = det.sub(1f).pow(4f).div(det.square().maximum(1e-6f));
		return length.mul(0.5f).add(area).add(volume).mean();
	}
}
