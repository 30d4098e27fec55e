"""The rest of the trigonometric and hyperbolic functions as primitives: tan, asin, acos,
atan, sinh, cosh, asinh, acosh, atanh (sin, cos and tanh are in `elementwise_math`).

Each is one NumPy ufunc with PyTorch's gradient formula; like the other float functions they
are ``floating`` (bool and integer inputs become float32 first, as in PyTorch), and outside
their domain they give nan as PyTorch does (``asin(2.0)``, ``acosh(0.5)``)::

    >>> import numpy as np
    >>> atan(np.array([0.0, 1.0])).round(4).tolist()
    [0.0, 0.7854]
"""

from __future__ import annotations

import numpy as np

from ..registry import primitive
from ._rules import floating_unary
from .elementwise import add, div, mul, neg, sub
from .elementwise_math import sqrt


def _trig(name: str, kernel: np.ufunc, vjp, doc: str):
    return primitive(name, kernel, floating_unary(name), vjp, elementwise=True,
                     inplace_safe=True, floating=True, doc=doc)


def _square(x):
    return mul(x, x)


# tan' = 1 + tan^2: from the output, as PyTorch's TanBackward0.
tan = _trig("tan", np.tan, lambda g, inputs, out: (mul(g, add(_square(out), 1)),),
            "The tangent.")
asin = _trig("asin", np.arcsin,
             lambda g, inputs, out: (div(g, sqrt(sub(1, _square(inputs[0])))),),
             "The inverse sine, in [-pi/2, pi/2].")
acos = _trig("acos", np.arccos,
             lambda g, inputs, out: (neg(div(g, sqrt(sub(1, _square(inputs[0]))))),),
             "The inverse cosine, in [0, pi].")
atan = _trig("atan", np.arctan,
             lambda g, inputs, out: (div(g, add(_square(inputs[0]), 1)),),
             "The inverse tangent, in (-pi/2, pi/2).")
sinh = _trig("sinh", np.sinh, lambda g, inputs, out: (mul(g, cosh(inputs[0])),),
             "The hyperbolic sine.")
cosh = _trig("cosh", np.cosh, lambda g, inputs, out: (mul(g, sinh(inputs[0])),),
             "The hyperbolic cosine.")
asinh = _trig("asinh", np.arcsinh,
              lambda g, inputs, out: (div(g, sqrt(add(_square(inputs[0]), 1))),),
              "The inverse hyperbolic sine.")
acosh = _trig("acosh", np.arccosh,
              lambda g, inputs, out: (div(g, sqrt(sub(_square(inputs[0]), 1))),),
              "The inverse hyperbolic cosine (x >= 1).")
atanh = _trig("atanh", np.arctanh,
              lambda g, inputs, out: (div(g, sub(1, _square(inputs[0]))),),
              "The inverse hyperbolic tangent (|x| < 1).")

__all__ = ["tan", "asin", "acos", "atan", "sinh", "cosh", "asinh", "acosh", "atanh"]
