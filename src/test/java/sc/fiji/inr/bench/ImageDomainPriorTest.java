package sc.fiji.inr.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import net.imglib2.img.array.ArrayImgs;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.view.Views;
import sc.fiji.inr.field.ModelOptions;
import sc.fiji.inr.field.NeuralField;
import sc.fiji.inr.fit.FitOptions;
import sc.fiji.inr.image.ImageMetrics;
import sc.fiji.inr.image.SheppLogan;
import sc.fiji.inr.tasks.Reconstruction;
import sc.fiji.inr.tasks.ct.CtReconstruction;
import sc.fiji.inr.tasks.fitimage.ImageFitting;
import sc.fiji.inr.tasks.registration.RegistrationSettings;

/** The image-domain registration of a prior that CtPriorExperiment compares with: it undoes a 2 px shift. */
class ImageDomainPriorTest {

	private static final int N = 48;

	@Test
	void registeringThePriorUndoesItsMisalignment() {
		final float[] plain = new float[N * N];
		int k = 0;
		for (final FloatType v : Views.flatIterable(SheppLogan.phantom2d(N).pixels())) plain[k++] = v.get();
		final float[] shifted = new float[plain.length]; // 2 px along x, zeros shifted in
		for (int y = 0; y < N; y++)
			for (int x = 2; x < N; x++) shifted[x + N * y] = plain[x - 2 + N * y];
		final CtReconstruction.Grid grid = CtReconstruction.Grid.of(N, N, 1, "mm");
		try (NeuralField field = ImageFitting.fit(CtReconstruction.image(shifted, grid, "earlier"), new ImageFitting.Settings(
				ModelOptions.of("hashgrid"), FitOptions.defaults().withSteps(300).withLearningRate(1e-2).withBatchSize(N * N), null),
				null).field()) {
			final Reconstruction.PriorImage own = Reconstruction.PriorImage.of(field, 1);
			final Reconstruction.PriorImage aligned = ImageDomainPrior.registered(field, plain, 1, RegistrationSettings.defaults(), null);
			final float[] truth = new float[plain.length];
			for (int i = 0; i < truth.length; i++) truth[i] = (float) field.scale().normalise(0, plain[i]);
			final double before = ImageMetrics.psnr(ArrayImgs.floats(truth, N, N), ArrayImgs.floats(own.values(), N, N), 1);
			final double after = ImageMetrics.psnr(ArrayImgs.floats(truth, N, N), ArrayImgs.floats(aligned.values(), N, N), 1);
			assertTrue(after > before + 6, "registered " + after + " dB, as fitted " + before + " dB");
			assertEquals(1, aligned.weight());
			assertNull(ImageDomainPrior.registered(field, plain, 0, null, null), "weight 0: no term, no registration");
			assertTrue(assertThrows(IllegalArgumentException.class, () -> ImageDomainPrior.registered(field, new float[7], 1,
					RegistrationSettings.defaults(), null)).getMessage().contains("reference"));
		}
	}
}
