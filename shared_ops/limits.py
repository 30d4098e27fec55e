"""Size limits: refuse an array that would be absurdly large *before* allocating it.

NumPy happily allocates whatever fits in virtual memory (a lazily committed 8 GiB buffer
"succeeds" and the machine swaps later), and a typo like ``(10**6, 10**6)`` should be an
error naming the op, not an out-of-memory kill. The one documented limit is
`MAX_ELEMENTS` elements per array (default ``2**31``: 8 GiB of float32); the static builder
checks every node's aval against it, ``Session.run`` every feed.

    >>> with max_elements(100):
    ...     check_shape("zeros", (10, 11), np.dtype("float32"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    shared_ops.limits.SizeLimitError: zeros: output f32[10,11] would have 110 elements ...
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import numpy as np

from . import dtypes as dt
from .errors import OpError, SourceLocation

MAX_ELEMENTS: int = 2**31


class SizeLimitError(OpError, MemoryError):
    """An array larger than `MAX_ELEMENTS` elements was asked for (nothing was allocated)."""


def check_shape(op: str, shape: tuple, dtype: np.dtype, *,
                location: SourceLocation | None = None, what: str = "output") -> None:
    """Raise `SizeLimitError` when ``shape`` (dims may be ``None``: unknown, not counted)
    holds more than `MAX_ELEMENTS` elements."""
    n = 1
    for d in shape:
        if d is not None:
            n *= d
    if n <= MAX_ELEMENTS:
        return
    dims = ",".join("?" if d is None else str(d) for d in shape)
    nbytes = n * np.dtype(dtype).itemsize
    raise SizeLimitError(op, f"{what} {dt.short_name(np.dtype(dtype))}[{dims}] would have {n} "
                         f"elements ({nbytes / 2**30:.1f} GiB), over the limit of "
                         f"{MAX_ELEMENTS} (shared_ops.limits.MAX_ELEMENTS); check the shape, "
                         "or raise the limit with shared_ops.limits.max_elements(n)",
                         shapes=(tuple(shape),), dtypes=(dtype,), location=location)


@contextlib.contextmanager
def max_elements(n: int) -> Iterator[None]:
    """Use ``n`` as the element limit inside the block (tests, or deliberately huge work)."""
    global MAX_ELEMENTS
    saved, MAX_ELEMENTS = MAX_ELEMENTS, int(n)
    try:
        yield
    finally:
        MAX_ELEMENTS = saved
