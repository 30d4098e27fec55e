"""Functions of the ``torch`` namespace of issue 16's second batch that are not Tensor methods:
the window functions (``hann_window``, ``hamming_window``, ``blackman_window``,
``bartlett_window``, ``kaiser_window``, as NumPy arrays for a mode to wrap) and
``polygamma(n, input)`` (the order first, as ``torch.polygamma``).

Windows are computed as PyTorch's kernels compute them, step by step in the requested dtype
(``arange * (2 pi / (N - 1))``, then ``cos``, then the affine map), so float32 windows agree
with PyTorch's to the last bit or one ulp (Kaiser's to a few ulps). A periodic window of N is
the symmetric window of N + 1 without its last point.

    >>> hann_window(4).tolist()
    [0.0, 0.5, 1.0, 0.5]
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import dtypes as dt
from .tensor_api_core import METHODS

# PyTorch's C++ names of the dtypes, which its window errors print.
_C_NAMES = {"int64": "long int", "int32": "int", "int16": "short int", "int8": "signed char",
            "uint8": "unsigned char", "bool": "bool"}


def _window_length(name: str, window_length: int, dtype: Any) -> np.dtype:
    dtype = np.dtype(dt.DEFAULT_FLOAT if dtype is None else dtype)
    if dtype.kind != "f":
        raise RuntimeError(
            f"{name} expects floating point dtypes, got: TensorOptions(dtype="
            f"{_C_NAMES.get(dtype.name, dtype.name)}, device=cpu, layout=Strided (default), "
            "requires_grad=false (default), pinned_memory=false, memory_format=(nullopt))")
    if window_length < 0:
        raise RuntimeError(f"{name} requires non-negative window_length, got "
                           f"window_length={window_length}")
    return dtype


def _symmetric(name: str, window_length: int, periodic: bool, dtype: Any, body) -> np.ndarray:
    """``body(n, N)`` on ``n = arange(N)`` in ``dtype``, N one longer when periodic (the last
    point dropped); lengths 0 and 1 are empty and [1]."""
    dtype = _window_length(name, window_length, dtype)
    if window_length <= 1:
        return np.ones(window_length, dtype)
    n = window_length + 1 if periodic else window_length
    out = body(np.arange(n, dtype=dtype), n).astype(dtype, copy=False)
    return out[:window_length] if periodic else out


def _scalar(value: float, dtype: np.dtype) -> Any:
    return dtype.type(value)


def hamming_window(window_length: int, periodic: bool = True, alpha: float = 0.54,
                   beta: float = 0.46, *, dtype: Any = None) -> np.ndarray:
    """alpha - beta cos(2 pi n / (N - 1))."""
    def body(n, size):
        step = _scalar(2 * math.pi / (size - 1), n.dtype)
        return np.cos(n * step) * _scalar(-beta, n.dtype) + _scalar(alpha, n.dtype)

    return _symmetric("hamming_window", window_length, periodic, dtype, body)


def hann_window(window_length: int, periodic: bool = True, *, dtype: Any = None) -> np.ndarray:
    """0.5 - 0.5 cos(2 pi n / (N - 1))."""
    _window_length("hann_window", window_length, dtype)
    return hamming_window(window_length, periodic, 0.5, 0.5, dtype=dtype)


def blackman_window(window_length: int, periodic: bool = True, *,
                    dtype: Any = None) -> np.ndarray:
    """0.42 - 0.5 cos(2 pi n / (N - 1)) + 0.08 cos(4 pi n / (N - 1))."""
    def body(n, size):
        t = n * _scalar(math.pi / (size - 1), n.dtype)
        return (np.cos(t * _scalar(4, n.dtype)) * _scalar(0.08, n.dtype)
                - np.cos(t * _scalar(2, n.dtype)) * _scalar(0.5, n.dtype) + _scalar(0.42, n.dtype))

    return _symmetric("blackman_window", window_length, periodic, dtype, body)


def bartlett_window(window_length: int, periodic: bool = True, *,
                    dtype: Any = None) -> np.ndarray:
    """The triangle 2n / (N - 1), mirrored past the middle."""
    def body(n, size):
        t = n * _scalar(2 / (size - 1), n.dtype)
        first_half = ((size - 1) >> 1) + 1
        t[first_half:] = _scalar(2, n.dtype) - t[first_half:]
        return t

    return _symmetric("bartlett_window", window_length, periodic, dtype, body)


def kaiser_window(window_length: int, periodic: bool = True, beta: float = 12.0, *,
                  dtype: Any = None) -> np.ndarray:
    """I0(beta sqrt(1 - ((n - a) / a)^2)) / I0(beta) with a = (N - 1) / 2, in float64 then
    rounded to the dtype (PyTorch's float32 Bessel function differs by a few ulps)."""
    def body(n, size):
        alpha = (size - 1) / 2.0
        ratio = (n.astype(np.float64) - alpha) / alpha
        return np.i0(beta * np.sqrt(np.abs(1 - ratio * ratio))) / np.i0(beta)

    return _symmetric("kaiser_window", window_length, periodic, dtype, body)


def polygamma(n: int, input: Any) -> Any:  # noqa: A002
    """The ``n``-th derivative of digamma at ``input`` (``torch.polygamma(n, input)``)."""
    return METHODS["polygamma"](input, n)


WINDOWS = ("hann_window", "hamming_window", "blackman_window", "bartlett_window",
           "kaiser_window")
__all__ = [*WINDOWS, "polygamma", "WINDOWS"]
