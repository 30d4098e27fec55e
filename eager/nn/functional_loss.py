"""Loss functions of ``eager.nn.functional``, PyTorch's signatures over shared ops.

The legacy ``size_average``/``reduce`` arguments are accepted and mapped to ``reduction`` as
PyTorch maps them (with its deprecation warning). PyTorch options the ops lack (class
``weight``, ``pos_weight``, ``label_smoothing``) are composed here from the same ops.

    >>> import eager
    >>> smooth_l1_loss(eager.tensor([0.5, 3.0]), eager.tensor([0.0, 0.0]), reduction="none")
    tensor([0.1250, 2.5000])
"""

from __future__ import annotations

import warnings
from typing import Any

import shared_ops as ops
from shared_ops.tensor_api_core import scalar_type_name

from .option_checks import check_reduction, legacy_reduction


def reduce_loss(loss: Any, reduction: str, denominator: Any = None) -> Any:
    """Apply ``reduction`` to per-element losses ("mean" over ``denominator`` when given)."""
    if reduction == "none":
        return loss
    total = ops.sum(loss)
    if reduction == "sum":
        return total
    return ops.mean(loss) if denominator is None else ops.div(total, denominator)


def in_dtype_of(value: Any, like: Any) -> Any:
    """``value`` cast to ``like``'s floating dtype where both are floating and differ: the
    losses PyTorch computes in one operand's dtype (huber, soft margin: the input's; BCE with
    logits: the target's) rather than promoting."""
    want = getattr(like, "dtype", None)
    have = getattr(value, "dtype", None)
    if want is None or have is None or want == have or want.kind != "f" or have.kind != "f":
        return value
    return ops.cast(value, dtype=want)


def _warn_sizes(input: Any, target: Any) -> None:
    if tuple(getattr(target, "shape", ())) != tuple(input.shape):
        warnings.warn(f"Using a target size ({tuple(target.shape)}) that is different to the "
                      f"input size ({tuple(input.shape)}). This will likely lead to incorrect "
                      "results due to broadcasting. Please ensure they have the same size.",
                      stacklevel=3)


def _weighted(loss: Any, input: Any, weight: Any, reduction: str, mean_over_weights: bool):
    """PyTorch's elementwise ``weight`` of the regression losses ("mean" is the weighted mean
    for mse/l1, the plain mean of the weighted losses for huber)."""
    if tuple(weight.shape) != tuple(input.shape):
        raise ValueError("Weights and input must have the same size.")
    loss = ops.mul(loss, weight)
    return reduce_loss(loss, reduction, ops.sum(weight) if mean_over_weights else None)


def mse_loss(input: Any, target: Any, size_average: bool | None = None,
             reduce: bool | None = None, reduction: str = "mean", weight: Any = None) -> Any:
    """Mean squared error ``(input - target)^2``."""
    _warn_sizes(input, target)
    reduction = check_reduction("mse_loss", legacy_reduction(size_average, reduce, reduction))
    if weight is None:
        return ops.mse(input, target, reduction=reduction)
    diff = ops.sub(input, target)
    return _weighted(ops.mul(diff, diff), input, weight, reduction, True)


def l1_loss(input: Any, target: Any, size_average: bool | None = None,
            reduce: bool | None = None, reduction: str = "mean", weight: Any = None) -> Any:
    """Mean absolute error ``|input - target|`` (gradient 0 where they are equal)."""
    _warn_sizes(input, target)
    reduction = check_reduction("l1_loss", legacy_reduction(size_average, reduce, reduction))
    loss = ops.abs(ops.sub(input, target))
    if weight is None:
        return reduce_loss(loss, reduction)
    return _weighted(loss, input, weight, reduction, True)


def _quadratic_then_linear(input: Any, target: Any, cut: float) -> tuple[Any, Any]:
    """``(0.5 d^2, |d| - 0.5 cut)`` and the mask ``|d| < cut``, d = input - target."""
    diff = ops.sub(input, target)
    size = ops.abs(diff)
    return ops.lt(size, cut), (ops.mul(ops.mul(diff, diff), 0.5), ops.sub(size, 0.5 * cut))


def smooth_l1_loss(input: Any, target: Any, size_average: bool | None = None,
                   reduce: bool | None = None, reduction: str = "mean",
                   beta: float = 1.0) -> Any:
    """``0.5 d^2 / beta`` where ``|d| < beta``, else ``|d| - 0.5 beta`` (L1 when beta is 0)."""
    _warn_sizes(input, target)
    reduction = check_reduction("smooth_l1_loss",
                                legacy_reduction(size_average, reduce, reduction))
    if beta < 0:
        raise RuntimeError("smooth_l1_loss does not support negative values for beta.")
    return ops.smooth_l1_loss(input, target, reduction=reduction, beta=beta)


def huber_loss(input: Any, target: Any, reduction: str = "mean", delta: float = 1.0,
               weight: Any = None) -> Any:
    """``0.5 d^2`` where ``|d| < delta``, else ``delta (|d| - 0.5 delta)``."""
    _warn_sizes(input, target)
    reduction = check_reduction("huber_loss", reduction)
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    target = in_dtype_of(target, input)
    if weight is None:  # (one HuberLossBackward0 node on Tensors, as torch's)
        return ops.huber_loss(input, target, reduction=reduction, delta=delta)
    small, (square, linear) = _quadratic_then_linear(input, target, delta)
    return _weighted(ops.where(small, square, ops.mul(linear, delta)), input, weight, reduction,
                     False)


def kl_div(input: Any, target: Any, size_average: bool | None = None,
           reduce: bool | None = None, reduction: str = "mean",
           log_target: bool = False) -> Any:
    """Pointwise KL divergence ``target * (log(target) - input)`` of log-probabilities
    ``input`` (``0`` where target is 0); ``log_target``: the target is given as logs too.
    ``reduction="batchmean"`` divides the sum by the batch size (the true KL divergence)."""
    if size_average is not None or reduce is not None:
        reduction = legacy_reduction(size_average, reduce, reduction)
    elif reduction == "mean":
        warnings.warn("reduction: 'mean' divides the total loss by both the batch size and the "
                      "support size.'batchmean' divides only by the batch size, and aligns with "
                      "the KL div math definition.'mean' will be changed to behave the same as "
                      "'batchmean' in the next major release.", stacklevel=2)
    if reduction != "batchmean":
        check_reduction("kl_div", reduction)
    if log_target:
        loss = ops.mul(ops.exp(target), ops.sub(target, input))
    else:
        positive = ops.gt(target, 0)
        # xlogy(t, t): log of 1 where t is 0, so neither value nor gradient is 0 * -inf.
        t_log_t = ops.where(positive, ops.mul(target, ops.log(ops.where(positive, target, 1.0))),
                            0.0)
        loss = ops.sub(t_log_t, ops.mul(target, input))
    if reduction == "batchmean":
        total = ops.sum(loss)
        if input.ndim == 0:
            return total
        batch = input.shape[0]  # unknown in a traced graph: counted at run time
        return ops.div(total, batch if batch is not None else ops.numel(input, axis=0))
    return reduce_loss(loss, reduction)


def binary_cross_entropy(input: Any, target: Any, weight: Any = None,
                         size_average: bool | None = None, reduce: bool | None = None,
                         reduction: str = "mean") -> Any:
    """BCE of probabilities; ``weight`` (broadcastable to the input) rescales each element."""
    reduction = check_reduction("binary_cross_entropy",
                                legacy_reduction(size_average, reduce, reduction))
    if getattr(target, "dtype", input.dtype) != input.dtype:  # PyTorch does not promote here
        raise RuntimeError(f"Found dtype {scalar_type_name(target.dtype)} but expected "
                           f"{scalar_type_name(input.dtype)}")
    if weight is None:
        return ops.binary_cross_entropy(input, target, reduction=reduction)
    loss = ops.binary_cross_entropy(input, target, reduction="none")
    return reduce_loss(ops.mul(loss, weight), reduction)


def binary_cross_entropy_with_logits(input: Any, target: Any, weight: Any = None,
                                     size_average: bool | None = None,
                                     reduce: bool | None = None, reduction: str = "mean",
                                     pos_weight: Any = None) -> Any:
    """BCE of ``sigmoid(input)``, stably; ``pos_weight`` scales the positive term (per class,
    broadcast along the last dim), ``weight`` each element."""
    reduction = check_reduction("binary_cross_entropy_with_logits",
                                legacy_reduction(size_average, reduce, reduction))
    mixed = any(in_dtype_of(v, target) is not v for v in (input, weight, pos_weight))
    if weight is None and pos_weight is None and not mixed:
        return ops.binary_cross_entropy_with_logits(input, target, reduction=reduction)
    if pos_weight is None:
        loss = ops.binary_cross_entropy_with_logits(input, target, reduction="none")
    else:
        # PyTorch's form: (1 - y) x + (1 + (pw - 1) y) softplus(-x), where
        # softplus(-x) = log1p(exp(-|x|)) + max(-x, 0) never overflows.
        softplus_neg = ops.add(ops.log1p(ops.exp(ops.neg(ops.abs(input)))),
                               ops.relu(ops.neg(input)))
        scale = ops.add(1.0, ops.mul(ops.sub(pos_weight, 1.0), target))
        loss = ops.add(ops.mul(ops.sub(1.0, target), input), ops.mul(scale, softplus_neg))
    if weight is not None:
        loss = ops.mul(loss, weight)
    # PyTorch's kernel writes every step into a tensor of the target's dtype.
    return reduce_loss(in_dtype_of(loss, target), reduction)


def _class_weighted_nll(logp: Any, target: Any, weight: Any, ignore_index: int,
                        reduction: str) -> Any:
    """NLL with per-class weights: each picked log-probability times ``weight[target]``;
    "mean" divides by the summed weights of the targets that count (PyTorch's definition)."""
    losses = ops.nll_loss(logp, target, reduction="none", ignore_index=ignore_index)
    valid = ops.ne(target, ignore_index)
    picked = ops.getitem(weight, ops.where(valid, target, 0))  # ignored -> class 0, masked
    w = ops.mul(picked, ops.cast(valid, dtype=weight.dtype))
    return reduce_loss(ops.mul(losses, w), reduction, ops.sum(w))


def _along_classes(weight: Any, input: Any, axis: int) -> Any:
    """The (C,) class weights shaped to broadcast against ``input`` along its class axis."""
    shape = [1] * input.ndim
    shape[axis] = -1
    return ops.reshape(weight, shape=tuple(shape))


def _probability_target_ce(logp: Any, target: Any, weight: Any, axis: int,
                           reduction: str) -> Any:
    """Soft cross-entropy ``-sum_c w_c t_c log p_c`` per sample; "mean" averages over the
    samples (the class weights do not enter the divisor here, as in PyTorch)."""
    picked = ops.mul(logp, target)
    if weight is not None:
        picked = ops.mul(picked, _along_classes(weight, logp, axis))
    return reduce_loss(ops.neg(ops.sum(picked, axis=axis)), reduction)


def _smoothed_cross_entropy(input: Any, target: Any, weight: Any, ignore_index: int,
                            reduction: str, eps: float) -> Any:
    """Cross-entropy against targets mixed with the uniform distribution (weight ``eps``),
    PyTorch's ``label_smoothing``: ``(1 - eps) * nll + eps / C * sum_c(-w_c log p_c)``, the
    second term reduced over the same (weighted) count as the first."""
    if not 0.0 <= eps <= 1.0:
        raise ValueError(f"label_smoothing must be between 0.0 and 1.0. Got: {eps}")
    axis = 1 if input.ndim >= 2 else 0
    n_classes = input.shape[axis]
    logp = ops.log_softmax(input, axis=axis)
    if target.dtype.kind == "f":  # class probabilities: smooth them, then plain soft CE
        smoothed = ops.add(ops.mul(target, 1.0 - eps), eps / n_classes)
        if weight is None:
            return ops.cross_entropy(input, smoothed, reduction=reduction)
        return _probability_target_ce(logp, smoothed, weight, axis, reduction)
    valid = ops.ne(target, ignore_index)
    if weight is None:
        nll = ops.nll_loss(logp, target, reduction=reduction, ignore_index=ignore_index)
        spread = logp
        count = ops.sum(ops.cast(valid, dtype=logp.dtype))
    else:
        nll = _class_weighted_nll(logp, target, weight, ignore_index, reduction)
        spread = ops.mul(logp, _along_classes(weight, logp, axis))
        picked = ops.getitem(weight, ops.where(valid, target, 0))
        count = ops.sum(ops.mul(picked, ops.cast(valid, dtype=weight.dtype)))
    smooth = ops.mul(ops.neg(ops.sum(spread, axis=axis)), ops.cast(valid, dtype=logp.dtype))
    smooth = reduce_loss(smooth, reduction, count)
    return ops.add(ops.mul(nll, 1.0 - eps), ops.mul(smooth, eps / n_classes))


def _check_class_target(input: Any, target: Any, probabilities: bool) -> None:
    """PyTorch's rule for class-index targets: int64 or uint8 only (an int32 target is
    refused, not cast); cross_entropy also takes floating class probabilities of the input's
    shape."""
    dtype = getattr(target, "dtype", None)
    if dtype is None:
        return
    name = scalar_type_name(dtype)
    if name in ("Long", "Byte") or (probabilities and dtype.kind == "f"
                                    and tuple(target.shape) == tuple(input.shape)):
        return
    raise RuntimeError(f"expected target dtype to be Long or Byte, but got {name}")


def cross_entropy(input: Any, target: Any, weight: Any = None, size_average: bool | None = None,
                  ignore_index: int = -100, reduce: bool | None = None, reduction: str = "mean",
                  label_smoothing: float = 0.0) -> Any:
    """Softmax cross-entropy of (N, C) logits against (N,) integer class indices (or class
    probabilities of the logits' shape); targets equal to ``ignore_index`` count for nothing,
    ``weight`` (C,) rescales each class."""
    reduction = check_reduction("cross_entropy",
                                legacy_reduction(size_average, reduce, reduction))
    _check_class_target(input, target, probabilities=True)
    if label_smoothing != 0.0:
        return _smoothed_cross_entropy(input, target, weight, ignore_index, reduction,
                                       float(label_smoothing))
    if weight is None:
        return ops.cross_entropy(input, target, reduction=reduction, ignore_index=ignore_index)
    logp = ops.log_softmax(input, axis=1 if input.ndim >= 2 else 0)
    if target.dtype.kind == "f":
        return _probability_target_ce(logp, target, weight, 1 if input.ndim >= 2 else 0,
                                      reduction)
    return _class_weighted_nll(logp, target, weight, ignore_index, reduction)


def nll_loss(input: Any, target: Any, weight: Any = None, size_average: bool | None = None,
             ignore_index: int = -100, reduce: bool | None = None,
             reduction: str = "mean") -> Any:
    """Negative log-likelihood of (N, C) log-probabilities at (N,) integer class indices;
    ``weight`` (C,) rescales each class."""
    reduction = check_reduction("nll_loss", legacy_reduction(size_average, reduce, reduction))
    _check_class_target(input, target, probabilities=False)
    if weight is None:
        return ops.nll_loss(input, target, reduction=reduction, ignore_index=ignore_index)
    return _class_weighted_nll(input, target, weight, ignore_index, reduction)


__all__ = ["mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss", "kl_div",
           "binary_cross_entropy", "binary_cross_entropy_with_logits", "cross_entropy",
           "nll_loss", "reduce_loss"]
