"""3-d convolution and pooling in ``eager.nn.functional``: `conv3d`, `conv_transpose3d`,
`max_pool3d`, `avg_pool3d`, `adaptive_avg_pool3d`, `adaptive_max_pool3d`, over
(N, C, D, H, W) or unbatched (C, D, H, W) inputs, with PyTorch's argument checks and
messages; the work is the shared ops' (shared_ops/ops/conv3d.py, pool3d.py).

``max_pool3d(ceil_mode=True)`` pads the far end of each axis with -inf so that the last,
partial window PyTorch counts becomes an exact fit (as ``max_pool2d`` does).

    >>> import eager
    >>> x = eager.ones(1, 1, 2, 2, 2)
    >>> conv3d(x, eager.ones(1, 1, 2, 2, 2)).flatten()
    tensor([8.])
"""

from __future__ import annotations

from typing import Any

import shared_ops as ops
from shared_ops.ops.pool_windows import ceil_extra

from .functional_conv_padding import string_padding
from .functional_pool import argmax_indices
from .functional_unpool import adaptive_max_pool_with_indices


def _triple(value: Any) -> tuple[int, int, int]:
    items = (value,) * 3 if isinstance(value, int) else tuple(value)
    if len(items) == 1:
        items = items * 3
    return tuple(int(v) for v in items)  # type: ignore[return-value]


def _batched(input: Any, message: str) -> tuple[Any, bool]:
    """``input`` as 5-d, and whether it came unbatched (4-d); else RuntimeError(message)."""
    if input.ndim not in (4, 5):
        raise RuntimeError(message)
    unbatched = input.ndim == 4
    return (ops.expand_dims(input, axis=0) if unbatched else input), unbatched


def _unbatch(out: Any, unbatched: bool) -> Any:
    return ops.squeeze(out, axis=0) if unbatched else out


def conv3d(input: Any, weight: Any, bias: Any = None, stride: Any = 1, padding: Any = 0,
           dilation: Any = 1, groups: int = 1) -> Any:
    """3-d convolution of (N, C_in, D, H, W) by a (C_out, C_in / groups, kD, kH, kW) weight;
    ``padding`` is an int, a triple, ``"valid"`` or ``"same"``."""
    x, unbatched = _batched(input, "Expected 4D (unbatched) or 5D (batched) input to conv3d, "
                            f"but got input of size: {list(input.shape)}")
    if x.shape[1] != weight.shape[1] * groups:
        raise RuntimeError(f"Given groups={groups}, weight of size {list(weight.shape)}, "
                           f"expected input{list(x.shape)} to have {weight.shape[1] * groups} "
                           f"channels, but got {x.shape[1]} channels instead")
    x, padding = string_padding(x, weight, padding, stride, dilation)
    p, d = _triple(padding), _triple(dilation)
    padded = [n + 2 * q for n, q in zip(x.shape[2:], p, strict=True)]
    spans = [dd * (k - 1) + 1 for k, dd in zip(weight.shape[2:], d, strict=True)]
    if any(n < s for n, s in zip(padded, spans, strict=True)):
        raise RuntimeError("Calculated padded input size per channel: (" +
                           " x ".join(map(str, padded)) + "). Kernel size: (" +
                           " x ".join(map(str, spans)) + "). Kernel size can't be greater "
                           "than actual input size")
    out = ops.conv3d(x, weight, bias, stride=_triple(stride), padding=p, dilation=d,
                     groups=groups)
    return _unbatch(out, unbatched)


def conv_transpose3d(input: Any, weight: Any, bias: Any = None, stride: Any = 1,
                     padding: Any = 0, output_padding: Any = 0, groups: int = 1,
                     dilation: Any = 1) -> Any:
    """The transpose of `conv3d`: (N, C_in, D, H, W) (or unbatched) by a (C_in,
    C_out / groups, kD, kH, kW) weight."""
    x, unbatched = _batched(input, "Expected 4D (unbatched) or 5D (batched) input to "
                            f"conv_transpose3d, but got input of size: {list(input.shape)}")
    if x.shape[1] != weight.shape[0]:
        raise RuntimeError(f"Given transposed=1, weight of size {list(weight.shape)}, expected "
                           f"input{list(x.shape)} to have {weight.shape[0]} channels, but got "
                           f"{x.shape[1]} channels instead")
    out = ops.conv_transpose3d(x, weight, bias, stride=_triple(stride), padding=_triple(padding),
                               output_padding=_triple(output_padding), groups=groups,
                               dilation=_triple(dilation))
    return _unbatch(out, unbatched)


def _pool_input(input: Any) -> tuple[Any, bool]:
    return _batched(input, "non-empty 4D or 5D (batch mode) tensor expected for input")


def _check_pool_padding(kernel_size: Any, padding: Any, dilation: Any = 1) -> None:
    for k, p, d in zip(_triple(kernel_size), _triple(padding), _triple(dilation), strict=True):
        if 2 * p > k:
            raise RuntimeError("pad should be at most half of effective kernel size, but got "
                               f"pad={p}, kernel_size={k} and dilation={d}")


def max_pool3d(input: Any, kernel_size: Any, stride: Any = None, padding: Any = 0,
               dilation: Any = 1, ceil_mode: bool = False, return_indices: bool = False) -> Any:
    """Max over each (dilated) box window; ``stride`` defaults to ``kernel_size``;
    ``(output, indices)`` with ``return_indices`` (flat positions in each D x H x W volume)."""
    x, unbatched = _pool_input(input)
    sizes = tuple(x.shape[2:])
    k = _triple(kernel_size)
    s = k if stride is None or (not isinstance(stride, int) and len(stride) == 0) \
        else _triple(stride)
    p, d = _triple(padding), _triple(dilation)
    _check_pool_padding(k, p, d)
    if ceil_mode:
        extra = [ceil_extra(x.shape[2 + i], k[i], s[i], p[i], d[i]) for i in range(3)]
        if any(extra):
            x = ops.pad(x, pad_width=((0, 0), (0, 0)) + tuple((0, e) for e in extra),
                        value=float("-inf"))
    out = ops.max_pool3d(x, k, stride=s, padding=p, dilation=d)
    if not return_indices:
        return _unbatch(out, unbatched)
    indices = argmax_indices(x, sizes, k, s, p, d, tuple(out.shape[2:]))
    return _unbatch(out, unbatched), _unbatch(indices, unbatched)


def avg_pool3d(input: Any, kernel_size: Any, stride: Any = None, padding: Any = 0,
               ceil_mode: bool = False, count_include_pad: bool = True,
               divisor_override: int | None = None) -> Any:
    """Mean over each box window (zero padding counts unless ``count_include_pad=False``);
    ``ceil_mode`` keeps a last, partial window."""
    if divisor_override is not None and int(divisor_override) == 0:
        raise RuntimeError("divisor must be not zero")
    x, unbatched = _pool_input(input)
    _check_pool_padding(kernel_size, padding)
    out = ops.avg_pool3d(x, kernel_size, stride=stride, padding=padding,
                         count_include_pad=count_include_pad, divisor_override=divisor_override,
                         ceil_mode=bool(ceil_mode))
    return _unbatch(out, unbatched)


def adaptive_avg_pool3d(input: Any, output_size: Any) -> Any:
    """Mean over PyTorch's adaptive windows to ``output_size`` (an int or a triple; ``None``
    keeps that size)."""
    x, unbatched = _batched(input, "adaptive_avg_pool3d(): Expected 4D or 5D tensor, but got "
                            f"{list(input.shape)}")
    return _unbatch(ops.adaptive_avg_pool3d(x, output_size), unbatched)


def adaptive_max_pool3d(input: Any, output_size: Any, return_indices: bool = False) -> Any:
    """Max over PyTorch's adaptive windows to ``output_size``; ``(output, indices)`` with
    ``return_indices`` (flat positions in each D x H x W volume)."""
    x, unbatched = _batched(input, "adaptive_max_pool3d(): Expected 4D or 5D tensor, but got: "
                            f"{list(input.shape)}")
    if return_indices:
        sizes = (output_size,) * 3 if isinstance(output_size, int) else tuple(output_size)
        return adaptive_max_pool_with_indices(input, sizes, "adaptive_max_pool3d")
    return _unbatch(ops.adaptive_max_pool3d(x, output_size), unbatched)


__all__ = ["conv3d", "conv_transpose3d", "max_pool3d", "avg_pool3d", "adaptive_avg_pool3d",
           "adaptive_max_pool3d"]
