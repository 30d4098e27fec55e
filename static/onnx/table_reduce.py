"""Converters of reductions, scans, softmax pieces and norms (opset 18: axes are inputs)."""

from __future__ import annotations

import math

import numpy as np

from .registry import converts
from .util import as_out, known, norm_axes


def _reduce(e, op_type: str, x: str, axes, keepdims: bool) -> str:
    """``op_type`` over ``axes`` (None: all); ``()`` reduces nothing, as NumPy's axis=()."""
    if axes == ():
        return x
    if axes is None:
        return e.op(op_type, x, keepdims=int(keepdims))
    return e.op(op_type, x, e.ints(axes), keepdims=int(keepdims))


def _reduce_node(e, node, op_type: str, x: str, axis: str = "axis",
                 keep: str = "keepdims") -> str:
    """`_reduce` over the node's own axes and keep flag: attributes ``axis``/``keepdims`` (the
    NumPy spelling) or, named by the caller, ``dim``/``keepdim`` (PyTorch's)."""
    axes = norm_axes(node.attrs.get(axis), node.inputs[0].ndim)
    return _reduce(e, op_type, x, axes, node.attrs.get(keep, False))


@converts("sum", onnx="ReduceSum")
def _sum(e, node, x):
    return _reduce_node(e, node, "ReduceSum", as_out(e, node, x)[0])


@converts("max", onnx="ReduceMax")
@converts("min", onnx="ReduceMin")
def _max_min(e, node, x):
    return _reduce_node(e, node, "ReduceMax" if node.op == "max" else "ReduceMin", x[0])


@converts("prod", onnx="ReduceProd")
def _prod(e, node, x):
    return _reduce_node(e, node, "ReduceProd", as_out(e, node, x)[0], "dim", "keepdim")


@converts("argmax", onnx="ArgMax (Reshape first for axis=None)")
@converts("argmin", onnx="ArgMin (Reshape first for axis=None)")
def _arg(e, node, x):
    op_type = "ArgMax" if node.op == "argmax" else "ArgMin"
    axis, keep = node.attrs.get("axis"), bool(node.attrs.get("keepdims", False))
    if axis is not None:
        return e.op(op_type, x[0], axis=int(axis), keepdims=int(keep))
    flat = e.op(op_type, e.op("Reshape", x[0], e.ints([-1])), axis=0, keepdims=0)
    return e.op("Reshape", flat, e.ints([1] * node.inputs[0].ndim)) if keep else flat


@converts("logsumexp", onnx="ReduceMax, Sub, Exp, ReduceSum, Log, Add",
          note="shifted by the max, as the kernel: ReduceLogSumExp overflows")
def _logsumexp(e, node, x):
    axes = norm_axes(node.attrs.get("axis"), node.inputs[0].ndim)
    keep = bool(node.attrs.get("keepdims", False))
    m = _reduce(e, "ReduceMax", x[0], axes, True)
    s = _reduce(e, "ReduceSum", e.op("Exp", e.op("Sub", x[0], m)), axes, keep)
    m_out = m if keep else _reduce(e, "ReduceMax", x[0], axes, False)
    return e.op("Add", e.op("Log", s), m_out)


@converts("softmax_shift", onnx="ReduceMax")
def _softmax_shift(e, node, x):
    axis = node.attrs.get("axis", -1) % node.inputs[0].ndim
    return e.op("ReduceMax", x[0], e.ints([axis]), keepdims=1)


@converts("fused_softmax", onnx="Softmax")
def _softmax(e, node, x):
    return e.op("Softmax", x[0], axis=int(node.attrs.get("axis", -1)))


@converts("fused_log_softmax", onnx="LogSoftmax")
def _log_softmax(e, node, x):
    return e.op("LogSoftmax", x[0], axis=int(node.attrs.get("axis", -1)))


@converts("numel", onnx="Shape, Gather, ReduceProd, Cast (a constant when the dims are known)")
def _numel(e, node, x):
    src = node.inputs[0]
    axes = norm_axes(node.attrs.get("axis"), src.ndim)
    axes = tuple(range(src.ndim)) if axes is None else axes
    dims = [src.aval.shape[a] for a in axes]
    if known(dims):
        return e.const(math.prod(dims), node.aval.dtype)
    sizes = e.op("Gather", e.op("Shape", x[0]), e.ints(axes), axis=0)
    count = e.op("ReduceProd", sizes, keepdims=0)
    return e.cast(count, np.int64, node.aval.dtype)


@converts("cumsum", onnx="CumSum")
def _cumsum(e, node, x):
    if node.inputs[0].ndim == 0:  # ONNX's CumSum refuses a scalar: its sum is itself
        return as_out(e, node, x)[0]
    axis = int(node.attrs["dim"]) % node.inputs[0].ndim
    return e.op("CumSum", as_out(e, node, x)[0], e.const(axis, np.int64))


@converts("vector_norm", onnx="ReduceL2 (ord 2), ReduceL1 (1), Abs + ReduceMax or ReduceMin "
          "(inf, -inf), Equal + Not + ReduceSum (0), Abs + Pow + ReduceSum + Pow (others)")
def _vector_norm(e, node, x):
    a = node.attrs
    axes = norm_axes(a.get("dim"), node.inputs[0].ndim)
    keep = bool(a.get("keepdim", False))
    v = as_out(e, node, x)[0]
    p = float(a.get("ord", 2))
    if p == 2:
        return _reduce(e, "ReduceL2", v, axes, keep)
    if p == 1:
        return _reduce(e, "ReduceL1", v, axes, keep)
    if math.isinf(p):
        return _reduce(e, "ReduceMax" if p > 0 else "ReduceMin", e.op("Abs", v), axes, keep)
    if p == 0:
        zero = e.op("Equal", v, e.const(0, node.aval.dtype))
        nonzero = e.cast(e.op("Not", zero), np.bool_, node.aval.dtype)
        return _reduce(e, "ReduceSum", nonzero, axes, keep)
    powered = e.op("Pow", e.op("Abs", v), e.const(p, node.aval.dtype))
    return e.op("Pow", _reduce(e, "ReduceSum", powered, axes, keep),
                e.const(1.0 / p, node.aval.dtype))
