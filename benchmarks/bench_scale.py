"""How graph size drives cost: build, differentiate, compile and run chains of growing length.

    python benchmarks/bench_scale.py [--sizes 1000,10000,100000] [--no-compile] [--repeat 2]

Static: a chain of alternately ``h * c`` and ``sin(h)`` (about 3 nodes per link with the
constants), then its gradient. For each size it prints, in CPU seconds, building the graph,
`static.gradients`, a `Session.run` of loss and gradient on the interpreter (plan included),
`static.compile` (every pass) and the compiled step's first call (code generation), plus the
growth factor against the previous size: linear work grows by the size ratio (10x per row
with the default sizes), quadratic work by its square.

Eager: the forward and the backward of a chain of as many ops (backward is iterative, so a
100,000-op chain needs no recursion). Memory: the bytes still allocated after 1,000 further
training steps in either mode (tracemalloc; ~0 when tapes and plans are freed).

A growth above x12 per 10x the nodes is flagged ``!`` as super-linear. The ``gc`` column is
the time Python's cyclic collector took within the row's phases. Its full collections walk
the whole heap each time the long-lived objects grow by a quarter: rare while the graph is
small next to the process, a large share once the graph is the heap. That made gradients
and compilation grow faster than the graph until the library paused collection for them
(static/gc_pause.py); the eager forward (user code recording a tape: no place for a pause)
still shows it. Each phase is charged the young-generation collection right after it, so
work a phase defers to the collector is not hidden. What is left above x10 is the memory
hierarchy: 10,000 nodes nearly fit the CPU caches, 100,000 do not (under cProfile every
function's call count grows exactly x10; tests/robustness checks call counts).
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
import tracemalloc
from collections.abc import Callable

import numpy as np

import eager
import eager.nn as nn
import eager.optim as optim
import static
from compare.zoo.static_graphs import chain_graph, regression_mlp_graph
from static.compiler import compile as compile_graph

SUPERLINEAR = 1.2  # growth above 1.2x the size ratio (x12 per 10x) is flagged
_gc_seconds = [0.0, 0.0]  # the collector's time inside timed phases; when one started


def _gc_clock(phase: str, info: dict) -> None:
    if phase == "start":
        _gc_seconds[1] = time.process_time()
    else:
        _gc_seconds[0] += time.process_time() - _gc_seconds[1]


def _timed(fn: Callable[[], object]) -> tuple[float, object]:
    """CPU seconds of ``fn()``; the collector's share is added to ``_gc_seconds[0]``."""
    gc.collect()  # garbage of the previous phase is not this phase's cost
    gc.callbacks.append(_gc_clock)
    start = time.process_time()  # CPU time: steadier than wall time on a shared machine
    out = fn()
    # What the phase left for the collector's young generations (all of it, when the phase
    # paused automatic collection) is examined now, on the phase's clock.
    gc.collect(1)
    seconds = time.process_time() - start
    gc.callbacks.remove(_gc_clock)
    return seconds, out


def best_of(repeat: int, make_row: Callable[[], dict[str, float]]) -> dict[str, float]:
    """Each phase's fastest time over ``repeat`` runs: other processes only ever add time."""
    rows = [make_row() for _ in range(repeat)]
    return {k: min(r[k] for r in rows) for k in rows[0]}


def static_row(links: int, with_compile: bool) -> dict[str, float]:
    """Seconds per phase for a chain of ``links`` ops (~3 nodes each)."""
    row: dict[str, float] = {}
    _gc_seconds[0] = 0.0
    row["build"], (g, x, w, loss) = _timed(lambda: chain_graph(links))
    row["grad"], (gw,) = _timed(lambda: static.gradients(loss, [w]))
    row["nodes"] = len(g.nodes)  # forward and backward
    feed = np.ones(4, np.float32)
    row["session"], _ = _timed(lambda: static.Session(g, executor="interpret")
                               .run([loss, gw], {x: feed}))
    if with_compile:
        row["compile"], step = _timed(lambda: compile_graph(g, [loss, gw], [x]))
        row["codegen"], _ = _timed(lambda: step(feed))
    row["gc"] = _gc_seconds[0]
    return row


def eager_row(ops: int) -> dict[str, float]:
    x = eager.tensor([1.0, 2.0], requires_grad=True)

    def forward():
        h = x
        for i in range(ops):
            h = h * 1.00001 if i % 2 else h + 0.5
        return h.sum()

    row: dict[str, float] = {"nodes": ops}
    _gc_seconds[0] = 0.0
    row["forward"], loss = _timed(forward)
    row["backward"], _ = _timed(loss.backward)
    row["gc"] = _gc_seconds[0]
    return row


def print_table(title: str, rows: list[dict[str, float]], phases: list[str]) -> list[str]:
    """Print one row per size, each phase with its growth from the previous row; returns
    the phases flagged super-linear (``!``) in some row."""
    print(f"\n{title}")
    print(f"{'nodes':>16}" + "".join(f"{p:>16}" for p in phases))
    previous = None
    flagged = []
    for row in rows:
        cells = []
        for p in phases:
            text = f"{row[p]:.3f}s"
            if previous is not None and previous[p] > 0.01:
                growth = row[p] / previous[p]
                bad = p != "gc" and growth > SUPERLINEAR * row["nodes"] / previous["nodes"]
                text += f" x{growth:.1f}" + ("!" if bad else " ")
                if bad:
                    flagged.append(p)
            else:
                text += " " * 7
            cells.append(f"{text:>16}")
        size = f"{int(row['nodes']):>8}"
        size += f" (x{row['nodes'] / previous['nodes']:.1f})" if previous is not None else " " * 8
        print(size + "".join(cells))
        previous = row
    return flagged


def memory_growth(steps: int = 1000) -> dict[str, int]:
    """Bytes still allocated after ``steps`` training steps beyond a warmup, per mode."""
    rng = np.random.default_rng(0)
    xv = rng.standard_normal((32, 16)).astype(np.float32)
    yv = rng.standard_normal((32, 4)).astype(np.float32)
    eager.manual_seed(0)
    model = nn.Sequential(nn.Linear(16, 32), nn.ReLU(), nn.Linear(32, 4))
    opt = optim.Adam(model.parameters(), lr=1e-3)
    x, y = eager.from_numpy(xv), eager.from_numpy(yv)

    def eager_step():
        opt.zero_grad()
        nn.functional.mse_loss(model(x), y).backward()
        opt.step()

    g, px, py, loss, train = regression_mlp_graph(rng, (16, 32, 4), (4, 6), lr=1e-3)
    sess = static.Session(g, executor="interpret")
    step = compile_graph(g, [loss, train], [px, py])
    loops = {"eager": eager_step,
             "static Session": lambda: sess.run([loss, train], {px: xv, py: yv}),
             "static compiled": lambda: step(xv, yv)}
    out = {}
    for name, fn in loops.items():
        for _ in range(20):
            fn()
        gc.collect()
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        for _ in range(steps):
            fn()
        gc.collect()
        out[name] = tracemalloc.get_traced_memory()[0] - base
        tracemalloc.stop()
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000",
                        help="approximate node counts, comma-separated")
    parser.add_argument("--no-compile", action="store_true",
                        help="skip static.compile (the slowest phase at 100,000 nodes)")
    parser.add_argument("--repeat", type=int, default=2,
                        help="runs per size; each phase's fastest is shown")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    phases = ["build", "grad", "session"] + ([] if args.no_compile else ["compile", "codegen"])
    rows = []
    for n in sizes:
        rows.append(best_of(args.repeat, lambda n=n: static_row(max(1, n // 3),
                                                                not args.no_compile)))
        print(f"  static {int(rows[-1]['nodes'])} nodes done", file=sys.stderr, flush=True)
    flagged = print_table("static graph (CPU seconds per phase; xN: growth from the previous "
                          "row; !: super-linear)", rows, phases + ["gc"])
    eager_rows = [best_of(args.repeat, lambda n=n: eager_row(n)) for n in sizes]
    flagged += print_table("eager chain (CPU seconds)", eager_rows, ["forward", "backward", "gc"])
    limit = f"x{10 * SUPERLINEAR:.0f} per 10x the nodes"
    print(f"\nsuper-linear (growth above {limit}): {', '.join(flagged) if flagged else 'none'}")
    print("\nmemory still allocated after 1000 more training steps (bytes):")
    for name, grown in memory_growth().items():
        print(f"  {name:<16} {grown:>8}")


if __name__ == "__main__":
    main()
