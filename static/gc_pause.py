"""`gc_paused`: no automatic cyclic garbage collection during bulk graph work.

Why a library touches the collector: `static.gradients` and the compiler passes allocate a
few long-lived container objects per node (the `Node`, its inputs tuple, its meta dict) and
little garbage. CPython (3.11) runs a *full* collection, a walk over every tracked object of
the process, whenever the objects that survived the young generations have grown by a quarter
of the old generation: a call that grows the heap from H to 5H walks it about
log(5)/log(1.25) ~ 7 times. While the graph is small next to the rest of the process (10,000
nodes) that rarely happens; at 100,000 nodes the graph is the heap, and the walks were the
super-linear part of ``benchmarks/bench_scale.py`` (the gain measured with and without the
pause is in docs/PERFORMANCE.md). Mercurial's ``util.nogc`` does the same for the same
reason. Code generation is not paused: it keeps few container objects.

While paused, objects still enter the young generation: the first collection after the call
examines them once (and frees any cycles the call discarded), so nothing leaks and the work
is paid once, not once per full collection. Pauses nest and may overlap across threads:
collection comes back when the last one ends, and only if it was enabled before the first
began (a program that disabled the collector itself keeps it disabled).

    >>> import gc
    >>> with gc_paused():
    ...     gc.isenabled()
    False
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

__all__ = ["gc_paused"]

_lock = threading.Lock()
_depth = 0  # pauses in progress, all threads together
_restore = False  # re-enable collection when the last pause ends


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Suspend automatic garbage collection inside the block (also usable as a decorator:
    ``@gc_paused()``)."""
    global _depth, _restore
    with _lock:
        if _depth == 0:
            _restore = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _restore:
                gc.enable()
