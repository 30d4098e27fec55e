"""Bitwise and logical primitives: bitwise_and, bitwise_or, bitwise_xor, bitwise_not (the
``& | ^ ~`` operators).

As in PyTorch they take bool and integer inputs only (a float input is a `DTypeError`, where
PyTorch says ``"bitwise_and_cpu" not implemented for 'Float'``); on bool they are the logical
operations. Inputs are promoted to one dtype (``int32 & int64 -> int64``, ``bool & int ->
int``; a Python int next to an int array is weak). No gradient: the outputs are integers.

    >>> import numpy as np
    >>> bitwise_xor(np.array([5, 6]), 3)
    array([6, 5])
    >>> bitwise_not(np.array([True, False]))
    array([False,  True])
"""

from __future__ import annotations

import numpy as np

from ..aval import Aval, broadcast_shapes
from ..errors import DTypeError
from ..registry import primitive


def _require_integral(name: str, *avals: Aval) -> None:
    for a in avals:
        if a.dtype.kind not in "biu":
            raise DTypeError(name, f"takes bool and integer inputs only, got {a.dtype} (as in "
                             f"PyTorch; compare or cast floats first)",
                             shapes=[b.shape for b in avals], dtypes=[b.dtype for b in avals])


def _binary_rule(name: str):
    def rule(x: Aval, y: Aval) -> Aval:
        _require_integral(name, x, y)
        return Aval(broadcast_shapes(name, x.shape, y.shape), x.dtype)

    return rule


def _not_rule(x: Aval) -> Aval:
    _require_integral("bitwise_not", x)
    return x


def _checked(name: str, ufunc):
    """The ufunc, refusing floats first (NumPy's own refusal names no op and no dtypes)."""

    def kernel(*arrays):
        if any(a.dtype.kind not in "biu" for a in arrays):
            _require_integral(name, *(Aval(a.shape, a.dtype) for a in arrays))
        return ufunc(*arrays)

    return kernel


def _bitwise(name: str, ufunc, doc: str):
    return primitive(name, _checked(name, ufunc), _binary_rule(name), None, elementwise=True,
                     inplace_safe=True, promote=True, differentiable_output=False, doc=doc)


bitwise_and = _bitwise("bitwise_and", np.bitwise_and,
                       doc="x & y (logical and on bool), broadcasting; bool/int only.")
bitwise_or = _bitwise("bitwise_or", np.bitwise_or,
                      doc="x | y (logical or on bool), broadcasting; bool/int only.")
bitwise_xor = _bitwise("bitwise_xor", np.bitwise_xor,
                       doc="x ^ y (logical xor on bool), broadcasting; bool/int only.")
bitwise_not = primitive("bitwise_not", _checked("bitwise_not", np.invert), _not_rule, None,
                        elementwise=True, inplace_safe=True, differentiable_output=False,
                        doc="~x: bits flipped (two's complement, so ~5 == -6), logical not "
                            "on bool; bool/int only.")

__all__ = ["bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not"]
