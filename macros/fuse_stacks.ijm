// Fuses thick-slice stacks acquired in different orientations into one isotropic volume with
// Fuse Stacks, and prints the size and voxel size of the result.
//
// With two or more stacks open, fuses the first three (in the order they were opened, taken as
// axial, coronal, sagittal). Otherwise builds three synthetic stacks of the same object: an
// axial, a coronal and a sagittal one, each with 1 mm pixels in-plane and 4 mm slices, every
// slice the average of the object over its thickness (a box slice profile).
//   ImageJ --headless -batch fuse_stacks.ijm "method=inr steps=300 voxel=1"
// Arguments (all optional):
//   method=<name>  inr (default) or average (of the cubic-interpolated stacks)
//   steps=<n>      fitting steps for inr (default 300)
//   voxel=<mm>     output voxel size (default 0 = the finest input spacing)
//   align=true     also fit a rigid motion per stack (inr only)
//   size=<n>       edge of the synthetic object in mm (default 24; a multiple of 4)
//   field=<file>   also save the fitted field there (.inr; inr only)

// Shared with the functions below (ImageJ macro functions see only "var" globals).
var size = 24;
var thick = 4;
var slices = 6;

args = getArgument() + " ";
method = option(args, "method", "inr");
steps = option(args, "steps", "300");
voxel = option(args, "voxel", "0");
align = option(args, "align", "false");
size = parseInt(option(args, "size", "24"));
field = option(args, "field", "");

if (nImages < 2) {
	slices = floor(size / thick);
	// image x, image y, slice axis -> world axes (0 = x, 1 = y, 2 = z), without flips
	makeStack("axial", 0, 1, 2);
	makeStack("coronal", 0, 2, 1);
	makeStack("sagittal", 1, 2, 0);
	titles = newArray("axial", "coronal", "sagittal");
} else {
	titles = newArray(minOf(nImages, 3));
	for (i = 0; i < titles.length; i++) {
		selectImage(i + 1);
		titles[i] = getTitle();
	}
}

options = "stack1=[" + titles[0] + "] stack2=[" + titles[1] + "] orientation1=axial orientation2=coronal";
if (titles.length > 2)
	options = options + " stack3=[" + titles[2] + "] orientation3=sagittal";
options = options + " method=" + method + " steps=" + steps + " voxel=" + voxel;
if (align == "true")
	options = options + " align";
if (field != "")
	options = options + " field=[" + field + "]";
run("Fuse Stacks...", options);

getDimensions(width, height, channels, depth, frames);
getVoxelSize(pixelWidth, pixelHeight, pixelDepth, unit);
print("Fused " + titles.length + " stacks by " + method + " into " + getTitle() + ": " + width + "x" + height + "x" + depth
	+ ", voxel " + pixelWidth + " x " + pixelHeight + " x " + pixelDepth + " " + unit);

// A stack of the object with slices thick mm apart along world axis sliceAxis.
function makeStack(title, xAxis, yAxis, sliceAxis) {
	newImage(title, "32-bit black", size, size, slices);
	setVoxelSize(1, 1, thick, "mm");
	p = newArray(3);
	for (k = 0; k < slices; k++) {
		setSlice(k + 1);
		for (j = 0; j < size; j++) {
			for (i = 0; i < size; i++) {
				p[xAxis] = i;
				p[yAxis] = j;
				sum = 0;
				for (s = 0; s < thick; s++) {
					p[sliceAxis] = k * thick + s - (thick - 1) / 2;
					sum = sum + object(p[0], p[1], p[2]);
				}
				setPixel(i, j, sum / thick);
			}
		}
	}
}

// The synthetic object at world point (x, y, z) in mm: two Gaussian blobs and a ripple.
function object(x, y, z) {
	c = size / 2;
	r2 = (x - c) * (x - c) + (y - c) * (y - c) + (z - c) * (z - c);
	q2 = (x - c / 2) * (x - c / 2) + (y - c) * (y - c) + (z - 1.5 * c) * (z - 1.5 * c);
	return 100 * exp(-r2 / (c * c / 2)) + 80 * exp(-q2 / 8) + 20 * sin(x / 2) * sin(y / 3);
}

// The value of key in ImageJ-style options ("key=value key2=[a value with spaces]").
function option(options, key, defaultValue) {
	return call("ij.Macro.getValue", options, key, defaultValue);
}
