"""Fused primitives behind composites' *immediate* forms (see `registry.Composite`).

An eager program runs each op as it is called, so nothing can fuse ``transpose -> matmul ->
add`` after the fact the way the static compiler does; PyTorch's answer is to give the common
layers one kernel each (``addmm``, ``binary_cross_entropy``), and so does this file:

* ``affine(x, weight, bias)``: ``x @ weight.T + bias`` with PyTorch's weight layout
  ``(out_features, in_features)``: one node instead of three, and a gradient rule that skips
  ``dL/dx`` when nobody wants it (the first layer's input);
* ``clamped_bce(p, y, reduction)``: binary cross-entropy of probabilities, each log clamped
  at -100 as PyTorch does; its gradient ``clamped_bce_grad``, ``g (p - y) / max(p (1 - p),
  1e-12)``, PyTorch's formula, is one kernel too (and has a rule of its own: second order).

`linear` and `binary_cross_entropy` call these when their values are at hand; staged graphs
keep the decompositions. ``tests/shared_ops/test_immediate_forms.py`` holds each pair to
each other (values and gradients), the registry walk checks these ops like any other.

    >>> import numpy as np
    >>> affine(np.ones((2, 3)), np.ones((4, 3)), np.zeros(4)).shape
    (2, 4)
"""

from __future__ import annotations

import math

import numpy as np

from ..aval import Aval
from ..errors import DTypeError, ShapeError, describe_shapes
from ..forms import loss_total
from ..registry import primitive
from ._rules import REDUCTIONS, elementwise_loss, mean_scale, shape_of, shapes_agree
from .elementwise import ALL, cast, div, mul, neg, sub
from .elementwise_logic import gt, maximum
from .elementwise_math import log, log1p
from .linalg import matmul
from .reductions import numel
from .reductions import sum as reduce_sum
from .shape import transpose


# --- affine: primitive -------------------------------------------------------------------------
def _affine_kernel(x, weight, bias):
    # NumPy would broadcast a (1,) bias or batch a 3-d weight without a word: refuse what the
    # rule refuses (it then says why), as the decomposition's checks do in a graph.
    if weight.ndim != 2 or bias.shape != weight.shape[:1]:
        raise ValueError("affine: bad weight or bias shape")
    if x.ndim > 2:  # NOTE: one 2-d product, not one BLAS call per leading index (each a
        # handoff between BLAS threads); docs/PERFORMANCE.md has the measurements
        out = np.matmul(x.reshape(-1, x.shape[-1]), weight.T).reshape(*x.shape[:-1], -1)
    else:
        out = np.matmul(x, weight.T)  # transposed view: BLAS reads it as is, no copy
    out += bias
    return out


def _affine_rule(x: Aval, weight: Aval, bias: Aval) -> Aval:
    if weight.ndim != 2 or x.ndim == 0:
        raise ShapeError("affine", f"expected an input (..., in_features) and a 2-d weight "
                         f"(out_features, in_features), got shapes "
                         f"{describe_shapes(x.shape, weight.shape)}",
                         shapes=[x.shape, weight.shape])
    out_f, in_f = weight.shape
    if None not in (x.shape[-1], in_f) and x.shape[-1] != in_f:
        raise ShapeError("affine", f"input of shape {describe_shapes(x.shape)} has "
                         f"{x.shape[-1]} features but weight {describe_shapes(weight.shape)} "
                         f"expects {in_f} (weight layout: (out_features, in_features))",
                         shapes=[x.shape, weight.shape])
    if bias.ndim != 1 or None not in (bias.shape[0], out_f) and bias.shape[0] != out_f:
        raise ShapeError("affine", f"bias of shape {describe_shapes(bias.shape)} does not "
                         f"match {out_f} output features (weight "
                         f"{describe_shapes(weight.shape)})", shapes=[bias.shape, weight.shape])
    if not x.dtype == weight.dtype == bias.dtype:
        raise DTypeError("affine", f"input, weight and bias dtypes differ: {x.dtype}, "
                         f"{weight.dtype}, {bias.dtype}",
                         dtypes=[x.dtype, weight.dtype, bias.dtype])
    return Aval(x.shape[:-1] + (out_f,), x.dtype)


def _affine_vjp(g, inputs, out, needs=ALL):
    x, weight, bias = inputs
    gx = matmul(g, weight) if needs[0] else None
    gw = affine_weight_grad(g, x) if needs[1] else None
    gb = None
    if needs[2]:  # bias is (out_features,): sum over every leading dim of g
        lead = len(shape_of(g)) - 1
        gb = reduce_sum(g, axis=tuple(range(lead))) if lead else g
    return gx, gw, gb


def _affine_torch_name(attrs, ndims, constants) -> str:
    # PyTorch's linear with a bias: addmm on a matrix, a view of addmm on any other rank.
    return "AddmmBackward0" if ndims[0] == 2 else "ViewBackward0"


affine = primitive(
    "affine", _affine_kernel, _affine_rule, _affine_vjp, promote=True,
    torch_name=_affine_torch_name,  # eager's fused forms print as PyTorch's native ops do
    doc="affine(x, weight, bias): x @ weight.T + bias in one kernel (PyTorch's Linear layout).")


# --- affine_weight_grad: primitive -------------------------------------------------------------
# The weight's gradient, g^T x summed over every leading (batch) dim, as one op: written with
# shared ops it is reshape, transpose and matmul, three dispatches on every layer's backward.
def _awg_kernel(g, x):
    if g.shape[:-1] != x.shape[:-1]:  # flattened, (2, 3) and (3, 2) batches would pass
        raise ValueError("affine_weight_grad: batch dims differ")
    if x.ndim == 1:  # one sample: the outer product
        return np.multiply.outer(g, x)
    if x.ndim > 2:
        g, x = g.reshape(-1, g.shape[-1]), x.reshape(-1, x.shape[-1])
    return np.matmul(g.T, x)  # a transposed view: BLAS reads it as is


def _awg_rule(g: Aval, x: Aval) -> Aval:
    if x.ndim == 0 or g.ndim != x.ndim or not shapes_agree(g.shape[:-1], x.shape[:-1]):
        raise ShapeError("affine_weight_grad", f"gradient and input must share their leading "
                         f"(batch) dims, got shapes {describe_shapes(g.shape, x.shape)}",
                         shapes=[g.shape, x.shape])
    if g.dtype != x.dtype:
        raise DTypeError("affine_weight_grad", f"dtypes differ: {g.dtype}, {x.dtype}",
                         dtypes=[g.dtype, x.dtype])
    return Aval((g.shape[-1], x.shape[-1]), x.dtype)


def _awg_vjp(c, inputs, out, needs=ALL):
    # out = sum_n g_n x_n^T: d/dg = x c^T, d/dx = g c, row by row (batch dims ride along).
    g, x = inputs
    return (matmul(x, transpose(c, axes=(1, 0))) if needs[0] else None,
            matmul(g, c) if needs[1] else None)


affine_weight_grad = primitive(
    "affine_weight_grad", _awg_kernel, _awg_rule, _awg_vjp, promote=True,
    doc="affine_weight_grad(g, x): the gradient of affine's weight, g^T x summed over the "
        "batch dims.")


# --- clamped_bce: primitive --------------------------------------------------------------------
def _clamped_logs(p):
    """``log p`` and ``log(1 - p)`` as fresh arrays (0-d stays 0-d), each clamped at -100 as
    PyTorch does: log(0) = -inf would make the loss of a sure wrong answer infinite."""
    floor = np.array(-100.0, p.dtype)  # 0-d: NumPy converts a Python float on every call
    # asarray: on 0-d inputs NumPy returns scalars, which `out=` cannot take.
    log_p = np.asarray(np.log(p))
    np.maximum(log_p, floor, out=log_p)
    log_q = np.asarray(np.log1p(np.negative(p)))
    np.maximum(log_q, floor, out=log_q)
    return log_p, log_q


def _cbce_kernel(p, y, reduction="mean"):
    if p.shape != y.shape or reduction not in REDUCTIONS:  # the rule then says which, and how
        raise ValueError("clamped_bce: bad shapes or reduction")
    log_p, log_q = _clamped_logs(p)
    # -(y log p + (1 - y) log q) = y (log q - log p) - log q: three ufunc calls, in place.
    loss = np.subtract(log_q, log_p, out=log_p)
    loss *= y
    loss -= log_q
    if reduction == "none":
        return loss
    # A ufunc reduction, not loss.sum() (a Python wrapper) nor loss.mean() (5x slower still).
    total = np.add.reduce(loss, axis=None)
    if reduction == "mean":
        total = total / loss.size if loss.size else np.nan  # an empty mean is nan, as in torch
    return np.asarray(total, dtype=p.dtype)


_cbce_rule = elementwise_loss("clamped_bce")


def _cbce_vjp(g, inputs, out, reduction="mean", needs=ALL):
    p, y = inputs
    gp = clamped_bce_grad(g, p, y, reduction=reduction) if needs[0] else None
    gy = None
    if needs[1]:  # d/dy = log q - log p, both clamped as in the forward
        gs = div(g, numel(p)) if reduction == "mean" else g
        log_p, log_q = maximum(log(p), -100.0), maximum(log1p(neg(p)), -100.0)
        gy = mul(gs, sub(log_q, log_p))
    return gp, gy


def _reduced_float_loss(w) -> bool:
    """Do the BCE forms cover this call: a reduced loss of same-shaped float32/float64
    probabilities and targets? (A float16 sum would round differently from the kernel's.)"""
    p, y = w.in_avals[-2:]
    return w.attrs.get("reduction", "mean") != "none" and p == y and \
        w.out_aval.dtype in (np.float32, np.float64)


def _cbce_into(w):
    """The kernel's arithmetic in two scratch arrays: each log clamped at -100, then
    ``y (log q - log p) - log q``, reduced."""
    if not _reduced_float_loss(w):
        return NotImplemented
    p, y = w.arg(0), w.arg(1)
    shape, dtype = w.in_avals[0].shape, w.in_avals[0].dtype
    log_p, log_q = w.scratch(shape, dtype), w.scratch(shape, dtype)
    floor = w.scalar(-100.0)
    w.call(np.log, p, out=log_p)
    w.call(np.maximum, log_p, floor, out=log_p)
    w.call(np.negative, p, out=log_q)
    w.call(np.log1p, log_q, out=log_q)
    w.call(np.maximum, log_q, floor, out=log_q)
    w.call(np.subtract, log_q, log_p, out=log_p)
    w.call(np.multiply, log_p, y, out=log_p)
    w.call(np.subtract, log_p, log_q, out=log_p)
    return loss_total(w, log_p, shape, w.attrs.get("reduction", "mean"))


clamped_bce = primitive(
    "clamped_bce", _cbce_kernel, _cbce_rule, _cbce_vjp, promote=True, fresh=True,
    into=_cbce_into, torch_name="BinaryCrossEntropyBackward0",
    doc="clamped_bce(p, y, reduction='mean'): binary_cross_entropy on probabilities, one kernel.")


# --- clamped_bce_grad: primitive ---------------------------------------------------------------
_EPS = 1e-12  # PyTorch's floor for p (1 - p) in the BCE gradient


def _cbce_grad_kernel(g, p, y, reduction="mean"):
    if g.ndim and reduction != "none":  # a reduced loss has a 0-d gradient: the rule says so
        raise ValueError("clamped_bce_grad: gradient of a reduced loss is not 0-d")
    # asarray: 0-d inputs give a scalar, `out=` needs arrays. The constants as 0-d arrays:
    # NumPy converts a Python scalar on every call (~0.6 us each, measured).
    d = np.asarray(np.subtract(np.array(1, p.dtype), p))
    d *= p
    np.maximum(d, np.array(_EPS, p.dtype), out=d)
    grad = np.asarray(np.subtract(p, y))
    grad /= d
    grad *= mean_scale(g, p.size) if reduction == "mean" else g
    return grad


def _cbce_grad_rule(g: Aval, p: Aval, y: Aval, reduction="mean") -> Aval:
    loss = _cbce_rule(p, y, reduction)
    if len(g.shape) != len(loss.shape):
        raise ShapeError("clamped_bce_grad", f"gradient of shape {describe_shapes(g.shape)} "
                         f"does not match the loss {describe_shapes(loss.shape)}",
                         shapes=[g.shape, loss.shape])
    return p


def _cbce_grad_vjp(c, inputs, out, reduction="mean", needs=ALL):
    # out = s q with s = g / n (mean) or g, q = (p - y) r and r = 1 / max(p (1 - p), eps).
    # dq/dp = r - (p - y) (1 - 2p) r^2 where the floor is not active (0 there); dq/dy = -r.
    g, p, y = inputs
    pq = mul(p, sub(1.0, p))
    r = div(1.0, maximum(pq, _EPS))
    q = mul(sub(p, y), r)
    s = div(g, numel(p)) if reduction == "mean" else g
    cs = mul(c, s)
    gg = gp = gy = None
    if needs[0]:
        cq = mul(c, q)
        gg = cq if reduction == "none" else reduce_sum(cq)
        gg = div(gg, numel(p)) if reduction == "mean" else gg
    if needs[1]:
        free = cast(gt(pq, _EPS), dtype=pq.dtype)
        dq = sub(r, mul(mul(q, mul(sub(1.0, mul(p, 2.0)), r)), free))
        gp = mul(cs, dq)
    if needs[2]:
        gy = neg(mul(cs, r))
    return gg, gp, gy


def _cbce_grad_into(w):
    """``(p - y) / max(p (1 - p), 1e-12)`` times the kernel's scale, in the kernel's order."""
    if not _reduced_float_loss(w):
        return NotImplemented
    g, p, y = w.arg(0), w.arg(1), w.arg(2)
    d = w.scratch(w.in_avals[1].shape, w.in_avals[1].dtype)
    w.call(np.subtract, w.scalar(1), p, out=d)
    w.call(np.multiply, d, p, out=d)
    w.call(np.maximum, d, w.scalar(_EPS), out=d)
    w.call(np.subtract, p, y, out=w.out)
    w.call(np.divide, w.out, d, out=w.out)
    mean = w.attrs.get("reduction", "mean") == "mean"
    scale = w.call(mean_scale, g, math.prod(w.in_avals[1].shape)) if mean else g
    return w.call(np.multiply, w.out, scale, out=w.out)


clamped_bce_grad = primitive(
    "clamped_bce_grad", _cbce_grad_kernel, _cbce_grad_rule, _cbce_grad_vjp, promote=True,
    fresh=True, into=_cbce_grad_into, linear_in=(0,),
    doc="Gradient of clamped_bce for the probabilities: g (p - y) / max(p (1 - p), 1e-12).")

__all__ = ["affine", "affine_weight_grad", "clamped_bce", "clamped_bce_grad"]
