"""Binary float math NumPy computes in one ufunc: ``atan2``, ``hypot`` and ``logaddexp``
(primitives), and ``logaddexp2``, ``xlogy`` and ``xlog1py`` (composites), as ``torch.atan2``,
``torch.hypot``, ``torch.logaddexp``, ``torch.logaddexp2``, ``torch.xlogy`` and
``torch.special.xlog1py``. Inputs broadcast; ints and bools become float.

    >>> import numpy as np
    >>> hypot(np.array([3.0]), np.array([4.0])), atan2(np.array([1.0]), np.array([0.0]))
    (array([5.]), array([1.57079633]))
"""

from __future__ import annotations

import numpy as np

from ..registry import composite, primitive
from ._rules import broadcast_binary
from ._types import Value
from .bitwise import bitwise_and, bitwise_or
from .elementwise import add, div, mul, neg, sub, unbroadcast
from .elementwise_logic import eq, le, where
from .elementwise_math import exp, log, log1p

_FLAGS = dict(elementwise=True, promote=True, floating=True)
_LN2 = float(np.log(2.0))


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


# --- logaddexp2: composite --------------------------------------------------------------------
@composite(torch_name="Logaddexp2Backward0")
def logaddexp2(input: Value, other: Value) -> Value:  # noqa: A002 -- torch's names
    """``log2(2 ** input + 2 ** other)`` without overflow (torch.logaddexp2): logaddexp of
    the inputs in natural units, back in bits."""
    return div(logaddexp(mul(input, _LN2), mul(other, _LN2)), _LN2)


# --- xlogy, xlog1py: composites ---------------------------------------------------------------
def _times_log(x: Value, y: Value, log_fn, pole: float) -> Value:
    """``x * log_fn(y)`` that is 0 where x is 0 (unless y is nan), as torch's kernels.

    Where x is 0 the log factor itself is zeroed only where it is not finite (y at or below
    the pole, or +inf): elsewhere it stays, so the gradient in x at x == 0 is log_fn(y), as
    torch's rule gives (it masks only where y is at or below the pole). A where() around the
    product would zero that gradient (Beta and Dirichlet log_prob at concentration 1), and
    the gradient in y is then torch's x / y (nan at 0 / 0)."""
    unusable = bitwise_or(le(y, pole), eq(y, np.inf))
    return mul(x, where(bitwise_and(eq(x, 0), unusable), 0.0, log_fn(y)))


@composite(torch_name="XlogyBackward0")
def xlogy(input: Value, other: Value) -> Value:  # noqa: A002 -- torch's names
    """``input * log(other)``, 0 where ``input`` is 0 (unless ``other`` is nan), as
    ``torch.xlogy``."""
    return _times_log(input, other, log, 0.0)


@composite(torch_name="SpecialXlog1PyBackward0")
def xlog1py(input: Value, other: Value) -> Value:  # noqa: A002 -- torch's names
    """``input * log1p(other)``, 0 where ``input`` is 0 (unless ``other`` is nan), as
    ``torch.special.xlog1py``."""
    return _times_log(input, other, log1p, -1.0)


__all__ = ["atan2", "hypot", "logaddexp", "logaddexp2", "xlogy", "xlog1py"]
