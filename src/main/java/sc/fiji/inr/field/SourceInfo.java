package sc.fiji.inr.field;

import sc.fiji.inr.image.PixelType;

/**
 * What a field was fitted from, so rendering can restore the pixel type and the user can tell
 * fields apart.
 *
 * @param name      source image title
 * @param pixelType storage type of the source pixels
 */
public record SourceInfo(String name, PixelType pixelType) {

	public SourceInfo {
		if (name == null) name = "";
		if (pixelType == null) pixelType = PixelType.FLOAT32;
	}
}
