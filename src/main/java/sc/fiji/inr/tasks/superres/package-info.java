/**
 * Super-resolution and fusion of thick-slice stacks: a neural field is fitted to every measured
 * voxel through that voxel's acquisition model — the field integrated over the voxel's
 * point-spread function in world space (box in-plane, box or Gaussian slice profile) — and then
 * rendered at any voxel size. Several stacks in different orientations constrain one field, and
 * their rigid misalignment can be fitted jointly (NeSVoR, Xu et al. 2023; IREM, Wu et al. 2021;
 * multi-contrast INR super-resolution, McGinnis et al. 2023). Classical baselines (nearest,
 * linear, cubic, Lanczos resampling; the average of interpolated stacks) run on the same grids.
 * <p>
 * Entry point: {@link sc.fiji.inr.tasks.superres.SuperResolution}.
 */
package sc.fiji.inr.tasks.superres;
