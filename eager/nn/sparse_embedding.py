"""The ``sparse=True`` lookup of `embedding`: the same rows forward, and a weight gradient that
is a COO tensor (``eager.sparse``) with one row per looked-up index, in lookup order and
uncoalesced, the ``padding_idx`` rows left out: torch's ``embedding_backward`` when sparse.

    >>> import eager
    >>> w = eager.ones(4, 2, requires_grad=True)
    >>> sparse_embedding(eager.tensor([3, 1, 3]), w, None).sum().backward()
    >>> w.grad._indices()
    tensor([[3, 1, 3]])
"""

from __future__ import annotations

from typing import Any

import numpy as np

import shared_ops as ops

from ..autograd.custom_function import Function
from ..sparse import SparseCOOTensor
from ..tensor_base import wrap_array


class SparseEmbedding(Function):
    """Rows of ``weight`` at ``input``; backward gives ``weight`` a sparse gradient."""

    @staticmethod
    def forward(ctx, input: Any, weight: Any, padding_idx: int | None) -> Any:
        ctx.lookups = np.asarray(getattr(input, "_data", input)).reshape(-1).astype(np.int64)
        ctx.rows, ctx.padding_idx = tuple(weight.shape), padding_idx
        return ops.embedding(input, weight, padding_idx=padding_idx)

    @staticmethod
    def backward(ctx, grad: Any) -> tuple:
        rows, dim = ctx.rows
        lookups = ctx.lookups
        values = grad.reshape(-1, dim)
        if ctx.padding_idx is not None:  # the padding row gets no gradient: its entries go
            keep = lookups != ctx.padding_idx
            lookups = lookups[keep]
            values = values[wrap_array(np.flatnonzero(keep).astype(np.int64))]
        return None, SparseCOOTensor(lookups[None, :], values.detach(), (rows, dim)), None


def sparse_embedding(input: Any, weight: Any, padding_idx: int | None) -> Any:
    """``embedding(input, weight, padding_idx, sparse=True)`` (``padding_idx`` already made
    non-negative)."""
    return SparseEmbedding.apply(input, weight, padding_idx)


__all__ = ["SparseEmbedding", "sparse_embedding"]
