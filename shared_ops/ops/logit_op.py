"""``logit``: log(p / (1 - p)), an elementwise float primitive (``torch.logit`` and
``Tensor.logit`` clamp into [eps, 1 - eps] first, then call it).

A primitive, not the composite ``log(div(p, 1 - p))``: PyTorch's gradient is
``g / (p * (1 - p))``, which is inf at 0 and 1 where the composite's chain rule gives
``0 * inf``, nan. The value is computed as PyTorch's kernel computes it, ``log(p / (1 - p))``.

    >>> import numpy as np
    >>> logit(np.array([0.5, 0.0])).tolist()
    [0.0, -inf]
"""

from __future__ import annotations

import numpy as np

from ..registry import primitive
from ._rules import floating_unary
from .elementwise import div, mul, sub


def _logit_kernel(p):
    return np.log(p / (1 - p))


def _logit_vjp(g, inputs, out):
    (p,) = inputs
    return (div(g, mul(p, sub(1.0, p))),)


logit = primitive("logit", _logit_kernel, floating_unary("logit"), _logit_vjp,
                  elementwise=True, floating=True, fresh=True,
                  doc="log(p / (1 - p)), with PyTorch's gradient g / (p (1 - p)).")

__all__ = ["logit"]
