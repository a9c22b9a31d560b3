/**
 * Fitting a neural field to an image's pixels (2D–4D, any number of channels): the simplest
 * objective, each pixel centre a measurement, as in SIREN (Sitzmann et al. 2020), Fourier
 * features (Tancik et al. 2020) and Instant-NGP (Müller et al. 2022).
 */
package sc.fiji.inr.tasks.fitimage;
