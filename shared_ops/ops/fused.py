"""Fused primitives: several ops as one kernel, where that is faster or more stable.

The static compiler's fusion pass rewrites op patterns into these (users may call them too):

* ``sigmoid_bce(x, y)``: binary cross-entropy of ``sigmoid(x)`` from the logits,
  ``max(x, 0) - x y + log1p(exp(-|x|))``: never overflows and, unlike BCE on probabilities,
  needs no clamping of log(0). Gradient ``(sigmoid(x) - y) * g``.
* ``linear_act(x, w, b, activation)``: ``act(x @ w + b)`` (``w`` is ``(in, out)``, as in
  ``x @ w``), act = relu or none.
* ``add_n(terms)``: many same-shaped terms summed into one buffer (gradient accumulation).

(``softmax_cross_entropy`` and its gradient, the fusion's target for log_softmax + nll_loss,
live in `softmax_loss`; ``fused_log_softmax``, the target for a lone log_softmax, in
`softmax_kernels`.)

NOTE: each exists because the composite form costs more kernels, temporaries or precision;
the compiler's benchmarks (benchmarks/bench_static.py) measure the difference.

    >>> import numpy as np
    >>> float(sigmoid_bce(np.zeros(4), np.ones(4)).round(4))
    0.6931
"""

from __future__ import annotations

import numpy as np

from ..aval import Aval, broadcast_shapes
from ..errors import ShapeError, describe_shapes
from ..forms import loss_total
from ..registry import primitive
from ._rules import elementwise_loss
from .elementwise import ALL, div, mul, neg, sub, unbroadcast
from .elementwise_logic import gt, where
from .elementwise_math import sigmoid
from .linalg import _matmul_rule, _matmul_vjp
from .reductions import numel


# --- sigmoid_bce: primitive --------------------------------------------------------------------
def _sbce_kernel(x, y, reduction="mean"):
    # softplus(x) - x y, with softplus(x) = log(1 + e^x) = logaddexp(0, x): one stable ufunc
    # for max(x, 0) + log1p(exp(-|x|)).
    loss = np.logaddexp(0, x)
    loss -= x * y
    if reduction == "mean":
        return np.asarray(loss.sum() / loss.size if loss.size else np.nan, dtype=x.dtype)
    if reduction == "sum":
        return np.asarray(loss.sum(), dtype=x.dtype)
    return loss


_sbce_rule = elementwise_loss("sigmoid_bce")


def _sbce_vjp(g, inputs, out, reduction="mean", needs=ALL):
    x, y = inputs
    gs = div(g, numel(x)) if reduction == "mean" else g
    return (mul(sub(sigmoid(x), y), gs) if needs[0] else None,
            mul(neg(x), gs) if needs[1] else None)


def _sbce_into(w):
    """The kernel's arithmetic in two scratch arrays, for a reduced loss of same-shaped
    float32/float64 inputs (the sum of a float16 loss would round differently)."""
    x, y = w.in_avals
    reduction = w.attrs.get("reduction", "mean")
    if reduction == "none" or x != y or w.out_aval.dtype not in (np.float32, np.float64):
        return NotImplemented
    softplus, xy = w.scratch(x.shape, x.dtype), w.scratch(x.shape, x.dtype)
    w.call(np.logaddexp, w.scalar(0), w.arg(0), out=softplus)
    w.call(np.multiply, w.arg(0), w.arg(1), out=xy)
    w.call(np.subtract, softplus, xy, out=softplus)
    return loss_total(w, softplus, x.shape, reduction)


sigmoid_bce = primitive(
    "sigmoid_bce", _sbce_kernel, _sbce_rule, _sbce_vjp, fresh=True, into=_sbce_into,
    torch_name="BinaryCrossEntropyWithLogitsBackward0",
    doc="sigmoid_bce(x, y, reduction='mean'): binary_cross_entropy_with_logits as one kernel.")


# --- linear_act: primitive ---------------------------------------------------------------------
_ACTIVATIONS = ("relu", "none")


def _linear_act_kernel(x, w, b, activation="relu"):
    out = np.asarray(np.matmul(x, w))  # vector @ vector: a scalar, `out=` needs an array
    out += b
    if activation == "relu":
        np.maximum(out, 0, out=out)
    return out


def _linear_act_rule(x: Aval, w: Aval, b: Aval, activation="relu") -> Aval:
    if activation not in _ACTIVATIONS:
        raise ShapeError("linear_act", f"activation must be one of {_ACTIVATIONS}, "
                         f"got {activation!r}")
    y = _matmul_rule(x, w)
    shape = broadcast_shapes("linear_act", y.shape, b.shape)
    if len(shape) != len(y.shape):
        raise ShapeError("linear_act", f"bias of shape {describe_shapes(b.shape)} does not fit "
                         f"the product {describe_shapes(y.shape)}", shapes=[b.shape, y.shape])
    return Aval(shape, y.dtype)


def _linear_act_vjp(g, inputs, out, activation="relu", needs=ALL):
    x, w, b = inputs
    gz = where(gt(out, 0), g, 0) if activation == "relu" else g
    gx, gw = _matmul_vjp(gz, (x, w), out, needs=needs[:2])
    return gx, gw, unbroadcast(gz, b) if needs[2] else None


def _linear_act_into(w):
    out = w.out
    w.call(np.matmul, w.arg(0), w.arg(1), out=out)
    w.call(np.add, out, w.arg(2), out=out)
    if w.attrs.get("activation", "relu") == "relu":
        w.call(np.maximum, out, w.scalar(0), out=out)
    return out


linear_act = primitive(
    "linear_act", _linear_act_kernel, _linear_act_rule, _linear_act_vjp, promote=True,
    fresh=True, into=_linear_act_into,
    doc="linear_act(x, w, b, activation='relu'): act(x @ w + b), one kernel with one buffer.")


# --- add_n: primitive (variadic) ---------------------------------------------------------------
def _add_n_kernel(*terms):
    out = np.add(terms[0], terms[1])
    for t in terms[2:]:
        out += t
    return out


def _add_n_rule(*terms: Aval) -> Aval:
    if len(terms) < 2:
        raise ShapeError("add_n", f"needs at least two terms, got {len(terms)}")
    return Aval(broadcast_shapes("add_n", *(t.shape for t in terms)), terms[0].dtype)


def _add_n_vjp(g, inputs, out):
    return tuple(unbroadcast(g, t, inputs) for t in inputs)


def _add_n_into(w):
    # When out is a dying term's own array, that term is added first, before it is overwritten.
    order = sorted(range(len(w.in_avals)), key=lambda k: not w.overwrites(k))
    first, second, *rest = (w.arg(k) for k in order)
    w.call(np.add, first, second, out=w.out)
    for term in rest:
        w.call(np.add, w.out, term, out=w.out)
    return w.out


add_n = primitive("add_n", _add_n_kernel, _add_n_rule, _add_n_vjp, variadic=True,
                  promote=True, elementwise=True, inplace_safe=True, fresh=True,
                  into=_add_n_into, linear_in="all",
                  doc="add_n([a, b, c, ...]): the sum of many terms into one buffer.")

__all__ = ["sigmoid_bce", "linear_act", "add_n"]
