package sc.fiji.inr.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import net.imglib2.img.array.ArrayImgs;
import sc.fiji.inr.field.FieldFile;
import sc.fiji.inr.field.NeuralField;
import sc.fiji.inr.field.ValueScale;
import sc.fiji.inr.fit.FitResult;
import sc.fiji.inr.fit.Fitter;
import sc.fiji.inr.image.ImageMetrics;
import sc.fiji.inr.image.SheppLogan;
import sc.fiji.inr.raster.FieldRenderer;
import sc.fiji.inr.raster.RenderGrid;
import sc.fiji.inr.tasks.Reconstruction;
import sc.fiji.inr.tasks.ct.CtGeometry;
import sc.fiji.inr.tasks.ct.CtReconstruction;
import sc.fiji.inr.tasks.ct.ProjectionRegistration;
import sc.fiji.inr.tasks.ct.RayObjective;
import sc.fiji.inr.tasks.fitimage.ImageFitting;
import sc.fiji.inr.field.ModelOptions;
import sc.fiji.inr.tasks.registration.RegistrationSettings;
import sc.fiji.inr.tasks.registration.Similarity;

/**
 * Where the CT prior's gain goes: the benchmark's Shepp–Logan case (30 views over 180°, or
 * {@code -Dbench.views=N} views, no noise, the earlier-scan prior of {@link ReconBenchmark}) with the prior term's image taken in
 * several ways, each scored against the truth and against the {@code plain} phantom (the
 * anatomy without lesion, undeformed: what a perfect registration of the prior would give).
 * <p>
 * {@code bench/run ct-prior KINDS WEIGHT [STEPS] [fit]}; KINDS is a comma list of
 * <ul>
 * <li>{@code rays}: the prior registered onto the sinogram itself ({@link ProjectionRegistration}, what
 * {@code ct-recon} does by default; settings after slashes: cs, steps, lr, bend, seed, robust),</li>
 * <li>{@code sart}: the prior's image registered onto SART-50 ({@link ImageDomainPrior}; what
 * {@code --register-prior} did before),</li>
 * <li>{@code truth}: registered onto the truth itself (a perfect reference, lesion included),</li>
 * <li>{@code plain}: registered onto the plain phantom (registration without a lesion or artefacts),</li>
 * <li>{@code aligned}: the plain phantom itself (a registration without error; not attainable),</li>
 * <li>{@code own}: the prior's image as it is (unregistered),</li>
 * <li>{@code area}: a second prior field fitted so that its mean over each pixel, not its value at
 * the pixel centre, matches the prior image ({@link AreaObjective}: partial volume, a finer hash
 * grid; keys finest, levels, s = samples per pixel side, and rays' keys), registered through the
 * rays, its term image the warped field's mean over each pixel; the reconstruction still starts
 * from the usual prior field (an experiment, 2026-12-06: the term's image came out worse),</li>
 * <li>{@code task}: the reconstruction exactly as {@code ct-recon} makes it (registered prior; its
 * term reads the prior field itself between pixel centres, {@code WarpedPrior}, where the kinds
 * above read a bilinear ramp between its pixel centres' values); always fitted,</li>
 * <li>{@code none}: no prior at all (the INR alone, as {@code ct-recon} makes it; fitted with or without {@code fit}),</li>
 * <li>{@code again}: registered onto the previous kind's reconstruction (with {@code fit}; a
 * second round of registering and reconstructing, as in joint schemes such as PIRPLE).</li>
 * </ul>
 * An image-registered kind may carry registration settings other than the defaults, e.g.
 * {@code sart/sim=mse/bend=0.1/omega=10/steps=2000} (keys: sim, jac, hyper, bend, omega, steps).
 * With {@code fit}, each kind's term also drives a reconstruction from the prior field (the
 * benchmark's INR settings and steps). The prior field is fitted once and kept in
 * {@code bench/out/ct-prior-STEPS.inr}.
 */
public class CtPriorExperiment {

	/** Views over 180°: 30 (the target case) unless {@code -Dbench.views} says otherwise. */
	static final int VIEWS = Integer.getInteger("bench.views", 30);

	public static void main(final String[] a) throws Exception {
		if (a.length < 2) throw new IllegalArgumentException("usage: KINDS WEIGHT [STEPS] [fit]");
		final double weight = Double.parseDouble(a[1]);
		if (!(weight > 0))
			throw new IllegalArgumentException("The prior term needs a weight > 0, was " + a[1] + " (0 is the warm start alone: bench/run recon's prior row)");
		ReconBenchmark.steps = a.length > 2 ? Integer.parseInt(a[2]) : ReconBenchmark.steps;
		final boolean fit = a.length > 3 && a[3].equals("fit");
		final ReconBenchmark.Phantom p = ReconBenchmark.Phantom.shepp();
		final int n = p.n(), m = n * ReconBenchmark.FINE;
		final float[] plain = ReconBenchmark.boxMean(ReconBenchmark.floats(SheppLogan.phantom2d(m).pixels()), m, n, 0);
		final double range = ReconBenchmark.range(p.truth());
		System.out.printf(Locale.ROOT, "prior image: %.2f dB against plain, %.2f against the truth; plain against the truth %.2f%n",
				psnr(plain, p.prior(), n, range), psnr(p.truth(), p.prior(), n, range), psnr(p.truth(), plain, n, range));
		// how much a bilinear warp on the 256² grid loses by itself: the same deformation applied there
		// instead of on the 1024² simulation grid
		System.out.printf(Locale.ROOT, "the deformation applied at 256² against at 1024²: %.2f dB%n",
				psnr(p.prior(), ReconBenchmark.earlierScan(plain, n, n, ReconBenchmark.PRIOR_SHIFT), n, range));

		final Path priorFile = Path.of("bench/out/ct-prior-" + ReconBenchmark.steps + ".inr");
		if (!Files.exists(priorFile)) {
			Files.createDirectories(priorFile.getParent());
			final ImageFitting.Result r = ImageFitting.fit(CtReconstruction.image(p.prior(), p.grid(), "prior"),
					ReconBenchmark.priorSettings(), null);
			try {
				FieldFile.save(r.field(), priorFile);
			}
			finally {
				r.field().close();
			}
		}
		final CtGeometry g = CtGeometry.parallel(p.detectors(), p.pixel(), 0, CtGeometry.uniformAngles(VIEWS, 180, 0));
		final float[] sino = CtReconstruction.project(g, p.fine(), p.fineGrid());
		final float[] sart = CtReconstruction.sart(g, sino, p.grid(), 50, 0.25, true);
		System.out.printf(Locale.ROOT, "SART-50: %.2f dB against the truth%n", psnr(p.truth(), sart, n, range));

		dump("truth", p.truth());
		dump("plain", plain);
		float[] previous = null;
		for (final String spec : a[0].split(",")) {
			final String kind = spec.split("/")[0];
			if (kind.equals("none")) {
				// the INR without a prior, as ct-recon makes it, for the same error maps
				final CtReconstruction.Result r = CtReconstruction.reconstruct(g, sino, p.grid(), ReconBenchmark.ctSettings(), null, null, null);
				try (NeuralField field = r.field()) {
					final float[] result = ReconBenchmark.floats(r.image().pixels());
					System.out.printf(Locale.ROOT, "none, %d steps: %.2f dB against the truth (data consistency %.1f dB, %.0f s)%n",
							r.fit().steps(), psnr(p.truth(), result, n, range), r.fit().psnr(), r.fit().seconds());
					dump("none-result", result);
					averaged(field, p, n, range, "none");
				}
				continue;
			}
			if (kind.equals("task")) {
				// the reconstruction as ct-recon makes it (registered prior, the term read from the prior
				// field itself between pixel centres), where "rays ... fit" reads a ramp between them
				try (NeuralField prior = FieldFile.load(priorFile)) {
					final CtReconstruction.Result r = CtReconstruction.reconstruct(g, sino, p.grid(),
							ReconBenchmark.ctSettings().withPriorWeight(weight).withRegisterPrior(true), prior, null, null);
					final float[] result = ReconBenchmark.floats(r.image().pixels());
					System.out.printf(Locale.ROOT, "task, weight %s, %d steps: %.2f dB against the truth (data consistency %.1f dB, %s, %.0f s)%n",
							ReconBenchmark.plain(weight), r.fit().steps(), psnr(p.truth(), result, n, range), r.fit().psnr(),
							r.fit().stopDescription(), r.fit().seconds());
					displacementError(spec, r.registration(), prior, plain, n, p.pixel());
					dump(spec + "-result", result);
					history(r.fit());
				}
				continue;
			}
			final RegistrationSettings reg = kind.equals("rays") ? null : registration(spec);
			try (NeuralField prior = FieldFile.load(priorFile)) {
				final ValueScale scale = prior.scale();
				final long t0 = System.nanoTime();
				final Reconstruction.PriorImage term = switch (kind) {
					case "sart" -> ImageDomainPrior.registered(prior, sart, weight, reg, null);
					case "rays" -> {
						final ProjectionRegistration.Registered registered = ProjectionRegistration.register(g, sino, 1, prior, rays(spec), null);
						final ProjectionRegistration.Result r = registered.result();
						System.out.printf(Locale.ROOT, "%s: data consistency %.2f -> %.2f dB, largest displacement %.2f px, %d steps%n", spec,
								r.before(), r.fit().psnr(), r.largestDisplacement() / p.pixel(), r.fit().steps());
						displacementError(spec, r, prior, plain, n, p.pixel());
						yield registered.priorImage(weight);
					}
					case "area" -> {
						// the experiment: a second prior field fitted to pixel means (partial volume), registered
						// through the rays, its term image the mean over each pixel of the warped field
						final int finest = key(spec, "finest", 1024), levels = key(spec, "levels", 16), s = key(spec, "s", 4);
						final ModelOptions h = ModelOptions.of("hashgrid");
						final ModelOptions sharpModel = new ModelOptions(h.model(), h.width(), h.depth(), h.omega0(), h.fourierFeatures(),
								h.sigma(), h.frequencies(), levels, h.featuresPerLevel(), h.log2TableSize(), h.coarsest(), finest);
						try (NeuralField sharp = NeuralField.create(sharpModel.toSpec(2, 1, prior.frame().size()), prior.frame(), scale,
								new sc.fiji.inr.field.SourceInfo("prior-area", sc.fiji.inr.image.PixelType.FLOAT32), 1)) {
							final AreaObjective area = new AreaObjective(prior.frame(), p.prior(), scale, 4096, s);
							final FitResult fr = Fitter.fit(sharp, area, sc.fiji.inr.fit.FitOptions.defaults().withSteps(ReconBenchmark.steps)
									.withLearningRate(1e-2), null);
							final float[] own = AreaObjective.areaMeans(sharp, prior.frame(), s, null);
							final float[] ownImage = new float[own.length];
							for (int k = 0; k < own.length; k++) ownImage[k] = (float) scale.denormalise(0, own[k]);
							System.out.printf(Locale.ROOT, "%s: pixel-mean prior fit %.2f dB (%.0f s); its pixel means %.2f dB against the prior image%n",
									spec, fr.psnr(), fr.seconds(), psnr(p.prior(), ownImage, n, range));
							final ProjectionRegistration.Registered registered = ProjectionRegistration.register(g, sino, 1, sharp,
									rays(strip(spec, "finest", "levels", "s")), null);
							final ProjectionRegistration.Result r = registered.result();
							System.out.printf(Locale.ROOT, "%s: data consistency %.2f -> %.2f dB, largest displacement %.2f px, %d steps%n", spec,
									r.before(), r.fit().psnr(), r.largestDisplacement() / p.pixel(), r.fit().steps());
							displacementError(spec, r, sharp, plain, n, p.pixel());
							yield new Reconstruction.PriorImage(AreaObjective.areaMeans(sharp, prior.frame(), s, r::displacementAt),
									prior.frame().size(), 1, weight);
						}
					}
					case "truth" -> ImageDomainPrior.registered(prior, p.truth(), weight, reg, null);
					case "plain" -> ImageDomainPrior.registered(prior, plain, weight, reg, null);
					case "aligned" -> {
						final float[] v = new float[plain.length];
						for (int k = 0; k < v.length; k++) v[k] = (float) scale.normalise(0, plain[k]);
						yield new Reconstruction.PriorImage(v, prior.frame().size(), 1, weight);
					}
					case "own" -> Reconstruction.PriorImage.of(prior, weight);
					case "again" -> {
						if (previous == null) throw new IllegalArgumentException("again needs a reconstruction before it (fit)");
						yield ImageDomainPrior.registered(prior, previous, weight, reg, null);
					}
					default -> throw new IllegalArgumentException("Unknown kind " + kind + " (sart, rays, area, truth, plain, aligned, own, again, task, none)");
				};
				final float[] image = new float[term.values().length];
				for (int k = 0; k < image.length; k++) image[k] = (float) scale.denormalise(0, term.values()[k]);
				System.out.printf(Locale.ROOT, "%s: the term's image %.2f dB against plain, %.2f against the truth (%.0f s)%n", spec,
						psnr(plain, image, n, range), psnr(p.truth(), image, n, range), (System.nanoTime() - t0) / 1e9);
				dump(spec + "-term", image);
				if (!fit) continue;
				final Reconstruction.Settings s = ReconBenchmark.ctSettings();
				// as CtReconstruction.pointsPerRay (package-private there): one node per pixel of the longest chord
				final int points = (int) Math.max(32, Math.ceil(n * Math.sqrt(2)));
				final RayObjective objective = new RayObjective(g, sino, 1, prior.frame(), scale, Math.max(16, s.fit().batchSize() / points),
						points, s.tvWeight(), s.fit().seed(), term);
				final long t1 = System.nanoTime();
				final FitResult r = Fitter.fit(prior, objective, Reconstruction.fromPrior(s.fit()), null);
				final float[] result = ReconBenchmark.floats(FieldRenderer.render(prior, RenderGrid.source(prior.frame())).pixels());
				previous = result;
				dump(spec + "-result", result);
				averaged(prior, p, n, range, spec);
				System.out.printf(Locale.ROOT, "%s, weight %s, %d steps: %.2f dB against the truth (data consistency %.1f dB, %s, %.0f s)%n",
						spec, ReconBenchmark.plain(weight), r.steps(), psnr(p.truth(), result, n, range), r.psnr(), r.stopDescription(),
						(System.nanoTime() - t1) / 1e9);
				if (r.recoveries() > 0) history(r);
			}
		}
	}

	/**
	 * The field averaged over each pixel (FINE² samples), scored against the truth, which is the
	 * fine phantom's box mean: how much sampling at pixel centres costs.
	 */
	static void averaged(final NeuralField field, final ReconBenchmark.Phantom p, final int n, final double range, final String spec)
			throws java.io.IOException {
		final int f = ReconBenchmark.FINE;
		final float[] averaged = ReconBenchmark.boxMean(ReconBenchmark.floats(FieldRenderer.render(field,
				RenderGrid.scaled(field.frame(), f)).pixels()), n * f, n, 0);
		System.out.printf(Locale.ROOT, "%s: averaged over each pixel (%d² samples) %.2f dB against the truth%n", spec, f,
				psnr(p.truth(), averaged, n, range));
		dump(spec + "-averaged", averaged);
	}

	/**
	 * Writes {@code image} (N², row-major float32 little-endian) as {@code bench/out/ct-prior/NAME.f32}
	 * when {@code -Dbench.dump=true}: the truth, the plain phantom, each kind's term image and
	 * reconstruction, for error maps outside Java.
	 */
	static void dump(final String name, final float[] image) throws java.io.IOException {
		if (!Boolean.getBoolean("bench.dump")) return;
		final Path dir = Path.of("bench/out/ct-prior");
		Files.createDirectories(dir);
		ReconBenchmark.writeFloats(dir.resolve(name.replace('/', '_') + ".f32"), image);
	}

	/** The integer after "KEY=" among the kind's slashes, or {@code otherwise}. */
	static int key(final String spec, final String key, final int otherwise) {
		for (final String part : spec.split("/"))
			if (part.startsWith(key + "=")) return Integer.parseInt(part.substring(key.length() + 1));
		return otherwise;
	}

	/** The kind's spec without the given keys. */
	static String strip(final String spec, final String... keys) {
		final StringBuilder b = new StringBuilder();
		outer: for (final String part : spec.split("/")) {
			for (final String k : keys)
				if (part.startsWith(k + "=")) continue outer;
			b.append(b.length() == 0 ? "" : "/").append(part);
		}
		return b.toString();
	}

	/** The default projection-domain registration with the changes after the kind's slashes (cs, steps, lr, bend, seed, robust). */
	static ProjectionRegistration.Settings rays(final String spec) {
		ProjectionRegistration.Settings r = ProjectionRegistration.Settings.defaults();
		final String[] parts = spec.split("/");
		for (int k = 1; k < parts.length; k++) {
			final String[] kv = parts[k].split("=", 2);
			if (kv.length != 2) throw new IllegalArgumentException("Expected key=value, was " + parts[k]);
			r = switch (kv[0]) {
				case "cs" -> r.withControlSpacing(Double.parseDouble(kv[1]));
				case "steps" -> r.withSteps(Integer.parseInt(kv[1]));
				case "lr" -> r.withLearningRate(Double.parseDouble(kv[1]));
				case "bend" -> r.withBendingWeight(Double.parseDouble(kv[1]));
				case "seed" -> r.withSeed(Long.parseLong(kv[1]));
				case "robust" -> r.withRobust(Boolean.parseBoolean(kv[1]));
				default -> throw new IllegalArgumentException("Unknown key " + kv[0] + " for rays (cs, steps, lr, bend, seed, robust)");
			};
		}
		return r;
	}

	/** The default registration with the changes after the kind's slashes. */
	static RegistrationSettings registration(final String spec) {
		RegistrationSettings r = RegistrationSettings.defaults();
		final String[] parts = spec.split("/");
		for (int k = 1; k < parts.length; k++) {
			final String[] kv = parts[k].split("=", 2);
			if (kv.length != 2) throw new IllegalArgumentException("Expected key=value, was " + parts[k]);
			final var m = r.model();
			r = switch (kv[0]) {
				case "sim" -> r.withSimilarity(Similarity.parse(kv[1]), r.window());
				case "jac" -> r.withRegularisers(Double.parseDouble(kv[1]), r.hyperelastic(), r.bending());
				case "hyper" -> r.withRegularisers(r.jacobian(), Double.parseDouble(kv[1]), r.bending());
				case "bend" -> r.withRegularisers(r.jacobian(), r.hyperelastic(), Double.parseDouble(kv[1]));
				case "omega" -> r.withModel(new ModelOptions(m.model(), m.width(), m.depth(), Double.parseDouble(kv[1]), m.fourierFeatures(),
						m.sigma(), m.frequencies(), m.levels(), m.featuresPerLevel(), m.log2TableSize(), m.coarsest(), m.finest()));
				case "steps" -> r.withFit(r.fit().withSteps(Integer.parseInt(kv[1])));
				default -> throw new IllegalArgumentException("Unknown registration key " + kv[0] + " (sim, jac, hyper, bend, omega, steps)");
			};
		}
		return r;
	}

	/**
	 * Where the registration's displacement lies and how far it is from the true one: the earlier
	 * scan is plain(x + d(x)) ({@link ReconBenchmark#earlierScan}), so a perfect registration has
	 * u(x) = −d(x + u(x)) ≈ −d(x). Reported inside the anatomy (plain > 0), where rays constrain u
	 * through the prior's edges, on the skull, and in the air around it, where nothing does; the
	 * error per pixel is dumped as {@code SPEC-displacement-error} (see {@link #dump}).
	 */
	static void displacementError(final String spec, final ProjectionRegistration.Result r, final NeuralField prior, final float[] plain, final int n,
			final double pixel) {
		final var frame = prior.frame();
		final float[] centres = frame.normalisedPixelCentres();
		final float[] u = r.displacementAt(centres, n * n);
		double maxIn = 0, maxOut = 0, errIn = 0, errOut = 0, sumErrIn = 0, sumErrSkull = 0;
		int worst = 0, in = 0, skull = 0;
		final float[] errors = new float[n * n];
		double largest = 0;
		for (int y = 0; y < n; y++)
			for (int x = 0; x < n; x++) {
				final int k = x + n * y;
				final double ux = u[2 * k] * frame.halfExtent(0) / pixel, uy = u[2 * k + 1] * frame.halfExtent(1) / pixel;
				// the prior's fine pixels are a quarter of a pixel: this pixel's centre is fine pixel 4x + 1.5
				final double f = ReconBenchmark.FINE;
				final double[] d = ReconBenchmark.earlierScanDisplacement((f * x + (f - 1) / 2.0) / (f * n), (f * y + (f - 1) / 2.0) / (f * n),
						ReconBenchmark.PRIOR_SHIFT);
				final double size = Math.hypot(ux, uy), err = Math.hypot(ux + d[0], uy + d[1]);
				errors[k] = (float) err;
				// the skull: Shepp–Logan's outer ring, intensity 1 against 0.2 inside it
				if (plain[k] > 0.6) {
					sumErrSkull += err;
					skull++;
				}
				if (size > largest) {
					largest = size;
					worst = k;
				}
				if (plain[k] > 0) {
					maxIn = Math.max(maxIn, size);
					errIn = Math.max(errIn, err);
					sumErrIn += err;
					in++;
				}
				else {
					maxOut = Math.max(maxOut, size);
					errOut = Math.max(errOut, err);
				}
			}
		System.out.printf(Locale.ROOT,
				"  displacement (px): largest %.2f at (%d, %d), %s; inside the anatomy largest %.2f, error to the true one mean %.2f, largest %.2f; in the air largest %.2f, error largest %.2f%n",
				largest, worst % n, worst / n, plain[worst] > 0 ? "inside the anatomy" : "in the air", maxIn, sumErrIn / Math.max(1, in), errIn,
				maxOut, errOut);
		System.out.printf(Locale.ROOT, "  displacement error on the skull (%d px, intensity > 0.6): mean %.2f px%n", skull,
				sumErrSkull / Math.max(1, skull));
		try {
			dump(spec + "-displacement-error", errors);
		}
		catch (final java.io.IOException e) {
			throw new java.io.UncheckedIOException(e);
		}
	}

	static double psnr(final float[] reference, final float[] image, final int n, final double range) {
		return ImageMetrics.psnr(ArrayImgs.floats(reference.clone(), n, n), ArrayImgs.floats(image.clone(), n, n), range);
	}

	/** The data consistency and learning rate at each evaluation: where a fit stalled, or where the guard stepped in. */
	private static void history(final FitResult r) {
		final StringBuilder b = new StringBuilder("  evaluations (step: dB, rate):");
		for (final var e : r.history())
			b.append(String.format(Locale.ROOT, " %d: %.1f, %.1e;", e.step(), e.psnr(), e.learningRate()));
		System.out.println(b);
	}
}
