"""Rounding to integral values: floor, ceil, trunc and round (primitives), PyTorch's
``torch.floor``/``ceil``/``trunc``/``round(decimals=)``.

Integer inputs come back unchanged (PyTorch returns a copy of the same dtype, where NumPy's
``np.floor`` would make int64 float64); bool inputs are refused as PyTorch refuses them.
``round`` rounds half to even, as both NumPy and PyTorch do. The gradient is zero everywhere
(the functions are flat almost everywhere), and PyTorch's output still requires grad, so each
op records a zero gradient rather than none.

    >>> import numpy as np
    >>> floor(np.array([-1.5, 1.5])), round(np.array([0.5, 1.5, 1.25]), decimals=1)
    (array([-2.,  1.]), array([0.5, 1.5, 1.2]))
"""

from __future__ import annotations

import numpy as np

from ..aval import Aval
from ..registry import primitive
from .fill import zeros_like


def _refuse_bool(name: str, dtype) -> None:
    if np.dtype(dtype) == np.bool_:
        raise NotImplementedError(f'"{name}" not implemented for \'Bool\'')


def _rounding_rule(name: str):
    def rule(x: Aval, decimals: int = 0) -> Aval:
        _refuse_bool(name, x.dtype)
        if decimals != 0 and np.dtype(x.dtype).kind in "iu":
            raise NotImplementedError(f"{name}: decimals={decimals} is not implemented for "
                                      f"integer inputs ({x.dtype}), as in PyTorch")
        return x

    return rule


def _rounding_kernel(name: str, ufunc):
    def kernel(x, decimals: int = 0):
        _rounding_rule(name)(Aval(x.shape, x.dtype), decimals)
        if x.dtype.kind in "iu":
            return x.copy()
        if decimals == 0:
            return ufunc(x)
        # PyTorch scales, rounds half to even and scales back, in the input's dtype.
        scale = x.dtype.type(10.0 ** decimals)
        return np.rint(x * scale) / scale if decimals > 0 else np.rint(x / (1 / scale)) * (
            1 / scale)

    kernel.__name__ = name
    return kernel


def _zero_vjp(g, inputs, out, **_):
    # Flat almost everywhere: PyTorch's gradient is zeros (not None: the output requires grad).
    return (zeros_like(g),)


def _rounding(name: str, ufunc, doc: str):
    return primitive(name, _rounding_kernel(name, ufunc), _rounding_rule(name), _zero_vjp,
                     elementwise=True, inplace_safe=True, doc=doc)


floor = _rounding("floor", np.floor, "The largest integer value <= x (integers unchanged).")
ceil = _rounding("ceil", np.ceil, "The smallest integer value >= x (integers unchanged).")
trunc = _rounding("trunc", np.trunc, "x rounded toward zero (integers unchanged).")
round = _rounding("round", np.rint,  # noqa: A001 (PyTorch's name)
                  "x rounded half to even, to ``decimals`` decimal places (integers unchanged).")

__all__ = ["floor", "ceil", "trunc", "round"]
