"""Rounding division: floor_divide (``//``), remainder (``%``) and fmod, PyTorch's
``torch.floor_divide``, ``torch.remainder`` and ``torch.fmod`` (whose result takes the
dividend's sign: ``fmod(-7, 2) == -1``).

Both round toward negative infinity, so the remainder takes the divisor's sign (Python's
rule, not C's ``fmod``): ``-7 // 2 == -4`` and ``-7 % 2 == 1``. Inputs are promoted to one
dtype and integers stay integers (``7 // 2 == 3``, int64); bool inputs are refused, as in
PyTorch. An integer division by zero raises (PyTorch: ``ZeroDivisionError``; NumPy would
silently give 0); a float one gives inf or nan.

Gradients: ``remainder`` has PyTorch's, ``(g, -g * floor_divide(x, y))``; ``floor_divide``
is flat almost everywhere and has none (its output does not require grad; PyTorch marks it
as requiring grad but raises "derivative for aten::floor_divide is not implemented").

    >>> import numpy as np
    >>> floor_divide(np.array([-7, 7]), 2), remainder(np.array([-7, 7]), 2)
    (array([-4,  3]), array([1, 1]))
"""

from __future__ import annotations

import numpy as np

from ..aval import Aval, broadcast_shapes
from ..errors import DTypeError, OpRuntimeError
from ..registry import primitive
from .elementwise import div, mul, neg, unbroadcast
from .rounding import trunc


def _rule(name: str):
    def rule(x: Aval, y: Aval) -> Aval:
        if x.dtype.kind == "b":
            raise DTypeError(name, f"not defined for bool inputs (got {x.dtype}, as PyTorch)",
                             shapes=[x.shape, y.shape], dtypes=[x.dtype, y.dtype])
        return Aval(broadcast_shapes(name, x.shape, y.shape), x.dtype)

    return rule


def _kernel(name: str, ufunc):
    def kernel(x, y):
        if x.dtype.kind == "b":
            _rule(name)(Aval(x.shape, x.dtype), Aval(y.shape, y.dtype))
        if x.dtype.kind in "iu" and not np.all(y):
            raise OpRuntimeError(name, "integer division by zero (PyTorch raises "
                                 "ZeroDivisionError)", shapes=[x.shape, y.shape])
        return ufunc(x, y)

    return kernel


# --- floor_divide: primitive, no gradient ------------------------------------------------------
floor_divide = primitive("floor_divide", _kernel("floor_divide", np.floor_divide),
                         _rule("floor_divide"), None, elementwise=True, promote=True,
                         differentiable_output=False,
                         doc="x // y rounded toward -inf (torch.floor_divide); ints stay ints.")


# --- remainder: primitive ----------------------------------------------------------------------
def _remainder_vjp(g, inputs, out):
    x, y = inputs
    # x % y = x - y * floor(x / y): the floor is flat, so d/dx = 1 and d/dy = -floor(x / y).
    return (unbroadcast(g, x, inputs),
            unbroadcast(mul(neg(g), floor_divide(x, y)), y, inputs))


remainder = primitive("remainder", _kernel("remainder", np.remainder), _rule("remainder"),
                      _remainder_vjp, elementwise=True, promote=True,
                      doc="x % y with the divisor's sign (torch.remainder, Python's %).")



# --- fmod: primitive ---------------------------------------------------------------------------
def _fmod_vjp(g, inputs, out):
    x, y = inputs
    # fmod(x, y) = x - y * trunc(x / y): d/dx = 1, d/dy = -trunc(x / y) (as PyTorch).
    return (unbroadcast(g, x, inputs),
            unbroadcast(mul(neg(g), trunc(div(x, y))), y, inputs))


fmod = primitive("fmod", _kernel("fmod", np.fmod), _rule("fmod"), _fmod_vjp, elementwise=True,
                 promote=True, doc="x % y with the dividend's sign (torch.fmod, C's fmod).")

__all__ = ["floor_divide", "remainder", "fmod"]
