"""Composites of PyTorch functions whose backward PyTorch names after the function:
``diag_embed`` (DiagEmbedBackward0), ``deg2rad``/``rad2deg``, ``renorm`` and ``as_strided``,
with torch's signatures (`shared_ops.torch_functions_math` makes them Tensor methods and
``eager.<name>``). Registered with the ops, so graph values stage them by name too.

    >>> import numpy as np
    >>> diag_embed(np.array([1.0, 2.0]), offset=1).tolist()
    [[0.0, 1.0, 0.0], [0.0, 0.0, 2.0], [0.0, 0.0, 0.0]]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .. import dtypes as dt
from ..op_table import OPS
from ..registry import composite
from ..tensor_api_core import wrap_dim
from ._rules import shape_of
from .shape import transpose


def _zero_of(x: Any) -> np.ndarray:
    return np.zeros((), np.dtype(x.dtype))


@composite(torch_name="DiagEmbedBackward0")
def diag_embed(input: Any, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Any:  # noqa: A002
    """The last dim of ``input`` as the ``offset`` diagonal of the matrices in the plane
    (``dim1``, ``dim2``) of a result one dim larger; zeros elsewhere."""
    rank = len(shape_of(input)) + 1
    d1, d2 = wrap_dim(dim1, rank), wrap_dim(dim2, rank)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    size = shape_of(input)[-1] if rank > 1 else 1
    if rank == 1:
        input = OPS["reshape"](input, shape=(1,))  # noqa: A001
    n = size + abs(offset)
    padded = OPS["pad"](input, pad_width=((0, 0),) * (rank - 2) + ((0, abs(offset)),))
    # Entry (i, j) of the plane is on the diagonal when j - i == offset; it holds padded[i]
    # (offset >= 0) or padded[j] (offset < 0). where(), not a product with the identity, so an
    # inf or nan on the diagonal leaves zeros off it.
    mask = np.eye(n, k=offset, dtype=bool)
    along = OPS["expand_dims"](padded, axis=-1 if offset >= 0 else -2)
    plane = OPS["where"](mask, along, _zero_of(input))
    # The plane's two axes (last) moved to d1 and d2, the others keeping their order.
    rest = iter(range(rank - 2))
    axes = tuple(rank - 2 if i == d1 else rank - 1 if i == d2 else next(rest)
                 for i in range(rank))
    return transpose(plane, axes=axes)


def _angle(name: str, torch_name: str, factor: float, doc: str):
    def fn(input: Any) -> Any:  # noqa: A002
        x = input if np.dtype(input.dtype).kind == "f" else \
            OPS["cast"](input, dtype=dt.default_float())
        return OPS["mul"](x, factor)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = doc
    return composite(fn, torch_name=torch_name)


deg2rad = _angle("deg2rad", "Deg2RadBackward0", np.pi / 180.0,
                 "Degrees to radians (integers become float).")
rad2deg = _angle("rad2deg", "Rad2DegBackward0", 180.0 / np.pi,
                 "Radians to degrees (integers become float).")


@composite(torch_name="RenormBackward0")
def renorm(input: Any, p: float, dim: int, maxnorm: float) -> Any:  # noqa: A002
    """Each slice of ``input`` along ``dim`` whose ``p``-norm exceeds ``maxnorm`` scaled to
    norm ``maxnorm`` (PyTorch's ``maxnorm / (norm + 1e-7)``); the others unchanged."""
    rank = len(shape_of(input))
    d = wrap_dim(dim, rank)
    if p <= 0:
        raise RuntimeError("renorm: non-positive-norm not supported")
    if maxnorm < 0:
        raise RuntimeError(f"renorm: expected maxnorm to be >= 0 but got {maxnorm}")
    if rank <= 1:
        raise RuntimeError(f"renorm: input needs at least 2 dimensions, got {rank} dimensions")
    others = tuple(i for i in range(rank) if i != d)
    norm = OPS["vector_norm"](input, ord=p, dim=others, keepdim=True)
    factor = OPS["where"](OPS["gt"](norm, maxnorm),
                         OPS["div"](maxnorm, OPS["add"](norm, 1e-7)), 1.0)
    return OPS["mul"](input, OPS["cast"](factor, dtype=np.dtype(input.dtype)))


def _layout(x: Any) -> tuple[np.ndarray, int, int]:
    """``(positions, offset, storage size)``, in elements: where each element of ``x`` (C
    order) lies in its storage. Values that report strides (eager tensors, graph values of
    known shape) say so; others (arrays, unknown dims) are C-ordered storages of their own."""
    shape = shape_of(x)
    numel = int(np.prod(shape, dtype=np.int64)) if None not in shape else None
    if numel is None or not callable(getattr(x, "stride", None)):
        return np.arange(numel or 0, dtype=np.int64), 0, numel
    strides, offset = x.stride(), int(x.storage_offset())
    positions = np.full(shape, offset, np.int64)
    for k, (n, st) in enumerate(zip(shape, strides, strict=True)):
        positions = positions + (np.arange(n, dtype=np.int64) * st).reshape(
            (-1,) + (1,) * (len(shape) - k - 1))
    try:  # an eager tensor's storage may be a larger base it views
        size = x.untyped_storage().nbytes() // np.dtype(x.dtype).itemsize
    except TypeError:  # a graph value: its own storage
        size = numel
    return positions.reshape(-1), offset, size


@composite(torch_name="AsStridedBackward0")
def as_strided(input: Any, size: Any, stride: Any, storage_offset: int | None = None) -> Any:  # noqa: A002
    """The elements of ``input``'s storage at ``storage_offset + sum(i_k * stride_k)`` for each
    index of ``size`` (``storage_offset`` defaults to ``input``'s own, as PyTorch's): a gather
    of ``input``'s elements, so it is differentiable and works in every mode, but the result
    is a copy (PyTorch's is a view) and may read only storage that ``input`` itself covers."""
    size, stride = tuple(int(s) for s in size), tuple(int(s) for s in stride)
    if len(size) != len(stride):
        raise RuntimeError("mismatch in length of strides and shape")
    if any(s < 0 for s in stride) or any(n < 0 for n in size):
        raise RuntimeError("as_strided: Negative strides are not supported at the moment, got "
                           f"strides: {list(stride)}")
    positions, own_offset, storage = _layout(input)
    offset = own_offset if storage_offset is None else int(storage_offset)
    wanted = np.full(size, offset, np.int64)
    for k, (n, s) in enumerate(zip(size, stride, strict=True)):
        wanted = wanted + (np.arange(n, dtype=np.int64) * s).reshape((-1,) + (1,) * (
            len(size) - k - 1))
    flat = OPS["reshape"](input, shape=(-1,))
    if storage is None:  # a graph dim unknown while building: C order, checked when it runs
        return OPS["getitem"](flat, wanted)
    needed = int(wanted.max()) + 1 if wanted.size else 0
    if needed > storage:
        itemsize = np.dtype(input.dtype).itemsize
        raise RuntimeError(f"setStorage: sizes {list(size)}, strides {list(stride)}, storage "
                           f"offset {offset}, and itemsize {itemsize} requiring a storage size "
                           f"of {needed * itemsize} are out of bounds for storage of size "
                           f"{storage * itemsize}")
    # Each wanted storage position -> the element of input there (the first, where input's
    # own strides overlap).
    order = np.argsort(positions, kind="stable")
    found = np.searchsorted(positions[order], wanted).clip(0, max(len(order) - 1, 0))
    if wanted.size and (not len(order) or np.any(positions[order][found] != wanted)):
        raise NotImplementedError("as_strided: the result reads storage outside the input's "
                                  "own elements (a view's base); here as_strided gathers from "
                                  "the input, so call it on the base tensor")
    return OPS["getitem"](flat, order[found] if wanted.size else wanted)


__all__ = ["diag_embed", "deg2rad", "rad2deg", "renorm", "as_strided"]
