"""Memory per training step, measured with tracemalloc.

``peak_bytes`` is the highest traced allocation during the step above what was allocated
when it began (NumPy registers its array buffers with tracemalloc, so arrays count).
tracemalloc cannot count blocks that were allocated *and* freed inside the step, so the
allocation figures are what it can see: ``retained_blocks`` (blocks alive at the end that
were not at the start) and ``alloc_sites`` (source lines whose allocations grew). The number
of arrays each step creates is in the per-op profile (one output per kernel call).
A step under tracemalloc runs several times slower, so it is measured on a separate step.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable


def measure_step(step: Callable[[], object]) -> dict:
    """Run ``step()`` once under tracemalloc and report its memory figures."""
    already = tracemalloc.is_tracing()
    if not already:
        tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        start, _ = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        step()
        end, peak = tracemalloc.get_traced_memory()
        after = tracemalloc.take_snapshot()
    finally:
        if not already:
            tracemalloc.stop()
    diff = after.compare_to(before, "lineno")
    retained = sum(max(d.count_diff, 0) for d in diff)
    sites = sum(1 for d in diff if d.count_diff > 0 or d.size_diff > 0)
    return {"peak_bytes": int(max(peak - start, 0)), "retained_bytes": int(end - start),
            "retained_blocks": int(retained), "alloc_sites": int(sites),
            "method": "tracemalloc: peak above step start; blocks alive after vs before"}
