"""Spatial sampling, as ``torch.nn.functional``: ``affine_grid`` (the sampling grid of a batch
of 2-d or 3-d affine maps) and ``grid_sample`` (a 4-d input read at a grid of normalized
(x, y) points, bilinear or nearest, with zeros, border or reflection padding).

Both are composites, so gradients (to the input and to the grid, hence to ``theta``) and both
modes come from the ops they are made of:

* a normalized coordinate ``c`` in [-1, 1] becomes a pixel position ``(c + 1) / 2 * (n - 1)``
  (``align_corners=True``: -1 and 1 are the corner pixels' centres) or
  ``((c + 1) * n - 1) / 2`` (False: they are the corner pixels' outer edges);
* border padding clips the position into the image, reflection folds it back into it first,
  as PyTorch's ``reflect_coordinates`` then ``clip_coordinates``;
* each of the (up to) four neighbours is one ``take_along_axis`` gather over the flattened
  image, weighted by the bilinear weights and by whether it lies inside (zeros padding);
  the neighbour indices are computed without gradient (``floor``), the weights carry the
  gradient to the grid.

    >>> import numpy as np
    >>> theta = np.array([[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]])
    >>> x = np.arange(4.0).reshape(1, 1, 2, 2)
    >>> grid_sample(x, affine_grid(theta, (1, 1, 2, 2), align_corners=False)).tolist()
    [[[[0.0, 1.0], [2.0, 3.0]]]]
"""

from __future__ import annotations

import functools
import itertools
from fractions import Fraction

import numpy as np

from ..aval import aval_of
from ..errors import OpValueError, ShapeError, describe_shapes
from ..registry import composite
from ._rules import shape_of
from .bitwise import bitwise_and
from .division import remainder
from .elementwise import add, cast, div, mul, sub
from .elementwise_logic import clip, eq, ge, le, stop_gradient, where
from .elementwise_math import abs as abs_
from .gather import take_along_axis
from .indexing import getitem
from .linalg import matmul
from .rounding import floor
from .rounding import round as round_
from .shape import broadcast_to, reshape, transpose


# --- affine_grid ---------------------------------------------------------------------------------
@functools.lru_cache(maxsize=64)
def _linspace(n: int, dtype: np.dtype) -> np.ndarray:
    """``torch.linspace(-1, 1, n)`` bit for bit: its kernel computes ``start + step * i``
    (the upper half ``end - step * (n - 1 - i)``) as one fused multiply-add, rounded once,
    which the exact fractions here reproduce."""
    kind = dtype.type
    step = Fraction(float((kind(1) - kind(-1)) / kind(n - 1)))
    values = [Fraction(-1) + step * i if i < n // 2 else Fraction(1) - step * (n - 1 - i)
              for i in range(n)]
    out = np.array([float(v) for v in values]).astype(dtype)
    out.flags.writeable = False
    return out


def _base_axis(n: int, align_corners: bool, dtype: np.dtype) -> np.ndarray:
    """The normalized coordinates of ``n`` pixel centres, in ``dtype`` with PyTorch's exact
    roundings: a sampling point exactly on a pixel centre (the identity transform) sits on
    the bilinear kink, where one ulp decides which neighbour the gradient comes from."""
    if n <= 1:
        return np.zeros(1, dtype=dtype)
    steps = _linspace(n, dtype)
    if align_corners:
        return steps
    kind = dtype.type
    return (steps * kind(n - 1)) / kind(n)


def base_grid(sizes: tuple, align_corners: bool, dtype=np.float64) -> np.ndarray:
    """``(*sizes, len(sizes) + 1)``: each pixel's normalized (x, y[, z], 1), x first, for
    spatial ``sizes`` (H, W) or (D, H, W)."""
    dtype = np.dtype(dtype)
    axes = np.meshgrid(*(_base_axis(n, align_corners, dtype) for n in sizes), indexing="ij")
    return np.stack([*axes[::-1], np.ones(sizes, dtype=dtype)], axis=-1)


@composite(torch_name="AffineGridGeneratorBackward0")
def affine_grid(theta, size, align_corners: bool = False):
    """The ``(N, H, W, 2)`` (or ``(N, D, H, W, 3)``) grid of ``theta`` (``(N, 2, 3)`` or
    ``(N, 3, 4)``) applied to the normalized pixel centres of an output of ``size``."""
    size = tuple(int(s) for s in size)
    if len(size) not in (4, 5):
        raise OpValueError("affine_grid", f"only supports 4D and 5D sizes, for 2D and 3D "
                           f"affine transforms, respectively. Got size {size}.")
    k = len(size) - 2
    ts = shape_of(theta)
    if len(ts) != 3 or ts[1:] != (k, k + 1) or (ts[0] is not None and ts[0] != size[0]):
        raise ShapeError("affine_grid", f"expected a batch of {k}D affine matrices of shape "
                         f"Nx{k}x{k + 1} for size {size}, got {describe_shapes(ts)}",
                         shapes=[ts])
    if min(size[2:]) < 1:
        raise OpValueError("affine_grid", f"expected a non-empty spatial size, got {size}")
    base = base_grid(size[2:], bool(align_corners), aval_of(theta).dtype)
    points = reshape(base, shape=(-1, k + 1))  # (P, k + 1)
    out = matmul(points, transpose(theta, axes=(0, 2, 1)))  # (N, P, k)
    return reshape(out, shape=(size[0], *size[2:], k))


# --- grid_sample -----------------------------------------------------------------------------
def _fused_times_minus_half(t, scale: float):
    """``t * scale - 0.5`` rounded once, as a fused multiply-add (no gradient): in float64
    for a float32 ``t`` (the product is exact there), else by Dekker's exact product."""
    t = stop_gradient(t)
    dtype = aval_of(t).dtype
    if dtype.itemsize <= 4:
        return cast(sub(mul(cast(t, dtype=np.dtype(np.float64)), scale), 0.5), dtype=dtype)
    # scale = n / 2 has at most 27 significant bits, so t's split is all the product needs.
    big = mul(t, 134217729.0)  # 2 ** 27 + 1
    high = sub(big, sub(big, t))
    low = sub(t, high)
    product = mul(t, scale)
    error = add(sub(mul(high, scale), product), mul(low, scale))  # t * scale - product
    total = sub(product, 0.5)
    back = sub(total, product)
    rest = add(sub(product, sub(total, back)), sub(-0.5, back))  # product - 0.5 - total
    return add(total, add(rest, error))


def _unnormalize(c, n: int, align_corners: bool, fused: bool):
    """A normalized coordinate as a pixel position, rounded as PyTorch's CPU kernels round it:
    on a pixel centre one ulp picks the neighbours (see _base_axis). The 2-d kernel is
    vectorized, where ``(c + 1) * (n / 2) - 0.5`` is one fused multiply-add (``fused``); the
    3-d one computes ``((c + 1) * n - 1) / 2`` step by step. The gradient is the scale."""
    if align_corners:
        return mul(add(c, 1.0), (n - 1) / 2.0)
    if not fused:
        return div(sub(mul(add(c, 1.0), float(n)), 1.0), 2.0)
    exact = _fused_times_minus_half(add(c, 1.0), n / 2.0)
    return add(exact, mul(sub(c, stop_gradient(c)), n / 2.0))  # value exact, slope n / 2


def _reflect(p, twice_low: int, twice_high: int):
    """PyTorch's ``reflect_coordinates``: fold ``p`` into [low, high] by reflections."""
    if twice_low == twice_high:
        return mul(p, 0.0)
    low, span = twice_low / 2.0, (twice_high - twice_low) / 2.0
    p = abs_(sub(p, low))
    extra = remainder(p, span)
    flips = floor(mul(p, 1.0 / span))
    even = eq(remainder(flips, 2.0), 0.0)
    return where(even, add(extra, low), add(sub(span, extra), low))


def _position(c, n: int, padding_mode: str, align_corners: bool, fused: bool):
    p = _unnormalize(c, n, align_corners, fused)
    if padding_mode == "reflection":
        p = _reflect(p, 0, 2 * (n - 1)) if align_corners else _reflect(p, -1, 2 * n - 1)
    if padding_mode in ("border", "reflection"):
        p = clip(p, 0.0, float(n - 1))
    return p


def _gather(flat, corner: list, sizes: tuple, c: int):
    """``x[n, :, *corner]`` for integer-valued float positions (N, *out) along each spatial
    axis (``sizes`` order), 0 outside the image; ``flat`` is the input as (N, C, prod(sizes))."""
    inside, index, stride = None, None, 1
    for position, size in reversed(list(zip(corner, sizes, strict=True))):
        ok = bitwise_and(ge(position, 0.0), le(position, float(size - 1)))
        inside = ok if inside is None else bitwise_and(inside, ok)
        term = mul(clip(position, 0.0, float(size - 1)), float(stride))
        index = term if index is None else add(index, term)
        stride *= size
    n = shape_of(index)[0]
    index = cast(reshape(index, shape=(n, 1, -1)), dtype=np.dtype(np.int64))
    length = shape_of(index)[2]
    values = take_along_axis(flat, broadcast_to(index, shape=(n, c, length)), axis=2)
    mask = cast(reshape(inside, shape=(n, 1, length)), dtype=aval_of(flat).dtype)
    return mul(values, mask)  # (N, C, prod(out))


def _grid_sampler_name(attrs, ndims, constants) -> str:
    return "GridSampler3DBackward0" if ndims and ndims[0] == 5 else "GridSampler2DBackward0"


@composite(torch_name=_grid_sampler_name)
def grid_sample(x, grid, mode: str = "bilinear", padding_mode: str = "zeros",
                align_corners: bool = False):
    """``x`` (N, C, H, W) read at ``grid`` (N, Ho, Wo, 2) of normalized (x, y) points:
    ``(N, C, Ho, Wo)``; or ``x`` (N, C, D, H, W) at ``grid`` (N, Do, Ho, Wo, 3) of (x, y, z)
    points (trilinear): ``(N, C, Do, Ho, Wo)``."""
    if mode not in ("bilinear", "nearest"):
        raise OpValueError("grid_sample", f"mode {mode!r} is not supported (bilinear or "
                           f"nearest)")
    if padding_mode not in ("zeros", "border", "reflection"):
        raise OpValueError("grid_sample", f"padding_mode {padding_mode!r} is not one of "
                           f"'zeros', 'border', 'reflection'")
    xs, gs = shape_of(x), shape_of(grid)
    k = len(xs) - 2
    if k not in (2, 3) or len(gs) != len(xs) or gs[-1] != k or None in xs[1:] or \
            None in gs[1:]:
        raise ShapeError("grid_sample", f"expected a 4-d input (N, C, H, W) and a grid "
                         f"(N, Ho, Wo, 2), or a 5-d input and a grid (N, Do, Ho, Wo, 3), with "
                         f"known sizes, got shapes {describe_shapes(xs, gs)}", shapes=[xs, gs])
    c, sizes, out_sizes = xs[1], xs[2:], gs[1:-1]
    flat = reshape(x, shape=(-1, c, int(np.prod(sizes))))
    every = (slice(None),) * (k + 1)
    # The grid's last dim is (x, y[, z]): x indexes the last spatial axis.
    positions = [_position(getitem(grid, every + (k - 1 - axis,)), sizes[axis], padding_mode,
                           align_corners, fused=k == 2) for axis in range(k)]
    if mode == "nearest":
        # round half to even, as PyTorch's nearbyint
        nearest = [round_(p) for p in positions]
        out = _gather(flat, nearest, sizes, c)
        # Plus an exact zero made from the grid, so that the grid gets PyTorch's zero
        # gradient rather than none (clipped first: 0 * inf would be NaN).
        zero = None
        for p, size in zip(nearest, sizes, strict=True):
            term = mul(clip(p, 0.0, float(size - 1)), 0.0)
            zero = term if zero is None else add(zero, term)
        out = add(out, reshape(zero, shape=(-1, 1, int(np.prod(out_sizes)))))
        return reshape(out, shape=(-1, c, *out_sizes))
    lows = [floor(p) for p in positions]
    highs = [sub(p, low) for p, low in zip(positions, lows, strict=True)]  # the gradient path
    sides = [((low, sub(1.0, high)), (add(low, 1.0), high))
             for low, high in zip(lows, highs, strict=True)]
    out = None
    for corner in itertools.product((0, 1), repeat=k):
        weight = None
        for axis, side in enumerate(corner):
            w = sides[axis][side][1]
            weight = w if weight is None else mul(weight, w)
        values = _gather(flat, [sides[axis][side][0] for axis, side in enumerate(corner)],
                         sizes, c)
        term = mul(values, reshape(weight, shape=(-1, 1, int(np.prod(out_sizes)))))
        out = term if out is None else add(out, term)
    return reshape(out, shape=(-1, c, *out_sizes))


__all__ = ["affine_grid", "grid_sample"]
