"""One row of `bench_scale.py`'s static tables: a graph of one kind and size, measured phase by
phase in a child process of its own.

    python benchmarks/scale_rows.py fold 100000      # one JSON line: seconds and MB per phase

A child per row gives each row its own peak memory (``ru_maxrss``: the most the process ever
held; reported above what it held before building, about 40 MB), and survives a row that
runs out:
the child's address space is capped (``limit_gb``) and its time too, so the quadratic
provenance of old versions (125,000 folding nodes wanted more than 100 GB) is reported as
"out of memory" instead of taking the machine down.

Kinds (builders in `compare.zoo.static_graphs`):

* ``chain``: alternately ``h * c`` and ``sin(h)``, then its gradient; phases ``build``,
  ``grad`` (`static.gradients`), ``session`` (a `Session.run` on the interpreter, plan
  included), ``compile`` (every pass) and ``codegen`` (the compiled step's first call);
* ``fold``: a chain of constants that `fold_constants` turns into one (each fold merges the
  provenance of everything before it); phases ``build``, ``compile``, ``codegen``;
* ``simplify``: ``reshape(reshape(...))`` that `simplify` collapses one into the next.

Times are CPU seconds; the ``gc`` entry is the cyclic collector's share of the phases. Each
phase is charged the young-generation collection right after it, so work a phase defers to
the collector is not hidden.
"""

from __future__ import annotations

import gc
import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

import static
from compare.zoo.static_graphs import chain_graph, folding_chain, reshape_chain
from static.compiler import compile as compile_graph

KINDS = ("chain", "fold", "simplify")


class Clock:
    """Times phases in CPU seconds (steadier than wall time on a shared machine); ``gc`` adds
    up the cyclic collector's share of them."""

    def __init__(self) -> None:
        self.gc = 0.0
        self._started = 0.0

    def _on_gc(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._started = time.process_time()
        else:
            self.gc += time.process_time() - self._started

    def time(self, fn: Callable[[], object]) -> tuple[float, object]:
        """CPU seconds of ``fn()``, and its result."""
        gc.collect()  # garbage of the previous phase is not this phase's cost
        gc.callbacks.append(self._on_gc)
        start = time.process_time()
        out = fn()
        # What the phase left for the collector's young generations (all of it, when the
        # phase paused automatic collection) is examined now, on the phase's clock.
        gc.collect(1)
        seconds = time.process_time() - start
        gc.callbacks.remove(self._on_gc)
        return seconds, out


def peak_mb() -> float:
    """The most memory this process has held so far (``ru_maxrss``: KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(kind: str, nodes: int, with_compile: bool = True) -> dict[str, float]:
    """Seconds (``phase``) and the peak so far (``phase MB``) per phase, for a graph of
    ``kind`` of about ``nodes`` nodes; ``nodes`` is the count actually built. Peaks are MB
    above what the process held before building (``start MB``: interpreter and libraries),
    so that they grow with the graph alone."""
    row: dict[str, float] = {"start MB": peak_mb()}
    clock = Clock()

    def phase(name: str, fn: Callable[[], object]) -> object:
        row[name], out = clock.time(fn)
        row[f"{name} MB"] = peak_mb() - row["start MB"]
        return out

    feed: np.ndarray
    if kind == "chain":
        g, x, w, loss = phase("build", lambda: chain_graph(max(1, nodes // 3)))
        (gw,) = phase("grad", lambda: static.gradients(loss, [w]))
        fetches, feed = [loss, gw], np.ones(4, np.float32)
        phase("session", lambda: static.Session(g, executor="interpret")
              .run(fetches, {x: feed}))
    else:
        build = (lambda: folding_chain(max(1, 2 * nodes // 3))) if kind == "fold" else \
            (lambda: reshape_chain(max(1, nodes)))
        g, x, loss = phase("build", build)
        fetches, feed = [loss], np.ones((4, 3), np.float32)
    row["nodes"] = len(g.nodes)
    if with_compile:
        step = phase("compile", lambda: compile_graph(g, fetches, [x]))
        phase("codegen", lambda: step(feed))
    row["gc"] = clock.gc
    return row


def run_child(kind: str, nodes: int, *, with_compile: bool = True, limit_gb: float = 4.0,
              timeout: float = 600.0) -> dict:
    """`measure` in a child process with at most ``limit_gb`` of address space and
    ``timeout`` seconds; a failed row is ``{"error": "out of memory" | "timed out" | ...}``."""
    limit = int(limit_gb * 2**30)

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    argv = [sys.executable, str(Path(__file__).resolve()), kind, str(nodes)]
    argv += [] if with_compile else ["--no-compile"]
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout,
                              preexec_fn=cap)  # noqa: PLW1509 -- no threads started here
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    lines = done.stdout.strip().splitlines()
    if done.returncode == 0 and lines:
        return json.loads(lines[-1])
    if "MemoryError" in done.stderr:
        return {"error": f"out of memory (over {limit_gb:g} GB)"}
    last = (done.stderr.strip().splitlines() or ["no output"])[-1]
    return {"error": f"failed (exit {done.returncode}): {last[:80]}"}


def main(argv: list[str]) -> None:
    if len(argv) < 2 or argv[0] not in KINDS:  # run with no row (by `dualgraph bench`)
        print(f"usage: scale_rows.py {{{','.join(KINDS)}}} NODES [--no-compile]")
        return
    try:
        row = measure(argv[0], int(argv[1]), "--no-compile" not in argv)
    except MemoryError:
        sys.exit("MemoryError")
    print(json.dumps(row))


if __name__ == "__main__":
    main(sys.argv[1:])
