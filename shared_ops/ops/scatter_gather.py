"""PyTorch's gather and scatter: gather_elements and scatter_elements (primitives, ONNX's
names for them, each the other's gradient) under the composites gather and scatter, which
take PyTorch's argument order ``(input, dim, index, src)``.

Unlike `take_along_axis` / `scatter_add` (NumPy's contract: the index broadcasts against
the input), these follow PyTorch: the index has the input's number of dims, its extent may
be *smaller* than the input's in every dim but ``dim`` (only that corner is read or written)
and larger along ``dim``; indices must lie in ``[0, size)`` (no negative ones); ``src`` must
have the input's dtype. A scatter with repeated positions keeps the last write (PyTorch
leaves that order undefined); ``reduce="add"`` / ``"multiply"`` accumulate instead.

Gradients, as PyTorch's: gather's scatter-adds back into zeros; scatter's input gets ``g``
with the written positions zeroed (``reduce="add"``: all of ``g``), its ``src`` gets ``g``
gathered at the index (also for ``reduce="add"``, where PyTorch's ``scatter(reduce=...)``
has none but its ``scatter_add`` has this one). ``reduce="multiply"`` has no gradient
(PyTorch neither). The in-place ``Tensor.scatter_`` is the eager mode's: it can call
``scatter`` and write the result into the tensor.

    >>> import numpy as np
    >>> gather(np.array([[1, 2], [3, 4]]), 1, np.array([[1], [0]]))
    array([[2],
           [3]])
    >>> scatter(np.zeros((2, 3), np.int64), 1, np.array([[2], [0]]), 7)
    array([[0, 0, 7],
           [7, 0, 0]])
"""

from __future__ import annotations

import numpy as np

from ..aval import Aval
from ..errors import (
    DTypeError,
    GradientError,
    OpIndexRuntimeError,
    OpValueError,
    ShapeError,
    describe_shapes,
)
from ..registry import composite, primitive
from ._dims import dim_of
from ._rules import shape_of
from ._types import Value
from .fill import full_like, zeros_like
from .indexing import index
from .shape import reshape

_REDUCES = (None, "add", "multiply")


def _check(name: str, x: Aval, idx: Aval, dim, src: Aval | None = None) -> int:
    """PyTorch's rules for the shapes and dtypes; returns the normalized dim."""
    shapes = [x.shape, idx.shape] + ([src.shape] if src is not None else [])
    if idx.dtype.kind not in "iu":
        raise DTypeError(name, f"index must hold integers, got {idx.dtype}", shapes=shapes,
                         dtypes=[idx.dtype])
    d = dim_of(name, dim, x.ndim)
    if idx.ndim != x.ndim:
        raise ShapeError(name, f"index {describe_shapes(idx.shape)} needs as many dims as the "
                         f"input {describe_shapes(x.shape)}", shapes=shapes)
    for i, (n, m) in enumerate(zip(idx.shape, x.shape, strict=True)):
        if i != d and n is not None and m is not None and n > m:
            raise ShapeError(name, f"index {describe_shapes(idx.shape)} may be no larger than "
                             f"the input {describe_shapes(x.shape)} apart from dim {d}",
                             shapes=shapes)
    if src is not None:
        if src.ndim != idx.ndim or any(n is not None and m is not None and n != m
                                       for n, m in zip(idx.shape, src.shape, strict=True)):
            raise ShapeError(name, f"src {describe_shapes(src.shape)} must have the index's "
                             f"shape {describe_shapes(idx.shape)}", shapes=shapes)
        if src.dtype != x.dtype:
            raise DTypeError(name, f"src ({src.dtype}) must have the input's dtype "
                             f"({x.dtype}), as in PyTorch", shapes=shapes,
                             dtypes=[x.dtype, src.dtype])
    return d


def scatter_positions(name: str, x: np.ndarray, idx: np.ndarray, d: int) -> tuple:
    """The NumPy fancy index of the positions ``idx`` names along ``d`` (the other dims
    running over the index's extent), after checking every index is in range."""
    n = x.shape[d] if x.ndim else 1
    if idx.size and (idx.min() < 0 or idx.max() >= n):
        bad = idx.min() if idx.min() < 0 else idx.max()
        raise OpIndexRuntimeError(name, f"index {bad} is out of bounds for dimension {d} with "
                                  f"size {n}", shapes=[x.shape, idx.shape])
    nd = idx.ndim
    return tuple(idx if i == d else
                 np.arange(m).reshape((1,) * i + (m,) + (1,) * (nd - i - 1))
                 for i, m in enumerate(idx.shape))


# --- gather_elements: primitive ----------------------------------------------------------------
def _gather_kernel(x, idx, dim):
    d = _check("gather", Aval(x.shape, x.dtype), Aval(idx.shape, idx.dtype), dim)
    if x.ndim == 0:
        scatter_positions("gather", x, idx, d)
        return x.copy()
    return x[scatter_positions("gather", x, idx, d)]


def _gather_rule(x: Aval, idx: Aval, dim) -> Aval:
    _check("gather", x, idx, dim)
    return Aval(idx.shape, x.dtype)


def _gather_vjp(g, inputs, out, dim):
    x, idx = inputs
    return scatter_elements(zeros_like(x), idx, g, dim=dim, reduce="add"), None


gather_elements = primitive("gather_elements", _gather_kernel, _gather_rule, _gather_vjp,
                            nondiff_inputs=(1,), torch_name="GatherBackward0",
                            doc="x's entries at ``index`` along ``dim``, PyTorch's gather "
                                "(the output has the index's shape).")


# --- scatter_elements: primitive ---------------------------------------------------------------
def _scatter_kernel(x, idx, src, dim, reduce=None):
    d = _check("scatter", Aval(x.shape, x.dtype), Aval(idx.shape, idx.dtype), dim,
               Aval(src.shape, src.dtype))
    if reduce not in _REDUCES:
        raise OpValueError("scatter", f"reduce must be one of {_REDUCES}, got {reduce!r}")
    out = x.copy()
    if x.ndim == 0:
        scatter_positions("scatter", x, idx, d)
        return src.copy() if reduce is None else (out + src if reduce == "add" else out * src)
    at = scatter_positions("scatter", x, idx, d)
    if reduce is None:
        out[at] = src
    else:  # only ufunc.at accumulates repeated positions
        (np.add if reduce == "add" else np.multiply).at(out, at, src)
    return out


def _scatter_rule(x: Aval, idx: Aval, src: Aval, dim, reduce=None) -> Aval:
    _check("scatter", x, idx, dim, src)
    if reduce not in _REDUCES:
        raise OpValueError("scatter", f"reduce must be one of {_REDUCES}, got {reduce!r}")
    return x


def _scatter_vjp(g, inputs, out, dim, reduce=None):
    x, idx, src = inputs
    if reduce == "multiply":
        raise GradientError("scatter", "reduce='multiply' has no gradient (nor in PyTorch)")
    gx = g if reduce == "add" else scatter_elements(g, idx, zeros_like(src), dim=dim)
    return gx, None, gather_elements(g, idx, dim=dim)


scatter_elements = primitive("scatter_elements", _scatter_kernel, _scatter_rule, _scatter_vjp,
                             nondiff_inputs=(1,),
                             torch_name=lambda a, _n, _c: "ScatterAddBackward0"
                             if a.get("reduce") == "add" else "ScatterBackward0",
                             doc="x with ``src`` written (or added, multiplied: ``reduce``) at "
                                 "``index`` along ``dim``, PyTorch's scatter.")


# --- gather / scatter: composites with PyTorch's signatures ------------------------------------
@composite
def gather(input: Value, dim: int, index: Value,  # noqa: A002 -- torch's names
           sparse_grad: bool = False) -> Value:
    """``torch.gather(input, dim, index)``: ``out[i][j] = input[i][index[i][j]]`` (dim 1).
    ``sparse_grad`` is accepted and ignored (gradients are dense)."""
    if _scalar_index_of_vector(input, index):  # PyTorch takes a 0-d index as one element
        return reshape(gather_elements(input, reshape(index, shape=(1,)), dim=dim), shape=())
    return gather_elements(input, index, dim=dim)


def _scalar_index_of_vector(input: Value, index: Value) -> bool:
    """A 0-d index into a 1-d input, which PyTorch accepts as a one-element index (the
    Transforms tutorial's one-hot target: ``zeros(10).scatter_(0, tensor(y), value=1)``)."""
    return len(shape_of(index)) == 0 and len(shape_of(input)) == 1


@composite
def scatter(input: Value, dim: int, index: Value, src: Value = None,  # noqa: A002
            value=None, reduce: str | None = None) -> Value:
    """``torch.scatter(input, dim, index, src)`` or ``(input, dim, index, value)`` (a number,
    cast to the input's dtype as PyTorch does), with ``reduce`` None, 'add' or 'multiply'.
    ``torch.scatter_add(input, dim, index, src)`` is ``scatter(..., reduce='add')``. A
    ``src`` larger than the index contributes only its leading corner, as in PyTorch."""
    if isinstance(src, bool | int | float | np.number):
        src, value = None, src
    if (src is None) == (value is None):
        raise OpValueError("scatter", "give exactly one of src (a tensor) and value (a number)")
    if _scalar_index_of_vector(input, index):
        index = reshape(index, shape=(1,))
        if src is not None and len(shape_of(src)) == 0:
            src = reshape(src, shape=(1,))
    if src is None:
        src = full_like(index, fill_value=value, dtype=input.dtype)
    else:
        src = leading_corner(src, shape_of(index))
    return scatter_elements(input, index, src, dim=dim, reduce=reduce)


def leading_corner(src: Value, idx_shape: tuple) -> Value:
    """``src[:n0, :n1, ...]`` for the index's extents, where both shapes are known and differ."""
    shape = shape_of(src)
    if len(shape) != len(idx_shape) or shape == idx_shape or None in shape + idx_shape:
        return src
    return index(src, key=tuple(("slice", 0, n, None) for n in idx_shape))


__all__ = ["gather_elements", "scatter_elements", "gather", "scatter"]
