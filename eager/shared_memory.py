"""Tensor storage shared between processes: ``Tensor.share_memory_()`` and ``is_shared()``.

A tensor's array moves into an anonymous shared memory mapping, which every process forked
afterwards maps too, so in-place writes (an optimizer's step) in any of them are seen by all:
the Hogwild pattern (``model.share_memory()`` then ``multiprocessing.Process`` workers). With
the "spawn" start method a tensor sent to a child is pickled, i.e. copied, as NumPy arrays are:
eager has no cross-process storage handles (PyTorch's file descriptors).

    >>> import eager
    >>> t = eager.ones(3)
    >>> t.is_shared(), share_memory_(t).is_shared()
    (False, True)
"""

from __future__ import annotations

import mmap

import numpy as np

from .tensor_base import TensorBase

__all__ = ["share_memory_", "is_shared"]


def is_shared(t: TensorBase) -> bool:
    """Whether ``t``'s storage is in shared memory."""
    base = t._data
    while isinstance(base, np.ndarray):  # a view's storage is its base's
        base = base.base
    return isinstance(base, memoryview) and isinstance(base.obj, mmap.mmap)


def share_memory_(t: TensorBase) -> TensorBase:
    """Move ``t``'s values into shared memory (in place; already shared: nothing happens)."""
    if is_shared(t):
        return t
    data = t._data
    # mmap of length 0 is refused: keep one byte for empty tensors.
    buffer = mmap.mmap(-1, max(data.nbytes, 1), flags=mmap.MAP_SHARED)
    shared = np.frombuffer(buffer, dtype=data.dtype, count=data.size).reshape(data.shape)
    np.copyto(shared, data)
    t._data = shared
    return t
