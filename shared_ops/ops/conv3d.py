"""3-d convolution over NCDHW inputs with an OIDHW weight, as ``torch.nn.functional.conv3d``:
a composite over the 2-d convolution, so its gradients (to any order) and both modes come from
``conv2d_core`` and the shape ops, with no second convolution kernel to keep right.

The depth axis is unrolled into channels: for each depth tap ``kd`` the input planes that tap
reads at every output depth are one strided slice, and stacking the KD slices next to the
channels turns the volume into a batch of ``N * OD`` images with ``KD * C`` channels. The
weight ``(O, C/g, KD, KH, KW)`` becomes ``(O, KD * C/g, KH, KW)`` in the same (group, tap,
channel) order, so one grouped ``conv2d_core`` computes every output plane:

    y[n, o, od] = sum_kd conv2d(x[n, :, od * sd + kd * dd], w[:, :, kd])

    >>> import numpy as np
    >>> conv3d(np.ones((1, 1, 3, 3, 3)), np.ones((1, 1, 2, 2, 2))).shape
    (1, 1, 2, 2, 2)
"""

from __future__ import annotations

from ..errors import OpValueError, ShapeError, describe_shapes
from ..registry import composite
from ._rules import shape_of
from .conv import conv2d_core, out_size
from .elementwise import add
from .indexing import getitem
from .reorder import flip
from .shape import expand_dims, reshape, transpose
from .shape_join import pad, stack


def as_triple(op: str, name: str, value, *, minimum: int) -> tuple[int, int, int]:
    """``3`` -> ``(3, 3, 3)``; a triple stays a triple; raises OpValueError below ``minimum``.

        >>> as_triple("conv3d", "stride", (1, 2, 2), minimum=1)
        (1, 2, 2)
    """
    items = (value,) * 3 if isinstance(value, int) or hasattr(value, "__index__") \
        else tuple(value)
    if len(items) != 3 or not all(hasattr(v, "__index__") for v in items):
        raise OpValueError(op, f"{name} must be an int or a triple of ints, got {value!r}")
    if min(items) < minimum:
        raise OpValueError(op, f"{name} must be >= {minimum}, got {value!r}")
    return int(items[0]), int(items[1]), int(items[2])


def depth_taps(x, k: int, s: int, d: int, out_depth: int) -> list:
    """For each depth tap, the ``(N, C, OD, ...)`` strided slice of ``x`` (already padded in
    depth) that the tap reads at every output depth (shared with 3-d pooling)."""
    every = slice(None)
    return [getitem(x, (every, every, slice(t * d, t * d + s * (out_depth - 1) + 1, s)))
            for t in range(k)]


def pad_depth(x, p: int, value: float = 0.0):
    """``x`` (N, C, D, H, W) padded by ``p`` on both sides of D."""
    if p == 0:
        return x
    return pad(x, pad_width=((0, 0), (0, 0), (p, p), (0, 0), (0, 0)), value=value)


def _check(x_shape: tuple, w_shape: tuple, groups: int) -> None:
    if len(x_shape) != 5 or len(w_shape) != 5:
        raise ShapeError("conv3d", f"expected a 5-d input (N, C, D, H, W) and a 5-d weight "
                         f"(O, C/groups, KD, KH, KW), got shapes "
                         f"{describe_shapes(x_shape, w_shape)}", shapes=[x_shape, w_shape])
    if groups < 1:
        raise OpValueError("conv3d", f"groups must be >= 1, got {groups}")
    if None in x_shape[1:] or None in w_shape:
        raise ShapeError("conv3d", f"needs every dim but the batch known, got shapes "
                         f"{describe_shapes(x_shape, w_shape)}", shapes=[x_shape, w_shape])
    if x_shape[1] != w_shape[1] * groups:
        raise ShapeError("conv3d", f"input has {x_shape[1]} channels but weight expects "
                         f"{w_shape[1]} x groups={groups} = {w_shape[1] * groups}: shapes "
                         f"{describe_shapes(x_shape, w_shape)}", shapes=[x_shape, w_shape])
    if w_shape[0] % groups:
        raise ShapeError("conv3d", f"output channels ({w_shape[0]}) must be divisible by "
                         f"groups={groups}", shapes=[x_shape, w_shape])


@composite(torch_name="ConvolutionBackward0")
def conv3d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups: int = 1):
    """3-d convolution of an NCDHW input by an OIDHW weight, as ``F.conv3d``; ``stride``,
    ``padding`` and ``dilation`` are ints or (depth, height, width) triples."""
    s = as_triple("conv3d", "stride", stride, minimum=1)
    p = as_triple("conv3d", "padding", padding, minimum=0)
    d = as_triple("conv3d", "dilation", dilation, minimum=1)
    groups = int(groups)
    xs, ws = shape_of(x), shape_of(weight)
    _check(xs, ws, groups)
    (c, depth, h, w), (o, cg, kd) = xs[1:], ws[:3]
    od = out_size(depth, kd, s[0], p[0], d[0])
    if od < 1:
        raise ShapeError("conv3d", f"input {describe_shapes(xs)} (padded by {p}) is smaller "
                         f"than the dilated kernel {describe_shapes(ws)} (dilation {d})",
                         shapes=[xs, ws])
    # (N, KD, C, OD, H, W) -> (N, OD, groups, KD, C/g, H, W) -> (N * OD, groups * KD * C/g, H, W)
    cols = stack(depth_taps(pad_depth(x, p[0]), kd, s[0], d[0], od), axis=1)
    cols = reshape(cols, shape=(-1, kd, groups, cg, od, h, w))
    cols = reshape(transpose(cols, axes=(0, 4, 2, 1, 3, 5, 6)), shape=(-1, kd * c, h, w))
    w2 = reshape(transpose(weight, axes=(0, 2, 1, 3, 4)), shape=(o, kd * cg, *ws[3:]))
    y = conv2d_core(cols, w2, stride=s[1:], padding=p[1:], dilation=d[1:], groups=groups)
    oh, ow = shape_of(y)[2:]
    y = transpose(reshape(y, shape=(-1, od, o, oh, ow)), axes=(0, 2, 1, 3, 4))
    if bias is None:
        return y
    bs = shape_of(bias)
    if len(bs) != 1 or (bs[0] is not None and bs[0] != o):
        raise ShapeError("conv3d", f"bias of shape {describe_shapes(bs)} does not match {o} "
                         f"output channels (weight {describe_shapes(ws)})", shapes=[bs, ws])
    return add(y, expand_dims(bias, axis=(0, 2, 3, 4)))  # (O,) -> (1, O, 1, 1, 1)


def _spread(x, axis: int, s: int):
    """``x`` with ``s - 1`` zeros between neighbours along ``axis`` (a strided convolution's
    transpose reads its input that way)."""
    if s == 1:
        return x
    shape = shape_of(x)
    widths = [(0, 0)] * (len(shape) + 1)
    widths[axis + 1] = (0, s - 1)
    y = pad(expand_dims(x, axis=axis + 1), pad_width=tuple(widths))
    merged = (-1, *shape[1:axis], shape[axis] * s, *shape[axis + 1:])
    y = reshape(y, shape=merged)
    every = slice(None)
    return getitem(y, (every,) * axis + (slice(0, (shape[axis] - 1) * s + 1),))


@composite(torch_name="ConvolutionBackward0")
def conv_transpose3d(x, weight, bias=None, stride=1, padding=0, output_padding=0,
                     groups: int = 1, dilation=1):
    """The transpose of `conv3d` (``F.conv_transpose3d``): ``x`` (N, C_in, D, H, W) and a
    (C_in, C_out / groups, kD, kH, kW) weight. Computed as a stride-1 `conv3d` of ``x``
    spread out by the stride (zeros between), padded by ``dilation * (k - 1) - padding``
    (plus ``output_padding`` at the far end), with the kernel flipped and its in/out
    channels swapped within each group."""
    s = as_triple("conv_transpose3d", "stride", stride, minimum=1)
    p = as_triple("conv_transpose3d", "padding", padding, minimum=0)
    op = as_triple("conv_transpose3d", "output_padding", output_padding, minimum=0)
    d = as_triple("conv_transpose3d", "dilation", dilation, minimum=1)
    groups = int(groups)
    xs, ws = shape_of(x), shape_of(weight)
    if len(xs) != 5 or len(ws) != 5 or None in ws or None in xs[1:] or xs[1] != ws[0] or \
            ws[0] % groups:
        raise ShapeError("conv_transpose3d", f"expected a 5-d input (N, C_in, D, H, W) and a "
                         f"weight (C_in, C_out/groups, kD, kH, kW) with C_in divisible by "
                         f"groups={groups}, got shapes {describe_shapes(xs, ws)}",
                         shapes=[xs, ws])
    if any(o >= max(si, di) for o, si, di in zip(op, s, d, strict=True)):
        raise OpValueError("conv_transpose3d", f"output padding {op} must be smaller than "
                           f"either stride {s} or dilation {d}")
    y = x
    for axis in (2, 3, 4):
        y = _spread(y, axis, s[axis - 2])
    # Each side: pad by d (k - 1) - p, or crop where that is negative (a padding wider than
    # the dilated kernel); output_padding adds to the far side.
    sides = [(d[i] * (k - 1) - p[i], d[i] * (k - 1) - p[i] + op[i])
             for i, k in enumerate(ws[2:])]
    y = pad(y, pad_width=((0, 0), (0, 0)) + tuple((max(lo, 0), max(hi, 0)) for lo, hi in sides))
    if any(min(lo, hi) < 0 for lo, hi in sides):
        every = slice(None)
        y = getitem(y, (every, every) + tuple(
            slice(max(-lo, 0), n - max(-hi, 0))
            for (lo, hi), n in zip(sides, shape_of(y)[2:], strict=True)))
    cin, cog = ws[0], ws[1]
    w2 = reshape(weight, shape=(groups, cin // groups, cog, *ws[2:]))
    w2 = flip(transpose(w2, axes=(0, 2, 1, 3, 4, 5)), dims=(3, 4, 5))
    w2 = reshape(w2, shape=(groups * cog, cin // groups, *ws[2:]))
    return conv3d(y, w2, bias, stride=1, padding=0, dilation=d, groups=groups)


__all__ = ["conv3d", "conv_transpose3d"]
