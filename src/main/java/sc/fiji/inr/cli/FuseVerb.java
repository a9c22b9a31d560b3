package sc.fiji.inr.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import net.imglib2.type.numeric.real.FloatType;
import sc.fiji.inr.field.FieldFile;
import sc.fiji.inr.fit.FitResult;
import sc.fiji.inr.image.CalibratedImage;
import sc.fiji.inr.image.ImageReader;
import sc.fiji.inr.image.ImageWriter;
import sc.fiji.inr.image.NiftiReader;
import sc.fiji.inr.raster.RenderGrid;
import sc.fiji.inr.tasks.superres.Interpolation;
import sc.fiji.inr.tasks.superres.Orientation;
import sc.fiji.inr.tasks.superres.RigidMotion;
import sc.fiji.inr.tasks.superres.StackGeometry;
import sc.fiji.inr.tasks.superres.SuperResolution;

/**
 * {@code inr fuse STACK1 STACK2 ... -o OUT}: several 3D stacks of one object (thick slices in
 * different orientations, or shifted) into one volume with isotropic voxels, by a neural field
 * fitted to all of them through each voxel's acquisition model, optionally with a rigid pose per
 * stack; or, as the baseline, the voxel-wise average of the stacks interpolated onto the output grid.
 * <p>
 * Where each stack lies in the world comes from its NIfTI header (sform, else qform) or, for
 * formats without orientation, from its calibration plus the orientation given on the command
 * line. Mixing is allowed; giving an orientation for a NIfTI stack is refused rather than
 * silently overriding or ignoring its header.
 */
final class FuseVerb implements Main.Verb {

	/** The --orientation entry that stands for a NIfTI stack: its header decides. */
	static final String HEADER = "header";

	@Override
	public String summary() {
		return "fuse 2+ thick-slice 3D stacks (NIfTI, TIFF) into one isotropic volume, by INR or averaging";
	}

	@Override
	public String help() {
		return """
				Usage: inr fuse STACK1 STACK2 [STACK3 ...] -o OUT.nii.gz|OUT.nii|OUT.tif [options]

				Fuses two or more 3D stacks of the same object (e.g. axial, coronal and sagittal thick-slice
				MRI) into one volume with isotropic voxels. The default method fits one neural field to the
				voxels of all stacks through a model of how each was acquired (a slice profile along each
				stack's slice axis; a box in-plane where a stack is coarser than the output), so every stack
				contributes the detail it saw; the baseline averages the stacks interpolated onto the output
				grid. All stacks need the same number of channels and must overlap; the output is in world
				coordinates (axis-aligned). Options marked inr (or average) are refused with the other
				method rather than silently ignored.

				Where the stacks are:
				  NIfTI stacks (.nii, .nii.gz) are placed by their header (sform, else qform), in mm.
				  Other stacks (TIFF, ...) have only a calibration, so --orientation must say how they lie.
				  --orientation LIST    one entry per stack, in order, comma-separated: axial, coronal or
				                        sagittal (slices along world z, y or x) for a non-NIfTI stack, and
				                        header for a NIfTI stack, e.g. header,coronal,sagittal. Not needed
				                        when all stacks are NIfTI.
				Output grid:
				  --voxel V             isotropic voxel size in mm (or the stacks' unit)
				                        (default: the finest spacing of any stack)
				  --fov F               union (default): the box around all stacks; first: the first stack's box
				Method:
				  --method M            inr (default) or average
				  --interpolation K     average: nearest, linear, cubic (default) or lanczos
				  --align               inr: fit a rigid motion (3 rotations, 3 shifts) of every stack but the
				                        first, jointly with the field, for stacks acquired minutes apart
				  --profile P           inr: slice profile, box (default) or gaussian
				  --thickness T         inr: slice width (box) or FWHM (gaussian) in mm (or the stacks' unit)
				                        (default: each stack's slice spacing)
				Model (inr):
				""" + FitVerb.MODEL_HELP + SuperresVerb.INR_FIT_HELP + """
				Output:
				  -o, --output FILE     image to write (.nii, .nii.gz, .tif, .tiff)
				  --field FILE          inr: also save the fitted field (.inr), to render it again later
				  --force               overwrite existing output files
				  --quiet               no progress bar
				""";
	}

	@Override
	public int run(final String[] args, final PrintStream out, final PrintStream err) throws Exception {
		final Arguments a = new Arguments("fuse", args,
				FitVerb.concat(SuperresVerb.INR_OPTIONS, List.of("output", "voxel", "fov", "orientation", "method", "interpolation")),
				List.of("align", "force", "quiet"));
		final List<Path> inputs = a.positional().stream().map(Path::of).toList();
		if (inputs.size() < 2)
			throw new UsageException("'inr fuse' needs at least 2 stacks, got " + (inputs.isEmpty() ? "none" : inputs.size() + ": " + inputs));
		final Path[] inputArray = inputs.toArray(Path[]::new);
		final Path target = SuperresVerb.checkImageOutput(a.string("output", null), a.has("force"), inputArray);
		final String method = SuperresVerb.method(a.string("method", "inr"), List.of("inr", "average"));
		final boolean inr = method.equals("inr");
		if (inr && a.has("interpolation"))
			throw new UsageException("--interpolation applies to --method average only; inr fits a field instead");
		if (!inr) {
			SuperresVerb.refuseInrOptions(a, "--method average");
			if (a.has("align")) throw new UsageException("--align applies to --method inr only, not to --method average");
		}
		final Interpolation interpolation = inr ? null : interpolation(a.string("interpolation", "cubic"));
		final Path fieldPath = a.has("field") ? SuperresVerb.checkFieldOutput(a.string("field", null), a.has("force"), inputArray) : null;
		final List<Orientation> orientations = orientations(a.string("orientation", null), inputs);
		final double voxel = a.number("voxel", 0);
		if (a.has("voxel") && !(voxel > 0)) throw new UsageException("Option --voxel needs a positive size, got '" + a.string("voxel", "") + "'");
		final SuperResolution.FieldOfView fov;
		try {
			fov = SuperResolution.FieldOfView.parse(a.string("fov", "union"));
		}
		catch (final IllegalArgumentException e) {
			throw new UsageException(e.getMessage());
		}
		final SuperResolution.Settings settings = inr ? SuperresVerb.settings(a, a.has("align")) : null;

		final List<SuperResolution.Stack> stacks = new ArrayList<>();
		for (int i = 0; i < inputs.size(); i++) stacks.add(read(inputs.get(i), orientations.get(i)));
		SuperResolution.checkFusable(stacks);
		final RenderGrid grid = SuperResolution.fusionGrid(stacks.stream().map(SuperResolution.Stack::geometry).toList(), voxel, fov);

		final String unit = SuperresVerb.unit(stacks.get(0).image());
		final StringBuilder head = new StringBuilder("fuse ").append(stacks.size()).append(" stacks (");
		for (int i = 0; i < stacks.size(); i++)
			head.append(i == 0 ? "" : ", ").append(stacks.get(i).image().name()).append(' ')
					.append(SuperresVerb.size(stacks.get(i).geometry().size()));
		head.append(") → ").append(SuperresVerb.size(grid.size())).append(", voxel ")
				.append(SuperresVerb.number(grid.spacing()[0])).append(' ').append(unit);
		if (!inr) {
			final long start = System.nanoTime();
			final CalibratedImage<FloatType> result = SuperResolution.average(stacks, grid, interpolation);
			ImageWriter.write(result, target);
			out.printf(Locale.ROOT, "%s, average of %s interpolation in %.2f s → %s%n", head,
					interpolation.name().toLowerCase(Locale.ROOT), (System.nanoTime() - start) / 1e9, target);
			return 0;
		}
		final SuperResolution.Result result = SuperresVerb.withProgress(a.has("quiet") ? null : err,
				listener -> SuperResolution.fuse(stacks, grid, settings, listener));
		try (var field = result.field()) {
			ImageWriter.write(result.image(), target);
			if (fieldPath != null) FieldFile.save(field, fieldPath);
			out.printf(Locale.ROOT, "%s, inr (%s%s): %s → %s%s%n", head, settings.model().model(), settings.align() ? ", aligned" : "",
					SuperresVerb.fitSummary(result.fit()), target, fieldPath == null ? "" : ", field " + fieldPath);
			if (settings.align())
				for (int i = 0; i < stacks.size(); i++) {
					final RigidMotion m = result.motions().get(i);
					out.printf("  motion of %s%s: %s%n", stacks.get(i).image().name(), i == 0 ? " (reference)" : "", m);
				}
		}
		return result.fit().stopReason() == FitResult.StopReason.CANCELLED ? 130 : 0;
	}

	private static Interpolation interpolation(final String name) {
		try {
			return Interpolation.parse(name);
		}
		catch (final IllegalArgumentException e) {
			throw new UsageException(e.getMessage());
		}
	}

	/**
	 * One orientation per stack, null for NIfTI stacks (placed by their header). Without the
	 * option every stack must be NIfTI.
	 */
	static List<Orientation> orientations(final String option, final List<Path> inputs) {
		final List<Orientation> result = new ArrayList<>();
		if (option == null) {
			for (final Path p : inputs) {
				if (!SuperresVerb.isNifti(p))
					throw new UsageException(p.getFileName() + " is not NIfTI, so it has no orientation of its own: give --orientation"
							+ " with one entry per stack (axial, coronal, sagittal; " + HEADER + " for NIfTI stacks)");
				result.add(null);
			}
			return result;
		}
		final String[] entries = option.split(",", -1);
		if (entries.length != inputs.size())
			throw new UsageException("--orientation needs one entry per stack: " + inputs.size() + " stacks, " + entries.length
					+ " entries in '" + option + "'");
		for (int i = 0; i < entries.length; i++) {
			final String e = entries[i].trim();
			final Path p = inputs.get(i);
			final boolean nifti = SuperresVerb.isNifti(p);
			if (e.equalsIgnoreCase(HEADER)) {
				if (!nifti)
					throw new UsageException("--orientation entry " + (i + 1) + " is '" + HEADER + "', but " + p.getFileName()
							+ " is not NIfTI and has no header orientation: use axial, coronal or sagittal");
				result.add(null);
				continue;
			}
			final Orientation o;
			try {
				o = Orientation.parse(e);
			}
			catch (final IllegalArgumentException ex) {
				throw new UsageException("Unknown orientation '" + e + "' in --orientation (use axial, coronal, sagittal, or " + HEADER
						+ " for a NIfTI stack)");
			}
			if (nifti)
				throw new UsageException(p.getFileName() + " is NIfTI: its header places it, so its --orientation entry (" + (i + 1)
						+ ", '" + e + "') must be '" + HEADER + "'");
			result.add(o);
		}
		return result;
	}

	/** A stack and its geometry: NIfTI from its header, other formats from the calibration and {@code orientation}. */
	private static SuperResolution.Stack read(final Path path, final Orientation orientation) throws java.io.IOException {
		final CalibratedImage<?> image = ImageReader.read(path);
		return new SuperResolution.Stack(image, SuperresVerb.isNifti(path) ? StackGeometry.fromNifti(NiftiReader.readHeader(path))
				: StackGeometry.fromCalibration(image, orientation));
	}
}
