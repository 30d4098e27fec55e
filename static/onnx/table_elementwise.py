"""Converters of elementwise ops: arithmetic, float math, comparisons, selection, bitwise."""

from __future__ import annotations

import numpy as np

from .registry import converts
from .util import as_out, common_dtype, inputs_as

_BINARY = {"add": "Add", "sub": "Sub", "mul": "Mul", "div": "Div", "pow": "Pow",
           "maximum": "Max", "minimum": "Min"}
_UNARY = {"neg": "Neg", "exp": "Exp", "log": "Log", "sqrt": "Sqrt", "sin": "Sin", "cos": "Cos",
          "tanh": "Tanh", "sigmoid": "Sigmoid", "relu": "Relu", "abs": "Abs", "sign": "Sign",
          "erf": "Erf"}
_COMPARE = {"eq": "Equal", "lt": "Less", "le": "LessOrEqual", "gt": "Greater",
            "ge": "GreaterOrEqual"}


def _binary(e, node, x):
    # Inputs are taken in the output's dtype: an int divided by an int is a float division.
    return e.op(_BINARY[node.op], *as_out(e, node, x))


def _unary(e, node, x):
    return e.op(_UNARY[node.op], *as_out(e, node, x))


def _compare(e, node, x):
    return e.op(_COMPARE[node.op], *inputs_as(e, node, x, common_dtype(node)))


for _op, _onnx in _BINARY.items():
    converts(_op, onnx=_onnx)(_binary)
for _op, _onnx in _UNARY.items():
    converts(_op, onnx=_onnx)(_unary)
for _op, _onnx in _COMPARE.items():
    converts(_op, onnx=_onnx)(_compare)


@converts("ne", onnx="Equal, Not")
def _ne(e, node, x):
    return e.op("Not", e.op("Equal", *inputs_as(e, node, x, common_dtype(node))))


@converts("log1p", onnx="Add, Log", note="log(1 + x): loses digits for x within 1e-7 of 0")
def _log1p(e, node, x):
    (a,) = as_out(e, node, x)
    return e.op("Log", e.op("Add", a, e.const(1, node.aval.dtype)))


@converts("cast", onnx="Cast")
def _cast(e, node, x):
    return e.cast(x[0], node.inputs[0].aval.dtype, node.aval.dtype)


@converts("stop_gradient", onnx="Identity")
def _identity(e, node, x):
    return x[0]


@converts("floor_divide", onnx="Div, Floor (floats); Mod, Sub, Div (integers)")
def _floor_divide(e, node, x):
    a, b = as_out(e, node, x)
    if node.aval.dtype.kind == "f":
        return e.op("Floor", e.op("Div", a, b))
    # Integers: a - mod(a, b) is an exact multiple of b (mod has the divisor's sign, Python's
    # rule), so the truncating Div of ONNX gives the floor.
    return e.op("Div", e.op("Sub", a, e.op("Mod", a, b, fmod=0)), b)


@converts("remainder", onnx="Mod (integers); Div, Floor, Mul, Sub (floats)")
def _remainder(e, node, x):
    a, b = as_out(e, node, x)
    if node.aval.dtype.kind != "f":
        return e.op("Mod", a, b, fmod=0)
    # torch.remainder: a - floor(a / b) * b (the sign of b), which ONNX's fmod is not.
    return e.op("Sub", a, e.op("Mul", e.op("Floor", e.op("Div", a, b)), b))


@converts("where", onnx="Where")
def _where(e, node, x):
    c = e.cast(x[0], node.inputs[0].aval.dtype, np.bool_)
    a = e.cast(x[1], node.inputs[1].aval.dtype, node.aval.dtype)
    b = e.cast(x[2], node.inputs[2].aval.dtype, node.aval.dtype)
    return e.op("Where", c, a, b)


@converts("clamp_tensor", onnx="Max, Min")
def _clamp(e, node, x):
    v, *bounds = as_out(e, node, x)
    which = node.attrs.get("which", "both")
    if which != "max":
        v = e.op("Max", v, bounds[0])
    if which != "min":
        v = e.op("Min", v, bounds[-1])
    return v


_BITWISE = {"bitwise_and": ("And", "BitwiseAnd"), "bitwise_or": ("Or", "BitwiseOr"),
            "bitwise_xor": ("Xor", "BitwiseXor"), "bitwise_not": ("Not", "BitwiseNot")}


def _bitwise(e, node, x):
    logical, bitwise = _BITWISE[node.op]
    return e.op(logical if node.aval.dtype == np.bool_ else bitwise, *as_out(e, node, x))


for _op, (_logical, _bits) in _BITWISE.items():
    converts(_op, onnx=f"{_logical} (bool), {_bits} (integers)")(_bitwise)


@converts("add_n", onnx="Sum")
def _add_n(e, node, x):
    return e.op("Sum", *as_out(e, node, x))


# --- rounding: integers pass through; floats round in the input's dtype -------------------------
@converts("floor", "ceil", onnx="Floor / Ceil (integers unchanged)")
def _floor_ceil(e, node, x):
    if node.inputs[0].aval.dtype.kind != "f":
        return e.op("Identity", x[0])
    return e.op("Floor" if node.op == "floor" else "Ceil", x[0])


@converts("trunc", onnx="Where(Less(x, 0), Ceil, Floor) (integers unchanged)")
def _trunc(e, node, x):
    if node.inputs[0].aval.dtype.kind != "f":
        return e.op("Identity", x[0])
    zero = e.const(0, node.inputs[0].aval.dtype)
    return e.op("Where", e.op("Less", x[0], zero), e.op("Ceil", x[0]), e.op("Floor", x[0]))


@converts("round", onnx="Round (half to even); Mul/Div by 10^decimals around it")
def _round(e, node, x):
    dtype = node.inputs[0].aval.dtype
    if dtype.kind != "f":
        return e.op("Identity", x[0])
    decimals = int(node.attrs.get("decimals", 0))
    if decimals == 0:
        return e.op("Round", x[0])
    # As the kernel: scale, round half to even, scale back, in the input's dtype.
    scale = dtype.type(10.0 ** decimals)
    if decimals > 0:
        return e.op("Div", e.op("Round", e.op("Mul", x[0], e.const(scale, dtype))),
                    e.const(scale, dtype))
    inverse = dtype.type(1 / scale)
    return e.op("Mul", e.op("Round", e.op("Div", x[0], e.const(inverse, dtype))),
                e.const(inverse, dtype))
