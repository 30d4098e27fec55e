"""2-d convolution (NCHW input, OIHW weight, as PyTorch) and its two gradient primitives.

``conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups=1)`` is a composite: it
turns int attrs into pairs (so attrs are canonical and hashable) and adds the bias to the
output of the primitive ``conv2d_core``. The kernel is im2col: the padded input's strided
view for each kernel tap, copied once into ``(N, groups, KH*KW*C/groups, OH*OW)`` matrices
and multiplied by the weight in one batched ``matmul`` covering every group, so there is no
Python loop over pixels or the batch (only over the KH*KW taps, to copy and to add back).
A 3x3, stride-1 convolution large enough to pay back (``winograd.winograd_applies``) takes
Winograd F(4x4, 3x3) instead: ``winograd.conv_forward``, and as its gradient the adjoint
program of ``conv_winograd.py``.

The gradient rules close over three primitives, so any order of differentiation works:

* ``conv2d_core(x, w)``                -> y
* ``conv2d_input_grad(g, w, like=x)``  -> dx  (the transposed convolution)
* ``conv2d_weight_grad(x, g, like=w)`` -> dw

Each is bilinear in its two inputs, and the adjoint of each is one of the others (see the VJPs).
"""

from __future__ import annotations

import numpy as np

from ..aval import Aval, aval_of
from ..errors import OpValueError, ShapeError, describe_shapes
from ..registry import composite, primitive
from ._rules import require_float, shape_of, shapes_agree, target_shape
from .conv_winograd import winograd_conv2d, winograd_conv_vjp
from .elementwise import add
from .shape import expand_dims
from .winograd import conv_forward, winograd_applies


# --- attribute helpers (shared with pool.py) -------------------------------------------------
def as_pair(op: str, name: str, value, *, minimum: int) -> tuple[int, int]:
    """``3`` -> ``(3, 3)``; a pair stays a pair; raises OpValueError below ``minimum``."""
    pair = (value, value) if isinstance(value, int | np.integer) else tuple(value)
    if len(pair) != 2 or not all(isinstance(v, int | np.integer) for v in pair):
        raise OpValueError(op, f"{name} must be an int or a pair of ints, got {value!r}")
    if min(pair) < minimum:
        raise OpValueError(op, f"{name} must be >= {minimum}, got {value!r}")
    return int(pair[0]), int(pair[1])


def out_size(size: int | None, k: int, s: int, p: int, d: int) -> int | None:
    """Output length of a sliding window (PyTorch's formula, floor mode)."""
    if size is None:
        return None
    return (size + 2 * p - d * (k - 1) - 1) // s + 1


def windows(xp: np.ndarray, k, s, d, out_hw) -> np.ndarray:
    """A no-copy view ``(N, C, OH, OW, KH, KW)`` of the windows of an already padded input."""
    span = ((k[0] - 1) * d[0] + 1, (k[1] - 1) * d[1] + 1)
    view = np.lib.stride_tricks.sliding_window_view(xp, span, axis=(2, 3))
    view = view[:, :, ::s[0], ::s[1], ::d[0], ::d[1]]
    return view[:, :, :out_hw[0], :out_hw[1]]


def pad_hw(x: np.ndarray, p, value=0.0) -> np.ndarray:
    """``x`` padded by ``p = (ph, pw)`` on both sides of H and W with ``value``."""
    if p == (0, 0):
        return x
    return np.pad(x, ((0, 0), (0, 0), (p[0], p[0]), (p[1], p[1])), constant_values=value)


# --- conv2d_core ---------------------------------------------------------------------------
def taps(xp: np.ndarray, k, s, d, out_hw):
    """Yield ``(i, j, view)``: for each kernel tap, the (N, C, OH, OW) strided view of the padded
    input that tap reads at every output position (a loop over taps, never over pixels)."""
    for i in range(k[0]):
        for j in range(k[1]):
            yield i, j, xp[:, :, i * d[0]:i * d[0] + s[0] * (out_hw[0] - 1) + 1:s[0],
                           j * d[1]:j * d[1] + s[1] * (out_hw[1] - 1) + 1:s[1]]


def im2col(x, k, stride, padding, dilation, groups, out_hw) -> np.ndarray:
    """The input windows as matrices ``(N, groups, KH * KW * C/groups, OH * OW)``: one copy.

    NOTE: rows are tap-major (kernel tap, then channel), output pixels last. Each tap's rows are
    one contiguous slab, filled by one strided copy per tap and, in the input gradient, added
    back with one ``+=`` per tap, faster than the channel-major order; output pixels last keeps
    each copied run contiguous in the input (measured: docs/PERFORMANCE.md).
    """
    n, c = x.shape[:2]
    cols = np.empty((n, groups, k[0], k[1], c // groups, *out_hw), dtype=x.dtype)
    for i, j, view in taps(pad_hw(x, padding), k, stride, dilation, out_hw):
        cols[:, :, i, j] = view.reshape(n, groups, c // groups, *out_hw)
    return cols.reshape(n, groups, k[0] * k[1] * (c // groups), out_hw[0] * out_hw[1])


def weight_matrix(w: np.ndarray, groups: int) -> np.ndarray:
    """The OIHW weight as ``(groups, O/groups, KH * KW * C/groups)``, in ``im2col``'s row order."""
    o, cg, kh, kw = w.shape
    return w.reshape(groups, o // groups, cg, kh, kw).transpose(0, 1, 3, 4, 2) \
        .reshape(groups, o // groups, kh * kw * cg)


def _conv_kernel(x, w, stride, padding, dilation, groups):
    k = w.shape[2:]
    oh, ow = (out_size(x.shape[2 + i], k[i], stride[i], padding[i], dilation[i]) for i in (0, 1))
    if min(oh, ow) < 1:  # the rule names the problem; the copies below would not fail
        _conv_rule(Aval(x.shape, x.dtype), Aval(w.shape, w.dtype), stride, padding, dilation,
                   groups)
    if winograd_applies(x.shape, w.shape, x.dtype, stride, padding, dilation, groups):
        return conv_forward(x, w, padding)  # 4x fewer multiplications (docs/PERFORMANCE.md)
    cols = im2col(x, k, stride, padding, dilation, groups, (oh, ow))
    # (G, O/G, KKC/G) @ (N, G, KKC/G, L) -> (N, G, O/G, L): every group in one batched matmul.
    out = np.matmul(weight_matrix(w, groups), cols)
    return out.reshape(x.shape[0], w.shape[0], oh, ow)


def _conv_rule(x: Aval, w: Aval, stride, padding, dilation, groups) -> Aval:
    """Check NCHW input against OIHW weight; the output is ``(N, O, OH, OW)``."""
    if len(x.shape) != 4 or len(w.shape) != 4:
        raise ShapeError("conv2d", f"expected a 4-d input (N, C, H, W) and a 4-d weight "
                         f"(O, C/groups, KH, KW), got shapes "
                         f"{describe_shapes(x.shape, w.shape)}", shapes=[x.shape, w.shape])
    require_float("conv2d", x, w)
    if groups < 1:
        raise OpValueError("conv2d", f"groups must be >= 1, got {groups}")
    (n, c, h, wd), (o, cw, kh, kw) = x.shape, w.shape
    if c is not None and cw is not None and c != cw * groups:
        raise ShapeError("conv2d", f"input has {c} channels but weight expects {cw} x groups="
                         f"{groups} = {cw * groups}: shapes {describe_shapes(x.shape, w.shape)}",
                         shapes=[x.shape, w.shape])
    for what, count in (("input channels", c), ("output channels", o)):
        if count is not None and count % groups:
            raise ShapeError("conv2d", f"{what} ({count}) must be divisible by groups="
                             f"{groups}: shapes {describe_shapes(x.shape, w.shape)}",
                             shapes=[x.shape, w.shape])
    out_hw = []
    for i, size in enumerate((h, wd)):
        k = (kh, kw)[i]
        n_out = out_size(size, k, stride[i], padding[i], dilation[i]) if k is not None else None
        if n_out is not None and n_out < 1:
            raise ShapeError("conv2d", f"input {describe_shapes(x.shape)} (padded by "
                             f"{padding}) is smaller than the dilated kernel "
                             f"{describe_shapes(w.shape)} (dilation {dilation})",
                             shapes=[x.shape, w.shape])
        out_hw.append(n_out)
    return Aval((n, o, *out_hw), x.dtype)


def _like_or_shape(value) -> dict:
    """The ``like`` convention: pass a known shape as an attr, else the value itself."""
    shape = shape_of(value)
    return {"shape": shape} if None not in shape else {"like": value}


def _grad_call(op, a, b, like_value, params):
    spec = _like_or_shape(like_value)
    if "like" in spec:
        return op(a, b, spec["like"], **params)
    return op(a, b, shape=spec["shape"], **params)


def _conv_vjp(g, inputs, out, needs=(True, True), **params):
    x, w = inputs
    if winograd_applies(shape_of(x), shape_of(w), aval_of(g).dtype, **params):
        # The adjoint of the Winograd forward: A dY A^T computed once for both gradients.
        return winograd_conv_vjp(g, x, w, params["padding"], needs)
    # A gradient nobody asked for (the data batch's, in every training step) is not computed.
    return (_grad_call(conv2d_input_grad, g, w, x, params) if needs[0] else None,
            _grad_call(conv2d_weight_grad, x, g, w, params) if needs[1] else None)


conv2d_core = primitive("conv2d_core", _conv_kernel, _conv_rule, _conv_vjp,
                        promote=True, floating=True)


# --- conv2d_input_grad: dx = the transposed convolution of g with w --------------------------
def _input_grad_kernel(g, w, *like, shape=None, stride, padding, dilation, groups):
    n, c, h, wd = target_shape(like, shape)
    o, cg, kh, kw = w.shape
    oh, ow = g.shape[2:]
    # The transpose of the forward matmul: (G, KKC/G, O/G) @ (N, G, O/G, L) -> (N, G, KKC/G, L),
    # i.e. cols[n, g, i, j, c, oh, ow], what each output position sends back to tap (i, j).
    cols = np.matmul(weight_matrix(w, groups).transpose(0, 2, 1),
                     g.reshape(n, groups, o // groups, oh * ow))
    cols = cols.reshape(n, groups, kh, kw, cg, oh, ow)
    (ph, pw) = padding
    dxp = np.zeros((n, c, h + 2 * ph, wd + 2 * pw), dtype=cols.dtype)
    for i, j, view in taps(dxp, (kh, kw), stride, dilation, (oh, ow)):
        view += cols[:, :, i, j].reshape(n, c, oh, ow)  # taps' views never alias themselves
    return dxp[:, :, ph:ph + h, pw:pw + wd]


def _input_grad_rule(g: Aval, w: Aval, *like: Aval, shape=None, **params) -> Aval:
    shape = target_shape(like, shape)
    expected = _conv_rule(Aval(tuple(shape), g.dtype), w, **params)
    _check_grad_shape("conv2d_input_grad", g.shape, expected.shape)
    return Aval(tuple(shape), g.dtype)


def _check_grad_shape(op: str, got, expected) -> None:
    if not shapes_agree(got, expected):
        raise ShapeError(op, f"gradient of shape {describe_shapes(got)} does not match the "
                         f"convolution output {describe_shapes(expected)}",
                         shapes=[got, expected])


def _input_grad_vjp(c, inputs, out, shape=None, **params):
    g, w = inputs[:2]
    # <c, input_grad(g, w)> = <conv(c, w), g>: differentiate that bilinear form.
    return (conv2d_core(c, w, **params), _grad_call(conv2d_weight_grad, c, g, w, params)) + \
        (None,) * (len(inputs) - 2)


conv2d_input_grad = primitive("conv2d_input_grad", _input_grad_kernel, _input_grad_rule,
                              _input_grad_vjp, nondiff_inputs=(2,), promote=(0, 1))


# --- conv2d_weight_grad: dw = correlation of the input windows with g ------------------------
def _weight_grad_kernel(x, g, *like, shape=None, stride, padding, dilation, groups):
    o, cg, kh, kw = target_shape(like, shape)
    n = g.shape[0]
    cols = im2col(x, (kh, kw), stride, padding, dilation, groups, g.shape[2:])
    # Per sample and group (O/G, L) @ (L, KKC/G), BLAS reading the windows transposed, then a
    # sum over the batch. NOTE: folding N into one long contraction instead needs two copies
    # and measured 5-25x slower here (OpenBLAS splits a 32768-long K badly across threads).
    g4 = g.reshape(n, groups, o // groups, g.shape[2] * g.shape[3])  # no -1: N may be 0
    dw = np.matmul(g4, cols.transpose(0, 1, 3, 2)).sum(axis=0)  # (G, O/G, KH*KW*C/G)
    return dw.reshape(o, kh, kw, cg).transpose(0, 3, 1, 2).copy()


def _weight_grad_rule(x: Aval, g: Aval, *like: Aval, shape=None, **params) -> Aval:
    shape = target_shape(like, shape)
    expected = _conv_rule(x, Aval(tuple(shape), x.dtype), **params)
    _check_grad_shape("conv2d_weight_grad", g.shape, expected.shape)
    return Aval(tuple(shape), x.dtype)


def _weight_grad_vjp(c, inputs, out, shape=None, **params):
    x, g = inputs[:2]
    # <c, weight_grad(x, g)> = <conv(x, c), g> = <x, input_grad(g, c)>.
    return (_grad_call(conv2d_input_grad, g, c, x, params), conv2d_core(x, c, **params)) + \
        (None,) * (len(inputs) - 2)


conv2d_weight_grad = primitive("conv2d_weight_grad", _weight_grad_kernel, _weight_grad_rule,
                               _weight_grad_vjp, nondiff_inputs=(2,), promote=(0, 1))


# --- conv2d: the public composite ------------------------------------------------------------
def _conv2d_params(stride, padding, dilation, groups) -> dict:
    return dict(stride=as_pair("conv2d", "stride", stride, minimum=1),
                padding=as_pair("conv2d", "padding", padding, minimum=0),
                dilation=as_pair("conv2d", "dilation", dilation, minimum=1),
                groups=int(groups))


def _check_bias(bias, weight) -> None:
    bs = shape_of(bias)
    out_channels = shape_of(weight)[0]
    if len(bs) != 1 or (None not in (bs[0], out_channels) and bs[0] != out_channels):
        raise ShapeError("conv2d", f"bias of shape {describe_shapes(bs)} does not match "
                         f"{shape_of(weight)[0]} output channels (weight "
                         f"{describe_shapes(shape_of(weight))})", shapes=[bs, shape_of(weight)])


def _conv2d_immediate(x, weight, bias=None, stride=1, padding=0, dilation=1, groups: int = 1):
    """Eager values where Winograd applies: the forward as an op program, so the tape keeps
    the transformed input tiles for the weight gradient (conv2d_core's rule recomputes them)."""
    params = _conv2d_params(stride, padding, dilation, groups)
    dtype = np.result_type(aval_of(x).dtype, aval_of(weight).dtype,
                           *(() if bias is None else (aval_of(bias).dtype,)))
    if not winograd_applies(shape_of(x), shape_of(weight), dtype, **params):
        return NotImplemented
    _conv_rule(aval_of(x), aval_of(weight), **params)  # conv2d's own errors (channels...)
    if bias is not None:
        _check_bias(bias, weight)
    return winograd_conv2d(x, weight, bias, params["padding"], dtype)


@composite(torch_name="ConvolutionBackward0", immediate=_conv2d_immediate)
def conv2d(x, weight, bias=None, stride=1, padding=0, dilation=1, groups: int = 1):
    """2-d convolution over an NCHW input with an OIHW weight, as ``torch.nn.functional.conv2d``.

    ``stride``, ``padding`` and ``dilation`` are ints or (height, width) pairs; ``groups`` splits
    the channels into independent convolutions (``groups == C`` is depthwise).

        >>> import numpy as np
        >>> conv2d(np.ones((1, 1, 3, 3)), np.ones((1, 1, 2, 2))).tolist()
        [[[[4.0, 4.0], [4.0, 4.0]]]]
    """
    y = conv2d_core(x, weight, **_conv2d_params(stride, padding, dilation, groups))
    if bias is None:
        return y
    _check_bias(bias, weight)
    return add(y, expand_dims(bias, axis=(0, 2, 3)))  # (O,) -> (1, O, 1, 1)


__all__ = ["conv2d", "conv2d_core", "conv2d_input_grad", "conv2d_weight_grad"]
