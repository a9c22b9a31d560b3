package sc.fiji.inr.raster;

import java.util.LinkedHashMap;
import java.util.Map;

import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.cell.Cell;
import net.imglib2.img.cell.CellGrid;
import net.imglib2.img.cell.LazyCellImg;
import net.imglib2.type.numeric.real.FloatType;
import sc.fiji.inr.field.NeuralField;
import sc.fiji.inr.image.PixelType;

/**
 * A field rendered on a grid lazily: the grid is cut into cells, a cell is evaluated (all
 * channels at once, in one batch) the first time any of its pixels is read, and recently used
 * cells are kept in a bounded cache. A render larger than memory can thus be browsed (e.g. in
 * BigDataViewer) or streamed to disk cell by cell.
 * <p>
 * imglib2-cache is not on Maven Central, so the cache is a small access-ordered LRU map here.
 */
public final class LazyFieldImage {

	private final NeuralField field;
	private final RenderGrid grid;
	private final CellGrid cells;
	private final int channels;
	private final Map<Long, float[][]> cache;

	/**
	 * @param cellSize   pixels per cell edge (e.g. 64)
	 * @param cacheBytes memory the cache may hold
	 */
	public LazyFieldImage(final NeuralField field, final RenderGrid grid, final int cellSize, final long cacheBytes) {
		if (grid.numDimensions() != field.frame().numDimensions())
			throw new IllegalArgumentException("Render grid has " + grid.numDimensions() + " axes but the field has "
					+ field.frame().numDimensions());
		if (cellSize < 1) throw new IllegalArgumentException("Cell size must be ≥ 1, was " + cellSize);
		this.field = field;
		this.grid = grid;
		this.channels = field.spec().outChannels();
		final int[] cellDims = new int[grid.numDimensions()];
		long cellPixels = 1;
		for (int d = 0; d < cellDims.length; d++) {
			cellDims[d] = (int) Math.min(cellSize, grid.size()[d]);
			cellPixels *= cellDims[d];
		}
		cells = new CellGrid(grid.size(), cellDims);
		final long maxCells = Math.max(1, cacheBytes / (cellPixels * 4L * channels));
		cache = new LinkedHashMap<>(16, 0.75f, true) {
			@Override
			protected boolean removeEldestEntry(final Map.Entry<Long, float[][]> eldest) {
				return size() > maxCells;
			}
		};
	}

	public RenderGrid grid() {
		return grid;
	}

	public int channels() {
		return channels;
	}

	/** Channel {@code c} as an image over the grid (dimensions = the field's coordinate axes). */
	public LazyCellImg<FloatType, FloatArray> channel(final int c) {
		if (c < 0 || c >= channels) throw new IllegalArgumentException("Channel " + c + " does not exist");
		final LazyCellImg<FloatType, FloatArray> img = new LazyCellImg<>(cells, new FloatType(),
				index -> cell(index, c));
		return img;
	}

	private Cell<FloatArray> cell(final long index, final int channel) {
		final int n = grid.numDimensions();
		final long[] min = new long[n];
		final int[] dims = new int[n];
		cells.getCellDimensions(index, min, dims);
		return new Cell<>(dims, min, new FloatArray(values(index, min, dims)[channel]));
	}

	private float[][] values(final long index, final long[] min, final int[] dims) {
		synchronized (cache) {
			final float[][] cached = cache.get(index);
			if (cached != null) return cached;
		}
		final float[][] computed = compute(min, dims);
		synchronized (cache) {
			cache.put(index, computed);
		}
		return computed;
	}

	private float[][] compute(final long[] min, final int[] dims) {
		final int n = dims.length;
		int count = 1;
		for (final int d : dims) count *= d;
		final double[] points = new double[count * n];
		final double[] origin = grid.origin(), spacing = grid.spacing();
		for (int i = 0; i < count; i++) {
			int rest = i;
			for (int d = 0; d < n; d++) {
				points[i * n + d] = origin[d] + (min[d] + rest % dims[d]) * spacing[d];
				rest /= dims[d];
			}
		}
		final float[] values = field.evaluatePhysical(points, count);
		final PixelType type = field.source().pixelType();
		final float[][] out = new float[channels][count];
		for (int i = 0; i < count; i++)
			for (int c = 0; c < channels; c++) out[c][i] = (float) type.clamp(values[i * channels + c]);
		return out;
	}
}
