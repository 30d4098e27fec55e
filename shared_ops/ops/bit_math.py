"""Elementwise ops that work on the bits or the integers of their inputs: ``gcd``, ``lcm``,
``bitwise_left_shift``, ``bitwise_right_shift`` (the ``<<``/``>>`` operators), ``nextafter``
and ``heaviside``, as PyTorch's functions of those names. All primitives: each is one NumPy
call plus PyTorch's rule at the edges.

* ``gcd``/``lcm`` take integers only (PyTorch: ``"gcd_cpu" not implemented for 'Float'``);
  the results are non-negative.
* Shifts take integers only. A shift by a negative amount or by the width of the type or more
  is what PyTorch's kernel gives: 0 for ``<<``, the sign fill (0 or -1) for ``>>`` (C leaves
  it undefined; NumPy's answer depends on the platform).
* ``nextafter`` takes floats; its gradient is PyTorch's: ``g`` to ``input`` (0 where it
  equals ``other``), 0 to ``other``.
* ``heaviside(input, values)`` is ``values`` where ``input`` is 0, else ``input > 0``; the
  dtypes must be equal, as in PyTorch. None of these but ``nextafter`` has a gradient (the
  outputs are integers, or flat almost everywhere).

    >>> import numpy as np
    >>> gcd(np.array([12, -18]), np.array([8, 12])), bitwise_left_shift(np.array([1]), 70)
    (array([4, 6]), array([0]))
"""

from __future__ import annotations

import numpy as np

from ..aval import Aval, broadcast_shapes
from ..errors import DTypeError
from ..registry import primitive
from .elementwise import mul, unbroadcast
from .elementwise_logic import ne, where

_ATEN = {"float16": "Half", "float32": "Float", "float64": "Double", "bool": "Bool"}


def _refuse(name: str, kernel_name: str, avals: tuple, kinds: str) -> None:
    for a in avals:
        if a.dtype.kind not in kinds:
            raise DTypeError(name, f'"{kernel_name}_cpu" not implemented for '
                             f"'{_ATEN.get(a.dtype.name, a.dtype.name)}' (as in PyTorch)",
                             shapes=[b.shape for b in avals], dtypes=[b.dtype for b in avals])


def _binary(name: str, kernel_name: str, kinds: str):
    """The shape rule and the checked kernel of a binary op on dtypes of ``kinds``."""

    def rule(x: Aval, y: Aval) -> Aval:
        _refuse(name, kernel_name, (x, y), kinds)
        return Aval(broadcast_shapes(name, x.shape, y.shape), x.dtype)

    def check(*arrays) -> None:
        if any(a.dtype.kind not in kinds for a in arrays):
            rule(*(Aval(a.shape, a.dtype) for a in arrays))

    return rule, check


# --- gcd, lcm: primitives, no gradient ---------------------------------------------------------
def _integer_op(name: str, ufunc, doc: str):
    rule, check = _binary(name, name, "iu")

    def kernel(x, y):
        check(x, y)
        return ufunc(x, y).astype(x.dtype, copy=False)

    return primitive(name, kernel, rule, None, elementwise=True, promote=True,
                     differentiable_output=False, doc=doc)


gcd = _integer_op("gcd", np.gcd, "The greatest common divisor, elementwise (integers; "
                  "gcd(0, 0) is 0).")
lcm = _integer_op("lcm", np.lcm, "The least common multiple, elementwise (integers; 0 where "
                  "either is 0).")


# --- bitwise_left_shift, bitwise_right_shift: primitives, no gradient --------------------------
def _shift(name: str, kernel_name: str, left: bool, doc: str):
    rule, check = _binary(name, kernel_name, "iu")

    def kernel(x, y):
        check(x, y)
        bits = x.dtype.itemsize * 8
        amount = y.astype(np.int64)
        outside = (amount < 0) | (amount >= bits)
        safe = np.where(outside, 0, amount).astype(x.dtype)
        if left:
            out = np.where(outside, 0, np.left_shift(x, safe))
        else:
            # PyTorch's kernel shifts by width - 1 there: the sign fill.
            out = np.where(outside, np.right_shift(x, x.dtype.type(bits - 1)),
                           np.right_shift(x, safe))
        return out.astype(x.dtype, copy=False)

    return primitive(name, kernel, rule, None, elementwise=True, promote=True,
                     differentiable_output=False, doc=doc)


bitwise_left_shift = _shift("bitwise_left_shift", "lshift", True,
                            "x << y (integers; 0 for shifts outside [0, width)).")
bitwise_right_shift = _shift("bitwise_right_shift", "rshift", False,
                             "x >> y, arithmetic (integers; the sign fill for shifts outside "
                             "[0, width)).")


# --- nextafter: primitive ----------------------------------------------------------------------
_nextafter_rule, _nextafter_check = _binary("nextafter", "nextafter", "f")


def _nextafter_kernel(x, y):
    _nextafter_check(x, y)
    return np.nextafter(x, y)


def _nextafter_vjp(g, inputs, out):
    x, y = inputs
    # PyTorch's: g where the step is taken, 0 where input == other (the output is other).
    return (unbroadcast(where(ne(x, y), g, 0.0), x, inputs),
            unbroadcast(mul(g, 0.0), y, inputs))


nextafter = primitive("nextafter", _nextafter_kernel, _nextafter_rule, _nextafter_vjp,
                      elementwise=True, promote=True, ufunc=np.nextafter,
                      doc="The next float after input in the direction of other (floats).")


# --- heaviside: primitive, no gradient ---------------------------------------------------------
def _heaviside_rule(x: Aval, values: Aval) -> Aval:
    if x.dtype != values.dtype:
        raise DTypeError("heaviside", "heaviside is not yet implemented for tensors with "
                         "different dtypes (as in PyTorch)", shapes=[x.shape, values.shape],
                         dtypes=[x.dtype, values.dtype])
    return Aval(broadcast_shapes("heaviside", x.shape, values.shape), x.dtype)


def _heaviside_kernel(x, values):
    _heaviside_rule(Aval(x.shape, x.dtype), Aval(values.shape, values.dtype))
    # PyTorch's ``x == 0 ? values : x > 0``: a NaN input gives 0 (np.heaviside gives NaN).
    return np.where(x == 0, values, (x > 0).astype(x.dtype))


heaviside = primitive("heaviside", _heaviside_kernel, _heaviside_rule, None, elementwise=True,
                      differentiable_output=False,
                      doc="values where input is 0, else 1 where input > 0 and 0 elsewhere.")

__all__ = ["gcd", "lcm", "bitwise_left_shift", "bitwise_right_shift", "nextafter", "heaviside"]
