"""The bits of a float and the complementary error function, as primitives NumPy computes
exactly: ``signbit`` (true for negative numbers and -0.0, as ``torch.signbit``),
``frexp_exponent`` (the exponent of ``torch.frexp``, int32; the mantissa is then an exact
division by a power of two) and ``erfc`` (1 - erf(x) without losing the digits of the tail,
as ``torch.erfc``). ``signbit`` and ``frexp_exponent`` have no gradient, as in PyTorch.

    >>> import numpy as np
    >>> signbit(np.array([-0.0, 1.0])).tolist(), frexp_exponent(np.array([8.0, 0.3])).tolist()
    ([True, False], [4, -1])
    >>> float(erfc(np.array(5.0)))
    1.5374597944280351e-12
"""

from __future__ import annotations

import math

import numpy as np

from ..aval import Aval
from ..registry import primitive
from ._rules import floating_unary
from .elementwise import mul
from .elementwise_math import exp

_NO_GRAD = dict(differentiable_output=False, fresh=True, elementwise=True)


# --- signbit, frexp_exponent: primitives without gradient --------------------------------------
def _signbit_kernel(x: np.ndarray) -> np.ndarray:
    return np.signbit(x) if x.dtype.kind != "b" else np.zeros(x.shape, bool)


signbit = primitive("signbit", _signbit_kernel, lambda x: Aval(x.shape, np.dtype(bool)), None,
                    doc="True where the sign bit is set (negative numbers and -0.0).",
                    **_NO_GRAD)


def _frexp_exponent_kernel(x: np.ndarray) -> np.ndarray:
    return np.frexp(x)[1].astype(np.int32)


def _frexp_exponent_rule(x: Aval) -> Aval:
    floating_unary("frexp")(x)
    return Aval(x.shape, np.dtype(np.int32))


frexp_exponent = primitive("frexp_exponent", _frexp_exponent_kernel, _frexp_exponent_rule,
                           None, doc="e with x = m * 2**e, 0.5 <= |m| < 1 (0 for 0), int32.",
                           **_NO_GRAD)


# --- erfc: primitive ---------------------------------------------------------------------------
_erfc_scalar = np.frompyfunc(math.erfc, 1, 1)
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


def _erfc_kernel(x: np.ndarray) -> np.ndarray:
    # The C library's erfc per element: 1 - erf(x) would round the tail (x > 4 in float32)
    # to 0, where PyTorch keeps 1e-8 .. 1e-45.
    out = np.asarray(_erfc_scalar(np.asarray(x, dtype=np.float64)), dtype=np.float64)
    return out.astype(x.dtype, copy=False)


def _erfc_vjp(g, inputs, out):
    (x,) = inputs
    return (mul(g, mul(exp(mul(mul(x, x), -1.0)), -_TWO_OVER_SQRT_PI)),)


erfc = primitive("erfc", _erfc_kernel, floating_unary("erfc"), _erfc_vjp, elementwise=True,
                 inplace_safe=True, floating=True, fresh=True,
                 doc="The complementary error function 1 - erf(x), accurate in the tail.")

__all__ = ["signbit", "frexp_exponent", "erfc"]
