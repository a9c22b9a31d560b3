#!/usr/bin/python3
"""Plain-PyTorch (eager) peer for the INR-for-Fiji training-step benchmarks.

Times one optimisation step (zero_grad + forward + MSE loss + backward + Adam update) of the same
models the Java/DJL code trains (sc.fiji.inr.field.*), so a benchmark can print "ours / PyTorch"
ratios measured on the same machine in the same run.

Install (Debian; PyPI is not reachable here):
    apt-get install -y --no-install-recommends python3-torch libopenblas0-openmp
and run with the Debian interpreter (the pyenv python3 on PATH has no torch):
    /usr/bin/python3 bench/peer/pytorch_step.py --model hashgrid --dims 2 --batch 65536 \\
        --steps 20 --warmup 3 --threads 1 --json

BLAS: Debian's libtorch links libblas.so.3 / libopenblas.so.0 through the alternatives system, which
prefers the *pthread* OpenBLAS. That build ignores torch.set_num_threads() and spawns one thread per
core, so "--threads 1" would not be single-threaded in the matmuls. By default (--blas openmp) this
script therefore re-executes itself once with LD_LIBRARY_PATH pointing at the OpenMP OpenBLAS
(package libopenblas0-openmp), whose thread count follows torch.set_num_threads(). Nothing on the
system is changed. --blas system keeps whatever the alternatives select (OPENBLAS_NUM_THREADS is then
set to --threads so the pthread build is pinned too).

Self-test (index computation against a scalar reference + a short hash-grid fit):
    /usr/bin/python3 bench/peer/pytorch_step.py --selftest
"""

import argparse
import json
import math
import os
import statistics
import sys
import time

OPENMP_BLAS_DIR = "/usr/lib/x86_64-linux-gnu/openblas-openmp"
_REEXEC_MARK = "INR_PEER_REEXEC"


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", choices=["siren", "fourier", "hashgrid"], default="hashgrid")
    p.add_argument("--dims", type=int, choices=[2, 3], default=2)
    p.add_argument("--batch", type=int, default=65536)
    p.add_argument("--steps", type=int, default=20, help="timed steps")
    p.add_argument("--warmup", type=int, default=3, help="untimed steps before timing")
    p.add_argument("--threads", type=int, default=1, help="torch.set_num_threads(T)")
    p.add_argument("--chunk", type=int, default=0,
                   help="if > 0, evaluate the model over the batch in row chunks of this size and "
                        "concatenate before the loss (as the Java code does)")
    p.add_argument("--blas", choices=["openmp", "system"], default="openmp",
                   help="openmp: re-exec with the OpenMP OpenBLAS (default); system: as installed")
    p.add_argument("--malloc", choices=["glibc", "thp"], default="glibc",
                   help="glibc: plain (default); thp: GLIBC_TUNABLES=glibc.malloc.hugetlb=1 "
                        "(transparent huge pages for large allocations)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--selftest", action="store_true",
                   help="check hash-grid indices and fit sin(3x)cos(2y) for 300 steps")
    return p.parse_args(argv)


def maybe_reexec(args):
    """Select the BLAS / malloc options before torch is imported (the loader reads the env at exec)."""
    if os.environ.get(_REEXEC_MARK):
        return
    env = dict(os.environ)
    env[_REEXEC_MARK] = "1"
    if args.blas == "openmp" and os.path.isdir(OPENMP_BLAS_DIR):
        old = env.get("LD_LIBRARY_PATH", "")
        env["LD_LIBRARY_PATH"] = OPENMP_BLAS_DIR + (":" + old if old else "")
    elif args.blas == "system":
        # The pthread OpenBLAS does not follow torch.set_num_threads(); pin it to --threads.
        env.setdefault("OPENBLAS_NUM_THREADS", str(args.threads))
    if args.malloc == "thp":
        # glibc >= 2.35: madvise(MADV_HUGEPAGE) on mmap'ed chunks, so a fresh 36 MB tensor costs
        # ~18 page faults instead of ~9000 (first-touch faults are very slow in this VM).
        old = env.get("GLIBC_TUNABLES", "")
        env["GLIBC_TUNABLES"] = (old + ":" if old else "") + "glibc.malloc.hugetlb=1"
    exe = sys.executable
    import importlib.util
    if importlib.util.find_spec("torch") is None and os.path.exists("/usr/bin/python3"):
        exe = "/usr/bin/python3"  # e.g. started with a pyenv python3 that has no torch
    sys.stdout.flush()
    os.execve(exe, [exe] + sys.argv, env)


def loaded_blas():
    try:
        with open("/proc/self/maps") as f:
            libs = {line.split()[-1] for line in f if "blas" in line.split()[-1]}
    except OSError:
        return "unknown"
    for lib in sorted(libs):
        if "openblas-openmp" in lib:
            return "openblas-openmp"
        if "openblas-pthread" in lib:
            return "openblas-pthread"
    return ",".join(sorted(os.path.basename(l) for l in libs)) or "none"


# --------------------------------------------------------------------------------------------------
# Models (must match sc.fiji.inr.field.* : DenseNetwork, FourierFeatureEncoding, HashGridEncoding)
# --------------------------------------------------------------------------------------------------

def build(model, dims):
    import torch
    from torch import nn

    class Siren(nn.Module):
        """3 hidden layers of width 256, each sin(ω0 (Wx + b)), ω0 = 30, then Linear(256, 1)."""

        def __init__(self, inp, width=256, hidden=3, out=1, omega0=30.0):
            super().__init__()
            self.omega0 = omega0
            sizes = [inp] + [width] * hidden + [out]
            self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:]))
            with torch.no_grad():
                for k, lin in enumerate(self.layers):
                    n = lin.in_features
                    bound = 1.0 / n if k == 0 else math.sqrt(6.0 / n) / omega0
                    lin.weight.uniform_(-bound, bound)
                    lin.bias.uniform_(-1.0 / math.sqrt(n), 1.0 / math.sqrt(n))

        def forward(self, x):
            for lin in self.layers[:-1]:
                x = torch.sin(self.omega0 * lin(x))
            return self.layers[-1](x)

    def relu_mlp(sizes):
        """ReLU MLP with the Java init: He-uniform √(6/n), last layer √(1/n), biases U(±1/√n)."""
        mods = []
        last = len(sizes) - 2
        for k, (a, b) in enumerate(zip(sizes[:-1], sizes[1:])):
            lin = nn.Linear(a, b)
            with torch.no_grad():
                bound = math.sqrt(1.0 / a) if k == last else math.sqrt(6.0 / a)
                lin.weight.uniform_(-bound, bound)
                lin.bias.uniform_(-1.0 / math.sqrt(a), 1.0 / math.sqrt(a))
            mods.append(lin)
            if k != last:
                mods.append(nn.ReLU())
        return nn.Sequential(*mods)

    class Fourier(nn.Module):
        """γ(x) = [cos(x B2π), sin(x B2π)], B2π = 2π N(0, σ²) [dims, 256] fixed; ReLU MLP 512-256³-1."""

        def __init__(self, inp, count=256, sigma=8.0, width=256):
            super().__init__()
            self.register_buffer("two_pi_b", torch.randn(inp, count) * (2 * math.pi * sigma))
            self.mlp = relu_mlp([2 * count, width, width, width, 1])

        def forward(self, x):
            phase = x @ self.two_pi_b
            return self.mlp(torch.cat([torch.cos(phase), torch.sin(phase)], dim=1))

    class HashGrid(nn.Module):
        """Multi-resolution hash encoding (16 levels × 2 features, 2^19 rows/level) + ReLU MLP 32-64-64-1."""

        PRIMES = (1, 2654435761, 805459861)

        def __init__(self, inp, levels=16, features=2, log2t=19, coarsest=16, finest=None):
            super().__init__()
            finest = finest if finest is not None else (512 if inp == 2 else 256)
            self.dims, self.levels, self.features = inp, levels, features
            self.corners = 1 << inp
            tsize = 1 << log2t
            self.mask = tsize - 1
            growth = math.exp((math.log(finest) - math.log(coarsest)) / (levels - 1))
            # EncodingSpec.resolution(): floor(coarsest * growth^l + 1e-9)
            self.res = [int(math.floor(coarsest * growth ** l + 1e-9)) for l in range(levels)]
            self.hashed = [(r + 1) ** inp > tsize for r in self.res]
            assert self.hashed == sorted(self.hashed), "dense levels must precede hashed ones"
            self.n_dense = self.hashed.count(False)
            rows = [tsize if h else (r + 1) ** inp for r, h in zip(self.res, self.hashed)]
            offsets = [0]
            for r in rows:
                offsets.append(offsets[-1] + r)
            self.total_rows = offsets[-1]
            # One concatenated table for all levels, U(-1e-4, 1e-4).
            self.table = nn.Parameter(torch.empty(self.total_rows, features).uniform_(-1e-4, 1e-4))
            self.register_buffer("res_f", torch.tensor(self.res, dtype=torch.float32).view(1, levels, 1))
            self.register_buffer("res_m1", torch.tensor([r - 1 for r in self.res],
                                                        dtype=torch.float32).view(1, levels, 1))
            self.register_buffer("offset", torch.tensor(offsets[:-1], dtype=torch.int64).view(1, levels, 1))
            # Dense stride of axis i at level l: (res_l + 1)^i  (dense levels only).
            nd = self.n_dense
            self.register_buffer("stride", torch.tensor(
                [[(self.res[l] + 1) ** i for i in range(inp)] for l in range(nd)],
                dtype=torch.int64).view(1, nd, inp))
            self.register_buffer("primes", torch.tensor(self.PRIMES[:inp], dtype=torch.int64))
            self.mlp = relu_mlp([levels * features, 64, 64, 1])

        @staticmethod
        def _combine(pairs, op):
            """Per-axis [N, L, 2] (lower, upper) terms → [N, L, 2^d]; corner c has bit i ⇔ upper on axis i."""
            acc = pairs[0]
            for pair in pairs[1:]:
                acc = op(pair.unsqueeze(3), acc.unsqueeze(2)).flatten(2)
            return acc

        def indices_and_weights(self, x):
            n, d = x.shape[0], self.dims
            unit = ((x + 1) * 0.5).clamp(0, 1)                            # [N, d]
            pos = unit.unsqueeze(1) * self.res_f                            # [N, L, d]
            lower = torch.minimum(torch.floor(pos), self.res_m1).clamp_(min=0)
            frac = pos - lower                                             # [N, L, d]
            vi = lower.to(torch.int64)                                     # [N, L, d]
            nd = self.n_dense
            parts = []
            if nd > 0:  # dense: Σ_i v_i (res+1)^i
                s = vi[:, :nd] * self.stride                               # [N, nd, d]
                st = self.stride.expand(n, nd, d)
                parts.append(self._combine(
                    [torch.stack((s[..., i], s[..., i] + st[..., i]), dim=2) for i in range(d)],
                    torch.add))
            if nd < self.levels:  # hashed: XOR_i (v_i π_i) mod 2^19, int64 then masked
                vh = vi[:, nd:]
                parts.append(self._combine(
                    [torch.stack((vh[..., i] * self.PRIMES[i], (vh[..., i] + 1) * self.PRIMES[i]), dim=2)
                     for i in range(d)],
                    torch.bitwise_xor).bitwise_and_(self.mask))
            idx = (parts[0] if len(parts) == 1 else torch.cat(parts, dim=1)) + self.offset  # [N, L, 2^d]
            weights = self._combine(
                [torch.stack((1 - frac[..., i], frac[..., i]), dim=2) for i in range(d)],
                torch.mul)                                                 # [N, L, 2^d]
            return idx, weights

        def encode(self, x):
            idx, weights = self.indices_and_weights(x)
            gathered = self.table[idx]                                     # [N, L, 2^d, F]
            return (gathered * weights.unsqueeze(3)).sum(dim=2).reshape(x.shape[0], -1)

        def forward(self, x):
            return self.mlp(self.encode(x))

    if model == "siren":
        return Siren(dims), 1e-4
    if model == "fourier":
        return Fourier(dims), 1e-3
    return HashGrid(dims), 1e-2


def make_optimizer(net, lr):
    import torch
    # FitOptions.defaults(): β = (0.9, 0.99), ε = 1e-15 for every model.
    return torch.optim.Adam(net.parameters(), lr=lr, betas=(0.9, 0.99), eps=1e-15)


def forward_chunked(net, x, chunk):
    import torch
    if chunk <= 0 or chunk >= x.shape[0]:
        return net(x)
    return torch.cat([net(c) for c in torch.split(x, chunk)], dim=0)


def train_step(net, opt, x, y, chunk):
    import torch
    opt.zero_grad(set_to_none=True)
    pred = forward_chunked(net, x, chunk)
    loss = torch.nn.functional.mse_loss(pred, y)
    loss.backward()
    opt.step()
    return loss


# --------------------------------------------------------------------------------------------------

def run_bench(args):
    import torch
    default_threads = torch.get_num_threads()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    net, lr = build(args.model, args.dims)
    opt = make_optimizer(net, lr)
    x = torch.rand(args.batch, args.dims) * 2 - 1
    y = torch.rand(args.batch, 1) * 2 - 1
    for _ in range(args.warmup):
        train_step(net, opt, x, y, args.chunk)
    times = []
    for _ in range(args.steps):
        t0 = time.perf_counter()
        loss = train_step(net, opt, x, y, args.chunk)
        times.append(time.perf_counter() - t0)
    med = statistics.median(times) * 1e3
    mn = min(times) * 1e3
    result = {
        "model": args.model,
        "dims": args.dims,
        "batch": args.batch,
        "threads": args.threads,
        "ms_per_step_median": round(med, 3),
        "ms_per_step_min": round(mn, 3),
        "samples_per_s": round(args.batch / (med / 1e3), 1),
        "torch_version": torch.__version__,
        # extras
        "chunk": args.chunk,
        "steps": args.steps,
        "warmup": args.warmup,
        "blas": loaded_blas(),
        "malloc": args.malloc,
        "omp_num_threads_env": os.environ.get("OMP_NUM_THREADS"),
        "torch_default_threads": default_threads,
        "parameters": sum(p.numel() for p in net.parameters()),
        "final_loss": float(loss),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print("pytorch %s %s dims=%d batch=%d threads=%d chunk=%d malloc=%s: median %.2f ms/step, min %.2f ms, "
              "%.0f samples/s (blas %s)" % (torch.__version__, args.model, args.dims, args.batch,
                                            args.threads, args.chunk, args.malloc, med, mn, result["samples_per_s"],
                                            result["blas"]))


def selftest(args):
    import random
    import torch
    torch.set_num_threads(args.threads)
    ok = True
    # 1. Indices and weights against a scalar transcription of HashGridEncoding.vertexRows/row().
    for dims in (2, 3):
        torch.manual_seed(0)
        net, _ = build("hashgrid", dims)
        enc = net  # the HashGrid module (encoding + MLP)
        x = torch.rand(257, dims) * 2.4 - 1.2                  # includes out-of-range points (clamped)
        x[0] = 1.0
        x[1] = -1.0
        idx, w = enc.indices_and_weights(x)
        offs = enc.offset.view(-1).tolist()
        u = ((x + 1) * 0.5).clamp(0, 1)
        bad = 0
        for p in random.Random(1).sample(range(x.shape[0]), 64) + [0, 1]:
            for l, res in enumerate(enc.res):
                lower = []
                for i in range(dims):
                    # float32 product, as in Java (float pos = unit * res)
                    v = int(math.floor((u[p, i] * float(res)).item()))
                    v = min(max(v, 0), res - 1)
                    lower.append(v)
                for c in range(1 << dims):
                    vert = [lower[i] + ((c >> i) & 1) for i in range(dims)]
                    if enc.hashed[l]:
                        h = 0
                        for i in range(dims):
                            h ^= vert[i] * enc.PRIMES[i]
                        row = h & enc.mask
                    else:
                        row, scale = 0, 1
                        for i in range(dims):
                            row += vert[i] * scale
                            scale *= res + 1
                    if idx[p, l, c].item() != offs[l] + row:
                        bad += 1
        wsum_err = (w.sum(dim=2) - 1).abs().max().item()
        print("selftest dims=%d: resolutions %s, hashed levels %d/%d, table rows %d, "
              "index mismatches %d, max |Σw-1| %.2e"
              % (dims, enc.res, sum(enc.hashed), enc.levels, enc.total_rows, bad, wsum_err))
        ok &= bad == 0 and wsum_err < 1e-5
    # 2. Fit sin(3x)cos(2y) on fresh random batches of 16384 for 300 steps.
    torch.manual_seed(0)
    net, lr = build("hashgrid", 2)
    opt = make_optimizer(net, lr)
    f = lambda c: torch.sin(3 * c[:, :1]) * torch.cos(2 * c[:, 1:2])
    t0 = time.perf_counter()
    for step in range(300):
        xb = torch.rand(16384, 2) * 2 - 1
        loss = train_step(net, opt, xb, f(xb), args.chunk)
    train_s = time.perf_counter() - t0
    with torch.no_grad():
        xt = torch.rand(65536, 2) * 2 - 1
        test_mse = torch.nn.functional.mse_loss(net(xt), f(xt)).item()
    print("selftest fit: hashgrid 2D, 300 steps × 16384, last train loss %.3e, held-out MSE %.3e "
          "(%.1f s)" % (float(loss), test_mse, train_s))
    ok &= test_mse < 1e-3
    print("selftest", "PASSED" if ok else "FAILED")
    return 0 if ok else 1



def main():
    args = parse_args()
    maybe_reexec(args)
    if args.selftest:
        sys.exit(selftest(args))
    run_bench(args)


if __name__ == "__main__":
    main()
