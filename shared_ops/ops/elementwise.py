"""Elementwise arithmetic primitives: add, sub, mul, div, neg, cast.

Each section declares one op: its kernel (NumPy), its shape rule, its gradient rule written
with shared_ops calls, and its flags. Binary arithmetic promotes its inputs to one dtype
(see `shared_ops.dtypes`); true division turns integer inputs into float32 first, as PyTorch.
Comparisons and selection (where, maximum, clip...) live in `elementwise_logic`, float math
(exp, log, pow, tanh...) in `elementwise_math`.

    >>> import numpy as np
    >>> div(np.array([1, 2]), 2)
    array([0.5, 1. ], dtype=float32)
"""

from __future__ import annotations

import numpy as np

from .. import dtypes as dt
from ..aval import Aval
from ..errors import DTypeRuntimeError
from ..registry import primitive
from ._rules import broadcast_binary, same_as_input, shape_of
from ._types import Value
from .shape import sum_to


class _Every:
    """The ``needs`` of a caller that does not say (the fusion pass restaging a rule): every
    input wants its gradient, whatever its position (a slice of it is itself)."""

    def __getitem__(self, key):
        return self if isinstance(key, slice) else True


ALL = _Every()


def unbroadcast(g: Value, x: Value, inputs: tuple | None = None) -> Value:
    """Reduce a broadcast gradient ``g`` back to the shape of input ``x``.

    ``inputs`` are all the inputs that broadcast together (x among them). They matter only for
    static graphs with unknown dims: an unknown dim of x may be 1 at run time while g's is not
    (x was broadcast) even though both print as ``?``; then g is reduced to x's *runtime* shape
    with ``sum_to(g, x)``. That is skipped where no other input could have broadcast x: the
    others lack that dim or have it known to be 1 (``x @ w + b``: b is (5,), the matmul's
    ``?`` batch dim cannot have been broadcast), or the other input is x itself (``x * x``).
    """
    xs, gs = shape_of(x), shape_of(g)
    if None not in xs:
        return g if gs == xs else sum_to(g, shape=xs)
    if gs == xs and not _may_broadcast(x, xs, inputs):
        return g
    return sum_to(g, x)


def _may_broadcast(x: Value, xs: tuple, inputs: tuple | None) -> bool:
    if inputs is None:
        return True  # nothing known about the other inputs: be safe
    for other in inputs:
        if other is x:
            continue
        os = shape_of(other)
        for i in range(1, min(len(xs), len(os)) + 1):
            if xs[-i] is None and os[-i] != 1:
                return True
    return False


def numeric_binary(name: str):
    """Broadcasting rule for arithmetic that has no meaning on bool (sub, pow)."""
    base = broadcast_binary(name)

    def rule(x: Aval, y: Aval, **_) -> Aval:
        if x.dtype.kind == "b":
            raise DTypeRuntimeError(name, f"not defined for bool inputs (got {x.dtype})",
                                    shapes=[x.shape, y.shape], dtypes=[x.dtype, y.dtype])
        return base(x, y)

    return rule


# --- add: primitive ----------------------------------------------------------------------------
def _add_vjp(g, inputs, out, needs=ALL):
    x, y = inputs
    return (unbroadcast(g, x, inputs) if needs[0] else None,
            unbroadcast(g, y, inputs) if needs[1] else None)


add = primitive("add", np.add, broadcast_binary("add"), _add_vjp,
                elementwise=True, inplace_safe=True, promote=True, linear_in="all",
                doc="x + y, broadcasting.")


# --- sub: primitive ----------------------------------------------------------------------------
def _sub_vjp(g, inputs, out, needs=ALL):
    x, y = inputs
    return (unbroadcast(g, x, inputs) if needs[0] else None,
            unbroadcast(neg(g), y, inputs) if needs[1] else None)


def _sub_torch_name(attrs, ndims, constants) -> str:
    return "RsubBackward1" if constants[0] else "SubBackward0"  # 1 - x is torch.rsub


sub = primitive("sub", np.subtract, numeric_binary("sub"), _sub_vjp,
                elementwise=True, inplace_safe=True, promote=True, linear_in="all",
                torch_name=_sub_torch_name,
                doc="x - y, broadcasting.")


# --- mul: primitive ----------------------------------------------------------------------------
def _mul_vjp(g, inputs, out, needs=ALL):
    x, y = inputs
    return (unbroadcast(mul(g, y), x, inputs) if needs[0] else None,
            unbroadcast(mul(g, x), y, inputs) if needs[1] else None)


mul = primitive("mul", np.multiply, broadcast_binary("mul"), _mul_vjp,
                elementwise=True, inplace_safe=True, promote=True, linear_in="each",
                doc="x * y, broadcasting.")


# --- div: primitive (true division, always floating) ------------------------------------------
def _div_vjp(g, inputs, out, needs=ALL):
    x, y = inputs
    gx = div(g, y)
    # d(x/y)/dy = -x/y**2 = -(g/y) * (x/y): reuses gx and the output, no square of y.
    return (unbroadcast(gx, x, inputs) if needs[0] else None,
            unbroadcast(neg(mul(gx, out)), y, inputs) if needs[1] else None)


div = primitive("div", np.true_divide, broadcast_binary("div"), _div_vjp,
                elementwise=True, inplace_safe=True, promote=True, floating=True, linear_in=(0,),
                torch_name=lambda _a, _n, c: "MulBackward0" if c[0] else "DivBackward0",
                doc="x / y, true division (integer inputs give float32), broadcasting.")


# --- neg: primitive ----------------------------------------------------------------------------
def _neg_rule(x: Aval, **_) -> Aval:
    if x.dtype.kind == "b":
        raise DTypeRuntimeError("neg", "not defined for bool inputs (use logical not: "
                                "eq(x, False))", shapes=[x.shape], dtypes=[x.dtype])
    return x


def _neg_vjp(g, inputs, out):
    return (neg(g),)


neg = primitive("neg", np.negative, _neg_rule, _neg_vjp, elementwise=True, inplace_safe=True,
                linear_in="all", doc="-x.")


# --- cast: primitive ---------------------------------------------------------------------------
def _cast_kernel(x, dtype):
    if x.dtype.kind == "c" and np.dtype(dtype).kind != "c":  # torch keeps the real part
        return np.array(x.real, dtype=dtype)
    return x.astype(dtype, copy=False)


def _cast_rule(x: Aval, dtype) -> Aval:
    dt.check_supported(np.dtype(dtype), op="cast")
    return Aval(x.shape, np.dtype(dtype))


def _cast_vjp(g, inputs, out, dtype):
    (x,) = inputs
    # Gradients flow back in the input's dtype; from an integer input there is no gradient.
    return (cast(g, dtype=x.dtype) if x.dtype.kind in "fc" else None,)


def _cast_into(w):
    if w.in_avals[0].dtype == w.out_aval.dtype:
        return w.arg(0)  # nothing to convert: the kernel returns x itself too
    w.call(np.copyto, w.out, w.arg(0), casting="unsafe")  # astype's casting
    return w.out


cast = primitive("cast", _cast_kernel, _cast_rule, _cast_vjp, elementwise=True,
                 into=_cast_into, linear_in="all", torch_name="ToCopyBackward0",
                 doc="x converted to ``dtype``; the gradient is cast back to x's dtype.")

__all__ = ["add", "sub", "mul", "div", "neg", "cast", "unbroadcast", "same_as_input"]
