"""3-d max, average and adaptive average pooling over NCDHW inputs, as
``torch.nn.functional``: composites over the 2-d pooling primitives and the shape ops, so both
modes and every gradient come from ops that are already tested.

A box window is separable: its max (or sum) is the max (or sum) over depth of each plane's
2-d window. So each volume's planes are pooled as a batch of images (``(N, C * D, H, W)``)
and the depth windows are then reduced over ``KD`` strided depth slices (see
``conv3d.depth_taps``).

* max: the first maximum of the window in (depth, height, width) order gets the gradient, as
  PyTorch: the 2-d pooling already routes to the first maximum of its plane, and the depth
  reduction keeps the first (``where`` on a strictly-greater test; a NaN wins, as PyTorch's).
* average: ``count_include_pad=False`` divides by the window's valid cells, which for a box is
  (valid depth taps) x (valid plane cells): the 2-d pooling divides by the second, a constant
  per output depth by the first.
* adaptive average: PyTorch's windows ``[floor(i * n / out), ceil((i + 1) * n / out))`` per
  axis; one averaging matrix per axis, applied with ``matmul`` (also separable).

    >>> import numpy as np
    >>> max_pool3d(np.arange(8.0).reshape(1, 1, 2, 2, 2), 2).tolist()
    [[[[[7.0]]]]]
"""

from __future__ import annotations

import numpy as np

from ..aval import aval_of
from ..errors import OpValueError, ShapeError, describe_shapes
from ..registry import composite
from ._rules import shape_of
from .bitwise import bitwise_or
from .conv3d import as_triple, depth_taps, pad_depth
from .elementwise import add, div
from .elementwise_logic import gt, ne, where
from .indexing import getitem
from .linalg import matmul
from .pool import avg_pool2d_core, max_pool2d_core
from .pool_windows import ceil_extra, pool_out_size, window_counts
from .shape import reshape, transpose
from .shape_join import concat, pad


def _params(op: str, x, kernel_size, stride, padding, dilation=1, ceil_mode=False) -> tuple:
    """The canonical triples, after checking the input is 5-d with known C, D, H, W."""
    xs = shape_of(x)
    if len(xs) != 5:
        raise ShapeError(op, f"expected a 5-d input (N, C, D, H, W), got shape "
                         f"{describe_shapes(xs)}", shapes=[xs])
    if None in xs[1:]:
        raise ShapeError(op, f"needs every dim but the batch known, got shape "
                         f"{describe_shapes(xs)}", shapes=[xs])
    k = as_triple(op, "kernel_size", kernel_size, minimum=1)
    s = k if stride is None else as_triple(op, "stride", stride, minimum=1)
    p = as_triple(op, "padding", padding, minimum=0)
    d = as_triple(op, "dilation", dilation, minimum=1)
    if any(2 * pi > ki for pi, ki in zip(p, k, strict=True)):
        raise OpValueError(op, f"padding {p} must be at most half the kernel size {k}")
    od = pool_out_size(xs[2], k[0], s[0], p[0], d[0], ceil_mode)
    if od < 1:
        raise ShapeError(op, f"input {describe_shapes(xs)} (padded by {p}) is smaller than "
                         f"the kernel {k}", shapes=[xs])
    return xs, k, s, p, d, od


def _planes(x, xs):
    """``(N, C, D, H, W)`` as a batch of ``(N, C * D, H, W)`` images."""
    return reshape(x, shape=(-1, xs[1] * xs[2], xs[3], xs[4]))


def _volumes(y, xs):
    """Pooled planes ``(N, C * D, OH, OW)`` back as ``(N, C, D, OH, OW)``."""
    oh, ow = shape_of(y)[2:]
    return reshape(y, shape=(-1, xs[1], xs[2], oh, ow))


@composite(torch_name="MaxPool3DWithIndicesBackward0")
def max_pool3d(x, kernel_size, stride=None, padding=0, dilation=1):
    """Max over each (dilated) box window of an NCDHW input, padding with -inf.

    ``kernel_size``, ``stride`` (default: the kernel size), ``padding`` and ``dilation`` are
    ints or (depth, height, width) triples.
    """
    xs, k, s, p, d, od = _params("max_pool3d", x, kernel_size, stride, padding, dilation)
    planes = max_pool2d_core(_planes(x, xs), kernel_size=k[1:], stride=s[1:], padding=p[1:],
                             dilation=d[1:])
    best = None
    for view in depth_taps(pad_depth(_volumes(planes, xs), p[0], float("-inf")), k[0], s[0],
                           d[0], od):
        if best is None:
            best = view
            continue
        # Strictly greater keeps the first maximum; a NaN takes the place, as PyTorch's.
        best = where(bitwise_or(gt(view, best), ne(view, view)), view, best)
    return best


@composite(torch_name="AvgPool3DBackward0")
def avg_pool3d(x, kernel_size, stride=None, padding=0, count_include_pad: bool = True,
               divisor_override: int | None = None, ceil_mode: bool = False):
    """Mean over each box window of an NCDHW input; zero padding counts in the mean unless
    ``count_include_pad=False``; ``divisor_override`` replaces the window size; ``ceil_mode``
    keeps a last, partial window (its divisor stops at the far padding, as PyTorch's)."""
    xs, k, s, p, _, od = _params("avg_pool3d", x, kernel_size, stride, padding,
                                 ceil_mode=ceil_mode)
    if divisor_override is not None and int(divisor_override) == 0:
        raise OpValueError("avg_pool3d", "divisor must be not zero")
    plane = dict(kernel_size=k[1:], stride=s[1:], padding=p[1:])
    if ceil_mode:
        plane["ceil_mode"] = True
    if divisor_override is not None:
        plane["divisor_override"] = 1  # plane sums: the one division comes last
    planes = avg_pool2d_core(_planes(x, xs), count_include_pad=bool(count_include_pad), **plane)
    extra = ceil_extra(xs[2], k[0], s[0], p[0]) if ceil_mode else 0
    vols = _volumes(planes, xs)
    if p[0] or extra:
        vols = pad(vols, pad_width=((0, 0), (0, 0), (p[0], p[0] + extra), (0, 0), (0, 0)))
    total = None
    for view in depth_taps(vols, k[0], s[0], 1, od):
        total = view if total is None else add(total, view)
    if divisor_override is not None:
        return div(total, float(divisor_override))
    # The divisor is separable: the planes divided by their counts, the depth by its own.
    counts = window_counts(xs[2], od, k[0], s[0], p[0], ceil_mode, bool(count_include_pad))
    if (counts == k[0]).all():
        return div(total, float(k[0]))
    return div(total, counts.astype(aval_of(x).dtype).reshape(od, 1, 1))


def adaptive_matrix(n: int, out: int, dtype) -> np.ndarray:
    """``(out, n)``: row ``i`` averages PyTorch's adaptive window ``i`` of a length ``n``.

        >>> adaptive_matrix(3, 2, np.float64).tolist()
        [[0.5, 0.5, 0.0], [0.0, 0.5, 0.5]]
    """
    m = np.zeros((out, n), dtype=dtype)
    for i in range(out):
        lo, hi = _window(i, n, out)
        m[i, lo:hi] = 1.0 / (hi - lo)
    return m


def _adaptive_sizes(op: str, x, output_size) -> tuple:
    """The input's shape and the output's (D, H, W): ``None`` keeps a size."""
    xs = shape_of(x)
    if len(xs) != 5 or None in xs[2:]:
        raise ShapeError(op, f"expected a 5-d input (N, C, D, H, W) with known D, H, W, got "
                         f"shape {describe_shapes(xs)}", shapes=[xs])
    sizes = (output_size,) * 3 if isinstance(output_size, int) else tuple(output_size)
    if len(sizes) != 3:
        raise OpValueError(op, f"output_size must be an int or a triple, got {output_size!r}")
    sizes = tuple(n if o is None else int(o) for o, n in zip(sizes, xs[2:], strict=True))
    if min(sizes) < 1:
        raise OpValueError(op, f"output_size must be positive, got {output_size!r}")
    return xs, sizes


def _window(i: int, n: int, out: int) -> tuple[int, int]:
    """PyTorch's adaptive window ``i`` of ``out`` over a length ``n``."""
    return (i * n) // out, -(-((i + 1) * n) // out)


@composite(torch_name="AdaptiveMaxPool3DBackward0")
def adaptive_max_pool3d(x, output_size):
    """Max over PyTorch's adaptive windows of an NCDHW input to ``output_size``; the first
    maximum in (depth, height, width) order gets the gradient, as PyTorch's (each axis keeps
    its first maximum, W first, then H, then D)."""
    xs, sizes = _adaptive_sizes("adaptive_max_pool3d", x, output_size)
    y = x
    for axis in (4, 3, 2):
        lead = (slice(None),) * axis
        cells = []
        for i in range(sizes[axis - 2]):
            lo, hi = _window(i, xs[axis], sizes[axis - 2])
            best = None
            for j in range(lo, hi):
                view = getitem(y, lead + (slice(j, j + 1),))
                best = view if best is None else \
                    where(bitwise_or(gt(view, best), ne(view, view)), view, best)
            cells.append(best)
        y = concat(cells, axis=axis) if len(cells) > 1 else cells[0]
    return y


@composite(torch_name="AdaptiveAvgPool3DBackward0")
def adaptive_avg_pool3d(x, output_size):
    """Average over PyTorch's adaptive windows of an NCDHW input to ``output_size`` (an int
    or a triple; ``None`` keeps that dim's size)."""
    xs, sizes = _adaptive_sizes("adaptive_avg_pool3d", x, output_size)
    dtype = aval_of(x).dtype
    y = x
    # Contract W, then H, then D as the last axis, swapping each next one into place.
    for axis, swap in ((4, (0, 1, 2, 4, 3)), (3, (0, 1, 4, 3, 2)), (2, (0, 1, 4, 2, 3))):
        y = matmul(y, adaptive_matrix(xs[axis], sizes[axis - 2], dtype).T)
        y = transpose(y, axes=swap)
    return y  # the swaps leave (N, C, OD, OH, OW)


__all__ = ["max_pool3d", "avg_pool3d", "adaptive_avg_pool3d", "adaptive_max_pool3d"]
