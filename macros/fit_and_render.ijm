// Fits a neural field to an image, renders it at twice the resolution and prints what it made.
//
// Runs on the current image, or with arguments in ImageJ's option style, e.g. headless:
//   ImageJ --headless -batch fit_and_render.ijm "image=/data/camera.png output=/tmp/camera.inr steps=500"
// Arguments (all optional):
//   image=<file>   image to open (default: the current image, else a generated 64x64 pattern)
//   output=<file>  where to save the field (default: fit_and_render.inr in the temp folder)
//   steps=<n>      fitting steps (default 200)
//   model=<name>   hashgrid, siren, fourier or positional (default hashgrid)

args = getArgument() + " ";
imagePath = option(args, "image", "");
output = option(args, "output", getDirectory("temp") + "fit_and_render.inr");
steps = option(args, "steps", "200");
model = option(args, "model", "hashgrid");

if (imagePath != "") {
	open(imagePath);
} else if (nImages == 0) {
	newImage("pattern", "8-bit black", 64, 64, 1);
	for (y = 0; y < 64; y++)
		for (x = 0; x < 64; x++)
			setPixel(x, y, 127 + 100 * sin(x / 5) * cos(y / 7));
	setVoxelSize(0.5, 0.5, 1, "um");
}
source = getTitle();

run("Fit Neural Field...", "image=[" + source + "] model=" + model + " steps=" + steps + " output=[" + output + "]");
run("Render Neural Field...", "field=[" + output + "] scale=2");

getVoxelSize(pixelWidth, pixelHeight, pixelDepth, unit);
print("Rendered " + getTitle() + ": " + getWidth() + "x" + getHeight() + ", " + bitDepth() + "-bit, pixel size "
	+ pixelWidth + " " + unit + "; field saved to " + output);

// The value of key in ImageJ-style options ("key=value key2=[a value with spaces]").
function option(options, key, defaultValue) {
	return call("ij.Macro.getValue", options, key, defaultValue);
}
