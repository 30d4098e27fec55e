"""Where the MNIST CNN step's time goes, and where Winograd pays back against im2col:

    .venv/bin/python benchmarks/bench_conv.py profile [--steps N] [--im2col]
    .venv/bin/python benchmarks/bench_conv.py crossover
    .venv/bin/python benchmarks/bench_conv.py steps [--rounds N]

``profile``: kernel time per op and input shapes over ``--steps`` eager (then static
compiled) training steps of pytorch/examples' MNIST CNN (``user_models.mnist_step``), every
kernel timed by wrapping ``Op.kernel``, next to PyTorch's own profiler table for the same step.
Times are the thread's CPU time (``time.thread_time``): on a shared machine, time spent
descheduled does not count (cache and memory contention still do).
``crossover``: forward plus both gradients of one 3x3 stride-1 convolution, im2col kernels
against the Winograd forward and gradient program, over channels and image sizes (the
numbers behind ``winograd.MIN_CHANNELS`` / ``MIN_OUTPUT``). ``--im2col`` profiles with the
Winograd path switched off (the "before"). ``steps``: the whole training step, eager and
static, with Winograd and without (im2col), and PyTorch's, in interleaved rounds: median
and minimum CPU time and the ratios to PyTorch. One BLAS and torch thread.
"""

from __future__ import annotations

import os
import sys

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import time  # noqa: E402
from collections import defaultdict  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import user_models  # noqa: E402

import shared_ops  # noqa: E402
from shared_ops.ops import conv, conv_winograd  # noqa: E402


# --- profile -----------------------------------------------------------------------------------
def _timed_kernels(table: dict):
    """Wrap every primitive's kernel to add its time to ``table[(op, shapes)]``; returns the
    undo function."""
    saved = {}
    for op in shared_ops.primitives():
        def timed(*args, _k=op.kernel, _name=op.name, **attrs):
            t0 = time.thread_time()
            out = _k(*args, **attrs)
            shapes = " ".join("x".join(map(str, a.shape)) for a in args if hasattr(a, "shape"))
            table[_name, shapes] += time.thread_time() - t0
            return out
        saved[op] = op.kernel
        op.kernel = timed
    return lambda: [setattr(op, "kernel", k) for op, k in saved.items()]


def _print_table(title: str, table: dict, steps: int) -> None:
    total = sum(table.values())
    print(f"\n{title}: {total / steps * 1e3:.1f} ms of kernels a step")
    for (name, shapes), t in sorted(table.items(), key=lambda kv: -kv[1])[:18]:
        print(f"  {t / steps * 1e3:7.2f} ms  {name:22} {shapes}")


def profile(steps: int) -> None:
    import eager

    for mode in ("eager", "static"):
        table: dict = defaultdict(float)
        undo = _timed_kernels(table)
        try:
            eager.manual_seed(0)
            step = user_models.mnist_step(eager) if mode == "eager" else \
                user_models.mnist_static_step()
            step()
            step()
            table.clear()
            t0 = time.thread_time()
            for _ in range(steps):
                step()
            wall = (time.thread_time() - t0) / steps
        finally:
            undo()
        _print_table(f"{mode} step {wall * 1e3:.1f} ms", table, steps)
    try:
        import torch
        from torch.profiler import ProfilerActivity
        from torch.profiler import profile as torch_profile
    except ImportError:
        print("\ntorch: not installed")
        return
    torch.set_num_threads(1)
    torch.manual_seed(0)
    step = user_models.mnist_step(torch)
    step()
    t0 = time.thread_time()
    for _ in range(steps):
        step()
    wall = (time.thread_time() - t0) / steps
    with torch_profile(activities=[ProfilerActivity.CPU]) as prof:
        for _ in range(steps):
            step()
    print(f"\ntorch step {wall * 1e3:.1f} ms (self CPU time per step, under its profiler)")
    rows = sorted(prof.key_averages(), key=lambda e: -e.self_cpu_time_total)[:12]
    for e in rows:
        print(f"  {e.self_cpu_time_total / steps / 1e3:7.2f} ms  {e.key}")


# --- crossover ---------------------------------------------------------------------------------
def _best(fn, rounds: int = 5) -> float:
    fn()
    best = float("inf")
    for _ in range(rounds):
        t0 = time.thread_time()
        fn()
        best = min(best, time.thread_time() - t0)
    return best * 1e3


def crossover() -> None:
    rng = np.random.default_rng(0)
    params = dict(stride=(1, 1), padding=(1, 1), dilation=(1, 1), groups=1)
    print("forward + input and weight gradients of one 3x3 conv, padding 1, float32, best of 5")
    print(f"{'N':>4} {'C':>4} {'O':>4} {'H':>4}  {'im2col':>9} {'winograd':>9}  ratio")
    for n, c, o, h in [(64, 1, 32, 28), (64, 4, 4, 28), (64, 8, 8, 28), (64, 8, 64, 28),
                       (64, 64, 8, 28), (64, 12, 12, 28), (64, 16, 16, 28), (64, 32, 64, 26),
                       (64, 64, 64, 14), (64, 64, 64, 8), (64, 128, 128, 6), (64, 64, 64, 4),
                       (64, 128, 128, 3), (8, 16, 16, 8), (8, 32, 32, 16), (1, 64, 64, 32)]:
        x = rng.standard_normal((n, c, h, h)).astype(np.float32)
        w = (rng.standard_normal((o, c, 3, 3)) * 0.1).astype(np.float32)
        g = rng.standard_normal((n, o, h, h)).astype(np.float32)

        def im2col(x=x, w=w, g=g):
            # conv2d_core's own kernel would take Winograd where it applies: im2col by hand.
            np.matmul(conv.weight_matrix(w, 1), conv.im2col(x, (3, 3), (1, 1), (1, 1), (1, 1),
                                                            1, x.shape[2:]))
            conv.conv2d_input_grad.kernel(g, w, shape=x.shape, **params)
            conv.conv2d_weight_grad.kernel(x, g, shape=w.shape, **params)

        def winograd(x=x, w=w, g=g):
            conv.conv_forward(x, w, (1, 1))
            conv_winograd.winograd_conv_vjp(g, x, w, (1, 1))

        a, b = _best(im2col), _best(winograd)
        print(f"{n:4} {c:4} {o:4} {h:4}  {a:8.2f}ms {b:8.2f}ms  {b / a:.2f}x")


# --- steps --------------------------------------------------------------------------------------
class _Im2col:
    """While entered, conv.py's Winograd rule says no (conv.py looks it up per call)."""

    def __enter__(self):
        self.saved, conv.winograd_applies = conv.winograd_applies, lambda *a, **k: False

    def __exit__(self, *exc):
        conv.winograd_applies = self.saved


def _without_winograd(step):
    def run():
        with _Im2col():
            step()
    return run


def steps(rounds: int) -> None:
    import eager

    eager.manual_seed(0)
    contenders = {"eager": user_models.mnist_step(eager)}
    eager.manual_seed(0)
    contenders["eager im2col"] = _without_winograd(user_models.mnist_step(eager))
    contenders["static"] = user_models.mnist_static_step()
    with _Im2col():  # its gradient graph built from the im2col gradient primitives
        contenders["static im2col"] = _without_winograd(user_models.mnist_static_step())
    try:
        import torch
    except ImportError:
        torch = None
    if torch is not None:
        torch.set_num_threads(1)
        torch.manual_seed(0)
        contenders["torch"] = user_models.mnist_step(torch)
    times: dict = {name: [] for name in contenders}
    for step in contenders.values():
        step()
        step()
    for _ in range(rounds):
        for name, step in contenders.items():
            t0 = time.thread_time()
            step()
            times[name].append(time.thread_time() - t0)
    print(f"MNIST CNN train step, CPU time over {rounds} interleaved rounds")
    base = times.get("torch")
    for name, ts in times.items():
        ratio = "" if base is None or name == "torch" else \
            f"  {np.median(ts) / np.median(base):.2f}x torch (min {min(ts) / min(base):.2f}x)"
        print(f"  {name:14} median {np.median(ts) * 1e3:6.1f} ms  min {min(ts) * 1e3:6.1f} ms"
              + ratio)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("what", choices=("profile", "crossover", "steps"))
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--im2col", action="store_true", help="profile without Winograd")
    args = parser.parse_args()
    if args.im2col:
        conv.winograd_applies = lambda *a, **k: False  # conv.py looks the rule up per call
    if args.what == "profile":
        profile(args.steps)
    elif args.what == "steps":
        steps(args.rounds)
    else:
        crossover()


if __name__ == "__main__":
    main()
