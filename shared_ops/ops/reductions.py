"""Reductions over axes: sum, mean, var, max, min, argmax, argmin, logsumexp, numel.

Every reduction takes ``axis`` (None for all axes, an int, or a tuple of ints) and
``keepdims``, as NumPy. Gradients put the reduced axes back with ``expand_dims`` and then
broadcast to the input's shape, so they also work when a dim is unknown (None) in a static
graph. ``max``/``min`` split the gradient evenly among tied maxima, as ``torch.amax`` does.

    >>> import numpy as np
    >>> mean(np.array([[1, 2], [3, 4]]), axis=0)
    array([2., 3.], dtype=float32)
"""

from __future__ import annotations

import numpy as np

from .. import dtypes as dt
from ..aval import Aval, normalize_axes, normalize_axis
from ..errors import OpValueError, ShapeError, describe_shapes
from ..op_table import OPS
from ..registry import composite, primitive
from ._rules import require_float, shape_of
from ._types import Axis, Value
from .elementwise import cast, div, mul, sub
from .elementwise_logic import eq, maximum
from .elementwise_math import exp
from .shape import broadcast_to, expand_dims


def _reduced_shape(op: str, x: Aval, axis, keepdims: bool) -> tuple:
    axes = normalize_axes(op, axis, x.ndim)
    if keepdims:
        return tuple(1 if i in axes else d for i, d in enumerate(x.shape))
    return tuple(d for i, d in enumerate(x.shape) if i not in axes)


def _kept(v, x, axis, keepdims: bool):
    """``v`` (a reduction of ``x``) with its reduced axes kept as size 1, for broadcasting."""
    if keepdims:
        return v
    axes = normalize_axes("sum", axis, len(shape_of(x)))
    return expand_dims(v, axis=axes) if axes else v


def _to_input_shape(g, x, axis, keepdims: bool):
    """Put the reduced axes of ``g`` back and broadcast it to ``x``'s shape."""
    g = _kept(g, x, axis, keepdims)
    xs = shape_of(x)
    return broadcast_to(g, shape=xs) if None not in xs else broadcast_to(g, x)


# --- sum: primitive ----------------------------------------------------------------------------
def _sum_kernel(x, axis=None, keepdims=False):
    # Bool and integer sums accumulate in int64, as PyTorch (NumPy would keep int32 as int32
    # on some platforms and count bools as int64 anyway).
    # np.add.reduce, not np.sum: the same reduction without np.sum's Python wrapper (~2 us).
    return np.add.reduce(x, axis=axis, keepdims=keepdims,
                         dtype=dt.int64 if x.dtype.kind in "biu" else None)


def _sum_rule(x: Aval, axis=None, keepdims=False) -> Aval:
    return Aval(_reduced_shape("sum", x, axis, keepdims),
                dt.int64 if x.dtype.kind in "biu" else x.dtype)


def _sum_vjp(g, inputs, out, axis=None, keepdims=False):
    return (_to_input_shape(g, inputs[0], axis, keepdims),)


def _sum_into(w):
    if w.in_avals[0].dtype.kind != "f":
        return NotImplemented  # bool and integer sums widen to int64: the kernel does that
    keep = {"keepdims": True} if w.attrs.get("keepdims", False) else {}
    return w.call(np.add.reduce, w.arg(0), w.attrs.get("axis"), out=w.out, **keep)


def _sum_torch_name(attrs, ndims, constants) -> str:
    # PyTorch picks an overload by arguments: sum() is SumBackward0, sum(dim) SumBackward1.
    return "SumBackward0" if attrs.get("axis") is None else "SumBackward1"


sum = primitive("sum", _sum_kernel, _sum_rule, _sum_vjp, fresh=True, into=_sum_into,  # noqa: A001
                linear_in=(0,), torch_name=_sum_torch_name,
                doc="The sum over ``axis`` (None: all); bool and integer sums are int64.")  # noqa: A001


# --- numel: primitive, no gradient -------------------------------------------------------------
def _numel_kernel(x, axis=None):
    n = 1
    for a in normalize_axes("numel", axis, x.ndim):
        n *= x.shape[a]
    return np.asarray(n, dtype=x.dtype if x.dtype.kind == "f" else dt.int64)


def _numel_rule(x: Aval, axis=None) -> Aval:
    normalize_axes("numel", axis, x.ndim)
    return Aval((), x.dtype if x.dtype.kind == "f" else dt.int64)


numel = primitive("numel", _numel_kernel, _numel_rule, None, differentiable_output=False,
                  fresh=True, shape_only=True,
                  doc="How many elements ``axis`` spans (all: the size), as a 0-d array of "
                      "x's float dtype. Lets mean/var divide by a count unknown until run time.")


# --- mean: composite ---------------------------------------------------------------------------
@composite(torch_name=lambda kw, ndims, consts: f"MeanBackward{int(kw.get('axis') is not None)}")
def mean(x: Value, axis: Axis = None, keepdims: bool = False) -> Value:
    """Arithmetic mean over ``axis``: ``sum / numel``, so it works for unknown (None) dims.

    Integer and bool inputs are averaged in float32 (PyTorch refuses them; NumPy uses float64).
    """
    if x.dtype.kind not in "fc":
        x = cast(x, dtype=dt.DEFAULT_FLOAT)
    return div(sum(x, axis=axis, keepdims=keepdims), numel(x, axis=axis))


# --- var: composite ----------------------------------------------------------------------------
@composite(torch_name="VarBackward0")
def var(x: Value, axis: Axis = None, correction: int = 1, keepdims: bool = False) -> Value:
    """Variance over ``axis`` with ``correction`` (Bessel's, 1, by default) as ``torch.var``.

    ``correction=0`` is NumPy's default (``ddof=0``); the divisor is ``numel - correction``.
    """
    if x.dtype.kind not in "fc":
        x = cast(x, dtype=dt.DEFAULT_FLOAT)
    d = sub(x, mean(x, axis=axis, keepdims=True))
    if d.dtype.kind == "c":  # torch's variance of complex values: the mean of |z - mean|^2
        d = OPS["complex_abs"](d)
    ss = sum(mul(d, d), axis=axis, keepdims=keepdims)
    n = numel(x, axis=axis)
    # PyTorch's divisor is max(numel - correction, 0): too few values give inf or nan, never
    # a negative (or -0) variance.
    return div(ss, maximum(sub(n, correction), 0.0) if correction else n)


# --- max / min: primitives ---------------------------------------------------------------------
def _extremum(name: str, kernel, doc: str):
    def rule(x: Aval, axis=None, keepdims=False) -> Aval:
        if x.size() == 0 or (axis is not None and any(
                x.shape[a] == 0 for a in normalize_axes(name, axis, x.ndim))):
            raise ShapeError(name, f"cannot reduce an empty axis of shape "
                             f"{describe_shapes(x.shape)}", shapes=[x.shape])
        return Aval(_reduced_shape(name, x, axis, keepdims), x.dtype)

    def vjp(g, inputs, out, axis=None, keepdims=False):
        (x,) = inputs
        # Every position equal to the extremum gets an equal share of the gradient.
        hit = cast(eq(x, _kept(out, x, axis, keepdims)), dtype=g.dtype)
        share = div(_kept(g, x, axis, keepdims), sum(hit, axis=axis, keepdims=True))
        return (mul(hit, share),)

    def run(x, axis=None, keepdims=False):
        return kernel(x, axis=axis, keepdims=keepdims)

    def torch_name(attrs, ndims, constants) -> str:  # amax(dim) and max(): two overloads
        return f"{name.title()}Backward{1 if attrs.get('axis') is None else 0}"

    return primitive(name, run, rule, vjp, doc=doc, torch_name=torch_name)


max = _extremum("max", np.max,  # noqa: A001
                doc="The largest value over ``axis``; tied maxima share the gradient evenly "
                    "(torch.amax).")
min = _extremum("min", np.min,  # noqa: A001
                doc="The smallest value over ``axis``; tied minima share the gradient evenly "
                    "(torch.amin).")


# --- argmax / argmin: primitives, int64 output, no gradient ------------------------------------
def _arg(name: str, kernel, doc: str):
    def rule(x: Aval, axis=None, keepdims=False) -> Aval:
        if axis is not None and not isinstance(axis, int | np.integer):
            raise OpValueError(name, f"axis must be None or one int, got {axis!r}")
        if axis is None:
            shape = (1,) * x.ndim if keepdims else ()
        else:
            shape = _reduced_shape(name, x, normalize_axis(name, axis, x.ndim), keepdims)
        return Aval(shape, dt.int64)

    def run(x, axis=None, keepdims=False):
        return kernel(x, axis=axis, keepdims=keepdims).astype(dt.int64, copy=False)

    return primitive(name, run, rule, None, differentiable_output=False, doc=doc)


argmax = _arg("argmax", np.argmax,
              doc="The int64 position of the largest value along ``axis`` (None: flattened).")
argmin = _arg("argmin", np.argmin,
              doc="The int64 position of the smallest value along ``axis`` (None: flattened).")


# --- logsumexp: primitive ----------------------------------------------------------------------
# NOTE: a primitive, not log(sum(exp(x))): the kernel subtracts the max first so that large
# inputs do not overflow, and its gradient is simply softmax: g * exp(x - out).
def _logsumexp_kernel(x, axis=None, keepdims=False):
    # initial=-inf: an empty axis gives max -inf, then sum 0 and log 0 = -inf (PyTorch's value)
    m = np.max(x, axis=axis, keepdims=True, initial=-np.inf)
    if not np.isfinite(m).all():  # a row of -inf (or an inf): keep it, avoid inf - inf = nan
        m = np.where(np.isfinite(m), m, 0)
    e = np.asarray(x - m)  # 0-d inputs: NumPy gives a scalar, which `out=` cannot take
    np.exp(e, out=e)
    s = np.log(np.sum(e, axis=axis, keepdims=keepdims))
    return s + (m if keepdims else m.reshape(np.shape(s)))


def _logsumexp_rule(x: Aval, axis=None, keepdims=False) -> Aval:
    require_float("logsumexp", x)
    return Aval(_reduced_shape("logsumexp", x, axis, keepdims), x.dtype)


def _logsumexp_vjp(g, inputs, out, axis=None, keepdims=False):
    (x,) = inputs
    return (mul(_kept(g, x, axis, keepdims), exp(sub(x, _kept(out, x, axis, keepdims)))),)


logsumexp = primitive("logsumexp", _logsumexp_kernel, _logsumexp_rule, _logsumexp_vjp,
                      floating=True, fresh=True,
                      doc="log(sum(exp(x))) over ``axis`` without overflow; its gradient is "
                          "softmax.")

__all__ = ["sum", "numel", "mean", "var", "max", "min", "argmax", "argmin", "logsumexp"]
