"""One-dimensional convolution and pooling in ``eager.nn.functional`` (`conv1d`,
`max_pool1d`, `avg_pool1d`), and the adaptive poolings (`adaptive_avg_pool1d`,
`adaptive_avg_pool2d`, `adaptive_max_pool1d`, `adaptive_max_pool2d`).

A 1-d operation is its 2-d counterpart over a height of one: the input (N, C, L) becomes
(N, C, 1, L), the kernel (k,) becomes (1, k), so the 2-d ops' kernels and gradient rules do the
work and there is no second convolution to keep right.

An adaptive pooling gives output cell ``i`` of ``out`` cells over a length ``n`` the window
``[floor(i * n / out), ceil((i + 1) * n / out))``, PyTorch's rule. When ``out`` divides ``n``
those windows tile the input and the pooling is an ordinary one (kernel = stride = n / out);
otherwise each window is reduced on its own and the results are joined.

    >>> import eager
    >>> x = eager.arange(10.0).reshape(1, 1, 10)
    >>> adaptive_avg_pool1d(x, 3)
    tensor([[[1.5000, 4.5000, 7.5000]]])
"""

from __future__ import annotations

from typing import Any

import numpy as np

import shared_ops as ops

from .functional_conv_padding import string_padding
from .functional_pool import avg_pool2d, max_pool2d
from .functional_unpool import adaptive_max_pool_with_indices


def _single(value: Any, name: str, op: str) -> int:
    """An int from an int or a one-element tuple, as PyTorch's 1-d ops accept."""
    if isinstance(value, int | np.integer):
        return int(value)
    items = tuple(value)
    if len(items) != 1:
        raise ValueError(f"{op}: {name} must be an int or a one-element tuple, got {value!r}")
    return int(items[0])


def _as_2d(input: Any, op: str) -> tuple[Any, bool]:
    """``input`` (N, C, L) or unbatched (C, L) as (N, C, 1, L); and whether it was unbatched."""
    if input.ndim not in (2, 3):
        raise RuntimeError(f"{op}: Expected 2D (unbatched) or 3D (batched) input, but got "
                           f"input of size: {list(input.shape)}")
    unbatched = input.ndim == 2
    x = ops.expand_dims(input, axis=0) if unbatched else input
    return ops.expand_dims(x, axis=2), unbatched


def _from_2d(out: Any, unbatched: bool) -> Any:
    out = ops.squeeze(out, axis=2)
    return ops.squeeze(out, axis=0) if unbatched else out


def conv1d(input: Any, weight: Any, bias: Any = None, stride: Any = 1, padding: Any = 0,
           dilation: Any = 1, groups: int = 1) -> Any:
    """1-d convolution of (N, C_in, L) by a (C_out, C_in / groups, k) weight; ``padding`` is
    an int or ``"valid"``/``"same"`` (stride 1; a split padding puts the extra on the right,
    as PyTorch)."""
    x, unbatched = _as_2d(input, "conv1d")
    s = _single(stride, "stride", "conv1d")
    d = _single(dilation, "dilation", "conv1d")
    w = ops.expand_dims(weight, axis=2)
    if isinstance(padding, str):  # resolved over the (1, L) image: the width's share
        x, padding = string_padding(x, w, padding, (1, s), (1, d))
        padding = padding[1]
    p = _single(padding, "padding", "conv1d")
    out = ops.conv2d(x, w, bias, stride=(1, s), padding=(0, p), dilation=(1, d), groups=groups)
    return _from_2d(out, unbatched)


def max_pool1d(input: Any, kernel_size: Any, stride: Any = None, padding: Any = 0,
               dilation: Any = 1, ceil_mode: bool = False, return_indices: bool = False) -> Any:
    """Max over each window of (N, C, L); ``(output, indices)`` with ``return_indices``."""
    x, unbatched = _as_2d(input, "max_pool1d")
    k = _single(kernel_size, "kernel_size", "max_pool1d")
    s = k if stride is None or (not isinstance(stride, int) and len(stride) == 0) \
        else _single(stride, "stride", "max_pool1d")
    out = max_pool2d(x, (1, k), (1, s), (0, _single(padding, "padding", "max_pool1d")),
                     (1, _single(dilation, "dilation", "max_pool1d")), ceil_mode=ceil_mode,
                     return_indices=return_indices)
    if return_indices:
        return _from_2d(out[0], unbatched), _from_2d(out[1], unbatched)
    return _from_2d(out, unbatched)


def avg_pool1d(input: Any, kernel_size: Any, stride: Any = None, padding: Any = 0,
               ceil_mode: bool = False, count_include_pad: bool = True) -> Any:
    """Mean over each window of (N, C, L) (zero padding counts unless
    ``count_include_pad=False``)."""
    x, unbatched = _as_2d(input, "avg_pool1d")
    k = _single(kernel_size, "kernel_size", "avg_pool1d")
    s = k if stride is None or (not isinstance(stride, int) and len(stride) == 0) \
        else _single(stride, "stride", "avg_pool1d")
    out = avg_pool2d(x, (1, k), (1, s), (0, _single(padding, "padding", "avg_pool1d")),
                     ceil_mode, count_include_pad)
    return _from_2d(out, unbatched)


def _check_rank(x: Any, nd: int, op: str) -> None:
    if x.ndim not in (nd + 1, nd + 2):
        raise RuntimeError(f"{op}: Expected {nd + 1}D or {nd + 2}D tensor, but got input of "
                           f"size: {list(x.shape)}")


def _adaptive(x: Any, sizes: tuple, reduce: Any, op: str) -> Any:
    """Reduce the last ``len(sizes)`` axes of ``x`` adaptively, one axis at a time (the
    windows of one axis do not depend on another's, so the passes compose)."""
    nd = len(sizes)
    _check_rank(x, nd, op)
    for i, out in enumerate(sizes):
        axis = x.ndim - nd + i
        n = x.shape[axis]
        out = n if out is None else int(out)
        if out <= 0 or n == 0:
            raise RuntimeError(f"{op}: elements of output_size must be greater than or equal "
                               f"to 0 and the input's spatial sizes non-zero, got output "
                               f"{out} for size {n}")
        if n % out == 0:
            # Windows tile the axis: one reshape and one reduction.
            shape = tuple(x.shape[:axis]) + (out, n // out) + tuple(x.shape[axis + 1:])
            x = reduce(ops.reshape(x, shape=shape), axis + 1, False)
            continue
        index = [slice(None)] * x.ndim
        parts = []
        for j in range(out):
            index[axis] = slice((j * n) // out, -(-((j + 1) * n) // out))
            parts.append(reduce(x[tuple(index)], axis, True))
        x = ops.concat(parts, axis=axis)
    return x


def _mean(x: Any, axis: int, keepdims: bool) -> Any:
    return ops.mean(x, axis=axis, keepdims=keepdims)


def _max(x: Any, axis: int, keepdims: bool) -> Any:
    return ops.max(x, axis=axis, keepdims=keepdims)


def _sizes(output_size: Any, nd: int) -> tuple:
    if output_size is None or isinstance(output_size, int | np.integer):
        return (output_size,) * nd
    sizes = tuple(output_size)
    if len(sizes) != nd:
        raise ValueError(f"output_size must be an int or a tuple of {nd}, got {output_size!r}")
    return sizes


def adaptive_avg_pool1d(input: Any, output_size: Any) -> Any:
    """Mean over ``output_size`` windows of the last axis of (N, C, L) or (C, L)."""
    return _adaptive(input, _sizes(output_size, 1), _mean, "adaptive_avg_pool1d")


def adaptive_avg_pool2d(input: Any, output_size: Any) -> Any:
    """Mean over an ``output_size`` grid of windows of (N, C, H, W) or (C, H, W); a ``None``
    in ``output_size`` keeps that size."""
    return _adaptive(input, _sizes(output_size, 2), _mean, "adaptive_avg_pool2d")


def adaptive_max_pool1d(input: Any, output_size: Any, return_indices: bool = False) -> Any:
    """Max over ``output_size`` windows of the last axis; ``(output, indices)`` with
    ``return_indices``."""
    if return_indices:
        _check_rank(input, 1, "adaptive_max_pool1d")
        return adaptive_max_pool_with_indices(input, _sizes(output_size, 1),
                                              "adaptive_max_pool1d")
    return _adaptive(input, _sizes(output_size, 1), _max, "adaptive_max_pool1d")


def adaptive_max_pool2d(input: Any, output_size: Any, return_indices: bool = False) -> Any:
    """Max over an ``output_size`` grid of windows; ``(output, indices)`` with
    ``return_indices`` (flat ``h * W + w`` positions)."""
    if return_indices:
        _check_rank(input, 2, "adaptive_max_pool2d")
        return adaptive_max_pool_with_indices(input, _sizes(output_size, 2),
                                              "adaptive_max_pool2d")
    return _adaptive(input, _sizes(output_size, 2), _max, "adaptive_max_pool2d")


__all__ = ["conv1d", "max_pool1d", "avg_pool1d", "adaptive_avg_pool1d", "adaptive_avg_pool2d",
           "adaptive_max_pool1d", "adaptive_max_pool2d"]
