"""``exp2`` (2 ** x) and ``expm1`` (e ** x - 1, accurate near 0): elementwise float primitives,
as ``torch.exp2`` and ``torch.expm1``.

Each is one NumPy ufunc (so its ``ufunc`` facet is derived) and its gradient reuses the output,
as exp's does: d/dx 2**x = ln 2 * 2**x, d/dx (e**x - 1) = out + 1.

    >>> import numpy as np
    >>> exp2(np.array([0.0, 3.0])).tolist()
    [1.0, 8.0]
"""

from __future__ import annotations

import math

import numpy as np

from ..registry import primitive
from ._rules import floating_unary
from .elementwise import add, mul

# Flags of a float elementwise op: ints and bools become float32 first, as in PyTorch.
_FLAGS = dict(elementwise=True, inplace_safe=True, floating=True)


# --- exp2: primitive ---------------------------------------------------------------------------
def _exp2_vjp(g, inputs, out):
    return (mul(g, mul(out, math.log(2.0))),)


exp2 = primitive("exp2", np.exp2, floating_unary("exp2"), _exp2_vjp, doc="2 ** x.", **_FLAGS)


# --- expm1: primitive --------------------------------------------------------------------------
def _expm1_vjp(g, inputs, out):
    return (mul(g, add(out, 1.0)),)


expm1 = primitive("expm1", np.expm1, floating_unary("expm1"), _expm1_vjp,
                  doc="e ** x - 1, accurate near 0.", **_FLAGS)

__all__ = ["exp2", "expm1"]
