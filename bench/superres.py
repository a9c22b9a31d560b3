"""Super-resolution benchmark (issue #3): runs each case in its own JVM and prints one table.

Usage: bench/run superres [--quick]   (writes bench/out/superres.md)
"""
import json
import os
import subprocess
import sys
import time

from common import CP, ENV, HOME, QUICK, THREADS


def java(*args):
    cmd = ["java", "-Xmx12g", f"-Dai.djl.pytorch.num_threads={THREADS}", f"-Dinr.home={HOME}", "-cp", CP,
           "sc.fiji.inr.bench.SuperResBenchmark", *map(str, args)]
    print("bench:", " ".join(map(str, args)), file=sys.stderr)
    out = subprocess.run(cmd, cwd=HOME, env=ENV, capture_output=True, text=True)
    rows = [json.loads(l[7:].replace("NaN", "null")) for l in out.stdout.splitlines() if l.startswith("RESULT ")]
    if out.returncode != 0 or not rows:
        raise RuntimeError(f"SuperResBenchmark {args} failed:\n{out.stderr[-3000:]}")
    for r in rows:
        print(f"  {r['dataset']:>18} | {r['method']:<34} | {r['psnr']:6.2f} dB | {r['ssim']:.4f} | {r['seconds']:6.1f} s",
              file=sys.stderr)
    return rows


def main():
    steps3d = 200 if QUICK else 800
    steps2d = 200 if QUICK else 600
    rows = []
    rows += java("fusion3d", steps3d)
    rows += java("fusion3d", steps3d, "motion")
    rows += java("camera2d", 2, steps2d)
    rows += java("camera2d", 4, steps2d)
    lines = [f"Machine: {os.cpu_count()} cores, {THREADS} PyTorch threads; date {time.strftime('%Y-%m-%d %H:%M')}; "
             f"INR: hash grid, {steps3d} steps (3D) / {steps2d} steps (2D), seed 1. PSNR and SSIM against the "
             "ground truth with data range = truth max − min (2D: 255).", "",
             "| data | method | PSNR dB | SSIM | seconds | note |", "|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['dataset']} | {r['method']} | {r['psnr']:.2f} | {r['ssim']:.4f} | {r['seconds']:.1f} | "
                     f"{r.get('note', '')} |")
    text = "\n".join(lines) + "\n"
    os.makedirs(os.path.join(HOME, "bench/out"), exist_ok=True)
    with open(os.path.join(HOME, "bench/out/superres.md"), "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
