"""Shape primitives: reshape, transpose, broadcast_to / sum_to, expand_dims, squeeze, concat...

Ops that take a target shape accept it either as the ``shape=`` attr or, when some dim is only
known at run time (a static placeholder's batch size), from a second ``like`` input whose
runtime shape is used: ``sum_to(g, shape=(5,))`` or ``sum_to(g, x)``.
"""

from __future__ import annotations

import numpy as np

from ..aval import Aval
from ..errors import ShapeError, describe_shapes
from ..registry import primitive
from ._rules import shape_of, target_shape


# --- sum_to: reduce a broadcast value back to a shape (the adjoint of broadcast_to) ----------
def _sum_to_kernel(g, *like, shape=None):
    shape = target_shape(like, shape)
    if g.shape == shape:
        return g
    lead = g.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(
        lead + i for i, d in enumerate(shape) if d == 1 and g.shape[lead + i] != 1)
    out = g.sum(axis=axes, keepdims=True) if axes else g
    return out.reshape(shape) if lead else out


def _sum_to_rule(g: Aval, *like: Aval, shape=None) -> Aval:
    shape = target_shape(like, shape)
    lead = len(g.shape) - len(shape)
    ok = lead >= 0 and all(
        t in (1, None) or s in (t, None) for s, t in zip(g.shape[lead:], shape, strict=True))
    if not ok:
        raise ShapeError("sum_to", f"cannot reduce shape {describe_shapes(g.shape)} to "
                         f"{describe_shapes(shape)}", shapes=[g.shape, shape])
    return Aval(tuple(shape), g.dtype)


def _sum_to_vjp(g, inputs, out, shape=None):
    x = inputs[0]
    xs = shape_of(x)
    return (broadcast_to(g, shape=xs) if None not in xs else broadcast_to(g, x),) + \
        (None,) * (len(inputs) - 1)


sum_to = primitive("sum_to", _sum_to_kernel, _sum_to_rule, _sum_to_vjp, nondiff_inputs=(1,))


# --- broadcast_to ----------------------------------------------------------------------------
def _broadcast_to_kernel(x, *like, shape=None):
    return np.broadcast_to(x, target_shape(like, shape))


def _broadcast_to_rule(x: Aval, *like: Aval, shape=None) -> Aval:
    shape = target_shape(like, shape)
    lead = len(shape) - len(x.shape)
    ok = lead >= 0 and all(
        s in (1, None) or t in (s, None) for s, t in zip(x.shape, shape[lead:], strict=True))
    if not ok:
        raise ShapeError("broadcast_to", f"cannot broadcast shape {describe_shapes(x.shape)} to "
                         f"{describe_shapes(shape)}", shapes=[x.shape, shape])
    return Aval(tuple(shape), x.dtype)


def _broadcast_to_vjp(g, inputs, out, shape=None):
    x = inputs[0]
    xs = shape_of(x)
    return (sum_to(g, shape=xs) if None not in xs else sum_to(g, x),) + \
        (None,) * (len(inputs) - 1)


broadcast_to = primitive("broadcast_to", _broadcast_to_kernel, _broadcast_to_rule,
                         _broadcast_to_vjp, nondiff_inputs=(1,))

__all__ = ["sum_to", "broadcast_to"]
