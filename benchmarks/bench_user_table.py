"""The user-facing performance table of issue 18, side by side with PyTorch and hand-written
NumPy, in one process:

    .venv/bin/python benchmarks/bench_user_table.py [--quick] [--threads N] [--rows a,b]
                                                    [--thread-time]

Rows (each a training step unless said otherwise):

* ``session``: the static SimpleNet step (W1 of bench_static.py) through ``Session.run``,
  through ``Session.make_callable`` and as the compiled callable, against the hand-written
  NumPy step with preallocated buffers (``numpy-opt``);
* ``cnn``: pytorch/examples' MNIST CNN, batch 64, eager and static (the Module traced, the
  compiled step through ``make_callable``) against PyTorch;
* ``gru``, ``rnn_tanh``, ``lstm``: the word language model (2 layers, 128 wide, tied
  weights, 35 steps x batch 20), eager against PyTorch;
* ``transformer``: a makemore-style character transformer (4 layers, block 64), eager
  against PyTorch;
* ``char_mlp``: makemore's character MLP (embedding 27x10 of 3 characters, 200 tanh units,
  batch 32), eager against PyTorch.

Contenders of a row run in interleaved rounds (a load change on this shared machine hits all
alike); printed are the median per step, the interquartile range, and the ratio (ours /
theirs: under 1.0x we are faster). Every contender gets ``--threads`` BLAS and torch threads
(default 1: a descheduled second thread makes every matmul wait on a busy 2-core box); the
counts actually in effect are printed. Without PyTorch the table says so and runs the rest.
``--thread-time`` times the calling thread's CPU time instead of wall time (one thread only:
every contender then runs on the calling thread), the steadier figure while other work loads
the machine.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable


def _early_threads() -> int:
    """``--threads`` must take effect before NumPy loads its BLAS."""
    argv = sys.argv[1:]
    n = int(argv[argv.index("--threads") + 1]) if "--threads" in argv else 1
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(n)
    return n


THREADS = _early_threads() if __name__ == "__main__" else 1

import numpy as np  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # siblings, also when loaded
import user_models  # noqa: E402
from timing import race  # noqa: E402 (milliseconds by default)

import eager  # noqa: E402


def blas_threads() -> str:
    """NumPy's BLAS and its thread count, as threadpoolctl reports them (if installed)."""
    try:
        import threadpoolctl
    except ImportError:
        return f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS')}"
    pools = [p for p in threadpoolctl.threadpool_info() if p["user_api"] == "blas"]
    return ", ".join(f"{p['internal_api']} {p['num_threads']}" for p in pools) or "unknown"


# --- rows ---------------------------------------------------------------------------------------
def session_row(rounds: int, clock: Callable[[], float]) -> dict[str, tuple[float, float]]:
    import bench_static as bs

    import static

    params = bs.init((10, 5, 1))
    comp, (xb, yb), _ = bs.static_step(params, (10, 5, 1), 32, "bce")
    g = comp.source_graph
    sess = static.Session(g)
    x, y = g["x"], g["y"]
    loss, train = comp.fetches[0], comp.fetches[1]
    fetch = [g[loss.name], g[train.name]]
    feeds = {x: xb, y: yb}
    call = sess.make_callable(fetch, [x, y])
    contenders = {"Session.run": lambda: sess.run(fetch, feeds),
                  "make_callable": lambda: call(xb, yb),
                  "compiled": lambda: comp(xb, yb),
                  "numpy-opt": bs.numpy_simplenet(params, xb, yb)}
    return race(contenders, rounds, per_round=200, clock=clock)


def torch_rows(torch, name: str) -> dict[str, Callable[[], object]]:
    """The eager and (when installed) torch steps of one row."""
    builders = user_models.ROW_STEPS
    eager.manual_seed(0)
    contenders = {"eager": builders[name](eager)}
    if name == "cnn":
        contenders["static"] = user_models.mnist_static_step()
    if torch is not None:
        torch.manual_seed(0)
        contenders["torch"] = builders[name](torch)
    return contenders


ROWS = ("session", "cnn", "gru", "rnn_tanh", "lstm", "transformer", "char_mlp")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds")
    parser.add_argument("--threads", type=int, default=1, help="BLAS and torch threads")
    parser.add_argument("--rows", default=",".join(ROWS), help="comma-separated rows")
    parser.add_argument("--thread-time", action="store_true",
                        help="time the thread's CPU time, not wall time (one thread only)")
    args = parser.parse_args()
    if args.thread_time and args.threads != 1:
        parser.error("--thread-time counts the calling thread only: use it with --threads 1")
    clock = time.thread_time if args.thread_time else time.perf_counter
    try:
        import torch
    except ImportError:
        torch = None
    if torch is not None:
        torch.set_num_threads(args.threads)
    print(f"threads: NumPy BLAS {blas_threads()}; torch "
          + (f"{torch.get_num_threads()} (torch {torch.__version__})" if torch is not None
             else "not installed: its columns are skipped")
          + f"; NumPy {np.__version__}; clock: "
          + ("thread CPU time" if args.thread_time else "wall time"))
    rounds = 5 if args.quick else 15
    print(f"{'row':12} {'contender':14} {'median':>10} {'IQR':>8}   ratio")
    for name in args.rows.split(","):
        if name == "session":
            results, base, unit = session_row(rounds, clock), "numpy-opt", 1e3
        else:
            results = race(torch_rows(torch, name), max(3, rounds // 3 if name == "transformer"
                                                         else rounds), clock=clock)
            base, unit = ("torch" if torch is not None else None), 1.0
        suffix = "us" if unit == 1e3 else "ms"
        for contender, (med, iqr) in results.items():
            ratio = f"{med / results[base][0]:.2f}x" if base and contender != base else ""
            print(f"{name:12} {contender:14} {med * unit:8.1f}{suffix} {iqr * unit:7.1f}   "
                  f"{ratio}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
