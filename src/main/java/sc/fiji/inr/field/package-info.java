/**
 * The neural field itself: encodings (none, Fourier features, positional, multi-resolution hash
 * grid), networks (ReLU MLP, SIREN), the coordinate frame and value scale that tie it to physical
 * units and intensities, and the {@code .inr} file format. Knows nothing about fitting.
 */
package sc.fiji.inr.field;
