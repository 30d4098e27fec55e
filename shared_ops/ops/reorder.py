"""Reordering without changing values: flip and roll (primitives, torch.flip / torch.roll).

Each is its own gradient's shape: the gradient of ``flip`` flips back, the gradient of
``roll`` rolls the other way. Both return new arrays (as PyTorch does), never views, so an
in-place write to the result cannot reach the input.

    >>> import numpy as np
    >>> flip(np.array([[1, 2], [3, 4]]), dims=(0, -1))
    array([[4, 3],
           [2, 1]])
    >>> roll(np.array([1, 2, 3, 4]), shifts=1)
    array([4, 1, 2, 3])
"""

from __future__ import annotations

import numpy as np

from ..aval import Aval, normalize_axes
from ..errors import OpValueError
from ..registry import primitive


def _ints(name: str, value, what: str) -> tuple[int, ...]:
    items = (value,) if isinstance(value, int | np.integer) else tuple(value)
    if not all(isinstance(i, int | np.integer) and not isinstance(i, bool) for i in items):
        raise OpValueError(name, f"{what} must be ints, got {value!r}")
    return tuple(int(i) for i in items)


# --- flip: primitive ---------------------------------------------------------------------------
def _flip_axes(ndim: int, dims) -> tuple[int, ...]:
    return normalize_axes("flip", _ints("flip", dims, "dims"), ndim)


def _flip_kernel(x, dims):
    axes = _flip_axes(x.ndim, dims)
    if x.ndim == 0 or not axes:
        return x.copy()
    return np.flip(x, axes).copy()


def _flip_rule(x: Aval, dims) -> Aval:
    _flip_axes(x.ndim, dims)
    return x


def _flip_vjp(g, inputs, out, dims):
    return (flip(g, dims=dims),)


flip = primitive("flip", _flip_kernel, _flip_rule, _flip_vjp,
                 doc="x reversed along each of ``dims`` (torch.flip); a new array.")


# --- roll: primitive ---------------------------------------------------------------------------
def _roll_args(ndim: int, shifts, dims) -> tuple[tuple[int, ...], tuple[int, ...] | None]:
    s = _ints("roll", shifts, "shifts")
    if dims is None:
        if len(s) != 1:
            raise OpValueError("roll", f"without dims, shifts must be one int, got {shifts!r}")
        return s, None
    d = _ints("roll", dims, "dims")
    if len(d) != len(s):
        raise OpValueError("roll", f"shifts {shifts!r} and dims {dims!r} must have the same "
                           f"length")
    for a in d:  # repeats are allowed (they add up), out-of-range dims are not
        normalize_axes("roll", a, ndim)
    return s, d


def _roll_kernel(x, shifts, dims=None):
    s, d = _roll_args(x.ndim, shifts, dims)
    if d is None:  # PyTorch: roll the flattened array, then restore the shape
        return np.roll(x.reshape(-1), s[0]).reshape(x.shape)
    return np.roll(x, s, axis=d)


def _roll_rule(x: Aval, shifts, dims=None) -> Aval:
    _roll_args(x.ndim, shifts, dims)
    return x


def _roll_vjp(g, inputs, out, shifts, dims=None):
    back = tuple(-s for s in _ints("roll", shifts, "shifts"))
    return (roll(g, shifts=back, dims=dims),)


roll = primitive("roll", _roll_kernel, _roll_rule, _roll_vjp,
                 doc="x shifted cyclically by ``shifts`` along ``dims`` (None: flattened), "
                     "torch.roll.")

__all__ = ["flip", "roll"]
