/**
 * Fields as ImgLib2 images: batched rendering onto grids (scale, size, region), a lazily evaluated
 * cell image for renders larger than memory, and a {@code RealRandomAccessible} view.
 */
package sc.fiji.inr.raster;
