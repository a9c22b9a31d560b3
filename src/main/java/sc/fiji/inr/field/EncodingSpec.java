package sc.fiji.inr.field;

/**
 * How coordinates are lifted before the network. Immutable description, stored in field files.
 * Each variant validates its parameters so that a bad value is reported where it was given.
 */
public sealed interface EncodingSpec permits EncodingSpec.None, EncodingSpec.FourierFeatures,
		EncodingSpec.Positional, EncodingSpec.HashGrid {

	/** Short name used in files, options and macros. */
	String kind();

	/** Number of values the encoding produces per point for {@code inDims} input coordinates. */
	int outputDims(int inDims);

	/** Coordinates are passed to the network unchanged (use with SIREN). */
	record None() implements EncodingSpec {
		@Override public String kind() { return "none"; }
		@Override public int outputDims(final int inDims) { return inDims; }
	}

	/**
	 * Gaussian random Fourier features (Tancik et al. 2020): [cos 2πBx, sin 2πBx] with
	 * B ~ N(0, σ²), x in [-1, 1]. σ sets the bandwidth the network can represent.
	 */
	record FourierFeatures(int count, double sigma) implements EncodingSpec {
		public FourierFeatures {
			if (count < 1) throw new IllegalArgumentException("Fourier feature count must be ≥ 1, was " + count);
			if (!(sigma > 0) || !Double.isFinite(sigma))
				throw new IllegalArgumentException("Fourier feature σ must be positive, was " + sigma);
		}
		@Override public String kind() { return "fourier"; }
		@Override public int outputDims(final int inDims) { return 2 * count; }
	}

	/** NeRF positional encoding: x and sin/cos(2^k π x) for k = 0 … frequencies−1. */
	record Positional(int frequencies) implements EncodingSpec {
		public Positional {
			if (frequencies < 1 || frequencies > 24)
				throw new IllegalArgumentException("Positional encoding frequencies must be in 1..24, was " + frequencies);
		}
		@Override public String kind() { return "positional"; }
		@Override public int outputDims(final int inDims) { return inDims * (1 + 2 * frequencies); }
	}

	/**
	 * Multi-resolution hash grid (Müller et al. 2022, Instant-NGP): {@code levels} grids whose
	 * resolution grows geometrically from {@code coarsest} to {@code finest} cells across the
	 * field's domain; each level stores {@code featuresPerLevel} values per vertex in a table of
	 * at most 2^{@code log2TableSize} rows (dense when the grid fits, spatially hashed otherwise).
	 */
	record HashGrid(int levels, int featuresPerLevel, int log2TableSize, int coarsest, int finest)
			implements EncodingSpec {
		public HashGrid {
			if (levels < 1 || levels > 32)
				throw new IllegalArgumentException("Hash grid levels must be in 1..32, was " + levels);
			if (featuresPerLevel < 1 || featuresPerLevel > 16)
				throw new IllegalArgumentException("Hash grid features per level must be in 1..16, was " + featuresPerLevel);
			if (log2TableSize < 8 || log2TableSize > 24)
				throw new IllegalArgumentException("Hash grid log2 table size must be in 8..24, was " + log2TableSize);
			if (coarsest < 1) throw new IllegalArgumentException("Hash grid coarsest resolution must be ≥ 1, was " + coarsest);
			if (finest < coarsest)
				throw new IllegalArgumentException("Hash grid finest resolution (" + finest
						+ ") must be ≥ coarsest resolution (" + coarsest + ")");
		}
		@Override public String kind() { return "hashgrid"; }
		@Override public int outputDims(final int inDims) { return levels * featuresPerLevel; }

		/** Grid resolution (cells per unit domain) of level {@code l}. */
		public int resolution(final int l) {
			if (levels == 1) return coarsest;
			final double growth = Math.exp((Math.log(finest) - Math.log(coarsest)) / (levels - 1));
			return (int) Math.floor(coarsest * Math.pow(growth, l) + 1e-9);
		}
	}
}
