"""Time one static GRU training step (a ``scan`` over an unknown number of steps, with its
gradient scans), compiled and interpreted. A measurement script, not a test:

    .venv/bin/python benchmarks/bench_gru_step.py [--steps 30] [--hidden 32]
    .venv/bin/python benchmarks/bench_gru_step.py --epoch

Prints the median and spread of the per-step time of each executor on the same graph, so the
ratio compiled/interpreter is measured in one run (timings on a busy machine are noisy: repeat
before believing a number). ``--epoch`` instead trains the zoo's ``gru_epoch`` (120 padded
batches, lengths 3..40) for one epoch in both modes through the compare harness and prints
each mode's time per step with every trace, compile and code generation included, and the
step from which compiling has paid back (issue 18's variable-length GRU row).
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

import eager
import shared_ops as ops
import static
from compare.zoo.gru_seq import GRULayerClassifier
from static.tracing import trace


def build(features: int, hidden: int):
    """A training graph: the time axis is None, so the GRU is a scan; SGD updates."""
    eager.manual_seed(0)
    model = GRULayerClassifier(features, hidden)
    with static.Graph() as g:
        x = static.placeholder((None, None, features), name="x")
        y = static.placeholder((None,), np.int64, name="y")
        loss = ops.cross_entropy(trace(model, x), y)
        train = static.optim.SGD(lr=0.1).minimize(loss)
    return g, x, y, loss, train


def time_steps(step, arrays, repeats: int) -> list[float]:
    step(*arrays)  # plan (compiled) and warm up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        step(*arrays)
        times.append(time.perf_counter() - start)
    return times


def epoch() -> None:
    """One epoch of the zoo's ``gru_epoch`` in both modes, setup costs included."""
    from compare.runner import run_model

    r = run_model("gru_epoch", steps=1, repeats=0)
    t = r["timing"]
    pay, static = t["payback"], t["static"]
    n = pay["timed_steps"]
    print(f"gru_epoch, {n} steps (one epoch), {r['graph']['traces']} trace(s), "
          f"{static['code_generations']} code generations, setup {pay['setup_ms']:.1f} ms")
    print(f"per step including compiles: compiled {pay['static_total_ms'] / n:.2f} ms, "
          f"eager {pay['eager_total_ms'] / n:.2f} ms; steady medians: compiled "
          f"{static['steady']['median_ms']:.2f} ms, eager {t['eager']['steady']['median_ms']:.2f}"
          f" ms; pays back at step {pay['steps']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=30, help="timed training steps")
    parser.add_argument("--length", type=int, default=20, help="sequence length")
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--features", type=int, default=8)
    parser.add_argument("--hidden", type=int, default=32)
    parser.add_argument("--epoch", action="store_true",
                        help="one epoch of the zoo's gru_epoch in both modes, compiles included")
    args = parser.parse_args()
    if args.epoch:
        epoch()
        return
    rng = np.random.default_rng(0)
    xb = rng.standard_normal((args.batch, args.length, args.features)).astype(np.float32)
    yb = rng.integers(0, 2, size=args.batch)
    for executor in ("interpret", "compiled"):
        g, x, y, loss, train = build(args.features, args.hidden)
        step = static.compile(g, [loss, train], [x, y], executor=executor)
        times = time_steps(step, (xb, yb), args.steps)
        med = statistics.median(times) * 1e3
        lo, hi = min(times) * 1e3, max(times) * 1e3
        print(f"{executor:>9}: median {med:7.2f} ms per step (min {lo:.2f}, max {hi:.2f}), "
              f"T={args.length} B={args.batch} H={args.hidden}")


if __name__ == "__main__":
    main()
