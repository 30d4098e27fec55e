"""Norms along a dim and what is built on them: `normalize`, `cosine_similarity`,
`pairwise_distance`, `pdist` (``eager.nn.functional``).

A p-norm's gradient at the zero vector is 0, as PyTorch defines it (the root would give
``0 * inf``): the root is taken of 1 where the sum is 0 and the result selected back to 0.

    >>> import eager
    >>> normalize(eager.tensor([[3.0, 4.0]]))
    tensor([[0.6000, 0.8000]])
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import shared_ops as ops

from ..out_argument import write_into
from .backward_names import name_backward


def _safe_root(total: Any, p: float) -> Any:
    """``total ** (1/p)`` with gradient 0 (not NaN) where ``total`` is 0."""
    nonzero = ops.gt(total, 0)
    safe = ops.where(nonzero, total, 1.0)
    root = ops.sqrt(safe) if p == 2 else ops.pow(safe, 1.0 / p)
    return ops.where(nonzero, root, 0.0)


def vector_norm(x: Any, p: float = 2.0, dim: Any = None, keepdim: bool = False) -> Any:
    """The ``p``-norm over ``dim`` (all dims when None), as ``torch.linalg.vector_norm``."""
    p = float(p)
    if p == 2:
        return _safe_root(ops.sum(ops.mul(x, x), axis=dim, keepdims=keepdim), 2)
    size = ops.abs(x)
    if p == 1:
        return ops.sum(size, axis=dim, keepdims=keepdim)
    if p == math.inf:
        return ops.max(size, axis=dim, keepdims=keepdim)
    if p == -math.inf:
        return ops.min(size, axis=dim, keepdims=keepdim)
    if p == 0:
        return ops.sum(ops.cast(ops.ne(x, 0), dtype=x.dtype), axis=dim, keepdims=keepdim)
    return _safe_root(ops.sum(ops.pow(size, p), axis=dim, keepdims=keepdim), p)


def normalize(input: Any, p: float = 2.0, dim: int = 1, eps: float = 1e-12,
              out: Any = None) -> Any:
    """``input / max(||input||_p, eps)`` along ``dim`` (written into ``out`` if given, as
    torch's ``div(..., out=out)``)."""
    result = ops.div(input, ops.clip(vector_norm(input, p, dim, keepdim=True), min=eps))
    return result if out is None else write_into("div", result, out, (input,))


def _broadcast_pair(x1: Any, x2: Any) -> tuple[Any, Any]:
    """Both inputs expanded to their common shape (PyTorch broadcasts before the norms)."""
    s1, s2 = tuple(x1.shape), tuple(x2.shape)
    if s1 == s2:
        return x1, x2
    shape = ops.broadcast_shapes("cosine_similarity", s1, s2)
    if None in shape:
        return ops.add(x1, ops.zeros_like(x2)), ops.add(x2, ops.zeros_like(x1))
    return ((x1 if s1 == shape else ops.broadcast_to(x1, shape=shape)),
            (x2 if s2 == shape else ops.broadcast_to(x2, shape=shape)))


def cosine_similarity(x1: Any, x2: Any, dim: int = 1, eps: float = 1e-8) -> Any:
    """``sum(x1 / |x1| * x2 / |x2|)`` along ``dim``, each norm at least ``eps``.

    As in PyTorch, the clamp to ``eps`` changes values only: the gradient flows as if the
    norm were not clamped (PyTorch clamps in place under ``no_grad``).
    """
    x1, x2 = _broadcast_pair(x1, x2)

    def norm(x: Any) -> Any:
        n = vector_norm(x, 2, dim, keepdim=True)
        return ops.add(n, ops.stop_gradient(ops.sub(ops.clip(n, min=eps), n)))
    return ops.sum(ops.mul(ops.div(x1, norm(x1)), ops.div(x2, norm(x2))), axis=dim)


def pairwise_distance(x1: Any, x2: Any, p: float = 2.0, eps: float = 1e-6,
                      keepdim: bool = False) -> Any:
    """``||x1 - x2 + eps||_p`` along the last dim."""
    ndim = max(x1.ndim, x2.ndim)
    return vector_norm(ops.add(ops.sub(x1, x2), eps), p, ndim - 1, keepdim)


def pdist(input: Any, p: float = 2.0) -> Any:
    """The ``p``-norm distance between every pair of rows ``i < j`` of an (N, M) input, in
    row-major order of the pairs: N (N - 1) / 2 values, as ``torch.pdist``."""
    if input.ndim != 2:
        raise RuntimeError(f"pdist only supports 2D tensors, got: {input.ndim}D")
    if p < 0:
        raise RuntimeError("pdist only supports non-negative p values")
    first, second = np.triu_indices(input.shape[0], 1)
    diff = ops.sub(ops.getitem(input, first), ops.getitem(input, second))
    if p in (0, 1, 2, math.inf):
        return name_backward(vector_norm(diff, p, dim=-1), "PdistBackward0")
    # PyTorch's gradient is 0 at a zero difference, also for p < 1 (where |d| ** p has an
    # infinite slope): the power is taken of 1 there and selected back to 0.
    size = ops.abs(diff)
    nonzero = ops.gt(size, 0)
    powered = ops.where(nonzero, ops.pow(ops.where(nonzero, size, 1.0), float(p)), 0.0)
    return name_backward(_safe_root(ops.sum(powered, axis=-1), float(p)), "PdistBackward0")


__all__ = ["normalize", "cosine_similarity", "pairwise_distance", "vector_norm", "pdist"]
