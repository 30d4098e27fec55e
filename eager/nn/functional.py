"""``eager.nn.functional``: PyTorch's functional API as thin wrappers over shared_ops.

Each function maps PyTorch's argument names onto the op's (``dim`` -> ``axis``) and calls the
shared op, so it runs on eager Tensors, on plain arrays, and - inside a traced Module - on
static graph nodes alike. PyTorch options the ops lack (class ``weight``, ``pos_weight``,
``label_smoothing``) are composed here from the same ops; the few still missing raise
``NotImplementedError`` instead of being ignored.

The one piece of state here is randomness: `dropout` draws a fresh integer seed from eager's
global generator and hands it to the ``dropout`` op, whose mask is a pure function of that
seed. Traced into a static graph, the seed is the graph's own per-step seed instead.

    >>> import eager, eager.nn.functional as F
    >>> F.relu(eager.tensor([-1.0, 2.0]))
    tensor([0., 2.])
"""

from __future__ import annotations

from typing import Any

import shared_ops as ops

from ..utils._rng import seed_from_global
from .option_checks import check_reduction, refuse_unsupported


# --- layers ----------------------------------------------------------------------------------
def linear(input: Any, weight: Any, bias: Any = None) -> Any:
    """``input @ weight.T + bias`` with PyTorch's (out_features, in_features) weight."""
    return ops.linear(input, weight, bias)


def conv2d(input: Any, weight: Any, bias: Any = None, stride: Any = 1, padding: Any = 0,
           dilation: Any = 1, groups: int = 1) -> Any:
    """2-d convolution, NCHW input and (out, in/groups, kH, kW) weight."""
    return ops.conv2d(input, weight, bias, stride=stride, padding=padding, dilation=dilation,
                      groups=groups)


def max_pool2d(input: Any, kernel_size: Any, stride: Any = None, padding: Any = 0,
               dilation: Any = 1, ceil_mode: bool = False, return_indices: bool = False) -> Any:
    if ceil_mode or return_indices:
        refuse_unsupported("max_pool2d", ceil_mode=(ceil_mode, False),
                           return_indices=(return_indices, False))
    return ops.max_pool2d(input, kernel_size, stride=stride, padding=padding, dilation=dilation)


def avg_pool2d(input: Any, kernel_size: Any, stride: Any = None, padding: Any = 0,
               ceil_mode: bool = False, count_include_pad: bool = True,
               divisor_override: int | None = None) -> Any:
    if ceil_mode or divisor_override is not None:
        refuse_unsupported("avg_pool2d", ceil_mode=(ceil_mode, False),
                           divisor_override=(divisor_override, None))
    return ops.avg_pool2d(input, kernel_size, stride=stride, padding=padding,
                          count_include_pad=count_include_pad)


def embedding(input: Any, weight: Any, padding_idx: int | None = None,
              max_norm: float | None = None) -> Any:
    """Rows of ``weight`` picked by the integer ``input`` (any shape)."""
    refuse_unsupported("embedding", padding_idx=(padding_idx, None), max_norm=(max_norm, None))
    return ops.embedding(input, weight)


def layer_norm(input: Any, normalized_shape: Any, weight: Any = None, bias: Any = None,
               eps: float = 1e-5) -> Any:
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    return ops.layer_norm(input, shape, weight, bias, eps=eps)


def dropout(input: Any, p: float = 0.5, training: bool = True, inplace: bool = False) -> Any:
    """Zero each element with probability ``p`` and scale the rest by ``1 / (1 - p)``.

    The mask comes from a fresh seed on every call: drawn from eager's global generator, or,
    while the call is traced into a static graph, a seed node that changes every step of that
    graph (`shared_ops.fresh_seed` asks the input's mode). No seed is drawn when not training.
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if inplace:
        refuse_unsupported("dropout", inplace=(inplace, False))
    if not training or p == 0.0:
        return input
    return ops.dropout(input, ops.fresh_seed(input, seed_from_global), p=float(p),
                       training=True)


def flatten(input: Any, start_dim: int = 0, end_dim: int = -1) -> Any:
    """Merge dims ``start_dim..end_dim`` into one (the batch-preserving `nn.Flatten` uses 1)."""
    shape = tuple(input.shape)
    nd = len(shape)
    start, end = start_dim % max(nd, 1), end_dim % max(nd, 1)
    if start > end:
        raise ValueError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim}")
    if start == end:
        return input
    middle = shape[start:end + 1]
    known = None not in middle
    size = 1
    for d in middle:
        size *= d if d is not None else 1
    lead = tuple(d if d is not None else -1 for d in shape[:start])
    trail = tuple(d if d is not None else -1 for d in shape[end + 1:])
    new = lead + ((size,) if known else (-1,)) + trail
    if new.count(-1) > 1:
        raise ValueError(f"flatten: cannot flatten shape {shape} with more than one unknown dim")
    return ops.reshape(input, shape=new)


# --- activations -----------------------------------------------------------------------------
def relu(input: Any, inplace: bool = False) -> Any:
    if inplace:
        refuse_unsupported("relu", inplace=(inplace, False))
    return ops.relu(input)


def sigmoid(input: Any) -> Any:
    return ops.sigmoid(input)


def tanh(input: Any) -> Any:
    return ops.tanh(input)


def gelu(input: Any, approximate: str = "none") -> Any:
    if approximate not in ("none", "tanh"):
        raise ValueError(f"approximate argument must be either none or tanh, got {approximate}")
    return ops.gelu(input, approximate=approximate)


def _softmax_dim(ndim: int) -> int:
    # PyTorch's legacy implicit choice when dim is not given.
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input: Any, dim: int | None = None, dtype: Any = None) -> Any:
    if dtype is not None:
        input = ops.cast(input, dtype=dtype)
    return ops.softmax(input, axis=_softmax_dim(input.ndim) if dim is None else dim)


def log_softmax(input: Any, dim: int | None = None, dtype: Any = None) -> Any:
    if dtype is not None:
        input = ops.cast(input, dtype=dtype)
    return ops.log_softmax(input, axis=_softmax_dim(input.ndim) if dim is None else dim)


# --- losses ----------------------------------------------------------------------------------
def _reduce(loss: Any, reduction: str, denominator: Any = None) -> Any:
    """Apply ``reduction`` to per-element losses ("mean" over ``denominator`` when given)."""
    if reduction == "none":
        return loss
    total = ops.sum(loss)
    if reduction == "sum":
        return total
    return ops.mean(loss) if denominator is None else ops.div(total, denominator)


def mse_loss(input: Any, target: Any, reduction: str = "mean") -> Any:
    return ops.mse(input, target, reduction=check_reduction("mse_loss", reduction))


def binary_cross_entropy(input: Any, target: Any, weight: Any = None,
                         reduction: str = "mean") -> Any:
    """BCE of probabilities; ``weight`` (broadcastable to the input) rescales each element."""
    reduction = check_reduction("binary_cross_entropy", reduction)
    if weight is None:
        return ops.binary_cross_entropy(input, target, reduction=reduction)
    loss = ops.binary_cross_entropy(input, target, reduction="none")
    return _reduce(ops.mul(loss, weight), reduction)


def binary_cross_entropy_with_logits(input: Any, target: Any, weight: Any = None,
                                     reduction: str = "mean", pos_weight: Any = None) -> Any:
    """BCE of ``sigmoid(input)``, stably; ``pos_weight`` scales the positive term (per class,
    broadcast along the last dim), ``weight`` each element."""
    reduction = check_reduction("binary_cross_entropy_with_logits", reduction)
    if weight is None and pos_weight is None:
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
    return _reduce(loss, reduction)


def _class_weighted_nll(logp: Any, target: Any, weight: Any, ignore_index: int,
                        reduction: str) -> Any:
    """NLL with per-class weights: each picked log-probability times ``weight[target]``;
    "mean" divides by the summed weights of the targets that count (PyTorch's definition)."""
    losses = ops.nll_loss(logp, target, reduction="none", ignore_index=ignore_index)
    valid = ops.ne(target, ignore_index)
    picked = ops.getitem(weight, ops.where(valid, target, 0))  # ignored -> class 0, masked
    w = ops.mul(picked, ops.cast(valid, dtype=weight.dtype))
    return _reduce(ops.mul(losses, w), reduction, ops.sum(w))


def _smoothed_cross_entropy(input: Any, target: Any, ignore_index: int, reduction: str,
                            eps: float) -> Any:
    """Cross-entropy against targets mixed with the uniform distribution (weight ``eps``):
    ``(1 - eps) * nll + eps * mean_c(-log p_c)``, PyTorch's ``label_smoothing``."""
    if not 0.0 <= eps <= 1.0:
        raise ValueError(f"label_smoothing must be between 0.0 and 1.0. Got: {eps}")
    axis = 1 if input.ndim >= 2 else 0
    n_classes = input.shape[axis]
    logp = ops.log_softmax(input, axis=axis)
    if target.dtype.kind == "f":  # class probabilities: smooth them, then plain soft CE
        smoothed = ops.add(ops.mul(target, 1.0 - eps), eps / n_classes)
        return ops.cross_entropy(input, smoothed, reduction=reduction)
    nll = ops.nll_loss(logp, target, reduction="none", ignore_index=ignore_index)
    valid = ops.cast(ops.ne(target, ignore_index), dtype=logp.dtype)
    uniform = ops.mul(ops.neg(ops.mean(logp, axis=axis)), valid)
    loss = ops.add(ops.mul(nll, 1.0 - eps), ops.mul(uniform, eps))
    return _reduce(loss, reduction, ops.sum(valid))


def cross_entropy(input: Any, target: Any, weight: Any = None, ignore_index: int = -100,
                  reduction: str = "mean", label_smoothing: float = 0.0) -> Any:
    """Softmax cross-entropy of (N, C) logits against (N,) integer class indices (or class
    probabilities of the logits' shape); targets equal to ``ignore_index`` count for nothing,
    ``weight`` (C,) rescales each class."""
    reduction = check_reduction("cross_entropy", reduction)
    if label_smoothing != 0.0:
        if weight is not None:
            refuse_unsupported("cross_entropy with label_smoothing", weight=(weight, None))
        return _smoothed_cross_entropy(input, target, ignore_index, reduction,
                                       float(label_smoothing))
    if weight is None:
        return ops.cross_entropy(input, target, reduction=reduction, ignore_index=ignore_index)
    if target.dtype.kind == "f":
        refuse_unsupported("cross_entropy with class-probability targets", weight=(weight, None))
    logp = ops.log_softmax(input, axis=1 if input.ndim >= 2 else 0)
    return _class_weighted_nll(logp, target, weight, ignore_index, reduction)


def nll_loss(input: Any, target: Any, weight: Any = None, ignore_index: int = -100,
             reduction: str = "mean") -> Any:
    """Negative log-likelihood of (N, C) log-probabilities at (N,) integer class indices;
    ``weight`` (C,) rescales each class."""
    reduction = check_reduction("nll_loss", reduction)
    if weight is None:
        return ops.nll_loss(input, target, reduction=reduction, ignore_index=ignore_index)
    return _class_weighted_nll(input, target, weight, ignore_index, reduction)
