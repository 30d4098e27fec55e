"""More losses of ``eager.nn.functional``, composed of shared ops with PyTorch's formulas and
reductions: `margin_ranking_loss`, `hinge_embedding_loss`, `soft_margin_loss`,
`multilabel_soft_margin_loss`, `cosine_embedding_loss`, `triplet_margin_loss`,
`triplet_margin_with_distance_loss`, `poisson_nll_loss`, `gaussian_nll_loss`.

    >>> import eager
    >>> margin_ranking_loss(eager.tensor([1.0, 2.0]), eager.tensor([2.0, 1.0]),
    ...                     eager.tensor([1.0, 1.0]), margin=0.5)
    tensor(0.7500)
"""

from __future__ import annotations

import math
from typing import Any

import shared_ops as ops

from .functional_activation import logsigmoid, softplus
from .functional_loss import in_dtype_of, reduce_loss
from .functional_vector import pairwise_distance
from .option_checks import check_reduction, legacy_reduction


def _reduction(name: str, size_average: Any, reduce: Any, reduction: str) -> str:
    return check_reduction(name, legacy_reduction(size_average, reduce, reduction))


def margin_ranking_loss(input1: Any, input2: Any, target: Any, margin: float = 0.0,
                        size_average: Any = None, reduce: Any = None,
                        reduction: str = "mean") -> Any:
    """``max(0, -target * (input1 - input2) + margin)``."""
    reduction = _reduction("margin_ranking_loss", size_average, reduce, reduction)
    loss = ops.relu(ops.add(ops.mul(ops.neg(target), ops.sub(input1, input2)), margin))
    return reduce_loss(loss, reduction)


def hinge_embedding_loss(input: Any, target: Any, margin: float = 1.0, size_average: Any = None,
                         reduce: Any = None, reduction: str = "mean") -> Any:
    """``input`` where ``target`` is 1, ``max(0, margin - input)`` where it is -1."""
    reduction = _reduction("hinge_embedding_loss", size_average, reduce, reduction)
    zero = ops.mul(input, 0.0)
    below_margin = ops.where(ops.ne(target, 1), ops.relu(ops.sub(margin, input)), zero)
    itself = ops.where(ops.ne(target, -1), input, zero)
    return reduce_loss(ops.add(below_margin, itself), reduction)


def soft_margin_loss(input: Any, target: Any, size_average: Any = None, reduce: Any = None,
                     reduction: str = "mean") -> Any:
    """``log(1 + exp(-target * input))``."""
    reduction = _reduction("soft_margin_loss", size_average, reduce, reduction)
    target = in_dtype_of(target, input)  # computed in the input's dtype, as PyTorch
    return reduce_loss(softplus(ops.neg(ops.mul(target, input))), reduction)


def multilabel_soft_margin_loss(input: Any, target: Any, weight: Any = None,
                                size_average: Any = None, reduce: Any = None,
                                reduction: str = "mean") -> Any:
    """Binary cross-entropy of every class of (N, C) from logits, averaged over the classes:
    one loss per sample, then ``reduction`` over the samples."""
    reduction = _reduction("multilabel_soft_margin_loss", size_average, reduce, reduction)
    loss = ops.neg(ops.add(ops.mul(target, logsigmoid(input)),
                           ops.mul(ops.sub(1.0, target), logsigmoid(ops.neg(input)))))
    if weight is not None:
        loss = ops.mul(loss, weight)
    classes = input.shape[-1]
    loss = ops.div(ops.sum(loss, axis=input.ndim - 1), classes)
    return reduce_loss(loss, reduction)


def cosine_embedding_loss(input1: Any, input2: Any, target: Any, margin: float = 0.0,
                          size_average: Any = None, reduce: Any = None,
                          reduction: str = "mean") -> Any:
    """``1 - cos(input1, input2)`` where ``target`` is 1, ``max(0, cos - margin)`` where it is
    -1; the cosine along the last dim with PyTorch's 1e-12 added to each squared norm."""
    reduction = _reduction("cosine_embedding_loss", size_average, reduce, reduction)
    axis = input1.ndim - 1
    dot = ops.sum(ops.mul(input1, input2), axis=axis)
    norms = ops.mul(ops.add(ops.sum(ops.mul(input1, input1), axis=axis), 1e-12),
                    ops.add(ops.sum(ops.mul(input2, input2), axis=axis), 1e-12))
    cos = ops.div(dot, ops.sqrt(norms))
    zero = ops.mul(cos, 0.0)
    positive = ops.where(ops.eq(target, 1), ops.sub(1.0, cos), zero)
    negative = ops.where(ops.eq(target, -1), ops.relu(ops.sub(cos, margin)), zero)
    return reduce_loss(ops.add(positive, negative), reduction)


def triplet_margin_loss(anchor: Any, positive: Any, negative: Any, margin: float = 1.0,
                        p: float = 2, eps: float = 1e-6, swap: bool = False,
                        size_average: Any = None, reduce: Any = None,
                        reduction: str = "mean") -> Any:
    """``max(0, margin + d(anchor, positive) - d(anchor, negative))`` with the p-norm pairwise
    distance; ``swap`` uses the smaller of d(anchor, negative) and d(positive, negative)."""
    reduction = _reduction("triplet_margin_loss", size_average, reduce, reduction)
    if margin <= 0:
        raise ValueError(f"TripletMarginLoss: expected margin to be greater than 0, got "
                         f"{margin} instead")
    d_positive = pairwise_distance(anchor, positive, p, eps)
    d_negative = pairwise_distance(anchor, negative, p, eps)
    if swap:
        d_negative = ops.minimum(d_negative, pairwise_distance(positive, negative, p, eps))
    return reduce_loss(ops.relu(ops.add(ops.sub(d_positive, d_negative), margin)), reduction)


def poisson_nll_loss(input: Any, target: Any, log_input: bool = True, full: bool = False,
                     size_average: Any = None, eps: float = 1e-8, reduce: Any = None,
                     reduction: str = "mean") -> Any:
    """The Poisson negative log likelihood: ``exp(input) - target * input`` (``log_input``) or
    ``input - target * log(input + eps)``; ``full`` adds Stirling's term where target > 1."""
    reduction = _reduction("poisson_nll_loss", size_average, reduce, reduction)
    if log_input:
        loss = ops.sub(ops.exp(input), ops.mul(target, input))
    else:
        loss = ops.sub(input, ops.mul(target, ops.log(ops.add(input, eps))))
    if full:
        # target log target - target + log(2 pi target) / 2, where target > 1 (else 0); the
        # log's argument is kept positive where the term is not used.
        safe = ops.where(ops.gt(target, 1), target, ops.mul(target, 0.0) + 2.0)
        stirling = ops.add(ops.sub(ops.mul(safe, ops.log(safe)), safe),
                           ops.mul(ops.log(ops.mul(safe, 2 * math.pi)), 0.5))
        loss = ops.add(loss, ops.where(ops.gt(target, 1), stirling, ops.mul(stirling, 0.0)))
    return reduce_loss(loss, reduction)


def gaussian_nll_loss(input: Any, target: Any, var: Any, full: bool = False,
                      eps: float = 1e-6, reduction: str = "mean") -> Any:
    """``0.5 (log(var) + (input - target)^2 / var)`` (+ ``0.5 log(2 pi)`` with ``full``);
    ``var`` is clamped to at least ``eps`` for the value only (its gradient is unclamped, as
    PyTorch's), and may lack the last dim of ``input`` or have size 1 there."""
    reduction = check_reduction("gaussian_nll_loss", reduction)
    in_shape, var_shape = tuple(input.shape), tuple(var.shape)
    if var_shape != in_shape:
        if in_shape[:-1] == var_shape:
            var = ops.expand_dims(var, axis=var.ndim)
        elif not (in_shape[:-1] == var_shape[:-1] and var_shape[-1:] == (1,)):
            raise ValueError("var is of incorrect size")
    if bool((ops.stop_gradient(var) < 0).any()):
        raise ValueError("var has negative entry/entries")
    clamped = ops.add(var, ops.stop_gradient(ops.sub(ops.clip(var, min=eps), var)))
    diff = ops.sub(input, target)
    loss = ops.mul(ops.add(ops.log(clamped), ops.div(ops.mul(diff, diff), clamped)), 0.5)
    if full:
        loss = ops.add(loss, 0.5 * math.log(2 * math.pi))
    return reduce_loss(loss, reduction)


def triplet_margin_with_distance_loss(anchor: Any, positive: Any, negative: Any, *,
                                      distance_function: Any = None, margin: float = 1.0,
                                      swap: bool = False, reduction: str = "mean") -> Any:
    """``max(margin + d(anchor, positive) - d(anchor, negative), 0)`` with any distance ``d``
    (by default `pairwise_distance`); ``swap`` takes the smaller of the two negative
    distances (Balntas et al.)."""
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    if not anchor.ndim == positive.ndim == negative.ndim:
        raise RuntimeError("The anchor, positive, and negative tensors are expected to have the "
                           f"same number of dimensions, but got: anchor {anchor.ndim}D, "
                           f"positive {positive.ndim}D, and negative {negative.ndim}D inputs")
    distance = pairwise_distance if distance_function is None else distance_function
    dist_pos, dist_neg = distance(anchor, positive), distance(anchor, negative)
    if swap:
        dist_neg = ops.minimum(dist_neg, distance(positive, negative))
    return reduce_loss(ops.relu(ops.sub(ops.add(dist_pos, margin), dist_neg)), reduction)


__all__ = ["margin_ranking_loss", "hinge_embedding_loss", "soft_margin_loss",
           "multilabel_soft_margin_loss", "cosine_embedding_loss", "triplet_margin_loss",
           "poisson_nll_loss", "gaussian_nll_loss", "triplet_margin_with_distance_loss"]
