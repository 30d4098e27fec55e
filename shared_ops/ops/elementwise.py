"""Elementwise primitives: arithmetic, math functions, comparisons, selection, casts.

Each section declares one op: its kernel (NumPy), its shape rule, its gradient rule written
with shared_ops calls, and its flags. Binary arithmetic promotes its inputs to one dtype
(see `shared_ops.dtypes`); float math turns integer inputs into float32 first.
"""

from __future__ import annotations

import numpy as np

from .. import dtypes as dt
from ..aval import Aval
from ..registry import primitive
from ._rules import broadcast_binary, floating_unary, same_as_input, shape_of
from .shape import sum_to


def unbroadcast(g, x):
    """Reduce a broadcast gradient ``g`` back to the shape of input ``x``."""
    xs = shape_of(x)
    if shape_of(g) == xs:
        return g
    return sum_to(g, shape=xs) if None not in xs else sum_to(g, x)


# --- add -------------------------------------------------------------------------------------
def _add_vjp(g, inputs, out):
    x, y = inputs
    return unbroadcast(g, x), unbroadcast(g, y)


add = primitive("add", np.add, broadcast_binary("add"), _add_vjp,
                elementwise=True, inplace_safe=True, promote=True)


# --- mul -------------------------------------------------------------------------------------
def _mul_vjp(g, inputs, out):
    x, y = inputs
    return unbroadcast(mul(g, y), x), unbroadcast(mul(g, x), y)


mul = primitive("mul", np.multiply, broadcast_binary("mul"), _mul_vjp,
                elementwise=True, inplace_safe=True, promote=True)


# --- exp -------------------------------------------------------------------------------------
def _exp_vjp(g, inputs, out):
    return (mul(g, out),)


exp = primitive("exp", np.exp, floating_unary("exp"), _exp_vjp,
                elementwise=True, inplace_safe=True, floating=True)


# --- cast ------------------------------------------------------------------------------------
def _cast_kernel(x, dtype):
    return x.astype(dtype)


def _cast_rule(x: Aval, dtype) -> Aval:
    dt.check_supported(np.dtype(dtype), op="cast")
    return Aval(x.shape, np.dtype(dtype))


def _cast_vjp(g, inputs, out, dtype):
    (x,) = inputs
    # Gradients flow back in the input's dtype; from an integer input there is no gradient.
    return (cast(g, dtype=x.dtype) if x.dtype.kind == "f" else None,)


cast = primitive("cast", _cast_kernel, _cast_rule, _cast_vjp, elementwise=True)

__all__ = ["add", "mul", "exp", "cast", "unbroadcast", "same_as_input"]
