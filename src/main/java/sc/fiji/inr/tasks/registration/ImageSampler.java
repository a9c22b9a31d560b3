package sc.fiji.inr.tasks.registration;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import sc.fiji.inr.compute.Tensors;

/**
 * Differentiable bi/trilinear interpolation of an image at moving sample points, written for
 * DJL (which has no {@code grid_sample}): the corner indices come from {@code floor} in Java and
 * carry no gradient; the weights are DJL operations on the points, so the values are
 * differentiable with respect to the points (and through them, the transform).
 * <p>
 * Outside the grid the point is clamped to it (border values, zero gradient), and
 * {@link Samples#inside()} marks which points lay within half a voxel of the grid.
 */
public final class ImageSampler implements AutoCloseable {

	private final Volume volume;
	private final NDArray values; // [voxels, channels], held for the whole fit
	private final int dims;

	/** Copies {@code volume}'s values into {@code manager} (the fit's manager). */
	public ImageSampler(final Volume volume, final NDManager manager) {
		this.volume = volume;
		this.dims = volume.dims();
		final int v = volume.voxels(), c = volume.channels().length;
		final float[] interleaved = new float[Math.multiplyExact(v, c)];
		for (int ch = 0; ch < c; ch++)
			for (int i = 0; i < v; i++) interleaved[i * c + ch] = volume.channels()[ch][i];
		values = Tensors.floats(manager, interleaved, new Shape(v, c));
	}

	public Volume volume() {
		return volume;
	}

	/** Interpolated values [N, channels] and whether each point was inside [N] (1 or 0, constant). */
	public record Samples(NDArray values, NDArray inside) {}

	/** Samples at {@code voxel} coordinates [N, d] (continuous voxel indices, differentiable). */
	public Samples sample(final NDArray voxel) {
		final NDManager manager = voxel.getManager();
		final int n = Math.toIntExact(voxel.getShape().get(0));
		final int corners = 1 << dims;
		final long[] size = volume.size();
		final float[] p = voxel.toFloatArray();
		final float[] lower = new float[n * dims], inside = new float[n];
		final int[] rows = new int[n * corners];
		final float[] low = new float[dims], high = new float[dims];
		for (int k = 0; k < dims; k++) {
			low[k] = 0;
			high[k] = size[k] - 1;
		}
		final int[] base = new int[dims];
		for (int i = 0; i < n; i++) {
			boolean in = true;
			for (int k = 0; k < dims; k++) {
				final float q = p[i * dims + k];
				if (!(q >= -0.5f && q <= size[k] - 0.5f)) in = false;
				// Lower corner of the cell, so that the upper corner stays on the grid.
				final long b = Math.max(0, Math.min(size[k] - 2, (long) Math.floor(Math.max(low[k], Math.min(high[k], q)))));
				base[k] = (int) b;
				lower[i * dims + k] = b;
			}
			inside[i] = in ? 1 : 0;
			for (int c = 0; c < corners; c++) {
				long index = 0, stride = 1;
				for (int k = 0; k < dims; k++) {
					index += (base[k] + ((c >> k) & 1)) * stride;
					stride *= size[k];
				}
				rows[i * corners + c] = (int) index;
			}
		}
		final NDArray lowTensor = Tensors.floats(manager, low, new Shape(1, dims));
		final NDArray highTensor = Tensors.floats(manager, high, new Shape(1, dims));
		// Clamp to the grid (the gradient stops outside), then the fraction within the cell.
		final NDArray clamped = voxel.maximum(lowTensor).minimum(highTensor);
		final NDArray frac = clamped.sub(Tensors.floats(manager, lower, new Shape(n, dims)));
		NDArray w = null;
		for (int k = 0; k < dims; k++) {
			final NDArray f = frac.get(new NDIndex(":, {}:{}", k, k + 1));             // [N, 1]
			final NDArray pair = f.neg().add(1f).concat(f, 1);                         // [N, 2]
			w = w == null ? pair : pair.expandDims(2).mul(w.expandDims(1)).reshape(n, -1);
		}
		final NDArray gathered = values.get(new NDIndex("{}", Tensors.ints(manager, rows, new Shape(n * corners))));
		gathered.attach(manager);
		final int channels = volume.channels().length;
		final NDArray out = w.reshape(n, 1, corners).batchMatMul(gathered.reshape(n, corners, channels)).reshape(n, channels);
		return new Samples(out, Tensors.floats(manager, inside, new Shape(n)));
	}

	@Override
	public void close() {
		values.close();
	}
}
