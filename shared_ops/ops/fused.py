"""Fused primitives: several ops as one kernel, where that is faster or more stable.

The static compiler's fusion pass rewrites op patterns into these (users may call them too):

* ``softmax_cross_entropy(logits, target)``: ``nll_loss(log_softmax(logits), target)`` in one
  kernel; its gradient ``softmax_cross_entropy_grad`` is ``(softmax - onehot) * scale``
  directly, instead of a chain of logsumexp/exp/sub/sum_to nodes.
* ``sigmoid_bce(x, y)``: binary cross-entropy of ``sigmoid(x)`` from the logits,
  ``max(x, 0) - x y + log1p(exp(-|x|))``: never overflows and, unlike BCE on probabilities,
  needs no clamping of log(0). Gradient ``(sigmoid(x) - y) * g``.
* ``linear_act(x, w, b, activation)``: ``act(x @ w + b)`` (``w`` is ``(in, out)``, as in
  ``x @ w``), act = relu or none.
* ``add_n(terms)``: many same-shaped terms summed into one buffer (gradient accumulation).

(``fused_log_softmax``, the fusion's target for a lone log_softmax, lives in `softmax_kernels`.)

NOTE: each exists because the composite form costs more kernels, temporaries or precision;
the compiler's benchmarks (benchmarks/bench_static.py) measure the difference.

    >>> import numpy as np
    >>> float(softmax_cross_entropy(np.zeros((2, 4)), np.array([1, 3])).round(4))
    1.3863
"""

from __future__ import annotations

import functools
import math

import numpy as np

from ..aval import Aval, broadcast_shapes
from ..errors import ShapeError, describe_shapes
from ..registry import primitive
from ._rules import elementwise_loss, mean_scale, require_float, shape_of
from .elementwise import ALL, div, mul, neg, sub, unbroadcast
from .elementwise_logic import gt, where
from .elementwise_math import sigmoid
from .linalg import _matmul_rule, _matmul_vjp
from .losses import _nll_grad_kernel, _nll_kernel, _nll_rule, nll_loss, nll_loss_grad
from .neural import softmax
from .reductions import numel
from .reductions import sum as reduce_sum
from .softmax_kernels import log_softmax_kernel


def _class_axis(ndim: int) -> int:
    return 1 if ndim >= 2 else 0


def _like(x):
    xs = shape_of(x)
    return ((), {"shape": xs}) if None not in xs else ((x,), {})


# --- softmax_cross_entropy: primitive -----------------------------------------------------------
# The fast kernels work on the (C, N) transpose of (N, C) logits. NOTE: NumPy reduces along a
# short contiguous last axis (10 classes) one row at a time: the row max of (128, 10) float32
# takes 6.7 us that way, 2.4 us as the column max of the (10, 128) copy (1.3 us), where each
# step is one vector op over the batch; the exp-sum likewise. ufunc reductions, not
# ndarray.max: those are Python wrappers, and this op sits on every classifier's training step.
@functools.lru_cache(maxsize=8)
def _row_numbers(n: int) -> np.ndarray:
    """``arange(n)``, read-only: the same batch size comes back every step (and a NumPy call
    after the big matmuls costs 3 us, cold)."""
    rows = np.arange(n)
    rows.flags.writeable = False
    return rows


def _target_positions(logits, target, ignore_index):
    """The flat position of each row's target in the ``(C, N)`` transpose of ``(N, C)``
    logits, when the fast kernels apply; else None.

    They apply when the target is one integer class index per row, every one a valid class
    (so none is ignored). Anything else takes the general path, which also raises the errors
    naming a bad target (or a target of the wrong shape: fancy indexing would broadcast an
    (N, 1) one silently).
    """
    if logits.ndim != 2 or target.shape != logits.shape[:1] or not len(target) \
            or target.dtype.kind not in "iu" or 0 <= ignore_index < logits.shape[1]:
        return None
    n, c = logits.shape
    try:  # range-checked in the same call: a negative index would wrap around
        return np.ravel_multi_index((target, _row_numbers(n)), (c, n))
    except ValueError:  # a target outside [0, C)
        return None


def _shifted_columns(logits):
    """``(logits - row max).T`` as a fresh ``(C, N)`` array.

    Where every max is finite, each shifted logit is <= 0 and each row's exp-sum is in
    [1, C]: nothing overflows. A row with inf or nan comes out nan: the callers check for that
    and take the general path, which gives PyTorch's answer there (nan as well, but only on
    that row's loss or gradient).
    """
    columns = logits.T.copy()
    columns -= np.maximum.reduce(columns, axis=0)
    return columns


def _sce_kernel(logits, target, reduction="mean", ignore_index=-100):
    picks = _target_positions(logits, target, ignore_index)
    if picks is not None:
        shifted = _shifted_columns(logits)
        picked = shifted.reshape(-1)[picks]  # a 1-d index into a flat view: NumPy's fast take
        loss = np.log(np.add.reduce(np.exp(shifted, out=shifted), axis=0))
        loss -= picked
        total = np.add.reduce(loss)
        # A non-finite row max makes its row's loss nan, and so the total: checking the total
        # (which "mean" and "sum" need anyway) spares a check of the maxima (3 us in a step).
        if math.isfinite(total):
            if reduction == "none":
                return loss
            return np.asarray(total / len(loss) if reduction == "mean" else total,
                              dtype=logits.dtype)
    logp = log_softmax_kernel(logits, _class_axis(logits.ndim))
    return _nll_kernel(logp, target, reduction=reduction, ignore_index=ignore_index)


def _sce_rule(logits: Aval, target: Aval, reduction="mean", ignore_index=-100) -> Aval:
    require_float("softmax_cross_entropy", logits)
    return _nll_rule(logits, target, reduction, ignore_index)


def _sce_vjp(g, inputs, out, reduction="mean", ignore_index=-100):
    logits, target = inputs
    return (softmax_cross_entropy_grad(g, logits, target, reduction=reduction,
                                       ignore_index=ignore_index), None)


softmax_cross_entropy = primitive(
    "softmax_cross_entropy", _sce_kernel, _sce_rule, _sce_vjp, nondiff_inputs=(1,),
    doc="softmax_cross_entropy(logits, target, reduction='mean', ignore_index=-100): "
        "cross_entropy with integer class targets, as one kernel.")


# --- softmax_cross_entropy_grad: primitive ---------------------------------------------------
def _sce_grad_kernel(g, logits, target, reduction="mean", ignore_index=-100):
    if g.shape != (target.shape if reduction == "none" else ()):
        # Both paths would broadcast it silently: refuse, and the rule then says why.
        raise ValueError("softmax_cross_entropy_grad: gradient and loss shapes differ")
    picks = _target_positions(logits, target, ignore_index)
    if picks is not None:
        e = _shifted_columns(logits)
        np.exp(e, out=e)
        s = np.add.reduce(e, axis=0)
        # Each row's exp-sum is in [1, C] where its max is finite, nan where it is not: their
        # total is finite exactly when every row is (a total of the maxima was not: two rows
        # of 3e38 overflow it, and sent finite logits down the slow path).
        if math.isfinite(np.add.reduce(s)):
            # (e / s - onehot) * scale = (e - s onehot) * (scale / s): the division on the
            # (N,) sums, not on every logit. The flat view writes through.
            e.reshape(-1)[picks] -= s
            e *= np.divide(mean_scale(g, len(target)) if reduction == "mean" else g, s, out=s)
            return e.T.copy()  # C order again: a bias gradient sums over its columns
    axis = _class_axis(logits.ndim)
    d = _nll_grad_kernel(g, target, shape=logits.shape, reduction=reduction,
                         ignore_index=ignore_index)  # -scale at each row's target
    p = np.exp(log_softmax_kernel(logits, axis))
    p *= -d.sum(axis=axis, keepdims=True)
    p += d
    return p


def _sce_grad_rule(g: Aval, logits: Aval, target: Aval, reduction="mean",
                   ignore_index=-100) -> Aval:
    loss = _sce_rule(logits, target, reduction, ignore_index)
    if len(g.shape) != len(loss.shape) or any(
            a is not None and b is not None and a != b
            for a, b in zip(g.shape, loss.shape, strict=True)):
        raise ShapeError("softmax_cross_entropy_grad", f"gradient of shape "
                         f"{describe_shapes(g.shape)} does not match the loss "
                         f"{describe_shapes(loss.shape)}", shapes=[g.shape, loss.shape])
    return logits


def _sce_grad_vjp(c, inputs, out, reduction="mean", ignore_index=-100):
    # out = p * s + D, with D = nll_loss_grad(g) (linear in g) and s = -sum(D) per row.
    # d/dlogits: s * softmax-Jacobian^T c = s * p * (c - sum(p c));  d/dg: <c - sum(p c), D>
    # is the transpose of nll_loss_grad applied to c - sum(p c), i.e. nll_loss of it.
    g, logits, target = inputs
    axis = _class_axis(len(shape_of(logits)))
    p = softmax(logits, axis=axis)
    cp = sub(c, reduce_sum(mul(p, c), axis=axis, keepdims=True))
    like, attrs = _like(logits)
    d = nll_loss_grad(g, target, *like, **attrs, reduction=reduction, ignore_index=ignore_index)
    s = neg(reduce_sum(d, axis=axis, keepdims=True))
    gg = nll_loss(cp, target, reduction=reduction, ignore_index=ignore_index)
    return gg, mul(s, mul(p, cp)), None


softmax_cross_entropy_grad = primitive(
    "softmax_cross_entropy_grad", _sce_grad_kernel, _sce_grad_rule, _sce_grad_vjp,
    nondiff_inputs=(2,),
    doc="Gradient of softmax_cross_entropy for the logits: (softmax - onehot) * scale.")


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


sigmoid_bce = primitive(
    "sigmoid_bce", _sbce_kernel, _sbce_rule, _sbce_vjp,
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


linear_act = primitive(
    "linear_act", _linear_act_kernel, _linear_act_rule, _linear_act_vjp, promote=True,
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


add_n = primitive("add_n", _add_n_kernel, _add_n_rule, _add_n_vjp, variadic=True,
                  promote=True, elementwise=True,
                  doc="add_n([a, b, c, ...]): the sum of many terms into one buffer.")

__all__ = ["softmax_cross_entropy", "softmax_cross_entropy_grad",
           "sigmoid_bce", "linear_act", "add_n"]
