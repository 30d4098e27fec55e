"""Compiled static mode against hand-written NumPy and PyTorch eager, measured in one run.

    python benchmarks/bench_static.py [--quick] [--no-torch] [--threads N]

Workloads (float32, plain SGD, one step = forward, loss, backward, update):

* W1  seed SimpleNet 10-5-1 (relu, sigmoid, BCE), batch 32;
* W2  MLP 784-256-256-10 (relu, softmax cross-entropy), batch 128;
* W3  MLP 784-1024-1024-10, batch 512 (also: peak memory of a step, compiled vs eager);
* W5  W2's forward, batch 1, inference (weights frozen into the graph).

Baselines: "numpy-opt", the same step written by hand in NumPy with every buffer allocated
once and written with ``out=`` (implemented below), and torch eager when installed. Printed:
median microseconds per step (interquartile range), the ratios, W2's compile time (graph build
with gradients + passes + code generation), and steady-state allocations per compiled step.

Every contender gets ``--threads`` BLAS/torch threads (default 1): on a shared machine a
second BLAS thread that gets descheduled makes every matmul wait, and the timings swing by
10x; one thread each keeps the comparison fair and repeatable (0: library defaults).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import tracemalloc


def _early_threads() -> int:
    """``--threads`` must take effect before NumPy loads its BLAS."""
    argv = sys.argv[1:]
    n = int(argv[argv.index("--threads") + 1]) if "--threads" in argv else 1
    if n:
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[var] = str(n)
    return n


THREADS = _early_threads() if __name__ == "__main__" else 0

import numpy as np  # noqa: E402

import shared_ops as ops  # noqa: E402
import static  # noqa: E402
from static.compiler import compile  # noqa: E402

LR = 0.01
RNG = np.random.default_rng(0)


def race(contenders: dict, reps: int, rounds: int = 10) -> dict[str, tuple[float, float]]:
    """Median and interquartile range (microseconds) of each contender's step, measured in
    interleaved rounds so that a load change on a shared machine hits all of them alike."""
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for fn in contenders.values():  # warm-up: plans, caches, BLAS buffers
        for _ in range(3):
            fn()
    per_round = max(1, reps // rounds)
    for _ in range(rounds):
        for name, fn in contenders.items():
            for _ in range(per_round):
                t0 = time.perf_counter()
                fn()
                times[name].append((time.perf_counter() - t0) * 1e6)
    out = {}
    for name, ts in times.items():
        q = statistics.quantiles(ts, n=4) if len(ts) > 1 else [ts[0]] * 3
        out[name] = (statistics.median(ts), q[2] - q[0])
    return out


def init(sizes):
    """Weights (in, out) and biases, as PyTorch's Linear initializes them."""
    out = []
    for a, b in zip(sizes[:-1], sizes[1:], strict=True):
        bound = 1 / np.sqrt(a)
        out.append(RNG.uniform(-bound, bound, (a, b)).astype(np.float32))
        out.append(RNG.uniform(-bound, bound, b).astype(np.float32))
    return out


# --- static graphs ------------------------------------------------------------------------------
def static_step(params, sizes, batch, loss_kind, *, train=True):
    """(compiled step, seconds to build + compile + generate) for one workload."""
    t0 = time.perf_counter()
    with static.Graph() as g:
        x = static.placeholder((None, sizes[0]), name="x")
        if loss_kind == "ce":
            y = static.placeholder((None,), dtype=np.int64, name="y")
        else:
            y = static.placeholder((None, sizes[-1]), name="y")
        h = x
        n_layers = len(sizes) - 1
        for k in range(n_layers):
            w = static.variable(params[2 * k].copy(), name=f"w{k}")
            b = static.variable(params[2 * k + 1].copy(), name=f"b{k}")
            h = h @ w + b
            if k < n_layers - 1:
                h = ops.relu(h)
        if not train:
            fetches = [h]
        else:
            if loss_kind == "ce":
                loss = ops.cross_entropy(h, y)
            else:
                loss = ops.binary_cross_entropy(ops.sigmoid(h), y)
            fetches = [loss, static.optim.SGD(LR).minimize(loss)]
    feeds = [x, y] if train else [x]
    c = compile(g, fetches, feeds, freeze=not train)
    xb = RNG.standard_normal((batch, sizes[0])).astype(np.float32)
    yb = RNG.integers(0, sizes[-1], batch) if loss_kind == "ce" else \
        RNG.random((batch, sizes[-1])).astype(np.float32)
    args = (xb, yb) if train else (xb,)
    c.plan_for(args)
    return c, args, time.perf_counter() - t0


# --- numpy-opt: hand-written steps with preallocated buffers -------------------------------------
def numpy_simplenet(params, x, y):
    w1, b1, w2, b2 = [p.copy() for p in params]
    n = len(x)
    z1, h, z2, p = (np.empty((n, 5), np.float32), np.empty((n, 5), np.float32),
                    np.empty((n, 1), np.float32), np.empty((n, 1), np.float32))
    dw1, dw2, dh, mask = (np.empty_like(w1), np.empty_like(w2), np.empty((n, 5), np.float32),
                          np.empty((n, 5), bool))
    db1, db2 = np.empty_like(b1), np.empty_like(b2)
    xt = x.T

    def step():
        np.matmul(x, w1, out=z1)
        np.add(z1, b1, out=z1)
        np.maximum(z1, 0, out=h)
        np.matmul(h, w2, out=z2)
        np.add(z2, b2, out=z2)
        np.negative(z2, out=p)
        np.exp(p, out=p)
        np.add(p, 1, out=p)
        np.reciprocal(p, out=p)
        loss = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))  # the fetched value
        np.subtract(p, y, out=z2)  # dL/dz2 of sigmoid + BCE, times n
        np.multiply(z2, 1 / n, out=z2)
        np.matmul(h.T, z2, out=dw2)
        np.sum(z2, axis=0, out=db2)
        np.matmul(z2, w2.T, out=dh)
        np.greater(z1, 0, out=mask)
        np.multiply(dh, mask, out=dh)
        np.matmul(xt, dh, out=dw1)
        np.sum(dh, axis=0, out=db1)
        for w, g in ((w1, dw1), (b1, db1), (w2, dw2), (b2, db2)):
            g *= LR
            w -= g
        return loss

    return step


def numpy_mlp(params, x, y, *, train=True):
    ws = [p.copy() for p in params]
    n = len(x)
    sizes = [ws[0].shape[0]] + [w.shape[1] for w in ws[0::2]]
    acts = [np.empty((n, s), np.float32) for s in sizes[1:]]
    grads = [np.empty_like(w) for w in ws]
    deltas = [np.empty((n, s), np.float32) for s in sizes[1:]]
    rows = np.arange(n)
    m = np.empty((n, 1), np.float32)
    s = np.empty((n, 1), np.float32)

    def forward():
        h = x
        for k in range(len(acts)):
            np.matmul(h, ws[2 * k], out=acts[k])
            acts[k] += ws[2 * k + 1]
            if k < len(acts) - 1:
                np.maximum(acts[k], 0, out=acts[k])
            h = acts[k]
        return h

    def step():
        z = forward()
        if not train:
            return z
        d = deltas[-1]
        np.max(z, axis=1, keepdims=True, out=m)
        np.subtract(z, m, out=d)
        np.exp(d, out=d)
        np.sum(d, axis=1, keepdims=True, out=s)
        loss = float(np.mean(np.log(s[:, 0]) + m[:, 0] - z[rows, y]))
        d /= s  # softmax, then (softmax - onehot) / n
        d[rows, y] -= 1
        d *= 1 / n
        for k in range(len(acts) - 1, -1, -1):
            inp = x if k == 0 else acts[k - 1]
            np.matmul(inp.T, deltas[k], out=grads[2 * k])
            np.sum(deltas[k], axis=0, out=grads[2 * k + 1])
            if k:
                np.matmul(deltas[k], ws[2 * k].T, out=deltas[k - 1])
                deltas[k - 1] *= acts[k - 1] > 0
        for w, g in zip(ws, grads, strict=True):
            g *= LR
            w -= g
        return loss

    return step


# --- torch eager ---------------------------------------------------------------------------------
def torch_step(torch, params, x, y, loss_kind, *, train=True):
    layers = []
    for k in range(len(params) // 2):
        lin = torch.nn.Linear(*params[2 * k].shape)
        with torch.no_grad():
            lin.weight.copy_(torch.from_numpy(params[2 * k].T.copy()))
            lin.bias.copy_(torch.from_numpy(params[2 * k + 1]))
        layers += [lin, torch.nn.ReLU()]
    model = torch.nn.Sequential(*layers[:-1])
    if loss_kind == "bce":
        model.append(torch.nn.Sigmoid())
    xt = torch.from_numpy(x)
    if not train:
        def infer():
            with torch.no_grad():
                return model(xt)
        return infer
    yt = torch.from_numpy(y)
    crit = torch.nn.CrossEntropyLoss() if loss_kind == "ce" else torch.nn.BCELoss()
    opt = torch.optim.SGD(model.parameters(), lr=LR)

    def step():
        opt.zero_grad()
        loss = crit(model(xt), yt)
        loss.backward()
        opt.step()

    return step


# --- memory -----------------------------------------------------------------------------------
def peak_bytes(fn) -> int:
    """Peak traced bytes allocated during one call of ``fn`` (after a warm-up call)."""
    fn()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        base = tracemalloc.get_traced_memory()[0]
        fn()
        return tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()


def eager_w3_peak(params, x, y):
    """Eager mode's peak bytes for a W3 step (None when eager is not usable)."""
    try:
        import eager
        import eager.nn as nn
        import eager.optim as optim
    except Exception:  # noqa: BLE001 -- eager is another team's package
        return None
    layers = []
    for k in range(len(params) // 2):
        lin = nn.Linear(*params[2 * k].shape)
        lin.weight.data = eager.from_numpy(params[2 * k].T.copy())
        lin.bias.data = eager.from_numpy(params[2 * k + 1].copy())
        layers += [lin, nn.ReLU()]
    model = nn.Sequential(*layers[:-1])
    opt = optim.SGD(model.parameters(), lr=LR)
    xt, yt = eager.from_numpy(x), eager.from_numpy(y)
    crit = nn.CrossEntropyLoss()

    def step():
        opt.zero_grad()
        crit(model(xt), yt).backward()
        opt.step()

    return peak_bytes(step)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--no-torch", action="store_true", help="skip the torch baseline")
    parser.add_argument("--threads", type=int, default=1,
                        help="BLAS and torch threads for every contender (0: defaults)")
    args = parser.parse_args()
    reps = 30 if args.quick else 200
    torch = None
    if not args.no_torch:
        try:
            import torch
        except ImportError:
            torch = None
        if torch is not None and THREADS:
            torch.set_num_threads(THREADS)

    workloads = [("W1", (10, 5, 1), 32, "bce", True, reps * 5),
                 ("W2", (784, 256, 256, 10), 128, "ce", True, reps),
                 ("W3", (784, 1024, 1024, 10), 512, "ce", True, max(5, reps // 20)),
                 ("W5", (784, 256, 256, 10), 1, "ce", False, reps * 5)]
    print(f"{'':4} {'compiled us':>14} {'numpy-opt us':>14} {'torch us':>14} "
          f"{'vs numpy-opt':>12} {'torch/compiled':>14}")
    for name, sizes, batch, loss_kind, train, n in workloads:
        params = init(sizes)
        comp, feeds, seconds = static_step(params, sizes, batch, loss_kind, train=train)
        x = feeds[0]
        y = feeds[1] if train else None
        if loss_kind == "bce":
            ref = numpy_simplenet(params, x, y)
        else:
            ref = numpy_mlp(params, x, y, train=train)
        contenders = {"compiled": lambda comp=comp, feeds=feeds: comp(*feeds), "numpy": ref}
        if torch is not None:
            contenders["torch"] = torch_step(torch, params, x, y if train else None, loss_kind,
                                             train=train)
        results = race(contenders, n)
        (t_c, iqr_c), (t_n, iqr_n) = results["compiled"], results["numpy"]
        t_t = results["torch"][0] if "torch" in results else None
        tt = f"{t_t:14.1f}" if t_t else f"{'-':>14}"
        ratio_t = f"{t_t / t_c:13.1f}x" if t_t else f"{'-':>14}"
        print(f"{name:4} {t_c:9.1f}±{iqr_c:<4.0f} {t_n:9.1f}±{iqr_n:<4.0f} {tt} "
              f"{t_c / t_n:11.2f}x {ratio_t}")
        if name == "W2":
            w2_compile = seconds
        if name == "W3":
            step = comp.plan_for(feeds)
            c_peak = peak_bytes(lambda comp=comp, feeds=feeds: comp(*feeds)) + step.plan.bytes()
            e_peak = eager_w3_peak(params, x, y)
            w3_mem = (c_peak, e_peak)
        if name == "W2":
            tracemalloc.start()
            comp(*feeds)
            before = tracemalloc.take_snapshot()
            for _ in range(10):
                comp(*feeds)
            after = tracemalloc.take_snapshot()
            tracemalloc.stop()
            stats = after.compare_to(before, "filename")
            w2_alloc = sum(s.size_diff for s in stats) / 10
    print(f"\nW2 compile (build graph + gradients + passes + codegen): {w2_compile * 1e3:.1f} ms")
    print(f"W2 net bytes left allocated per compiled step (steady state): {w2_alloc:.0f}")
    c_peak, e_peak = w3_mem
    eager_txt = f"{e_peak / 2**20:.1f} MiB, ratio {c_peak / e_peak:.2f}x" if e_peak else \
        "eager unavailable"
    print(f"W3 peak step memory: compiled {c_peak / 2**20:.1f} MiB (planned buffers + peak "
          f"temporaries), eager {eager_txt}")


if __name__ == "__main__":
    main()
