"""Float math Tensor methods of issue 16's second batch, with PyTorch's signatures:
``sinc``, ``copysign``, ``signbit``, ``sgn``, ``frexp``, ``ldexp``, ``erfc``, ``i0``,
``polygamma``, and `div_trunc` (``div(..., rounding_mode="trunc")``, which
`tensor_api_math`'s ``div`` calls). Entries of `tensor_api_core.METHODS`.

    >>> import numpy as np
    >>> div_trunc(np.array([-7, 7]), np.array([2, 2])).tolist()
    [-3, 3]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from . import dtypes as dt
from .return_types import return_type
from .tensor_api_core import method, op

FrexpResult = return_type("frexp", ("mantissa", "exponent"))


def div_trunc(a: Any, b: Any) -> Any:
    """``torch.div(a, b, rounding_mode="trunc")``: the quotient rounded toward zero; integers
    stay exact (the floor quotient, one up where the remainder is not 0 and the signs
    differ), floats are trunc(a / b) as PyTorch's kernel."""
    dtypes = [np.dtype(v.dtype) for v in (a, b) if hasattr(v, "dtype")]
    if dtypes and all(d.kind == "b" for d in dtypes):
        raise NotImplementedError("\"div_trunc_cpu\" not implemented for 'Bool'")
    floats = any(d.kind == "f" for d in dtypes) or any(isinstance(v, float) for v in (a, b))
    if floats:
        return op("trunc")(op("div")(a, b))
    floor = op("floor_divide")(a, b)
    inexact = op("ne")(op("sub")(a, op("mul")(floor, b)), 0)
    differ = op("ne")(op("lt")(a, 0), op("lt")(b, 0))
    return op("add")(floor, op("cast")(op("bitwise_and")(inexact, differ),
                                       dtype=np.dtype(floor.dtype)))


# --- float math --------------------------------------------------------------------------------
def _as_float(x: Any) -> Any:
    # (complex values stay complex: the ops after decide whether they take them)
    return x if np.dtype(x.dtype).kind in "fc" else op("cast")(x, dtype=dt.DEFAULT_FLOAT)


@method("sinc")
def _sinc(self):
    """sin(pi x) / (pi x), 1 at 0 (with gradient 0 there)."""
    x = _as_float(self)
    zero = op("eq")(x, 0)
    # The zero entries divide a safe 1 instead, so neither value nor gradient sees 0 / 0.
    scaled = op("mul")(op("where")(zero, 1.0, x), np.pi)
    return op("where")(zero, 1.0, op("div")(op("sin")(scaled), scaled))


@method("signbit")
def _signbit(self):
    """True where the sign bit is set (negative numbers, -0.0)."""
    return op("signbit")(self)


@method("copysign")
def _copysign(self, other):
    """|self| with the sign of ``other`` (-0.0 counts as negative), as a float."""
    if np.dtype(self.dtype).kind == "c":
        raise NotImplementedError("\"copysign_cpu\" not implemented for 'ComplexFloat'"
                                  if np.dtype(self.dtype).itemsize == 8 else
                                  "\"copysign_cpu\" not implemented for 'ComplexDouble'")
    magnitude = op("abs")(_as_float(self))
    if not hasattr(other, "shape"):
        other = np.asarray(other, dtype=np.float32)
    negative = op("signbit")(other)
    out = op("where")(negative, op("neg")(magnitude), magnitude)
    if np.dtype(other.dtype).kind == "f":
        # PyTorch gives ``other`` a zero gradient (and promotes to its dtype): a where that
        # never picks it, so no inf of it reaches the value.
        out = op("add")(out, op("where")(np.zeros((), bool), other, 0.0))
    return out


@method("sgn")
def _sgn(self):
    """The sign (-1, 0, 1) of real entries: ``sign``; a bool is its own sign."""
    if np.dtype(self.dtype).kind == "b":
        return op("ne")(self, False)  # a copy, as torch.sgn returns a new tensor
    if np.dtype(self.dtype).kind == "c":
        return op("complex_sgn")(self)  # z / |z|
    return op("sign")(self)


@method("frexp")
def _frexp(self):
    """``(mantissa, exponent)`` with self = mantissa * 2**exponent, 0.5 <= |mantissa| < 1."""
    if np.dtype(self.dtype).kind != "f":
        raise RuntimeError("torch.frexp() only supports floating-point dtypes")
    exponent = op("frexp_exponent")(self)
    scale = op("exp2")(op("cast")(exponent, dtype=np.dtype(self.dtype)))
    return FrexpResult(op("div")(self, scale), exponent)


@method("ldexp")
def _ldexp(self, other):
    """self * 2**other."""
    power = op("exp2")(_as_float(other) if hasattr(other, "shape") else float(other))
    return op("mul")(_as_float(self), power)


@method("erfc")
def _erfc(self):
    """1 - erf(self), accurate in the tail."""
    return op("erfc")(self)


@method("i0")
def _i0(self):
    """The modified Bessel function of the first kind of order 0."""
    return op("i0")(self)


@method("polygamma")
def _polygamma(self, n: int):
    """The ``n``-th derivative of digamma at self (n = 0: digamma)."""
    if n < 0:
        raise RuntimeError("polygamma(n, x) does not support negative n.")
    return op("polygamma")(self, n=n)


__all__ = ["div_trunc"]
