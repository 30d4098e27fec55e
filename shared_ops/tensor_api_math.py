"""Tensor methods of math: operators, elementwise functions, comparisons, reductions.
Entries of `tensor_api_core.METHODS`.

    >>> import numpy as np
    >>> _add(np.ones((2, 3)), np.ones(3), alpha=2)[0]
    array([3., 3., 3.])
"""

from __future__ import annotations

import numpy as np

from .tensor_api_core import (
    MaxResult,
    MinResult,
    cast_to,
    dims_arg,
    is_int,
    method,
    named_node,
    op,
    reduce_args,
)
from .tensor_api_more_math import div_trunc


# --- operators and elementwise functions -------------------------------------------------------
def _unary(name: str, op_name: str, *aliases: str) -> None:
    def fn(self):
        return op(op_name)(self)

    fn.__doc__ = f"The shared op ``{op_name}`` of this value."
    method(name, *aliases)(fn)


def _binary(name: str, op_name: str, *aliases: str, reflected: str | None = None) -> None:
    def fn(self, other):
        return op(op_name)(self, other)

    fn.__doc__ = f"``{op_name}(self, other)``."
    method(name, *aliases)(fn)
    if reflected is not None:
        def rfn(self, other):
            return op(op_name)(other, self)

        rfn.__doc__ = f"``{op_name}(other, self)``."
        method(reflected)(rfn)


for _name in ("exp", "log", "log1p", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu", "erf",
              "sign", "exp2", "expm1", "erfinv"):
    _unary(_name, _name)
for _name in ("tan", "sinh", "cosh"):
    _unary(_name, _name)
for _name in ("asin", "acos", "atan", "asinh", "acosh", "atanh"):
    _unary(_name, _name, "arc" + _name[1:])  # torch's NumPy-style aliases: arcsin...
_unary("abs", "abs", "absolute", "__abs__")
_unary("neg", "neg", "negative", "__neg__")
_unary("bitwise_not", "bitwise_not", "__invert__")
_binary("__add__", "add", reflected="__radd__")
_binary("__sub__", "sub", reflected="__rsub__")
_binary("mul", "mul", "multiply", "__mul__", reflected="__rmul__")
_binary("__truediv__", "div", reflected="__rtruediv__")
_binary("pow", "pow", "__pow__", reflected="__rpow__")
_binary("matmul", "matmul", "__matmul__", reflected="__rmatmul__")
_binary("mm", "mm")
_binary("bmm", "bmm")
_binary("floor_divide", "floor_divide", "__floordiv__", reflected="__rfloordiv__")
_binary("remainder", "remainder", "__mod__", reflected="__rmod__")
_binary("bitwise_and", "bitwise_and", "__and__", reflected="__rand__")
_binary("bitwise_or", "bitwise_or", "__or__", reflected="__ror__")
_binary("bitwise_xor", "bitwise_xor", "__xor__", reflected="__rxor__")
_binary("maximum", "maximum")
_binary("minimum", "minimum")
_binary("eq", "eq")
_binary("ne", "ne", "not_equal")
_binary("lt", "lt", "less", "__lt__")
_binary("le", "le", "less_equal", "__le__")
_binary("gt", "gt", "greater", "__gt__")
_binary("ge", "ge", "greater_equal", "__ge__")


@method("__pos__")
def _pos(self):
    return self


@method("__getitem__")
def _getitem(self, key):
    return op("getitem")(self, key)


@method("add")
def _add(self, other, *, alpha=1):
    """``self + alpha * other``."""
    return op("add")(self, other if alpha == 1 else op("mul")(other, alpha))


@method("sub", "subtract")
def _sub(self, other, *, alpha=1):
    """``self - alpha * other``."""
    return op("sub")(self, other if alpha == 1 else op("mul")(other, alpha))


@method("div", "divide", "true_divide")
def _div(self, other, *, rounding_mode=None):
    """True division, or rounded: ``rounding_mode="floor"`` (``//``) or ``"trunc"``."""
    if rounding_mode is None:
        return op("div")(self, other)
    if rounding_mode == "floor":
        return op("floor_divide")(self, other)
    if rounding_mode == "trunc":
        return div_trunc(self, other)
    raise RuntimeError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' "
                       f"but found '{rounding_mode}'")


@method("rsqrt")
def _rsqrt(self):
    return named_node(op("div")(1.0, op("sqrt")(self)), "RsqrtBackward0")


@method("square")
def _square(self):
    return op("mul")(self, self)


@method("reciprocal")
def _reciprocal(self):
    return op("div")(1.0, self)


@method("logical_not")
def _logical_not(self):
    return op("eq")(self, 0)


@method("isnan")
def _isnan(self):
    return op("ne")(self, self)  # NaN is the one value unequal to itself


@method("isinf")
def _isinf(self):
    return op("eq")(op("abs")(self), float("inf"))


@method("isfinite")
def _isfinite(self):
    return op("eq")(op("sub")(self, self), 0)  # inf - inf and nan - nan are NaN


@method("clamp", "clip")
def _clamp(self, min=None, max=None):  # noqa: A002 (PyTorch's names)
    """Clip into ``[min, max]`` (either may be None, a number or a tensor)."""
    if min is None and max is None:
        raise RuntimeError("clamp: At least one of 'min' or 'max' must not be None")
    if np.dtype(self.dtype).kind == "c":
        raise NotImplementedError("clamp is not supported for complex types")
    return op("clip")(self, min, max)


@method("masked_fill")
def _masked_fill(self, mask, value):
    """``value`` where ``mask`` is True, else this value."""
    return op("masked_fill")(self, mask, value)


@method("where")
def _where(self, condition, other):
    """This value where ``condition`` holds, else ``other``."""
    return op("where")(condition, self, other)


# --- reductions --------------------------------------------------------------------------------
def _reduction(name: str, op_name: str) -> None:
    def fn(self, dim=None, keepdim=False, *, dtype=None, **aliases):
        if aliases or type(dim) is list:
            dim, keepdim = reduce_args(name, dim, keepdim, aliases)
        x = self if dtype is None else cast_to(self, dtype)
        total = op(op_name)(x, axis=dim, keepdims=keepdim)
        # An integer sum widens to int64; with dtype= PyTorch adds in that dtype (an int8 or
        # uint8 sum wraps around, a bool one is any()): the same as casting the int64 total.
        return total if dtype is None else cast_to(total, dtype)

    fn.__doc__ = f"``{name}`` over ``dim`` (None: all dims) in ``dtype`` (cast first)."
    method(name)(fn)


_reduction("sum", "sum")
# PyTorch's scalar-type names, for its errors about integer and bool inputs.
_SCALAR_NAMES = {"b": "Bool", "u1": "Byte", "i1": "Char", "i2": "Short", "i4": "Int",
                 "i8": "Long"}


@method("mean")
def _mean(self, dim=None, keepdim=False, *, dtype=None, **aliases):
    """The mean over ``dim`` (None: all dims) of a floating value, or in ``dtype``; integer
    and bool values are refused as PyTorch refuses them (it cannot infer the result type)."""
    kind = np.dtype(getattr(dtype, "numpy_dtype", dtype) if dtype is not None else self.dtype)
    if kind.kind not in "fc":
        name = _SCALAR_NAMES.get("b" if kind.kind == "b" else f"{kind.kind}{kind.itemsize}",
                                 str(kind))
        raise RuntimeError("mean(): could not infer output dtype. Input dtype must be either a "
                           f"floating point or complex dtype. Got: {name}")
    if aliases or type(dim) is list:
        dim, keepdim = reduce_args("mean", dim, keepdim, aliases)
    x = self if dtype is None else cast_to(self, dtype)
    return op("mean")(x, axis=dim, keepdims=keepdim)


def _extremum(name: str, result: type) -> None:
    def fn(self, dim=None, keepdim=False, **aliases):
        if aliases:
            numpy_style = "axis" in aliases  # NumPy's spelling: the values only
            dim, keepdim = reduce_args(name, dim, keepdim, aliases)
            if numpy_style:
                return op(name)(self, axis=dim, keepdims=keepdim)
        if dim is None:
            return op(name)(self)
        if not is_int(dim):  # x.max(other): the elementwise form
            return op("maximum" if name == "max" else "minimum")(self, dim)
        return result(op(name)(self, axis=dim, keepdims=keepdim),
                      op("arg" + name)(self, axis=dim, keepdims=keepdim))

    fn.__doc__ = (f"``x.{name}()``: of all elements; ``x.{name}(dim)``: ``(values, indices)``; "
                  f"``x.{name}(other)``: elementwise.")
    method(name)(fn)


_extremum("max", MaxResult)
_extremum("min", MinResult)


def _extreme_values(name: str, op_name: str) -> None:
    def fn(self, dim=(), keepdim=False, **aliases):
        dim, keepdim = reduce_args(name, dim, keepdim, aliases)
        out = op(op_name)(self, axis=None if dim == () else dim, keepdims=keepdim)
        return named_node(out, name.capitalize() + "Backward0")  # AmaxBackward0, AminBackward0

    fn.__doc__ = f"The {op_name} over ``dim`` (default: all dims), values only."
    method(name)(fn)


_extreme_values("amax", "max")
_extreme_values("amin", "min")


def _arg_extremum(name: str) -> None:
    def fn(self, dim=None, keepdim=False, **aliases):
        dim, keepdim = reduce_args(name, dim, keepdim, aliases)
        return op(name)(self, axis=dim, keepdims=keepdim)

    fn.__doc__ = f"Indices of the {name[3:]} over ``dim`` (None: of the flattened value)."
    method(name)(fn)


_arg_extremum("argmax")
_arg_extremum("argmin")


@method("logsumexp")
def _logsumexp(self, dim, keepdim=False, **aliases):
    dim, keepdim = reduce_args("logsumexp", dim, keepdim, aliases)
    return op("logsumexp")(self, axis=dim, keepdims=keepdim)


@method("var")
def _var(self, dim=None, unbiased=None, keepdim=False, *, correction=None, **aliases):
    """Variance with Bessel's correction by default (``correction=1``), as torch.var."""
    dim, keepdim = reduce_args("var", dim, keepdim, aliases)
    if correction is None:
        correction = 0 if unbiased is False else 1
    return op("var")(self, axis=dim, correction=correction, keepdims=keepdim)


@method("std")
def _std(self, dim=None, unbiased=None, keepdim=False, *, correction=None, **aliases):
    variance = _var(self, dim, unbiased, keepdim, correction=correction, **aliases)
    return named_node(op("sqrt")(variance), "StdBackward0")


def _logical_reduction(name: str, test: str, compare: str) -> None:
    def fn(self, dim=None, keepdim=False, **aliases):
        dim, keepdim = reduce_args(name, dim, keepdim, aliases)
        hits = op("sum")(op(test)(self, 0), axis=dim, keepdims=keepdim)
        return op(compare)(hits, 0)

    fn.__doc__ = f"Whether {name} elements are nonzero, over ``dim`` (None: all)."
    method(name)(fn)


_logical_reduction("all", "eq", "eq")  # no element is zero
_logical_reduction("any", "ne", "gt")  # some element is not


@method("prod")
def _prod(self, dim=None, keepdim=False, *, dtype=None):
    return op("prod")(self, dim=dim, keepdim=keepdim, dtype=dtype)


@method("norm")
def _norm(self, p="fro", dim=None, keepdim=False, dtype=None):
    return op("norm")(self, p, dims_arg(dim), keepdim, dtype)


def _softmax_like(name: str) -> None:
    def fn(self, dim=None, dtype=None, **aliases):
        if aliases:
            dim, _ = reduce_args(name, dim, False, aliases)
        if dim is None:
            raise TypeError(f"{name}() missing the dim argument (the axis to normalize)")
        x = self if dtype is None else cast_to(self, dtype)
        return op(name)(x, axis=dim)

    fn.__doc__ = f"``{name}`` along ``dim``; ``dtype`` casts first."
    method(name)(fn)


_softmax_like("softmax")
_softmax_like("log_softmax")


def _cumulative(name: str) -> None:
    def fn(self, dim, *, dtype=None):
        return op(name)(self, dim=dim, dtype=dtype)

    fn.__doc__ = f"``{name}`` along ``dim``."
    method(name)(fn)


_cumulative("cumsum")
_cumulative("cumprod")
