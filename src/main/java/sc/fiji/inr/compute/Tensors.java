package sc.fiji.inr.compute;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Creates tensors from Java arrays without leaking native memory.
 * <p>
 * Why not {@code manager.create(float[])}: DJL's PyTorch engine copies a Java array into a fresh
 * direct {@link ByteBuffer} and makes the tensor <em>alias</em> it; closing the tensor does not
 * free the buffer, only a garbage collection does. A fit creates tens of MB of such buffers per
 * step and the JVM collects them rarely, so a 2000-step fit grew to 13 GB of RSS. Here the data
 * goes through one reused direct buffer per compute thread and is cloned into memory PyTorch
 * owns (freed when the tensor closes); the aliasing view is closed at once.
 */
public final class Tensors {

	private static final ThreadLocal<ByteBuffer> STAGING = ThreadLocal.withInitial(() -> allocate(1 << 20));

	private Tensors() {}

	private static ByteBuffer allocate(final int bytes) {
		return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
	}

	private static ByteBuffer staging(final long bytes) {
		if (bytes > Integer.MAX_VALUE) throw new IllegalArgumentException("Tensor of " + bytes + " bytes is too large");
		ByteBuffer b = STAGING.get();
		if (b.capacity() < bytes) {
			b = allocate((int) Math.max(bytes, Math.min(Integer.MAX_VALUE, 2L * b.capacity())));
			STAGING.set(b);
		}
		b.clear();
		return b;
	}

	/** A float32 tensor of {@code shape} holding the first shape.size() values of {@code data}. */
	public static NDArray floats(final NDManager manager, final float[] data, final Shape shape) {
		final int n = Math.toIntExact(shape.size());
		final ByteBuffer b = staging(4L * n);
		b.asFloatBuffer().put(data, 0, n);
		return copyOf(manager, b, shape, DataType.FLOAT32);
	}

	/** An int32 tensor of {@code shape} holding the first shape.size() values of {@code data}. */
	public static NDArray ints(final NDManager manager, final int[] data, final Shape shape) {
		final int n = Math.toIntExact(shape.size());
		final ByteBuffer b = staging(4L * n);
		b.asIntBuffer().put(data, 0, n);
		return copyOf(manager, b, shape, DataType.INT32);
	}

	private static NDArray copyOf(final NDManager manager, final ByteBuffer staged, final Shape shape, final DataType type) {
		staged.limit(Math.toIntExact(shape.size() * type.getNumOfBytes()));
		try (NDArray view = manager.create(staged, shape, type)) {
			return view.duplicate();
		}
	}
}
