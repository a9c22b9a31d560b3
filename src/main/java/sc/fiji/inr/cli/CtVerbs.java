package sc.fiji.inr.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import sc.fiji.inr.field.FieldFile;
import sc.fiji.inr.field.NeuralField;
import sc.fiji.inr.fit.FitResult;
import sc.fiji.inr.image.AtomicFiles;
import sc.fiji.inr.image.CalibratedImage;
import sc.fiji.inr.image.ImageReader;
import sc.fiji.inr.image.ImageWriter;
import sc.fiji.inr.tasks.Reconstruction;
import sc.fiji.inr.tasks.ct.Beam;
import sc.fiji.inr.tasks.ct.CtGeometry;
import sc.fiji.inr.tasks.ct.CtImages;
import sc.fiji.inr.tasks.ct.CtReconstruction;
import sc.fiji.inr.tasks.ct.CtScan;
import sc.fiji.inr.tasks.ct.CtSimulator;
import sc.fiji.inr.tasks.ct.RampFilter;

/**
 * The CT verbs: {@code ct-simulate} (image → sinogram plus a geometry sidecar) and the three
 * reconstructions {@code ct-fbp}, {@code ct-sart}, {@code ct-recon} (sinogram → image), which
 * read the geometry from {@code --geometry FILE}, else from options, else from the sinogram's
 * sidecar {@code SINOGRAM.geometry.txt} (the sinogram's file name plus ".geometry.txt").
 */
final class CtVerbs {

	private CtVerbs() {}

	/** The scan options, shared by every CT verb. */
	static final List<String> GEOMETRY_OPTIONS = List.of("beam", "views", "range", "start", "angles", "detectors", "spacing", "offset",
			"sid", "sdd");

	/** Suffix of the geometry sidecar beside a sinogram. */
	static final String SIDECAR = ".geometry.txt";

	static final String GEOMETRY_HELP = """
				  --beam B              parallel (default) or fan (flat detector)
				  --views N             uniformly spaced views (%s)
				  --range DEG           angular range they cover, endpoint excluded (180)
				  --start DEG           angle of the first view (0)
				  --angles A,B,...      explicit view angles in degrees (replace --views/--range/--start)
				  --detectors N         detector elements (%s)
				  --spacing S           distance between elements (%s)
				  --offset U            detector coordinate of the detector's centre (0)
				  --sid R               fan: source-to-isocentre distance (%s)
				  --sdd D               fan: source-to-detector distance (%s)
				""";

	/** The sidecar of a sinogram file: its name plus {@value #SIDECAR}. */
	static Path sidecar(final Path sinogram) {
		return sinogram.resolveSibling(sinogram.getFileName() + SIDECAR);
	}

	/** The scan the options describe; a value out of range is a usage error. */
	static CtScan scan(final Arguments a, final int views) {
		try {
			return new CtScan(Beam.parse(a.string("beam", "parallel")), a.integer("views", views), a.number("range", CtScan.DEFAULT_RANGE),
					a.number("start", 0), CtScan.parseAngles(a.string("angles", "")), a.integer("detectors", 0), a.number("spacing", 0),
					a.number("offset", 0), a.number("sid", 0), a.number("sdd", 0));
		}
		catch (final IllegalArgumentException e) {
			throw new UsageException(e.getMessage());
		}
	}

	/** A geometry file: one {@link CtGeometry#toProperties()} line (an "INR CT geometry: " prefix is allowed). */
	static CtGeometry readGeometry(final Path file) throws IOException {
		if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString());
		String text = Files.readString(file, StandardCharsets.UTF_8).strip();
		final int newline = text.indexOf('\n');
		if (newline >= 0) text = text.substring(0, newline).strip();
		if (text.startsWith("INR CT geometry:")) text = text.substring("INR CT geometry:".length()).strip();
		try {
			return CtGeometry.parse(text);
		}
		catch (final IllegalArgumentException e) {
			throw new IOException("Geometry file " + file + ": " + e.getMessage(), e);
		}
	}

	// ------------------------------------------------------------------ ct-simulate

	static final class Simulate implements Main.Verb {

		@Override
		public String summary() {
			return "simulate a CT sinogram of an image (2D or a stack of slices), with a geometry sidecar";
		}

		@Override
		public String help() {
			return """
					Usage: inr ct-simulate IMAGE -o SINOGRAM.tif|.nii|.nii.gz [options]

					Projects IMAGE (2D, or a stack of slices scanned alike; values = attenuation per unit length)
					along the rays of a parallel- or fan-beam scan: one sinogram row per view, one column per
					detector element, values = line integrals. The image is centred on the isocentre, in its own
					pixel size and unit. Writes the geometry beside the sinogram as SINOGRAM.geometry.txt (the
					sinogram's file name plus .geometry.txt, one line), which the reconstruction verbs read.

					Scan:
					""" + GEOMETRY_HELP.formatted("180", "0 = the whole image in every view, odd", "0 = the pixel size",
					"0 = twice the image diagonal", "0 = twice --sid") + """
					Noise:
					  --photons N           incident photons per ray for Poisson noise (0 = none)
					  --seed N              noise seed (1)
					Output:
					  -o, --output FILE     sinogram to write (.tif keeps the calibration: detector unit, degrees)
					  --force               overwrite existing output files
					""";
		}

		@Override
		public int run(final String[] args, final PrintStream out, final PrintStream err) throws Exception {
			final Arguments a = new Arguments("ct-simulate", args, FitVerb.concat(GEOMETRY_OPTIONS, List.of("output", "photons", "seed")),
					List.of("force"));
			final Path input = Path.of(a.single("ct-simulate", "input image"));
			final Path target = SuperresVerb.checkImageOutput(a.string("output", null), a.has("force"), input);
			final Path geometryFile = OutputFiles.check(sidecar(target).toString(), a.has("force"), input);
			final CtScan scan = scan(a, 180);
			final double photons = a.number("photons", 0);
			if (photons < 0) throw new UsageException("Option --photons must be ≥ 0 (0 = no noise), got " + a.string("photons", ""));
			final CalibratedImage<?> image = ImageReader.read(input);
			final CtReconstruction.Grid grid = CtImages.grid(image);
			final CtGeometry g = scan.forImage(grid);
			final float[] sinogram = CtSimulator.simulate(g, CtImages.pixels(image, "A CT image"), grid, photons, a.integer("seed", 1));
			ImageWriter.write(CtImages.sinogram(sinogram, g, grid.slices(), grid.sliceSpacing(), grid.unit(), image.name() + "-sinogram"),
					target);
			AtomicFiles.write(geometryFile, t -> Files.writeString(t, g.toProperties() + "\n", StandardCharsets.UTF_8));
			out.printf(Locale.ROOT, "ct-simulate %s: %d×%d%s, %s %s → %d detectors × %d views (%s beam), %s → %s, geometry %s%n",
					image.name(), grid.width(), grid.height(), grid.slices() > 1 ? "×" + grid.slices() : "",
					SuperresVerb.number(grid.pixelSize()), grid.unit(), g.detectors(), g.views(), g.beam(),
					photons > 0 ? SuperresVerb.number(photons) + " photons per ray" : "noise-free", target, geometryFile.getFileName());
			return 0;
		}
	}

	// ------------------------------------------------------------------ ct-fbp, ct-sart, ct-recon

	/** The reconstruction methods, one verb each. */
	enum Method {
		FBP("ct-fbp"), SART("ct-sart"), INR("ct-recon");

		final String verb;

		Method(final String verb) {
			this.verb = verb;
		}
	}

	static final class Reconstruct implements Main.Verb {

		static final List<String> INR_OPTIONS = FitVerb.concat(FitVerb.MODEL_OPTIONS,
				List.of("steps", "time", "lr", "batch", "seed", "tv", "prior", "prior-weight", "field"));

		private final Method method;

		Reconstruct(final Method method) {
			this.method = method;
		}

		@Override
		public String summary() {
			return switch (method) {
				case FBP -> "reconstruct a CT sinogram by filtered back-projection";
				case SART -> "reconstruct a CT sinogram by SART (iterative, for few or noisy views)";
				case INR -> "reconstruct a CT sinogram by fitting a neural field through the ray model (optionally from a prior)";
			};
		}

		@Override
		public String help() {
			final String usage = "Usage: inr " + method.verb + " SINOGRAM -o IMAGE.tif|.nii|.nii.gz [--geometry FILE | scan options] [options]\n\n";
			final String what = switch (method) {
				case FBP -> "Filtered back-projection (parallel beam; fan beam with Parker weights for short scans).\n";
				case SART -> "SART: iterative, one view at a time in golden-ratio order, clamped at 0.\n";
				case INR -> "Fits a neural field to the sinogram through the ray forward model, optionally starting from a\n"
						+ "prior field of an earlier scan (inr fit, or Fit Prior... in Fiji: same pixel size and unit,\n"
						+ "centred on the isocentre), and renders it on the output grid.\n";
			};
			final String specific = switch (method) {
				case FBP -> """
						FBP:
						  --filter F            ram-lak (default), shepp-logan, cosine, hann
						""";
				case SART -> """
						SART:
						  --iterations N        sweeps over all views (10)
						  --relaxation L        step size in (0, 2) (0.5)
						""";
				case INR -> "Model:\n" + FitVerb.MODEL_HELP + """
						Fitting:
						  --steps N             optimisation steps (2000)
						  --time S              wall-clock budget in seconds, the prior's registration included
						                        (default: none)
						  --lr X                Adam learning rate (default: per model)
						  --batch N             ray samples per step (default 32768)
						  --seed N              random seed (1)
						  --tv W                total-variation weight (%s)
						  --prior FIELD.inr     start from this field (trained further; its grid is kept)
						  --prior-weight W      with --prior: weight of the total variation of the change from
						                        the prior's image (%s; 0 = the prior is only the starting point)
						                        With a weight, the prior is first registered onto the sinogram:
						                        a smooth displacement (B-spline, 32 px control spacing) whose ray
						                        integrals match it, since an earlier scan never lines up exactly.
						  --prior-as-is         with --prior: skip that registration (for a prior already aligned)
						  --field OUT.inr       also save the fitted field
						  --quiet               no progress bar
						""".formatted(SuperresVerb.number(CtReconstruction.DEFAULT_TV_WEIGHT),
						SuperresVerb.number(CtReconstruction.DEFAULT_PRIOR_WEIGHT));
			};
			return usage + what + """

					Geometry: --geometry FILE (one line as ct-simulate writes it), or the scan options below; with
					neither, SINOGRAM.geometry.txt beside the sinogram is used when it exists, else the options'
					defaults (a parallel scan over 180°, one view per row, one element per column).
					  --geometry FILE       the scan's geometry file
					""" + GEOMETRY_HELP.formatted("0 = one per sinogram row", "0 = the sinogram's width",
					"0 = the sinogram's pixel width", "required for fan", "required for fan") + """
					Output grid (square, centred on the isocentre):
					  --size N              pixels per side (0 = one per detector element across the detector)
					  --pixel P             pixel size (0 = the detector spacing at the isocentre); give one of the
					                        two and the other covers the same field of view
					""" + specific + """
					Output:
					  -o, --output FILE     image to write (.tif, .tiff, .nii, .nii.gz)
					  --force               overwrite existing output files
					""";
		}

		@Override
		public int run(final String[] args, final PrintStream out, final PrintStream err) throws Exception {
			final String verb = method.verb;
			final List<String> options = new ArrayList<>(FitVerb.concat(GEOMETRY_OPTIONS, List.of("output", "geometry", "size", "pixel")));
			final List<String> switches = new ArrayList<>(List.of("force"));
			switch (method) {
				case FBP -> options.add("filter");
				case SART -> options.addAll(List.of("iterations", "relaxation"));
				case INR -> {
					options.addAll(INR_OPTIONS);
					switches.addAll(List.of("quiet", "prior-as-is"));
				}
			}
			final Arguments a = new Arguments(verb, args, options, switches);
			final Path input = Path.of(a.single(verb, "sinogram"));
			final Path target = SuperresVerb.checkImageOutput(a.string("output", null), a.has("force"), input);
			final Path fieldPath = a.has("field") ? SuperresVerb.checkFieldOutput(a.string("field", null), a.has("force"), input) : null;
			final boolean scanOptions = GEOMETRY_OPTIONS.stream().anyMatch(a::has);
			if (a.has("geometry") && scanOptions) throw new UsageException("Give either --geometry FILE or scan options, not both");
			final CtScan scan = scan(a, 0);
			final int size = a.integer("size", 0);
			final double pixel = a.number("pixel", 0);
			if (size < 0 || pixel < 0) throw new UsageException("--size and --pixel must be ≥ 0 (0 = automatic)");
			final RampFilter filter = method == Method.FBP ? filter(a.string("filter", "ram-lak")) : null;
			final Reconstruction.Settings settings = method == Method.INR ? settings(a) : null;

			final CalibratedImage<?> image = ImageReader.read(input);
			final float[] data = CtImages.pixels(image, "A sinogram");
			final int w = CtImages.width(image), h = CtImages.height(image);
			final Path side = sidecar(input);
			final CtGeometry g;
			String source = "options";
			if (a.has("geometry")) {
				g = readGeometry(Path.of(a.string("geometry", null)));
				g.checkSinogram(w, h);
				source = a.string("geometry", null);
			}
			else if (!scanOptions && Files.exists(side)) {
				g = readGeometry(side);
				g.checkSinogram(w, h);
				source = side.getFileName().toString();
			}
			else {
				if (Files.exists(side)) err.println("inr " + verb + ": note: scan options given, so " + side.getFileName() + " is not used");
				g = scan.forSinogram(w, h, image.spacing()[0]);
			}
			final CtReconstruction.Grid grid = CtImages.reconstructionGrid(g, size, pixel, CtImages.slices(image), CtImages.sliceSpacing(image),
					image.units()[0]);
			final String head = String.format(Locale.ROOT, "%s %s: %d detectors × %d views%s (%s beam, geometry from %s) → %d×%d, pixel %s %s",
					verb, image.name(), w, h, grid.slices() > 1 ? " × " + grid.slices() + " slices" : "", g.beam(), source, grid.width(),
					grid.height(), SuperresVerb.number(grid.pixelSize()), grid.unit());
			final String name = image.name() + "-" + method.name().toLowerCase(Locale.ROOT);
			final long start = System.nanoTime();
			switch (method) {
				case FBP -> ImageWriter.write(CtReconstruction.image(CtReconstruction.filteredBackProjection(g, data, grid, filter), grid, name),
						target);
				case SART -> ImageWriter.write(CtReconstruction.image(CtReconstruction.sart(g, data, grid, a.integer("iterations", 10),
						a.number("relaxation", 0.5), true), grid, name), target);
				case INR -> {
					return recon(a, g, data, grid, settings, target, fieldPath, head, out, err);
				}
			}
			out.printf(Locale.ROOT, "%s, %.2f s → %s%n", head, (System.nanoTime() - start) / 1e9, target);
			return 0;
		}

		private static int recon(final Arguments a, final CtGeometry g, final float[] data, final CtReconstruction.Grid grid,
				final Reconstruction.Settings settings, final Path target, final Path fieldPath, final String head, final PrintStream out,
				final PrintStream err) throws IOException {
			final NeuralField prior = a.has("prior") ? FieldFile.load(Path.of(a.string("prior", null))) : null;
			NeuralField fitted = null;
			try {
				final CtReconstruction.Result r = SuperresVerb.withProgress(a.has("quiet") ? null : err,
						listener -> CtReconstruction.reconstruct(g, data, grid, settings, prior,
								sc.fiji.inr.raster.RenderGrid.source(grid.frame()), listener));
				fitted = r.field();
				if (r.registration() != null) out.println("prior registered onto the sinogram: " + r.registration().summary());
				ImageWriter.write(r.image(), target);
				if (fieldPath != null) FieldFile.save(fitted, fieldPath);
				out.printf(Locale.ROOT, "%s, inr (%s): %d steps in %.1f s, PSNR %.2f dB against the sinogram, stopped by %s → %s%s%n", head,
						prior == null ? settings.model().model() : "from prior " + a.string("prior", null) + (settings.priorWeight() == 0
								? ", warm start only" : (settings.registerPrior() ? ", registered" : ", as it is") + ", prior weight "
										+ SuperresVerb.number(settings.priorWeight())), r.fit().steps(), r.fit().seconds(),
						r.fit().psnr(), r.fit().stopDescription(), target, fieldPath == null ? "" : ", field " + fieldPath);
				return r.fit().stopReason() == FitResult.StopReason.CANCELLED ? 130 : 0;
			}
			finally {
				if (fitted != null) fitted.close();
				if (prior != null && prior != fitted) prior.close();
			}
		}

		private static RampFilter filter(final String name) {
			try {
				return RampFilter.parse(name);
			}
			catch (final IllegalArgumentException e) {
				throw new UsageException(e.getMessage());
			}
		}

		private static Reconstruction.Settings settings(final Arguments a) {
			try {
				final Reconstruction.Settings s = Reconstruction.Settings.of(FitVerb.model(a), a.integer("steps", 2000), a.number("time", 0),
						a.number("lr", 0), a.integer("seed", 1), a.number("tv", CtReconstruction.DEFAULT_TV_WEIGHT),
						a.number("prior-weight", CtReconstruction.DEFAULT_PRIOR_WEIGHT));
				if (a.has("prior-as-is") && !a.has("prior")) throw new UsageException("--prior-as-is applies to a --prior; none was given");
				return s.withFit(s.fit().withBatchSize(a.integer("batch", 0)))
						.withRegisterPrior(CtReconstruction.registersPrior(a.has("prior"), s.priorWeight(), a.has("prior-as-is")));
			}
			catch (final IllegalArgumentException e) {
					throw new UsageException(e.getMessage());
			}
		}
	}
}
