#!/usr/bin/env python3
"""Where a CT reconstruction's error lies: the images that `bench/run ct-prior ... fit` writes with
JAVA_TOOL_OPTIONS=-Dbench.dump=true (bench/out/ct-prior/*.f32, Shepp-Logan 256²), each scored
against the truth (and a term image also against the plain phantom), with each region's share
of the squared error.

Regions, from the plain phantom (no lesion, undeformed): the lesion (truth != plain); the skull's
edge (gradient > 0.3 per pixel, dilated by a pixel); the inner edges (gradient > 0.02, dilated,
not the skull's); the flat inside; the air outside.
For each kind with a term image and a result, it also prints how closely the result's error on the
skull's rim follows the term's (correlation, least-squares slope).
Usage: /usr/bin/python3 bench/ct_error_map.py [DIR]   (numpy and scipy: Debian python3-skimage)
"""
import os
import sys

import numpy as np
from scipy import ndimage

N = 256


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else "bench/out/ct-prior"
    load = lambda n: np.fromfile(os.path.join(d, n + ".f32"), dtype="<f4").reshape(N, N).astype(float)
    truth, plain = load("truth"), load("plain")
    lesion = np.abs(truth - plain) > 1e-3
    gy, gx = np.gradient(plain)
    g = np.hypot(gx, gy)
    edge = ndimage.binary_dilation(g > 0.02, iterations=1) & ~lesion
    skull = ndimage.binary_dilation(g > 0.3, iterations=1) & ~lesion
    regions = {"lesion": lesion, "skull edge": skull, "inner edges": edge & ~skull,
               "flat inside": (plain > 0) & ~edge & ~lesion, "outside": ~(plain > 0) & ~edge & ~lesion}
    rng = truth.max() - truth.min()
    print("| image | against | PSNR dB | " + " | ".join(f"{k} ({m.sum()} px)" for k, m in regions.items()) + " |")
    print("|---|---|---:|" + "---:|" * len(regions))

    def row(name, image, ref, against):
        e = (image - ref) ** 2
        total = e.sum()
        shares = " | ".join(f"{100 * e[m].sum() / total:.1f} %" for m in regions.values())
        print(f"| {name} | {against} | {10 * np.log10(rng ** 2 / (total / e.size)):.2f} | {shares} |")

    for f in sorted(os.listdir(d)):
        name = f[:-4]
        if not f.endswith(".f32") or name in ("truth", "plain"):
            continue
        image = load(name)
        if name.endswith("-term"):
            row(name, image, plain, "plain")
        row(name, image, truth, "truth")
    # how much of a reconstruction's error on the skull's rim is its term image's (kind-term, kind-result)
    for f in sorted(os.listdir(d)):
        if not f.endswith("-term.f32") or not os.path.exists(os.path.join(d, f[:-9] + "-result.f32")):
            continue
        kind = f[:-9]
        et = (load(kind + "-term") - plain)[skull]
        er = (load(kind + "-result") - truth)[skull]
        if np.sqrt((et ** 2).mean()) < 1e-6:  # a term without error on the rim (aligned): nothing to follow
            continue
        print(f"{kind}: on the skull's rim the result's error against the term's: correlation "
              f"{np.corrcoef(et, er)[0, 1]:.2f}, slope {(et * er).sum() / (et * et).sum():.2f}")

if __name__ == "__main__":
    main()
