package sc.fiji.inr.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;
import sc.fiji.inr.field.FieldFile;
import sc.fiji.inr.image.Axis;
import sc.fiji.inr.image.CalibratedImage;
import sc.fiji.inr.image.ImageMetrics;
import sc.fiji.inr.image.ImageReader;
import sc.fiji.inr.image.ImageWriter;
import sc.fiji.inr.image.PixelType;
import sc.fiji.inr.image.SheppLogan;
import sc.fiji.inr.tasks.ct.CtGeometry;

/**
 * The CT and MRI verbs: files written (and the geometry sidecar read back), calibration carried
 * through, and one-line errors with exit code 1 (bad input) or 2 (bad command line) that leave
 * existing files alone. Fits are a few steps: these check the plumbing.
 */
class ReconstructionCliTest {

	@TempDir
	static Path dir;
	/** 32² Shepp–Logan of 0.5 mm; its 180-view parallel sinogram (with sidecar). */
	static Path phantom, sinogram;

	record Run(int code, String out, String err) {}

	static Run run(final String... args) {
		final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
		final int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
		return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	static String file(final String name) {
		return dir.resolve(name).toString();
	}

	static double psnr(final Path test) throws Exception {
		return ImageMetrics.psnr(ImageReader.read(phantom).pixels(), ImageReader.read(test).pixels(), 1);
	}

	@BeforeAll
	static void images() throws Exception {
		System.setProperty("java.awt.headless", "true");
		final CalibratedImage<FloatType> p = SheppLogan.phantom2d(32);
		phantom = dir.resolve("phantom.tif");
		ImageWriter.write(new CalibratedImage<>("phantom", p.pixels(), List.of(Axis.X, Axis.Y), new double[] { 0.5, 0.5 }, new double[2],
				new String[] { "mm", "mm" }, PixelType.FLOAT32), phantom);
		sinogram = dir.resolve("sino.tif");
		final Run r = run("ct-simulate", phantom.toString(), "-o", sinogram.toString());
		assertEquals(0, r.code(), r.err());
	}

	@Test
	void ctSimulateWritesTheSinogramAndItsGeometrySidecar() throws Exception {
		final CalibratedImage<?> s = ImageReader.read(sinogram);
		assertArrayEquals(new long[] { 47, 180 }, s.pixels().dimensionsAsLongArray());
		assertEquals(0.5, s.spacing()[0], 1e-6);
		assertEquals("mm", s.units()[0]);
		assertEquals("degree", s.units()[1]);
		final List<String> lines = Files.readAllLines(dir.resolve("sino.tif.geometry.txt"));
		assertEquals(1, lines.size());
		assertEquals(CtGeometry.parallel(47, 0.5, 0, CtGeometry.uniformAngles(180, 180, 0)), CtGeometry.parse(lines.get(0)));

		final Path noisy = dir.resolve("noisy.nii.gz");
		final Run r = run("ct-simulate", phantom.toString(), "-o", noisy.toString(), "--beam", "fan", "--views", "36", "--range", "360",
				"--photons", "1e5", "--seed", "4", "--detectors", "61");
		assertEquals(0, r.code(), r.err());
		assertTrue(r.out().contains("61 detectors × 36 views (fan beam)") && r.out().contains("photons per ray"), r.out());
		final CtGeometry fan = CtGeometry.parse(Files.readString(dir.resolve("noisy.nii.gz.geometry.txt")));
		assertEquals(36, fan.views());
		assertEquals(4 * Math.hypot(8, 8), fan.sourceToCentre(), 1e-9);
		assertArrayEquals(new long[] { 61, 36 }, ImageReader.read(noisy).pixels().dimensionsAsLongArray());
	}

	@Test
	void ctFbpUsesTheSidecarAndResemblesThePhantom() throws Exception {
		final Path fbp = dir.resolve("fbp.tif");
		final Run r = run("ct-fbp", sinogram.toString(), "-o", fbp.toString(), "--size", "32", "--pixel", "0.5", "--filter", "shepp-logan");
		assertEquals(0, r.code(), r.err());
		assertTrue(r.out().contains("geometry from sino.tif.geometry.txt") && r.out().contains("32×32"), r.out());
		final CalibratedImage<?> img = ImageReader.read(fbp);
		assertArrayEquals(new double[] { 0.5, 0.5 }, img.spacing(), 1e-6);
		assertArrayEquals(new double[] { -7.75, -7.75 }, img.origin(), 1e-5);
		assertTrue(psnr(fbp) > 15, "FBP PSNR " + psnr(fbp));
	}

	@Test
	void theSidecarMattersForAFanBeamAndGeometryFilesReplaceIt() throws Exception {
		final Path fan = dir.resolve("fan.tif");
		assertEquals(0, run("ct-simulate", phantom.toString(), "-o", fan.toString(), "--beam", "fan", "--views", "90", "--range", "360").code());
		final Path withSidecar = dir.resolve("fan-fbp.tif");
		assertEquals(0, run("ct-fbp", fan.toString(), "-o", withSidecar.toString(), "--size", "32", "--pixel", "0.5").code());
		assertTrue(psnr(withSidecar) > 15, "fan FBP " + psnr(withSidecar));
		// the same sinogram elsewhere, without its sidecar, is taken as a parallel scan: a poor image
		final Path moved = Files.createDirectories(dir.resolve("moved")).resolve("fan.tif");
		Files.copy(fan, moved);
		final Path parallel = dir.resolve("fan-as-parallel.tif");
		assertEquals(0, run("ct-fbp", moved.toString(), "-o", parallel.toString(), "--size", "32", "--pixel", "0.5").code());
		assertTrue(psnr(parallel) < psnr(withSidecar) - 3, psnr(parallel) + " vs " + psnr(withSidecar));
		// --geometry names the file explicitly (an Info line's prefix is accepted)
		final Path geometry = dir.resolve("my geometry.txt");
		Files.writeString(geometry, "INR CT geometry: " + Files.readString(dir.resolve("fan.tif.geometry.txt")));
		final Path named = dir.resolve("fan-named.tif");
		final Run r = run("ct-fbp", moved.toString(), "-o", named.toString(), "--size", "32", "--pixel", "0.5", "--geometry", geometry.toString());
		assertEquals(0, r.code(), r.err());
		assertEquals(psnr(withSidecar), psnr(named), 1e-9);
		// scan options replace the sidecar, with a note
		final Path options = dir.resolve("fan-options.tif");
		final Run o = run("ct-fbp", fan.toString(), "-o", options.toString(), "--size", "32", "--pixel", "0.5", "--views", "90", "--range", "360");
		assertEquals(0, o.code(), o.err());
		assertTrue(o.err().contains("fan.tif.geometry.txt is not used"), o.err());
	}

	@Test
	void ctSartAndCtReconWriteTheirImagesAndFields() throws Exception {
		final Path sart = dir.resolve("sart.nii");
		Run r = run("ct-sart", sinogram.toString(), "-o", sart.toString(), "--iterations", "2", "--relaxation", "0.8", "--size", "32", "--pixel", "0.5");
		assertEquals(0, r.code(), r.err());
		assertArrayEquals(new long[] { 32, 32 }, ImageReader.read(sart).pixels().dimensionsAsLongArray());
		assertTrue(psnr(sart) > 15, "SART " + psnr(sart));
		final Path inr = dir.resolve("inr.tif"), field = dir.resolve("inr.inr");
		r = run("ct-recon", sinogram.toString(), "-o", inr.toString(), "--size", "32", "--pixel", "0.5", "--steps", "3", "--batch", "4096",
				"--field", field.toString(), "--quiet");
		assertEquals(0, r.code(), r.err());
		assertTrue(r.out().contains("inr (hashgrid): 3 steps") && r.out().contains("field"), r.out());
		assertArrayEquals(new long[] { 32, 32 }, ImageReader.read(inr).pixels().dimensionsAsLongArray());
		assertEquals(3, FieldFile.readHeader(field).training().steps());
		// the field starts the next reconstruction
		final Path again = dir.resolve("again.tif");
		r = run("ct-recon", sinogram.toString(), "-o", again.toString(), "--size", "16", "--pixel", "1", "--steps", "2", "--batch", "4096",
				"--prior", field.toString(), "--prior-weight", "0.01", "--quiet");
		assertEquals(0, r.code(), r.err());
		// with a prior weight the prior is registered onto the sinogram first, and says so
		assertTrue(r.out().contains("from prior " + field + ", registered, prior weight 0.01"), r.out());
		assertTrue(r.out().contains("prior registered onto the sinogram: data consistency") && r.out().contains("mm inside the object in 2 steps"), r.out());
		assertArrayEquals(new long[] { 16, 16 }, ImageReader.read(again).pixels().dimensionsAsLongArray());
		// ... unless it is to be taken as it is, or is only the starting point
		r = run("ct-recon", sinogram.toString(), "-o", again.toString(), "--steps", "2", "--batch", "4096", "--prior", field.toString(),
				"--prior-as-is", "--force", "--quiet");
		assertEquals(0, r.code(), r.err());
		assertTrue(r.out().contains(", as it is, prior weight 0.003") && !r.out().contains("registered"), r.out());
		r = run("ct-recon", sinogram.toString(), "-o", again.toString(), "--steps", "2", "--batch", "4096", "--prior", field.toString(),
				"--prior-weight", "0", "--force", "--quiet");
		assertEquals(0, r.code(), r.err());
		assertTrue(r.out().contains(", warm start only") && !r.out().contains("registered"), r.out());
	}

	@Test
	void ctBadInputFailsWithExitCode1AndWritesNothing() throws Exception {
		final Path rows29 = dir.resolve("rows29.tif");
		assertEquals(0, run("ct-simulate", phantom.toString(), "-o", rows29.toString(), "--views", "29").code());
		final Path out = dir.resolve("never.tif");
		Run r = run("ct-fbp", rows29.toString(), "-o", out.toString(), "--views", "30");
		assertEquals(1, r.code());
		assertEquals("inr ct-fbp: The sinogram has 29 rows but the geometry lists 30 angles", r.err().strip().lines().reduce((a, b) -> b).get());
		// a geometry file that does not fit the sinogram
		r = run("ct-fbp", rows29.toString(), "-o", out.toString(), "--geometry", dir.resolve("sino.tif.geometry.txt").toString());
		assertEquals(1, r.code());
		assertTrue(r.err().contains("29 rows but the geometry lists 180 angles"), r.err());
		r = run("ct-fbp", rows29.toString(), "-o", out.toString(), "--geometry", file("no-such-geometry.txt"));
		assertEquals(1, r.code());
		assertTrue(r.err().contains("not found"), r.err());
		final Path broken = dir.resolve("broken.txt");
		Files.writeString(broken, "beam=cone detectors=3");
		r = run("ct-fbp", rows29.toString(), "-o", out.toString(), "--geometry", broken.toString());
		assertEquals(1, r.code());
		assertTrue(r.err().contains("broken.txt") && r.err().contains("'cone'"), r.err());
		r = run("ct-recon", rows29.toString(), "-o", out.toString(), "--prior", file("missing.inr"), "--steps", "1");
		assertEquals(1, r.code());
		assertTrue(r.err().contains("missing.inr"), r.err());
		assertFalse(Files.exists(out));

		// an existing output is kept without --force, and so is the rest of the pair
		final Path precious = dir.resolve("precious.tif");
		Files.writeString(precious, "precious");
		r = run("ct-simulate", phantom.toString(), "-o", precious.toString());
		assertEquals(1, r.code());
		assertTrue(r.err().contains("--force"), r.err());
		assertEquals("precious", Files.readString(precious));
		assertFalse(Files.exists(dir.resolve("precious.tif.geometry.txt")));
		final Path lonely = dir.resolve("lonely.tif");
		Files.writeString(dir.resolve("lonely.tif.geometry.txt"), "keep");
		r = run("ct-simulate", phantom.toString(), "-o", lonely.toString());
		assertEquals(1, r.code());
		assertFalse(Files.exists(lonely));
		assertEquals("keep", Files.readString(dir.resolve("lonely.tif.geometry.txt")));
	}

	@Test
	void ctCommandLineErrorsExitWith2() throws Exception {
		final String out = file("never2.tif");
		Run r = run("ct-simulate", phantom.toString(), "-o", out, "--beam", "fan", "--sid", "-5");
		assertEquals(2, r.code());
		assertTrue(r.err().contains("Source-to-isocentre distance must not be negative") && r.err().contains("-5"), r.err());
		r = run("ct-fbp", sinogram.toString(), "-o", out, "--iterations", "3");
		assertEquals(2, r.code());
		assertTrue(r.err().contains("Unknown option '--iterations' for 'inr ct-fbp'"), r.err());
		r = run("ct-fbp", sinogram.toString(), "-o", out, "--geometry", "g.txt", "--views", "30");
		assertEquals(2, r.code());
		assertTrue(r.err().contains("not both"), r.err());
		r = run("ct-fbp", sinogram.toString(), "-o", out, "--filter", "gauss");
		assertEquals(2, r.code());
		assertTrue(r.err().contains("'gauss'"), r.err());
		r = run("ct-simulate", phantom.toString(), "-o", out, "--angles", "0,x");
		assertEquals(2, r.code());
		assertTrue(r.err().contains("'x'"), r.err());
		r = run("ct-simulate", phantom.toString(), "-o", out, "--photons", "-1");
		assertEquals(2, r.code());
		r = run("ct-recon", sinogram.toString(), "-o", out, "--tv", "-1");
		assertEquals(2, r.code());
		assertTrue(r.err().contains("Total-variation"), r.err());
		for (final String verb : new String[] { "ct-recon", "mri-recon" }) {
			r = run(verb, sinogram.toString(), "-o", out, "--prior-weight", "-0.5");
			assertEquals(2, r.code(), verb);
			assertTrue(r.err().contains("Prior weight must be ≥ 0"), r.err());
		}
		// taking the prior as it is needs a prior, and only ct-recon registers one
		r = run("ct-recon", sinogram.toString(), "-o", out, "--prior-as-is");
		assertEquals(2, r.code());
		assertTrue(r.err().contains("--prior-as-is applies to a --prior; none was given"), r.err());
		for (final String verb : new String[] { "ct-fbp", "mri-recon" }) {
			r = run(verb, sinogram.toString(), "-o", out, "--prior-as-is");
			assertEquals(2, r.code(), verb);
			assertTrue(r.err().contains("Unknown option '--prior-as-is'"), r.err());
		}
		r = run("ct-sart", sinogram.toString(), "-o", file("x.png"));
		assertEquals(2, r.code());
		assertFalse(Files.exists(Path.of(out)));
	}

	@Test
	void mriSimulateAndZeroFilledCarryThePixelSize() throws Exception {
		final Path k = dir.resolve("k.tif"), mask = dir.resolve("mask.tif");
		Run r = run("mri-simulate", phantom.toString(), "-o", k.toString(), "--mask-out", mask.toString(), "--acceleration", "2");
		assertEquals(0, r.code(), r.err());
		assertTrue(r.out().contains("50.0% sampled"), r.out());
		final CalibratedImage<?> kimg = ImageReader.read(k);
		assertEquals(List.of(Axis.X, Axis.Y, Axis.CHANNEL), kimg.axes());
		assertEquals("cycles/mm", kimg.units()[0]);
		assertArrayEquals(new long[] { 32, 32 }, ImageReader.read(mask).pixels().dimensionsAsLongArray());

		final Path zf = dir.resolve("zf.tif");
		r = run("mri-recon", k.toString(), "--mask", mask.toString(), "-o", zf.toString(), "--method", "zero-filled");
		assertEquals(0, r.code(), r.err());
		assertTrue(r.out().contains("pixel 0.5 mm"), r.out());
		assertEquals(0.5, ImageReader.read(zf).spacing()[0], 1e-6);
		assertTrue(psnr(zf) > 15, "zero-filled " + psnr(zf));
		// without a mask: the nonzero elements, the same image
		final Path nonzero = dir.resolve("zf-nonzero.tif");
		r = run("mri-recon", k.toString(), "-o", nonzero.toString(), "--method", "zero-filled");
		assertEquals(0, r.code(), r.err());
		assertTrue(r.out().contains("nonzero elements"), r.out());
		assertEquals(Double.POSITIVE_INFINITY, ImageMetrics.psnr(ImageReader.read(zf).pixels(), ImageReader.read(nonzero).pixels(), 1));
		// radial, and a mask file
		final Path radial = dir.resolve("radial.nii"), radialMask = dir.resolve("radial-mask.tif");
		assertEquals(0, run("mri-simulate", phantom.toString(), "-o", radial.toString(), "--mask", "radial", "--spokes", "8", "--golden",
				"--mask-out", radialMask.toString(), "--noise", "0.01").code());
		final Path given = dir.resolve("given.tif");
		r = run("mri-simulate", phantom.toString(), "-o", given.toString(), "--mask", radialMask.toString());
		assertEquals(0, r.code(), r.err());
		assertTrue(r.out().contains("mask " + radialMask), r.out());
	}

	@Test
	void mriReconFitsAFieldFromAKSpaceOrItsTwoParts() throws Exception {
		final Path k = dir.resolve("k2.tif"), mask = dir.resolve("mask2.tif");
		assertEquals(0, run("mri-simulate", phantom.toString(), "-o", k.toString(), "--mask-out", mask.toString(), "--acceleration", "2").code());
		final Path inr = dir.resolve("mri-inr.tif"), field = dir.resolve("mri.inr");
		Run r = run("mri-recon", k.toString(), "--mask", mask.toString(), "-o", inr.toString(), "--steps", "5", "--complex", "--field",
				field.toString(), "--quiet");
		assertEquals(0, r.code(), r.err());
		assertTrue(r.out().contains("inr (hashgrid, complex): 5 steps"), r.out());
		assertEquals(0.5, ImageReader.read(inr).spacing()[0], 1e-6);
		assertEquals(2, FieldFile.readHeader(field).spec().outChannels());
		// the same k-space as two single-channel files
		final CalibratedImage<?> kimg = ImageReader.read(k);
		final float[] all = sc.fiji.inr.tasks.ct.CtImages.pixels(
				new CalibratedImage<>("k", net.imglib2.view.Views.hyperSlice(asFloat(kimg), 2, 0), List.of(Axis.X, Axis.Y),
						new double[] { 1, 1 }, new double[2], new String[] { "", "" }, PixelType.FLOAT32), "k");
		final Path real = dir.resolve("real.tif"), imaginary = dir.resolve("imaginary.tif");
		ImageWriter.write(new CalibratedImage<>("real", ArrayImgs.floats(all, 32, 32), List.of(Axis.X, Axis.Y),
				new double[] { 1 / 16.0, 1 / 16.0 }, new double[2], new String[] { "cycles/mm", "cycles/mm" }, PixelType.FLOAT32), real);
		ImageWriter.write(new CalibratedImage<>("imaginary", ArrayImgs.floats(32, 32), List.of(Axis.X, Axis.Y), new double[] { 1, 1 },
				new double[2], new String[] { "pixel", "pixel" }, PixelType.FLOAT32), imaginary);
		r = run("mri-recon", real.toString(), imaginary.toString(), "--mask", mask.toString(), "-o", file("parts.tif"), "--method",
				"zero-filled");
		assertEquals(0, r.code(), r.err());
		assertTrue(r.out().contains("pixel 0.5 mm"), r.out());
	}

	@SuppressWarnings("unchecked")
	private static net.imglib2.RandomAccessibleInterval<FloatType> asFloat(final CalibratedImage<?> image) {
		return (net.imglib2.RandomAccessibleInterval<FloatType>) image.pixels();
	}

	@Test
	void mriErrorsAreOneLineWithTheirExitCodes() throws Exception {
		final Path k = dir.resolve("k3.tif");
		assertEquals(0, run("mri-simulate", phantom.toString(), "-o", k.toString()).code());
		final Path small = dir.resolve("small-mask.tif");
		ImageWriter.write(new CalibratedImage<>("small", ArrayImgs.floats(31, 32), List.of(Axis.X, Axis.Y), new double[] { 1, 1 },
				new double[2], new String[] { "pixel", "pixel" }, PixelType.FLOAT32), small);
		final Path out = dir.resolve("mri-never.tif");
		Run r = run("mri-recon", k.toString(), "--mask", small.toString(), "-o", out.toString(), "--method", "zero-filled");
		assertEquals(1, r.code());
		assertEquals("inr mri-recon: The mask is 31×32 but the k-space is 32×32", r.err().strip());
		r = run("mri-recon", phantom.toString(), "-o", out.toString(), "--method", "zero-filled");
		assertEquals(1, r.code());
		assertTrue(r.err().contains("2 channel(s)"), r.err());
		r = run("mri-recon", k.toString(), "-o", out.toString(), "--method", "zero-filled", "--steps", "5");
		assertEquals(2, r.code());
		assertTrue(r.err().contains("--steps does not apply to --method zero-filled"), r.err());
		r = run("mri-recon", k.toString(), "-o", out.toString(), "--method", "sense");
		assertEquals(2, r.code());
		r = run("mri-recon", k.toString(), "-o", out.toString(), "--mask-out", "x.tif");
		assertEquals(2, r.code());
		assertTrue(r.err().contains("Unknown option '--mask-out' for 'inr mri-recon'"), r.err());
		r = run("mri-simulate", phantom.toString(), "-o", out.toString(), "--mask", "radial", "--acceleration", "2");
		assertEquals(2, r.code());
		assertTrue(r.err().contains("--acceleration does not apply to --mask radial"), r.err());
		r = run("mri-simulate", phantom.toString(), "-o", out.toString(), "--noise", "-1");
		assertEquals(2, r.code());
		r = run("mri-simulate", phantom.toString(), "-o", out.toString(), "--mask", file("no-mask.tif"));
		assertEquals(1, r.code());
		assertTrue(r.err().contains("no-mask.tif"), r.err());
		r = run("mri-simulate", phantom.toString(), "-o", out.toString(), "--acceleration", "0.5");
		assertEquals(1, r.code());
		assertTrue(r.err().contains("Acceleration"), r.err());
		assertFalse(Files.exists(out));
		r = run("mri-recon", k.toString(), k.toString(), k.toString(), "-o", out.toString());
		assertEquals(2, r.code());
	}

	@Test
	void theVerbsAreListedAndHaveHelp() {
		final Run usage = run("--help");
		for (final String verb : new String[] { "ct-simulate", "ct-fbp", "ct-sart", "ct-recon", "mri-simulate", "mri-recon" }) {
			assertTrue(usage.out().contains("  " + verb + " "), usage.out());
			final Run help = run(verb, "--help");
			assertEquals(0, help.code());
			assertTrue(help.out().startsWith("Usage: inr " + verb), help.out());
		}
	}
}
