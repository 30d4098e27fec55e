"""The steady-state fast path of ``compiled(*arrays)``: cheap tests that a call may skip work.

A compiled step's own NumPy calls take a few microseconds on a small model, so the call
around them must cost less than one of them. Two tests replace the general path's work:

* `signature_guard`: the feeds have the shapes and dtypes of the plan used last (instead of
  building a key of the feed signature and looking it up in the plan cache);
* `ieee_now`: the calling thread ignores float errors already (instead of entering
  ``np.errstate``), read from NumPy's private error-state ContextVar: a measured trick, see
  docs/PERFORMANCE.md.

Either failing sends the call down the general path, which does everything as before.
"""

from __future__ import annotations

import numpy as np

try:  # NumPy 2: a thread's (a context's) float-error state is one object in a ContextVar
    from numpy._core._ufunc_config import _extobj_contextvar as ERRSTATE
except ImportError:  # another NumPy: always enter np.errstate (correct, slower)
    ERRSTATE = None
# id -> (error-state object, ignores every float error?), learned once per state object.
STATES: dict[int, tuple[object, bool]] = {}
# The state object last found to ignore every error: `Compiled.__call__` tests it first.
IGNORING: list[object] = [object()]


def signature_guard(key: tuple):
    """``guard(*arrays)``: True when the arrays have exactly the shapes and dtypes of ``key``
    (a plan's feed signature)."""

    def guard(*arrays) -> bool:
        if len(arrays) != len(key):
            return False
        for a, (shape, dtype) in zip(arrays, key, strict=True):
            if a.shape != shape or a.dtype != dtype:
                return False
        return True

    return guard


def ieee_now() -> bool:
    """True when the calling thread already ignores every NumPy float error (shared_ops sets
    that for the importing thread), so a step may skip ``np.errstate``: a ContextVar read and
    a dict lookup instead. Any other state (a worker thread, a
    user's ``np.errstate(all="raise")``) answers False and the step enters ``np.errstate``."""
    if ERRSTATE is None:
        return False
    state = ERRSTATE.get()
    known = STATES.get(id(state))
    if known is not None and known[0] is state:
        ignoring = known[1]
    else:
        ignoring = all(v == "ignore" for v in np.geterr().values())
        if len(STATES) >= 16:  # states made by many np.errstate blocks: forget the old ones
            STATES.clear()
        STATES[id(state)] = (state, ignoring)
    if ignoring:
        IGNORING[0] = state
    return ignoring
