"""Comparisons and selection: eq, ne, lt, le, gt, ge, where, maximum, minimum, clip (alias
clamp) with clamp_tensor for tensor bounds, stop_gradient.

Comparisons return bool and carry no gradient (``differentiable_output=False``). ``where``
routes the gradient to the branch that was selected. ``maximum``/``minimum`` split the
gradient evenly on ties, as ``torch.maximum``/``torch.minimum`` do.

    >>> import numpy as np
    >>> where(gt(np.array([1.0, -2.0]), 0), 1.0, -1.0)
    array([ 1., -1.], dtype=float32)
"""

from __future__ import annotations

import numpy as np

from .. import dtypes as dt
from ..aval import Aval, broadcast_shapes
from ..errors import DTypeError, OpValueError
from ..registry import composite, primitive
from ._rules import broadcast_binary, same_as_input
from ._types import Value
from .elementwise import ALL, add, cast, mul, sub, unbroadcast


# --- comparisons: primitives, bool output, no gradient -----------------------------------------
def _comparison(name: str, kernel, symbol: str):
    return primitive(name, kernel, broadcast_binary(name, out_dtype=dt.bool_), None,
                     elementwise=True, promote=True, differentiable_output=False,
                     doc=f"x {symbol} y, elementwise bool; no gradient.")


eq = _comparison("eq", np.equal, "==")
ne = _comparison("ne", np.not_equal, "!=")
lt = _comparison("lt", np.less, "<")
le = _comparison("le", np.less_equal, "<=")
gt = _comparison("gt", np.greater, ">")
ge = _comparison("ge", np.greater_equal, ">=")


# --- where: primitive --------------------------------------------------------------------------
def _check_condition(cond, x, y) -> None:
    if cond.dtype.kind != "b":
        raise DTypeError("where", f"condition must be bool, got {cond.dtype}",
                         shapes=[cond.shape, x.shape, y.shape], dtypes=[cond.dtype])


def _where_kernel(cond, x, y):
    # np.where would take any truthy condition; the shape rule refuses, so must eager.
    _check_condition(cond, x, y)
    return np.where(cond, x, y)


def _where_rule(cond: Aval, x: Aval, y: Aval, **_) -> Aval:
    _check_condition(cond, x, y)
    return Aval(broadcast_shapes("where", cond.shape, x.shape, y.shape), x.dtype)


def _where_vjp(g, inputs, out, needs=ALL):
    cond, x, y = inputs
    return (None, unbroadcast(where(cond, g, 0), x, inputs) if needs[1] else None,
            unbroadcast(where(cond, 0, g), y, inputs) if needs[2] else None)


def _where_into(w):
    cond, x, y = w.arg(0), w.arg(1), w.arg(2)
    zero = w.value(2)
    if zero is not None and zero.size == 1 and zero.reshape(()).item() == 0 and \
            w.in_avals[1].dtype == w.out_aval.dtype:
        # NOTE: where(c, g, 0) as g * c (relu's gradient): 15-20x faster than a masked copy
        # (np.copyto(where=) measured 8-10 ms against 0.5 ms on 512x1024 float32). It
        # differs only where g is inf or nan at a masked-out position (nan, not 0):
        # gradients that are already non-finite.
        return w.call(np.multiply, x, cond, out=w.out)
    w.call(np.copyto, w.out, y)
    w.call(np.copyto, w.out, x, where=cond)
    return w.out


where = primitive("where", _where_kernel, _where_rule, _where_vjp,
                  nondiff_inputs=(0,), elementwise=True, promote=(1, 2), fresh=True,
                  into=_where_into, linear_in=(1, 2),
                  doc="x where ``cond`` is True, else y (broadcasting); cond gets no gradient.")


# --- maximum / minimum: primitives -------------------------------------------------------------
def _maximum_vjp(g, inputs, out, needs=ALL):
    x, y = inputs
    # Weight of x: 1 where it strictly wins, 1/2 on a tie, 0 where it loses, computed as
    # (x > y) / 2 + (x >= y) / 2: two comparisons and no branches.
    return _split(g, x, y, gt(x, y), ge(x, y), needs)


def _minimum_vjp(g, inputs, out, needs=ALL):
    x, y = inputs
    return _split(g, x, y, lt(x, y), le(x, y), needs)


def _split(g, x, y, strict, loose, needs):
    wx = mul(add(cast(strict, dtype=g.dtype), cast(loose, dtype=g.dtype)), 0.5)
    gx = mul(g, wx)
    return (unbroadcast(gx, x, (x, y)) if needs[0] else None,
            unbroadcast(sub(g, gx), y, (x, y)) if needs[1] else None)


maximum = primitive("maximum", np.maximum, broadcast_binary("maximum"), _maximum_vjp,
                    elementwise=True, inplace_safe=True, promote=True,
                    doc="The larger of x and y, elementwise; ties split the gradient evenly.")
minimum = primitive("minimum", np.minimum, broadcast_binary("minimum"), _minimum_vjp,
                    elementwise=True, inplace_safe=True, promote=True,
                    doc="The smaller of x and y, elementwise; ties split the gradient evenly.")


# --- clip: composite, and clamp_tensor: primitive for tensor bounds ---------------------------
@composite(torch_name="ClampBackward1")
def clip(x: Value, min: float | Value | None = None,  # noqa: A002 -- torch.clamp's names
         max: float | Value | None = None) -> Value:  # noqa: A002
    """Limit ``x`` to ``[min, max]`` (either bound may be None), like ``torch.clamp``.

    The gradient is 1 inside the closed interval and 0 outside, as in PyTorch: a value
    sitting exactly on a bound still passes its gradient (``where`` keeps ``x`` there).
    Bounds may be tensors that broadcast with ``x`` (then `clamp_tensor` runs, with
    PyTorch's gradients for the bounds too); number bounds take the two-``where`` path.

        >>> clip(np.array([-2.0, 0.5, 3.0]), 0.0, 1.0)
        array([0. , 0.5, 1. ])
    """
    if min is None and max is None:
        raise OpValueError("clip", "at least one of min and max must be given")
    if not (_plain_number(min) and _plain_number(max)):
        which = "both" if min is not None and max is not None else \
            ("min" if min is not None else "max")
        return clamp_tensor(x, *(b for b in (min, max) if b is not None), which=which)
    if min is not None:
        x = where(lt(x, min), min, x)
    if max is not None:
        x = where(gt(x, max), max, x)
    return x


clamp = clip


def _plain_number(bound) -> bool:
    """None or a number other than NaN (a NaN bound makes the result NaN: clamp_tensor)."""
    return bound is None or (isinstance(bound, int | float | np.number) and bound == bound)


def _clamp_kernel(x, *bounds, which="both"):
    lo = bounds[0] if which != "max" else None
    hi = bounds[-1] if which != "min" else None
    # np.maximum / np.minimum propagate a NaN from either side, as torch.clamp does.
    out = np.maximum(x, lo) if lo is not None else x
    return np.minimum(out, hi) if hi is not None else out


def _clamp_rule(x: Aval, *bounds: Aval, which="both") -> Aval:
    if which not in ("both", "min", "max") or len(bounds) != (2 if which == "both" else 1):
        raise OpValueError("clamp_tensor", f"which={which!r} needs 2 bounds for 'both', 1 for "
                           f"'min' or 'max'; got {len(bounds)}")
    return Aval(broadcast_shapes("clamp", x.shape, *(b.shape for b in bounds)), x.dtype)


def _clamp_vjp(g, inputs, out, which="both"):
    # PyTorch's clamp_backward_min_max: where min > max the output is max, and max alone
    # gets the gradient there (when min == max and x < min, neither bound gets it).
    x, bounds = inputs[0], inputs[1:]
    lo = bounds[0] if which != "max" else None
    hi = bounds[-1] if which != "min" else None
    inside = ge(x, lo) if lo is not None else None
    if hi is not None:
        inside = le(x, hi) if inside is None else _and(inside, le(x, hi))
    grads = [unbroadcast(where(inside, g, 0), x, inputs)]
    if lo is not None:
        below = lt(x, lo) if hi is None else _and(lt(x, lo), lt(lo, hi))
        grads.append(unbroadcast(where(below, g, 0), lo, inputs))
    if hi is not None:
        above = gt(x, hi) if lo is None else _or(gt(x, hi), lt(hi, lo))
        grads.append(unbroadcast(where(above, g, 0), hi, inputs))
    return tuple(grads)


def _and(a, b):
    return where(a, b, False)


def _or(a, b):
    return where(a, True, b)


clamp_tensor = primitive("clamp_tensor", _clamp_kernel, _clamp_rule, _clamp_vjp,
                         elementwise=True, promote=True,
                         doc="clip with tensor bounds (``which``: 'both', 'min' or 'max' says "
                             "which follow x), broadcasting; PyTorch's gradients for x and "
                             "the bounds.")


# --- stop_gradient: primitive ------------------------------------------------------------------
def _identity(x):
    return x


def _identity_into(w):
    return w.arg(0)


stop_gradient = primitive("stop_gradient", _identity, same_as_input, None, elementwise=True,
                          differentiable_output=False, into=_identity_into, linear_in="all",
                          doc="The input itself, seen as a constant by every autodiff.")

__all__ = ["eq", "ne", "lt", "le", "gt", "ge", "where", "maximum", "minimum", "clip", "clamp",
           "clamp_tensor", "stop_gradient"]
