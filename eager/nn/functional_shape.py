"""Shape-changing functions of ``eager.nn.functional``: `one_hot`, `pad` and `interpolate`.

Every non-constant padding and every resize is a gather: slices and integer index arrays
(``getitem``) joined by ``concat``, mixed by constant weights, so gradients come from the
indexing ops and the functions trace into static graphs unchanged. Index arrays are computed
with PyTorch's formulas (in float32, as its CPU kernels) so that the same source pixels are
picked.

    >>> import eager
    >>> pad(eager.tensor([[1.0, 2.0, 3.0]]), (2, 1), mode="reflect")
    tensor([[3., 2., 1., 2., 3., 2.]])
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import shared_ops as ops

from ..tensor import Tensor
from .functional_antialias import resize_antialiased
from .functional_bicubic import resize_cubic
from .functional_conv3d import adaptive_avg_pool3d
from .functional_pool1d import adaptive_avg_pool1d, adaptive_avg_pool2d


def one_hot(tensor: Any, num_classes: int = -1) -> Any:
    """int64 one-hot rows of ``num_classes`` entries (-1: one more than the largest index)."""
    if num_classes == -1:
        if not isinstance(tensor, Tensor | np.ndarray):
            raise ValueError("one_hot: num_classes=-1 needs the values at hand; give "
                             "num_classes when tracing into a static graph")
        values = np.asarray(tensor)
        if values.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(values.max()) + 1
    if isinstance(tensor, Tensor | np.ndarray):  # PyTorch's checks, where values are known
        values = np.asarray(tensor)
        if values.dtype != np.int64:
            raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
        if values.size and values.min() < 0:
            raise RuntimeError("Class values must be non-negative.")
        if values.size and values.max() >= num_classes:
            raise RuntimeError("Class values must be smaller than num_classes.")
    return ops.one_hot(tensor, num_classes=int(num_classes), dtype=np.int64)


# --- pad -------------------------------------------------------------------------------------
_NON_CONSTANT = ("reflect", "replicate", "circular")


def _along(axis: int, key: Any) -> tuple:
    return (slice(None),) * axis + (key,)


def _check_pad(input: Any, pad: Any, mode: str, value: Any) -> list[tuple[int, int]]:
    """PyTorch's checks; the (before, after) widths of the padded dims, the last dim first."""
    pad = [int(p) for p in pad]
    if len(pad) % 2:
        raise RuntimeError("Padding length must be divisible by 2")
    if len(pad) // 2 > input.ndim:
        raise RuntimeError("Padding length should be less than or equal to two times the input "
                           f"dimension but got padding length {len(pad)} and input of "
                           f"dimension {input.ndim}")
    if mode not in ("constant", *_NON_CONSTANT):
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if mode != "constant":
        if value is not None and value != 0:
            raise RuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')
        k = len(pad) // 2
        if k not in (1, 2, 3) or input.ndim not in (k + 1, k + 2):
            raise NotImplementedError(
                f"Padding size {len(pad)} is not supported for {input.ndim}D input tensor.\n"
                "Supported combinations for non-constant padding:\n"
                "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
                "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
                "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)")
    widths = [(pad[2 * i], pad[2 * i + 1]) for i in range(len(pad) // 2)]
    for i, (before, after) in enumerate(widths if mode == "reflect" else ()):
        size = input.shape[input.ndim - 1 - i]  # PyTorch checks every dim first, last dim first
        if size is not None and (before >= size or after >= size):
            raise RuntimeError(f"Argument #{4 + 2 * i}: Padding size should be less than the "
                               "corresponding input dimension, but got: padding "
                               f"({before}, {after}) at dimension {input.ndim - 1 - i} of input "
                               f"{list(input.shape)}")
    return widths


def _border(x: Any, axis: int, n: int, mode: str, before: bool) -> Any:
    """The ``n`` values that ``mode`` puts before (or after) ``x`` along ``axis``."""
    size = x.shape[axis]
    if mode == "reflect":
        if size is not None and n >= size:
            raise RuntimeError(f"Argument #4: Padding size should be less than the "
                               f"corresponding input dimension, but got: padding {n} at "
                               f"dimension {axis} of input {list(x.shape)}")
        key = slice(n, 0, -1) if before else slice(-2, -n - 2, -1)
    elif mode == "replicate":
        key = np.zeros(n, np.int64) if before else np.full(n, -1, np.int64)
    else:  # circular
        if size is not None and n > size:
            raise RuntimeError("Padding value causes wrapping around more than once.")
        key = slice(-n, None) if before else slice(0, n)
    return ops.getitem(x, _along(axis, key))


def pad(input: Any, pad: Any, mode: str = "constant", value: float | None = None) -> Any:
    """Pad the last ``len(pad) // 2`` dims: ``pad = (left, right, top, bottom, ...)``, the last
    dim first. Negative widths crop. Modes: constant (``value``), reflect (mirror, edge not
    repeated), replicate (edge repeated), circular (wrap around)."""
    widths = _check_pad(input, pad, mode, value)
    x = input
    if mode == "constant":
        grow = [(0, 0)] * (x.ndim - len(widths)) + [(max(b, 0), max(a, 0))
                                                    for b, a in reversed(widths)]
        if any(b or a for b, a in grow):
            x = ops.pad(x, pad_width=tuple(grow), value=0.0 if value is None else float(value))
    for i, (before, after) in enumerate(widths):
        axis = x.ndim - 1 - i
        if before < 0 or after < 0:  # crop first: PyTorch pads the remaining part
            x = ops.getitem(x, _along(axis, slice(max(-before, 0), after if after < 0 else None)))
        if mode == "constant":
            continue
        parts = [x]
        if before > 0:
            parts.insert(0, _border(x, axis, before, mode, True))
        if after > 0:
            parts.append(_border(x, axis, after, mode, False))
        if len(parts) > 1:
            x = ops.concat(parts, axis=axis)
    return x


# --- interpolate -----------------------------------------------------------------------------
_LINEAR = {"linear": 1, "bilinear": 2, "trilinear": 3, "bicubic": 2}


def _output_sizes(spatial: tuple, size: Any, scale_factor: Any) -> tuple[list[int], list]:
    """Output sizes and the per-dim scale factors the kernel sees (None: in/out)."""
    n = len(spatial)
    if (size is None) == (scale_factor is None):
        raise ValueError("only one of size or scale_factor should be defined" if size is not None
                         else "either size or scale_factor should be defined")
    if size is not None:
        sizes = [int(s) for s in size] if isinstance(size, list | tuple) else [int(size)] * n
        if len(sizes) != n:
            raise ValueError("Input and output must have the same number of spatial dimensions, "
                             f"but got input with spatial dimensions of {list(spatial)} and "
                             f"output size of {sizes}. Please provide input tensor in (N, C, "
                             "d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) format.")
        return sizes, [None] * n
    scales = [float(s) for s in scale_factor] if isinstance(scale_factor, list | tuple) \
        else [float(scale_factor)] * n
    if len(scales) != n:
        raise ValueError("Input and scale_factor must have the same number of spatial "
                         f"dimensions, but got input with spatial dimensions of {list(spatial)} "
                         f"and scale_factor of shape {scales}. Please provide input tensor in "
                         "(N, C, d1, d2, ...,dK) format and scale_factor in (s1, s2, ...,sK) "
                         "format.")
    return [math.floor(float(d) * s) for d, s in zip(spatial, scales, strict=True)], scales


def _scale(in_size: int, out_size: int, scale: float | None) -> np.float32:
    """PyTorch's ``compute_scales_value``: 1 / scale_factor when given, else in / out."""
    return np.float32(1.0 / scale) if scale is not None and scale > 0 else \
        np.float32(in_size) / np.float32(out_size)


def _nearest_index(in_size: int, out_size: int, scale: float | None, exact: bool) -> np.ndarray:
    s = _scale(in_size, out_size, scale)
    dst = np.arange(out_size, dtype=np.float32)
    src = np.floor(((dst + np.float32(0.5)) if exact else dst) * s).astype(np.int64)
    return np.minimum(src, in_size - 1)


def _linear_weights(in_size: int, out_size: int, scale: float | None,
                    align_corners: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(i0, i1, lambda1): each output mixes source i0 (1 - lambda1) and i1 (lambda1)."""
    dst = np.arange(out_size, dtype=np.float32)
    if align_corners:
        s = np.float32((in_size - 1) / (out_size - 1)) if out_size > 1 else np.float32(0)
        src = dst * s
    else:
        src = np.maximum(_scale(in_size, out_size, scale) * (dst + np.float32(0.5))
                         - np.float32(0.5), np.float32(0))
    i0 = src.astype(np.int64)
    i1 = np.minimum(i0 + 1, in_size - 1)
    return i0, i1, (src - i0.astype(np.float32))


def interpolate(input: Any, size: Any = None, scale_factor: Any = None, mode: str = "nearest",
                align_corners: bool | None = None, recompute_scale_factor: bool | None = None,
                antialias: bool = False) -> Any:
    """Resize the spatial dims (all after N, C): ``nearest``, ``nearest-exact``, ``linear``
    (3-D), ``bilinear`` or ``bicubic`` (4-D) or ``trilinear`` (5-D), to ``size`` or by
    ``scale_factor``."""
    if mode in ("nearest", "nearest-exact", "area", "nearest-exact") and align_corners is not None:
        raise ValueError("align_corners option can only be set with the interpolating modes: "
                         "linear | bilinear | bicubic | trilinear")
    if mode not in ("nearest", "nearest-exact", "area", *_LINEAR):
        raise NotImplementedError(f"interpolate: mode {mode!r} is not implemented (nearest, "
                                  "nearest-exact, area, linear, bilinear, bicubic and trilinear "
                                  "are)")
    if antialias and (mode not in ("bilinear", "bicubic") or input.ndim != 4):
        raise ValueError("Anti-alias option is restricted to bilinear, bicubic, and lanczos "
                         "modes and requires a 4-D tensor as input")
    if input.ndim < 3:
        raise ValueError(f"interpolate: expected a batched input (N, C, ...), got "
                         f"{input.ndim}D input")
    spatial = tuple(input.shape[2:])
    if mode in _LINEAR and _LINEAR[mode] != len(spatial):
        raise NotImplementedError(f"Got {input.ndim}D input, but {mode} mode needs "
                                  f"{_LINEAR[mode] + 2}D input")
    if None in spatial:
        raise ValueError(f"interpolate: the spatial dims {spatial} must be known (a static graph "
                         "traced with an unknown height or width cannot be resized)")
    sizes, scales = _output_sizes(spatial, size, scale_factor)
    if recompute_scale_factor:
        scales = [None] * len(sizes)
    if antialias:
        return resize_antialiased(input, sizes, scales, mode, bool(align_corners))
    if mode == "area":  # PyTorch's area mode is adaptive average pooling to the output size
        return _ADAPTIVE_AVG_POOLS[len(sizes)](input, tuple(sizes))
    x = input
    for i, (n_in, n_out, scale) in enumerate(zip(spatial, sizes, scales, strict=True)):
        axis = 2 + i
        if mode == "bicubic":
            x = resize_cubic(x, axis, n_in, n_out, scale, bool(align_corners))
        elif mode in _LINEAR:
            i0, i1, lam = _linear_weights(n_in, n_out, scale, bool(align_corners))
            shape = (n_out,) + (1,) * (x.ndim - axis - 1)
            lam = lam.reshape(shape).astype(x.dtype)
            x = ops.add(ops.mul(ops.getitem(x, _along(axis, i0)), 1 - lam),
                        ops.mul(ops.getitem(x, _along(axis, i1)), lam))
        elif n_in != n_out:
            idx = _nearest_index(n_in, n_out, scale, mode == "nearest-exact")
            x = ops.getitem(x, _along(axis, idx))
    return x


_ADAPTIVE_AVG_POOLS = {1: adaptive_avg_pool1d, 2: adaptive_avg_pool2d, 3: adaptive_avg_pool3d}

__all__ = ["one_hot", "pad", "interpolate"]
