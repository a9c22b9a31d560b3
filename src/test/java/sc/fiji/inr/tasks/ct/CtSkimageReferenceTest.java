package sc.fiji.inr.tasks.ct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our conventions against scikit-image's: {@code skimage-reference.txt} holds a 25×25 image, its
 * {@code radon} sinogram at 12 views and {@code iradon} of that sinogram with each filter, as
 * computed by scikit-image 0.19.3 ({@code skimage-reference.py} beside it). skimage stores
 * sinograms as (detector, view) and puts the rotation centre at pixel index size // 2, so an odd
 * image shares our centre and its 36-element detector is ours with offset −½.
 */
class CtSkimageReferenceTest {

	private static final int SIZE = 25;
	private static Map<String, double[][]> blocks;

	@BeforeAll
	static void load() throws IOException {
		blocks = new HashMap<>();
		try (InputStream in = CtSkimageReferenceTest.class.getResourceAsStream("skimage-reference.txt")) {
			assertNotNull(in, "skimage-reference.txt is missing");
			final BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
			String line;
			while ((line = r.readLine()) != null) {
				if (line.startsWith("#") || line.isBlank()) continue;
				final String[] head = line.trim().split(" ");
				final double[][] a = new double[Integer.parseInt(head[1])][];
				for (int row = 0; row < a.length; row++) {
					final String[] v = r.readLine().trim().split(" ");
					a[row] = new double[v.length];
					for (int c = 0; c < v.length; c++) a[row][c] = Double.parseDouble(v[c]);
				}
				blocks.put(head[0], a);
			}
		}
	}

	private static CtGeometry geometry() {
		final double[] deg = blocks.get("theta")[0];
		final double[] angles = new double[deg.length];
		for (int v = 0; v < deg.length; v++) angles[v] = Math.toRadians(deg[v]);
		final int d = blocks.get("radon").length;
		return CtGeometry.parallel(d, 1, (d - 1) / 2.0 - d / 2, angles);
	}

	/** An image block (rows = y) as our flat i + W·j array. */
	private static float[] image(final double[][] rows) {
		final float[] a = new float[SIZE * SIZE];
		for (int j = 0; j < SIZE; j++)
			for (int i = 0; i < SIZE; i++) a[i + SIZE * j] = (float) rows[j][i];
		return a;
	}

	/** skimage's (detector, view) sinogram as our i + D·v array, optionally mirrored along the detector. */
	private static float[] sinogram(final double[][] radon, final boolean mirrored) {
		final int d = radon.length, views = radon[0].length;
		final float[] s = new float[d * views];
		for (int v = 0; v < views; v++)
			for (int i = 0; i < d; i++) s[i + d * v] = (float) radon[mirrored ? d - 1 - i : i][v];
		return s;
	}

	@Test
	void projectionMatchesRadon() {
		final CtGeometry g = geometry();
		final float[] ours = new RayProjector(g, SIZE, SIZE, 1).project(image(blocks.get("image")));
		final float[] reference = sinogram(blocks.get("radon"), false), mirrored = sinogram(blocks.get("radon"), true);
		final double scale = CtPhantoms.rms(reference, new float[reference.length]);
		final double error = CtPhantoms.rms(ours, reference) / scale, flipped = CtPhantoms.rms(ours, mirrored) / scale;
		System.out.printf("Projection vs skimage radon: relative RMS %.4f (detector mirrored: %.4f)%n", error, flipped);
		// the two interpolate differently (bilinear samples along rays vs a rotated image), hence not exact
		assertTrue(error < 0.01, "relative RMS " + error);
		assertTrue(flipped > 0.2, "mirrored detector should not match: " + flipped);
	}

	@Test
	void filteredBackProjectionMatchesIradon() {
		final CtGeometry g = geometry();
		final float[] sino = sinogram(blocks.get("radon"), false);
		final String[] names = { "ramp", "shepp-logan", "cosine", "hann" };
		for (final String name : names) {
			final float[] ours = FilteredBackProjection.reconstruct(g, sino, RampFilter.parse(name), SIZE, SIZE, 1);
			final float[] reference = image(blocks.get("iradon-" + name));
			double max = 0;
			for (int k = 0; k < ours.length; k++) {
				max = Math.max(max, Math.abs(ours[k] - reference[k]));
				assertEquals(reference[k], ours[k], 1e-5, name + " at pixel " + k);
			}
			System.out.printf("FBP vs skimage iradon (%s): max abs difference %.2g%n", name, max);
		}
	}
}
