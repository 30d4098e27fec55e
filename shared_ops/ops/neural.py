"""Neural-network ops: softmax, log_softmax, erf, gelu, linear, layer_norm, dropout.

Names, argument names, defaults and layouts follow ``torch.nn.functional`` (``linear``'s weight
is ``(out_features, in_features)``), except that the softmax axis is called ``axis`` as in the
rest of shared_ops. Most ops are composites of the elementwise/reduction primitives; the
primitives here are the ones NumPy cannot express with other ops: ``erf`` and the dropout
mask (seeded, so eager and static runs draw identical masks). The embedding lookup lives in
`embeddings`.

    >>> import numpy as np
    >>> softmax(np.array([0.0, np.log(3.0)])).round(3).tolist()
    [0.25, 0.75]
"""

from __future__ import annotations

import math

import numpy as np

from ..aval import Aval
from ..errors import DTypeError, OpIndexError, OpValueError, ShapeError, describe_shapes
from ..registry import composite, primitive
from ._rules import floating_unary, shape_of, shapes_agree
from .elementwise import add, div, mul, sub
from .elementwise_math import exp, sqrt, tanh
from .erf_kernel import erf_array
from .fused_eager import affine
from .fused_gelu_op import check_approximate, fused_gelu
from .fused_layer_norm_op import fused_layer_norm
from .linalg import matmul
from .reductions import logsumexp, mean
from .reductions import sum as reduce_sum
from .seeds import fresh_seed
from .shape import transpose
from .softmax_kernels import fused_log_softmax, fused_softmax, softmax_shift


# --- checks shared by the neural-op files (losses, conv, pool) -------------------------------
def check_indices(op: str, indices: np.ndarray, n: int, *, what: str, noun: str) -> None:
    """Raise OpIndexError naming the first index outside ``[0, n)``: NumPy would silently wrap
    negative ones around (and raise a message naming neither the op nor the user's line)."""
    bad = (indices < 0) | (indices >= n)
    if bad.any():
        first = int(indices[bad].flat[0])
        raise OpIndexError(op, f"{what} {first} is out of range for {n} {noun} "
                           f"(valid: 0 to {n - 1})")


def require_int(op: str, a: Aval, what: str) -> None:
    """Raise DTypeError unless ``a`` holds integers (class indices, embedding rows)."""
    if a.dtype.kind not in "iu":
        raise DTypeError(op, f"{what} must be integers, got {a.dtype}", shapes=[a.shape],
                         dtypes=[a.dtype])


# --- softmax, log_softmax: composites ----------------------------------------------------------
def _shift(x, axis: int):
    """``x - max(x)`` along ``axis``: every exp is then <= 1, and no logit is rounded to the
    scale of a larger one first (see `softmax_kernels`). The max is `softmax_shift`, with no
    gradient: both functions are the same of x shifted by any constant."""
    return sub(x, softmax_shift(x, axis=axis))


def _softmax_now(x, axis: int = -1):
    return fused_softmax(x, axis=axis)


@composite(immediate=_softmax_now)
def softmax(x, axis: int = -1):
    """``exp(x) / sum(exp(x))`` along ``axis``, computed as PyTorch does, shifted by the max:
    ``softmax([1e7, 1e7, 0])`` is ``[0.5, 0.5, 0]``. One `fused_softmax` kernel eagerly."""
    e = exp(_shift(x, axis))
    return div(e, reduce_sum(e, axis=axis, keepdims=True))


def _log_softmax_now(x, axis: int = -1):
    return fused_log_softmax(x, axis=axis)


@composite(immediate=_log_softmax_now)
def log_softmax(x, axis: int = -1):
    """``x - logsumexp(x)`` along ``axis``, computed as ``(x - max) - logsumexp(x - max)`` so
    that large logits keep their digits: finite even where softmax underflows to 0. One
    `fused_log_softmax` kernel eagerly.

        >>> log_softmax(np.array([0.0, 1000.0])).tolist()
        [-1000.0, 0.0]
    """
    s = _shift(x, axis)
    return sub(s, logsumexp(s, axis=axis, keepdims=True))


# --- erf: primitive ----------------------------------------------------------------------------
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


def _erf_vjp(g, inputs, out):
    (x,) = inputs
    return (mul(g, mul(exp(mul(mul(x, x), -1.0)), _TWO_OVER_SQRT_PI)),)


erf = primitive("erf", erf_array, floating_unary("erf"), _erf_vjp, elementwise=True,
                inplace_safe=True, floating=True)


# --- gelu: composite ---------------------------------------------------------------------------
_SQRT_HALF = math.sqrt(0.5)
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


def _gelu_now(x, approximate: str = "none"):
    """`gelu` on values at hand: one `fused_gelu` kernel (and one `gelu_grad` backward)."""
    check_approximate(approximate)
    return fused_gelu(x, approximate=approximate)


@composite(immediate=_gelu_now, torch_name="GeluBackward0")
def gelu(x, approximate: str = "none"):
    """Gaussian error linear unit ``x * Phi(x)``, as ``torch.nn.functional.gelu``.

    ``approximate="none"``: ``0.5 x (1 + erf(x / sqrt 2))`` (PyTorch's own formula);
    ``"tanh"``: ``0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))``. One `fused_gelu`
    kernel eagerly.
    """
    check_approximate(approximate)
    if approximate == "none":
        inner = erf(mul(x, _SQRT_HALF))
    else:
        inner = tanh(mul(add(x, mul(mul(mul(x, x), x), 0.044715)), _SQRT_2_OVER_PI))
    return mul(mul(x, 0.5), add(inner, 1.0))


# --- linear: composite -------------------------------------------------------------------------
def _linear_now(x, weight, bias=None):
    """`linear` on values at hand: one `affine` kernel (the decomposition without a bias)."""
    return NotImplemented if bias is None else affine(x, weight, bias)


@composite(immediate=_linear_now)
def linear(x, weight, bias=None):
    """``x @ weight.T + bias`` with PyTorch's weight layout ``(out_features, in_features)``.

        >>> linear(np.ones((2, 3)), np.ones((4, 3))).shape
        (2, 4)
    """
    ws, xs = shape_of(weight), shape_of(x)
    if len(ws) != 2 or not xs:
        raise ShapeError("linear", f"expected an input (..., in_features) and a 2-d weight "
                         f"(out_features, in_features), got shapes {describe_shapes(xs, ws)}",
                         shapes=[xs, ws])
    if None not in (xs[-1], ws[1]) and xs[-1] != ws[1]:
        raise ShapeError("linear", f"input of shape {describe_shapes(xs)} has {xs[-1]} features "
                         f"but weight {describe_shapes(ws)} expects {ws[1]} (weight layout: "
                         f"(out_features, in_features))", shapes=[xs, ws])
    y = matmul(x, transpose(weight))
    if bias is None:
        return y
    bs = shape_of(bias)
    if len(bs) > 1 or (bs and None not in (bs[0], ws[0]) and bs[0] != ws[0]):
        raise ShapeError("linear", f"bias of shape {describe_shapes(bs)} does not match "
                         f"{ws[0]} output features (weight {describe_shapes(ws)})",
                         shapes=[bs, ws])
    return add(y, bias)


# --- layer_norm: composite ---------------------------------------------------------------------
def _layer_norm_axes(x, normalized_shape, weight, bias) -> tuple[int, ...]:
    """Check `layer_norm`'s arguments; the normalized axes of ``x``."""
    norm = (int(normalized_shape),) if isinstance(normalized_shape, int | np.integer) \
        else tuple(int(d) for d in normalized_shape)
    xs = shape_of(x)
    tail = xs[len(xs) - len(norm):] if len(norm) <= len(xs) else None
    if tail is None or not shapes_agree(tail, norm):
        raise ShapeError("layer_norm", f"input of shape {describe_shapes(xs)} does not end "
                         f"with normalized_shape {describe_shapes(norm)}", shapes=[xs, norm])
    for name, p in (("weight", weight), ("bias", bias)):
        if p is not None and tuple(shape_of(p)) != norm:
            raise ShapeError("layer_norm", f"{name} of shape {describe_shapes(shape_of(p))} "
                             f"must have normalized_shape {describe_shapes(norm)}",
                             shapes=[shape_of(p), norm])
    return tuple(range(len(xs) - len(norm), len(xs)))


def _layer_norm_now(x, normalized_shape, weight=None, bias=None, eps: float = 1e-5):
    """`layer_norm` on values at hand with a weight and a bias: one `fused_layer_norm`."""
    if weight is None or bias is None:
        return NotImplemented
    _layer_norm_axes(x, normalized_shape, weight, bias)
    return fused_layer_norm(x, weight, bias, eps=eps)


@composite(immediate=_layer_norm_now, torch_name="NativeLayerNormBackward0")
def layer_norm(x, normalized_shape, weight=None, bias=None, eps: float = 1e-5):
    """Normalize over the trailing ``normalized_shape`` dims (biased variance, as PyTorch),
    then scale by ``weight`` and shift by ``bias`` (both of shape ``normalized_shape``).
    One `fused_layer_norm` kernel eagerly when both are given."""
    axes = _layer_norm_axes(x, normalized_shape, weight, bias)
    centered = sub(x, mean(x, axis=axes, keepdims=True))
    variance = mean(mul(centered, centered), axis=axes, keepdims=True)
    y = div(centered, sqrt(add(variance, eps)))
    if weight is not None:
        y = mul(y, weight)
    if bias is not None:
        y = add(y, bias)
    return y


# --- dropout_mask: primitive (no gradient) -----------------------------------------------------
def _mask_kernel(x, seed, p):
    keep = np.random.default_rng(int(seed)).random(x.shape) >= p
    scale = 0.0 if p >= 1.0 else 1.0 / (1.0 - p)
    return keep.astype(x.dtype) * x.dtype.type(scale)


def _mask_rule(x: Aval, seed: Aval, p) -> Aval:
    if seed.shape != () or seed.dtype.kind not in "iu":
        raise DTypeError("dropout_mask", f"seed must be a 0-d integer, got {seed}",
                         shapes=[seed.shape], dtypes=[seed.dtype])
    if x.dtype.kind != "f":
        raise DTypeError("dropout_mask", f"expected a floating-point input, got {x.dtype}",
                         shapes=[x.shape], dtypes=[x.dtype])
    return x


dropout_mask = primitive(
    "dropout_mask", _mask_kernel, _mask_rule, None, nondiff_inputs=(0, 1),
    differentiable_output=False,
    doc="Keep-mask of x's shape and dtype: 1/(1-p) with probability 1-p, else 0, drawn from "
        "``np.random.default_rng(seed)`` so every mode draws the same mask for one seed.")


# --- dropout: composite ------------------------------------------------------------------------
@composite
def dropout(x, seed=None, p: float = 0.5, training: bool = True):
    """Zero each element with probability ``p`` and scale the rest by ``1/(1-p)`` (PyTorch's
    inverted dropout). ``seed`` (an integer input) fixes the mask, so an eager run and a static
    graph fed the same seed drop the same elements. ``seed=None`` asks the mode of ``x`` for a
    fresh one (`fresh_seed`: a new mask per eager call, per static step). Identity when
    ``training`` is False (then no seed is drawn)."""
    p = float(p)
    if not 0.0 <= p <= 1.0:
        raise OpValueError("dropout", f"p must be in [0, 1], got {p}")
    if not training or p == 0.0:
        return x
    if seed is None:
        seed = fresh_seed(x)
    return mul(x, dropout_mask(x, seed, p=p))


__all__ = ["softmax", "log_softmax", "erf", "gelu", "linear", "layer_norm", "dropout_mask",
           "dropout"]
