"""``eager.sparse``: PyTorch's ``torch.sparse`` (COO tensors, their products and sums).

``sparse_coo_tensor`` and ``Tensor.to_sparse()`` build a `SparseCOOTensor`
(``layout == torch.sparse_coo``); ``mm`` multiplies a sparse (or dense) matrix by a dense one.

    >>> import eager
    >>> eager.sparse.mm(eager.eye(2), eager.ones(2, 1)).tolist()
    [[1.0], [1.0]]
"""

from __future__ import annotations

from typing import Any

from .construct import sparse_coo_tensor, to_sparse
from .coo import SparseCOOTensor
from .invariants import check_sparse_tensor_invariants
from .legacy import DoubleTensor, FloatTensor, LongTensor
from .products import mm, sparse_sum


def sum(input: Any, dim: Any = None, dtype: Any = None) -> Any:  # noqa: A001 (torch's name)
    """``torch.sparse.sum``: see `products.sparse_sum`."""
    return sparse_sum(input, dim, dtype)


__all__ = ["DoubleTensor", "FloatTensor", "LongTensor", "SparseCOOTensor",
           "check_sparse_tensor_invariants", "mm", "sparse_coo_tensor", "sum", "to_sparse"]
