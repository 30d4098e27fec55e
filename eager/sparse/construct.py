"""Building COO tensors: ``torch.sparse_coo_tensor`` and ``Tensor.to_sparse``.

    >>> import eager
    >>> sparse_coo_tensor([[0, 2]], [1.0, 5.0]).to_dense()
    tensor([1., 0., 5.])
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..creation import tensor as make_tensor
from ..tensor import Tensor
from ..tensor_base import wrap_array
from .coo import SparseCOOTensor
from .invariants import check_sparse_tensor_invariants


def sparse_coo_tensor(indices: Any, values: Any, size: Any = None, *, dtype: Any = None,
                      device: Any = None, pin_memory: bool = False, requires_grad: bool = False,
                      check_invariants: bool | None = None,
                      is_coalesced: bool | None = None) -> SparseCOOTensor:
    """A COO tensor with ``values[k]`` at ``indices[:, k]`` (duplicates are summed by
    ``coalesce``). ``size`` defaults to the smallest that holds the indices. Values that are an
    eager Tensor requiring grad keep their history (gradients flow to them)."""
    idx = np.asarray(getattr(indices, "_data", indices))
    if idx.dtype.kind not in "iu":
        raise RuntimeError(f"indices must be an int64 tensor (got {idx.dtype})")
    idx = idx.astype(np.int64)
    if isinstance(values, Tensor):
        vals = values if dtype is None else values.to(dtype)
    else:
        vals = make_tensor(values, dtype=dtype)
    if idx.ndim != 2:
        raise RuntimeError(f"indices must be sparse_dim x nnz, but got: {list(idx.shape)}")
    if idx.shape[1] != vals.shape[0]:
        raise RuntimeError(f"indices and values must have same nnz, but got nnz from indices: "
                           f"{idx.shape[1]}, nnz from values: {vals.shape[0]}")
    if size is None:
        top = idx.max(axis=1) + 1 if idx.shape[1] else np.zeros(idx.shape[0], np.int64)
        size = (*(int(n) for n in top), *vals.shape[1:])
    size = tuple(int(n) for n in size)
    if len(size) != idx.shape[0] + vals.dim() - 1:
        raise RuntimeError(f"number of dimensions must be sparse_dim ({idx.shape[0]}) + "
                           f"dense_dim ({vals.dim() - 1}), but got {len(size)}")
    if check_sparse_tensor_invariants.is_enabled() if check_invariants is None \
            else check_invariants:
        _check_invariants(idx, size)
    if requires_grad:
        if vals.grad_fn is not None:
            raise RuntimeError("sparse_coo_tensor: requires_grad=True needs leaf values")
        vals = vals.detach().requires_grad_()
    out = SparseCOOTensor(idx, vals, size, coalesced=bool(is_coalesced))
    out._leaf_grad = requires_grad
    return out


def _check_invariants(idx: np.ndarray, size: tuple[int, ...]) -> None:
    for d in range(idx.shape[0]):
        if idx.shape[1] and idx[d].min() < 0:
            raise RuntimeError(f"found negative index {int(idx[d].min())} for dim {d}")
        if idx.shape[1] and idx[d].max() >= size[d]:
            raise RuntimeError(f"size is inconsistent with indices: for dim {d}, size is "
                               f"{size[d]} but found index {int(idx[d].max())}")


def to_sparse(dense: Tensor, sparse_dim: int | None = None) -> SparseCOOTensor:
    """``dense.to_sparse(sparse_dim)``: the non-zero entries (rows of the first ``sparse_dim``
    dims with any non-zero), coalesced; differentiable in ``dense``."""
    data = dense._data
    sparse_dim = dense.dim() if sparse_dim is None else int(sparse_dim)
    lead = data.reshape(*data.shape[:sparse_dim], -1) if sparse_dim < data.ndim else data[..., None]
    where = np.nonzero(np.any(lead != 0, axis=-1))
    idx = np.stack(where).astype(np.int64).reshape(sparse_dim, -1) if sparse_dim \
        else np.zeros((0, 1), np.int64)
    vals = dense[tuple(wrap_array(w.astype(np.int64)) for w in where)] if sparse_dim \
        else dense.unsqueeze(0)
    return SparseCOOTensor(idx, vals, tuple(data.shape), coalesced=True)


__all__ = ["sparse_coo_tensor", "to_sparse"]
