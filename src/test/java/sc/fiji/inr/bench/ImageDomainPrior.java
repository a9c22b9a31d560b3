package sc.fiji.inr.bench;

import sc.fiji.inr.field.CoordinateFrame;
import sc.fiji.inr.field.NeuralField;
import sc.fiji.inr.fit.FitListener;
import sc.fiji.inr.image.PixelType;
import sc.fiji.inr.tasks.Reconstruction;
import sc.fiji.inr.tasks.registration.Registration;
import sc.fiji.inr.tasks.registration.RegistrationSettings;
import sc.fiji.inr.tasks.registration.Volume;

/**
 * The prior term's image registered in the image domain, onto an image of the new scan (a
 * classical reconstruction, or in an experiment the truth): what {@code --register-prior} did
 * before the registration onto the sinogram ({@code ProjectionRegistration}) replaced it, kept
 * for {@link CtPriorExperiment}'s comparison (at 30 views, registered onto SART-50 the term's
 * image was 34.6 dB against the undeformed anatomy, onto the sinogram 38.8 dB).
 */
final class ImageDomainPrior {

	private ImageDomainPrior() {}

	/**
	 * The prior's image registered onto {@code reference} (the prior's grid, physical units, x
	 * fastest) by Register Images' deformable registration (affine, then an implicit displacement
	 * field) with the prior's image moving, or null when {@code weight} is 0. One channel only.
	 */
	static Reconstruction.PriorImage registered(final NeuralField prior, final float[] reference, final double weight,
			final RegistrationSettings settings, final FitListener listener) {
		final Reconstruction.PriorImage own = Reconstruction.PriorImage.of(prior, weight);
		if (own == null) return null;
		if (own.channels() != 1)
			throw new IllegalArgumentException("Registering the prior needs a one-channel prior, it has " + own.channels());
		if (reference.length != own.values().length)
			throw new IllegalArgumentException("The reference for the prior's registration has " + reference.length
					+ " values, the prior's grid " + own.values().length);
		final CoordinateFrame f = prior.frame();
		final float[] physical = new float[own.values().length];
		for (int k = 0; k < physical.length; k++) physical[k] = (float) prior.scale().denormalise(0, own.values()[k]);
		final String unit = f.units()[0];
		final Volume fixed = new Volume("scan reference", new float[][] { reference.clone() }, own.size().clone(), f.spacing(),
				f.origin(), unit, PixelType.FLOAT32);
		final Volume moving = new Volume("prior", new float[][] { physical }, own.size().clone(), f.spacing(), f.origin(), unit,
				PixelType.FLOAT32);
		final Registration.Result r = Registration.register(fixed, moving, null, null, settings, listener);
		try {
			final float[] warped = r.warped().channels()[0];
			final float[] values = new float[warped.length];
			for (int k = 0; k < values.length; k++) values[k] = (float) prior.scale().normalise(0, warped[k]);
			return new Reconstruction.PriorImage(values, own.size(), 1, weight);
		}
		finally {
			r.transform().close();
		}
	}
}
