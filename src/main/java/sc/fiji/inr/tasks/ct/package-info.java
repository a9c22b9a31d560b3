/**
 * 2D computed tomography: the scan geometry ({@link sc.fiji.inr.tasks.ct.CtGeometry}), a discrete
 * projector and its exact adjoint ({@link sc.fiji.inr.tasks.ct.RayProjector}) that simulate
 * sinograms, and the classical reconstructions that an INR reconstruction is compared against:
 * filtered back-projection ({@link sc.fiji.inr.tasks.ct.FilteredBackProjection}) and SART
 * ({@link sc.fiji.inr.tasks.ct.Sart}). Pure Java, no DJL.
 *
 * <h2>Conventions</h2>
 * <ul>
 * <li>Physical units (e.g. mm) throughout; coordinates are relative to the isocentre (the centre
 * of rotation), x to the right, y <em>down</em> (image row order, as ImageJ displays).</li>
 * <li>A reconstruction grid of W×H pixels of size p is centred on the isocentre: pixel (i, j),
 * flat index {@code i + W·j}, has its centre at {@code ((i − (W−1)/2)·p, (j − (H−1)/2)·p)}.</li>
 * <li>For view angle θ (radians in the API, degrees in
 * {@link sc.fiji.inr.tasks.ct.CtGeometry#toProperties()}) the detector axis is
 * {@code e_s = (cos θ, −sin θ)} and the ray axis {@code e_t = (sin θ, cos θ)}. At θ = 0 the
 * detector runs along +x and the rays along +y (down the image).</li>
 * <li>Parallel beam: a point r has detector coordinate {@code s = ⟨r, e_s⟩}; the ray of detector
 * coordinate u is the line {@code {u·e_s + t·e_t}}. This is scikit-image's {@code radon}
 * convention with y down, so a sinogram here, transposed, is a sinogram for skimage's
 * {@code iradon} (angles in degrees). skimage centres its detector on element D // 2 and its
 * image on pixel size // 2, so the two agree for odd image sizes with detector offset
 * {@code (D−1)/2 − D//2} (−½ for even D); {@code CtSkimageReferenceTest} checks projections and
 * FBP against skimage's own numbers.</li>
 * <li>Detector element i (0..D−1) sits at {@code u_i = (i − (D−1)/2)·spacing + offset}.</li>
 * <li>Fan beam, flat detector: the source is at {@code −R·e_t} (R = source-to-isocentre
 * distance); the detector is the line through {@code (SDD − R)·e_t} parallel to e_s (SDD =
 * source-to-detector distance, SDD &gt; R &gt; 0); element u is at
 * {@code (SDD − R)·e_t + u·e_s}, and its ray runs from the source to it. The fan angle of element
 * u is {@code atan(u / SDD)}.</li>
 * <li>A sinogram is a float image of width D (detector) and height V (views, one row per angle):
 * flat index {@code i + D·v}. Its values are line integrals, in image value × length unit.</li>
 * </ul>
 */
package sc.fiji.inr.tasks.ct;
