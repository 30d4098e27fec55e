"""Softmax cross-entropy, written once: the loss, its gradient, and both in one pass.

* ``softmax_cross_entropy(logits, target)``: ``nll_loss(log_softmax(logits), target)`` as one
  kernel, `sce_loss`;
* ``softmax_cross_entropy_grad(g, logits, target)``: its gradient for the logits,
  ``(softmax - onehot) * scale``, as one kernel, `sce_grad`;
* `sce_loss_grad`: both, sharing one ``exp`` pass, for a compiled step that computes the loss
  and, from a cotangent known before the step, its gradient (``with_grad`` of the loss op).

Every mode runs these three functions: eager's ``cross_entropy`` (its immediate form calls
the loss op), the static interpreter (the kernels), and compiled steps (the out forms below
call them with planned buffers: ``out`` for the gradient, ``columns`` for the work array).

Fast path: (N, C) logits with one valid class index per row, computed on the (C, N)
transpose. NOTE: NumPy reduces along a short contiguous last axis (10 classes) one row at a
time: the row max of (128, 10) float32 takes 6.7 us that way, 2.4 us as the column max of
the (10, 128) copy (1.3 us), where each step is one vector op over the batch (ufunc
reductions, not ndarray.max: those are Python wrappers). The loss and gradient of (128, 10)
logits took 27 us in the compiled step's former row-wise form, 14 us this way.
General path: anything else (ignore_index, other ranks, inf or nan logits, a target that is
not a class: the error names it), through ``log_softmax`` and ``nll_loss``'s kernels.

    >>> import numpy as np
    >>> float(softmax_cross_entropy(np.zeros((2, 4)), np.array([1, 3])).round(4))
    1.3863
"""

from __future__ import annotations

import functools
import math

import numpy as np

from ..aval import Aval
from ..errors import ShapeError, describe_shapes
from ..registry import primitive
from ._rules import mean_scale, require_float, shape_of
from .elementwise import mul, neg, sub
from .losses import _nll_grad_kernel, _nll_kernel, _nll_rule, nll_loss, nll_loss_grad
from .neural import softmax
from .reductions import sum as reduce_sum
from .softmax_kernels import log_softmax_kernel


def _class_axis(ndim: int) -> int:
    return 1 if ndim >= 2 else 0


def class_axis(attrs: dict, ndim: int) -> int:
    """The class axis of logits of rank ``ndim`` (the ``shift_invariant`` facet's axis)."""
    return _class_axis(ndim)


@functools.lru_cache(maxsize=8)
def _row_numbers(n: int) -> np.ndarray:
    """``arange(n)``, read-only: the same batch size comes back every step (and a NumPy call
    after the big matmuls costs 3 us, cold)."""
    rows = np.arange(n)
    rows.flags.writeable = False
    return rows


def _target_positions(logits, target, ignore_index):
    """The flat position of each row's target in the ``(C, N)`` transpose of ``(N, C)``
    logits, when the fast path applies; else None.

    It applies when the target is one integer class index per row, every one a valid class
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


def _shifted_columns(logits, columns):
    """``(logits - row max).T`` in ``columns`` (a ``(C, N)`` array; a new one when None).

    Where every max is finite, each shifted logit is <= 0 and each row's exp-sum is in
    [1, C]: nothing overflows. A row with inf or nan comes out nan: the callers check for that
    and take the general path, which gives PyTorch's answer there (nan as well, but only on
    that row's loss or gradient).
    """
    if columns is None:
        columns = logits.T.copy()
    else:
        np.copyto(columns, logits.T)
    columns -= np.maximum.reduce(columns, axis=0)
    return columns


def _losses(e, picks):
    """Exponentiate the shifted columns ``e`` in place; return each row's exp-sum and loss
    ``log(sum) - shifted logit of the target`` (taken before the exp overwrites it)."""
    picked = e.reshape(-1)[picks]  # a 1-d index into a flat view: NumPy's fast take
    np.exp(e, out=e)
    sums = np.add.reduce(e, axis=0)
    loss = np.log(sums)
    loss -= picked
    return sums, loss


def _reduced(loss, total, reduction, dtype):
    if reduction == "none":
        return loss
    return np.asarray(total / len(loss) if reduction == "mean" else total, dtype=dtype)


def _softmax_minus_onehot(e, sums, picks, g, reduction, n, out):
    """``(e / sums - onehot) * scale`` as ``(e - sums onehot) * (scale / sums)``: the division
    on the (N,) sums, not on every logit; back in (N, C) order, in ``out`` when given."""
    e.reshape(-1)[picks] -= sums  # the flat view writes through
    e *= np.divide(mean_scale(g, n) if reduction == "mean" else g, sums, out=sums)
    if out is None:
        return e.T.copy()  # C order again: a bias gradient sums over its columns
    np.copyto(out, e.T)
    return out


def _general_loss(logits, target, reduction, ignore_index):
    logp = log_softmax_kernel(logits, _class_axis(logits.ndim))
    return _nll_kernel(logp, target, reduction=reduction, ignore_index=ignore_index)


def _general_grad(g, logits, target, reduction, ignore_index, out):
    axis = _class_axis(logits.ndim)
    d = _nll_grad_kernel(g, target, shape=logits.shape, reduction=reduction,
                         ignore_index=ignore_index)  # -scale at each row's target
    p = np.exp(log_softmax_kernel(logits, axis))
    p *= -d.sum(axis=axis, keepdims=True)
    p += d
    if out is None:
        return p
    np.copyto(out, p)
    return out


def _check_cotangent(g, target, reduction):
    if g.shape != (target.shape if reduction == "none" else ()):
        # Both paths would broadcast it silently: refuse, and the rule then says why.
        raise ValueError("softmax_cross_entropy_grad: gradient and loss shapes differ")


# --- the three functions every mode calls --------------------------------------------------
def sce_loss(logits, target, reduction="mean", ignore_index=-100, *, columns=None):
    """The loss (the kernel of ``softmax_cross_entropy``); ``columns``: a ``(C, N)`` work
    array to use instead of a new one."""
    picks = _target_positions(logits, target, ignore_index)
    if picks is not None:
        _, loss = _losses(_shifted_columns(logits, columns), picks)
        total = np.add.reduce(loss)
        # A non-finite row max makes its row's loss nan, and so the total: checking the total
        # (which "mean" and "sum" need anyway) spares a check of the maxima (3 us in a step).
        if math.isfinite(total):
            return _reduced(loss, total, reduction, logits.dtype)
    return _general_loss(logits, target, reduction, ignore_index)


def sce_grad(g, logits, target, reduction="mean", ignore_index=-100, *, out=None,
             columns=None):
    """The gradient for the logits (the kernel of ``softmax_cross_entropy_grad``), into
    ``out`` when given (then returned)."""
    _check_cotangent(g, target, reduction)
    picks = _target_positions(logits, target, ignore_index)
    if picks is not None:
        e = _shifted_columns(logits, columns)
        np.exp(e, out=e)
        sums = np.add.reduce(e, axis=0)
        # Each row's exp-sum is in [1, C] where its max is finite, nan where it is not: their
        # total is finite exactly when every row is (a total of the maxima was not: two rows
        # of 3e38 overflow it, and sent finite logits down the slow path).
        if math.isfinite(np.add.reduce(sums)):
            return _softmax_minus_onehot(e, sums, picks, g, reduction, len(target), out)
    return _general_grad(g, logits, target, reduction, ignore_index, out)


def sce_loss_grad(logits, target, g, reduction="mean", ignore_index=-100, *, out=None,
                  columns=None):
    """``(sce_loss(logits, target), sce_grad(g, logits, target))``, exactly, with one exp
    pass where both take the fast path."""
    _check_cotangent(g, target, reduction)
    picks = _target_positions(logits, target, ignore_index)
    if picks is None:
        return (_general_loss(logits, target, reduction, ignore_index),  # names a bad target
                _general_grad(g, logits, target, reduction, ignore_index, out))
    e = _shifted_columns(logits, columns)
    sums, loss = _losses(e, picks)
    total = np.add.reduce(loss)
    # Each takes its own kernel's path: a row whose loss is infinite (a target logit far
    # below the max) may still have a finite gradient.
    value = _reduced(loss, total, reduction, logits.dtype) if math.isfinite(total) else \
        _general_loss(logits, target, reduction, ignore_index)
    if math.isfinite(np.add.reduce(sums)):
        return value, _softmax_minus_onehot(e, sums, picks, g, reduction, len(target), out)
    return value, _general_grad(g, logits, target, reduction, ignore_index, out)


# --- out forms: the three functions with a compiled step's buffers -------------------------
def _columns(w, logits: Aval):
    """A ``(C, N)`` scratch array for ``(N, C)`` logits (None for other ranks)."""
    if len(logits.shape) != 2:
        return None
    n, c = logits.shape
    return w.scratch((c, n), logits.dtype)


def _reduction(w) -> tuple:
    return w.attrs.get("reduction", "mean"), w.attrs.get("ignore_index", -100)


def _sce_into(w):
    return w.call(sce_loss, w.arg(0), w.arg(1), *_reduction(w),
                  columns=_columns(w, w.in_avals[0]))


def _sce_grad_into(w):
    return w.call(sce_grad, w.arg(0), w.arg(1), w.arg(2), *_reduction(w), out=w.out,
                  columns=_columns(w, w.in_avals[1]))


def _sce_with_grad(w):
    """Inputs: logits, target, the gradient's cotangent; the result: (loss, gradient)."""
    return w.call(sce_loss_grad, w.arg(0), w.arg(1), w.arg(2), *_reduction(w), out=w.out,
                  columns=_columns(w, w.in_avals[0]))


# --- softmax_cross_entropy_grad: primitive ---------------------------------------------------
def _sce_rule(logits: Aval, target: Aval, reduction="mean", ignore_index=-100) -> Aval:
    require_float("softmax_cross_entropy", logits)
    return _nll_rule(logits, target, reduction, ignore_index)


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
    ls = shape_of(logits)
    axis = _class_axis(len(ls))
    p = softmax(logits, axis=axis)
    cp = sub(c, reduce_sum(mul(p, c), axis=axis, keepdims=True))
    like, attrs = ((), {"shape": ls}) if None not in ls else ((logits,), {})
    d = nll_loss_grad(g, target, *like, **attrs, reduction=reduction, ignore_index=ignore_index)
    s = neg(reduce_sum(d, axis=axis, keepdims=True))
    gg = nll_loss(cp, target, reduction=reduction, ignore_index=ignore_index)
    return gg, mul(s, mul(p, cp)), None


softmax_cross_entropy_grad = primitive(
    "softmax_cross_entropy_grad", sce_grad, _sce_grad_rule, _sce_grad_vjp,
    nondiff_inputs=(2,), fresh=True, into=_sce_grad_into, linear_in=(0,),
    shift_invariant=(1, class_axis),
    doc="Gradient of softmax_cross_entropy for the logits: (softmax - onehot) * scale.")


# --- softmax_cross_entropy: primitive ------------------------------------------------------
def _sce_vjp(g, inputs, out, reduction="mean", ignore_index=-100):
    logits, target = inputs
    return (softmax_cross_entropy_grad(g, logits, target, reduction=reduction,
                                       ignore_index=ignore_index), None)


softmax_cross_entropy = primitive(
    "softmax_cross_entropy", sce_loss, _sce_rule, _sce_vjp, nondiff_inputs=(1,), fresh=True,
    into=_sce_into, with_grad=(softmax_cross_entropy_grad, _sce_with_grad),
    shift_invariant=(0, class_axis), torch_name="NllLossBackward0",  # cross_entropy's last op
    doc="softmax_cross_entropy(logits, target, reduction='mean', ignore_index=-100): "
        "cross_entropy with integer class targets, as one kernel.")

__all__ = ["softmax_cross_entropy", "softmax_cross_entropy_grad"]
