"""2-d max and average pooling over NCHW inputs, as ``torch.nn.functional``, with gradients.

The public ``max_pool2d`` / ``avg_pool2d`` are composites that turn int attrs into canonical
pairs (and ``stride=None`` into the kernel size) and call the primitives:

* ``max_pool2d_core(x)`` -> y; its gradient ``max_pool2d_grad(g, x)`` routes each output's
  gradient to the first maximum of its window (PyTorch picks the same element on ties), and
  ``max_pool2d_select(c, x)`` is the adjoint of that routing (so double backward works);
* ``avg_pool2d_core(x)`` -> y; ``avg_pool2d_grad(g, like=x)`` is its transpose. Both are
  linear, each is the other's VJP.

Windows are strided views of the padded input (see ``conv.windows``), never a loop over pixels.
"""

from __future__ import annotations

import numpy as np

from ..aval import Aval
from ..errors import OpValueError, ShapeError, describe_shapes
from ..registry import composite, primitive
from ._rules import require_float, shape_of, shapes_agree, target_shape
from .conv import as_pair, pad_hw, taps
from .pool_windows import ceil_extra, pool_out_size, window_counts


def _pool_rule(name: str, x: Aval, kernel_size, stride, padding, dilation=(1, 1),
               ceil_mode=False) -> Aval:
    if len(x.shape) != 4:
        raise ShapeError(name, f"expected a 4-d input (N, C, H, W), got shape "
                         f"{describe_shapes(x.shape)}", shapes=[x.shape])
    require_float(name, x)
    if any(2 * p > k for p, k in zip(padding, kernel_size, strict=True)):
        raise OpValueError(name, f"padding {padding} must be at most half the kernel size "
                           f"{kernel_size}")
    out_hw = _out_hw(x.shape, kernel_size, stride, padding, dilation, ceil_mode)
    if any(n is not None and n < 1 for n in out_hw):
        raise ShapeError(name, f"input {describe_shapes(x.shape)} (padded by {padding}) is "
                         f"smaller than the kernel {kernel_size}", shapes=[x.shape])
    return Aval((*x.shape[:2], *out_hw), x.dtype)


def _out_hw(x_shape, kernel_size, stride, padding, dilation=(1, 1), ceil_mode=False):
    return tuple(pool_out_size(x_shape[2 + i], kernel_size[i], stride[i], padding[i],
                               dilation[i], ceil_mode) for i in (0, 1))


def _like_args(x) -> tuple[tuple, dict]:
    """The ``like`` convention: a known shape goes in as an attr, else ``x`` as an input."""
    xs = shape_of(x)
    return ((), {"shape": xs}) if None not in xs else ((x,), {})


# --- max pooling -----------------------------------------------------------------------------
def _first_max_taps(xp: np.ndarray, kernel_size, stride, dilation, out_hw) -> np.ndarray:
    """The tap (``i * KW + j``) of each window's first maximum, shape (N, C, OH, OW).

    Strictly greater keeps the first maximum, as PyTorch; a NaN wins, and as in PyTorch's CPU
    kernel (``val > maxval || isnan(val)``) a later NaN wins over an earlier one, so a window
    holding NaNs points at its last NaN (fixed up after the loop, only when there is one).
    """
    views = [view for _, _, view in taps(xp, kernel_size, stride, dilation, out_hw)]
    best = views[0].copy()
    kind = np.min_scalar_type(len(views) - 1)
    tap, step = np.zeros(best.shape, dtype=kind), np.empty(best.shape, dtype=kind)
    better = np.empty(best.shape, dtype=bool)
    for t in range(1, len(views)):
        np.greater(views[t], best, out=better)
        # NOTE: taps only grow, so "tap = t where better" is max(tap, better * t): two
        # arithmetic passes instead of a masked write (docs/PERFORMANCE.md).
        np.multiply(better, kind.type(t), out=step)
        np.maximum(tap, step, out=tap)
        np.maximum(best, views[t], out=best)  # NaN propagates into best: detected below
    if np.isnan(best).any():
        for t in range(len(views)):  # in order, so the last NaN is written last
            np.copyto(tap, t, where=np.isnan(views[t]))
    return tap


def _routed(values: np.ndarray, hit: np.ndarray, finite: bool) -> np.ndarray:
    """``values`` where ``hit``, else exactly 0 (a product would turn inf * 0 into NaN)."""
    return values * hit if finite else np.where(hit, values, 0)


def _overlapping(kernel_size, stride, dilation) -> bool:
    """Do two windows share an input element? (Then gradients add instead of being placed.)"""
    return any(s < (k - 1) * d + 1 for k, s, d in zip(kernel_size, stride, dilation, strict=True))


def _max_kernel(x, kernel_size, stride, padding, dilation):
    # NOTE: reducing over taps one view at a time (9 vectorized ops for 3x3) measured 2-3x faster
    # than ``.max(axis=(-2, -1))`` over the 6-d window view, whose tiny innermost axes defeat
    # NumPy's reduction loops (32x16x32x32, k=2: ~6 ms vs ~18 ms).
    # The rule first: a too-large padding would not fail here, it would return -inf windows.
    out_hw = _pool_rule("max_pool2d", Aval(x.shape, x.dtype), kernel_size, stride, padding,
                        dilation).shape[2:]
    out = None
    for _, _, view in taps(pad_hw(x, padding, value=-np.inf), kernel_size, stride, dilation,
                           out_hw):
        out = view.copy() if out is None else np.maximum(out, view, out=out)
    return out


def _max_rule(x: Aval, **params) -> Aval:
    return _pool_rule("max_pool2d", x, **params)


def _max_vjp(g, inputs, out, **params):
    (x,) = inputs
    return (max_pool2d_grad(g, x, **params),)


max_pool2d_core = primitive("max_pool2d_core", _max_kernel, _max_rule, _max_vjp)


def _max_grad_kernel(g, x, kernel_size, stride, padding, dilation):
    out_hw = g.shape[2:]
    tap = _first_max_taps(pad_hw(x, padding, value=-np.inf), kernel_size, stride, dilation,
                          out_hw)
    (ph, pw), (h, w) = padding, x.shape[2:]
    dxp = np.zeros((*x.shape[:2], h + 2 * ph, w + 2 * pw), dtype=g.dtype)
    place = not _overlapping(kernel_size, stride, dilation)
    finite = bool(np.isfinite(g).all())
    # One pass per kernel tap, never over pixels, and no np.add.at: within one tap the strided
    # view's elements are distinct, so ``+=`` is exact; without overlap a write suffices.
    for t, (_, _, view) in enumerate(taps(dxp, kernel_size, stride, dilation, out_hw)):
        if place and finite:
            np.multiply(g, tap == t, out=view)
        else:
            view += _routed(g, tap == t, finite)
    return dxp[:, :, ph:ph + h, pw:pw + w]


def _max_grad_rule(g: Aval, x: Aval, **params) -> Aval:
    _check_grad("max_pool2d_grad", g, _pool_rule("max_pool2d", x, **params))
    return Aval(x.shape, g.dtype)


def _check_grad(op: str, g: Aval, expected: Aval) -> None:
    if not shapes_agree(g.shape, expected.shape):
        raise ShapeError(op, f"gradient of shape {describe_shapes(g.shape)} does not match the "
                         f"pooled output {describe_shapes(expected.shape)}",
                         shapes=[g.shape, expected.shape])


def _max_grad_vjp(c, inputs, out, **params):
    g, x = inputs
    return max_pool2d_select(c, x, **params), None


max_pool2d_grad = primitive("max_pool2d_grad", _max_grad_kernel, _max_grad_rule, _max_grad_vjp,
                            nondiff_inputs=(1,))


def _select_kernel(c, x, kernel_size, stride, padding, dilation):
    out_hw = _out_hw(x.shape, kernel_size, stride, padding, dilation)
    tap = _first_max_taps(pad_hw(x, padding, value=-np.inf), kernel_size, stride, dilation,
                          out_hw)
    out = np.zeros(tap.shape, dtype=c.dtype)
    finite = bool(np.isfinite(c).all())
    for t, (_, _, view) in enumerate(taps(pad_hw(c, padding), kernel_size, stride, dilation,
                                          out_hw)):
        out += _routed(view, tap == t, finite)
    return out


def _select_rule(c: Aval, x: Aval, **params) -> Aval:
    if tuple(c.shape) != tuple(x.shape) and None not in c.shape + x.shape:
        raise ShapeError("max_pool2d_select", f"shapes {describe_shapes(c.shape, x.shape)} "
                         "differ", shapes=[c.shape, x.shape])
    return Aval(_pool_rule("max_pool2d", x, **params).shape, c.dtype)


def _select_vjp(g, inputs, out, **params):
    c, x = inputs
    return max_pool2d_grad(g, x, **params), None


max_pool2d_select = primitive("max_pool2d_select", _select_kernel, _select_rule, _select_vjp,
                              nondiff_inputs=(1,))


# --- average pooling -------------------------------------------------------------------------
# ``ceil_mode`` and ``divisor_override`` are attrs only when set (older graphs keep theirs).
def _divisor(x_shape, kernel_size, stride, padding, count_include_pad, ceil_mode=False,
             divisor_override=None):
    """What each window's sum is divided by: a number, or an (OH, OW) grid when windows
    differ (padding left out of the count, or ceil mode's clipped last windows)."""
    if divisor_override is not None:
        return float(divisor_override)
    if not ceil_mode and (count_include_pad or padding == (0, 0)):
        return float(kernel_size[0] * kernel_size[1])
    oh_ow = _out_hw(x_shape, kernel_size, stride, padding, ceil_mode=ceil_mode)
    counts = [window_counts(x_shape[2 + i], oh_ow[i], kernel_size[i], stride[i], padding[i],
                           ceil_mode, count_include_pad) for i in (0, 1)]
    return np.multiply.outer(*counts).astype(np.float64)


def _padded(x: np.ndarray, padding, extra) -> np.ndarray:
    """``x`` zero-padded by ``padding`` on both sides of H and W, and ``extra`` more at the end."""
    if extra == (0, 0):
        return pad_hw(x, padding)
    return np.pad(x, ((0, 0), (0, 0), (padding[0], padding[0] + extra[0]),
                      (padding[1], padding[1] + extra[1])))


def _extra(hw, kernel_size, stride, padding, ceil_mode) -> tuple:
    if not ceil_mode:
        return (0, 0)
    return tuple(ceil_extra(hw[i], kernel_size[i], stride[i], padding[i]) for i in (0, 1))


def _avg_kernel(x, kernel_size, stride, padding, count_include_pad, ceil_mode=False,
                divisor_override=None):
    out_hw = _avg_rule(Aval(x.shape, x.dtype), kernel_size, stride, padding, count_include_pad,
                       ceil_mode, divisor_override).shape[2:]  # checks first, as _max_kernel
    xp = _padded(x, padding, _extra(x.shape[2:], kernel_size, stride, padding, ceil_mode))
    total = None
    for _, _, view in taps(xp, kernel_size, stride, (1, 1), out_hw):
        total = view.copy() if total is None else np.add(total, view, out=total)
    return (total / _divisor(x.shape, kernel_size, stride, padding, count_include_pad,
                             ceil_mode, divisor_override)).astype(x.dtype, copy=False)


def _avg_rule(x: Aval, kernel_size, stride, padding, count_include_pad, ceil_mode=False,
              divisor_override=None) -> Aval:
    if divisor_override is not None and int(divisor_override) == 0:
        raise OpValueError("avg_pool2d", "divisor must be not zero")
    return _pool_rule("avg_pool2d", x, kernel_size, stride, padding, ceil_mode=ceil_mode)


def _avg_vjp(g, inputs, out, **params):
    (x,) = inputs
    like, shape = _like_args(x)
    return (avg_pool2d_grad(g, *like, **shape, **params),)


avg_pool2d_core = primitive("avg_pool2d_core", _avg_kernel, _avg_rule, _avg_vjp)


def _avg_grad_kernel(g, *like, shape=None, kernel_size, stride, padding, count_include_pad,
                     ceil_mode=False, divisor_override=None):
    n, c, h, w = target_shape(like, shape)
    (ph, pw), (eh, ew) = padding, _extra((h, w), kernel_size, stride, padding, ceil_mode)
    share = g / _divisor((n, c, h, w), kernel_size, stride, padding, count_include_pad,
                         ceil_mode, divisor_override)
    dxp = np.zeros((n, c, h + 2 * ph + eh, w + 2 * pw + ew), dtype=g.dtype)
    for _, _, view in taps(dxp, kernel_size, stride, (1, 1), g.shape[2:]):
        view += share  # a loop over kernel taps, never over pixels
    return dxp[:, :, ph:ph + h, pw:pw + w]


def _avg_grad_rule(g: Aval, *like: Aval, shape=None, **params) -> Aval:
    shape = target_shape(like, shape)
    _check_grad("avg_pool2d_grad", g, _avg_rule(Aval(tuple(shape), g.dtype), **params))
    return Aval(tuple(shape), g.dtype)


def _avg_grad_vjp(c, inputs, out, shape=None, **params):
    return (avg_pool2d_core(c, **params),) + (None,) * (len(inputs) - 1)


avg_pool2d_grad = primitive("avg_pool2d_grad", _avg_grad_kernel, _avg_grad_rule, _avg_grad_vjp,
                            nondiff_inputs=(1,))


# --- public composites -----------------------------------------------------------------------
def _pool_params(name, kernel_size, stride, padding) -> dict:
    k = as_pair(name, "kernel_size", kernel_size, minimum=1)
    s = k if stride is None else as_pair(name, "stride", stride, minimum=1)
    return dict(kernel_size=k, stride=s, padding=as_pair(name, "padding", padding, minimum=0))


@composite(torch_name="MaxPool2DWithIndicesBackward0")
def max_pool2d(x, kernel_size, stride=None, padding=0, dilation=1):
    """Max over each (dilated) window of an NCHW input, padding with -inf, as PyTorch.

        >>> import numpy as np
        >>> max_pool2d(np.arange(16.0).reshape(1, 1, 4, 4), 2).tolist()
        [[[[5.0, 7.0], [13.0, 15.0]]]]
    """
    params = _pool_params("max_pool2d", kernel_size, stride, padding)
    return max_pool2d_core(x, dilation=as_pair("max_pool2d", "dilation", dilation, minimum=1),
                           **params)


@composite(torch_name="AvgPool2DBackward0")
def avg_pool2d(x, kernel_size, stride=None, padding=0, count_include_pad: bool = True,
               ceil_mode: bool = False, divisor_override: int | None = None):
    """Mean over each window of an NCHW input; zero padding counts in the mean unless
    ``count_include_pad=False`` (PyTorch's default is True). ``ceil_mode`` keeps a last,
    partial window (its divisor stops at the far padding, as PyTorch's);
    ``divisor_override`` divides every window's sum by that number instead.

        >>> import numpy as np
        >>> avg_pool2d(np.arange(16.0).reshape(1, 1, 4, 4), 2).tolist()
        [[[[2.5, 4.5], [10.5, 12.5]]]]
    """
    params = _pool_params("avg_pool2d", kernel_size, stride, padding)
    if ceil_mode:
        params["ceil_mode"] = True
    if divisor_override is not None:
        params["divisor_override"] = int(divisor_override)
    return avg_pool2d_core(x, count_include_pad=bool(count_include_pad), **params)


__all__ = ["max_pool2d", "avg_pool2d", "max_pool2d_core", "max_pool2d_grad", "max_pool2d_select",
           "avg_pool2d_core", "avg_pool2d_grad"]
