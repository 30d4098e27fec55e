"""Python ints as integer tensors' scalars, with PyTorch's rules rather than NumPy 2's.

NumPy 2 raises OverflowError for ``np.int8 array + 200``; PyTorch wraps the scalar into the
tensor's dtype in its arithmetic (``int8 + 200`` adds -56), and converts it with an overflow
check where an op stores it (``where``, ``clamp``, ``masked_fill``, ``fill_``, ``full``):
`wrapped_scalar` for the first, `checked_scalar` for the second. The dispatcher's promotion
calls `wrapped_scalar`; the storing ops call `checked_scalar` themselves.

    >>> import numpy as np
    >>> int(wrapped_scalar(200, np.dtype(np.int8))), int(checked_scalar(-1, np.dtype(np.uint8)))
    (-56, 255)
"""

from __future__ import annotations

import numpy as np

# PyTorch converts the scalar of these with an overflow check; its arithmetic wraps instead.
_CHECKED_SCALARS = frozenset({"where", "clip", "clamp_tensor"})
_C_TYPES = {"int32": "int"}  # the C type PyTorch's message names, where not "<dtype>_t"


def wrapped_scalar(value: int, dtype: np.dtype, op: str = "") -> np.ndarray:
    """A Python int as a 0-d array of the integer ``dtype``, wrapped into its range as PyTorch
    does (``int8 + 200`` adds -56) where NumPy 2 raises; beyond 64 bits, and for ``where`` and
    ``clamp`` (`checked_scalar`), torch's errors."""
    if op in _CHECKED_SCALARS:
        return checked_scalar(value, dtype)
    info = np.iinfo(dtype)
    if not info.min <= value <= info.max:
        if not -(1 << 63) <= value < 1 << 64:
            raise OverflowError("int too big to convert")
        value = (value - info.min) % (1 << 8 * dtype.itemsize) + info.min
    return np.asarray(value, dtype=dtype)


def checked_scalar(value: int, dtype: np.dtype) -> np.ndarray:
    """A Python int as a 0-d array of the integer ``dtype`` as PyTorch's where, clamp,
    masked_fill, fill_ and full convert it: its RuntimeError unless the value fits (an
    unsigned dtype also takes negatives down to -max, wrapped: ``uint8`` fill -1 is 255)."""
    dtype = np.dtype(dtype)  # a mode's dtype object too
    info = np.iinfo(dtype)
    if not (-info.max if dtype.kind == "u" else info.min) <= value <= info.max:
        c_type = _C_TYPES.get(dtype.name, f"{dtype.name}_t")
        raise RuntimeError(f"value cannot be converted to type {c_type} without overflow")
    return np.asarray(value % (info.max + 1) if value < 0 and dtype.kind == "u" else value,
                      dtype=dtype)


__all__ = ["wrapped_scalar", "checked_scalar"]
