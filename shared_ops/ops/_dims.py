"""PyTorch's ``dim`` argument, checked once for the ops that take it (sorting, cumulative,
selection, scatter...): one int, negative counting from the end, and a 0-d input taking
``dim`` 0 or -1 as if it were 1-d (``torch.cumsum(torch.tensor(3.0), -1)`` works).

    >>> dim_of("cumsum", -1, 0), dim_of("cumsum", -2, 3)
    (0, 1)
"""

from __future__ import annotations

import numpy as np

from ..aval import normalize_axis
from ..errors import OpValueError


def dim_of(name: str, dim, ndim: int) -> int:
    """``dim`` as a non-negative axis of an ``ndim``-d input (0 for a 0-d one)."""
    if not isinstance(dim, int | np.integer) or isinstance(dim, bool):
        raise OpValueError(name, f"dim must be an int, got {dim!r} (attrs go by keyword: "
                           f"{name}(x, dim=...))")
    return normalize_axis(name, int(dim), max(ndim, 1))
