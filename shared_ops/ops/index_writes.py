"""PyTorch's writes along a dim at a vector of indices, and at flat indices, as composites
over the scatter primitives (so gradients and static graphs come with them):

* ``index_reduce(input, dim, index, source, reduce, *, include_self=True)``: slice ``i`` of
  ``source`` combined into slice ``index[i]`` of ``input`` ('prod', 'mean', 'amax', 'amin');
* ``index_copy(input, dim, index, source)``: slice ``i`` of ``source`` written to slice
  ``index[i]`` (a repeated index keeps one of its writes, which PyTorch leaves undefined);
* ``put(input, index, source, accumulate=False)``: ``input`` read as flat, ``source``
  written (or added) at ``index`` (negative indices count from the end, as PyTorch).

Each checks its arguments as PyTorch does and raises its exception types.

    >>> import numpy as np
    >>> index_copy(np.zeros((2, 3)), 1, np.array([2, 0]), np.ones((2, 2))).tolist()
    [[1.0, 0.0, 1.0], [1.0, 0.0, 1.0]]
    >>> put(np.arange(4.0), np.array([-1, 0]), np.array([9.0, 8.0])).tolist()
    [8.0, 1.0, 2.0, 9.0]
"""

from __future__ import annotations

import math

import numpy as np

from ..errors import OpIndexError
from ..registry import composite
from ._dims import dim_of
from ._rules import shape_of
from ._types import Value
from .elementwise import add, cast
from .elementwise_logic import lt, where
from .reductions import numel
from .scatter_gather import scatter_elements
from .scatter_reductions import IndexingError, scatter_reduce_elements
from .shape import broadcast_to, reshape

_INDEX_REDUCES = ("prod", "mean", "amax", "amin")


def _type_name(dtype) -> str:
    names = {"f4": "Float", "f8": "Double", "f2": "Half", "i8": "Long", "i4": "Int",
             "i2": "Short", "i1": "Char", "u1": "Byte", "b1": "Bool"}
    return names.get(f"{dtype.kind}{dtype.itemsize}", str(dtype))


def _check_slices(name: str, x: Value, dim, index: Value, source: Value) -> int:
    """The checks index_reduce and index_copy share: a vector of int indices, one per slice
    of ``source`` along ``dim``, slices of the input's shape. Returns the normalized dim."""
    xs, ins, ss = shape_of(x), shape_of(index), shape_of(source)
    if len(ins) > 1:
        raise OpIndexError(name, f"Index is supposed to be a vector, but got dim: {len(ins)} "
                           f"and size: {list(ins)}", shapes=[xs, ins, ss])
    d = dim_of(name, dim, len(xs))
    if len(xs) and len(ss) and len(ss) != len(xs):
        raise OpIndexError(name, "When source and destination are not scalars, their "
                           f"dimensionality must match. Source dimensionality ({len(ss)}), "
                           f"destination dimensionality ({len(xs)})", shapes=[xs, ins, ss])
    count, along = (ins[0] if ins else 1), (ss[d] if ss else 1)
    if count is not None and along is not None and count != along:
        raise IndexingError(name, f"Number of indices ({count}) should be equal to "
                            f"source.size(dim) ({along}), for dim: {d}", shapes=[xs, ins, ss])
    if any(a is not None and b is not None and a != b and i != d
           for i, (a, b) in enumerate(zip(xs, ss, strict=False))):
        raise IndexingError(name, "source tensor shape must match self tensor shape, "
                            f"excluding the specified dimension. Got self.shape = {list(xs)} "
                            f"source.shape = {list(ss)}", shapes=[xs, ins, ss])
    if x.dtype != source.dtype:
        raise IndexingError(name, f"self ({_type_name(x.dtype)}) and source "
                            f"({_type_name(source.dtype)}) must have the same scalar type",
                            dtypes=[x.dtype, source.dtype])
    return d


def _spread(index: Value, source: Value, d: int) -> Value:
    """The vector ``index`` as a scatter index of ``source``'s shape (``index[i]`` across
    slice ``i`` along ``d``)."""
    nd = len(shape_of(source))
    along = reshape(index, shape=(1,) * d + (-1,) + (1,) * (nd - d - 1))
    return broadcast_to(along, source)


# --- index_reduce ------------------------------------------------------------------------------
@composite(torch_name="IndexReduceBackward0")
def index_reduce(input: Value, dim: int, index: Value, source: Value,  # noqa: A002
                 reduce: str, *, include_self: bool = True) -> Value:
    """``torch.index_reduce``: ``source``'s slices along ``dim`` combined with ``reduce``
    ('prod', 'mean', 'amax', 'amin') into the input's slices that ``index`` names."""
    name = "index_reduce"
    if reduce not in _INDEX_REDUCES:
        raise IndexingError(name, "Expected reduce to be one of prod, mean, amax or amin but "
                            f"got {reduce}.")
    if index.dtype.kind not in "iu":
        raise IndexingError(name, "Expected dtype int32/int64 for index but got: "
                            f"{_type_name(index.dtype)}", dtypes=[index.dtype])
    d = _check_slices(name, input, dim, index, source)
    return scatter_reduce_elements(input, _spread(index, source, d), source, dim=d,
                                   reduce=reduce, include_self=include_self)


# --- index_copy --------------------------------------------------------------------------------
@composite(torch_name="IndexCopyBackward0")
def index_copy(input: Value, dim: int, index: Value, source: Value) -> Value:  # noqa: A002
    """``torch.index_copy``: the input with slice ``index[i]`` along ``dim`` replaced by
    slice ``i`` of ``source``."""
    name = "index_copy"
    if index.dtype != np.int64:
        raise IndexingError(name, "Expected a long tensor for index, but got "
                            f"{_type_name(index.dtype)}", dtypes=[index.dtype])
    d = _check_slices(name, input, dim, index, source)
    if not shape_of(input):
        return scatter_elements(input, reshape(index, shape=()), reshape(source, shape=()),
                                dim=0)
    source = reshape(source, shape=tuple(1 if i == d else n for i, n in
                                          enumerate(shape_of(input)))) \
        if not shape_of(source) else source
    return scatter_elements(input, _spread(index, source, d), source, dim=d)


# --- put ---------------------------------------------------------------------------------------
@composite(torch_name="PutBackward0")
def put(input: Value, index: Value, source: Value,  # noqa: A002
        accumulate: bool = False) -> Value:
    """``torch.put``: the input read as flat, with ``source`` written (``accumulate``: added)
    at the flat positions ``index``; negative positions count from the end."""
    name = "put"
    if index.dtype != np.int64:
        raise IndexingError(name, "Expected a long tensor for index, but got "
                            f"{_type_name(index.dtype)}", dtypes=[index.dtype])
    if input.dtype != source.dtype:
        raise IndexingError(name, "self and source expected to have the same dtype, but got "
                            f"self.dtype = {_type_name(input.dtype)} and source.dtype = "
                            f"{_type_name(source.dtype)}", dtypes=[input.dtype, source.dtype])
    shape, ins, ss = shape_of(input), shape_of(index), shape_of(source)
    n_index, n_source = _numel(ins), _numel(ss)
    if n_index is not None and n_source is not None and n_index != n_source:
        raise OpIndexError(name, "Expected source and index to have the same number of "
                           f"elements, but got source.numel() = {n_source}, index.numel() = "
                           f"{n_index}", shapes=[shape, ins, ss])
    total = _numel(shape)
    if total is None:  # a static graph's unknown dim: the size when the step runs
        total = cast(numel(input), dtype=np.dtype(np.int64))
    flat_index = reshape(index, shape=(-1,))
    flat_index = where(lt(flat_index, 0), add(flat_index, total), flat_index)
    flat = scatter_elements(reshape(input, shape=(-1,)), flat_index,
                            reshape(source, shape=(-1,)), dim=0,
                            reduce="add" if accumulate else None)
    return reshape(flat, input) if None in shape else reshape(flat, shape=shape)


def _numel(shape: tuple) -> int | None:
    return None if None in shape else math.prod(shape)


__all__ = ["index_reduce", "index_copy", "put"]
