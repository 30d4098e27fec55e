"""The model rows of `bench_user_table.py` with every contender in a process of its own, as
users run them:

    .venv/bin/python benchmarks/bench_user_processes.py [--rounds 3] [--steps 10] [--rows a,b]

Why a second table: importing ``shared_ops`` sets glibc's heap thresholds for the whole
process (`shared_ops/heap_reuse.py`), so in `bench_user_table.py`'s one process PyTorch's
steps stop page-faulting too, which in a process of their own they do (thousands of faults a
CNN or LSTM step). Here each (row, contender, round) runs in a fresh interpreter with one
BLAS and one torch thread and times the calling thread's CPU time (steadier than wall time on
a loaded machine; all the work runs on that thread): the median of ``--steps`` steps after two
warm-up steps. Rounds alternate the contenders; printed are the median of the rounds' figures,
their range, and the ratio ours / torch's.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys

CONTENDERS = {"cnn": ("eager", "static", "torch")}  # every other row: eager and torch


def child(row: str, lib_name: str, steps: int) -> float:
    """Median thread time (ms) of ``steps`` steps of ``row`` in ``lib_name``: only that library
    is imported."""
    import time

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import user_models

    if lib_name == "torch":
        import torch as lib

        lib.set_num_threads(1)
    else:
        import eager as lib
    lib.manual_seed(0)
    step = user_models.mnist_static_step() if lib_name == "static" else \
        user_models.ROW_STEPS[row](lib)
    step()
    step()
    times = []
    for _ in range(steps):
        t0 = time.thread_time()
        step()
        times.append((time.thread_time() - t0) * 1e3)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--rows", default="cnn,gru,rnn_tanh,lstm,transformer,char_mlp")
    parser.add_argument("--child", nargs=2, metavar=("ROW", "LIB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(child(*args.child, args.steps))
        return
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
           "MKL_NUM_THREADS": "1"}
    print("each contender in its own process; one BLAS and one torch thread; thread CPU time, "
          f"median of {args.steps} steps a process, {args.rounds} rounds")
    print(f"{'row':12} {'contender':10} {'median':>9} {'range':>17}   ratio")
    for row in args.rows.split(","):
        figures: dict[str, list[float]] = {c: [] for c in CONTENDERS.get(row, ("eager", "torch"))}
        for _ in range(args.rounds):
            for lib_name, got in figures.items():
                out = subprocess.run([sys.executable, os.path.abspath(__file__), "--child", row,
                                      lib_name, "--steps", str(args.steps)], env=env,
                                     capture_output=True, text=True)
                if out.returncode:  # torch not installed, or a failing row: say so, go on
                    print(f"{row:12} {lib_name:10} failed: {out.stderr.strip().splitlines()[-1]}")
                    continue
                got.append(float(out.stdout.strip().splitlines()[-1]))
        theirs = statistics.median(figures["torch"]) if figures.get("torch") else None
        for lib_name, got in figures.items():
            if not got:
                continue
            med = statistics.median(got)
            ratio = f"{med / theirs:.2f}x" if theirs and lib_name != "torch" else ""
            print(f"{row:12} {lib_name:10} {med:7.1f}ms  {min(got):7.1f}-{max(got):.1f}ms   "
                  f"{ratio}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
