/**
 * The DJL/PyTorch runtime: one dedicated compute thread, device choice (GPU when present), offline and
 * no-tracking configuration, and the few engine-specific operations (gradient reset, tensor creation
 * without leaking direct buffers). Everything above this package stays engine-neutral.
 */
package sc.fiji.inr.compute;
