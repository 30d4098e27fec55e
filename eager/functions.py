"""Every shared op as an ``eager.<name>`` function with PyTorch's names and signatures.

The functions translate PyTorch's argument conventions (``dim``/``keepdim``, ``clamp``,
``cat``, ``max(x, dim)`` returning values and indices) to the shared ops' NumPy-style ones
(``axis``/``keepdims``) and call the op objects, so everything goes through the dispatcher:
on Tensors they run eagerly and record for backward, on static Nodes they stage into a graph.

    >>> import eager
    >>> eager.max(eager.tensor([[1.0, 5.0], [7.0, 2.0]]), dim=1)
    torch.return_types.max(
    values=tensor([5., 7.]),
    indices=tensor([1, 0]))
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from shared_ops.registry import OPS
from shared_ops.tensor_api import METHODS
from shared_ops.tensor_api_core import named_node

from .functions_methods import *  # noqa: F403
from .functions_shape import *  # noqa: F403
from .functions_shape import op
from .tensor_base import TensorBase, check_dtype


class _ReturnTypes(NamedTuple):
    values: Any
    indices: Any


class max_return(_ReturnTypes):  # noqa: N801
    """``(values, indices)`` of ``max(x, dim)``; prints like ``torch.return_types.max``."""

    _name = "max"

    def __repr__(self) -> str:
        return (f"torch.return_types.{self._name}(\nvalues={self.values!r},\n"
                f"indices={self.indices!r})")


class min_return(max_return):  # noqa: N801
    _name = "min"


def _dims(dim):
    return tuple(dim) if isinstance(dim, list) else dim


# --- elementwise -----------------------------------------------------------------------------
def add(input, other, *, alpha=1):  # noqa: A002 (PyTorch's argument names throughout)
    """``input + alpha * other``."""
    return op("add")(input, other if alpha == 1 else op("mul")(other, alpha))


def sub(input, other, *, alpha=1):  # noqa: A002
    """``input - alpha * other``."""
    return op("sub")(input, other if alpha == 1 else op("mul")(other, alpha))


def mul(input, other):  # noqa: A002
    return op("mul")(input, other)


def div(input, other, *, rounding_mode=None):  # noqa: A002
    """True division, or rounded (``rounding_mode="floor"`` or ``"trunc"``)."""
    if rounding_mode is not None:
        return input.div(other, rounding_mode=rounding_mode)
    return op("div")(input, other)


true_divide = divide = div
multiply = mul
subtract = sub


def pow(input, exponent):  # noqa: A001, A002
    return op("pow")(input, exponent)


def _unary(name: str, doc: str):
    the_op = op(name)

    def fn(input):  # noqa: A002
        return the_op(input)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    return fn


# name -> docstring: each is the shared op of that name, as torch.<name>(input).
_UNARY = {
    "neg": "``-input``.", "exp": "Elementwise e**x.", "exp2": "Elementwise 2**x.",
    "expm1": "Elementwise e**x - 1, accurate for small x.", "log": "Natural logarithm.",
    "log1p": "log(1 + x), accurate for small x.", "sqrt": "Square root.",
    "abs": "Absolute value.", "sin": "Sine.", "cos": "Cosine.", "tanh": "Hyperbolic tangent.",
    "sigmoid": "Logistic sigmoid 1 / (1 + e**-x).", "relu": "max(x, 0).",
    "sign": "-1, 0 or 1.", "erf": "The error function.",
}
for _name, _doc in _UNARY.items():
    globals()[_name] = _unary(_name, _doc)
negative = globals()["neg"]


def rsqrt(input):  # noqa: A002
    return METHODS["rsqrt"](input)


def square(input):  # noqa: A002
    """``input ** 2`` (recorded as a pow, as PyTorch's)."""
    return op("pow")(input, 2)


def maximum(input, other):  # noqa: A002
    return op("maximum")(input, other)


def minimum(input, other):  # noqa: A002
    return op("minimum")(input, other)


# where's default for a missing input or other (None is not one: torch refuses it).
_ONE_ARGUMENT: Any = object()


def clamp(input, min=None, max=None):  # noqa: A002
    """Clip into ``[min, max]`` (either may be None)."""
    if min is None and max is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    return op("clip")(input, min, max)


clip = clamp


def where(condition, input=_ONE_ARGUMENT, other=_ONE_ARGUMENT):  # noqa: A002
    """``input`` where ``condition`` holds, else ``other``; ``where(condition)`` alone is
    ``nonzero(condition, as_tuple=True)``, as in PyTorch (the MoE routing idiom)."""
    if input is _ONE_ARGUMENT and other is _ONE_ARGUMENT:
        return op("nonzero")(condition, as_tuple=True)
    if input is _ONE_ARGUMENT or other is _ONE_ARGUMENT:
        raise TypeError("where() takes a condition alone or a condition, input and other; "
                        "got the condition and one of input or other")
    return op("where")(condition, input, other)


def _comparison(name: str):
    def fn(input, other):  # noqa: A002
        return op(name)(input, other)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"Elementwise ``{name}`` comparison; a bool tensor with no gradient."
    return fn


eq, ne, lt, le, gt, ge = (_comparison(n) for n in ("eq", "ne", "lt", "le", "gt", "ge"))
greater, less = gt, lt


# --- reductions -----------------------------------------------------------------------------
def sum(input, dim=None, keepdim: bool = False, *, dtype=None):  # noqa: A001, A002
    """Sum over ``dim`` (None: all) in ``dtype`` (cast first), as in PyTorch."""
    return METHODS["sum"](input, _dims(dim), keepdim, dtype=dtype)


def mean(input, dim=None, keepdim: bool = False, *, dtype=None):  # noqa: A002
    """``input.mean(dim, keepdim, dtype=)``: floating inputs (or a floating ``dtype``) only."""
    return METHODS["mean"](input, _dims(dim), keepdim, dtype=dtype)


def var(input, dim=None, unbiased: bool | None = None, keepdim: bool = False, *,  # noqa: A002
        correction: int | None = None):
    """Variance with Bessel's correction by default (``correction=1``), as torch.var."""
    if correction is None:
        correction = 0 if unbiased is False else 1
    return op("var")(input, axis=_dims(dim), correction=correction, keepdims=keepdim)


def std(input, dim=None, unbiased: bool | None = None, keepdim: bool = False, *,  # noqa: A002
        correction: int | None = None):
    return named_node(op("sqrt")(var(input, dim, unbiased, keepdim, correction=correction)),
                      "StdBackward0")


def _extremum(name: str, result_type):
    def fn(input, dim=None, keepdim: bool = False):  # noqa: A002
        if dim is None:
            return op(name)(input)
        if not isinstance(dim, int):  # max(a, b): the elementwise form
            return op("maximum" if name == "max" else "minimum")(input, dim)
        values = op(name)(input, axis=dim, keepdims=keepdim)
        indices = op("arg" + name)(input, axis=dim, keepdims=keepdim)
        return result_type(values, indices)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = (f"``{name}(x)``: the {name} of all elements; ``{name}(x, dim)``: a "
                  f"``(values, indices)`` named tuple; ``{name}(x, y)``: elementwise.")
    return fn


max = _extremum("max", max_return)  # noqa: A001
min = _extremum("min", min_return)  # noqa: A001


def amax(input, dim=(), keepdim: bool = False):  # noqa: A002
    out = op("max")(input, axis=_dims(dim) if dim != () else None, keepdims=keepdim)
    return named_node(out, "AmaxBackward0")


def amin(input, dim=(), keepdim: bool = False):  # noqa: A002
    out = op("min")(input, axis=_dims(dim) if dim != () else None, keepdims=keepdim)
    return named_node(out, "AminBackward0")


def argmax(input, dim=None, keepdim: bool = False):  # noqa: A002
    return op("argmax")(input, axis=dim, keepdims=keepdim)


def argmin(input, dim=None, keepdim: bool = False):  # noqa: A002
    return op("argmin")(input, axis=dim, keepdims=keepdim)


def logsumexp(input, dim, keepdim: bool = False):  # noqa: A002
    return op("logsumexp")(input, axis=_dims(dim), keepdims=keepdim)


def softmax(input, dim: int, dtype=None):  # noqa: A002
    if dtype is not None:
        input = op("cast")(input, dtype=check_dtype(dtype))  # noqa: A001
    return op("softmax")(input, axis=dim)


def log_softmax(input, dim: int, dtype=None):  # noqa: A002
    if dtype is not None:
        input = op("cast")(input, dtype=check_dtype(dtype))  # noqa: A001
    return op("log_softmax")(input, axis=dim)


def matmul(input, other):  # noqa: A002
    return op("matmul")(input, other)


def bmm(input, mat2):  # noqa: A002
    """``torch.bmm``: the batched product of two 3-d tensors of the same batch size."""
    return op("bmm")(input, mat2)


def mm(input, mat2):  # noqa: A002
    """``torch.mm``; a sparse COO ``input`` (or ``mat2``) goes to ``eager.sparse.mm``."""
    # Two dense tensors: straight on. Else a class attribute read (not the dense property):
    # True only on eager.sparse's COO type.
    if isinstance(input, TensorBase) and isinstance(mat2, TensorBase):
        return op("mm")(input, mat2)
    if getattr(type(input), "is_sparse", None) is True \
            or getattr(type(mat2), "is_sparse", None) is True:
        from . import sparse  # sparse builds on Tensor: imported when first wanted
        return sparse.mm(input, mat2)
    return op("mm")(input, mat2)


spmm = mm  # the sparse-times-dense product (dense operands: the matrix product)


# --- predicates: bool results, no gradient ---------------------------------------------------
def isnan(input):  # noqa: A002
    return op("ne")(input, input)  # NaN is the one value unequal to itself


def isfinite(input):  # noqa: A002
    return op("eq")(op("sub")(input, input), 0)  # inf - inf and nan - nan are NaN


def isinf(input):  # noqa: A002
    return op("eq")(op("abs")(input), float("inf"))


def all(input) -> Any:  # noqa: A001, A002
    """True where every element is nonzero (a 0-d bool tensor)."""
    return op("eq")(op("sum")(op("eq")(input, 0)), 0)


def any(input) -> Any:  # noqa: A001, A002
    return op("gt")(op("sum")(op("ne")(input, 0)), 0)


def allclose(input, other, rtol: float = 1e-05, atol: float = 1e-08,  # noqa: A002
             equal_nan: bool = False) -> bool:
    """A Python bool, as in PyTorch (so it is never staged into a graph); tensors of two
    dtypes are refused, as isclose and PyTorch refuse them."""
    if hasattr(input, "dtype") and hasattr(other, "dtype") and input.dtype != other.dtype:
        METHODS["isclose"](input, other)  # raises PyTorch's "Float did not match Double"
    return bool(np.allclose(np.asarray(input), np.asarray(other), rtol, atol, equal_nan))


def equal(input, other) -> bool:  # noqa: A002
    """True when shapes and all values are equal (a Python bool)."""
    return bool(np.array_equal(np.asarray(input), np.asarray(other)))


def masked_fill(input, mask, value):  # noqa: A002
    """``value`` (cast to ``input``'s dtype, as PyTorch) where ``mask`` is True, else
    ``input``."""
    return op("masked_fill")(input, mask, value)


def scatter_add(input, dim: int, index, src):  # noqa: A002
    """``torch.scatter_add``: ``input`` with ``src`` added at ``index`` along ``dim`` (the
    shared op of that name is the NumPy-style adjoint of ``take_along_axis``, not this)."""
    return op("scatter")(input, dim, index, src, reduce="add")


def take_along_dim(input, indices, dim: int | None = None):  # noqa: A002
    """Pick ``input`` values at ``indices`` along ``dim`` (flattened when None)."""
    return METHODS["take_along_dim"](input, indices, dim)




def clone(input, *, memory_format=None):  # noqa: A002
    """``torch.clone``: ``input.clone()``, a copy that keeps the graph (memory_format is
    accepted: every tensor here is contiguous)."""
    return input.clone()


def tile(input, dims):  # noqa: A002
    """``torch.tile``: copies of ``input`` side by side, ``dims[i]`` along dim i (fewer dims
    than ``input`` has count from the last)."""
    return op("tile")(input, reps=tuple(dims))


# Every other shared op is ``eager.<name>`` too, with the op's own (NumPy-style) signature,
# unless torch has a function of that name and other semantics: those stay shared_ops' only.
# Creation functions of the same name (zeros_like...) are eager.creation's, not these.
_NOT_HERE = frozenset({"zeros_like", "ones_like", "full_like",
                       # torch.dropout(input, p, train) draws from torch's stream (F.dropout
                       # does), torch.max_pool2d takes ceil_mode and 3-d inputs (F.max_pool2d
                       # does), torch.binary_cross_entropy_with_logits an integer reduction
                       "dropout", "max_pool2d", "binary_cross_entropy_with_logits",
                       # issue 16: torch's take unbatched inputs, padding strings, ceil_mode,
                       # an integer reduction (nn.functional's do)
                       "conv3d", "conv_transpose3d", "max_pool3d", "ctc_loss"})


def _passthrough(name: str):
    shared = OPS[name]

    def fn(*args, **kwargs):
        return shared(*args, **kwargs)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"The shared op ``{name}``, as is (NumPy-style arguments)." + (
        f"\n\n{shared.doc}" if shared.doc else "")
    return fn


for _name in list(OPS):
    if _name not in globals() and _name not in _NOT_HERE:
        globals()[_name] = _passthrough(_name)

__all__ = [n for n in dir() if not n.startswith("_") and n not in (
    "annotations", "Any", "NamedTuple", "OPS", "op", "np", "check_dtype")]
