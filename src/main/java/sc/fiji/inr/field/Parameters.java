package sc.fiji.inr.field;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import sc.fiji.inr.compute.Tensors;

/**
 * The named tensors of a field, in a fixed order: trainable weights and fixed buffers (such as the
 * Fourier feature matrix) alike, since both must be saved. All are created from a Java
 * {@link SplittableRandom} so that a seed gives the same field on every device and engine.
 */
public final class Parameters {

	private final NDManager manager;
	private final Map<String, NDArray> tensors = new LinkedHashMap<>();
	private final Map<String, Boolean> trainable = new LinkedHashMap<>();

	public Parameters(final NDManager manager) {
		this.manager = manager;
	}

	public NDManager manager() {
		return manager;
	}

	/** Adds a tensor filled with U(−bound, bound). */
	public NDArray uniform(final String name, final Shape shape, final double bound,
			final SplittableRandom random, final boolean isTrainable) {
		final float[] data = new float[Math.toIntExact(shape.size())];
		for (int i = 0; i < data.length; i++)
			data[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
		return add(name, Tensors.floats(manager, data, shape), isTrainable);
	}

	/** Adds a tensor filled with N(0, σ²). */
	public NDArray normal(final String name, final Shape shape, final double sigma,
			final SplittableRandom random, final boolean isTrainable) {
		final float[] data = new float[Math.toIntExact(shape.size())];
		for (int i = 0; i < data.length; i += 2) {
			// Box–Muller, so the stream is fully determined by SplittableRandom.
			final double u1 = 1 - random.nextDouble(), u2 = random.nextDouble();
			final double r = Math.sqrt(-2 * Math.log(u1));
			data[i] = (float) (sigma * r * Math.cos(2 * Math.PI * u2));
			if (i + 1 < data.length) data[i + 1] = (float) (sigma * r * Math.sin(2 * Math.PI * u2));
		}
		return add(name, Tensors.floats(manager, data, shape), isTrainable);
	}

	public NDArray add(final String name, final NDArray tensor, final boolean isTrainable) {
		if (tensors.containsKey(name)) throw new IllegalStateException("Duplicate parameter " + name);
		tensor.setName(name);
		if (isTrainable) tensor.setRequiresGradient(true);
		tensors.put(name, tensor);
		trainable.put(name, isTrainable);
		return tensor;
	}

	public NDArray get(final String name) {
		final NDArray t = tensors.get(name);
		if (t == null) throw new IllegalArgumentException("No parameter named " + name);
		return t;
	}

	public boolean isTrainable(final String name) {
		return trainable.get(name);
	}

	/** All tensors by name, in creation order. */
	public Map<String, NDArray> all() {
		return Collections.unmodifiableMap(tensors);
	}

	/** Number of scalar values in trainable tensors. */
	public long trainableCount() {
		long n = 0;
		for (final Map.Entry<String, NDArray> e : tensors.entrySet())
			if (trainable.get(e.getKey())) n += e.getValue().size();
		return n;
	}
}
