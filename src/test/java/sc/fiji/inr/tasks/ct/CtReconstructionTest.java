package sc.fiji.inr.tasks.ct;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

import sc.fiji.inr.field.ModelOptions;

/** The CT default hash grid, and that a user's own choice is kept. */
class CtReconstructionTest {

	@Test
	void defaultHashGridStopsAtHalfTheImageSize() {
		final ModelOptions m = sc.fiji.inr.tasks.Reconstruction.coarseHashGrid(ModelOptions.of("hashgrid"), new long[] { 256, 200 });
		assertEquals(12, m.levels());
		assertEquals(128, m.finest());
		assertEquals(16, sc.fiji.inr.tasks.Reconstruction.coarseHashGrid(ModelOptions.of("hashgrid"), new long[] { 20, 20 }).finest());
	}

	@Test
	void userChoicesAndOtherModelsAreKept() {
		final ModelOptions own = new ModelOptions("hashgrid", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 256);
		assertSame(own, sc.fiji.inr.tasks.Reconstruction.coarseHashGrid(own, new long[] { 256, 256 }));
		final ModelOptions siren = ModelOptions.of("siren");
		assertSame(siren, sc.fiji.inr.tasks.Reconstruction.coarseHashGrid(siren, new long[] { 256, 256 }));
	}
}
