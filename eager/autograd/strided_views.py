"""``Tensor.unfold`` and ``as_strided`` as views of their input's storage, as PyTorch's are.

The shared methods compute both as gathers (one definition for every mode, differentiable,
with PyTorch's checks): a copy, so an in-place write into the result would silently miss the
input. Here the recorded gather's result (same values, same gradient) is given the strided
NumPy view of the input's memory instead, shares its version counter and knows its base, so
writes go through and in-place ops on it are recorded as on any view (`view_writes`).

Windows that overlap (``unfold`` with ``step < size``, overlapping ``as_strided`` strides)
are marked: an in-place op that reads the old values through such a view is refused with
PyTorch's overlap error (PyTorch runs it element by element in an unspecified order; NumPy
would buffer it: neither is a result to rely on).

    >>> import eager
    >>> x = eager.arange(6.0)
    >>> _ = x.unfold(0, 2, 2).mul_(10)
    >>> x.tolist()
    [0.0, 10.0, 20.0, 30.0, 40.0, 50.0]
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import as_strided as np_as_strided

from shared_ops.registry import OPS
from shared_ops.tensor_api import METHODS

from ..tensor_base import TensorBase
from .view_nodes import may_overlap, positions, root_of
from .view_writes import OVERLAPPING


def _aliased(x, out, view: np.ndarray):
    """``out`` (the recorded gather) made a view of ``x``'s storage holding ``view``."""
    if not np.array_equal(view, out._data, equal_nan=view.dtype.kind in "fc"):
        return out  # not the same elements (a layout this does not follow): the copy stays
    out._data = view
    out._version_counter = x._version_counter
    extra = {**(out._extra or {}), "is_view": True, "base": x}
    if _overlaps(view, root_of(x)._data):
        extra["overlapping"] = True
    out._extra = extra
    return out


def _overlaps(view: np.ndarray, root: np.ndarray) -> bool:
    if not may_overlap(view):
        return False
    where = positions(view, root)
    return where is not None and np.unique(where).size != where.size


def unfold(self, dimension: int, size: int, step: int):
    """``Tensor.unfold``: windows of ``size`` every ``step`` along ``dimension`` (that dim
    becomes the window count, a last dim of ``size`` is added), a view of ``self``."""
    out = METHODS["unfold"](self, dimension, size, step)
    data = self._data
    if not isinstance(self, TensorBase) or data.ndim == 0:
        return out
    d = dimension % data.ndim
    shape = data.shape[:d] + ((data.shape[d] - size) // step + 1,) + data.shape[d + 1:] + \
        (size,)
    strides = data.strides[:d] + (data.strides[d] * step,) + data.strides[d + 1:] + \
        (data.strides[d],)
    return _aliased(self, out, np_as_strided(data, shape, strides))


def as_strided(input, size, stride, storage_offset: int | None = None):  # noqa: A002
    """``torch.as_strided``: the elements of ``input``'s storage at ``storage_offset +
    sum(i_k * stride_k)``, a view of that storage (``storage_offset`` defaults to
    ``input``'s own)."""
    out = OPS["as_strided"](input, size, stride, storage_offset)
    if not isinstance(input, TensorBase):
        return out
    storage = input._data
    while isinstance(storage.base, np.ndarray):
        storage = storage.base
    if not storage.flags.c_contiguous or storage.dtype != input._data.dtype:
        return out
    item = storage.itemsize
    start = input.storage_offset() if storage_offset is None else int(storage_offset)
    flat = storage.reshape(-1)
    view = np_as_strided(flat[start:], tuple(int(n) for n in size),
                         tuple(int(s) * item for s in stride))
    return _aliased(input, out, view)


def check_not_overlapping(t) -> None:
    """Refuse an in-place op that reads old values through ``t`` when its elements overlap
    (PyTorch's error; see the module docstring): only views of a marked view are looked at."""
    marked = t
    while not (marked._extra and marked._extra.get("overlapping")):
        marked = marked._extra.get("base") if marked._extra else None
        if marked is None:
            return
    if _overlaps(t._data, root_of(t)._data):
        raise RuntimeError(OVERLAPPING)
