"""`EmbeddingBag` and `embedding_bag`: the sums, means or maxima of bags of embedding rows, as
the PyTorch text-classification tutorial feeds them (one flat index tensor and the ``offsets``
where each bag starts), or bags of equal length as the rows of a 2-D input.

The rows are looked up once (`embedding`); a sum or mean is then one matrix product with a
(bags x indices) 0/1 matrix built from the offsets (``padding_idx`` entries left out, a mean
divided by each bag's own count), so the gradient reaches the weight through ops already
there. An empty bag gives zeros, as in PyTorch. The indices and offsets must be concrete
(eager tensors or arrays): the bags' layout is read from them.

    >>> import eager
    >>> EmbeddingBag(10, 3, mode="sum")
    EmbeddingBag(10, 3, mode='sum')
    >>> w = eager.arange(6.0).reshape(3, 2)
    >>> embedding_bag(eager.tensor([0, 1, 2, 2]), w, eager.tensor([0, 3]), mode="mean")
    tensor([[2., 3.],
            [4., 5.]])
"""

from __future__ import annotations

from typing import Any

import numpy as np

import shared_ops as ops

from ..tensor import Tensor
from . import init
from ._factory import empty_parameter, param_dtype
from .functional_embedding import embedding, renorm_rows
from .module import Module
from .sparse_embedding import sparse_embedding

_MODES = ("sum", "mean", "max")


def _array(value: Any) -> np.ndarray:
    return np.asarray(value.detach().numpy() if hasattr(value, "detach") else value)


def _bags(input: Any, offsets: Any, include_last_offset: bool) -> tuple[np.ndarray, list]:
    """The flat indices and each bag's (start, end) within them."""
    idx = _array(input)
    if idx.ndim == 2:
        if offsets is not None:
            raise ValueError("if input is 2D, then offsets has to be None, as input is treated "
                             "is a mini-batch of fixed length sequences. However, found offsets "
                             f"of type {type(offsets)}")
        rows, length = idx.shape
        return idx.reshape(-1), [(b * length, (b + 1) * length) for b in range(rows)]
    if idx.ndim != 1:
        raise ValueError(f"input has to be 1D or 2D Tensor, but got Tensor of dimension "
                         f"{idx.ndim}")
    if offsets is None:
        raise ValueError("offsets has to be a 1D Tensor but got None")
    starts = [int(o) for o in _array(offsets).reshape(-1)]
    if starts and starts[0] != 0:
        raise RuntimeError(f"offsets[0] has to be 0, i.e., the first sequence in the mini-batch "
                           f"has to start from position 0. However, got {starts[0]}")
    ends = starts[1:] + [len(idx)]
    if include_last_offset:
        starts, ends = starts[:-1], starts[1:]
    return idx, list(zip(starts, ends, strict=True))


def embedding_bag(input: Any, weight: Any, offsets: Any = None, max_norm: float | None = None,
                  norm_type: float = 2, scale_grad_by_freq: bool = False, mode: str = "mean",
                  sparse: bool = False, per_sample_weights: Any = None,
                  include_last_offset: bool = False, padding_idx: int | None = None) -> Any:
    """Reduce bags of rows of ``weight`` with ``mode`` ("sum", "mean" or "max"): (bags, dim)."""
    if mode not in _MODES:
        raise ValueError(f"mode has to be one of sum, mean or max, but got {mode}")
    if scale_grad_by_freq:
        raise NotImplementedError("embedding_bag: scale_grad_by_freq is not supported")
    if sparse and mode == "max":
        raise ValueError("max mode does not support sparse weights")
    if per_sample_weights is not None and mode != "sum":
        raise NotImplementedError(f"embedding_bag: per_sample_weights was not None. "
                                  f"per_sample_weights is only supported for mode='sum' (got "
                                  f"mode='{mode}'). Please open a feature request on GitHub.")
    flat, bags = _bags(input, offsets, include_last_offset)
    if padding_idx is not None:
        padding_idx %= int(weight.shape[0])
    if max_norm is not None:
        renorm_rows(weight, flat, max_norm, norm_type)
    if sparse and isinstance(weight, Tensor):  # weight.grad: a COO tensor, one row per lookup
        rows = sparse_embedding(flat.astype(np.int64), weight, padding_idx)
    else:
        rows = embedding(flat.astype(np.int64), weight)
    if per_sample_weights is not None:
        rows = ops.mul(rows, ops.reshape(per_sample_weights, shape=(-1, 1)))
    kept = np.ones(len(flat), bool) if padding_idx is None else flat != padding_idx
    if mode == "max":
        parts = []
        for start, end in bags:
            members = np.flatnonzero(kept[start:end]) + start
            # An empty bag (or one of padding only) is zeros, with the rows' dtype.
            parts.append(ops.max(rows[members], axis=0) if len(members)
                         else ops.mul(ops.sum(rows, axis=0), 0.0))
        return ops.stack(parts, axis=0)
    member = np.zeros((len(bags), len(flat)), dtype=np.dtype(weight.dtype))
    for b, (start, end) in enumerate(bags):
        member[b, start:end] = kept[start:end]
    out = ops.matmul(member, rows)
    if mode == "mean":
        counts = np.maximum(member.sum(axis=1, keepdims=True), 1)
        out = ops.div(out, counts.astype(member.dtype))
    return out


class EmbeddingBag(Module):
    """``EmbeddingBag(num_embeddings, embedding_dim, max_norm=None, norm_type=2.0,
    scale_grad_by_freq=False, mode='mean', sparse=False, _weight=None,
    include_last_offset=False, padding_idx=None, device=None, dtype=None)``; ``weight`` starts
    as N(0, 1) samples, the ``padding_idx`` row as zeros."""

    def __init__(self, num_embeddings: int, embedding_dim: int, max_norm: float | None = None,
                 norm_type: float = 2.0, scale_grad_by_freq: bool = False, mode: str = "mean",
                 sparse: bool = False, _weight: Any = None, include_last_offset: bool = False,
                 padding_idx: int | None = None, device: Any = None, dtype: Any = None) -> None:
        super().__init__()
        # (an unknown mode is refused when called, as PyTorch does)
        if padding_idx is not None:
            if not -num_embeddings <= padding_idx < num_embeddings:
                raise AssertionError("padding_idx must be within num_embeddings")
            padding_idx %= num_embeddings
        self.num_embeddings, self.embedding_dim = num_embeddings, embedding_dim
        self.max_norm, self.norm_type = max_norm, norm_type
        self.scale_grad_by_freq, self.mode, self.sparse = scale_grad_by_freq, mode, sparse
        self.include_last_offset, self.padding_idx = include_last_offset, padding_idx
        self.weight = empty_parameter((num_embeddings, embedding_dim), param_dtype(dtype, device))
        if _weight is None:
            self.reset_parameters()
        else:
            self.weight.data = _weight

    @classmethod
    def from_pretrained(cls, embeddings: Any, freeze: bool = True, max_norm: float | None = None,
                        norm_type: float = 2.0, scale_grad_by_freq: bool = False,
                        mode: str = "mean", sparse: bool = False,
                        include_last_offset: bool = False,
                        padding_idx: int | None = None) -> EmbeddingBag:
        """An EmbeddingBag over the 2-d ``embeddings`` (shared, not copied); frozen unless
        ``freeze=False``."""
        if embeddings.ndim != 2:
            raise AssertionError("Embeddings parameter is expected to be 2-dimensional")
        rows, cols = embeddings.shape
        bag = cls(num_embeddings=rows, embedding_dim=cols, _weight=embeddings,
                  max_norm=max_norm, norm_type=norm_type,
                  scale_grad_by_freq=scale_grad_by_freq, mode=mode, sparse=sparse,
                  include_last_offset=include_last_offset, padding_idx=padding_idx)
        bag.weight.requires_grad = not freeze
        return bag

    def reset_parameters(self) -> None:
        init.normal_(self.weight)
        if self.padding_idx is not None:
            init.zeros_(self.weight[self.padding_idx])

    def forward(self, input: Any, offsets: Any = None, per_sample_weights: Any = None) -> Any:
        return embedding_bag(input, self.weight, offsets, self.max_norm, self.norm_type,
                             self.scale_grad_by_freq, self.mode, self.sparse,
                             per_sample_weights, self.include_last_offset, self.padding_idx)

    def extra_repr(self) -> str:
        s = f"{self.num_embeddings}, {self.embedding_dim}"
        if self.max_norm is not None:
            s += f", max_norm={self.max_norm}"
        if self.norm_type != 2:
            s += f", norm_type={self.norm_type}"
        if self.scale_grad_by_freq:
            s += f", scale_grad_by_freq={self.scale_grad_by_freq}"
        s += f", mode={self.mode!r}"
        if self.padding_idx is not None:
            s += f", padding_idx={self.padding_idx}"
        return s
