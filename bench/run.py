"""Runs every benchmark configuration in its own process and prints the tables (see bench/run)."""
import json
import os
import subprocess
import sys
import time

from common import CP, ENV, HOME, QUICK, THREADS  # same settings for us and the peer


def java(main, *args, threads=THREADS, heap=("-Xmx8g",)):
    cmd = ["java", *heap, f"-Dai.djl.pytorch.num_threads={threads}", f"-Dinr.home={HOME}", "-cp", CP,
           f"sc.fiji.inr.bench.{main}", *map(str, args)]
    out = subprocess.run(cmd, cwd=HOME, env=ENV, capture_output=True, text=True)
    for line in out.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:].replace("NaN", "null"))
    raise RuntimeError(f"{main} {args} failed:\n{out.stderr[-2000:]}")


def peer(model, dims, batch, threads=THREADS, steps=20):
    cmd = ["/usr/bin/python3", "bench/peer/pytorch_step.py", "--model", model, "--dims", str(dims), "--batch", str(batch),
           "--threads", str(threads), "--steps", str(steps), "--warmup", "3", "--malloc", "thp", "--json"]
    try:
        out = subprocess.run(cmd, cwd=HOME, capture_output=True, text=True, timeout=1800)
        return json.loads(out.stdout.strip().splitlines()[-1])
    except Exception as e:  # peer not installed or failed: report, do not invent
        print(f"bench: peer failed for {model} {dims}D: {e}", file=sys.stderr)
        return None


def fmt(v, digits=1):
    if v is None or (isinstance(v, float) and v != v):
        return "–"
    return f"{v:.{digits}f}" if isinstance(v, float) else str(v)


def main():
    lines = [f"Machine: {os.cpu_count()} cores; {THREADS} PyTorch threads; GLIBC_TUNABLES={ENV['GLIBC_TUNABLES']}; "
             f"MKL_ENABLE_INSTRUCTIONS={ENV['MKL_ENABLE_INSTRUCTIONS']} (ours; the peer uses OpenBLAS); "
             f"date {time.strftime('%Y-%m-%d %H:%M')}", ""]

    # 1. Step time against plain PyTorch eager, same models, same batch, same run.
    lines += ["### Training step, ours (DJL) vs PyTorch eager", "",
              "| model | dims | batch | ours ms/step | PyTorch ms/step | speed ratio (PyTorch ms / ours ms) |",
              "|---|---|---|---|---|---|"]
    steps = 10 if QUICK else 20
    for model, dims, batch in [("siren", 2, 16384), ("fourier", 2, 16384), ("hashgrid", 2, 16384), ("hashgrid", 2, 65536),
                                ("hashgrid", 3, 65536)]:
        ours = java("StepBenchmark", model, dims, batch, steps, 3)
        ref = peer(model, dims, batch, steps=steps)
        ratio = ref["ms_per_step_median"] / ours["ms_per_step_median"] if ref else None
        lines.append(f"| {model} | {dims} | {batch} | {fmt(ours['ms_per_step_median'])} | "
                     f"{fmt(ref['ms_per_step_median']) if ref else 'n/a'} | {fmt(ratio, 2)} |")
        print(lines[-1], file=sys.stderr)

    # 2. Fitting real images under a time budget.
    lines += ["", "### Fitting (time budget per fit, default settings; times exclude the PSNR evaluations made every",
              "10 steps for this table; final PSNR on the full image, data range = image max − min)", "",
              "| image | model | steps/s | samples/s | s to 30 dB | s to 35 dB | final PSNR dB | peak RSS MB |",
              "|---|---|---|---|---|---|---|---|"]
    budgets = {"camera": 10 if QUICK else 30, "inia19": 20 if QUICK else 60}
    for image in ["camera", "inia19"]:
        for model in ["hashgrid", "siren", "fourier"]:
            r = java("FitBenchmark", image, model, budgets[image], 1000000)
            lines.append(f"| {image} {r['size']} | {model} | {fmt(r['steps_per_s'])} | {r['samples_per_s']:.3g} | "
                         f"{fmt(r['s_to_30dB'])} | {fmt(r['s_to_35dB'])} | {fmt(r['psnr_full'], 2)} | {fmt(r['peak_rss_mb'], 0)} |")
            print(lines[-1], file=sys.stderr)

    # 3. Memory: flat over a long fit, and a 256³ fit.
    lines += ["", "### Memory (the flatness run pre-touches a fixed 512 MB heap, so RSS growth is native memory)", "",
              "| fit | RSS at step 100 MB | RSS at step 2000 MB | peak RSS MB | steps | seconds |", "|---|---|---|---|---|---|"]
    r = java("FitBenchmark", "camera", "hashgrid", 0, 2000, 4096, heap=("-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch"))
    lines.append(f"| camera hashgrid, batch 4096, 2000 steps | {fmt(r['rss_step100_mb'], 0)} | {fmt(r['rss_step2000_mb'], 0)} | "
                 f"{fmt(r['peak_rss_mb'], 0)} | {r['steps']} | {fmt(r['seconds'])} |")
    print(lines[-1], file=sys.stderr)
    r = java("FitBenchmark", "phantom256", "hashgrid", 0, 50 if QUICK else 200)
    lines.append(f"| Shepp–Logan 256³ hashgrid, batch {r['batch']} | {fmt(r['rss_step100_mb'], 0)} | – | {fmt(r['peak_rss_mb'], 0)} | "
                 f"{r['steps']} | {fmt(r['seconds'])} (PSNR {fmt(r['psnr_full'], 2)} dB) |")
    print(lines[-1], file=sys.stderr)

    text = "\n".join(lines) + "\n"
    with open(os.path.join(HOME, "bench/out/results.md"), "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
