"""Deformable registration benchmark (issue #5): our implicit deformation field (`bin/inr register`,
IDIR-style) beside elastix (B-spline, and affine-only as the baseline), measured in the same run on
cases with a known ground-truth displacement.

Usage: bench/run register [--quick]   (writes bench/out/register.md; data, elastix parameter files,
       every method's output and the grid pictures in bench/out/register/)
Environment: BENCH_STEPS is passed to `bin/inr register --steps`; BENCH_THREADS the elastix threads (2);
BENCH_METHODS a comma list of the methods to run (identity,affine,bspline,inr; default all);
BENCH_CASES a comma list of case-name prefixes (known-shift, known-R10, brain-s1, camera, inia19, ...).
--quick: the shift case and one 2D synthetic case only.

Convention everywhere (ours, elastix's transformix -def, the ground truth): u is sampled on the fixed
grid, in pixels (spacing 1, origin 0 for every image written here), component 0 = x (last array axis),
1 = y, 2 = z, and moving(x + u(x)) ≈ fixed(x). elastix's deformation field is T(x) − x with T mapping
fixed to moving points, which is exactly that.

Cases
- known-shift, known-R10: ITK's example pair. The ITK examples register the moving images against
  BrainProtonDensitySliceBorder20.png, which is BrainProtonDensitySlice.png with a 20-pixel border on
  every side (221 × 257, the moving images' size); that file is not in test-images/, so we rebuild it by
  zero-padding. Only then is "Shifted13x17y" a shift by (13, 17): fitted (by Powell on the SSD, linear
  interpolation) 12.999, 16.999, 0.02° and the image is an exact integer shift (moving[y+37, x+33] =
  the unpadded slice[y, x] up to ±10 grey levels of noise). Against the unpadded slice it would be (33, 37).
  R10X13Y17, found empirically the same way (the ITK Software Guide's ImageRegistration5 reports the
  same: 10.003°, centre (110, 128), translation (13.09, 15.91)): moving(T(p)) = fixed(p) with
  T(p) = R(+10°)(p − c) + c + t, R = [[cos, −sin], [sin, cos]] acting on (x, y) with y pointing down
  (image rows, so the brain turns clockwise on screen from fixed to moving), c = (110.5, 128.5) =
  the image's geometric centre (size / 2) and t = (13, 16); the free fit gives 9.9991°,
  t = (12.9999, 16.0006) for that centre (SSD 69.39 in the foreground; the nominal values 69.39).
  The name's "Y17" is not what the file holds: t = (13, 17) costs 6.7× the SSD of (13, 16), −10°
  46×, the opposite translation 128×. Independently, elastix's affine stage (which knows nothing of
  this) lands on these transforms to 0.002 px (shift) and 0.015 px (R10) mean EPE in the foreground.
  The mean squared residual after each case's true transform (and before) is printed with the case.
  Foreground = fixed > 25 (10 % of its maximum; the slice's background is noise of 1 … 20, so
  "fixed > 0" would be 99.9 % of the pixels); errors are also given over all fixed pixels.
- 2D synthetic: fixed(x) = I(x + u(x)) (linear interpolation, edge values continued), moving = I, for
  I = BrainProtonDensitySlice.png (217 × 181) and camera.png (512 × 512), u = Gaussian-smoothed white
  noise (σ = 14 px, per component, seeded), scaled so that max |u| = 8 px. Scored inside the central
  region 10 px from the edge and, for the brain, fixed > 25; for the camera, where the structure
  tensor's smaller eigenvalue (σ 8 px window) of the fixed image exceeds TEXTURE (45 % of the image):
  the sky and the coat are flat, so no method can tell where their pixels went (elastix's mean EPE over
  the whole interior is ≈ 1 px there, set by its interpolation across the flat regions, not by accuracy).
- 3D: inia19-t1-brain.nii.gz (168 × 206 × 128, 0.5 mm), Gaussian σ 0.6 voxel, resampled by 2/3
  (0.75 mm voxels, linear) and cropped around the brain to 96 × 112 × 85 (x, y, z; 0.91 M voxels ≈ 96³),
  written with spacing 1; u as in 2D with σ = 8 voxels and max |u| = 6 voxels; scored where fixed > 10 %
  of its maximum and 8 voxels from the edge.

Metrics: mean and 95th-percentile end-point error |u − u_true| in the case's mask; NCC between the
method's own warped moving image and the fixed image in the same mask; folding = % of the fixed grid's
pixels where det(I + ∇u) ≤ 0 (central differences of the returned u); wall-clock seconds of the whole
command (process start included, for both tools).
"""
import gzip
import json
import os
import shutil
import struct
import subprocess
import sys
import time

import numpy as np
from scipy.ndimage import gaussian_filter, map_coordinates, zoom

from common import ENV, HOME, QUICK, THREADS

OUT = os.path.join(HOME, "bench/out")
REG = os.path.join(OUT, "register")
IMAGES = os.path.join(HOME, "test-images")
METHODS = os.environ.get("BENCH_METHODS", "identity,affine,bspline,inr").split(",")
ONLY = [p for p in os.environ.get("BENCH_CASES", "").split(",") if p]  # case-name prefixes to run (default all)
SEEDS = (1, 2, 3)
SIGMA_2D, MAX_2D, BORDER_2D = 14.0, 8.0, 10
SIGMA_3D, MAX_3D, BORDER_3D = 8.0, 6.0, 8
TEXTURE = 4.0  # camera's mask: structure tensor's smaller eigenvalue > this (grey levels² / px²; 45 % of the image)
GRID_STEP = 8  # px between the lines of the deformation-grid pictures
NAMES = {"identity": "none (identity)", "affine": "elastix affine only", "bspline": "elastix B-spline", "inr": "INR (ours)"}


# ---------------------------------------------------------------- image files

def read_png(name):
    from skimage.io import imread
    return imread(os.path.join(IMAGES, name)).astype(np.float64)


def write_mhd(path, a):
    """float32 MetaImage, spacing 1, origin 0, identity direction (elastix's input and result format)."""
    raw = os.path.splitext(path)[0] + ".raw"
    d = a.ndim
    with open(path, "w") as f:
        f.write(f"ObjectType = Image\nNDims = {d}\nBinaryData = True\nBinaryDataByteOrderMSB = False\n"
                f"CompressedData = False\nTransformMatrix = {' '.join('1' if i == j else '0' for i in range(d) for j in range(d))}\n"
                f"Offset = {' '.join(['0'] * d)}\nElementSpacing = {' '.join(['1'] * d)}\n"
                f"DimSize = {' '.join(str(s) for s in a.shape[::-1])}\nElementType = MET_FLOAT\n"
                f"ElementDataFile = {os.path.basename(raw)}\n")
    np.ascontiguousarray(a, "<f4").tofile(raw)


def read_mhd(path):
    """MetaImage (elastix/transformix output): array (z,) y, x, with a leading component axis for vectors."""
    head = {}
    with open(path) as f:
        for line in f:
            if "=" in line:
                k, v = line.split("=", 1)
                head[k.strip()] = v.strip()
    dims = [int(s) for s in head["DimSize"].split()]
    channels = int(head.get("ElementNumberOfChannels", "1"))
    dtype = {"MET_FLOAT": "f4", "MET_DOUBLE": "f8", "MET_SHORT": "i2", "MET_USHORT": "u2", "MET_UCHAR": "u1"}[head["ElementType"]]
    dtype = (">" if head.get("BinaryDataByteOrderMSB", head.get("ElementByteOrderMSB", "False")) == "True" else "<") + dtype
    for key in ("ElementSpacing", "Offset"):
        want = "1" if key == "ElementSpacing" else "0"
        if any(abs(float(s) - float(want)) > 1e-6 for s in head.get(key, want).split()):
            raise ValueError(f"{path}: {key} = {head[key]}, expected {want}s")
    raw = os.path.join(os.path.dirname(path), head["ElementDataFile"])
    if head.get("CompressedData", "False") == "True":
        import zlib
        with open(raw, "rb") as f:
            data = np.frombuffer(zlib.decompress(f.read()), dtype)
    else:
        data = np.fromfile(raw, dtype)
    a = data.reshape(*dims[::-1], channels).astype(np.float64)  # interleaved components
    return np.moveaxis(a, -1, 0) if channels > 1 else a[..., 0]


def write_nifti(path, a):
    """NIfTI-1 float32, spacing 1 mm, identity qform and sform (code 1); a is (z, y, x)."""
    hdr = bytearray(352)
    struct.pack_into("<i", hdr, 0, 348)
    hdr[38] = ord("r")
    dims = list(a.shape[::-1])
    struct.pack_into("<8h", hdr, 40, len(dims), *dims, *([1] * (7 - len(dims))))
    struct.pack_into("<hh", hdr, 70, 16, 32)
    struct.pack_into("<8f", hdr, 76, 1, *([1.0] * 7))
    struct.pack_into("<fff", hdr, 108, 352.0, 1.0, 0.0)
    hdr[123] = 2 | 8  # mm, s
    struct.pack_into("<hh", hdr, 252, 1, 1)
    struct.pack_into("<12f", hdr, 280, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0)
    hdr[344:348] = b"n+1\0"
    with open(path, "wb") as f:
        f.write(bytes(hdr))
        f.write(np.ascontiguousarray(a, "<f4").tobytes())


def read_nifti(path):
    """Single-file NIfTI-1 (.nii or .nii.gz, either byte order): array in reversed dimension order,
    (z, y, x); vector images (dim[5] > 1, or 4D with 2–3 volumes) get the component axis first."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        b = f.read()
    e = "<" if struct.unpack("<i", b[:4])[0] == 348 else ">"
    dim = struct.unpack(e + "8h", b[40:56])
    datatype = struct.unpack(e + "h", b[70:72])[0]
    vox_offset, slope, inter = struct.unpack(e + "fff", b[108:120])
    dtype = {2: "u1", 4: "i2", 8: "i4", 16: "f4", 64: "f8", 256: "i1", 512: "u2", 768: "u4"}[datatype]
    sizes = list(dim[1:dim[0] + 1])
    a = np.frombuffer(b, e + dtype, count=int(np.prod(sizes)), offset=int(vox_offset)).reshape(sizes[::-1]).astype(np.float64)
    if slope not in (0.0, 1.0) or inter != 0.0:
        a = a * (slope if slope != 0 else 1.0) + inter
    if len(sizes) == 5:  # (c, t, z, y, x)
        a = a[:, 0] if sizes[3] == 1 else a.reshape(-1, *a.shape[2:])
    while a.ndim > 3 and a.shape[0] == 1:
        a = a[0]
    return a


def read_tif(path, components=None):
    """A (hyper)stack TIFF; with `components`, the channel axis (ImageJ 'C', or an axis of that size) first."""
    import tifffile
    with tifffile.TiffFile(path) as t:
        s = t.series[0]
        a, axes = s.asarray().astype(np.float64), s.axes
    if components is None:
        return np.squeeze(a)
    if "C" in axes and a.shape[axes.index("C")] == components:
        a = np.moveaxis(a, axes.index("C"), 0)
    elif a.shape[0] != components:
        cand = [i for i, n in enumerate(a.shape) if n == components]
        if not cand:
            raise ValueError(f"{path}: no axis of {components} components in shape {a.shape} (axes {axes})")
        a = np.moveaxis(a, cand[0], 0)
    return np.squeeze(a.reshape(components, *a.shape[1:])) if a.ndim > components + 1 else a


def write_tif(path, a):
    import tifffile
    tifffile.imwrite(path, a.astype(np.float32), imagej=True)


def save_png(path, a, lo=None, hi=None):
    from skimage.io import imsave
    lo = a.min() if lo is None else lo
    hi = a.max() if hi is None else hi
    imsave(path, (np.clip((a - lo) / max(hi - lo, 1e-12), 0, 1) * 255).astype(np.uint8), check_contrast=False)


# ---------------------------------------------------------------- geometry and metrics

def grid(shape):
    """Coordinates of every pixel, component 0 = x (last axis)."""
    g = np.meshgrid(*[np.arange(n, dtype=np.float64) for n in shape], indexing="ij")
    return np.stack(g[::-1])


def warp(image, u, order=1, mode="nearest", cval=0.0):
    """image(x + u(x)) on the grid of u (linear interpolation)."""
    x = grid(u.shape[1:]) + u
    return map_coordinates(image, list(x[::-1]), order=order, mode=mode, cval=cval)


def smooth_field(shape, sigma, max_disp, seed):
    rng = np.random.default_rng(seed)
    u = np.stack([gaussian_filter(rng.standard_normal(shape), sigma, mode="reflect") for _ in shape])
    return u * (max_disp / np.sqrt((u ** 2).sum(0)).max())


def jacobian_det(u):
    """det(I + ∇u) by central differences (one-sided at the edges)."""
    d = u.shape[0]
    j = np.empty(u.shape[1:] + (d, d))
    for i in range(d):
        grads = np.gradient(u[i])
        for k in range(d):  # ∂/∂x_k is along array axis d-1-k
            j[..., i, k] = grads[d - 1 - k] + (1.0 if i == k else 0.0)
    return np.linalg.det(j)


def structure_min_eigenvalue(image, window=8.0):
    """Smaller eigenvalue of the structure tensor (gradients of the image smoothed by σ 1, averaged over a
    Gaussian window): large where the image pins the displacement down in both directions."""
    gy, gx = np.gradient(gaussian_filter(image, 1.0))
    a, b, c = (gaussian_filter(p, window) for p in (gx * gx, gx * gy, gy * gy))
    return (a + c) / 2 - np.sqrt(((a - c) / 2) ** 2 + b * b)


def interior(shape, border):
    m = np.zeros(shape, bool)
    m[tuple(slice(border, n - border) for n in shape)] = True
    return m


def ncc(a, b, mask):
    a, b = a[mask] - a[mask].mean(), b[mask] - b[mask].mean()
    return float((a * b).sum() / np.sqrt((a * a).sum() * (b * b).sum()))


def score(case, res):
    u, truth, mask = res["u"], case["truth"], case["mask"]
    epe = np.sqrt(((u - truth) ** 2).sum(0))
    row = dict(case=case["name"], kind=case["kind"], method=NAMES[res["method"]], key=res["method"],
               epe_mean=float(epe[mask].mean()), epe_p95=float(np.percentile(epe[mask], 95)),
               epe_all_mean=float(epe.mean()), epe_all_p95=float(np.percentile(epe, 95)),
               folding=float(100 * (jacobian_det(u) <= 0).mean()), seconds=res.get("seconds"), note=res.get("note", ""))
    if res.get("warped") is not None:
        row["ncc"] = ncc(res["warped"], case["fixed"], mask)
    # our own resampling of the moving image with the returned u: checks that displacement and warped agree
    row["ncc_resampled"] = ncc(warp(case["moving"], u, mode="constant"), case["fixed"], mask)
    if "ncc" in row and row["ncc"] < row["ncc_resampled"] - 0.02:
        row["note"] += f" warped image's NCC {row['ncc']:.4f} < {row['ncc_resampled']:.4f} from resampling with u: check the conventions."
    for k in ("report_seconds", "report"):
        if k in res:
            row[k] = res[k]
    return row, epe


# ---------------------------------------------------------------- cases

def brain_border20():
    """BrainProtonDensitySliceBorder20.png of the ITK examples: the slice zero-padded by 20 px."""
    return np.pad(read_png("BrainProtonDensitySlice.png"), 20)


def known_cases():
    fixed = brain_border20()
    shape = fixed.shape
    x = grid(shape)
    mask = fixed > 25
    cases = []
    # the shift pair: an integer shift (see the module docstring)
    u = np.stack([np.full(shape, 13.0), np.full(shape, 17.0)])
    cases.append(dict(name="known-shift", kind="known", fixed=fixed, moving=read_png("BrainProtonDensitySliceShifted13x17y.png"),
                      truth=u, mask=mask, desc="ITK BrainProtonDensitySliceShifted13x17y: shift (13, 17) px"))
    if not QUICK:
        t = np.deg2rad(10.0)
        c = np.array([110.5, 128.5])
        dx, dy = x[0] - c[0], x[1] - c[1]
        px = np.cos(t) * dx - np.sin(t) * dy + c[0] + 13.0
        py = np.sin(t) * dx + np.cos(t) * dy + c[1] + 16.0
        u = np.stack([px - x[0], py - x[1]])
        cases.append(dict(name="known-R10", kind="known", fixed=fixed, moving=read_png("BrainProtonDensitySliceR10X13Y17.png"),
                          truth=u, mask=mask, desc="ITK BrainProtonDensitySliceR10X13Y17: rotation +10° about (110.5, 128.5), then (13, 16) px"))
    for c in cases:
        res = lambda u: np.mean((warp(c["moving"], u, mode="constant") - c["fixed"])[c["mask"]] ** 2)
        c["desc"] += (f" (foreground mean squared residual {res(c['truth']):.1f} grey levels² after the true transform, "
                      f"{res(0 * c['truth']):.0f} before)")
    return cases


def synthetic_2d_cases():
    cases = []
    images = [("brain", "BrainProtonDensitySlice.png"), ("camera", "camera.png")]
    for label, file in images[:1] if QUICK else images:
        image = read_png(file)
        for seed in SEEDS[:1] if QUICK else SEEDS:
            u = smooth_field(image.shape, SIGMA_2D, MAX_2D, seed)
            fixed = warp(image, u)
            mask = interior(image.shape, BORDER_2D)
            if label == "brain":
                mask &= fixed > 25
            else:  # the sky and the coat are flat: no image can tell where their pixels went
                mask &= structure_min_eigenvalue(fixed) > TEXTURE
            cases.append(dict(name=f"{label}-s{seed}", kind="2d", fixed=fixed, moving=image, truth=u, mask=mask,
                              desc=f"{file} {image.shape[1]}×{image.shape[0]}, smooth field σ {SIGMA_2D:g} px, max |u| {MAX_2D:g} px, seed {seed}"))
    return cases


def volume_3d():
    path = os.path.join(IMAGES, "inia19-t1-brain.nii.gz")
    if not os.path.exists(path):
        subprocess.run(["bash", os.path.join(IMAGES, "fetch.sh")], check=True, stdout=sys.stderr)
    v = zoom(gaussian_filter(read_nifti(path), 0.6), 2.0 / 3.0, order=1)  # (z, y, x), 0.75 mm voxels
    want = (85, 112, 96)
    fg = np.argwhere(v > 0.1 * v.max())
    lo, hi = fg.min(0), fg.max(0)
    start = [int(np.clip((l + h + 1) // 2 - w // 2, 0, n - w)) for l, h, w, n in zip(lo, hi, want, v.shape)]
    return v[tuple(slice(s, s + w) for s, w in zip(start, want))]


def case_3d(seed=1):
    image = volume_3d()
    u = smooth_field(image.shape, SIGMA_3D, MAX_3D, seed)
    fixed = warp(image, u)
    mask = interior(image.shape, BORDER_3D) & (fixed > 0.1 * fixed.max())
    z, y, x = image.shape
    return dict(name=f"inia19-3d-s{seed}", kind="3d", fixed=fixed, moving=image, truth=u, mask=mask,
                desc=f"inia19 T1 resampled to 0.75 mm, cropped {x}×{y}×{z}, smooth field σ {SIGMA_3D:g} vox, max |u| {MAX_3D:g} vox, seed {seed}")


# ---------------------------------------------------------------- elastix

COMMON = """(FixedInternalImagePixelType "float")
(MovingInternalImagePixelType "float")
(FixedImageDimension {d})
(MovingImageDimension {d})
(UseDirectionCosines "true")
(Registration "MultiResolutionRegistration")
(Interpolator "BSplineInterpolator")
(BSplineInterpolationOrder 1)
(ResampleInterpolator "FinalBSplineInterpolator")
(FinalBSplineInterpolationOrder 3)
(Resampler "DefaultResampler")
(FixedImagePyramid "FixedSmoothingImagePyramid")
(MovingImagePyramid "MovingSmoothingImagePyramid")
(Optimizer "AdaptiveStochasticGradientDescent")
(ImageSampler "RandomCoordinate")
(NewSamplesEveryIteration "true")
(CheckNumberOfSamples "true")
(Metric "{metric}")
(NumberOfHistogramBins {bins})
(ErodeMask "false")
(HowToCombineTransforms "Compose")
(DefaultPixelValue 0)
(WriteResultImage "true")
(ResultImagePixelType "float")
(ResultImageFormat "mhd")
(WriteTransformParametersEachIteration "false")
(WriteTransformParametersEachResolution "false")
"""
AFFINE = """(Transform "AffineTransform")
(AutomaticScalesEstimation "true")
(AutomaticTransformInitialization "true")
(AutomaticTransformInitializationMethod "CenterOfGravity")
(NumberOfResolutions 4)
(MaximumNumberOfIterations 500)
(NumberOfSpatialSamples {samples})
"""
BSPLINE = """(Transform "BSplineTransform")
(FinalGridSpacingInPhysicalUnits {spacing})
(GridSpacingSchedule {schedule})
(NumberOfResolutions {levels})
(MaximumNumberOfIterations {iterations})
(NumberOfSpatialSamples {samples})
"""
# Per dimension: metric and B-spline settings, tuned on brain-s1/-s2 and camera-s1/-s2 (2D) and inia19-3d-s1:
# mean EPE brain / camera: Mattes MI with 32 bins 0.13 / 0.18 px, 64 bins 0.09 / 0.14, 128 bins 0.07–0.09 / 0.11,
# 256 bins 0.07 / 0.16; AdvancedMeanSquares 0.16 / 0.36 (0.19 % folding on camera), 2000 iterations 0.10 / 0.24;
# AdvancedNormalizedCorrelation 0.17 / 0.30; final grid 6 px, 12 px, 16 px, 3 levels, 1000–2000 iterations,
# 8192–16384 samples, BSplineInterpolationOrder 3 or a smaller MaximumStepLength were no better. 3D (≈ 100 s):
# 32 bins 0.33 vox, 64 bins 0.18, 128 bins 0.19; grid 5 / 6 / 10 voxels 0.23 / 0.21 / 0.19; 1000 iterations or
# 16384 samples 0.18 at 1.6–1.8× the time.
ELASTIX = {
    2: dict(metric="AdvancedMattesMutualInformation", bins=128, spacing=8, levels=4, iterations=500, samples=4096),
    3: dict(metric="AdvancedMattesMutualInformation", bins=64, spacing=8, levels=4, iterations=500, samples=8192),
}


def parameter_files(d):
    s = ELASTIX[d]
    levels = s["levels"]
    schedule = " ".join(str(2 ** (levels - 1 - i)) for i in range(levels) for _ in range(d))
    common = COMMON.format(d=d, metric=s["metric"], bins=s["bins"])
    files = {}
    for stage, body in (("affine", AFFINE.format(samples=s["samples"])),
                        ("bspline", BSPLINE.format(spacing=s["spacing"], schedule=schedule, levels=levels,
                                                   iterations=s["iterations"], samples=s["samples"]))):
        path = os.path.join(REG, f"elastix-{stage}-{d}d.txt")
        with open(path, "w") as f:
            f.write(f"// bench/register.py: elastix {stage} stage, {d}D\n" + common + body)
        files[stage] = path
    return files


def run_logged(cmd, log):
    with open(log, "w") as f:
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, cwd=HOME, env=ENV, stdout=f, stderr=subprocess.STDOUT)
        return proc.returncode, time.perf_counter() - t0


def tail(log, n=1500):
    with open(log, errors="replace") as f:
        return f.read()[-n:]


def elastix(case, files, stages):
    d = case["truth"].shape[0]
    key = "bspline" if "bspline" in stages else "affine"
    out = os.path.join(case["dir"], f"elastix-{key}")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    cmd = ["elastix", "-f", case["fixed_mhd"], "-m", case["moving_mhd"], "-out", out, "-threads", THREADS]
    for s in stages:
        cmd += ["-p", files[s]]
    code, seconds = run_logged(cmd, os.path.join(out, "elastix.log"))
    last = len(stages) - 1
    if code != 0:
        return dict(method=key, error=f"elastix exit {code}: {tail(os.path.join(out, 'elastix.log'))}")
    code, _ = run_logged(["transformix", "-def", "all", "-out", out, "-tp", os.path.join(out, f"TransformParameters.{last}.txt"),
                          "-threads", THREADS], os.path.join(out, "transformix.log"))
    if code != 0:
        return dict(method=key, error=f"transformix exit {code}: {tail(os.path.join(out, 'transformix.log'))}")
    u = read_mhd(os.path.join(out, "deformationField.mhd"))
    assert u.shape == case["truth"].shape, (u.shape, case["truth"].shape)
    warped = read_mhd(os.path.join(out, f"result.{last}.mhd"))
    return dict(method=key, u=u, warped=warped, seconds=seconds)


# ---------------------------------------------------------------- ours

def find_output(out, stem):
    for ext in (".tif", ".tiff", ".nii", ".nii.gz"):
        p = os.path.join(out, stem + ext)
        if os.path.exists(p):
            return p
    return None


def read_any(path, components=None):
    if path.endswith((".nii", ".nii.gz")):
        return read_nifti(path)
    return read_tif(path, components)


def ours(case):
    out = os.path.join(case["dir"], "inr")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    cmd = [os.path.join(HOME, "bin/inr"), "register", case["fixed_ours"], case["moving_ours"], "-o", out, "--seed", "1", "--quiet"]
    if os.environ.get("BENCH_STEPS"):
        cmd += ["--steps", os.environ["BENCH_STEPS"]]
    log = os.path.join(out, "inr.log")
    print("bench:", " ".join(os.path.relpath(c, HOME) if c.startswith(HOME) else c for c in cmd), file=sys.stderr)
    try:
        code, seconds = run_logged(cmd, log)
    except OSError as e:
        return dict(method="inr", error=f"bin/inr register: {e}")
    if code != 0:  # its error is the log's last line (before it: SLF4J and libtorch warnings)
        last = [l for l in tail(log, 4000).splitlines() if l.strip()][-1:] or [""]
        return dict(method="inr", error=f"bin/inr register exit {code} after {seconds:.0f} s: {last[0]} "
                                        f"(log: {os.path.relpath(log, HOME)})\n{tail(log)}")
    d = case["truth"].shape[0]
    res = dict(method="inr", seconds=seconds)
    try:
        path = find_output(out, "displacement")
        if path is None:
            raise FileNotFoundError(f"no displacement.tif/.nii in {os.path.relpath(out, HOME)}")
        u = read_any(path, d)
        if u.shape != case["truth"].shape:
            raise ValueError(f"{os.path.basename(path)} has shape {u.shape}, expected {case['truth'].shape} (components, (z,) y, x)")
        res["u"] = u
        path = find_output(out, "warped")
        if path is not None:
            w = read_any(path)
            if w.shape == case["fixed"].shape:
                res["warped"] = w
            else:
                res["note"] = f"warped image shape {w.shape} ≠ fixed {case['fixed'].shape}; "
        else:
            res["note"] = "no warped image; "
        rp = os.path.join(out, "report.json")
        if os.path.exists(rp):
            with open(rp) as f:
                res["report"] = json.load(f)
            res["report_seconds"] = res["report"].get("seconds")
    except Exception as e:  # keep the row, say why it has no numbers
        return dict(method="inr", error=f"reading bin/inr register's output: {e}")
    return res


# ---------------------------------------------------------------- pictures

def grid_picture(case, results, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fields = [("ground truth", case["truth"])] + [(NAMES[r["method"]], r["u"]) for r in results if "u" in r and r["method"] in ("bspline", "inr")]
    h, w = case["fixed"].shape
    scale = 4.0 / max(h, w) * 1.6
    fig, axes = plt.subplots(2, len(fields), figsize=(len(fields) * w * scale + 0.5, 2 * h * scale + 0.8), squeeze=False)
    x = grid((h, w))
    for ax, (name, u) in zip(axes[0], fields):
        ax.imshow(case["moving"], cmap="gray", alpha=0.35)
        px, py = x[0] + u[0], x[1] + u[1]
        for r in range(0, h, GRID_STEP):
            ax.plot(px[r, :], py[r, :], lw=0.6, color="tab:red")
        for c in range(0, w, GRID_STEP):
            ax.plot(px[:, c], py[:, c], lw=0.6, color="tab:red")
        ax.set_xlim(-0.5, w - 0.5)
        ax.set_ylim(h - 0.5, -0.5)
        ax.set_title(name, fontsize=9)
        ax.axis("off")
    axes[1][0].imshow(np.sqrt((case["truth"] ** 2).sum(0)), cmap="viridis")
    axes[1][0].set_title("|u_true| (px)", fontsize=9)
    for ax, (name, u) in zip(axes[1][1:], fields[1:]):
        im = ax.imshow(np.sqrt(((u - case["truth"]) ** 2).sum(0)), cmap="magma", vmin=0, vmax=1)
        ax.contour(case["mask"], levels=[0.5], colors="w", linewidths=0.5)
        ax.set_title(f"EPE, {name} (0 … 1 px)", fontsize=9)
        fig.colorbar(im, ax=ax, fraction=0.046)
    for ax in axes[1]:
        ax.axis("off")
    fig.suptitle(f"{case['name']}: grid every {GRID_STEP} px of the fixed image, mapped by x + u(x)", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


# ---------------------------------------------------------------- report

def fmt(v, spec):
    return "–" if v is None else format(v, spec)


def targets(rows):
    out = []
    by_case = {}
    for r in rows:
        by_case.setdefault(r["case"], {})[r["key"]] = r
    for case, m in by_case.items():
        inr, peer, kind = m.get("inr"), m.get("bspline"), next(iter(m.values()))["kind"]
        none = m.get("identity", {}).get("epe_mean")
        scale = f" (no registration: {none:.2f})" if none is not None else ""
        have = inr is not None and inr.get("epe_mean") is not None

        def check(name, value, limit, detail):
            out.append((name, case, detail if have else "no result", (limit - value) if have else None,
                        have and value <= limit))

        if kind == "2d":
            check("2D synthetic: mean EPE ≤ 0.25 px", inr["epe_mean"] if have else 0, 0.25,
                  f"{inr['epe_mean']:.3f} px{scale}" if have else "")
            if peer and peer.get("epe_mean") is not None:
                check("2D synthetic: mean EPE ≤ 2 × elastix B-spline", inr["epe_mean"] if have else 0, 2 * peer["epe_mean"],
                      f"{inr['epe_mean']:.3f} vs 2 × {peer['epe_mean']:.3f} px" if have else "")
        if kind == "3d":
            check("3D: mean EPE ≤ 1 voxel", inr["epe_mean"] if have else 0, 1.0, f"{inr['epe_mean']:.3f} vox{scale}" if have else "")
        check("folding < 0.1 %", (inr["folding"] if have else 0) + 1e-12, 0.1, f"{inr['folding']:.3f} %" if have else "")
        if kind in ("2d", "known"):
            sec = inr.get("seconds") if have else None
            check("2D pair ≤ 60 s", sec if sec is not None else 0, 60.0, f"{sec:.1f} s" if sec is not None else "")
    return out


def main():
    os.makedirs(REG, exist_ok=True)
    started = time.time()
    files = {2: parameter_files(2), 3: parameter_files(3)}
    cases = known_cases() + synthetic_2d_cases()
    if not QUICK and (not ONLY or any("inia19".startswith(p) or p.startswith("inia19") for p in ONLY)):
        cases.append(case_3d())
    if ONLY:
        cases = [c for c in cases if any(c["name"].startswith(p) for p in ONLY)]
    rows, errors = [], []
    for case in cases:
        case["dir"] = os.path.join(REG, case["name"])
        os.makedirs(case["dir"], exist_ok=True)
        d = case["truth"].shape[0]
        for role in ("fixed", "moving"):
            write_mhd(os.path.join(case["dir"], f"{role}.mhd"), case[role])
            case[f"{role}_mhd"] = os.path.join(case["dir"], f"{role}.mhd")
            ours_path = os.path.join(case["dir"], f"{role}.{'tif' if d == 2 else 'nii'}")
            (write_tif if d == 2 else write_nifti)(ours_path, case[role])
            case[f"{role}_ours"] = ours_path
        np.save(os.path.join(case["dir"], "truth.npy"), case["truth"].astype(np.float32))
        np.save(os.path.join(case["dir"], "mask.npy"), case["mask"])
        print(f"bench: {case['name']}: {case['desc']}; mask {case['mask'].mean() * 100:.1f} % of {case['mask'].size} px, "
              f"truth max |u| {np.sqrt((case['truth'] ** 2).sum(0)).max():.2f}, min det J {jacobian_det(case['truth']).min():.3f}",
              file=sys.stderr)
        results = []
        for key in METHODS:
            if key == "identity":
                res = dict(method="identity", u=np.zeros_like(case["truth"]), seconds=None,
                           warped=warp(case["moving"], np.zeros_like(case["truth"]), mode="constant"))
            elif key == "affine":
                res = elastix(case, files[d], ["affine"])
            elif key == "bspline":
                res = elastix(case, files[d], ["affine", "bspline"])
            elif key == "inr":
                res = ours(case)
            else:
                raise SystemExit(f"unknown method {key!r} in BENCH_METHODS")
            results.append(res)
            if "error" in res:
                errors.append(f"{case['name']} / {NAMES[key]}: {res['error']}")
                rows.append(dict(case=case["name"], kind=case["kind"], method=NAMES[key], key=key,
                                 note="failed: " + res["error"].splitlines()[0][:160]))
                print(f"  {case['name']:<14} | {NAMES[key]:<20} | FAILED {res['error'].splitlines()[0][:100]}", file=sys.stderr)
                continue
            row, _ = score(case, res)
            rows.append(row)
            print(f"  {case['name']:<14} | {row['method']:<20} | EPE {row['epe_mean']:.3f} / p95 {row['epe_p95']:.3f} | "
                  f"NCC {fmt(row.get('ncc'), '.4f')} | fold {row['folding']:.3f} % | {fmt(row['seconds'], '.1f')} s", file=sys.stderr)
        if case["kind"] == "2d":
            case["picture"] = os.path.join(REG, f"grid-{case['name']}.png")
            grid_picture(case, results, case["picture"])
    lines = [f"Machine: {os.cpu_count()} cores; elastix {elastix_version()} with -threads {THREADS}; date "
             f"{time.strftime('%Y-%m-%d %H:%M')}; {'quick run' if QUICK else 'full run'}, {(time.time() - started) / 60:.1f} min in all.", "",
             "u on the fixed grid in pixels (voxels in 3D), moving(x + u(x)) ≈ fixed(x). EPE = |u − u_true| in the case's mask "
             "(known cases: fixed > 25, the brain; 2D synthetic: 10 px from the edge, brain also fixed > 25, camera also "
             "textured, i.e. the structure tensor's smaller eigenvalue > 4 (σ 8 px), leaving out the flat sky and coat; 3D: fixed > 10 % of "
             "max and 8 voxels from the edge); the note gives it over all pixels for the known cases. NCC between each method's own "
             "warped moving image and the fixed image, in the mask. Folding: % of all fixed pixels with det(I + ∇u) ≤ 0 "
             "(central differences). Seconds: wall clock of the whole command (elastix: registration only, not transformix; "
             "ours: `bin/inr register`, JVM start included).", "",
             f"elastix: `{os.path.relpath(files[2]['affine'], HOME)}` (affine only; center-of-gravity initialisation, 4 levels × 500 "
             f"iterations) and that followed by `{os.path.relpath(files[2]['bspline'], HOME)}` (B-spline, {ELASTIX[2]['metric']}, "
             f"final grid {ELASTIX[2]['spacing']} px, {ELASTIX[2]['levels']} levels × {ELASTIX[2]['iterations']} iterations, "
             f"{ELASTIX[2]['samples']} random samples per iteration, adaptive SGD, {ELASTIX[2]['bins']} histogram bins); 3D the same with "
             f"{ELASTIX[3]['samples']} samples, {ELASTIX[3]['bins']} bins and a {ELASTIX[3]['spacing']}-voxel grid. Displacement from "
             "`transformix -def all`. Both stages use the same metric.", "",
             "Cases:", ""]
    lines += [f"- `{c['name']}`: {c['desc']}" for c in cases]
    lines.append("")
    if QUICK:
        lines += ["**Quick run** (the shift case and one 2D synthetic case): a smoke test, not the benchmark's numbers.", ""]
    lines += ["| case | method | mean EPE | p95 EPE | NCC after | folding % | seconds | note |", "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        note = r.get("note", "")
        if r.get("kind") == "known" and "epe_all_mean" in r:
            note = f"all pixels: {r['epe_all_mean']:.3f} / p95 {r['epe_all_p95']:.3f}; " + note
        if r.get("report_seconds") is not None:
            note += f"report.json: {r['report_seconds']:.1f} s"
        lines.append(f"| {r['case']} | {r['method']} | {fmt(r.get('epe_mean'), '.3f')} | {fmt(r.get('epe_p95'), '.3f')} | "
                     f"{fmt(r.get('ncc'), '.4f')} | {fmt(r.get('folding'), '.3f')} | {fmt(r.get('seconds'), '.1f')} | {note.strip()} |")
    lines += ["", "### Targets", "", "| target | case | ours | margin | |", "|---|---|---|---|---|"]
    for name, case, detail, margin, met in targets(rows):
        lines.append(f"| {name} | {case} | {detail} | {fmt(margin, '+.3f')} | {'met' if met else 'missed'} |")
    lines.append("")
    for c in cases:
        if c.get("picture"):
            lines += [f"![{c['name']}]({os.path.relpath(c['picture'], OUT)})", ""]
    if any(c.get("picture") for c in cases):
        lines += [f"Top: the fixed grid (a line every {GRID_STEP} px) mapped by x + u(x) over the moving image, for the truth "
                  "and each method; bottom: |u_true| and each method's end-point error (0 … 1 px; white line: the scored mask).", ""]
    for e in errors:
        lines += ["**Failed:**", "", "```", e.strip(), "```", ""]
    text = "\n".join(lines)
    with open(os.path.join(OUT, "register.md"), "w") as f:
        f.write(text)
    with open(os.path.join(REG, "results.json"), "w") as f:
        json.dump(rows, f, indent=1)
    print(text)


def elastix_version():
    try:
        return subprocess.run(["elastix", "--version"], capture_output=True, text=True).stdout.strip().split()[-1]
    except OSError:
        return "(not found)"


if __name__ == "__main__":
    main()
