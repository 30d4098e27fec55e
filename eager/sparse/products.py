"""Products and reductions of COO tensors: ``torch.sparse.mm`` (``spmm``, ``sparse @ dense``)
and ``torch.sparse.sum``. Both are written with dense ops on the values, so gradients reach the
values and the dense operand through the ordinary tape (torch's ``sparse.mm`` backward to both).

    >>> import eager
    >>> s = eager.sparse_coo_tensor([[0, 1], [1, 0]], [2.0, 3.0], (2, 2))
    >>> mm(s, eager.ones(2, 1))
    tensor([[2.],
            [3.]])
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..functions import matmul
from ..tensor import Tensor
from ..tensor_base import wrap_array


def _is_sparse(x: Any) -> bool:
    # Duck-typed: the COO type (coo.py) calls these products, so this file does not import it.
    return getattr(x, "is_sparse", False) is True


def _long(a: np.ndarray) -> Tensor:
    return wrap_array(np.ascontiguousarray(a, dtype=np.int64))


def mm(mat1: Any, mat2: Any) -> Any:
    """``mat1 @ mat2`` for a 2-d sparse ``mat1`` (or two dense matrices); the result is dense.
    Duplicate entries of an uncoalesced ``mat1`` add up, as in its dense form."""
    if not _is_sparse(mat1):
        if _is_sparse(mat2):
            return matmul(mat1, mat2.to_dense())
        return matmul(mat1, mat2)
    if _is_sparse(mat2):
        raise NotImplementedError("sparse.mm: a sparse @ sparse product is not supported here; "
                                  "call to_dense() on the second operand")
    if mat1.sparse_dim() != 2 or mat1.dense_dim() != 0:
        raise RuntimeError(f"mm: expected a 2-d sparse matrix, got size {tuple(mat1._size)} "
                           f"with sparse_dim {mat1.sparse_dim()}")
    if not isinstance(mat2, Tensor):
        raise TypeError(f"mm(): argument 'mat2' must be Tensor, not {type(mat2).__name__}")
    if mat2.dim() != 2:  # torch reads mat2's second dim first
        raise IndexError("Dimension out of range (expected to be in range of [-1, 0], but "
                         "got 1)" if mat2.dim() == 1 else f"mm: mat2 must be a matrix, got "
                         f"{mat2.dim()}-D tensor")
    n, k = mat1._size
    if mat2.shape[0] != k:
        raise RuntimeError(f"addmm: Argument #3 (dense): Expected dim 0 size {k}, got "
                           f"{mat2.shape[0]}")
    if mat1._vals.dtype != mat2.dtype:
        raise RuntimeError(f"expected mat1 and mat2 to have the same dtype, but got: "
                           f"{mat1._vals.dtype} != {mat2.dtype}")
    rows, cols = mat1._idx
    # Each entry (i, j, v) adds v * mat2[j] to row i: a gather, a scale and a scatter-add.
    picked = mat2[_long(cols)] * mat1._vals.unsqueeze(1)
    return mat2.new_zeros((n, mat2.shape[1])).index_add(0, _long(rows), picked)


def sparse_sum(input: Any, dim: Any = None, dtype: Any = None) -> Any:
    """``torch.sparse.sum``: the sum over ``dim`` (all dims: a 0-d dense tensor). Summing every
    sparse dim gives a dense tensor, otherwise a coalesced sparse one."""
    if not _is_sparse(input):
        raise RuntimeError("sparse.sum: expected a sparse tensor (layout torch.sparse_coo)")
    if dtype is not None:
        input = input.to(dtype)
    if dim is None:
        return input._vals.sum()
    dims = sorted({d % input.dim() for d in ((dim,) if isinstance(dim, int) else dim)})
    sparse_dim = input.sparse_dim()
    vals = input._vals
    dense_dims = [d - sparse_dim + 1 for d in dims if d >= sparse_dim]
    if dense_dims:
        vals = vals.sum(dim=dense_dims)
    keep = [d for d in range(sparse_dim) if d not in dims]
    size = tuple(n for d, n in enumerate(input._size) if d not in dims)
    if not keep:
        return vals.sum(0)
    out = type(input)(input._idx[keep], vals, size)
    return out.coalesce()


__all__ = ["mm", "sparse_sum"]
