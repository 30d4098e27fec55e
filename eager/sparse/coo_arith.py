"""Entry-wise arithmetic of two COO tensors (`coo.SparseCOOTensor`): torch's merge for ``+``
and the product of the entries two coalesced tensors share. Results are built with the
operands' own type (this module does not import it: the type calls these)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..functions_shape import cat
from ..tensor_base import wrap_array


def flat_keys(s: Any) -> np.ndarray:
    """Each entry's position in the sparse dims, flattened row-major (int64, one per entry)."""
    if not s._nnz():
        return np.zeros(0, np.int64)
    return np.ravel_multi_index(tuple(s._idx), s._size[:s.sparse_dim()]).astype(np.int64)


def merge_add(a: Any, b: Any) -> Any:
    """``a + b`` as torch's CPU kernel: one merge pass over both entry lists in their stored
    order, equal indices met side by side added, the rest taken in turn (on coalesced inputs
    this is the sorted union; on others it follows the same walk, so ``nnz`` is torch's)."""
    ka, kb = flat_keys(a).tolist(), flat_keys(b).tolist()
    na, nb = len(ka), len(kb)
    # Each output entry: the position of its a-part and b-part in cat([a, b]) (or -1).
    take_a: list[int] = []
    take_b: list[int] = []
    i = j = 0
    while i < na or j < nb:
        if j >= nb or (i < na and ka[i] < kb[j]):
            take_a.append(i)
            take_b.append(-1)
            i += 1
        elif i >= na or kb[j] < ka[i]:
            take_a.append(-1)
            take_b.append(na + j)
            j += 1
        else:
            take_a.append(i)
            take_b.append(na + j)
            i += 1
            j += 1
    both = cat([a._vals, b._vals.to(a._vals.dtype)])
    slots = np.arange(len(take_a), dtype=np.int64)
    pa, pb = np.asarray(take_a, np.int64), np.asarray(take_b, np.int64)
    vals = both.new_zeros((len(slots), *both.shape[1:]))
    vals = vals.index_add(0, wrap_array(slots[pa >= 0]), both[wrap_array(pa[pa >= 0])])
    vals = vals.index_add(0, wrap_array(slots[pb >= 0]), both[wrap_array(pb[pb >= 0])])
    both_idx = np.concatenate([a._idx, b._idx], axis=1)
    idx = both_idx[:, np.where(pa >= 0, pa, pb)]
    return type(a)(idx, vals, a._size, coalesced=a._coalesced and b._coalesced)


def intersect_mul(a: Any, b: Any) -> Any:
    """Elementwise product of two coalesced tensors: the entries both have."""
    dims = a._size[:a.sparse_dim()]
    keys, ia, ib = np.intersect1d(flat_keys(a), flat_keys(b), assume_unique=True,
                                  return_indices=True)
    idx = np.stack(np.unravel_index(keys, dims)).astype(np.int64).reshape(len(dims), len(keys))
    vals = a._vals[wrap_array(ia.astype(np.int64))] * b._vals[wrap_array(ib.astype(np.int64))]
    return type(a)(idx, vals, a._size, coalesced=True)



__all__ = ["flat_keys", "intersect_mul", "merge_add"]
