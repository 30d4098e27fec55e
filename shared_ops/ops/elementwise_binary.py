"""Binary float math NumPy computes in one ufunc: ``atan2``, ``hypot`` and ``logaddexp``
(primitives), and ``xlogy`` (composite), as ``torch.atan2``, ``torch.hypot``,
``torch.logaddexp`` and ``torch.xlogy``. Inputs broadcast; ints and bools become float.

    >>> import numpy as np
    >>> hypot(np.array([3.0]), np.array([4.0])), atan2(np.array([1.0]), np.array([0.0]))
    (array([5.]), array([1.57079633]))
"""

from __future__ import annotations

import numpy as np

from ..registry import composite, primitive
from ._rules import broadcast_binary
from ._types import Value
from .elementwise import add, div, mul, neg, sub, unbroadcast
from .elementwise_logic import eq, where
from .elementwise_math import exp, log

_FLAGS = dict(elementwise=True, promote=True, floating=True)


# --- atan2: primitive --------------------------------------------------------------------------
def _atan2_vjp(g, inputs, out):
    y, x = inputs  # atan2(input, other): the angle of the point (other, input)
    scale = div(g, add(mul(x, x), mul(y, y)))
    return unbroadcast(mul(scale, x), y, inputs), unbroadcast(neg(mul(scale, y)), x, inputs)


atan2 = primitive("atan2", np.arctan2, broadcast_binary("atan2"), _atan2_vjp, **_FLAGS,
                  doc="The angle of the point (other, input) in (-pi, pi] (torch.atan2).")


# --- hypot: primitive --------------------------------------------------------------------------
def _hypot_vjp(g, inputs, out):
    x, y = inputs
    # d/dx sqrt(x^2 + y^2) = x / out: the output is reused, as exp's rule does.
    scale = div(g, out)
    return unbroadcast(mul(scale, x), x, inputs), unbroadcast(mul(scale, y), y, inputs)


hypot = primitive("hypot", np.hypot, broadcast_binary("hypot"), _hypot_vjp, **_FLAGS,
                  doc="sqrt(x ** 2 + y ** 2) without overflow, broadcasting.")


# --- logaddexp: primitive ----------------------------------------------------------------------
def _logaddexp_vjp(g, inputs, out):
    x, y = inputs
    return (unbroadcast(mul(g, exp(sub(x, out))), x, inputs),
            unbroadcast(mul(g, exp(sub(y, out))), y, inputs))


logaddexp = primitive("logaddexp", np.logaddexp, broadcast_binary("logaddexp"), _logaddexp_vjp,
                      **_FLAGS, doc="log(exp(x) + exp(y)) without overflow (torch.logaddexp).")


# --- xlogy: composite --------------------------------------------------------------------------
@composite(torch_name="XlogyBackward0")
def xlogy(input: Value, other: Value) -> Value:  # noqa: A002 -- torch's names
    """``input * log(other)``, 0 where ``input`` is 0 (unless ``other`` is nan), as
    ``torch.xlogy``."""
    product = mul(input, log(other))
    return where(eq(input, 0), where(eq(other, other), 0.0, other), product)


__all__ = ["atan2", "hypot", "logaddexp", "xlogy"]
