// Simulates a CT scan of a phantom with Simulate CT Projections, reconstructs it with filtered
// back-projection and with a neural field (Reconstruct CT), and prints each result's PSNR.
//
// Builds a Shepp-Logan-like phantom (values 0..1, 1 mm pixels) unless an image is open, e.g.
//   ImageJ --headless -batch ct_reconstruction.ijm "size=128 views=60 steps=1000"
// Arguments (all optional):
//   size=<n>        phantom size in pixels (default 64)
//   beam=<name>     parallel (default) or fan
//   views=<n>       number of views (default 90), over range=<degrees> (180; 360 for fan)
//   photons=<n>     incident photons per ray for Poisson noise (default 0 = none)
//   steps=<n>       fitting steps of the neural field (default 300; 0 = FBP only)
//   batch=<n>       ray samples per fitting step (default 0 = automatic, 32768)

var size = 64;

args = getArgument() + " ";
size = parseInt(option(args, "size", "64"));
beam = option(args, "beam", "parallel");
range = "180";
if (beam == "fan")
	range = "360";
range = option(args, "range", range);
views = option(args, "views", "90");
photons = option(args, "photons", "0");
steps = parseInt(option(args, "steps", "300"));
batch = option(args, "batch", "0");

if (nImages == 0) {
	newImage("phantom", "32-bit black", size, size, 1);
	setVoxelSize(1, 1, 1, "mm");
	for (j = 0; j < size; j++)
		for (i = 0; i < size; i++)
			setPixel(i, j, phantom(2 * (i + 0.5) / size - 1, 2 * (j + 0.5) / size - 1));
}
truth = getTitle();
size = getWidth();

run("Simulate CT Projections...", "image=[" + truth + "] beam=" + beam + " views=" + views + " range=" + range
	+ " photons=" + photons);
sinogram = getTitle();
getVoxelSize(spacing, degrees, depth, unit);
print("Sinogram " + sinogram + ": " + getWidth() + " detectors x " + getHeight() + " views of " + degrees + " degrees");

selectImage(truth);
getVoxelSize(pixel, pixelHeight, depth, unit);
grid = " size=" + size + " pixel=" + pixel;
run("Reconstruct CT...", "sinogram=[" + sinogram + "] method=fbp" + grid);
print("fbp: " + getTitle() + ", PSNR " + d2s(psnr(truth, getTitle()), 2) + " dB");
if (steps > 0) {
	run("Reconstruct CT...", "sinogram=[" + sinogram + "] method=inr steps=" + steps + " batch=" + batch + grid);
	print("inr (" + steps + " steps): " + getTitle() + ", PSNR " + d2s(psnr(truth, getTitle()), 2) + " dB");
}

// A Shepp-Logan-like head at normalised (x, y) in [-1, 1]: skull, brain, ventricles, two spots.
function phantom(x, y) {
	v = 0;
	if (1 == inside(x, y, 0, 0, 0.69, 0.92)) v = 1;
	if (1 == inside(x, y, 0, 0.02, 0.66, 0.87)) v = v - 0.8;
	if (1 == inside(x, y, 0.22, 0, 0.11, 0.31)) v = v - 0.1;
	if (1 == inside(x, y, -0.22, 0, 0.16, 0.41)) v = v - 0.1;
	if (1 == inside(x, y, 0, -0.35, 0.21, 0.25)) v = v + 0.2;
	if (1 == inside(x, y, 0, 0.5, 0.05, 0.05)) v = v + 0.3;
	return maxOf(0, v);
}

// 1 inside the ellipse of centre (cx, cy) and half-axes a, b; else 0.
function inside(x, y, cx, cy, a, b) {
	if ((x - cx) * (x - cx) / (a * a) + (y - cy) * (y - cy) / (b * b) <= 1)
		return 1;
	return 0;
}

// PSNR of image test against image truth (same size), data range 1.
function psnr(truth, test) {
	selectImage(truth);
	w = getWidth();
	h = getHeight();
	reference = newArray(w * h);
	for (j = 0; j < h; j++)
		for (i = 0; i < w; i++)
			reference[i + w * j] = getPixel(i, j);
	selectImage(test);
	sum = 0;
	for (j = 0; j < h; j++)
		for (i = 0; i < w; i++)
			sum = sum + (getPixel(i, j) - reference[i + w * j]) * (getPixel(i, j) - reference[i + w * j]);
	return 10 * log(w * h / sum) / log(10);
}

// The value of key in ImageJ-style options ("key=value key2=[a value with spaces]").
function option(options, key, defaultValue) {
	return call("ij.Macro.getValue", options, key, defaultValue);
}
