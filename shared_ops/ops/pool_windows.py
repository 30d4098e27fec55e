"""Where pooling windows lie along one axis, PyTorch's rules shared by the 2-d and 3-d
poolings (``pool.py``, ``pool3d.py``): the output length (floor or ceil mode), the cells ceil
mode's last window reaches past the far padding, and each window's divisor.

    >>> pool_out_size(6, 3, 2, 1), pool_out_size(6, 3, 2, 1, ceil_mode=True)
    (3, 4)
"""

from __future__ import annotations

import numpy as np

from .conv import out_size


def pool_out_size(size: int | None, k: int, s: int, p: int, d: int = 1,
                  ceil_mode: bool = False) -> int | None:
    """PyTorch's ``pooling_output_shape``: in ceil mode a last, partial window counts when it
    starts inside the input or its left padding."""
    if size is None or not ceil_mode:
        return out_size(size, k, s, p, d)
    out = -(-(size + 2 * p - d * (k - 1) - 1) // s) + 1
    return out - 1 if (out - 1) * s >= size + p else out


def ceil_extra(size: int, k: int, s: int, p: int, d: int = 1) -> int:
    """Cells to add past the far padding so ceil mode's last window fits exactly."""
    out = pool_out_size(size, k, s, p, d, ceil_mode=True)
    return max(0, (out - 1) * s + d * (k - 1) + 1 - (size + 2 * p))


def window_counts(n, o, k, s, p, ceil_mode, count_include_pad) -> np.ndarray:
    """PyTorch's divisor along one axis: each window's length, clipped to the far padding
    (only ceil mode's last window reaches past it), or to the input without the padding."""
    starts = np.arange(o) * s - p
    ends = np.minimum(starts + k, n + p)
    if not count_include_pad:
        starts, ends = np.maximum(starts, 0), np.minimum(ends, n)
    return ends - starts
