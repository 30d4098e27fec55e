"""Fractional max pooling (Graham, 2014) in ``eager.nn.functional``: `fractional_max_pool2d`,
`fractional_max_pool3d` and their ``*_with_indices`` forms.

Each (N, C) plane gets one random sample ``u`` in [0, 1) per axis (``torch.rand(N, C, nd)``
from the global generator, so the same seed gives PyTorch's windows), and output ``i`` of an
axis pools the window of ``kernel`` cells starting at PyTorch's
``int((i + u) * alpha) - int(u * alpha)`` with ``alpha = (in - kernel) / (out - 1)``,
computed in the input's precision; the last window ends at the input's end. The windows are
gathered by flat index, each one's first maximum (or last NaN) found, and the values taken at
that index, so the gradient goes to exactly that element, as PyTorch's.

    >>> import eager
    >>> _ = eager.manual_seed(0)
    >>> out = fractional_max_pool2d(eager.arange(25.0).reshape(1, 1, 5, 5), 2, output_size=3)
    >>> tuple(out.shape)
    (1, 1, 3, 3)
"""

from __future__ import annotations

from typing import Any

import numpy as np

import shared_ops as ops

from .. import rand
from .backward_names import name_backward
from .functional_unpool import first_max_or_last_nan

_AXIS_NAMES = {2: ("height", "width"), 3: ("time", "height", "width")}


def _tuple(value: Any, nd: int) -> tuple:
    items = (value,) * nd if isinstance(value, int | float) else tuple(value)
    return items * nd if len(items) == 1 else items


def _starts(sample: np.ndarray, size: int, out: int, pool: int) -> np.ndarray:
    """PyTorch's ``generate_intervals`` for every plane at once: (planes, out) starts, the
    arithmetic in the samples' precision and ``static_cast<int>`` truncating."""
    t = sample.dtype.type
    starts = np.empty(sample.shape + (out,), dtype=np.int64)
    if out > 1:
        alpha = t(size - pool) / t(out - 1)
        steps = np.arange(out - 1, dtype=sample.dtype)
        scaled = ((steps + sample[..., None]) * alpha).astype(np.int64)
        starts[..., :-1] = scaled - (sample * alpha).astype(np.int64)[..., None]
    starts[..., -1] = size - pool
    return starts


def _fractional(name: str, input: Any, kernel_size: Any, output_size: Any, output_ratio: Any,
                samples: Any, nd: int, sample_axes: tuple) -> tuple[Any, Any]:
    if output_size is None and output_ratio is None:
        raise ValueError(f"{name} requires specifying either an output_size or an output_ratio")
    if output_size is None:
        if nd == 2 and len(output_ratio) > 2:
            raise ValueError(f"{name} requires output_ratio to either be a single Int or tuple "
                             "of Ints.")
        ratio = _tuple(output_ratio, nd)
        output_size = [int(input.shape[-nd + a] * ratio[a]) for a in range(nd)]
    if samples is None:
        samples = rand(1 if input.ndim == nd + 1 else input.shape[0], input.shape[-nd - 1], nd,
                       dtype=input.dtype)
    op = name if nd == 2 else f"{name}_out"
    if input.ndim not in (nd + 1, nd + 2):
        raise RuntimeError(f"{op}(): Expected {nd + 1}D or {nd + 2}D tensor, but got: "
                           f"{list(input.shape)}")
    pool, out = _tuple(kernel_size, nd), _tuple(output_size, nd)
    sizes = tuple(input.shape[-nd:])
    for axis, (o, k, n) in enumerate(zip(out, pool, sizes, strict=True)):
        if o + k - 1 > n:
            word = _AXIS_NAMES[nd][axis]
            raise RuntimeError(f"{op}(): pool {word} {k} too large relative to input {word} {n}")
    planes = tuple(input.shape[:-nd])
    u = np.asarray(samples.numpy())
    if u.shape[1] != input.shape[-nd - 1]:
        raise RuntimeError("Expect _random_samples.size(1) equals to input channel size.")
    u = u[:planes[0]] if len(planes) == 2 else u[0]
    # Each axis's window starts per plane; then every window cell's flat position.
    flat = np.zeros(u.shape[:-1] + tuple(out) + tuple(pool), dtype=np.int64)
    stride = 1
    for axis in reversed(range(nd)):
        starts = _starts(u[..., sample_axes[axis]], sizes[axis], out[axis], pool[axis])
        cells = starts[..., None] + np.arange(pool[axis])  # (planes, out, pool)
        shape = [1] * (2 * nd)
        shape[axis], shape[nd + axis] = out[axis], pool[axis]
        flat += cells.reshape(u.shape[:-1] + tuple(shape)) * stride
        stride *= sizes[axis]
    lead = planes
    windows = flat.reshape(lead + (-1, int(np.prod(pool))))
    x = ops.reshape(input, shape=lead + (-1,))
    values = ops.take_along_axis(ops.stop_gradient(x), windows.reshape(lead + (-1,)), axis=-1)
    best = first_max_or_last_nan(ops.reshape(values, shape=windows.shape))
    indices = ops.take_along_axis(ops.add(ops.zeros_like(best), windows), best, axis=-1)
    indices = ops.reshape(indices, shape=lead + (-1,))
    output = ops.take_along_axis(x, indices, axis=-1)
    return (name_backward(ops.reshape(output, shape=lead + tuple(out)),
                          f"FractionalMaxPool{nd}DBackward0"),
            ops.reshape(indices, shape=lead + tuple(out)))


def fractional_max_pool2d_with_indices(input: Any, kernel_size: Any, output_size: Any = None,
                                       output_ratio: Any = None, return_indices: bool = False,
                                       _random_samples: Any = None) -> tuple[Any, Any]:
    """``(output, indices)`` of a fractional max pooling of (N, C, H, W) or (C, H, W)."""
    # PyTorch's samples per plane are (width, height).
    return _fractional("fractional_max_pool2d", input, kernel_size, output_size, output_ratio,
                       _random_samples, 2, (1, 0))


def fractional_max_pool2d(input: Any, kernel_size: Any, output_size: Any = None,
                          output_ratio: Any = None, return_indices: bool = False,
                          _random_samples: Any = None) -> Any:
    """Max over pseudo-random, overlapping windows of ``kernel_size`` to ``output_size`` (or
    ``output_ratio`` of the input's size); ``(output, indices)`` with ``return_indices``."""
    out = fractional_max_pool2d_with_indices(input, kernel_size, output_size, output_ratio,
                                             return_indices, _random_samples)
    return out if return_indices else out[0]


def fractional_max_pool3d_with_indices(input: Any, kernel_size: Any, output_size: Any = None,
                                       output_ratio: Any = None, return_indices: bool = False,
                                       _random_samples: Any = None) -> tuple[Any, Any]:
    """``(output, indices)`` of a fractional max pooling of (N, C, T, H, W) or (C, T, H, W)."""
    # PyTorch's samples per plane are (time, height, width).
    return _fractional("fractional_max_pool3d", input, kernel_size, output_size, output_ratio,
                       _random_samples, 3, (0, 1, 2))


def fractional_max_pool3d(input: Any, kernel_size: Any, output_size: Any = None,
                          output_ratio: Any = None, return_indices: bool = False,
                          _random_samples: Any = None) -> Any:
    """The 3-d `fractional_max_pool2d`."""
    out = fractional_max_pool3d_with_indices(input, kernel_size, output_size, output_ratio,
                                             return_indices, _random_samples)
    return out if return_indices else out[0]


__all__ = ["fractional_max_pool2d", "fractional_max_pool2d_with_indices",
           "fractional_max_pool3d", "fractional_max_pool3d_with_indices"]
