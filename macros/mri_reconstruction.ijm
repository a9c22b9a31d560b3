// Simulates an undersampled MRI scan of a phantom with Simulate MRI k-space, reconstructs it by
// zero filling and with a neural field (Reconstruct MRI), and prints each result's PSNR. With
// prior=<steps>, it also fits a prior field (Fit Prior...) to an "earlier scan" of the phantom that
// lacks today's bright spot, and reconstructs from that prior (NeRP start plus the prior weight).
//
// Builds a Shepp-Logan-like phantom (values 0..1, 1 mm pixels) unless an image is open, e.g.
//   ImageJ --headless -batch mri_reconstruction.ijm "size=128 acceleration=4 steps=1000"
// Arguments (all optional):
//   size=<n>          phantom size in pixels (default 64)
//   pattern=<name>    cartesian (default) or radial
//   acceleration=<x>  undersampling factor of the Cartesian rows (default 4)
//   spokes=<n>        radial spokes (default 32)
//   noise=<sigma>     Gaussian noise per k-space component (default 0)
//   steps=<n>         fitting steps of the neural field (default 300; 0 = zero-filled only)
//   prior=<n>         fitting steps of the prior field (default 0 = no prior; needs the built-in phantom)
//   anchor=<w>        prior weight: total variation of the change from the prior (default 0.02)

var size = 64;

args = getArgument() + " ";
size = parseInt(option(args, "size", "64"));
pattern = option(args, "pattern", "cartesian");
acceleration = option(args, "acceleration", "4");
spokes = option(args, "spokes", "32");
noise = option(args, "noise", "0");
steps = parseInt(option(args, "steps", "300"));
priorSteps = parseInt(option(args, "prior", "0"));
anchor = option(args, "anchor", "0.02");

builtIn = nImages == 0;
if (builtIn) {
	drawPhantom("earlier", size, 0);
	drawPhantom("phantom", size, 1);
}
truth = getTitle();

run("Simulate MRI k-space...", "image=[" + truth + "] pattern=" + pattern + " acceleration=" + acceleration + " spokes="
	+ spokes + " noise=" + noise);
kspace = truth + "-kspace";
mask = truth + "-mask";
print("k-space " + kspace + ": " + getWidth() + "x" + getHeight() + ", sampling mask " + mask);

run("Reconstruct MRI...", "kspace=[" + kspace + "] mask=[" + mask + "] method=zero-filled");
print("zero-filled: " + getTitle() + ", PSNR " + d2s(psnr(truth, getTitle()), 2) + " dB");
if (steps > 0) {
	run("Reconstruct MRI...", "kspace=[" + kspace + "] mask=[" + mask + "] method=inr steps=" + steps);
	print("inr (" + steps + " steps): " + getTitle() + ", PSNR " + d2s(psnr(truth, getTitle()), 2) + " dB");
}
if (steps > 0 && priorSteps > 0 && !builtIn)
	print("prior: skipped, it needs the built-in phantom (an earlier scan without the spot)");
else if (steps > 0 && priorSteps > 0) {
	priorFile = getDirectory("temp") + "mri-prior.inr";
	run("Fit Prior...", "image=earlier steps=" + priorSteps + " output=[" + priorFile + "]");
	run("Reconstruct MRI...", "kspace=[" + kspace + "] mask=[" + mask + "] method=inr steps=" + steps + " prior=["
		+ priorFile + "] anchor=" + anchor);
	rename(kspace + "-inr-prior");
	print("inr + prior (" + steps + " steps, prior weight " + anchor + "): " + getTitle() + ", PSNR "
		+ d2s(psnr(truth, getTitle()), 2) + " dB");
}

// A size × size image of the phantom, 1 mm pixels; spot = 0 leaves out the bright spot.
function drawPhantom(title, size, spot) {
	newImage(title, "32-bit black", size, size, 1);
	setVoxelSize(1, 1, 1, "mm");
	for (j = 0; j < size; j++)
		for (i = 0; i < size; i++)
			setPixel(i, j, phantom(2 * (i + 0.5) / size - 1, 2 * (j + 0.5) / size - 1, spot));
}

// A Shepp-Logan-like head at normalised (x, y) in [-1, 1]: skull, brain, ventricles, two spots.
function phantom(x, y, spot) {
	v = 0;
	if (1 == inside(x, y, 0, 0, 0.69, 0.92)) v = 1;
	if (1 == inside(x, y, 0, 0.02, 0.66, 0.87)) v = v - 0.8;
	if (1 == inside(x, y, 0.22, 0, 0.11, 0.31)) v = v - 0.1;
	if (1 == inside(x, y, -0.22, 0, 0.16, 0.41)) v = v - 0.1;
	if (1 == inside(x, y, 0, -0.35, 0.21, 0.25)) v = v + 0.2;
	if (spot == 1 && 1 == inside(x, y, 0, 0.5, 0.08, 0.08)) v = v + 0.3;
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
