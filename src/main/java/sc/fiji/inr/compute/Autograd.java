package sc.fiji.inr.compute;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/** The few autograd operations DJL's engine-neutral API lacks; kept here so the seam stays small. */
public final class Autograd {

	private Autograd() {}

	/**
	 * Sets a parameter's accumulated gradient to zero in place. Why not {@code g.subi(g)} as DJL
	 * does: a NaN gradient would stay NaN forever.
	 */
	public static void zeroGradient(final NDArray parameter) {
		if (parameter instanceof PtNDArray pt) JniUtils.zeroGrad(pt);
		else try (NDArray g = parameter.getGradient()) {
			g.muli(0);
		}
	}
}
