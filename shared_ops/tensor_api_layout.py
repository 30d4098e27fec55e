"""Tensor methods that rearrange or pick elements, as composites of shared ops: ``diagonal``,
``diag``, ``movedim``/``moveaxis``, ``tile``, ``masked_select`` and ``unfold`` (sliding
windows). Entries of `tensor_api_core.METHODS`; indices are NumPy constants computed from the
shapes, so gradients flow through the indexing ops.

    >>> import numpy as np
    >>> METHODS["unfold"](np.arange(5.0), 0, 2, 2).tolist()
    [[0.0, 1.0], [2.0, 3.0]]
"""

from __future__ import annotations

import numpy as np

from .tensor_api_core import (
    METHODS,
    is_int,
    keyword_varargs,
    method,
    op,
    shape_of,
    wrap_dim,
)


def _known(name: str, size) -> int:
    if not isinstance(size, (int, np.integer)):
        raise ValueError(f"{name}: needs a known size along the dim, got {size!r}")
    return int(size)


@method("diagonal")
def _diagonal(self, offset: int = 0, dim1: int = 0, dim2: int = 1):
    """The ``offset`` diagonal of the (dim1, dim2) planes, as a new last dim (torch.diagonal):
    a view, so writes into it reach ``self`` as in PyTorch."""
    _diagonal_dims(self, dim1, dim2)
    return op("diagonal")(self, offset=int(offset), dim1=int(dim1), dim2=int(dim2))


@method("diagonal_scatter")
def _diagonal_scatter(self, src, offset: int = 0, dim1: int = 0, dim2: int = 1):
    """A copy of ``self`` with that diagonal replaced by ``src`` (torch.diagonal_scatter)."""
    _diagonal_dims(self, dim1, dim2)
    return op("diagonal_scatter")(self, src, offset=int(offset), dim1=int(dim1),
                                  dim2=int(dim2))


@method("select")
def _select(self, dim: int, index: int):
    """The slice at ``index`` along ``dim``, that dim removed: a view (torch.select)."""
    shape = shape_of(self)
    d = wrap_dim(dim, len(shape))
    size = shape[d] if shape else None
    if isinstance(size, int) and not -size <= index < size:
        raise IndexError(f"select(): index {index} out of range for tensor of size "
                         f"{list(shape)} at dimension {dim}")
    return op("getitem")(self, (slice(None),) * d + (int(index),))


def _diagonal_dims(self, dim1: int, dim2: int) -> None:
    """PyTorch's checks of the two dims (IndexError out of range, RuntimeError if equal)."""
    ndim = len(shape_of(self))
    d1, d2 = wrap_dim(dim1, ndim), wrap_dim(dim2, ndim)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")


def _diagonal_copy(self, offset: int = 0):
    """The ``offset`` diagonal of a matrix as a new tensor (``torch.diag`` copies)."""
    shape = shape_of(self)
    rows, cols = _known("diag", shape[0]), _known("diag", shape[1])
    start_row, start_col = max(-offset, 0), max(offset, 0)
    length = max(min(rows - start_row, cols - start_col), 0)
    steps = np.arange(length)
    return op("getitem")(self, (steps + start_row, steps + start_col))


@method("diag")
def _diag(self, diagonal: int = 0):
    """1-d: a square matrix with ``self`` on its ``diagonal``; 2-d: that diagonal (torch.diag)."""
    shape = shape_of(self)
    if len(shape) == 2:
        return _diagonal_copy(self, diagonal)
    if len(shape) != 1:
        raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {len(shape)}D")
    n = _known("diag", shape[0])
    m = n + abs(diagonal)
    rows, cols = np.ogrid[:m, :m]
    on = (cols - rows) == diagonal
    # Entry (i, j) of the k-th diagonal is self[i] (k >= 0) or self[j] (k < 0): gather self at
    # the clipped index, then keep the diagonal (where's gradient zeroes the rest).
    picked = np.minimum(np.where(on, rows if diagonal >= 0 else cols, 0), max(n - 1, 0))
    if n == 0:  # nothing to place: zeros of self's dtype
        return op("zeros_like")(op("broadcast_to")(op("sum")(self), shape=(m, m)))
    spread = op("getitem")(self, picked)
    return op("where")(on, spread, op("zeros_like")(spread))


@method("movedim", "moveaxis")
def _movedim(self, source, destination):
    """Move dims ``source`` to positions ``destination`` (ints or sequences of one length)."""
    ndim = len(shape_of(self))
    if is_int(source) != is_int(destination):
        raise TypeError("movedim() received an invalid combination of arguments: source and "
                        "destination must both be ints or both be sequences of ints, got "
                        f"{type(source).__name__} and {type(destination).__name__}")
    src = [source] if is_int(source) else list(source)
    dst = [destination] if is_int(destination) else list(destination)
    if len(src) != len(dst):
        raise RuntimeError(f"movedim: Invalid source or destination dims: source ({src} dims) "
                           f"should contain the same number of dims as destination ({dst} "
                           "dims)")
    src = [wrap_dim(d, ndim) for d in src]
    dst = [wrap_dim(d, ndim) for d in dst]
    for what, dims in (("source", src), ("destination", dst)):
        if len(set(dims)) != len(dims):
            raise RuntimeError(f"movedim: repeated dim in `{what}` ({dims})")
    order = [d for d in range(ndim) if d not in src]
    for d, s in sorted(zip(dst, src, strict=True)):
        order.insert(d, s)
    return op("permute")(self, tuple(order))


@method("tile")
@keyword_varargs("dims")
def _tile(self, *dims):
    """Copies side by side, ``dims[i]`` along dim i (fewer dims count from the last)."""
    reps = tuple(dims[0]) if len(dims) == 1 and not is_int(dims[0]) else dims
    return op("tile")(self, reps=tuple(reps))


@method("masked_select")
def _masked_select(self, mask):
    """The 1-d values where ``mask`` (bool, broadcast with self) is True."""
    if np.dtype(mask.dtype if hasattr(mask, "dtype") else np.asarray(mask).dtype) != np.bool_:
        raise RuntimeError(f"masked_select: expected BoolTensor for mask, got {mask.dtype}")
    shape = np.broadcast_shapes(tuple(shape_of(self)), tuple(shape_of(mask)))
    return op("getitem")(op("broadcast_to")(self, shape=shape),
                         op("broadcast_to")(mask, shape=shape))


@method("masked_scatter")
def _masked_scatter(self, mask, source):
    """Self with the positions where ``mask`` (bool, broadcast to self's shape) is True filled,
    in order, from the leading elements of ``source``."""
    if np.dtype(mask.dtype if hasattr(mask, "dtype") else np.asarray(mask).dtype) != np.bool_:
        raise RuntimeError(f"masked_scatter_: expected BoolTensor for mask, got {mask.dtype}")
    shape = tuple(shape_of(self))
    flat_mask = op("reshape")(op("broadcast_to")(mask, shape=shape), shape=(-1,))
    # The k-th True position takes source's k-th element: its rank among the Trues.
    rank = op("sub")(op("cumsum")(op("cast")(flat_mask, dtype=np.dtype(np.int64)), dim=0), 1)
    taken = op("getitem")(op("reshape")(source, shape=(-1,)), op("clip")(rank, 0, None))
    return op("where")(op("broadcast_to")(mask, shape=shape),
                       op("reshape")(taken, shape=shape), self)


@method("unfold")
def _unfold(self, dimension: int, size: int, step: int):
    """Windows of ``size`` every ``step`` along ``dimension``: that dim becomes the window
    count and a last dim of ``size`` is added (Tensor.unfold)."""
    shape = shape_of(self)
    d = wrap_dim(dimension, len(shape))
    length = _known("unfold", shape[d]) if shape else 1
    if size > length:
        raise RuntimeError(f"maximum size for tensor at dimension {d} is {length} but size is "
                           f"{size}")
    if step <= 0:
        raise RuntimeError(f"step is {step} but must be > 0")
    if not shape:
        return op("reshape")(self, shape=(size,))
    windows = np.arange((length - size) // step + 1)[:, None] * step + np.arange(size)
    picked = op("getitem")(self, (*(slice(None),) * d, windows))
    return METHODS["movedim"](picked, d + 1, -1)


@method("index_add")
def _index_add(self, dim: int, index, source, *, alpha=1):
    """``self`` with ``alpha * source`` added at ``index`` along ``dim``, repeats accumulating
    (torch.index_add): an accumulating ``index_put`` with ``dim`` moved first."""
    if alpha != 1:
        source = op("mul")(source, alpha)
    moved = METHODS["transpose"](self, 0, dim)
    out = METHODS["index_put"](moved, (index,), METHODS["transpose"](source, 0, dim),
                               accumulate=True)
    return METHODS["transpose"](out, 0, dim)
