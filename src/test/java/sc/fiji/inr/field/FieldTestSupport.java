package sc.fiji.inr.field;

import java.util.ArrayList;
import java.util.List;

import sc.fiji.inr.image.Axis;

/** Small fields for tests. */
public final class FieldTestSupport {

	private FieldTestSupport() {}

	public static CoordinateFrame frame(final long... size) {
		final List<Axis> axes = new ArrayList<>(List.of(Axis.X, Axis.Y, Axis.Z, Axis.TIME).subList(0, size.length));
		final String[] units = new String[size.length];
		final double[] origin = new double[size.length], spacing = new double[size.length];
		for (int d = 0; d < size.length; d++) {
			units[d] = "µm";
			spacing[d] = 0.5 + d;
			origin[d] = 10 * d;
		}
		return new CoordinateFrame(axes, units, origin, spacing, size);
	}

	public static NeuralField field(final FieldSpec spec, final long seed) {
		final long[] size = new long[spec.inDims()];
		java.util.Arrays.fill(size, 16);
		return NeuralField.create(spec, frame(size), ValueScale.identity(spec.outChannels()), new SourceInfo("test", null), seed);
	}
}
