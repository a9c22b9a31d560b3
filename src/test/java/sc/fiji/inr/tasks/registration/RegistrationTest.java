package sc.fiji.inr.tasks.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import sc.fiji.inr.field.FieldFile;
import sc.fiji.inr.field.ModelOptions;
import sc.fiji.inr.image.PixelType;

public class RegistrationTest {

	/** Smooth blobs: a textured image whose shifts are unambiguous. */
	public static Volume blobs(final int nx, final int ny, final double dx, final double dy, final long seed) {
		final SplittableRandom r = new SplittableRandom(seed);
		final int count = 14;
		final double[][] b = new double[count][];
		for (int i = 0; i < count; i++)
			b[i] = new double[] { r.nextDouble() * nx * 0.7 + nx * 0.15, r.nextDouble() * ny * 0.7 + ny * 0.15, 2.5 + r.nextDouble() * 4,
					0.3 + r.nextDouble() };
		final float[] v = new float[nx * ny];
		for (int y = 0; y < ny; y++)
			for (int x = 0; x < nx; x++) {
				double s = 0;
				for (final double[] q : b) {
					final double ex = x - dx - q[0], ey = y - dy - q[1];
					s += q[3] * Math.exp(-(ex * ex + ey * ey) / (2 * q[2] * q[2]));
				}
				v[x + nx * y] = (float) s;
			}
		return new Volume("blobs", new float[][] { v }, new long[] { nx, ny }, new double[] { 1, 1 }, new double[2], "px", PixelType.FLOAT32);
	}

	static RegistrationSettings quick(final int steps) {
		final RegistrationSettings d = RegistrationSettings.defaults();
		return d.withModel(new ModelOptions("siren", 64, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0))
				.withFit(d.fit().withSteps(steps).withBatchSize(2048)).withAffine(RegistrationSettings.AffineMode.FIT, null, 150);
	}

	@Test
	void identityPairGivesAlmostNoDisplacement() {
		final Volume f = blobs(48, 40, 0, 0, 1);
		final Registration.Result r = Registration.register(f, f, null, null, quick(60), null);
		try (DeformationTransform t = r.transform()) {
			final float[][] u = Warping.displacement(t);
			double worst = 0;
			for (final float[] a : u) for (final float v : a) worst = Math.max(worst, Math.abs(v));
			assertTrue(worst < 0.3, "identity pair moved a pixel by " + worst + " px");
			assertTrue(r.nccAfter() > 0.999, "NCC " + r.nccAfter());
			assertEquals(0, r.foldingPercent());
		}
	}

	@Test
	void pureTranslationIsRecovered() {
		// moving(x + (3, −2)) = fixed(x): the moving blobs sit 3 px right and 2 px up.
		final Volume fixed = blobs(64, 56, 0, 0, 2), moving = blobs(64, 56, 3, -2, 2);
		final Registration.Result r = Registration.register(fixed, moving, null, null, quick(60), null);
		try (DeformationTransform t = r.transform()) {
			final float[][] u = Warping.displacement(t);
			double ex = 0, ey = 0;
			int n = 0;
			for (int y = 10; y < 46; y++)
				for (int x = 10; x < 54; x++) {
					final int i = x + 64 * y;
					ex += Math.abs(u[0][i] - 3);
					ey += Math.abs(u[1][i] + 2);
					n++;
				}
			assertTrue(ex / n < 0.15 && ey / n < 0.15, "mean error x " + ex / n + ", y " + ey / n + " px; affine " + t.affine());
			assertTrue(r.nccAfter() > r.nccBefore() + 0.05 && r.nccAfter() > 0.99, "NCC " + r.nccBefore() + " → " + r.nccAfter());
		}
	}

	@Test
	void affineStageAloneRecoversARotationAndShift() {
		// moving = fixed rotated by 6° about the centre and shifted by (2, 1.5): the affine maps fixed → moving points.
		final Volume base = blobs(72, 64, 0, 0, 6);
		final double a = Math.toRadians(6), c = Math.cos(a), s = Math.sin(a);
		final double[] centre = base.centre();
		final Affine truth = new Affine(new double[][] { { c, -s }, { s, c } },
				new double[] { centre[0] - c * centre[0] + s * centre[1] + 2, centre[1] - s * centre[0] - c * centre[1] + 1.5 });
		final float[] v = new float[base.voxels()];
		final double[] p = new double[2];
		final float[] out = new float[1];
		// moving(φ(x)) = fixed(x)  ⇔  moving(y) = fixed(φ⁻¹(y)); build moving by sampling fixed at φ⁻¹.
		final double det = c * c + s * s;
		for (int i = 0; i < v.length; i++) {
			base.position(i, p);
			final double yx = p[0] - truth.translation()[0], yy = p[1] - truth.translation()[1];
			final double[] q = { (c * yx + s * yy) / det, (-s * yx + c * yy) / det };
			base.sample(q, false, out);
			v[i] = out[0];
		}
		final Volume moving = base.withChannels(new float[][] { v }, "moving");
		final Registration.Result r = Registration.register(base, moving, null, null, quick(1).withDeformable(false)
				.withAffine(RegistrationSettings.AffineMode.FIT, null, 300), null);
		try (DeformationTransform t = r.transform()) {
			final float[][] u = Warping.displacement(t);
			double worst = 0;
			for (int y = 12; y < 52; y++)
				for (int x = 12; x < 60; x++) {
					final int i = x + 72 * y;
					base.position(i, p);
					truth.apply(p);
					worst = Math.max(worst, Math.hypot(x + u[0][i] - p[0], y + u[1][i] - p[1]));
				}
			assertTrue(worst < 0.3, "worst error " + worst + " px; fitted " + t.affine() + ", truth " + truth);
		}
	}

	@Test
	void everyRegulariserAndSimilarityRunsAndKeepsTheShift() {
		final Volume fixed = blobs(40, 36, 0, 0, 7), moving = blobs(40, 36, 1.5, -1, 7);
		for (final Similarity similarity : Similarity.values()) {
			final RegistrationSettings s = quick(25).withSimilarity(similarity, 5).withRegularisers(0.05, 0.05, 0.05);
			final Registration.Result r = Registration.register(fixed, moving, null, null, s, null);
			try (DeformationTransform t = r.transform()) {
				final float[][] u = Warping.displacement(t);
				final int centre = 20 + 40 * 18;
				assertEquals(1.5, u[0][centre], 0.3, similarity + ": x shift");
				assertEquals(-1, u[1][centre], 0.3, similarity + ": y shift");
				assertTrue(r.foldingPercent() < 0.1, similarity + ": folding " + r.foldingPercent());
			}
		}
	}

	@Test
	void aShiftIsRecoveredIn3dAndAnisotropicSpacingIsHonoured() {
		// 28×24×20 voxels of 1 × 1 × 2 mm; moving(x + (1.5, −1, 2) mm) = fixed(x).
		final int nx = 28, ny = 24, nz = 20;
		final double[] spacing = { 1, 1, 2 };
		final double[][] blobs = { { 9, 8, 18, 3 }, { 18, 15, 20, 4 }, { 12, 16, 10, 3 }, { 20, 8, 28, 3.5 }, { 14, 12, 24, 2.5 } };
		final float[][] v = new float[2][nx * ny * nz];
		for (int z = 0; z < nz; z++)
			for (int y = 0; y < ny; y++)
				for (int x = 0; x < nx; x++)
					for (int which = 0; which < 2; which++) {
						final double sx = which == 1 ? 1.5 : 0, sy = which == 1 ? -1 : 0, sz = which == 1 ? 2 : 0;
						double s = 0;
						for (final double[] b : blobs)
							s += Math.exp(-(Math.pow(x - sx - b[0], 2) + Math.pow(y - sy - b[1], 2) + Math.pow(z * 2 - sz - b[2], 2)) / (2 * b[3] * b[3]));
						v[which][x + nx * (y + ny * z)] = (float) s;
					}
		final Volume fixed = new Volume("f3", new float[][] { v[0] }, new long[] { nx, ny, nz }, spacing, new double[3], "mm", PixelType.FLOAT32);
		final Volume moving = fixed.withChannels(new float[][] { v[1] }, "m3");
		final Registration.Result r = Registration.register(fixed, moving, null, null, quick(40), null);
		try (DeformationTransform t = r.transform()) {
			final float[][] u = Warping.displacement(t);
			assertEquals(3, u.length);
			final int centre = 14 + nx * (12 + ny * 10);
			assertEquals(1.5, u[0][centre], 0.25);
			assertEquals(-1, u[1][centre], 0.25);
			assertEquals(2, u[2][centre], 0.35);
			assertTrue(r.nccAfter() > 0.99, "NCC " + r.nccAfter());
			assertEquals(1, Warping.jacobianDeterminant(t)[centre], 0.1);
		}
	}

	@Test
	void channelsAreWarpedAlikeAndThePixelTypeIsKept() {
		final Volume fixed = blobs(32, 30, 0, 0, 8);
		final Registration.Result r = Registration.register(fixed, blobs(32, 30, 1, 0.5, 8), null, null, quick(15), null);
		try (DeformationTransform t = r.transform()) {
			// An 8-bit, 2-channel image on the moving grid: channel 2 is 2 × channel 1.
			final float[][] c = new float[2][32 * 30];
			for (int i = 0; i < c[0].length; i++) {
				c[0][i] = (i % 32) * 3;
				c[1][i] = 2 * c[0][i];
			}
			final var image = fixed.withChannels(c, "two").image("two", c, PixelType.UINT8);
			final var warped = Warping.warp(image, t, false);
			assertEquals(PixelType.UINT8, warped.pixelType());
			assertEquals(2, warped.channels());
			final Volume w = Volume.of(warped);
			for (int i = 0; i < w.voxels(); i++) {
				assertEquals(Math.rint(w.channels()[0][i]), w.channels()[0][i], 0, "8-bit values are whole numbers");
				assertEquals(2 * w.channels()[0][i], w.channels()[1][i], 1.0, "channels warped alike");
			}
		}
	}

	@Test
	void hashGridAndFourierFeatureTransformsWorkToo() {
		final Volume fixed = blobs(40, 36, 0, 0, 10), moving = blobs(40, 36, 1, 1, 10);
		for (final String model : new String[] { "hashgrid", "fourier" }) {
			final ModelOptions m = model.equals("hashgrid") ? new ModelOptions(model, 32, 1, 0, 0, 0, 0, 6, 2, 12, 4, 32)
					: new ModelOptions(model, 64, 2, 0, 32, 2, 0, 0, 0, 0, 0, 0);
			final RegistrationSettings s = quick(30).withModel(m).withFit(quick(30).fit().withLearningRate(m.defaultLearningRate()))
					.withRegularisers(0.01, 0, 0);
			final Registration.Result r = Registration.register(fixed, moving, null, null, s, null);
			try (DeformationTransform t = r.transform()) {
				final float[][] u = Warping.displacement(t);
				final int centre = 20 + 40 * 18;
				assertEquals(1, u[0][centre], 0.3, model);
				assertEquals(1, u[1][centre], 0.3, model);
			}
		}
	}

	@Test
	void theSameSeedGivesTheSameTransform() {
		final Volume fixed = blobs(36, 32, 0, 0, 11), moving = blobs(36, 32, 1, -0.5, 11);
		final float[][][] u = new float[2][][];
		for (int run = 0; run < 2; run++) {
			final Registration.Result r = Registration.register(fixed, moving, null, null, quick(20), null);
			try (DeformationTransform t = r.transform()) {
				u[run] = Warping.displacement(t);
			}
		}
		for (int k = 0; k < 2; k++) org.junit.jupiter.api.Assertions.assertArrayEquals(u[0][k], u[1][k], "axis " + k);
	}

	@Test
	void labelsStayLabelsWhenWarped() {
		final Volume fixed = blobs(40, 40, 0, 0, 3);
		final float[] labels = new float[40 * 40];
		for (int i = 0; i < labels.length; i++) labels[i] = (i % 40) / 10 * 3 + (i / 400) % 2; // values 0,1,3,4,6,7,9,10
		final Volume labelImage = fixed.withChannels(new float[][] { labels }, "labels");
		final Registration.Result r = Registration.register(fixed, blobs(40, 40, 1.5, 0.5, 3), null, null, quick(30), null);
		try (DeformationTransform t = r.transform()) {
			final Set<Float> allowed = new HashSet<>();
			for (final float v : labels) allowed.add(v);
			allowed.add(0f);
			final Volume warped = Warping.warp(labelImage, t, true);
			for (final float v : warped.channels()[0]) assertTrue(allowed.contains(v), "label " + v + " was invented by interpolation");
			// Linear interpolation would have invented values: the check above is not vacuous.
			final Volume linear = Warping.warp(labelImage, t, false);
			boolean invented = false;
			for (final float v : linear.channels()[0]) invented |= !allowed.contains(v);
			assertTrue(invented);
		}
	}

	@Test
	void transformRoundTripsThroughAFieldFileAndPlainFieldsAreRefused(@TempDir final Path dir) throws IOException {
		final Volume fixed = blobs(32, 32, 0, 0, 4);
		final Registration.Result r = Registration.register(fixed, blobs(32, 32, 1, 1, 4), null, null, quick(20), null);
		final Path file = dir.resolve("t.inr");
		try (DeformationTransform t = r.transform()) {
			t.save(file);
			try (DeformationTransform back = DeformationTransform.load(file)) {
				assertEquals(t.affine().toString(), back.affine().toString());
				final float[][] a = Warping.displacement(t), b = Warping.displacement(back);
				for (int k = 0; k < 2; k++)
					for (int i = 0; i < a[k].length; i++) assertEquals(a[k][i], b[k][i], 1e-5);
			}
			final Path plain = dir.resolve("plain.inr");
			FieldFile.save(t.field(), plain);
			final IOException e = assertThrows(IOException.class, () -> DeformationTransform.load(plain));
			assertTrue(e.getMessage().contains("not a registration transform"), e.getMessage());
		}
		Files.writeString(dir.resolve("broken.inr"), "INRFIELD garbage");
		assertThrows(IOException.class, () -> DeformationTransform.load(dir.resolve("broken.inr")));
	}

	@Test
	void badInputIsRefusedWithAClearMessage() {
		final Volume f2 = blobs(20, 20, 0, 0, 5);
		final Volume f3 = new Volume("vol", new float[][] { new float[8 * 8 * 8] }, new long[] { 8, 8, 8 }, new double[] { 1, 1, 1 },
				new double[3], "px", null);
		final var s = quick(5);
		assertTrue(assertThrows(IllegalArgumentException.class, () -> Registration.register(f2, f3, null, null, s, null)).getMessage()
				.contains("same dimensionality"));
		final Volume empty = f2.withChannels(new float[][] { new float[400] }, "mask");
		assertTrue(assertThrows(IllegalArgumentException.class, () -> Registration.register(f2, f2, empty, null, s, null)).getMessage()
				.contains("empty"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> Registration.register(f2, f2, null, empty, s, null)).getMessage()
				.contains("empty"));
		assertTrue(assertThrows(IllegalArgumentException.class, () -> Registration.register(f2, empty, null, null, s, null)).getMessage()
				.contains("constant"));
		assertThrows(IllegalArgumentException.class, () -> Affine.parse("1 0 0; 0 1"));
		assertThrows(IllegalArgumentException.class, () -> Similarity.parse("mutual-information"));
	}
}
