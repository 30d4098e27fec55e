"""``embedding`` of ``eager.nn.functional`` and the in-place row renormalization behind its
``max_norm`` (shared with `embedding_bag`).

    >>> import eager
    >>> embedding(eager.tensor([2, 0]), eager.arange(6.0).reshape(3, 2))
    tensor([[4., 5.],
            [0., 1.]])
"""

from __future__ import annotations

from typing import Any

import numpy as np

import shared_ops as ops

from ..tensor import Tensor
from .option_checks import refuse_unsupported
from .sparse_embedding import sparse_embedding


def embedding(input: Any, weight: Any, padding_idx: int | None = None,
              max_norm: float | None = None, norm_type: float = 2.0,
              scale_grad_by_freq: bool = False, sparse: bool = False) -> Any:
    """Rows of ``weight`` picked by the integer ``input`` (any shape). ``padding_idx``: that
    row gets no gradient. ``sparse``: ``weight.grad`` is a COO tensor, one row per lookup
    (eager weights; a static graph computes the dense gradient). ``max_norm``: the rows
    looked up are first rescaled in place to norm at most ``max_norm`` (PyTorch's
    ``embedding_renorm_``; eager weights only)."""
    refuse_unsupported("embedding", scale_grad_by_freq=(scale_grad_by_freq, False))
    if padding_idx is not None:
        rows = weight.shape[0]
        if padding_idx >= 0 and padding_idx >= rows or padding_idx < -rows:
            raise AssertionError("Padding_idx must be within num_embeddings")
        padding_idx = padding_idx % rows
    if max_norm is not None:
        renorm_rows(weight, input, max_norm, norm_type)
    if sparse and isinstance(weight, Tensor):  # weight.grad becomes a COO tensor
        return sparse_embedding(input, weight, padding_idx)
    return ops.embedding(input, weight, padding_idx=padding_idx)


def renorm_rows(weight: Any, input: Any, max_norm: float, norm_type: float) -> None:
    """Rescale, in place and without gradient, the rows of ``weight`` named in ``input``
    whose ``norm_type``-norm exceeds ``max_norm`` (to ``max_norm / (norm + 1e-7)`` times)."""
    if not isinstance(weight, Tensor) or not isinstance(input, Tensor | np.ndarray):
        raise NotImplementedError("embedding: max_norm rescales the weight in place, which "
                                  "only eager tensors support (not a static graph)")
    rows = np.unique(np.asarray(input).reshape(-1))
    data = weight._data
    norms = np.linalg.norm(data[rows].astype(np.float64), ord=norm_type, axis=1)
    big = norms > max_norm
    if big.any():
        scale = (max_norm / (norms[big] + 1e-7)).astype(data.dtype)
        data[rows[big]] *= scale[:, None]
        weight._bump_version()


__all__ = ["embedding", "renorm_rows"]
