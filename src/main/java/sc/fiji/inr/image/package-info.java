/**
 * Leaf utilities: ImagePlus to ImgLib2 without copying, NIfTI-1 reading and writing, image
 * reading and writing, metrics, input checks and phantoms.
 */
package sc.fiji.inr.image;
