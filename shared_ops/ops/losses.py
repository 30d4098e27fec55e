"""Loss functions, as ``torch.nn.functional``: cross_entropy, nll_loss, mse (alias mse_loss),
smooth_l1_loss, huber_loss, binary_cross_entropy and binary_cross_entropy_with_logits.

Every loss takes ``reduction`` = ``"mean"`` (default), ``"sum"`` or ``"none"``. ``nll_loss`` is
a primitive (a gather of the target class with a range check NumPy would not do: a negative
index silently wraps around), with ``nll_loss_grad`` as its transpose; the rest are composites
(mse, smooth_l1_loss and huber_loss are in `losses_regression`, re-exported here).

    >>> import numpy as np
    >>> float(cross_entropy(np.zeros((2, 4)), np.array([1, 3])).round(4))
    1.3863
"""

from __future__ import annotations

import numpy as np

from ..aval import Aval, broadcast_shapes
from ..dispatch import as_array
from ..errors import OpValueError, ShapeError, describe_shapes
from ..registry import OPS, composite, primitive
from ._rules import require_float, shape_of, shapes_agree, target_shape
from .elementwise import add, cast, div, mul, neg, sub
from .elementwise_logic import eq, maximum, ne, where
from .elementwise_math import abs, exp, log1p  # noqa: A004
from .fused_eager import clamped_bce
from .indexing import getitem
from .losses_regression import check_reduction as _check_reduction
from .losses_regression import huber_loss, mse, mse_loss, regression_loss, smooth_l1_loss
from .losses_regression import reduce_loss as _reduce
from .losses_regression import same_shape as _same_shape
from .neural import check_indices, log_softmax, require_int
from .reductions import numel
from .reductions import sum as reduce_sum
from .shape import expand_dims


# --- nll_loss: primitive -----------------------------------------------------------------------
# Class scores are on axis 1 of an (N, C) or (N, C, d1, ...) input, on axis 0 of a (C,) one;
# the target has the input's shape without that axis. Targets equal to ``ignore_index`` add
# nothing, and "mean" divides by the number of the others (as PyTorch, which says -100).
def _class_axis(ndim: int) -> int:
    return 1 if ndim >= 2 else 0


def _picked(target, n_classes, ignore_index):
    """Which targets count, and the targets made safe to index with (ignored ones -> 0)."""
    valid = target != ignore_index
    check_indices("nll_loss", target[valid], n_classes, what="target index", noun="classes")
    return valid, np.where(valid, target, 0)


def _nll_kernel(logp, target, reduction="mean", ignore_index=-100):
    # The rule first: take_along_axis would broadcast a (1,) target over a batch of 4.
    _nll_rule(Aval(logp.shape, logp.dtype), Aval(target.shape, target.dtype), reduction,
              ignore_index)
    axis = _class_axis(logp.ndim)
    valid, safe = _picked(target, logp.shape[axis], ignore_index)
    taken = np.take_along_axis(logp, np.expand_dims(safe, axis), axis=axis).squeeze(axis)
    loss = np.where(valid, -taken, 0).astype(logp.dtype, copy=False)
    if reduction == "none":
        return loss
    total = loss.sum(keepdims=False)
    if reduction == "mean":
        total = total / valid.sum(dtype=logp.dtype)
    return np.asarray(total, dtype=logp.dtype)  # a 0-d array, not a NumPy scalar


def _nll_rule(logp: Aval, target: Aval, reduction="mean", ignore_index=-100) -> Aval:
    _check_reduction("nll_loss", reduction)
    require_float("nll_loss", logp)
    require_int("nll_loss", target, "target class indices")
    if len(logp.shape) == 0:
        raise ShapeError("nll_loss", "input must have a class dim, got a 0-d input",
                         shapes=[logp.shape])
    axis = _class_axis(len(logp.shape))
    expected = logp.shape[:axis] + logp.shape[axis + 1:]
    if not shapes_agree(target.shape, expected):
        raise ShapeError("nll_loss", f"target of shape {describe_shapes(target.shape)} does not "
                         f"match input {describe_shapes(logp.shape)}: expected target shape "
                         f"{describe_shapes(expected)}", shapes=[logp.shape, target.shape])
    return Aval(expected if reduction == "none" else (), logp.dtype)


def _nll_vjp(g, inputs, out, reduction="mean", ignore_index=-100):
    logp, target = inputs
    ls = shape_of(logp)
    like, attrs = ((), {"shape": ls}) if None not in ls else ((logp,), {})
    return (nll_loss_grad(g, target, *like, **attrs, reduction=reduction,
                          ignore_index=ignore_index), None)


nll_loss = primitive(
    "nll_loss", _nll_kernel, _nll_rule, _nll_vjp, nondiff_inputs=(1,), fresh=True,
    doc="nll_loss(logp, target, reduction='mean', ignore_index=-100): negative log-likelihood "
        "of integer class targets (attrs by keyword). An (N, C) input takes an (N,) target, "
        "(N, C, d1, ...) takes (N, d1, ...); a target outside [0, C) other than ignore_index "
        "raises OpIndexError naming it.")


def _nll_grad_kernel(g, target, *like, shape=None, reduction="mean", ignore_index=-100):
    shape = target_shape(like, shape)
    axis = _class_axis(len(shape))
    valid, safe = _picked(target, shape[axis], ignore_index)
    scale = -g / valid.sum(dtype=g.dtype) if reduction == "mean" else -g
    per_item = np.where(valid, scale, 0).astype(g.dtype, copy=False)
    out = np.zeros(shape, dtype=g.dtype)
    np.put_along_axis(out, np.expand_dims(safe, axis), np.expand_dims(per_item, axis), axis=axis)
    return out


def _nll_grad_rule(g: Aval, target: Aval, *like: Aval, shape=None, reduction="mean",
                   ignore_index=-100) -> Aval:
    shape = tuple(target_shape(like, shape))
    expected = _nll_rule(Aval(shape, g.dtype), target, reduction, ignore_index)
    if not shapes_agree(g.shape, expected.shape):
        raise ShapeError("nll_loss_grad", f"gradient of shape {describe_shapes(g.shape)} does "
                         f"not match the loss {describe_shapes(expected.shape)}",
                         shapes=[g.shape, expected.shape])
    return Aval(shape, g.dtype)


def _nll_grad_vjp(c, inputs, out, shape=None, reduction="mean", ignore_index=-100):
    # nll_loss is linear in logp and nll_loss_grad is its transpose: the transpose of the
    # transpose is nll_loss itself.
    return (nll_loss(c, inputs[1], reduction=reduction, ignore_index=ignore_index),) + \
        (None,) * (len(inputs) - 1)


nll_loss_grad = primitive("nll_loss_grad", _nll_grad_kernel, _nll_grad_rule, _nll_grad_vjp,
                          nondiff_inputs=(1, 2), fresh=True, linear_in=(0,))


# --- cross_entropy: composite ------------------------------------------------------------------
def _cross_entropy_now(logits, target, weight=None, reduction: str = "mean",
                       ignore_index: int = -100, label_smoothing: float = 0.0):
    """`cross_entropy` on values at hand, integer targets, no weights or smoothing: one
    ``softmax_cross_entropy`` kernel (looked up by name: fused.py imports this module)."""
    if weight is not None or label_smoothing or getattr(target, "dtype", None) is None \
            or target.dtype.kind not in "iu":
        return NotImplemented
    _check_reduction("cross_entropy", reduction)
    return OPS["softmax_cross_entropy"](logits, target, reduction=reduction,
                                       ignore_index=int(ignore_index))


@composite(immediate=_cross_entropy_now)
def cross_entropy(logits, target, weight=None, reduction: str = "mean", ignore_index: int = -100,
                  label_smoothing: float = 0.0):
    """Softmax cross-entropy of raw ``logits`` (classes on axis 1, or 0 for a 1-d input).

    ``target`` holds integer class indices (see `nll_loss`) or, when it is floating point
    with the logits' shape, class probabilities (soft labels), as in PyTorch. ``weight`` (C,)
    rescales each class ("mean" then divides by the summed weights of the counted targets);
    ``label_smoothing`` mixes the target with the uniform distribution over the C classes.
    """
    _check_reduction("cross_entropy", reduction)
    eps = float(label_smoothing)
    if not 0.0 <= eps <= 1.0:
        raise OpValueError("cross_entropy", f"label_smoothing must be in [0, 1], got {eps}")
    if not hasattr(target, "dtype"):  # a list of class indices: int64, as torch.tensor would
        target = as_array(target, op="cross_entropy")
    ndim = len(shape_of(logits))
    axis = _class_axis(ndim)
    logp = log_softmax(logits, axis=axis)
    if weight is not None:
        weight = _class_weight(weight, shape_of(logits)[axis])
        # (C,) -> (C, 1, ..., 1): broadcast along the class axis of (N, C, d1, ...).
        by_class = expand_dims(weight, axis=tuple(range(1, ndim - axis))) \
            if ndim - axis > 1 else weight
    if target.dtype.kind == "f":
        _same_shape("cross_entropy", logits, target,
                    " (float targets are class probabilities; use integer class indices)")
        if eps:
            target = add(mul(target, 1.0 - eps), div(eps, numel(logp, axis=axis)))
        if weight is not None:
            target = mul(target, by_class)
        return _reduce(neg(reduce_sum(mul(target, logp), axis=axis)), reduction)
    ii = int(ignore_index)
    if weight is None and not eps:  # the plain form, which the static fusion pass recognizes
        return nll_loss(logp, target, reduction=reduction, ignore_index=ii)
    counted = cast(ne(target, ii), dtype=logp.dtype)
    loss = nll_loss(logp, target, reduction="none", ignore_index=ii)  # 0 where ignored
    if weight is None:
        per_target, scores = counted, logp
    else:
        per_target = mul(getitem(weight, where(eq(target, ii), 0, target)), counted)
        loss, scores = mul(loss, per_target), mul(logp, by_class)
    if eps:  # the uniform part, over the same items: -sum over classes, times eps / C
        smooth = mul(neg(reduce_sum(scores, axis=axis)), counted)
        loss = add(mul(loss, 1.0 - eps), mul(smooth, div(eps, numel(logp, axis=axis))))
    if reduction == "mean":
        return div(reduce_sum(loss), reduce_sum(per_target))
    return reduce_sum(loss) if reduction == "sum" else loss


def _class_weight(weight, n_classes):
    if not hasattr(weight, "dtype"):  # a list of floats
        weight = as_array(weight, op="cross_entropy")
    ws = shape_of(weight)
    if len(ws) != 1 or (None not in (ws[0], n_classes) and ws[0] != n_classes):
        raise ShapeError("cross_entropy", f"weight of shape {describe_shapes(ws)} must have one "
                         f"entry per class ({n_classes})", shapes=[ws])
    return weight


# --- binary cross-entropy: composites ----------------------------------------------------------
def _as_weight(op: str, name: str, weight, like):
    """``weight`` as an array that broadcasts to ``like``'s shape without growing it."""
    if not hasattr(weight, "dtype"):  # a list or a float
        weight = as_array(weight, op=op)
    ws, ls = shape_of(weight), shape_of(like)
    if not shapes_agree(broadcast_shapes(op, ls, ws), ls):
        raise ShapeError(op, f"{name} of shape {describe_shapes(ws)} does not broadcast to the "
                         f"input's shape {describe_shapes(ls)}", shapes=[ws, ls])
    return weight


def _bce_now(input, target, weight=None, reduction: str = "mean"):  # noqa: A002
    """`binary_cross_entropy` on values at hand: one `clamped_bce` kernel (unweighted)."""
    if weight is not None:
        return NotImplemented
    return clamped_bce(input, target, reduction=reduction)  # its kernel checks the shapes


@composite(immediate=_bce_now)
def binary_cross_entropy(input, target, weight=None, reduction: str = "mean"):  # noqa: A002
    """``-w (y log p + (1 - y) log(1 - p))`` for probabilities ``input``; each log is clamped
    to >= -100 as in PyTorch, so p = 0 or 1 gives a large finite loss instead of inf.

    NOTE: the unweighted loss is the `clamped_bce` primitive, not ops: PyTorch's gradient,
    ``(p - y) / max(p (1 - p), 1e-12)``, is not the derivative of the clamped loss (that is
    0 where a clamp holds, and nan at p = 0 or 1 as ``0 * (1 / 0)``), so no composition of
    ops differentiates to it. A weight multiplies the unreduced loss.
    """
    _check_reduction("binary_cross_entropy", reduction)
    _same_shape("binary_cross_entropy", input, target)
    if weight is None:
        return clamped_bce(input, target, reduction=reduction)
    loss = clamped_bce(input, target, reduction="none")
    loss = mul(loss, _as_weight("binary_cross_entropy", "weight", weight, input))
    return _reduce(loss, reduction)


def _bce_logits_now(input, target, weight=None, reduction: str = "mean",  # noqa: A002
                    pos_weight=None):
    """`binary_cross_entropy_with_logits` on values at hand: one `sigmoid_bce` kernel (no
    weights; looked up by name: fused.py imports this module)."""
    if weight is not None or pos_weight is not None:
        return NotImplemented
    _check_reduction("binary_cross_entropy_with_logits", reduction)
    _same_shape("binary_cross_entropy_with_logits", input, target)
    return OPS["sigmoid_bce"](input, target, reduction=reduction)


@composite(immediate=_bce_logits_now)
def binary_cross_entropy_with_logits(input, target, weight=None,  # noqa: A002
                                     reduction: str = "mean", pos_weight=None):
    """BCE of ``sigmoid(input)`` computed stably from the logits:
    ``max(x, 0) - x y + log1p(exp(-|x|))`` never overflows and keeps precision for large |x|.

    ``pos_weight`` (broadcast along the last dim, one per class) scales the positive term:
    ``(1 - y) x + (1 + (pos_weight - 1) y) (log1p(exp(-|x|)) + max(-x, 0))``; ``weight``
    rescales each element's loss. ``max(x, 0)`` is `maximum`, not `relu`: at x = 0 its
    gradient is 1/2 (a tie), which with ``|x|``'s 0 there makes the gradient sigmoid(0) - y,
    as it must be; relu's 0 made it -y.
    """
    op = "binary_cross_entropy_with_logits"
    _check_reduction(op, reduction)
    _same_shape(op, input, target)
    softplus_neg = log1p(exp(neg(abs(input))))  # log(1 + exp(-|x|)), at most log 2
    if pos_weight is None:
        loss = add(sub(maximum(input, 0.0), mul(input, target)), softplus_neg)
    else:
        pw = _as_weight(op, "pos_weight", pos_weight, input)
        scale = add(mul(sub(pw, 1.0), target), 1.0)
        loss = add(mul(sub(1.0, target), input),
                   mul(scale, add(softplus_neg, maximum(neg(input), 0.0))))
    if weight is not None:
        loss = mul(loss, _as_weight(op, "weight", weight, input))
    return _reduce(loss, reduction)


__all__ = ["nll_loss", "nll_loss_grad", "cross_entropy", "mse", "mse_loss", "regression_loss",
           "smooth_l1_loss", "huber_loss",
           "binary_cross_entropy", "binary_cross_entropy_with_logits"]
