// Registers a smoothly deformed copy of an image to the original with Register Images
// (Deformable), warps a label image with the saved transform (Apply Deformation), and prints
// the NCC before and after, as the command logs them, and the warped image's title.
//
// Uses the open image, or draws a 96x96 pattern of blobs, e.g.
//   ImageJ --headless -batch registration.ijm "steps=500 transform=[/tmp/t.inr]"
// Arguments (all optional):
//   size=<n>          pattern size in pixels (default 96)
//   amplitude=<px>    largest displacement of the synthetic deformation (default 3)
//   steps=<n>         deformable fitting steps (default 300)
//   transform=<file>  where to save the transform (default: a temporary file)

args = getArgument() + " ";
size = parseInt(option(args, "size", "96"));
amplitude = parseFloat(option(args, "amplitude", "3"));
steps = option(args, "steps", "300");
transform = option(args, "transform", getDirectory("temp") + "inr-registration.inr");

if (nImages == 0) {
	newImage("original", "32-bit black", size, size, 1);
	for (j = 0; j < size; j++)
		for (i = 0; i < size; i++)
			setPixel(i, j, blobs(i, j, size));
}
original = getTitle();
w = getWidth();
h = getHeight();

// moving = original; fixed(x) = original(x + u(x)) with a smooth u, so u is the answer.
newImage("fixed", "32-bit black", w, h, 1);
for (j = 0; j < h; j++)
	for (i = 0; i < w; i++) {
		selectImage(original);
		ux = amplitude * sin(2 * PI * j / h);
		uy = amplitude * cos(2 * PI * i / w);
		v = getPixel(i + ux, j + uy); // interpolated at non-integer positions
		selectImage("fixed");
		setPixel(i, j, v);
	}

run("Register Images (Deformable)...", "fixed=fixed moving=[" + original + "] similarity=ncc model=siren steps=" + steps
	+ " transform=[" + transform + "]");
print("warped: " + getTitle() + "; " + getMetadata("Info"));

// A label image on the moving grid: quadrants 1..4, warped by nearest neighbour.
newImage("labels", "8-bit black", w, h, 1);
for (j = 0; j < h; j++)
	for (i = 0; i < w; i++)
		setPixel(i, j, 1 + floor(2 * i / w) + 2 * floor(2 * j / h));
run("Apply Deformation...", "image=labels transform=[" + transform + "] labels");
getStatistics(area, mean, min, max);
print("warped labels: " + getTitle() + ", values " + min + ".." + max);

// Smooth blobs at fixed positions, in [0, 1].
function blobs(i, j, n) {
	v = 0;
	for (k = 0; k < 9; k++) {
		cx = n * (0.2 + 0.3 * (k % 3));
		cy = n * (0.2 + 0.3 * floor(k / 3)) + 0.05 * n * sin(k);
		r = n * (0.05 + 0.02 * (k % 2));
		v = v + exp(-((i - cx) * (i - cx) + (j - cy) * (j - cy)) / (2 * r * r));
	}
	return v;
}

// The value of key in "key=value key2=[a b]" options, or the default.
function option(options, key, defaultValue) {
	return call("ij.Macro.getValue", options, key, defaultValue);
}
