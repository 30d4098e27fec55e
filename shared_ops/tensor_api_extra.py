"""More Tensor methods of math and selection, each a composite of shared ops (so eager
records their gradients and graphs stage them): log2/log10, rounding and ``frac``, ``dot``,
``outer``, ``addmm``, ``addcmul``/``addcdiv``, ``lerp``, ``clamp_min``/``clamp_max``, logical
ops, ``isclose``, ``diagonal``/``diag``, ``movedim``, ``tile``, ``masked_select`` and
``unfold``. Entries of `tensor_api_core.METHODS`; errors are PyTorch's.

    >>> import numpy as np
    >>> call = METHODS.__getitem__
    >>> call("diag")(np.array([1.0, 2.0]), 1).tolist()
    [[0.0, 1.0, 0.0], [0.0, 0.0, 2.0], [0.0, 0.0, 0.0]]
"""

from __future__ import annotations

import math

import numpy as np

from .tensor_api_core import METHODS, method, named_node, op, scalar_type_name, shape_of


def _dtype(x) -> np.dtype:
    return np.dtype(x.dtype) if hasattr(x, "dtype") else np.asarray(x).dtype


def _kind(x) -> str:
    return _dtype(x).kind


# --- logarithms and rounding -------------------------------------------------------------------
@method("log2")
def _log2(self):
    """Base-2 logarithm (integers and bools give float32, as torch.log2)."""
    return op("div")(op("log")(self), math.log(2.0))


@method("log10")
def _log10(self):
    """Base-10 logarithm (integers and bools give float32, as torch.log10)."""
    return op("div")(op("log")(self), math.log(10.0))


for _name in ("floor", "ceil", "trunc"):
    def _rounding(self, _name=_name):
        return op(_name)(self)

    _rounding.__doc__ = f"torch.{_name}: integers come back unchanged, bools are refused."
    method(_name)(_rounding)


@method("fix")
def _fix(self):
    """Alias of ``trunc``."""
    return op("trunc")(self)


@method("round")
def _round(self, *, decimals: int = 0):
    """Round half to even, to ``decimals`` decimal places (negative: tens, hundreds...)."""
    return op("round")(self, decimals=decimals)


@method("frac")
def _frac(self):
    """``self - trunc(self)``, the fractional part with the sign of ``self`` (floats only)."""
    if _kind(self) in "biu":
        raise NotImplementedError(f'"frac_cpu" not implemented for \'{_torch_name(self)}\'')
    return op("sub")(self, op("trunc")(self))


def _torch_name(x) -> str:
    return scalar_type_name(_dtype(x))


# --- products ---------------------------------------------------------------------------------
@method("dot", "inner")
def _dot(self, other):
    """The dot product of two 1-d values of one dtype (torch.dot)."""
    a, b = len(shape_of(self)), len(shape_of(other))
    if a != 1 or b != 1:
        raise RuntimeError(f"1D tensors expected, but got {a}D and {b}D tensors")
    if _dtype(self) != _dtype(other):
        raise RuntimeError("dot : expected both vectors to have same dtype, but found "
                           f"{_torch_name(self)} and {_torch_name(other)}")
    return op("sum")(op("mul")(self, other))


@method("outer", "ger")
def _outer(self, vec2):
    """``self[:, None] * vec2[None, :]`` for 1-d values (torch.outer)."""
    for what, v in (("self", self), ("vec2", vec2)):
        if len(shape_of(v)) != 1:
            raise RuntimeError(f"outer: Expected 1-D argument {what}, but got "
                               f"{len(shape_of(v))}-D")
    return op("mul")(op("expand_dims")(self, axis=1), vec2)


@method("addmm")
def _addmm(self, mat1, mat2, *, beta=1, alpha=1):
    """``beta * self + alpha * (mat1 @ mat2)``; ``beta=0`` ignores ``self`` (NaNs included)."""
    for what, m in (("mat1", mat1), ("mat2", mat2)):
        if len(shape_of(m)) != 2:
            raise RuntimeError(f"{what} must be a matrix, got {len(shape_of(m))}-D tensor")
    product = op("matmul")(mat1, mat2)
    if alpha != 1:
        product = op("mul")(product, alpha)
    if beta == 0:
        # PyTorch ignores self's values (NaNs do not propagate) but still broadcasts it and
        # gives it a zero gradient: where(False, self, 0) is exactly that.
        return op("add")(product, op("where")(np.False_, self, 0))
    return op("add")(self if beta == 1 else op("mul")(self, beta), product)


@method("addcmul")
def _addcmul(self, tensor1, tensor2, *, value=1):
    """``self + value * tensor1 * tensor2``, broadcasting."""
    term = op("mul")(tensor1, tensor2)
    return named_node(op("add")(self, term if value == 1 else op("mul")(term, value)),
                      "AddcmulBackward0")


@method("addcdiv")
def _addcdiv(self, tensor1, tensor2, *, value=1):
    """``self + value * tensor1 / tensor2``, broadcasting (integer division is refused)."""
    if _kind(tensor1) in "biu" and _kind(tensor2) in "biu":
        raise RuntimeError("Integer division with addcdiv is no longer supported, and in a"
                           " future  release addcdiv will perform a true division of tensor1 "
                           "and tensor2. The historic addcdiv behavior can be implemented as "
                           "(input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) "
                           "for integer inputs and as (input + value * tensor1 / tensor2) for "
                           "float inputs. The future addcdiv behavior is just the latter "
                           "implementation: (input + value * tensor1 / tensor2), for all "
                           "dtypes.")
    term = op("div")(tensor1, tensor2)
    return named_node(op("add")(self, term if value == 1 else op("mul")(term, value)),
                      "AddcdivBackward0")


@method("lerp")
def _lerp(self, end, weight):
    """``self + weight * (end - self)`` (torch.lerp)."""
    out = op("add")(self, op("mul")(weight, op("sub")(end, self)))
    # PyTorch's node for a Python-number weight is LerpBackward0, for a tensor weight ...1
    return named_node(out, "LerpBackward0" if isinstance(weight, int | float) else "LerpBackward1")


@method("clamp_min")
def _clamp_min(self, min):  # noqa: A002 (PyTorch's name)
    return METHODS["clamp"](self, min=min)


@method("clamp_max")
def _clamp_max(self, max):  # noqa: A002
    return METHODS["clamp"](self, max=max)


# --- logical ops and closeness ----------------------------------------------------------------
def _truth(x):
    return op("ne")(x, 0)


for _name, _bit in (("logical_and", "bitwise_and"), ("logical_or", "bitwise_or"),
                    ("logical_xor", "bitwise_xor")):
    def _logical(self, other, _bit=_bit):
        return op(_bit)(_truth(self), _truth(other))

    _logical.__doc__ = f"torch.{_name}: the truth of each value (nonzero), combined; bool."
    method(_name)(_logical)


@method("isclose")
def _isclose(self, other, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False):
    """``|self - other| <= atol + rtol * |other|`` elementwise; equal infinities are close,
    NaNs only with ``equal_nan`` (torch.isclose)."""
    if _dtype(self) != _dtype(other):  # PyTorch's message, in its scalar type names
        raise RuntimeError(f"{scalar_type_name(_dtype(self))} did not match "
                           f"{scalar_type_name(_dtype(other))}")
    if _kind(self) == "b":
        return op("eq")(self, other)
    error = op("abs")(op("sub")(self, other))
    near = op("le")(error, op("add")(op("mul")(op("abs")(other), rtol), atol))
    # An infinite error is never within tolerance (inf vs -inf), however large rtol * |other|.
    near = op("bitwise_and")(near, op("eq")(op("sub")(error, error), 0))
    close = op("bitwise_or")(op("eq")(self, other), near)
    if equal_nan:
        both_nan = op("bitwise_and")(op("ne")(self, self), op("ne")(other, other))
        close = op("bitwise_or")(close, both_nan)
    return close
