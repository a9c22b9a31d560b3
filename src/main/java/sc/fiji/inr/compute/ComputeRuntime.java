package sc.fiji.inr.compute;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import ai.djl.Device;
import ai.djl.engine.Engine;

/**
 * The one place where DJL is configured and where all DJL work runs.
 * <p>
 * Why one thread: PyTorch's grad mode is thread-local and DJL allows only one
 * {@code GradientCollector} per JVM, so running every tensor operation on one dedicated thread
 * makes fits from the GUI, the CLI and tests behave identically and never collide.
 * Why system properties here: DJL must never reach the network (Fiji users are often offline and
 * the natives ship in the {@code pytorch-native-cpu} jar), and must not send usage tracking.
 */
public final class ComputeRuntime {

	/** System property: number of intra-op threads for PyTorch (default: available cores). */
	public static final String THREADS_PROPERTY = "inr.threads";
	/** System property: force "cpu" or "gpu" (default: the GPU when DJL finds one). */
	public static final String DEVICE_PROPERTY = "inr.device";

	private static volatile ComputeRuntime instance;

	private final ExecutorService thread;
	private volatile Thread worker;
	private final Engine engine;
	private final Device device;

	private ComputeRuntime() {
		configureDjlDefaults();
		thread = Executors.newSingleThreadExecutor(r -> {
			final Thread t = new Thread(r, "inr-compute");
			t.setDaemon(true);
			worker = t;
			return t;
		});
		try {
			engine = thread.submit(() -> {
				final Engine e = Engine.getEngine("PyTorch");
				// PyTorch starts threads with autograd recording on; only GradientCollector turns it on.
				ai.djl.pytorch.jni.JniUtils.setGradMode(false);
				return e;
			}).get();
		}
		catch (final InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while loading the PyTorch engine", e);
		}
		catch (final ExecutionException e) {
			throw new IllegalStateException("Could not load the PyTorch engine (DJL): "
					+ e.getCause().getMessage()
					+ ". The CPU natives are expected in the pytorch-native-cpu jar on the class path.",
					e.getCause());
		}
		device = chooseDevice(engine);
	}

	/** The runtime, loading the PyTorch engine on first use. */
	public static ComputeRuntime get() {
		ComputeRuntime r = instance;
		if (r == null) {
			synchronized (ComputeRuntime.class) {
				r = instance;
				if (r == null) instance = r = new ComputeRuntime();
			}
		}
		return r;
	}

	/** Sets DJL's offline and no-tracking properties unless the user already set them. */
	static void configureDjlDefaults() {
		setIfAbsent("ai.djl.offline", "true");
		setIfAbsent("OPT_OUT_TRACKING", "true");
		setIfAbsent("ai.djl.default_engine", "PyTorch");
		// PyTorch reads these when its native library loads. Inter-op threads are useless to us
		// (one op at a time from one thread).
		final String threads = System.getProperty(THREADS_PROPERTY);
		if (threads != null) setIfAbsent("ai.djl.pytorch.num_threads", threads);
		setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
	}

	private static void setIfAbsent(final String key, final String value) {
		if (System.getProperty(key) == null) System.setProperty(key, value);
	}

	private static Device chooseDevice(final Engine engine) {
		final String forced = System.getProperty(DEVICE_PROPERTY, "").trim().toLowerCase();
		if (forced.equals("cpu")) return Device.cpu();
		if (engine.getGpuCount() > 0) return Device.gpu();
		if (forced.equals("gpu"))
			throw new IllegalStateException("-D" + DEVICE_PROPERTY + "=gpu was requested but DJL finds no GPU");
		return Device.cpu();
	}

	public Engine engine() {
		return engine;
	}

	/** The device fields are created on: the first GPU when present, else the CPU. */
	public Device device() {
		return device;
	}

	/** True when the caller is already on the compute thread. */
	public boolean onComputeThread() {
		return Thread.currentThread() == worker;
	}

	/**
	 * Runs {@code work} on the compute thread and waits for it. Exceptions thrown by the work are
	 * rethrown unchanged when unchecked. Re-entrant: called from the compute thread it runs inline.
	 */
	public <V> V call(final Callable<V> work) {
		if (onComputeThread()) {
			try {
				return work.call();
			}
			catch (final RuntimeException | Error e) {
				throw e;
			}
			catch (final Exception e) {
				throw new IllegalStateException(e);
			}
		}
		final Future<V> future = thread.submit(work);
		try {
			return future.get();
		}
		catch (final InterruptedException e) {
			future.cancel(false);
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for the compute thread", e);
		}
		catch (final ExecutionException e) {
			final Throwable cause = e.getCause();
			if (cause instanceof RuntimeException re) throw re;
			if (cause instanceof Error err) throw err;
			throw new IllegalStateException(cause);
		}
	}

	/** Runs {@code work} on the compute thread and waits for it. */
	public void run(final Runnable work) {
		call(() -> {
			work.run();
			return null;
		});
	}
}
