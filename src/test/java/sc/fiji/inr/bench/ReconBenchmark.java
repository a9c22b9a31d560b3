package sc.fiji.inr.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.FloatProcessor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;
import sc.fiji.inr.compute.ComputeRuntime;
import sc.fiji.inr.field.FieldFile;
import sc.fiji.inr.field.ModelOptions;
import sc.fiji.inr.field.NeuralField;
import sc.fiji.inr.fit.FitOptions;
import sc.fiji.inr.fit.FitResult;
import sc.fiji.inr.fit.Loss;
import sc.fiji.inr.image.Axis;
import sc.fiji.inr.image.CalibratedImage;
import sc.fiji.inr.image.ImageMetrics;
import sc.fiji.inr.image.ImageReader;
import sc.fiji.inr.image.PixelType;
import sc.fiji.inr.image.SheppLogan;
import sc.fiji.inr.image.Ssim;
import sc.fiji.inr.tasks.Reconstruction;
import sc.fiji.inr.tasks.ct.CtGeometry;
import sc.fiji.inr.tasks.ct.CtReconstruction;
import sc.fiji.inr.tasks.ct.RampFilter;
import sc.fiji.inr.tasks.ct.Sart;
import sc.fiji.inr.tasks.fitimage.ImageFitting;
import sc.fiji.inr.tasks.mri.KSpace;
import sc.fiji.inr.tasks.mri.MriReconstruction;
import sc.fiji.inr.tasks.mri.MriSimulator;
import sc.fiji.inr.tasks.mri.SamplingMask;

/**
 * Reconstruction benchmark (CT and MRI), run by {@code bench/run recon}: prints one
 * {@code RESULT {json}} line per (case, method) with PSNR and SSIM against the ground truth
 * (data range = the truth's max − min) and seconds.
 * <p>
 * Usage (one JVM per phantom, so that the prior field is fitted once for all its cases):
 * <pre>
 * ReconBenchmark ct shepp|ctsmall VIEWS:RANGE:I0 ... [methods=fbp,sart,inr,prior,warm,cross] [pictures=VIEWS:RANGE:I0] [--quick]
 * ReconBenchmark mri cartesian4|cartesian8|radial30 ... [methods=zf,inr,prior] [--quick]
 * </pre>
 * e.g. {@code ct shepp 30:180:0 30:180:1e5 30:90:0} — 30 views over 180° noise-free, the same
 * with Poisson noise of 1e5 photons per ray, 30 views over 90°. INR steps come from the system
 * property {@code bench.steps} (default 2000, with {@code --quick} 200).
 * <p>
 * <b>No inverse crime.</b> CT sinograms are simulated with our discrete projector on a grid 4×
 * finer than the reconstruction grid: Shepp–Logan {@code phantom2d(1024)} on 0.25 mm pixels, the
 * truth being its 4×4 block mean at 256² on 1 mm pixels; CT_small.dcm (128², 0.661468 mm) as
 * attenuation μ = 0.02·(1 + HU/1000) /mm (clamped at 0), bilinearly upsampled 4× for the
 * simulation, the truth being the 128² image itself. Parallel beam, an odd number of detector
 * elements ≥ the grid's diagonal, spaced one reconstruction pixel.
 * <p>
 * <b>Noise</b>: counts ~ Poisson(I0·e^(−k·p)) per ray, p̂ = −ln(max(counts, 1)/I0)/k, seeded. k
 * converts the phantom's line integrals to attenuation: 1 for CT_small (already in /mm), 0.1 /mm
 * per Shepp–Logan unit (brain 0.2 → 0.02 /mm, about water), since Shepp–Logan values taken as
 * /mm would give e^(−50) transmission. Poisson variates are drawn by inversion (sequential
 * search) for means below {@link #POISSON_INVERSION_BELOW} and by the normal approximation
 * round(λ + √λ·z) above (skewness ≤ 0.1 there); with I0 = 1e5 nearly all rays are in the latter.
 * <p>
 * <b>Prior</b> (NeRP): every case's truth carries a lesion (Shepp–Logan: +0.2 disk of radius
 * 8 mm in the brain; CT_small: μ +20 % in a disk of radius 6 px in the paraspinal muscle; MRI:
 * +30 % of the image maximum in a disk of radius 6 px in the white matter); the prior image is an
 * earlier scan: the anatomy without it, moved by a smooth deformation of at most
 * {@link #PRIOR_SHIFT} pixel ({@link #earlierScan}), and for MRI {@link #PRIOR_GAIN} as bright.
 * {@code -Dbench.priorWeights=W1,W2,...} runs the prior rows with each prior weight (a sweep). The prior field is fitted with {@link ImageFitting} on the prior image
 * calibrated as the reconstruction grid (CT: centred on the isocentre; MRI: pixel size 1, origin
 * 0), once per JVM, saved, and loaded afresh for every case (the reconstruction trains it in place).
 * <p>
 * <b>Cross-check with scikit-image</b> ({@code cross}): skimage centres its image on pixel
 * size // 2, which for an even grid (256², 128²) is half a pixel off ours, so no crop of its output
 * matches our grid. The peer (bench/recon.py) therefore reconstructs on the odd (N+1)² grid
 * centred on the isocentre, compared with the truth on that grid (the fine simulation image's
 * 4×4 block means, shifted by half a pixel) over its central (N−3)² pixels (the outer ring's
 * centres lie on the edge of the box, and FBP overshoots an object cut off there), and this class
 * reports our FBP and SART on the same grid, scored alike, for a like-for-like check. For each
 * case it writes into {@code bench/out/recon/} the sinogram ({@code ID.sino.f32}: V rows × D float32 little-endian, a row per view), the truths
 * ({@code PHANTOM.ref.f32}, N², and {@code PHANTOM.peerref.f32}, (N+1)², row-major) and a JSON
 * sidecar ({@code ID.json}) with the geometry, and prints {@code PEER path-to-sidecar}.
 */
public final class ReconBenchmark {

	// ------------------------------------------------------------------ settings (tune here)

	/** INR optimisation steps: {@code -Dbench.steps}, default 2000 (200 with --quick). */
	static int steps = 2000;

	static ModelOptions model() {
		return ModelOptions.of("hashgrid");
	}

	/**
	 * The INR rows' model: the task's default hash grid, or one with {@code -Dbench.levels} levels up
	 * to {@code -Dbench.finest} (a model experiment; the prior field keeps {@link #model()}).
	 */
	static ModelOptions reconModel() {
		final int finest = Integer.getInteger("bench.finest", 0), levels = Integer.getInteger("bench.levels", 0);
		if (finest == 0 && levels == 0) return model();
		return new ModelOptions("hashgrid", 0, 0, 0, 0, 0, 0, levels, 0, 0, 0, finest);
	}

	/**
	 * The INR rows' seed (initialisation, sampling, and the prior's registration): {@code
	 * -Dbench.seed}, default 1. A seed sweep measures how much of a difference between two rows is
	 * the fit's own spread; the data (noise) and the prior field keep their seeds.
	 */
	static long seed() {
		return Long.getLong("bench.seed", 1);
	}

	/** The INR rows' learning rate: {@code -Dbench.lr}, default 1e-2 (the hash grid's). */
	static double learningRate() {
		return Double.parseDouble(System.getProperty("bench.lr", "1e-2"));
	}

	/** INR fitting for CT and MRI, with the task's TV weight. */
	static Reconstruction.Settings inrSettings(final double tvWeight, final double priorWeight) {
		return new Reconstruction.Settings(reconModel(),
				FitOptions.defaults().withSteps(steps).withLearningRate(learningRate()).withBatchSize(1 << 15).withSeed(seed()), tvWeight,
				priorWeight);
	}

	/** The CT rows: the task's TV weight, or {@code -Dbench.ctTv} (a TV experiment). */
	static Reconstruction.Settings ctSettings() {
		final String tv = System.getProperty("bench.ctTv");
		return inrSettings(tv == null || tv.isBlank() ? CtReconstruction.DEFAULT_TV_WEIGHT : Double.parseDouble(tv),
				CtReconstruction.DEFAULT_PRIOR_WEIGHT);
	}

	static Reconstruction.Settings mriSettings() {
		return inrSettings(MriReconstruction.DEFAULT_TV_WEIGHT, MriReconstruction.DEFAULT_PRIOR_WEIGHT);
	}

	/**
	 * The prior weights to run: the task's default, or the list in {@code -Dbench.priorWeights}
	 * (a sweep; each gets its own row, named with its weight unless it is the default).
	 */
	static double[] priorWeights(final double defaultWeight) {
		return weights("bench.priorWeights", defaultWeight);
	}

	/** The comma list in system property {@code key}, or {@code defaultWeight} alone. */
	static double[] weights(final String key, final double defaultWeight) {
		final String list = System.getProperty(key);
		if (list == null || list.isBlank()) return new double[] { defaultWeight };
		return java.util.Arrays.stream(list.split(",")).mapToDouble(Double::parseDouble).toArray();
	}

	static String priorMethod(final double weight, final double defaultWeight) {
		return weight == defaultWeight ? "INR + prior" : weight == 0 ? "INR + prior (warm start only)"
				: "INR + prior (weight " + plain(weight) + ")";
	}

	/** 0.003, not %g's 0.00300000. */
	static String plain(final double v) {
		return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
	}

	/** Fitting the prior field to the prior image: the same model, steps and learning rate. */
	static ImageFitting.Settings priorSettings() {
		return new ImageFitting.Settings(model(), FitOptions.defaults().withSteps(steps).withLearningRate(1e-2)
				.withBatchSize(ImageFitting.Settings.defaultBatchSize("hashgrid")), Loss.L2);
	}

	/** The settings in force, for the report: {@code SETTINGS {json}}. */
	static void settingsLine() {
		final Reconstruction.Settings ct = ctSettings(), mri = mriSettings();
		final ImageFitting.Settings prior = priorSettings();
		final Map<String, Object> s = new LinkedHashMap<>();
		s.put("model", ct.model().model() + (ct.model().equals(model()) ? "" : " (levels " + ct.model().levels() + ", finest "
				+ ct.model().finest() + "; 0 = the reconstruction default)"));
		s.put("steps", ct.fit().steps());
		s.put("learning_rate", ct.fit().learningRate());
		s.put("schedule", String.valueOf(ct.fit().schedule()));
		s.put("ct_batch", ct.fit().batchSize());
		s.put("ct_tv", ct.tvWeight());
		s.put("mri_tv", mri.tvWeight());
		s.put("ct_prior_weight", ct.priorWeight());
		s.put("mri_prior_weight", mri.priorWeight());
		s.put("prior_steps", prior.fit().steps());
		s.put("prior_batch", prior.fit().batchSize());
		s.put("seed", ct.fit().seed());
		System.out.println("SETTINGS " + GSON.toJson(s));
	}

	/** Our FBP rows (the targets use the best). */
	static final RampFilter[] FBP_FILTERS = { RampFilter.RAM_LAK, RampFilter.HANN };
	/** Our SART rows: iterations (cumulative, one run), relaxation, non-negativity (the targets use the best). */
	static final int[] SART_ITERATIONS = { 10, 50 };
	static final double SART_RELAXATION = 0.25;
	/** Cross-check SART as skimage's iradon_sart defaults: relaxation 0.15, no clipping. */
	static final int[] CROSS_SART_ITERATIONS = { 1, 10 };
	static final double CROSS_SART_RELAXATION = 0.15;
	/** Rings of the (N+1)² cross-check grid left out of its scores (see {@link Ct#run}). */
	static final int CROSS_MARGIN = 2;

	/** Simulation grid refinement. */
	static final int FINE = 4;
	static final double POISSON_INVERSION_BELOW = 100;

	// ------------------------------------------------------------------ main

	static Path out;
	static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues().disableHtmlEscaping().create();

	public static void main(final String[] args) throws Exception {
		System.setProperty("java.awt.headless", "true");
		final List<String> cases = new ArrayList<>();
		String methods = null, pictures = null;
		boolean quick = false;
		for (int i = 1; i < args.length; i++) {
			if (args[i].equals("--quick")) quick = true;
			else if (args[i].startsWith("methods=")) methods = args[i].substring(8);
			else if (args[i].startsWith("pictures=")) pictures = args[i].substring(9);
			else cases.add(args[i]);
		}
		steps = Integer.getInteger("bench.steps", quick ? 200 : 2000);
		out = Path.of(System.getProperty("inr.home", ".")).resolve("bench/out/recon");
		Files.createDirectories(out);
		ComputeRuntime.get();
		settingsLine();
		switch (args[0]) {
			case "ct" -> {
				final Phantom phantom = Phantom.load(cases.remove(0));
				final Ct ct = new Ct(phantom, List.of((methods == null ? "fbp,sart,inr,prior,warm,cross" : methods).split(",")));
				try {
					for (final String c : cases) ct.run(c, c.equals(pictures));
				}
				finally {
					ct.close();
				}
			}
			case "mri" -> {
				final Mri mri = new Mri(List.of((methods == null ? "zf,inr,prior" : methods).split(",")));
				try {
					for (final String c : cases) mri.run(c);
				}
				finally {
					mri.close();
				}
			}
			default -> throw new IllegalArgumentException("Unknown task " + args[0] + " (ct or mri)");
		}
		System.exit(0);
	}

	// ------------------------------------------------------------------ CT

	/**
	 * A CT phantom: the truth on the N² reconstruction grid (with the lesion), the prior image
	 * (without), the fine simulation image (with), the truth on the odd (N+1)² peer grid, and k of
	 * the noise model.
	 */
	record Phantom(String name, String label, int n, double pixel, float[] truth, float[] prior, float[] fine, float[] peerTruth,
			double attenuationPerUnit, double[] window) {

		static Phantom load(final String name) throws IOException {
			return switch (name) {
				case "shepp" -> shepp();
				case "ctsmall" -> ctSmall();
				default -> throw new IllegalArgumentException("Unknown phantom " + name + " (shepp or ctsmall)");
			};
		}

		/** Shepp–Logan 1024² on 0.25 mm, lesion +0.2 of radius 8 mm at (54, 54) mm (x right, y down) in the brain. */
		static Phantom shepp() {
			final int n = 256, m = n * FINE;
			final double pixel = 1, finePixel = pixel / FINE;
			final float[] plain = floats(SheppLogan.phantom2d(m).pixels());
			final float[] disk = diskMask(m, finePixel, 54, 54, 8);
			final float[] fine = plain.clone();
			for (int k = 0; k < fine.length; k++) fine[k] += 0.2f * disk[k];
			return new Phantom("shepp", "Shepp–Logan 256²", n, pixel, boxMean(fine, m, n, 0),
					boxMean(earlierScan(plain, m, m, PRIOR_SHIFT * FINE), m, n, 0), fine,
					boxMean(fine, m, n + 1, -FINE / 2), 0.1, new double[] { 0, 0.5 });
		}

		/** CT_small.dcm as μ /mm, lesion ×1.2 in a disk of radius 6 px at pixel (100, 75). */
		static Phantom ctSmall() throws IOException {
			final CalibratedImage<?> img = ImageReader.read(Path.of(System.getProperty("inr.home", "."), "test-images/CT_small.dcm"));
			final int n = (int) img.pixels().dimension(0);
			if (img.pixels().dimension(1) != n) throw new IllegalStateException("CT_small.dcm is not square");
			final double pixel = img.spacing()[0];
			final float[] hu = floats(img.pixels());
			final float[] mu = new float[hu.length];
			for (int k = 0; k < mu.length; k++) mu[k] = (float) Math.max(0, 0.02 * (1 + hu[k] / 1000));
			final int m = n * FINE;
			final double cx = (100 - (n - 1) / 2.0) * pixel, cy = (75 - (n - 1) / 2.0) * pixel;
			final float[] disk = diskMask(m, pixel / FINE, cx, cy, 6 * pixel);
			final float[] fine = upsample(mu, n, FINE);
			for (int k = 0; k < fine.length; k++) fine[k] *= 1 + 0.2f * disk[k];
			final float[] coverage = boxMean(disk, m, n, 0), truth = mu.clone();
			for (int k = 0; k < truth.length; k++) truth[k] *= 1 + 0.2f * coverage[k];
			return new Phantom("ctsmall", "CT_small.dcm 128²", n, pixel, truth, earlierScan(mu, n, n, PRIOR_SHIFT), fine, boxMean(fine, m, n + 1, -FINE / 2), 1,
					new double[] { 0.012, 0.03 });
		}

		CtReconstruction.Grid grid() {
			return CtReconstruction.Grid.of(n, n, pixel, "mm");
		}

		/** The skimage cross-check grid: odd, so that its centre pixel is the isocentre. */
		CtReconstruction.Grid peerGrid() {
			return CtReconstruction.Grid.of(n + 1, n + 1, pixel, "mm");
		}

		CtReconstruction.Grid fineGrid() {
			return CtReconstruction.Grid.of(n * FINE, n * FINE, pixel / FINE, "mm");
		}

		/** Odd, at least the grid's diagonal. */
		int detectors() {
			final int d = (int) Math.ceil(n * Math.sqrt(2) - 1e-9);
			return d % 2 == 0 ? d + 1 : d;
		}
	}

	static final class Ct {
		final Phantom p;
		final List<String> methods;
		Path priorFile;
		String priorNote;

		Ct(final Phantom p, final List<String> methods) throws IOException {
			this.p = p;
			this.methods = methods;
			writeFloats(out.resolve(p.name + ".ref.f32"), p.truth);
			writeFloats(out.resolve(p.name + ".peerref.f32"), p.peerTruth);
		}

		void run(final String token, final boolean pictures) throws Exception {
			final String[] t = token.split(":");
			if (t.length != 3) throw new IllegalArgumentException("A CT case is VIEWS:RANGE:I0, was " + token);
			final int views = Integer.parseInt(t[0]);
			final double range = Double.parseDouble(t[1]), photons = Double.parseDouble(t[2]);
			final String id = String.format(Locale.ROOT, "%s-v%d-r%s-n%s", p.name, views, num(range), photons > 0 ? num(photons) : "0");
			final Case c = new Case(String.format(Locale.ROOT, "%s, %d views / %s°, %s", p.label, views, num(range),
					photons > 0 ? "Poisson I0 = " + num(photons) : "no noise"), "ct", p.name, views, range, photons);
			final CtGeometry g = CtGeometry.parallel(p.detectors(), p.pixel, 0, CtGeometry.uniformAngles(views, range, 0));
			final CtReconstruction.Grid grid = p.grid();
			final float[] clean = CtReconstruction.project(g, p.fine, p.fineGrid());
			final float[] sino = photons > 0 ? poissonNoise(clean, photons, p.attenuationPerUnit, 17 + 1009L * views + (long) range)
					: clean;
			final double dataRange = range(p.truth);
			final Map<String, float[]> shown = new LinkedHashMap<>();
			shown.put("reference", p.truth);

			if (methods.contains("fbp")) for (final RampFilter f : FBP_FILTERS) {
				final long t0 = System.nanoTime();
				final float[] img = CtReconstruction.filteredBackProjection(g, sino, grid, f);
				c.report("FBP " + f, "main", p.truth, img, p.n, dataRange, seconds(t0), null, null);
				if (f == RampFilter.RAM_LAK) shown.put("fbp", img);
			}
			if (methods.contains("sart")) {
				float[] x = null;
				double elapsed = 0;
				int done = 0;
				for (final int it : SART_ITERATIONS) {
					final long t0 = System.nanoTime();
					x = Sart.reconstruct(g, sino, p.n, p.n, p.pixel, it - done, SART_RELAXATION, true, x);
					elapsed += seconds(t0);
					done = it;
					c.report(String.format(Locale.ROOT, "SART %d it. (λ %s, ≥ 0)", it, num(SART_RELAXATION)), "main", p.truth, x, p.n,
							dataRange, elapsed, null, null);
				}
				shown.put("sart", x);
			}
			if (methods.contains("inr")) {
				final long t0 = System.nanoTime();
				final CtReconstruction.Result r = CtReconstruction.reconstruct(g, sino, grid, ctSettings(), null, null, null);
				try {
					final float[] img = floats(r.image().pixels());
					c.report("INR", "main", p.truth, img, p.n, dataRange, seconds(t0), r.fit(), null);
					shown.put("inr", img);
				}
				finally {
					r.field().close();
				}
			}
			// the prior as ct-recon uses it by default: registered onto the sinogram before its image enters the term
			if (methods.contains("prior")) for (final double weight : priorWeights(CtReconstruction.DEFAULT_PRIOR_WEIGHT))
				ctPrior(c, g, sino, grid, dataRange, weight, priorMethod(weight, CtReconstruction.DEFAULT_PRIOR_WEIGHT), shown);
			// NeRP's use of it: only the starting point
			if (methods.contains("warm")) ctPrior(c, g, sino, grid, dataRange, 0, priorMethod(0, CtReconstruction.DEFAULT_PRIOR_WEIGHT), shown);
			if (methods.contains("cross")) {
				// reconstructed on the odd (N+1)² grid, scored on its central (N−3)²: the outer ring's centres
				// lie on the edge of the box, where an object reaching the border (CT_small) is cut off, and FBP
				// overshoots that jump by up to 2× on the next ring
				final CtReconstruction.Grid pg = p.peerGrid();
				final int s = p.n + 1, e = s - 2 * CROSS_MARGIN;
				final float[] peerTruth = interior(p.peerTruth, s);
				final double peerRange = range(peerTruth);
				final String grid2 = s + "² grid";
				long t0 = System.nanoTime();
				final float[] fbp = CtReconstruction.filteredBackProjection(g, sino, pg, RampFilter.RAM_LAK);
				c.report("FBP ram-lak (ours, " + grid2 + ")", "cross", peerTruth, interior(fbp, s), e, peerRange, seconds(t0), null,
						null);
				float[] x = null;
				double elapsed = 0;
				int done = 0;
				for (final int it : CROSS_SART_ITERATIONS) {
					t0 = System.nanoTime();
					x = Sart.reconstruct(g, sino, s, s, p.pixel, it - done, CROSS_SART_RELAXATION, false, x);
					elapsed += seconds(t0);
					done = it;
					c.report(String.format(Locale.ROOT, "SART %d it. (λ %s; ours, %s)", it, num(CROSS_SART_RELAXATION), grid2), "cross",
							peerTruth, interior(x, s), e, peerRange, elapsed, null, null);
				}
				writePeer(id, c, g, sino);
			}
			if (pictures) pictures(id, shown);
		}

		/** One INR + prior row: a prior weight, registered onto the sinogram where ct-recon would register it. */
		private void ctPrior(final Case c, final CtGeometry g, final float[] sino, final CtReconstruction.Grid grid, final double dataRange,
				final double weight, final String method, final Map<String, float[]> shown) throws IOException {
			final NeuralField prior = FieldFile.load(prior());
			final long t0 = System.nanoTime();
			final boolean register = CtReconstruction.registersPrior(true, weight, false);
			final CtReconstruction.Result r = CtReconstruction.reconstruct(g, sino, grid,
					ctSettings().withPriorWeight(weight).withRegisterPrior(register), prior, null, null);
			try {
				final float[] img = floats(r.image().pixels());
				c.report(method, "main", p.truth, img, p.n, dataRange, seconds(t0), r.fit(), (register ? "registered onto the sinogram ("
						+ r.registration().summary() + "; included in the seconds); " : "") + priorNote);
				if (method.equals("INR + prior")) shown.put("inr-prior", img);
			}
			finally {
				r.field().close();
			}
		}

		/** The prior field, fitted on first use and saved; each reconstruction loads its own copy. */
		Path prior() throws IOException {
			if (priorFile != null) return priorFile;
			final CalibratedImage<?> image = CtReconstruction.image(p.prior, p.grid(), p.name + "-prior");
			final long t0 = System.nanoTime();
			final ImageFitting.Result fit = ImageFitting.fit(image, priorSettings(), null);
			try {
				priorNote = String.format(Locale.ROOT, "prior fit %.0f s, %.1f dB on the prior image, not included", seconds(t0),
						ImageMetrics.psnr(ArrayImgs.floats(p.prior, p.n, p.n), fieldImage(fit.field()), range(p.prior)));
				priorFile = Files.createTempFile("recon-prior-" + p.name, ".inr");
				priorFile.toFile().deleteOnExit();
				FieldFile.save(fit.field(), priorFile);
			}
			finally {
				fit.field().close();
			}
			return priorFile;
		}

		void writePeer(final String id, final Case c, final CtGeometry g, final float[] sino) throws IOException {
			writeFloats(out.resolve(id + ".sino.f32"), sino);
			final double[] deg = new double[g.views()];
			for (int v = 0; v < deg.length; v++) deg[v] = Math.toDegrees(g.angle(v));
			final Map<String, Object> meta = new LinkedHashMap<>();
			meta.put("case", c.name);
			meta.put("task", "ct");
			meta.put("phantom", p.name);
			meta.put("views", c.views);
			meta.put("range", c.range);
			meta.put("noise", c.noise);
			meta.put("detectors", g.detectors());
			meta.put("detector_spacing", g.detectorSpacing());
			meta.put("pixel_size", p.pixel);
			meta.put("theta_deg", deg);
			meta.put("sinogram", id + ".sino.f32");
			meta.put("sinogram_shape", new int[] { g.views(), g.detectors() });
			meta.put("reference", p.name + ".ref.f32");
			meta.put("reference_size", p.n);
			meta.put("peer_reference", p.name + ".peerref.f32");
			meta.put("peer_size", p.n + 1);
			final Path json = out.resolve(id + ".json");
			Files.writeString(json, GSON.toJson(meta) + "\n");
			System.out.println("PEER " + json);
			System.out.flush();
		}

		/** Each image, and all side by side (reference, FBP, SART, INR, INR + prior), in one display range. */
		void pictures(final String id, final Map<String, float[]> shown) {
			final double lo = p.window[0], hi = p.window[1];
			final int n = p.n, gap = 4, count = shown.size();
			final float[] montage = new float[(count * n + (count - 1) * gap) * n];
			final int mw = count * n + (count - 1) * gap;
			java.util.Arrays.fill(montage, (float) hi);
			int k = 0;
			for (final Map.Entry<String, float[]> e : shown.entrySet()) {
				png(e.getValue(), n, n, lo, hi, out.resolve(id + "-" + e.getKey() + ".png"));
				for (int y = 0; y < n; y++) System.arraycopy(e.getValue(), y * n, montage, y * mw + k * (n + gap), n);
				k++;
			}
			png(montage, mw, n, lo, hi, out.resolve(id + ".png"));
			System.out.println("PICTURES " + out.resolve(id + ".png") + " " + String.join(",", shown.keySet()) + " " + num(lo) + " "
					+ num(hi));
		}

		void close() {}
	}

	/**
	 * Poisson transmission noise: counts ~ Poisson(I0·e^(−k·p)), p̂ = −ln(max(counts, 1)/I0)/k.
	 * Inversion below {@link #POISSON_INVERSION_BELOW} counts, the normal approximation above.
	 */
	static float[] poissonNoise(final float[] sinogram, final double photons, final double k, final long seed) {
		final SplittableRandom random = new SplittableRandom(seed);
		final float[] noisy = new float[sinogram.length];
		for (int i = 0; i < noisy.length; i++) {
			final double mean = photons * Math.exp(-k * sinogram[i]);
			final double counts = poisson(random, mean);
			noisy[i] = (float) (-Math.log(Math.max(counts, 1) / photons) / k);
		}
		return noisy;
	}

	static double poisson(final SplittableRandom random, final double mean) {
		if (mean < POISSON_INVERSION_BELOW) {
			final double u = random.nextDouble();
			double pmf = Math.exp(-mean), cdf = pmf;
			long n = 0;
			while (u > cdf && pmf > 0) {
				n++;
				pmf *= mean / n;
				cdf += pmf;
			}
			return n;
		}
		return Math.max(0, Math.rint(mean + Math.sqrt(mean) * random.nextGaussian()));
	}

	// ------------------------------------------------------------------ MRI

	static final class Mri {
		final List<String> methods;
		final int w, h;
		final float[] plain, truth, earlier;
		Path priorFile;
		String priorNote;

		Mri(final List<String> methods) throws IOException {
			this.methods = methods;
			final CalibratedImage<?> img = ImageReader.read(Path.of(System.getProperty("inr.home", "."),
					"test-images/BrainProtonDensitySlice.png"));
			w = (int) img.pixels().dimension(0);
			h = (int) img.pixels().dimension(1);
			plain = floats(img.pixels());
			double max = 0;
			for (final float v : plain) max = Math.max(max, v);
			// +30 % of the maximum in a disk of radius 6 px at (118, 110), white matter beside the ventricle;
			// partial volume at the edge from 4×4 supersampling
			truth = plain.clone();
			final float[] cover = coverage(w, h, 118, 110, 6);
			for (int k = 0; k < truth.length; k++) truth[k] += (float) (0.3 * max * cover[k]);
			earlier = earlierScan(plain, w, h, PRIOR_SHIFT);
			for (int k = 0; k < earlier.length; k++) earlier[k] *= PRIOR_GAIN;
		}

		void run(final String token) throws Exception {
			final SamplingMask mask;
			final String label;
			switch (token) {
				case "cartesian4" -> {
					mask = SamplingMask.cartesian(w, h, 4, 0.08, 1);
					label = "Cartesian 4×";
				}
				case "cartesian8" -> {
					mask = SamplingMask.cartesian(w, h, 8, 0.04, 1);
					label = "Cartesian 8×";
				}
				case "radial30" -> {
					mask = SamplingMask.radial(w, h, 30, false);
					label = "radial 30 spokes";
				}
				default -> throw new IllegalArgumentException("Unknown MRI case " + token + " (cartesian4, cartesian8, radial30)");
			}
			final Case c = new Case(String.format(Locale.ROOT, "BrainProtonDensitySlice %d×%d, %s (%.1f %% sampled)", w, h, label,
					100 * mask.fraction()), "mri", token, 0, 0, 0);
			final KSpace k = MriSimulator.simulate(truth, w, h, mask, 0, 1);
			final double dataRange = range(truth);
			final MriReconstruction.Calibration cal = MriReconstruction.Calibration.pixels();
			if (methods.contains("zf")) {
				final long t0 = System.nanoTime();
				final float[] img = floats(MriReconstruction.zeroFilled(k, mask, cal, "zero-filled").pixels());
				c.report("zero-filled", "main", truth, img, w, h, dataRange, seconds(t0), null, null);
			}
			if (methods.contains("inr")) {
				final long t0 = System.nanoTime();
				final MriReconstruction.Result r = MriReconstruction.reconstruct(k, mask, cal, "inr", false, mriSettings(), null, null);
				try {
					c.report("INR", "main", truth, floats(r.image().pixels()), w, h, dataRange, seconds(t0), r.fit(), null);
				}
				finally {
					r.field().close();
				}
			}
			if (methods.contains("prior")) for (final double weight : priorWeights(MriReconstruction.DEFAULT_PRIOR_WEIGHT)) {
				final NeuralField prior = FieldFile.load(prior());
				final long t0 = System.nanoTime();
				final MriReconstruction.Result r = MriReconstruction.reconstruct(k, mask, cal, "inr-prior", false,
						mriSettings().withPriorWeight(weight), prior, null);
				try {
					c.report(priorMethod(weight, MriReconstruction.DEFAULT_PRIOR_WEIGHT), "main", truth, floats(r.image().pixels()), w, h, dataRange, seconds(t0), r.fit(), priorNote);
				}
				finally {
					r.field().close();
				}
			}
		}

		/** The prior (the earlier scan: no lesion, deformed, other gain) on the k-space grid: pixel size 1, origin 0. */
		Path prior() throws IOException {
			if (priorFile != null) return priorFile;
			final CalibratedImage<?> image = new CalibratedImage<>("mri-prior", ArrayImgs.floats(earlier.clone(), w, h),
					List.of(Axis.X, Axis.Y), new double[] { 1, 1 }, new double[] { 0, 0 }, new String[] { "pixel", "pixel" },
					PixelType.FLOAT32);
			final long t0 = System.nanoTime();
			final ImageFitting.Result fit = ImageFitting.fit(image, priorSettings(), null);
			try {
				priorNote = String.format(Locale.ROOT, "prior fit %.0f s, %.1f dB on the prior image, not included", seconds(t0),
						ImageMetrics.psnr(ArrayImgs.floats(earlier, w, h), fieldImage(fit.field()), range(earlier)));
				priorFile = Files.createTempFile("recon-prior-mri", ".inr");
				priorFile.toFile().deleteOnExit();
				FieldFile.save(fit.field(), priorFile);
			}
			finally {
				fit.field().close();
			}
			return priorFile;
		}

		void close() {}
	}

	// ------------------------------------------------------------------ reporting

	/** One benchmark case: what its RESULT lines share. */
	record Case(String name, String task, String phantom, int views, double range, double noise) {

		void report(final String method, final String group, final float[] truth, final float[] image, final int n,
				final double dataRange, final double seconds, final FitResult fit, final String note) {
			report(method, group, truth, image, n, n, dataRange, seconds, fit, note);
		}

		/**
		 * Prints one RESULT row. {@code fit} (null for the classical methods) adds the steps, the
		 * data consistency and the collapse guard's recoveries (a row that recovered is not the
		 * same kind of run as one that did not, so the table says so).
		 */
		void report(final String method, final String group, final float[] truth, final float[] image, final int w, final int h,
				final double dataRange, final double seconds, final FitResult fit, final String note) {
			final var ref = ArrayImgs.floats(truth, w, h);
			final var test = ArrayImgs.floats(image, w, h);
			final Map<String, Object> row = new LinkedHashMap<>();
			row.put("case", name);
			row.put("task", task);
			row.put("phantom", phantom);
			row.put("views", views);
			row.put("range", range);
			row.put("noise", noise);
			row.put("method", method);
			row.put("group", group);
			row.put("grid", w + "×" + h);
			row.put("psnr", ImageMetrics.psnr(ref, test, dataRange));
			row.put("ssim", Ssim.ssim(ref, test, dataRange));
			row.put("seconds", seconds);
			row.put("data_range", dataRange);
			if (fit != null) {
				row.put("steps", fit.steps());
				row.put("recoveries", fit.recoveries());
			}
			final String fitNote = fit == null ? null : String.format(Locale.ROOT, "data consistency %.1f dB%s", fit.psnr(),
					fit.recoveries() == 0 ? "" : "; " + fit.recoveries() + (fit.recoveries() == 1 ? " recovery" : " recoveries") + " from a collapse");
			final String all = fitNote == null ? note : note == null ? fitNote : fitNote + "; " + note;
			if (all != null) row.put("note", all);
			System.out.println("RESULT " + GSON.toJson(row));
			System.out.flush();
		}
	}

	// ------------------------------------------------------------------ image helpers

	/** Pixel values in flat iteration order (x fastest). */
	static float[] floats(final RandomAccessibleInterval<? extends RealType<?>> img) {
		long size = 1;
		for (final long d : img.dimensionsAsLongArray()) size *= d;
		final float[] a = new float[Math.toIntExact(size)];
		int i = 0;
		for (final RealType<?> t : Views.flatIterable(img)) a[i++] = (float) t.getRealDouble();
		return a;
	}

	/** A field rendered on its own frame, as an image for metrics. */
	static RandomAccessibleInterval<? extends RealType<?>> fieldImage(final NeuralField field) {
		return sc.fiji.inr.raster.FieldRenderer.render(field, sc.fiji.inr.raster.RenderGrid.source(field.frame())).pixels();
	}

	/** The central (s − 2m)² of an s² image, m = {@link #CROSS_MARGIN}: without its outer rings. */
	static float[] interior(final float[] a, final int s) {
		final int m = CROSS_MARGIN, e = s - 2 * m;
		final float[] b = new float[e * e];
		for (int y = 0; y < e; y++) System.arraycopy(a, (y + m) * s + m, b, y * e, e);
		return b;
	}

	static double range(final float[] a) {
		double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
		for (final float v : a) {
			lo = Math.min(lo, v);
			hi = Math.max(hi, v);
		}
		return hi - lo;
	}

	/** Largest displacement of the earlier scan behind every prior, in reconstruction pixels. */
	static final double PRIOR_SHIFT = 1;
	/** MRI: the earlier scan's intensity relative to today's (receiver gain differs between sessions). */
	static final double PRIOR_GAIN = 0.95;

	/**
	 * The earlier scan a prior is fitted to: the anatomy without today's lesion, moved by a smooth
	 * deformation of at most {@code amplitude} pixels (patient repositioning and soft tissue that a
	 * rigid alignment leaves), resampled bilinearly with edge clamping. Why: a prior that equals
	 * the truth outside the lesion would reward trusting it blindly; a real follow-up scan never
	 * lines up to the pixel.
	 */
	static float[] earlierScan(final float[] img, final int w, final int h, final double amplitude) {
		final float[] out = new float[w * h];
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				final double[] d = earlierScanDisplacement(x / (double) w, y / (double) h, amplitude);
				final double dx = d[0], dy = d[1];
				final double sx = Math.min(w - 1, Math.max(0, x + dx)), sy = Math.min(h - 1, Math.max(0, y + dy));
				final int x0 = Math.min(w - 2, (int) Math.floor(sx)), y0 = Math.min(h - 2, (int) Math.floor(sy));
				final double tx = sx - x0, ty = sy - y0;
				final int at = x0 + w * y0;
				out[x + w * y] = (float) ((1 - ty) * ((1 - tx) * img[at] + tx * img[at + 1])
						+ ty * ((1 - tx) * img[at + w] + tx * img[at + w + 1]));
			}
		return out;
	}

	/** {@link #earlierScan}'s displacement at (u, v), the position as a fraction of the image's width and height. */
	static double[] earlierScanDisplacement(final double u, final double v, final double amplitude) {
		return new double[] { amplitude * Math.sin(2 * Math.PI * (1.3 * u + 0.2)) * Math.cos(2 * Math.PI * (0.9 * v + 0.1)),
				amplitude * Math.cos(2 * Math.PI * (1.1 * u + 0.35)) * Math.sin(2 * Math.PI * (1.2 * v + 0.6)) };
	}

	/**
	 * Means of {@code f × f} blocks of an {@code (m = n·f)²} image on an {@code out²} grid whose
	 * block k starts at fine index {@code f·k + shift} (fine pixels beyond the image count as 0).
	 */
	static float[] boxMean(final float[] fine, final int m, final int outSize, final int shift) {
		final int f = FINE;
		final float[] a = new float[outSize * outSize];
		for (int y = 0; y < outSize; y++)
			for (int x = 0; x < outSize; x++) {
				double s = 0;
				for (int j = 0; j < f; j++) {
					final int fy = f * y + shift + j;
					if (fy < 0 || fy >= m) continue;
					for (int i = 0; i < f; i++) {
						final int fx = f * x + shift + i;
						if (fx >= 0 && fx < m) s += fine[fx + m * fy];
					}
				}
				a[x + outSize * y] = (float) (s / (f * f));
			}
		return a;
	}

	/** 1 inside the disk of radius r centred at (cx, cy) (same unit as the pixel, relative to the grid centre), 0 outside. */
	static float[] diskMask(final int m, final double pixel, final double cx, final double cy, final double r) {
		final float[] a = new float[m * m];
		for (int j = 0; j < m; j++)
			for (int i = 0; i < m; i++) {
				final double x = (i - (m - 1) / 2.0) * pixel - cx, y = (j - (m - 1) / 2.0) * pixel - cy;
				if (x * x + y * y <= r * r) a[i + m * j] = 1;
			}
		return a;
	}

	/** Fraction of each pixel of a w × h image inside the disk (pixel coordinates), from 4×4 sub-pixel samples. */
	static float[] coverage(final int w, final int h, final double cx, final double cy, final double r) {
		final float[] a = new float[w * h];
		for (int y = 0; y < h; y++)
			for (int x = 0; x < w; x++) {
				int inside = 0;
				for (int j = 0; j < FINE; j++)
					for (int i = 0; i < FINE; i++) {
						final double dx = x + (i + 0.5) / FINE - 0.5 - cx, dy = y + (j + 0.5) / FINE - 0.5 - cy;
						if (dx * dx + dy * dy <= r * r) inside++;
					}
				a[x + w * y] = inside / (float) (FINE * FINE);
			}
		return a;
	}

	/** Bilinear upsampling by f: fine pixel centres at coarse index (j + ½)/f − ½, clamped to the edge pixels. */
	static float[] upsample(final float[] img, final int n, final int f) {
		final int m = n * f;
		final float[] a = new float[m * m];
		for (int j = 0; j < m; j++) {
			final double sy = Math.min(n - 1, Math.max(0, (j + 0.5) / f - 0.5));
			final int y0 = Math.min(n - 2, (int) Math.floor(sy));
			final double ty = sy - y0;
			for (int i = 0; i < m; i++) {
				final double sx = Math.min(n - 1, Math.max(0, (i + 0.5) / f - 0.5));
				final int x0 = Math.min(n - 2, (int) Math.floor(sx));
				final double tx = sx - x0;
				final int at = x0 + n * y0;
				a[i + m * j] = (float) ((1 - ty) * ((1 - tx) * img[at] + tx * img[at + 1])
						+ ty * ((1 - tx) * img[at + n] + tx * img[at + n + 1]));
			}
		}
		return a;
	}

	static void png(final float[] pixels, final int w, final int h, final double lo, final double hi, final Path path) {
		final FloatProcessor fp = new FloatProcessor(w, h, pixels.clone());
		fp.setMinAndMax(lo, hi);
		// FileSaver, not IJ.saveAs: the latter starts ImageJ's menus, which fails headless
		if (!new FileSaver(new ImagePlus(path.getFileName().toString(), fp.convertToByte(true))).saveAsPng(path.toString()))
			throw new IllegalStateException("Could not write " + path);
	}

	static void writeFloats(final Path path, final float[] a) throws IOException {
		final ByteBuffer b = ByteBuffer.allocate(4 * a.length).order(ByteOrder.LITTLE_ENDIAN);
		b.asFloatBuffer().put(a);
		Files.write(path, b.array());
	}

	static String num(final double v) {
		return v == Math.rint(v) && Math.abs(v) < 1e4 ? Long.toString((long) v)
				: new java.math.BigDecimal(v).round(new java.math.MathContext(6)).stripTrailingZeros().toString().replace("E+", "e");
	}

	static double seconds(final long t0) {
		return (System.nanoTime() - t0) / 1e9;
	}
}
