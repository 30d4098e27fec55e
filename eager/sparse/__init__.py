"""``eager.sparse``: the products of ``torch.sparse`` that programs call on dense tensors too.

Eager has no sparse layout: every tensor is dense, and ``mm`` is the dense matrix product,
which is what ``torch.sparse.mm`` computes on dense inputs (graph-network code that builds a
normalised adjacency as a dense matrix calls it so).

    >>> import eager
    >>> eager.sparse.mm(eager.eye(2), eager.ones(2, 1)).tolist()
    [[1.0], [1.0]]
"""

from __future__ import annotations

from typing import Any

from .functions import matmul


def mm(mat1: Any, mat2: Any) -> Any:
    """The matrix product ``mat1 @ mat2`` (both dense here)."""
    return matmul(mat1, mat2)


__all__ = ["mm"]
