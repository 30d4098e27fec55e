"""GELU as one kernel: ``fused_gelu(x, approximate)``, the immediate form of the `gelu`
composite, and its gradient ``gelu_grad(g, x, approximate)``, one kernel too.

The decomposition of the tanh-approximated GELU is nine ops forward and about twenty in its
gradient (every ``mul`` and ``add`` records and is differentiated), each a pass over the
array plus a dispatch; a transformer's MLP runs it on its widest activations. Here the forward
is a few in-place passes over one buffer, the gradient likewise (PyTorch's ``gelu`` and
``gelu_backward`` are single kernels too; the gain is in docs/PERFORMANCE.md). ``gelu_grad``
has a gradient rule of its own, written with ops, so second derivatives still work (as
`activation_grads`' ops).

With ``c = sqrt(2/pi)``, ``k = 0.044715``, ``u = c (x + k x^3)`` and ``t = tanh u``:

* tanh: ``y = x (1 + t) / 2``; ``y' = (1 + t) (1 + A (1 - t)) / 2`` with ``A = x u'``,
  ``u' = c (1 + 3 k x^2)``; ``y'' = (1 - t^2) (2 u' + 6 c k x^2 - 2 x u'^2 t) / 2``;
* exact (``"none"``): ``y = x Phi(x)``; ``y' = Phi(x) + x phi(x)``; ``y'' = phi(x) (2 - x^2)``,
  ``Phi`` the normal distribution function (through `erf_array`), ``phi`` its density.

    >>> import numpy as np
    >>> fused_gelu(np.array([-1.0, 0.0, 2.0]), approximate="tanh").round(6).tolist()
    [-0.158808, 0.0, 1.954598]
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import OpValueError
from ..registry import primitive
from ._rules import broadcast_binary, floating_unary
from .elementwise import add, mul, sub, unbroadcast
from .elementwise_math import exp, tanh
from .erf_kernel import erf_array

_C = math.sqrt(2.0 / math.pi)
_K = 0.044715
_SQRT_HALF = math.sqrt(0.5)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
APPROXIMATIONS = ("none", "tanh")


def check_approximate(approximate) -> None:
    """PyTorch's two choices; anything else is refused naming gelu."""
    if approximate not in APPROXIMATIONS:
        raise OpValueError("gelu", f"approximate must be 'none' or 'tanh', got {approximate!r}")


def _tanh_of_u(x: np.ndarray, x2: np.ndarray) -> np.ndarray:
    """``tanh(c (x + k x^3))`` as ``tanh(x (c + c k x^2))``, in a fresh buffer."""
    t = np.multiply(x2, _C * _K)
    t += _C
    t *= x
    return np.tanh(t, out=t)


def _phi_of(x: np.ndarray) -> np.ndarray:
    """``Phi(x) = (1 + erf(x / sqrt 2)) / 2`` in a fresh buffer."""
    p = np.asarray(erf_array(np.multiply(x, _SQRT_HALF)))
    p += 1
    p *= 0.5
    return p


# --- fused_gelu: primitive -------------------------------------------------------------------
def _gelu_kernel(x, approximate="none"):
    check_approximate(approximate)
    x = np.asarray(x)
    if x.ndim == 0:  # 0-d operations give NumPy scalars, which the in-place steps cannot take
        return _gelu_kernel(x.reshape(1), approximate).reshape(())
    if approximate == "tanh":
        out = _tanh_of_u(x, np.multiply(x, x))
        out += 1
        out *= x
        out *= 0.5
        return out
    out = _phi_of(x)
    out *= x
    return out


def _gelu_vjp(g, inputs, out, approximate="none"):
    return (gelu_grad(g, inputs[0], approximate=approximate),)


fused_gelu = primitive(
    "fused_gelu", _gelu_kernel, floating_unary("fused_gelu"), _gelu_vjp, elementwise=True,
    floating=True, fresh=True, torch_name="GeluBackward0",
    doc="fused_gelu(x, approximate='none'): gelu as one kernel (x Phi(x), or its tanh form).")


# --- gelu_grad: primitive --------------------------------------------------------------------
def _gelu_grad_kernel(g, x, approximate="none"):
    check_approximate(approximate)
    x = np.asarray(x)
    if x.ndim == 0:  # as in _gelu_kernel: compute on one element, then broadcast against g
        slope = _gelu_grad_kernel(np.ones(1, x.dtype), x.reshape(1), approximate)
        return np.asarray(np.multiply(slope.reshape(()), g))
    if approximate == "tanh":
        x2 = np.multiply(x, x)
        t = _tanh_of_u(x, x2)
        a = np.multiply(x2, 3 * _C * _K, out=x2)  # A = x u' = x c (1 + 3 k x^2)
        a += _C
        a *= x
        a *= 1 - t
        a += 1
        t += 1
        a *= t  # (1 + t) (1 + A (1 - t)) = 2 y'
        a *= 0.5
    else:
        a = np.multiply(x, x)  # y' = Phi(x) + x phi(x)
        a *= -0.5
        np.exp(a, out=a)
        a *= _INV_SQRT_2PI
        a *= x
        a += _phi_of(x)
    if a.shape == np.shape(g):
        return np.multiply(a, g, out=a)
    return np.multiply(a, g)


def _second_derivative(x, approximate: str):
    """``gelu''(x)`` written with ops (the rule of `gelu_grad`: higher orders differentiate it)."""
    x2 = mul(x, x)
    if approximate == "tanh":
        du = mul(add(mul(x2, 3 * _K), 1.0), _C)  # u'
        t = tanh(mul(x, mul(add(mul(x2, _K), 1.0), _C)))
        inner = sub(add(mul(du, 2.0), mul(x2, 6 * _C * _K)), mul(mul(mul(x, mul(du, du)), t), 2.0))
        return mul(mul(sub(1.0, mul(t, t)), inner), 0.5)
    return mul(mul(exp(mul(x2, -0.5)), _INV_SQRT_2PI), sub(2.0, x2))


def _gelu_grad_vjp(c, inputs, out, approximate="none", needs=(True, True)):
    g, x = inputs  # out = g gelu'(x): d/dg = gelu'(x), d/dx = g gelu''(x)
    gg = unbroadcast(gelu_grad(c, x, approximate=approximate), g, inputs) if needs[0] else None
    gx = unbroadcast(mul(mul(c, g), _second_derivative(x, approximate)), x, inputs) \
        if needs[1] else None
    return gg, gx


gelu_grad = primitive(
    "gelu_grad", _gelu_grad_kernel, broadcast_binary("gelu_grad"), _gelu_grad_vjp,
    elementwise=True, promote=True, floating=True, fresh=True, linear_in=(0,),
    doc="gelu_grad(g, x, approximate='none'): g * gelu'(x), fused_gelu's gradient.")

__all__ = ["fused_gelu", "gelu_grad"]
