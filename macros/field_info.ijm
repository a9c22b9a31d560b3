// Describes a field file (.inr) without loading its weights: source image, axes and
// calibration, model, parameter count and how it was fitted, then the full JSON header.
//
// Argument (optional): field=<file>; without it, asks for the file.
//   ImageJ --headless -batch field_info.ijm "field=/tmp/camera.inr"

args = getArgument() + " ";
field = call("ij.Macro.getValue", args, "field", "");
if (field == "")
	field = File.openDialog("Choose a field file (.inr)");
run("Neural Field Info", "field=[" + field + "]");
