"""`max_unpool1d/2d/3d` (the partial inverse of max pooling: each value written back at its
recorded position, zeros elsewhere) and the ``return_indices`` of the adaptive max poolings,
in ``eager.nn.functional``.

Both work on the spatial axes flattened, where an index is PyTorch's flat position in one
(N, C) plane: unpooling is a ``scatter`` of the values into a zero plane (its gradient gathers
back), and an adaptive max with indices finds each window's first maximum by ``argmax`` and
then takes the values at those positions (``take_along_axis``), so its gradient reaches
exactly the element the index names, as PyTorch's.

    >>> import eager
    >>> x = eager.tensor([[[1.0, 5.0, 2.0, 4.0]]])
    >>> out, idx = adaptive_max_pool_with_indices(x, (2,), "adaptive_max_pool1d")
    >>> idx
    tensor([[[1, 3]]])
    >>> max_unpool1d(out, idx, 2)
    tensor([[[0., 5., 0., 4.]]])
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import shared_ops as ops

from ..tensor_base import TensorBase
from .backward_names import name_backward

# PyTorch's ScalarType names, for its message about a non-int64 index.
_SCALAR_NAMES = {"float32": "Float", "float64": "Double", "float16": "Half", "int32": "Int",
                 "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}


def _tuple(value: Any, nd: int) -> tuple[int, ...]:
    items = (value,) * nd if isinstance(value, int | np.integer) else tuple(value)
    return tuple(int(v) for v in (items * nd if len(items) == 1 else items))


def unpool_output_size(input: Any, kernel_size: tuple, stride: tuple, padding: tuple,
                       output_size: Any) -> list[int]:
    """PyTorch's ``_unpool_output_size``: ``(in - 1) * stride + kernel - 2 * padding`` per
    axis, or ``output_size`` (its last axes) when it lies strictly within a stride of that."""
    nd = len(kernel_size)
    default = [(input.shape[-nd + d] - 1) * stride[d] + kernel_size[d] - 2 * padding[d]
               for d in range(nd)]
    if output_size is None:
        return default
    output_size = list(output_size)
    if len(output_size) == nd + 2:
        output_size = output_size[2:]
    if len(output_size) != nd:
        raise ValueError(f"output_size should be a sequence containing {nd} or {nd + 2} "
                         f"elements, but it has a length of '{len(output_size)}'")
    for d in range(nd):
        lo, hi = default[d] - stride[d], default[d] + stride[d]
        if not lo < output_size[d] < hi:
            raise ValueError(f'invalid output_size "{tuple(output_size)}" (dim {d} must be '
                             f"between {lo} and {hi})")
    return [int(n) for n in output_size]


def _check_unpool(input: Any, indices: Any, sizes: list[int], kernel_nd: int) -> None:
    """PyTorch's checks, in its order; ``kernel_nd`` is the rank of its kernel (1-d runs the
    2-d one over a trailing axis of one, so its messages speak of 2-d)."""
    if input.ndim not in (kernel_nd + 1, kernel_nd + 2):
        raise RuntimeError(f"Input to max_unpooling{kernel_nd}d should be a {kernel_nd + 1}d or "
                           f"{kernel_nd + 2}d Tensor, but got a tensor with {input.ndim} "
                           "dimensions.")
    kind = np.dtype(indices.dtype.name if hasattr(indices.dtype, "name") else indices.dtype)
    if kind != np.int64:
        raise RuntimeError("elements in indices should be type int64 but got: "
                           f"{_SCALAR_NAMES.get(kind.name, kind.name)}")
    if tuple(indices.shape) != tuple(input.shape):
        raise RuntimeError("Expected shape of indices to be same as that of the input tensor "
                           f"({list(input.shape)}) but got indices tensor with shape: "
                           f"{list(indices.shape)}")
    # Values are checked when there are some (eager); a traced graph's indices have none yet.
    concrete = indices.numpy() if isinstance(indices, TensorBase) else None
    if concrete is not None and concrete.size:
        bad = (concrete < 0) | (concrete >= math.prod(sizes))
        if bad.any():
            raise RuntimeError(f"Found an invalid max index: {concrete[bad].flat[0]} (output "
                               f"volumes are of size {'x'.join(map(str, sizes))})")


def _max_unpool(input: Any, indices: Any, nd: int, kernel_size: Any, stride: Any,
                padding: Any, output_size: Any) -> Any:
    k = _tuple(kernel_size, nd)
    s = k if stride is None else _tuple(stride, nd)
    sizes = unpool_output_size(input, k, s, _tuple(padding, nd), output_size)
    kernel_nd = max(nd, 2)
    _check_unpool(input, indices, sizes + [1] * (kernel_nd - nd), kernel_nd - (nd == 1))
    # One row per (N, C) plane; -1 rows, so a traced graph's unknown batch works too.
    size_in, size_out = math.prod(input.shape[-nd:]), math.prod(sizes)
    values = ops.reshape(input, shape=(-1, size_in))
    blank = ops.zeros_like(values)  # the zero planes, sized from the values' rows
    if size_out >= size_in:
        blank = ops.pad(blank, pad_width=((0, 0), (0, size_out - size_in)))
    else:
        blank = ops.getitem(blank, (slice(None), slice(0, size_out)))
    out = ops.scatter(blank, 1, ops.reshape(indices, shape=(-1, size_in)), values)
    lead = tuple(-1 if n is None else n for n in input.shape[:-nd])
    # PyTorch's node: 1-d unpooling is its 2-d kernel followed by a squeeze.
    return name_backward(ops.reshape(out, shape=lead + tuple(sizes)),
                         "SqueezeBackward1" if nd == 1 else f"MaxUnpool{nd}DBackward0")


def max_unpool1d(input: Any, indices: Any, kernel_size: Any, stride: Any = None,
                 padding: Any = 0, output_size: Any = None) -> Any:
    """The partial inverse of `max_pool1d`: ``input`` written at ``indices`` of (N, C, L_out),
    zeros elsewhere."""
    return _max_unpool(input, indices, 1, kernel_size, stride, padding, output_size)


def max_unpool2d(input: Any, indices: Any, kernel_size: Any, stride: Any = None,
                 padding: Any = 0, output_size: Any = None) -> Any:
    """The partial inverse of `max_pool2d`: ``input`` written at ``indices`` (flat ``h * W +
    w``) of (N, C, H_out, W_out), zeros elsewhere."""
    return _max_unpool(input, indices, 2, kernel_size, stride, padding, output_size)


def max_unpool3d(input: Any, indices: Any, kernel_size: Any, stride: Any = None,
                 padding: Any = 0, output_size: Any = None) -> Any:
    """The partial inverse of `max_pool3d`: ``input`` written at ``indices`` of (N, C, D_out,
    H_out, W_out), zeros elsewhere."""
    return _max_unpool(input, indices, 3, kernel_size, stride, padding, output_size)


def _window(i: int, n: int, out: int) -> tuple[int, int]:
    """PyTorch's adaptive window ``i`` of ``out`` over a length ``n``."""
    return (i * n) // out, -(-((i + 1) * n) // out)


def first_max_or_last_nan(window: Any) -> Any:
    """Per row of ``window`` (..., n): the first maximum, or the last NaN when there is one,
    as PyTorch's kernel picks (``val > maxval || isnan(val)``), shape (..., 1)."""
    first = ops.argmax(window, axis=-1, keepdims=True)
    nan = ops.ne(window, window)
    n = window.shape[-1]
    # The last NaN has the largest rank among the NaNs (ranks 1..n; 0 for numbers).
    ranked = ops.where(nan, np.arange(1, n + 1, dtype=np.int64), 0)
    last_nan = ops.argmax(ranked, axis=-1, keepdims=True)
    any_nan = ops.gt(ops.max(ranked, axis=-1, keepdims=True), 0)
    return ops.where(any_nan, last_nan, first)


def adaptive_max_pool_with_indices(x: Any, sizes: tuple, op: str) -> tuple[Any, Any]:
    """``(values, indices)`` of an adaptive max pooling of the last ``len(sizes)`` axes of
    ``x`` (any leading axes) to ``sizes`` (``None`` keeps a size): each window's first
    maximum, its flat position in the spatial plane, and the values taken there."""
    nd = len(sizes)
    spatial = tuple(x.shape[-nd:])
    lead = tuple(x.shape[:-nd])
    sizes = tuple(n if o is None else int(o) for o, n in zip(sizes, spatial, strict=True))
    if min(spatial) == 0:
        raise RuntimeError(f"{op}(): Expected input to have non-zero size for non-batch "
                           f"dimensions, but input has sizes {list(x.shape)}")
    strides = [math.prod(spatial[a + 1:]) for a in range(nd)]
    plain = ops.stop_gradient(x)  # positions only: the values are taken afterwards
    cells = []
    for cell in np.ndindex(*sizes):
        bounds = [_window(cell[a], spatial[a], sizes[a]) for a in range(nd)]
        box = tuple(slice(lo, hi) for lo, hi in bounds)
        window = ops.reshape(ops.getitem(plain, (Ellipsis,) + box), shape=lead + (-1,))
        local = first_max_or_last_nan(window)
        flat = None
        inner = 1
        for a in reversed(range(nd)):  # the window's coordinates, last axis fastest
            width = bounds[a][1] - bounds[a][0]
            q = local if inner == 1 else ops.floor_divide(local, inner)
            coord = q if a == 0 else ops.remainder(q, width)
            term = ops.mul(ops.add(coord, bounds[a][0]), strides[a])
            flat = term if flat is None else ops.add(flat, term)
            inner *= width
        cells.append(flat)
    indices = ops.concat(cells, axis=-1) if len(cells) > 1 else cells[0]
    values = ops.take_along_axis(ops.reshape(x, shape=lead + (-1,)), indices, axis=-1)
    shape = lead + sizes
    node = "SqueezeBackward1" if nd == 1 else f"AdaptiveMaxPool{nd}DBackward0"
    return name_backward(ops.reshape(values, shape=shape), node), \
        ops.reshape(indices, shape=shape)


__all__ = ["max_unpool1d", "max_unpool2d", "max_unpool3d", "unpool_output_size",
           "first_max_or_last_nan", "adaptive_max_pool_with_indices"]
