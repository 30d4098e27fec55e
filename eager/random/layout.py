"""The memory order PyTorch's random fills follow on strided tensors.

PyTorch fills a tensor through a TensorIterator, which visits elements by memory (largest
stride outermost), and its ``*_like`` factories and dropout's noise (``empty_like``) keep the
input's layout permutation (``infer_dense_strides``): so ``rand_like(x.t())``, dropout of a
transposed or permuted input, and ``x.t().uniform_()`` draw along the base's rows, not in
logical order. NumPy views carry the same strides, so the order is read from the array.

    >>> import numpy as np
    >>> a = np.arange(6.0).reshape(2, 3).T          # memory: its base's rows
    >>> dense_order(a), memory_view(a).ravel().tolist()
    ([1, 0], [0.0, 1.0, 2.0, 3.0, 4.0, 5.0])
    >>> noise = empty_like_layout(a); memory_view(noise)[...] = np.arange(6.0).reshape(2, 3)
    >>> noise.tolist()
    [[0.0, 3.0], [1.0, 4.0], [2.0, 5.0]]
"""

from __future__ import annotations

import numpy as np


def _compare(strides: tuple[int, ...], shape: tuple[int, ...], d0: int, d1: int) -> int:
    """PyTorch's ``infer_dense_strides`` comparison of ``d0`` (now the faster) with ``d1``: 1
    when ``d0`` must move out (larger stride, or equal and larger size), -1 when in place, 0
    when ambiguous (a broadcast dim, stride 0, keeps its place)."""
    s0, s1 = abs(strides[d0]), abs(strides[d1])
    if s0 == 0 or s1 == 0:
        return 0
    if s0 != s1:
        return 1 if s0 > s1 else -1
    return 1 if shape[d0] > shape[d1] else 0


def dense_order(array: np.ndarray) -> list[int]:
    """``array``'s dims from the outermost in memory to the innermost, as PyTorch's
    ``infer_dense_strides`` orders them (an insertion sort from the fastest dim that leaves
    ambiguous pairs, stride-0 dims, where they are: a contiguous array gives 0, 1, ...)."""
    strides, shape = array.strides, array.shape
    perm = list(range(array.ndim - 1, -1, -1))  # fastest first, as PyTorch's
    for i in range(1, array.ndim):
        dim1 = i
        for dim0 in range(i - 1, -1, -1):
            comparison = _compare(strides, shape, perm[dim0], perm[dim1])
            if comparison > 0:
                perm[dim0], perm[dim1] = perm[dim1], perm[dim0]
                dim1 = dim0
            elif comparison < 0:
                break
    return perm[::-1]


def memory_view(array: np.ndarray) -> np.ndarray:
    """A view of ``array`` whose C order is PyTorch's fill order: write draws made in that
    order with ``memory_view(a)[...] = values.reshape(memory_view(a).shape)``."""
    return array.transpose(dense_order(array))


def empty_like_layout(array: np.ndarray, dtype: np.dtype | None = None) -> np.ndarray:
    """A fresh array shaped as ``array`` with its layout permutation (PyTorch's
    ``empty_like`` with ``preserve_format``); zeros, as eager's ``empty``."""
    order = dense_order(array)
    base = np.zeros([array.shape[d] for d in order], dtype or array.dtype)
    return base.transpose(np.argsort(order))

