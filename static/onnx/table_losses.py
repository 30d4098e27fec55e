"""Converters of losses, activation gradients and sorting: what a loss or gradient graph
holds besides the forward ops, and PyTorch's ordering ops.

Class-index losses keep the class axis at 1 (PyTorch's and ONNX's layout); a 1-d input (one
sample) is given a batch of one around the ONNX op.
"""

from __future__ import annotations

import numpy as np

from .registry import converts


def _batched(e, node, x):
    """(logits, target, whether a batch of one was added) for a class-index loss."""
    logits, target = x[0], e.cast(x[1], node.inputs[1].aval.dtype, np.int64)
    if node.inputs[0].ndim == 1:
        return (e.op("Unsqueeze", logits, e.ints([0])), e.op("Unsqueeze", target, e.ints([0])),
                True)
    return logits, target, False


def _class_loss(e, node, x, op_type: str):
    a = node.attrs
    logits, target, added = _batched(e, node, x)
    reduction = a.get("reduction", "mean")
    loss = e.op(op_type, logits, target, reduction=reduction,
                ignore_index=int(a.get("ignore_index", -100)))
    if isinstance(loss, list):  # SoftmaxCrossEntropyLoss may also give its log-probabilities
        loss = loss[0]
    return e.op("Squeeze", loss, e.ints([0])) if added and reduction == "none" else loss


@converts("nll_loss", onnx="NegativeLogLikelihoodLoss")
def _nll_loss(e, node, x):
    return _class_loss(e, node, x, "NegativeLogLikelihoodLoss")


@converts("softmax_cross_entropy", onnx="SoftmaxCrossEntropyLoss")
def _softmax_cross_entropy(e, node, x):
    return _class_loss(e, node, x, "SoftmaxCrossEntropyLoss")


@converts("sigmoid_bce", onnx="Softplus, Mul, Sub (, ReduceMean / ReduceSum)",
          note="softplus(x) - x * y")
def _sigmoid_bce(e, node, x):
    logits, y = x
    loss = e.op("Sub", e.op("Softplus", logits), e.op("Mul", logits, y))
    reduction = node.attrs.get("reduction", "mean")
    if reduction == "none":
        return loss
    return e.op("ReduceMean" if reduction == "mean" else "ReduceSum", loss, keepdims=0)


@converts("relu_grad", onnx="Greater, Where")
def _relu_grad(e, node, x):
    g, out = x
    zero = e.const(0, node.inputs[1].aval.dtype)
    return e.op("Where", e.op("Greater", out, zero), g, e.const(0, node.aval.dtype))


@converts("sigmoid_grad", onnx="Sub, Mul")
def _sigmoid_grad(e, node, x):
    g, s = x
    one = e.const(1, node.aval.dtype)
    return e.op("Mul", g, e.op("Mul", s, e.op("Sub", one, s)))


@converts("tanh_grad", onnx="Mul, Sub")
def _tanh_grad(e, node, x):
    g, t = x
    one = e.const(1, node.aval.dtype)
    return e.op("Mul", g, e.op("Sub", one, e.op("Mul", t, t)))


def _sorted_indices(e, node, x: str, dim: int, k: str, largest: bool) -> str:
    """TopK's indices: it puts the lower index first among equal values, a stable order as
    the kernels'. onnxruntime's TopK dies (SIGFPE) on an empty input, so an input that may
    be empty gets an ``If``: empty -> an empty result of the output's shape."""

    if node.inputs[0].aval.dtype == np.bool_:  # TopK takes numbers: False < True as 0 < 1
        x = e.op("Cast", x, to=e.onnx_type(np.int32))

    def top(b):
        return b.op("TopK", x, k, axis=dim, largest=int(largest), sorted=1, n_out=2)[1]

    shape = node.inputs[0].aval.shape
    if None not in shape and 0 not in shape:
        return top(e)
    out_shape = e.op("Shape", x) if node.op == "argsort" else \
        e.op("ScatterElements", e.op("Shape", x), e.ints([dim]), k, axis=0)
    empty = e.op("Equal", e.op("ReduceProd", e.op("Shape", x), keepdims=0),
                 e.const(0, np.int64))
    zeros = e.tensor(np.zeros(1, np.int64))
    return e.choose(empty, lambda b: b.op("ConstantOfShape", out_shape, value=zeros), top,
                    np.int64)


@converts("topk_indices", onnx="TopK", note="NaN is placed unlike PyTorch (there: the largest)")
def _topk(e, node, x):
    return _indices_along_dim(e, node, x[0], lambda dim: e.ints([node.attrs["k"]]),
                              node.attrs.get("largest", True))


@converts("argsort", onnx="Shape, TopK (k = the dim's size)",
          note="NaN is placed unlike PyTorch (there: the largest)")
def _argsort(e, node, x):
    return _indices_along_dim(e, node, x[0], lambda dim: e.shape_dim(x[0], dim),
                              bool(node.attrs.get("descending", False)))


def _indices_along_dim(e, node, x: str, k_of, largest) -> str:
    """`_sorted_indices` along the node's ``dim`` attribute (default -1), ``k_of(dim)`` of
    them; a 0-d input has the one index 0, as in PyTorch."""
    ndim = node.inputs[0].ndim
    if ndim == 0:
        return e.const(0, np.int64)
    dim = int(node.attrs.get("dim", -1)) % ndim
    return _sorted_indices(e, node, x, dim, k_of(dim), largest)


@converts("argwhere", onnx="NonZero, Transpose")
def _argwhere(e, node, x):
    if node.inputs[0].ndim == 0:  # NumPy: one row (or none) of zero coordinates
        rows = e.op("Transpose", e.op("NonZero", e.op("Reshape", x[0], e.ints([1]))),
                    perm=(1, 0))
        return e.op("Slice", rows, e.ints([0]), e.ints([0]), e.ints([1]))
    return e.op("Transpose", e.op("NonZero", x[0]), perm=(1, 0))


@converts("clamped_bce", onnx="Log, Max, Sub, Mul (, ReduceMean / ReduceSum)",
          note="PyTorch's BCE: each log clamped at -100")
def _clamped_bce(e, node, x):
    p, y = x
    dtype = node.aval.dtype
    floor, one = e.const(-100, dtype), e.const(1, dtype)
    log_p = e.op("Max", e.op("Log", p), floor)
    log_q = e.op("Max", e.op("Log", e.op("Sub", one, p)), floor)
    # -(y log p + (1 - y) log q) = y (log q - log p) - log q, as the kernel.
    loss = e.op("Sub", e.op("Mul", y, e.op("Sub", log_q, log_p)), log_q)
    reduction = node.attrs.get("reduction", "mean")
    if reduction == "none":
        return loss
    return e.op("ReduceMean" if reduction == "mean" else "ReduceSum", loss, keepdims=0)
