package sc.fiji.inr.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.google.gson.Gson;

import net.imglib2.type.numeric.real.FloatType;
import sc.fiji.inr.compute.ComputeRuntime;
import sc.fiji.inr.field.ModelOptions;
import sc.fiji.inr.fit.FitListener;
import sc.fiji.inr.fit.FitProgress;
import sc.fiji.inr.image.CalibratedImage;
import sc.fiji.inr.image.ImageMetrics;
import sc.fiji.inr.image.ImageReader;
import sc.fiji.inr.image.SheppLogan;
import sc.fiji.inr.raster.FieldRenderer;
import sc.fiji.inr.raster.RenderGrid;
import sc.fiji.inr.tasks.fitimage.ImageFitting;

/**
 * One benchmark fit, run in its own JVM by {@code bench/run} so that peak RSS is this fit's:
 * prints one JSON line with speed, time to 30/35 dB, final PSNR (full image, source data range),
 * RSS at steps 100 and 2000, and peak RSS.
 * <p>
 * Usage: FitBenchmark IMAGE MODEL SECONDS MAX_STEPS [BATCH [LEARNING_RATE]]   (IMAGE: camera, inia19, phantom256,
 * or a path)
 */
public final class FitBenchmark {

	public static void main(final String[] args) throws Exception {
		final String imageName = args[0], model = args[1];
		final double seconds = Double.parseDouble(args[2]);
		final int maxSteps = Integer.parseInt(args[3]);
		final int batch = args.length > 4 ? Integer.parseInt(args[4]) : 0;
		final double lr = args.length > 5 ? Double.parseDouble(args[5]) : 0;
		final CalibratedImage<?> image = load(imageName);
		final double range = ImageMetrics.dataRange(image.pixels());
		ComputeRuntime.get();

		final Map<String, Object> row = new LinkedHashMap<>();
		final double[] reach = { Double.NaN, Double.NaN };
		final double[] fitting = { 0 };
		final long[] rss = { -1, -1 }, heap = { -1, -1 };
		final FitListener listener = new FitListener() {
			@Override
			public void progress(final FitProgress p) {
				// Times exclude the PSNR evaluations, which only the benchmark asks for this often.
				fitting[0] = p.fittingSeconds();
				if (!Double.isNaN(p.psnr())) {
					if (p.psnr() >= 30 && Double.isNaN(reach[0])) reach[0] = p.fittingSeconds();
					if (p.psnr() >= 35 && Double.isNaN(reach[1])) reach[1] = p.fittingSeconds();
				}
				if (p.step() == 100) {
					rss[0] = memory("VmRSS");
					heap[0] = Runtime.getRuntime().totalMemory() / 1024;
				}
				if (p.step() == 2000) {
					rss[1] = memory("VmRSS");
					heap[1] = Runtime.getRuntime().totalMemory() / 1024;
				}
			}
		};
		final ImageFitting.Settings s = ImageFitting.Settings.of(ModelOptions.of(model), maxSteps, seconds, lr, batch, 1, 0, "l2");
		final ImageFitting.Settings settings = new ImageFitting.Settings(s.model(), s.fit().withEvaluateEvery(10), s.loss());
		final ImageFitting.Result r = ImageFitting.fit(image, settings, listener);
		try (var field = r.field()) {
			final CalibratedImage<FloatType> back = FieldRenderer.render(field, RenderGrid.source(field.frame()));
			row.put("image", imageName);
			row.put("size", java.util.Arrays.toString(image.pixels().dimensionsAsLongArray()));
			row.put("model", model);
			row.put("batch", settings.fit().batchSize());
			row.put("threads", System.getProperty("ai.djl.pytorch.num_threads", "default"));
			row.put("steps", r.fit().steps());
			row.put("seconds", r.fit().seconds());
			row.put("fitting_seconds", fitting[0]);
			row.put("steps_per_s", r.fit().steps() / fitting[0]);
			row.put("samples_per_s", r.fit().steps() * (double) settings.fit().batchSize() / fitting[0]);
			row.put("s_to_30dB", reach[0]);
			row.put("s_to_35dB", reach[1]);
			row.put("psnr_eval", r.fit().psnr());
			row.put("psnr_full", ImageMetrics.psnr(image.pixels(), back.pixels(), range));
			row.put("data_range", range);
			row.put("rss_step100_mb", rss[0] / 1024.0);
			row.put("rss_step2000_mb", rss[1] / 1024.0);
			// The JVM heap's committed size is part of RSS; what remains is native (PyTorch) memory.
			row.put("heap_step100_mb", heap[0] / 1024.0);
			row.put("heap_step2000_mb", heap[1] / 1024.0);
			row.put("peak_rss_mb", memory("VmHWM") / 1024.0);
		}
		System.out.println("RESULT " + new com.google.gson.GsonBuilder().serializeSpecialFloatingPointValues().create().toJson(row));
		System.exit(0);
	}

	static CalibratedImage<?> load(final String name) throws Exception {
		final Path images = Path.of(System.getProperty("inr.home", ".")).resolve("test-images");
		return switch (name) {
			case "camera" -> ImageReader.read(images.resolve("camera.png"));
			case "inia19" -> ImageReader.read(images.resolve("inia19-t1-brain.nii.gz"));
			case "phantom256" -> SheppLogan.phantom3d(256);
			default -> {
				if (!Files.exists(Path.of(name))) throw new IllegalArgumentException("Unknown benchmark image " + name);
				yield ImageReader.read(Path.of(name));
			}
		};
	}

	/** A value in kB from /proc/self/status (VmRSS: now, VmHWM: peak). */
	static long memory(final String key) {
		try {
			for (final String line : Files.readAllLines(Path.of("/proc/self/status")))
				if (line.startsWith(key + ":")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
		}
		catch (final Exception e) {
			// not Linux: report unknown
		}
		return -1;
	}
}
