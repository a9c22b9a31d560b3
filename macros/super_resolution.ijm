// Upsamples one image with Super-Resolution (a neural field fitted through the acquisition model,
// or a classical interpolation to compare) and prints the size and pixel size of the result.
//
// Runs on the current image, or with arguments in ImageJ's option style, e.g. headless:
//   ImageJ --headless -batch super_resolution.ijm "image=/data/stack.tif scale=1,1,4 steps=500"
// Arguments (all optional):
//   image=<file>   image to open (default: the current image, else a generated 48x48 pattern)
//   scale=<s>      2, or per axis 1,1,4 (default 2); voxel=<v> instead: the output voxel size
//   method=<name>  inr (default), nearest, linear, cubic or lanczos
//   steps=<n>      fitting steps for inr (default 500)
//   field=<file>   also save the fitted field there (.inr; inr only)

args = getArgument() + " ";
imagePath = option(args, "image", "");
voxel = option(args, "voxel", "");
scale = option(args, "scale", "");
if (scale == "" && voxel == "")
	scale = "2";
method = option(args, "method", "inr");
steps = option(args, "steps", "500");
field = option(args, "field", "");

if (imagePath != "") {
	open(imagePath);
} else if (nImages == 0) {
	newImage("pattern", "8-bit black", 48, 48, 1);
	for (y = 0; y < 48; y++)
		for (x = 0; x < 48; x++)
			setPixel(x, y, 127 + 100 * sin(x / 3) * cos(y / 4));
	setVoxelSize(0.5, 0.5, 1, "um");
}
source = getTitle();

options = "image=[" + source + "] method=" + method + " steps=" + steps;
if (scale != "")
	options = options + " scale=[" + scale + "]";
if (voxel != "")
	options = options + " voxel=[" + voxel + "]";
if (field != "")
	options = options + " field=[" + field + "]";
run("Super-Resolution...", options);

getDimensions(width, height, channels, slices, frames);
getVoxelSize(pixelWidth, pixelHeight, pixelDepth, unit);
print("Upsampled " + source + " by " + method + " to " + getTitle() + ": " + width + "x" + height + "x" + slices + ", "
	+ bitDepth() + "-bit, voxel " + pixelWidth + " x " + pixelHeight + " x " + pixelDepth + " " + unit);

// The value of key in ImageJ-style options ("key=value key2=[a value with spaces]").
function option(options, key, defaultValue) {
	return call("ij.Macro.getValue", options, key, defaultValue);
}
