"""Compiled static mode against hand-written NumPy, JAX jit and PyTorch eager, in one run.

    python benchmarks/bench_static.py [--quick] [--no-torch] [--no-jax] [--jax-sync]
                                      [--threads N]

Workloads (float32, plain SGD, one step = forward, loss, backward, update):

* W1  seed SimpleNet 10-5-1 (relu, sigmoid, BCE), batch 32;
* W2  MLP 784-256-256-10 (relu, softmax cross-entropy), batch 128;
* W3  MLP 784-1024-1024-10, batch 512 (also: peak memory of a step, compiled vs eager);
* W5  W2's forward, batch 1, inference (weights frozen into the graph).

Baselines: "numpy-opt", the same step written by hand in NumPy with every buffer allocated
once and written with ``out=`` (implemented below), and, when installed, JAX jit and torch
eager. The JAX step is one ``jax.jit`` function over the same weights and data: params in,
(loss, new params) out, the old params donated to XLA, and every call waits for all of its
results (``block_until_ready``), so no step overlaps the next. Before timing, the script checks
that JAX's first two losses (W5: outputs) equal numpy-opt's: both do the same work.
JAX dispatches each call to a worker thread by default; ``--jax-sync`` runs it on the calling
thread instead (``jax_cpu_enable_async_dispatch=False``). Measured here: async is faster on W1
when the second core is idle (~26 us) but ~51 us when it is busy or the process is pinned to
one core; sync is steady (~35 us on W1) and faster on W5 (~31 against ~42 us).
JAX is the optional extra ``bench``: ``pip install -e '.[bench]'`` (``jax[cpu]==0.10.2``;
``make test`` and ``make demo`` do not install it).

Printed: median microseconds per step (interquartile range), the ratios ("vs X" is compiled
time / X time: below 1.0x the compiled step is faster), each workload's static compile time
(graph build with gradients + passes + code generation + buffer plan) next to JAX's first
call (trace + XLA compile + one run), and steady-state allocations per compiled step.

Every contender gets ``--threads`` BLAS/torch/XLA threads (default 1): on a shared machine a
second BLAS thread that gets descheduled makes every matmul wait, and the timings swing by
10x; one thread each keeps the comparison fair and repeatable (0: library defaults). XLA's CPU
client (jaxlib 0.10.2) sizes its intra-op thread pool from the ``PJRT_NPROC`` environment
variable, set here before jax loads; ``XLA_FLAGS=--xla_cpu_multi_thread_eigen=false`` is
accepted but leaves that pool (and a matmul's two cores) in use, and
``intra_op_parallelism_threads=N`` in ``XLA_FLAGS`` aborts the process.
"""

from __future__ import annotations

import os
import sys
import time
import tracemalloc


def _early_threads() -> int:
    """``--threads`` must take effect before NumPy loads its BLAS (and jax its CPU client)."""
    argv = sys.argv[1:]
    n = int(argv[argv.index("--threads") + 1]) if "--threads" in argv else 1
    if n:
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "PJRT_NPROC"):
            os.environ[var] = str(n)
    return n


THREADS = _early_threads() if __name__ == "__main__" else 0

import numpy as np  # noqa: E402

import static  # noqa: E402
from static.compiler import compile  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # its sibling, also when loaded
from static_mlp import mlp_graph  # noqa: E402
from static_peers import check_same_work, jax_step, torch_step  # noqa: E402
from timing import race, switches  # noqa: E402

LR = 0.01
RNG = np.random.default_rng(0)


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
    weights = [(params[2 * k].copy(), params[2 * k + 1].copy()) for k in range(len(sizes) - 1)]
    g, x, y, loss, step, h = mlp_graph(weights, loss=loss_kind if train else None,
                                       optimizer=static.optim.SGD(LR) if train else None)
    fetches = [loss, step] if train else [h]
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


def _peers(args):
    """(torch, jax) modules, None where skipped or not installed."""
    torch = jax = None
    if not args.no_torch:
        try:
            import torch
        except ImportError:
            torch = None
        if torch is not None and THREADS:
            torch.set_num_threads(THREADS)
    if not args.no_jax:
        try:
            import jax
        except ImportError:
            jax = None
        if jax is not None and args.jax_sync:  # read when the CPU client is made: before any
            jax.config.update("jax_cpu_enable_async_dispatch", False)
    return torch, jax


def _cell(t: float | None, iqr: float | None = None) -> str:
    if t is None:
        return f"{'-':>14}"
    return f"{t:9.1f}±{iqr:<4.0f}" if iqr is not None else f"{t:14.1f}"


def main() -> None:
    parser = switches(__doc__, quick="fewer repetitions", no_torch="skip the torch baseline",
                      no_jax="skip the JAX baseline",
                      jax_sync="run JAX's computations on the calling thread (no async dispatch)")
    parser.add_argument("--threads", type=int, default=1,
                        help="BLAS, torch and XLA threads for every contender (0: defaults)")
    args = parser.parse_args()
    reps = 30 if args.quick else 200
    torch, jax = _peers(args)

    workloads = [("W1", (10, 5, 1), 32, "bce", True, reps * 5),
                 ("W2", (784, 256, 256, 10), 128, "ce", True, reps),
                 ("W3", (784, 1024, 1024, 10), 512, "ce", True, max(5, reps // 20)),
                 ("W5", (784, 256, 256, 10), 1, "ce", False, reps * 5)]
    print(f"{'':4} {'compiled us':>14} {'numpy-opt us':>14} {'jax jit us':>14} "
          f"{'torch us':>14} {'vs numpy-opt':>12} {'vs jax':>7} {'torch/compiled':>14}")
    compile_ms = {}
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
        jax_first = None
        if jax is not None:
            step = jax_step(jax, params, x, y, loss_kind, lr=LR, train=train)
            t0 = time.perf_counter()
            first = step()  # trace + XLA compile + one run
            jax_first = time.perf_counter() - t0
            check_same_work(name, "jax", first, ref())
            check_same_work(name, "jax", step(), ref())  # the same update, too
            contenders["jax"] = step
        compile_ms[name] = (seconds * 1e3, jax_first * 1e3 if jax_first else None)
        if torch is not None:
            contenders["torch"] = torch_step(torch, params, x, y if train else None, loss_kind,
                                             lr=LR, train=train)
        # ten interleaved rounds of n // 10 steps each, in microseconds
        results = race(contenders, 10, max(1, n // 10), warmup=3, unit=1e6)
        (t_c, iqr_c), (t_n, iqr_n) = results["compiled"], results["numpy"]
        t_j, iqr_j = results.get("jax", (None, None))
        t_t = results["torch"][0] if "torch" in results else None
        vs_jax = f"{t_c / t_j:6.2f}x" if t_j else f"{'-':>7}"
        ratio_t = f"{t_t / t_c:13.1f}x" if t_t else f"{'-':>14}"
        print(f"{name:4} {_cell(t_c, iqr_c)} {_cell(t_n, iqr_n)} {_cell(t_j, iqr_j)} "
              f"{_cell(t_t)} {t_c / t_n:11.2f}x {vs_jax} {ratio_t}")
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
    print(f"\n{'first call, ms':16}" + "".join(f"{w:>8}" for w in compile_ms))
    print(f"{'static compile':16}" + "".join(f"{c:8.1f}" for c, _ in compile_ms.values()) +
          "   (build graph + gradients + passes + codegen + buffer plan)")
    print(f"{'jax first call':16}" + "".join(f"{j:8.1f}" if j else f"{'-':>8}"
                                             for _, j in compile_ms.values()) +
          "   (trace + XLA compile + one run)")
    print(f"W2 net bytes left allocated per compiled step (steady state): {w2_alloc:.0f}")
    c_peak, e_peak = w3_mem
    eager_txt = f"{e_peak / 2**20:.1f} MiB, ratio {c_peak / e_peak:.2f}x" if e_peak else \
        "eager unavailable"
    print(f"W3 peak step memory: compiled {c_peak / 2**20:.1f} MiB (planned buffers + peak "
          f"temporaries), eager {eager_txt}")


if __name__ == "__main__":
    main()
