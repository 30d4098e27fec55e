"""How graph size drives cost: build, differentiate, compile and run graphs of growing size, and
the memory each phase needs.

    python benchmarks/bench_scale.py [--sizes 1000,10000,100000] [--no-compile] [--repeat 2]
                                     [--limit-gb 4] [--timeout 600] [--quick]

Static (rows measured by `scale_rows.py`, each size in a child process of its own, so that
its peak memory is its own and a row that runs out of memory or time is reported as such):

* chain: alternately ``h * c`` and ``sin(h)`` (about 3 nodes per link with the constants),
  then its gradient: building the graph, `static.gradients`, a `Session.run` of loss and
  gradient on the interpreter (plan included), `static.compile` (every pass) and the compiled
  step's first call (code generation);
* fold and simplify: chains the compiler collapses into one node (a chain of constants;
  ``reshape(reshape(...))``), where every rewrite merges the provenance of all the nodes
  before it: `static.compile` and the first call. Provenance merged as set unions made these
  quadratic (31,000 nodes: 3.7 GB; 125,000: out of memory); it now costs O(1) per merge
  (static/compiler/provenance.py), so 100,000 nodes compile in seconds and a few hundred MB.

For each size it prints the CPU seconds per phase and the peak memory after each phase (MB:
the child's ``ru_maxrss`` above what it held before building, ~40 MB of interpreter and
libraries), each with its growth factor against the previous size: linear work grows by the
size ratio (10x per row with the default sizes), quadratic work by its square.

Eager: the forward and the backward of a chain of as many ops (backward is iterative, so a
100,000-op chain needs no recursion). Memory: the bytes still allocated after 1,000 further
training steps in either mode (tracemalloc; ~0 when tapes and plans are freed).

A growth above x12 per 10x the nodes is flagged ``!`` as super-linear. The ``gc`` column is
the time Python's cyclic collector took within the row's phases. Its full collections walk
the whole heap each time the long-lived objects grow by a quarter: rare while the graph is
small next to the process, a large share once the graph is the heap. That made gradients
and compilation grow faster than the graph until the library paused collection for them
(static/gc_pause.py); the eager forward (user code recording a tape: no place for a pause)
still shows it. What is left above x10 is the memory hierarchy: 10,000 nodes nearly fit the
CPU caches, 100,000 do not (under cProfile every function's call count grows exactly x10;
tests/robustness checks call counts).
"""

from __future__ import annotations

import argparse
import gc
import sys
import tracemalloc

import numpy as np
from scale_rows import Clock, run_child

import eager
import eager.nn as nn
import eager.optim as optim
import static
from compare.zoo.static_graphs import regression_mlp_graph
from static.compiler import compile as compile_graph

SUPERLINEAR = 1.2  # growth above 1.2x the size ratio (x12 per 10x) is flagged


def best_of(rows: list[dict]) -> dict:
    """Each entry's smallest value over repeated runs (other processes only ever add time);
    a failed run's error when every run failed."""
    good = [r for r in rows if "error" not in r]
    if not good:
        return rows[-1]
    return {k: min(r[k] for r in good) for k in good[0]}


def eager_row(ops: int) -> dict[str, float]:
    x = eager.tensor([1.0, 2.0], requires_grad=True)

    def forward():
        h = x
        for i in range(ops):
            h = h * 1.00001 if i % 2 else h + 0.5
        return h.sum()

    row: dict[str, float] = {"nodes": ops}
    clock = Clock()
    row["forward"], loss = clock.time(forward)
    row["backward"], _ = clock.time(loss.backward)
    row["gc"] = clock.gc
    return row


def print_table(title: str, rows: list[dict], columns: list[str], unit: str) -> list[str]:
    """Print one row per size, each column with its growth from the previous row (a failed
    row prints its error); returns the columns flagged super-linear (``!``) in some row."""
    print(f"\n{title}")
    print(f"{'nodes':>16}" + "".join(f"{c:>18}" for c in columns))
    previous = None
    flagged = []
    for row in rows:
        if "error" in row:
            print(f"{'~' + str(row['size']):>8}        {row['error']}")
            previous = None
            continue
        cells = []
        for c in columns:
            text = f"{row[c]:.3f}s" if unit == "s" else f"{row[c]:.0f}MB"
            # Growth of tiny values is noise: under 10 ms, or under 5 MB (page granularity).
            if previous is not None and previous[c] > (0.01 if unit == "s" else 5):
                growth = row[c] / previous[c]
                bad = c != "gc" and growth > SUPERLINEAR * row["nodes"] / previous["nodes"]
                text += f" x{growth:.1f}" + ("!" if bad else " ")
                if bad:
                    flagged.append(c)
            else:
                text += " " * 7
            cells.append(f"{text:>18}")
        size = f"{int(row['nodes']):>8}"
        size += f" (x{row['nodes'] / previous['nodes']:.1f})" if previous is not None else " " * 8
        print(size + "".join(cells))
        previous = row
    return flagged


def static_rows(kind: str, sizes: list[int], args: argparse.Namespace) -> list[dict]:
    """One row per size, each run ``args.repeat`` times in child processes (see scale_rows);
    after a size that failed (out of memory or time) the larger ones are not tried."""
    rows: list[dict] = []
    for n in sizes:
        if rows and "error" in rows[-1]:
            rows.append({"size": n, "error": "not run: a smaller size failed"})
            continue
        row = best_of([run_child(kind, n, with_compile=not args.no_compile,
                                 limit_gb=args.limit_gb, timeout=args.timeout)
                       for _ in range(args.repeat)])
        rows.append(row | {"size": n})
        print(f"  static {kind} ~{n} nodes: {row.get('error', 'done')}", file=sys.stderr,
              flush=True)
    return rows


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
                        help="skip static.compile (and the fold and simplify chains)")
    parser.add_argument("--repeat", type=int, default=2,
                        help="runs per size; each phase's fastest (and smallest peak) is shown")
    parser.add_argument("--limit-gb", type=float, default=4.0,
                        help="address space of each static row's process: more is reported "
                             "as out of memory")
    parser.add_argument("--timeout", type=float, default=600.0,
                        help="seconds allowed to each static row's process")
    parser.add_argument("--quick", action="store_true",
                        help="sizes 1000,10000 and one run each (for `dualgraph bench`)")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.repeat = "1000,10000", 1
    sizes = [int(s) for s in args.sizes.split(",")]
    compiled = [] if args.no_compile else ["compile", "codegen"]
    kinds = {"chain": ["build", "grad", "session", *compiled]}
    if not args.no_compile:
        kinds |= {"fold": ["build", *compiled], "simplify": ["build", *compiled]}
    flagged = []
    for kind, phases in kinds.items():
        rows = static_rows(kind, sizes, args)
        flagged += print_table(f"static {kind} (CPU seconds per phase; xN: growth from the "
                               "previous row; !: super-linear)", rows, phases + ["gc"], "s")
        flagged += print_table(f"static {kind} (peak MB after each phase, above the start)",
                               rows, [f"{p} MB" for p in phases], "MB")
    eager_rows = [best_of([eager_row(n) for _ in range(args.repeat)]) for n in sizes]
    flagged += print_table("eager chain (CPU seconds)", eager_rows, ["forward", "backward", "gc"],
                           "s")
    limit = f"x{10 * SUPERLINEAR:.0f} per 10x the nodes"
    print(f"\nsuper-linear (growth above {limit}): {', '.join(flagged) if flagged else 'none'}")
    print("\nmemory still allocated after 1000 more training steps (bytes):")
    for name, grown in memory_growth().items():
        print(f"  {name:<16} {grown:>8}")


if __name__ == "__main__":
    main()
