"""Timing: step statistics, the static mode's payback point, and a per-op kernel profile.

Per-op profiles, two ways:

* `kernel_profile` wraps every primitive's ``kernel`` (what eager and the static interpreter
  call to compute an op) with a timer; the rest of a step's time is the mode's overhead
  (tape recording and dispatch in eager). Composites have no kernel; their primitives count.
* `line_profile` times the static compiler's generated code line by line (each line is one
  node, ops bound as NumPy calls the kernel wrapper cannot see), with ``sys.settrace``.
"""

from __future__ import annotations

import contextlib
import math
import statistics
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence

import shared_ops


def step_stats(seconds: Sequence[float]) -> dict:
    """Median, spread (IQR, min, max) and count of step times, in milliseconds."""
    if not seconds:
        return {"n": 0, "median_ms": None, "iqr_ms": None, "min_ms": None, "max_ms": None,
                "mean_ms": None, "samples_ms": []}
    ms = sorted(s * 1e3 for s in seconds)
    q = statistics.quantiles(ms, n=4) if len(ms) >= 2 else [ms[0], ms[0], ms[0]]
    return {"n": len(ms), "median_ms": statistics.median(ms), "iqr_ms": q[2] - q[0],
            "min_ms": ms[0], "max_ms": ms[-1], "mean_ms": statistics.fmean(ms),
            "samples_ms": [s * 1e3 for s in seconds]}


def payback_steps(*, setup_s: float, static_first_s: float, static_step_s: float,
                  eager_first_s: float, eager_step_s: float) -> dict:
    """After how many steps static mode (setup + first + k-1 steady) beats eager.

    Cost of n steps: static ``setup + first + (n-1) * step``, eager ``first + (n-1) * step``.
    ``steps`` is the smallest n where static is no slower; None when its steady step is not
    faster (it never pays back), with the reason.
    """
    extra = setup_s + static_first_s - eager_first_s
    if extra <= 0:
        return {"steps": 1, "reason": "static is no slower from the first step"}
    saving = eager_step_s - static_step_s
    if saving <= 0:
        return {"steps": None, "reason": (f"static steady step ({static_step_s * 1e3:.3f} ms) "
                                          f"is not faster than eager ({eager_step_s * 1e3:.3f} "
                                          "ms): the compile cost is never paid back")}
    return {"steps": 1 + math.ceil(extra / saving),
            "reason": f"{extra * 1e3:.2f} ms of extra setup / {saving * 1e3:.3f} ms saved per step"}


@contextlib.contextmanager
def kernel_profile() -> Iterator[dict]:
    """Time every primitive's kernel inside the block: yields ``{op: [calls, seconds]}``."""
    table: dict[str, list] = defaultdict(lambda: [0, 0.0])
    originals = {}
    for op in shared_ops.primitives():
        originals[op] = op.kernel
        op.kernel = _timed(op.name, op.kernel, table)
    try:
        yield table
    finally:
        for op, kernel in originals.items():
            op.kernel = kernel


def _timed(name: str, kernel, table):
    clock = time.perf_counter

    def timed_kernel(*args, **kwargs):
        t0 = clock()
        try:
            return kernel(*args, **kwargs)
        finally:
            entry = table[name]
            entry[0] += 1
            entry[1] += clock() - t0

    return timed_kernel


def profile_rows(table: dict, steps: int, step_s: float,
                 method: str = "primitive kernels wrapped with perf_counter") -> dict:
    """Per-op rows sorted by time (per step, ms) plus the kernel share of the step."""
    rows = [{"op": op, "calls": calls / steps, "ms": sec * 1e3 / steps}
            for op, (calls, sec) in table.items()]
    rows.sort(key=lambda r: -r["ms"])
    kernel_ms = sum(r["ms"] for r in rows)
    step_ms = step_s * 1e3
    return {"ops": rows, "kernel_ms": kernel_ms, "step_ms": step_ms,
            "overhead_ms": max(step_ms - kernel_ms, 0.0),
            "method": method}


@contextlib.contextmanager
def line_profile(lines: dict[str, dict[int, str]]) -> Iterator[dict]:
    """Time generated code line by line: ``lines`` maps a filename to ``{lineno: op}``.

    A ``sys.settrace`` tracer notes the clock at every line event in those files and charges
    the time until the next event (or the return) to the op of the line that was running.
    Used for the static mode's compiled step, whose ops are NumPy calls bound into generated
    code (so kernel wrapping cannot see them). Tracing adds a fixed cost per line, so small
    ops look relatively slower than they are; the ranking of big ops is what it is for.
    """
    import sys

    table: dict[str, list] = defaultdict(lambda: [0, 0.0])
    clock = time.perf_counter

    def local(frame, event, arg):
        now = clock()
        current = local.current
        if current is not None:
            entry = table[current]
            entry[0] += 1
            entry[1] += now - local.since
        local.current = ops.get(frame.f_lineno) if event == "line" else None
        local.since = clock()
        return local

    local.current, local.since = None, 0.0
    ops: dict[int, str] = {}

    def global_tracer(frame, event, arg):
        mapping = lines.get(frame.f_code.co_filename)
        if mapping is None:
            return None
        ops.clear()
        ops.update(mapping)
        return local

    previous = sys.gettrace()
    sys.settrace(global_tracer)
    try:
        yield table
    finally:
        sys.settrace(previous)
