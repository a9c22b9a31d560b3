"""Reconstruction benchmark (CT and MRI): runs ReconBenchmark (one JVM per phantom), then the
scikit-image peer (iradon, iradon_sart) on the same sinograms, and writes one table per case plus
the targets.

Usage: bench/run recon [--quick]   (writes bench/out/recon.md, pictures and data in bench/out/recon/)
       bench/run recon --merge A.json B.json ...   (no runs: the summary and targets of saved parts,
       e.g. the results.json of runs taken in parts; a later file's row replaces an earlier one's of
       the same case and method)
Environment: BENCH_STEPS overrides the INR steps (default 2000, --quick 200); BENCH_THREADS the
PyTorch threads (2); BENCH_SUITE a comma list of jobs to run (ct, mri, ct:shepp, ct:ctsmall);
BENCH_PRIOR_WEIGHTS a comma list of prior weights to sweep (default: each task's default);
BENCH_CASES a comma list of the CT cases to run (VIEWS:RANGE:I0, e.g. 30:180:0,30:180:1e5; default
all), so that the hours-long CT part can be run in parts; BENCH_METHODS the methods to run (CT
fbp,sart,inr,prior,warm,cross: prior = as ct-recon uses it by default, registered onto the sinogram
and weighted 0.003; warm = the prior as the starting point only; MRI zf,inr,prior; default all);
BENCH_CT_TV the CT INR rows' TV weight, BENCH_LEVELS and BENCH_FINEST their hash grid's levels and
finest resolution (experiments; default the tasks' own; the report's INR line names them);
BENCH_SEED the INR rows' seed (default 1; a seed sweep; the data and the prior field keep theirs).
"""
import json
import os
import re
import subprocess
import sys
import time

import numpy as np

from common import CP, ENV, HOME, QUICK, THREADS

OUT = os.path.join(HOME, "bench/out")
RECON = os.path.join(OUT, "recon")

CT_FULL = ["15:180:0", "30:180:0", "60:180:0", "30:90:0", "15:180:1e5", "30:180:1e5", "60:180:1e5", "30:90:1e5"]
# --quick: one full CT case (with the pictures), the classical methods and the peer on a noisy CT_small case, MRI 4×
SUITE = ([("ct", "shepp", "30:180:0", "pictures=30:180:0"), ("ct", "ctsmall", "30:180:1e5", "methods=fbp,sart,cross"),
          ("mri", "cartesian4")]
         if QUICK else
         [("ct", "shepp", *CT_FULL, "pictures=30:180:0"), ("ct", "ctsmall", *CT_FULL), ("mri", "cartesian4", "cartesian8", "radial30")])
SART_PEER_ITERATIONS = (1, 10)
SETTINGS = {}  # what ReconBenchmark reports it used
CROSS_MARGIN = 2  # rings of the (N+1)² grid left out of the cross-check scores, as ReconBenchmark.CROSS_MARGIN


def java(*args):
    """Runs one ReconBenchmark JVM; returns its RESULT rows, PEER sidecars, PICTURES lines and an error (or None)."""
    props = [f"-Dbench.steps={os.environ['BENCH_STEPS']}"] if os.environ.get("BENCH_STEPS") else []
    if os.environ.get("BENCH_PRIOR_WEIGHTS"):  # a sweep: one INR + prior row per weight
        props.append(f"-Dbench.priorWeights={os.environ['BENCH_PRIOR_WEIGHTS']}")
    for env, prop in (("BENCH_CT_TV", "ctTv"), ("BENCH_FINEST", "finest"), ("BENCH_LEVELS", "levels"), ("BENCH_SEED", "seed")):
        if os.environ.get(env):  # a model, TV or seed experiment on the INR rows
            props.append(f"-Dbench.{prop}={os.environ[env]}")
    cmd = ["java", "-Xmx8g", "-Djava.awt.headless=true", f"-Dai.djl.pytorch.num_threads={THREADS}", f"-Dinr.home={HOME}", *props,
           "-cp", CP, "sc.fiji.inr.bench.ReconBenchmark", *args, *(["--quick"] if QUICK else [])]
    print("bench: recon", " ".join(args), file=sys.stderr)
    log = os.path.join(RECON, f"java-{args[0]}-{args[1]}.log")
    rows, peers, pictures = [], [], []
    with open(log, "w") as err:
        proc = subprocess.Popen(cmd, cwd=HOME, env=ENV, stdout=subprocess.PIPE, stderr=err, text=True)
        for line in proc.stdout:
            if line.startswith("RESULT "):
                r = json.loads(line[7:].replace("NaN", "null"))
                rows.append(r)
                print(f"  {r['case'][:48]:<48} | {r['method']:<30} | {r['psnr']:6.2f} dB | {r['ssim']:.4f} | {r['seconds']:7.1f} s",
                      file=sys.stderr)
            elif line.startswith("PEER "):
                peers.append(line[5:].strip())
            elif line.startswith("SETTINGS "):
                SETTINGS.update(json.loads(line[9:]))
            elif line.startswith("PICTURES "):
                pictures.append(line[9:].strip().split(" "))
        proc.wait()
    error = None
    if proc.returncode != 0:  # keep the rows it printed; the caller reports the failure after the tables
        with open(log) as f:
            error = f"ReconBenchmark {' '.join(args)} failed (exit {proc.returncode}), see {os.path.relpath(log, HOME)}:\n{f.read()[-2000:]}"
        print("bench:", error, file=sys.stderr)
    return rows, peers, pictures, error


def psnr(ref, test, data_range):
    return float(10 * np.log10(data_range ** 2 / np.mean((ref - test) ** 2)))


def peer(sidecar):
    """skimage's FBP and SART on our sinogram, on the odd (N+1)² grid centred on the isocentre."""
    try:
        from skimage.transform import iradon, iradon_sart
        from skimage.metrics import structural_similarity
    except ImportError as e:  # the peer is optional
        print(f"bench: scikit-image unavailable ({e}); apt-get install python3-skimage", file=sys.stderr)
        return []
    with open(sidecar) as f:
        meta = json.load(f)
    views, d = meta["sinogram_shape"]
    # our rows are views, columns detectors; skimage wants (detector, view); detector centre (D-1)/2 = D//2 for odd D
    assert d % 2 == 1, "the peer needs an odd detector count"
    sino = np.fromfile(os.path.join(RECON, meta["sinogram"]), "<f4").reshape(views, d).T.astype(np.float64)
    theta = np.asarray(meta["theta_deg"], dtype=np.float64)
    s = meta["peer_size"]
    # scored on the central (s-4)², as ReconBenchmark scores our rows on this grid (CROSS_MARGIN)
    inner = slice(CROSS_MARGIN, s - CROSS_MARGIN)
    ref = np.fromfile(os.path.join(RECON, meta["peer_reference"]), "<f4").reshape(s, s).astype(np.float64)[inner, inner]
    data_range = float(ref.max() - ref.min())
    pixel = meta["pixel_size"]  # skimage measures lengths in pixels: divide by the pixel size for /mm

    def row(method, image, seconds):
        return dict(case=meta["case"], task="ct", phantom=meta["phantom"], views=meta["views"], range=meta["range"],
                    noise=meta["noise"], method=method, group="cross", grid=f"{ref.shape[1]}×{ref.shape[0]}",
                    psnr=psnr(ref, image[inner, inner], data_range),
                    ssim=float(structural_similarity(ref, image[inner, inner], gaussian_weights=True, sigma=1.5, use_sample_covariance=False,
                                                     data_range=data_range)),
                    seconds=seconds, data_range=data_range)

    rows = []
    t0 = time.perf_counter()
    fbp = iradon(sino, theta=theta, output_size=s, filter_name="ramp", circle=False) / pixel
    rows.append(row(f"skimage iradon ramp ({s}² grid)", fbp, time.perf_counter() - t0))
    # iradon_sart reconstructs on D × D centred on pixel D // 2: the central s × s (s odd) is our peer grid
    lo = d // 2 - s // 2
    image, elapsed = None, 0.0
    for it in range(1, max(SART_PEER_ITERATIONS) + 1):
        t0 = time.perf_counter()
        image = iradon_sart(sino, theta=theta, image=image, relaxation=0.15)
        elapsed += time.perf_counter() - t0
        if it in SART_PEER_ITERATIONS:
            rows.append(row(f"skimage iradon_sart {it} it. (λ 0.15; {s}² grid)", image[lo:lo + s, lo:lo + s] / pixel, elapsed))
    for r in rows:
        print(f"  {r['case'][:48]:<48} | {r['method']:<30} | {r['psnr']:6.2f} dB | {r['ssim']:.4f} | {r['seconds']:7.1f} s",
              file=sys.stderr)
    return rows


def fmt_row(r):
    steps = f" ({r['steps']} steps)" if r.get("steps") else ""
    return (f"| {r['method']}{steps} | {r['grid']} | {r['psnr']:.2f} | {r['ssim']:.4f} | {r['seconds']:.1f} | "
            f"{r.get('note', '')} |")


def best(rows, prefix):
    c = [r for r in rows if r["group"] == "main" and r["method"].startswith(prefix)]
    return max(c, key=lambda r: r["psnr"]) if c else None


def targets(cases):
    """The issue's four targets from the measured rows: (target, case, compared rows, margin, met)."""
    out = []

    def check(name, case, a, b, need):
        if a and b:
            margin = a["psnr"] - b["psnr"] - need
            out.append((name, case, f"{a['psnr']:.2f} vs {b['psnr']:.2f} ({b['method']})", margin, margin >= 0))

    for case, rows in cases.items():
        first = rows[0]
        inr = next((r for r in rows if r["method"] == "INR"), None)
        prior = next((r for r in rows if r["method"] == "INR + prior"), None)
        if first["task"] == "ct" and first["views"] == 30 and first["range"] == 180:
            check("30 views: INR ≥ FBP + 5 dB", case, inr, best(rows, "FBP"), 5)
            check("30 views: INR ≥ SART + 1 dB", case, inr, best(rows, "SART"), 1)
        check("INR + prior ≥ INR + 2 dB", case, prior, inr, 2)
        if first["task"] == "mri" and first["phantom"] == "cartesian4":
            check("MRI 4×: INR ≥ zero-filled + 5 dB", case, inr, best(rows, "zero-filled"), 5)
    return out


def pair(r):
    return f"{r['psnr']:.2f} / {r['ssim']:.3f}" if r else "—"


def summary(cases):
    """One line per case: the best FBP and SART, INR, INR + prior and the prior's gain (PSNR dB / SSIM)."""
    ct = [(c, rs) for c, rs in cases.items() if rs[0]["task"] == "ct"]
    mri = [(c, rs) for c, rs in cases.items() if rs[0]["task"] == "mri"]
    lines = []
    for title, group, columns in (("CT", ct, ("FBP", "SART")), ("MRI", mri, ("zero-filled",))):
        if not group:
            continue
        head = [*(f"best {c}" if c != "zero-filled" else c for c in columns), "INR", "INR + prior", "prior gain dB", "INR steps"]
        lines += [f"| {title} case | " + " | ".join(head) + " |", "|---|" + "---:|" * len(head)]
        for case, rs in group:
            inr = next((r for r in rs if r["method"] == "INR"), None)
            prior = next((r for r in rs if r["method"] == "INR + prior"), None)
            gain = f"{prior['psnr'] - inr['psnr']:+.2f}" if inr and prior else "—"
            steps = (inr or prior or {}).get("steps", "—")
            best_of = [pair(best(rs, c)) + (f" ({best(rs, c)['method']})" if best(rs, c) and c != "zero-filled" else "")
                       for c in columns]
            lines.append(f"| {case} | " + " | ".join([*best_of, pair(inr), pair(prior), gain, str(steps)]) + " |")
        lines.append("")
    return lines


def merge(paths):
    """The summary and targets of saved results. A later file's row replaces an earlier one's of the
    same case and method, so a part run with BENCH_METHODS=prior updates only that row; the source
    table names the file each row came from."""
    cases, source = {}, {}
    for path in paths:
        with open(path) as f:
            rows = json.load(f)
        for r in rows:
            kept = [k for k in cases.get(r["case"], []) if k["method"] != r["method"]]
            cases[r["case"]] = [*kept, r]
            source[(r["case"], r["method"])] = os.path.basename(path)
    lines = ["### Summary", "", *summary(cases), "### Sources", "", "| case | method | file |", "|---|---|---|",
             *(f"| {c} | {m} | {f} |" for (c, m), f in source.items() if m in ("INR", "INR + prior")), "",
             "### Targets", "", "| target | case | PSNR dB | margin dB | |", "|---|---|---|---|---|"]
    for name, case, detail, margin, met in targets(cases):
        lines.append(f"| {name} | {case} | {detail} | {margin:+.2f} | {'met' if met else 'missed'} |")
    print("\n".join(lines))


def main():
    os.makedirs(RECON, exist_ok=True)
    started = time.time()
    rows, pictures, errors = [], [], []
    # BENCH_SUITE=mri (or ct, or ct:shepp ...): only the jobs whose task[:phantom] matches, so the
    # hours-long full run can be taken in parts.
    only = [w for w in os.environ.get("BENCH_SUITE", "").split(",") if w]
    for job in SUITE:
        if only and not any(":".join(job[:2]).startswith(w) for w in only):
            continue
        if job[0] == "ct" and os.environ.get("BENCH_CASES"):
            wanted = os.environ["BENCH_CASES"].split(",")
            unknown = [c for c in wanted if c not in CT_FULL]
            if unknown:
                sys.exit(f"bench: unknown CT case(s) {','.join(unknown)} in BENCH_CASES (use {','.join(CT_FULL)})")
            # in the order given, so the cases that matter most come first
            job = (*job[:2], *wanted, *(a for a in job[2:] if not re.fullmatch(r"\d+:\d+:[\de.]+", a)))
        if os.environ.get("BENCH_METHODS"):
            job = (*job, f"methods={os.environ['BENCH_METHODS']}")
        r, peers, pics, error = java(*job)
        rows += r
        pictures += pics
        if error:
            errors.append(error)
        for p in peers:
            rows += peer(p)
    cases = {}
    for r in rows:
        cases.setdefault(r["case"], []).append(r)
    st = SETTINGS
    lines = [f"Machine: {os.cpu_count()} cores, {THREADS} PyTorch threads; date {time.strftime('%Y-%m-%d %H:%M')}; "
             f"{'quick run' if QUICK else 'full run'}, {(time.time() - started) / 60:.1f} min in all.", "",
             f"INR: {st.get('model')}, {st.get('steps')} steps, learning rate {st.get('learning_rate')} ({st.get('schedule')}), "
             f"{st.get('ct_batch')} quadrature nodes per step (CT; MRI full batch), TV weight {st.get('ct_tv')} (CT) / "
             f"{st.get('mri_tv')} (MRI), prior weight {st.get('ct_prior_weight')} (CT) / {st.get('mri_prior_weight')} (MRI), "
             f"seed {st.get('seed')}; the prior field is fitted to the prior image with the same model "
             f"and {st.get('prior_steps')} steps, batch {st.get('prior_batch')} (its time is not in the INR + prior row). "
             "PSNR and SSIM against the truth with data range = truth max − min. CT sinograms are simulated on a 4× finer grid "
             "(no inverse crime), parallel beam, odd detector count ≥ the grid diagonal, views uniform over the range (90° = "
             "limited angle); Poisson noise with I0 photons per ray (Shepp–Logan intensity 1 taken as 0.1 /mm for it). Every "
             "case's truth has a lesion the prior image lacks (Shepp–Logan +0.2, r 8 mm; CT_small μ +20 %, r 6 px; MRI +30 % "
             "of the maximum, r 6 px), and the prior image is an earlier scan: moved by a smooth deformation of at most 1 pixel, "
             "MRI also 5 % darker. MRI: noise-free k-space, Cartesian masks with 8 % (4×) / 4 % (8×) centre lines, seed "
             "1; radial spokes uniform.", "",
             "Cross-check rows (scikit-image 0.19.3 `iradon`/`iradon_sart` on the same sinograms): skimage centres an image on "
             "pixel size // 2, half a pixel off our even grids, so the peer and our matching FBP/SART rows are on the odd "
             "(N+1)² grid centred on the isocentre, against the truth on that grid (block means of the fine simulation image), "
             "scored on its central (N−3)² (the outer ring's centres lie on the edge of the reconstruction box, where CT_small's "
             "anatomy is cut off, and FBP overshoots that jump on the next ring). Our SART there uses skimage's defaults: "
             "relaxation 0.15, no clipping; skimage's iradon_sart "
             "normalises each ray's correction by its squared weights and Hamming-windows it (closer to ART), ours is "
             "Andersen–Kak SART, so their iterations are not expected to agree, only their order of magnitude.", ""]
    if QUICK:
        lines += ["**Quick run** (200 INR steps, few cases): a smoke test, not the benchmark's numbers.", ""]
    for case, rs in cases.items():
        lines += [f"### {case}", "", "| method | scored pixels | PSNR dB | SSIM | seconds | note |", "|---|---|---|---|---|---|"]
        main_rows = [r for r in rs if r["group"] == "main"]
        cross = [r for r in rs if r["group"] == "cross"]
        # FBP pairs first, then SART by iterations, ours before skimage's
        order = lambda r: ("sart" in r["method"].lower(), int((re.search(r"(\d+) it\.", r["method"]) or [0, 0])[1]),
                           r["method"].startswith("skimage"))
        lines += [fmt_row(r) for r in main_rows]
        lines += [fmt_row(r) for r in sorted(cross, key=order)]
        lines.append("")
    lines += ["### Summary", "", *summary(cases)]
    lines += ["### Targets", "", "| target | case | PSNR dB | margin dB | |", "|---|---|---|---|---|"]
    for name, case, detail, margin, met in targets(cases):
        lines.append(f"| {name} | {case} | {detail} | {margin:+.2f} | {'met' if met else 'missed'} |")
    lines.append("")
    for path, names, lo, hi in pictures:
        rel = os.path.relpath(path, OUT)
        lines += [f"![{os.path.basename(path)}]({rel})", "",
                  f"Left to right: {', '.join(names.split(','))}; display range {lo} … {hi} (the same for all; separate "
                  f"PNGs beside it).", ""]
    for e in errors:
        lines += ["**Failed:**", "", "```", e, "```", ""]
    text = "\n".join(lines)
    with open(os.path.join(OUT, "recon.md"), "w") as f:
        f.write(text)
    with open(os.path.join(RECON, "results.json"), "w") as f:
        json.dump(rows, f, indent=1)
    print(text)
    if errors:
        sys.exit(1)


if __name__ == "__main__":
    if "--merge" in sys.argv:
        merge(sys.argv[sys.argv.index("--merge") + 1:])
    else:
        main()
