"""The C heap keeps the memory NumPy frees, so that the next array of the same size does not
page-fault: `keep_freed_memory`, called once when ``shared_ops`` is imported.

A training step allocates and frees the same arrays every step (activations, gradients,
scratch buffers of ~0.1-4 MiB). glibc's ``malloc`` hands the free top of its heap back to the
OS once more than the *trim threshold* is free there (by default twice the largest block
freed so far: a few MiB), so the next step asks for the pages again, and the OS maps and zeros
each 4 KiB page on first touch. That was ~9,000 page faults a step of the char transformer
(~2,000 for the RNN word model) and a quarter to a third of the step's CPU time (the gain is
in docs/PERFORMANCE.md). Here the trim threshold is 64 MiB and blocks up to 32 MiB come from
the heap (glibc's ceiling for its own adaptive threshold), so a steady step reuses its
memory; the resident size is unchanged (the memory was in use a moment before).

Nothing is changed where the C library is not glibc, where the user set one of glibc's own
``MALLOC_*_`` variables (their choice wins), or where ``DUALGRAPH_KEEP_HEAP=0``.

    >>> isinstance(keep_freed_memory(), bool)
    True
"""

from __future__ import annotations

import ctypes
import os

# mallopt's parameters (glibc's malloc.h) and the values set.
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
TRIM_THRESHOLD = 64 << 20
MMAP_THRESHOLD = 32 << 20
_USER_VARIABLES = ("MALLOC_TRIM_THRESHOLD_", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TOP_PAD_",
                   "MALLOC_MMAP_MAX_")


def _glibc() -> bool:
    try:
        return os.confstr("CS_GNU_LIBC_VERSION").startswith("glibc")
    except (ValueError, OSError, AttributeError):  # not a POSIX system, or no such name
        return False


def keep_freed_memory() -> bool:
    """Raise glibc's trim and mmap thresholds (see the module docstring); whether they were
    set. Idempotent."""
    if os.environ.get("DUALGRAPH_KEEP_HEAP", "1") == "0" \
            or any(v in os.environ for v in _USER_VARIABLES) \
            or not _glibc():
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    # The mmap threshold first: setting either one turns off glibc's adaptive thresholds.
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)
                and mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD))


__all__ = ["keep_freed_memory", "TRIM_THRESHOLD", "MMAP_THRESHOLD"]
