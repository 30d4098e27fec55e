"""Neural-network ops: softmax, log_softmax, erf, gelu, linear, layer_norm, dropout, embedding.

Names, argument names, defaults and layouts follow ``torch.nn.functional`` (``linear``'s weight
is ``(out_features, in_features)``), except that the softmax axis is called ``axis`` as in the
rest of shared_ops. Most ops are composites of the elementwise/reduction primitives; the
primitives here are the ones NumPy cannot express with other ops: ``erf``, the dropout mask
(seeded, so eager and static runs draw identical masks) and the embedding gather with its
scatter-add gradient.

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
from ._rules import floating_unary, shape_of, target_shape
from .elementwise import add, cast, div, mul, sub
from .elementwise_logic import ne
from .elementwise_math import exp, sqrt, tanh
from .linalg import matmul
from .reductions import logsumexp, mean
from .shape import expand_dims, transpose


# --- checks shared by the neural-op files (losses, conv, pool) -------------------------------
def check_indices(op: str, indices: np.ndarray, n: int, *, what: str, noun: str) -> None:
    """Raise OpIndexError naming the first index outside ``[0, n)``: NumPy would silently wrap
    negative ones around (and raise a message naming neither the op nor the user's line)."""
    bad = (indices < 0) | (indices >= n)
    if bad.any():
        first = int(indices[bad].flat[0])
        raise OpIndexError(op, f"{what} {first} is out of range for {n} {noun} "
                           f"(valid: 0 to {n - 1})")


def shapes_agree(a: tuple, b: tuple) -> bool:
    """Same rank and equal dims wherever both are known (None matches anything)."""
    return len(a) == len(b) and all(x is None or y is None or x == y
                                    for x, y in zip(a, b, strict=True))


def require_int(op: str, a: Aval, what: str) -> None:
    """Raise DTypeError unless ``a`` holds integers (class indices, embedding rows)."""
    if a.dtype.kind not in "iu":
        raise DTypeError(op, f"{what} must be integers, got {a.dtype}", shapes=[a.shape],
                         dtypes=[a.dtype])


# --- softmax, log_softmax: composites ----------------------------------------------------------
@composite
def softmax(x, axis: int = -1):
    """``exp(x) / sum(exp(x))`` along ``axis``, computed as ``exp(x - logsumexp(x))`` so that
    large logits neither overflow nor lose precision."""
    return exp(sub(x, logsumexp(x, axis=axis, keepdims=True)))


@composite
def log_softmax(x, axis: int = -1):
    """``x - logsumexp(x)`` along ``axis``: finite even where softmax underflows to 0.

        >>> log_softmax(np.array([0.0, 1000.0])).tolist()
        [-1000.0, 0.0]
    """
    return sub(x, logsumexp(x, axis=axis, keepdims=True))


# --- erf: primitive ----------------------------------------------------------------------------
# NOTE: NumPy has no erf. We call the C library's erf (math.erf, within an ulp, the function
# PyTorch's CPU kernel calls too) through np.frompyfunc: exact and simple, ~0.2-0.3 s per
# million values. Vectorized polynomial alternatives built at import measured too little gain
# to be worth their code: one Chebyshev interpolant (degree 20-50, rel. error ~5e-14) was no
# faster, and 12 piecewise degree-14 fits (rel. error 4e-15) only 1.7x faster.
_erf_ufunc = np.frompyfunc(math.erf, 1, 1)


def _erf_kernel(x):
    # np.asarray: on a 0-d input the ufunc returns a bare Python float.
    return np.asarray(_erf_ufunc(x), dtype=x.dtype)


_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


def _erf_vjp(g, inputs, out):
    (x,) = inputs
    return (mul(g, mul(exp(mul(mul(x, x), -1.0)), _TWO_OVER_SQRT_PI)),)


erf = primitive("erf", _erf_kernel, floating_unary("erf"), _erf_vjp, elementwise=True,
                inplace_safe=True, floating=True)


# --- gelu: composite ---------------------------------------------------------------------------
_SQRT_HALF = math.sqrt(0.5)
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


@composite
def gelu(x, approximate: str = "none"):
    """Gaussian error linear unit ``x * Phi(x)``, as ``torch.nn.functional.gelu``.

    ``approximate="none"``: ``0.5 x (1 + erf(x / sqrt 2))`` (PyTorch's own formula);
    ``"tanh"``: ``0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))``.
    """
    if approximate == "none":
        inner = erf(mul(x, _SQRT_HALF))
    elif approximate == "tanh":
        inner = tanh(mul(add(x, mul(mul(mul(x, x), x), 0.044715)), _SQRT_2_OVER_PI))
    else:
        raise OpValueError("gelu", f"approximate must be 'none' or 'tanh', got {approximate!r}")
    return mul(mul(x, 0.5), add(inner, 1.0))


# --- linear: composite -------------------------------------------------------------------------
@composite
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
@composite
def layer_norm(x, normalized_shape, weight=None, bias=None, eps: float = 1e-5):
    """Normalize over the trailing ``normalized_shape`` dims (biased variance, as PyTorch),
    then scale by ``weight`` and shift by ``bias`` (both of shape ``normalized_shape``)."""
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
    axes = tuple(range(len(xs) - len(norm), len(xs)))
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
def dropout(x, seed, p: float = 0.5, training: bool = True):
    """Zero each element with probability ``p`` and scale the rest by ``1/(1-p)`` (PyTorch's
    inverted dropout). ``seed`` (an integer input) fixes the mask, so an eager run and a static
    graph fed the same seed drop the same elements. Identity when ``training`` is False."""
    p = float(p)
    if not 0.0 <= p <= 1.0:
        raise OpValueError("dropout", f"p must be in [0, 1], got {p}")
    if not training or p == 0.0:
        return x
    return mul(x, dropout_mask(x, seed, p=p))


# --- embedding: primitive (gather), embedding_grad: primitive (scatter-add) --------------------
def _padding_row(padding_idx, n: int | None):
    """``padding_idx`` as a row number in ``[0, n)`` (negative counts from the end), or None."""
    if padding_idx is None:
        return None
    row = int(padding_idx) + (n if padding_idx < 0 and n is not None else 0)
    if n is not None and not 0 <= row < n:
        raise OpIndexError("embedding", f"padding_idx {padding_idx} is out of range for {n} "
                           "embeddings")
    return row


def _embedding_kernel(indices, weight, padding_idx=None):
    _embedding_rule(Aval(indices.shape, indices.dtype), Aval(weight.shape, weight.dtype),
                    padding_idx)
    check_indices("embedding", indices, weight.shape[0], what="index", noun="embeddings")
    return weight[indices]


def _embedding_rule(indices: Aval, weight: Aval, padding_idx=None) -> Aval:
    require_int("embedding", indices, "indices")
    if len(weight.shape) != 2:
        raise ShapeError("embedding", f"weight must be 2-d (num_embeddings, embedding_dim), got "
                         f"shape {describe_shapes(weight.shape)}", shapes=[weight.shape])
    _padding_row(padding_idx, weight.shape[0])
    return Aval(tuple(indices.shape) + (weight.shape[1],), weight.dtype)


def _embedding_vjp(g, inputs, out, padding_idx=None):
    indices, weight = inputs
    ws = shape_of(weight)
    row = _padding_row(padding_idx, ws[0])
    grad = embedding_grad(g, indices, shape=ws, padding_idx=row) if None not in ws else \
        embedding_grad(g, indices, weight, padding_idx=row)
    return None, grad


embedding = primitive(
    "embedding", _embedding_kernel, _embedding_rule, _embedding_vjp, nondiff_inputs=(0,),
    doc="embedding(indices, weight, padding_idx=None): rows of ``weight`` (num_embeddings, "
        "dim) at integer ``indices``, as torch.nn.functional.embedding; the row "
        "``padding_idx`` gets no gradient. An index outside [0, num_embeddings) raises "
        "OpIndexError naming it.")


def _embedding_grad_kernel(g, indices, *like, shape=None, padding_idx=None):
    shape = target_shape(like, shape)
    out = np.zeros(shape, dtype=g.dtype)
    # Repeated indices must accumulate: out[indices] += g would keep only the last write.
    np.add.at(out, indices.reshape(-1), g.reshape(-1, shape[1]))
    if padding_idx is not None:
        out[padding_idx] = 0
    return out


def _embedding_grad_rule(g: Aval, indices: Aval, *like: Aval, shape=None,
                         padding_idx=None) -> Aval:
    shape = tuple(target_shape(like, shape))
    require_int("embedding_grad", indices, "indices")
    expected = tuple(indices.shape) + shape[1:]
    if not shapes_agree(g.shape, expected):
        raise ShapeError("embedding_grad", f"gradient of shape {describe_shapes(g.shape)} does "
                         f"not match the lookup output {describe_shapes(expected)}",
                         shapes=[g.shape, expected])
    return Aval(shape, g.dtype)


def _embedding_grad_vjp(c, inputs, out, shape=None, padding_idx=None):
    indices = inputs[1]
    picked = embedding(indices, c)
    if padding_idx is not None:  # the transpose of zeroing that row: lookups of it get 0
        keep = cast(ne(indices, padding_idx), dtype=c.dtype)
        picked = mul(picked, expand_dims(keep, axis=-1))
    return (picked,) + (None,) * (len(inputs) - 1)


embedding_grad = primitive("embedding_grad", _embedding_grad_kernel, _embedding_grad_rule,
                           _embedding_grad_vjp, nondiff_inputs=(1, 2))

__all__ = ["softmax", "log_softmax", "erf", "gelu", "linear", "layer_norm", "dropout_mask",
           "dropout", "embedding", "embedding_grad"]
