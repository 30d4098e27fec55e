"""`SparseCOOTensor`: PyTorch's ``torch.sparse_coo`` layout, ``sparse_coo_tensor`` and
``to_sparse``.

A COO tensor is ``indices`` (``sparse_dim x nnz``, int64), ``values`` (``nnz x *dense``, an
eager Tensor, so gradients flow through it as through any op) and a ``size``. It is not a
dense Tensor: ops torch refuses on the sparse layout raise torch's errors here instead of
computing on a dense copy (``to_dense()`` says when a copy is wanted).

    >>> import eager
    >>> s = eager.sparse_coo_tensor([[0, 1], [1, 0]], [2.0, 3.0], (2, 2))
    >>> s.to_dense()
    tensor([[0., 2.],
            [3., 0.]])
"""

from __future__ import annotations

from typing import Any

import numpy as np

from shared_ops import layout as layouts

from ..creation import tensor as make_tensor
from ..tensor import Tensor
from ..tensor_base import wrap_array
from . import coo_printing

_REFUSED = ("Could not run 'aten::{}' with arguments from the 'SparseCPU' backend. This could "
            "be because the operator doesn't exist for this backend, or was omitted during the "
            "selective/custom build process (if using custom build).")


def refused(op_name: str) -> NotImplementedError:
    """torch's error for an ATen op that has no kernel for sparse COO tensors."""
    return NotImplementedError(_REFUSED.format(op_name))


class SparseCOOTensor:
    """A sparse tensor in coordinate format (``layout == torch.sparse_coo``); build it with
    `sparse_coo_tensor` or ``Tensor.to_sparse()``."""

    # NumPy defers to our reflected operators (``ndarray + sparse`` -> ``__radd__``).
    __array_ufunc__ = None
    is_sparse = True
    layout = layouts.sparse_coo
    is_cuda = False

    def __init__(self, indices: np.ndarray, values: Tensor, size: tuple[int, ...],
                 coalesced: bool = False) -> None:
        self._idx = indices
        self._vals = values
        self._size = tuple(int(n) for n in size)
        self._coalesced = coalesced
        self._leaf_grad = False  # sparse_coo_tensor(..., requires_grad=True): grad on values

    # -- shape and dtype ---------------------------------------------------------------------
    @property
    def shape(self):
        return make_tensor(0).new_empty(self._size).shape  # torch.Size, as dense tensors'

    def size(self, dim: int | None = None):
        """The size (``torch.Size``), or one dimension's."""
        return self.shape if dim is None else self._size[dim]

    def dim(self) -> int:
        return len(self._size)

    ndim = property(dim)

    @property
    def dtype(self):
        return self._vals.dtype

    @property
    def device(self):
        return self._vals.device

    def sparse_dim(self) -> int:
        return int(self._idx.shape[0])

    def dense_dim(self) -> int:
        return len(self._size) - self.sparse_dim()

    def _nnz(self) -> int:
        return int(self._idx.shape[1])

    def is_coalesced(self) -> bool:
        return self._coalesced

    # -- parts ---------------------------------------------------------------------------------
    def _indices(self) -> Tensor:
        return wrap_array(self._idx)

    def _values(self) -> Tensor:
        return self._vals

    def indices(self) -> Tensor:
        if not self._coalesced:
            raise RuntimeError("Cannot get indices on an uncoalesced tensor, please call "
                               ".coalesce() first")
        return self._indices()

    def values(self) -> Tensor:
        if not self._coalesced:
            raise RuntimeError("Cannot get values on an uncoalesced tensor, please call "
                               ".coalesce() first")
        return self._vals

    # -- autograd ------------------------------------------------------------------------------
    @property
    def requires_grad(self) -> bool:
        return self._vals.requires_grad

    @property
    def is_leaf(self) -> bool:
        return self._vals.grad_fn is None

    @property
    def grad(self):
        """A leaf's gradient: sparse, on this tensor's indices (as torch's ``sparse.mm``)."""
        g = self._vals.grad if self._leaf_grad else None
        if g is None:
            return None
        # On the coalesced indices, each entry's gradient once (duplicates share it), as torch.
        idx, first = self._unique_entries()
        return SparseCOOTensor(idx, g[wrap_array(first)], self._size, coalesced=False)

    @grad.setter
    def grad(self, value) -> None:
        if value is not None:
            raise RuntimeError("sparse tensors: only grad = None can be assigned here")
        self._vals.grad = None

    def _unique_entries(self) -> tuple[np.ndarray, np.ndarray]:
        """The sorted distinct indices and where each first occurs."""
        dims = self._size[:self.sparse_dim()]
        flat = np.ravel_multi_index(tuple(self._idx), dims) if self._nnz() \
            else np.zeros(0, np.int64)
        keys, first = np.unique(flat, return_index=True)
        idx = np.stack(np.unravel_index(keys, dims)).astype(np.int64)
        return idx.reshape(len(dims), len(keys)), first.astype(np.int64)

    def detach(self) -> SparseCOOTensor:
        return SparseCOOTensor(self._idx, self._vals.detach(), self._size, self._coalesced)

    # -- conversions ---------------------------------------------------------------------------
    def coalesce(self) -> SparseCOOTensor:
        """Duplicates summed, indices sorted (row-major); gradients flow to the values."""
        if self._coalesced:
            return self
        flat = np.ravel_multi_index(tuple(self._idx), self._size[:self.sparse_dim()]) \
            if self._nnz() else np.zeros(0, np.int64)
        keys, where = np.unique(flat, return_inverse=True)
        idx = np.stack(np.unravel_index(keys, self._size[:self.sparse_dim()])).astype(np.int64)
        idx = idx.reshape(self.sparse_dim(), len(keys))
        zeros = self._vals.new_zeros((len(keys), *self._size[self.sparse_dim():]))
        vals = zeros.index_add(0, wrap_array(where.astype(np.int64).reshape(-1)), self._vals)
        return SparseCOOTensor(idx, vals, self._size, coalesced=True)

    def to_dense(self, dtype: Any = None, *, masked_grad: bool | None = None) -> Tensor:
        """The dense tensor (duplicates summed); differentiable in the values."""
        c = self.coalesce()
        flat = np.ravel_multi_index(tuple(c._idx), self._size[:self.sparse_dim()]) \
            if c._nnz() else np.zeros(0, np.int64)
        rows = int(np.prod(self._size[:self.sparse_dim()], dtype=np.int64))
        out = c._vals.new_zeros((rows, *self._size[self.sparse_dim():]))
        out = out.index_add(0, wrap_array(flat.astype(np.int64)), c._vals).reshape(self._size)
        return out if dtype is None else out.to(dtype)

    def to_sparse(self, sparse_dim: int | None = None) -> SparseCOOTensor:
        return self

    def numpy(self):
        raise TypeError("can't convert Sparse layout tensor to numpy. Use Tensor.to_dense() "
                        "first.")

    __array__ = numpy

    def float(self) -> SparseCOOTensor:
        return self.to(np.float32)

    def double(self) -> SparseCOOTensor:
        return self.to(np.float64)

    def to(self, dtype: Any = None, *args: Any, **kwargs: Any) -> SparseCOOTensor:
        """The same indices with the values cast to ``dtype`` (devices: CPU only)."""
        if dtype is None or isinstance(dtype, str) or getattr(dtype, "type", None) == "cpu":
            return self
        return SparseCOOTensor(self._idx, self._vals.to(dtype), self._size, self._coalesced)

    # -- arithmetic ----------------------------------------------------------------------------
    def __add__(self, other: Any) -> Any:
        if isinstance(other, SparseCOOTensor):
            if other._size != self._size:
                raise RuntimeError(f"add: expected 'self' and 'other' to have same size, but "
                                   f"self has size {list(self._size)} while other has size "
                                   f"{list(other._size)} (FYI: op2-sparse addition does not "
                                   "currently support broadcasting)")
            return _merge_add(self, other)
        raise RuntimeError("add(sparse, dense) is not supported. Use add(dense, sparse) "
                           "instead.")

    def __radd__(self, other: Any) -> Any:
        """``dense + sparse``: the dense sum (as torch's)."""
        dense = other if isinstance(other, Tensor) else wrap_array(np.asarray(other))
        return dense + self.to_dense()

    def __rsub__(self, other: Any) -> Any:
        """``dense - sparse``: the dense difference."""
        dense = other if isinstance(other, Tensor) else wrap_array(np.asarray(other))
        return dense - self.to_dense()

    def zero_(self) -> SparseCOOTensor:
        """In place: no entries left (``nnz == 0``), the size kept, as torch's."""
        self._idx = np.zeros((self.sparse_dim(), 0), np.int64)
        self._vals = self._vals.new_zeros((0, *self._size[self.sparse_dim():]))
        self._coalesced = True
        return self

    def accumulated_onto(self, grad: Any) -> Any:
        """``grad`` plus this gradient as torch's AccumulateGrad adds them (in place there):
        torch's merge of two COO tensors when both values are contiguous, else their
        concatenation (values broadcast from a ``sum()``'s gradient are not); a dense ``grad``
        gets the dense sum."""
        if not isinstance(grad, SparseCOOTensor):
            return grad + self.to_dense()
        if grad._vals._data.flags.c_contiguous and self._vals._data.flags.c_contiguous:
            return _merge_add(grad, self)
        idx = np.concatenate([grad._idx, self._idx], axis=1)
        from ..functions_shape import cat
        vals = cat([grad._vals, self._vals.to(grad._vals.dtype)])
        return SparseCOOTensor(idx, vals, grad._size, coalesced=False)

    def __mul__(self, other: Any) -> SparseCOOTensor:
        if isinstance(other, int | float | bool) or (isinstance(other, Tensor)
                                                     and other.dim() == 0):
            return SparseCOOTensor(self._idx, self._vals * other, self._size, self._coalesced)
        if isinstance(other, SparseCOOTensor):
            a, b = self.coalesce(), other.coalesce()
            return _intersect_mul(a, b)
        raise RuntimeError("mul: multiplying a sparse tensor by a dense one is supported only "
                           "for 0-d (scalar) tensors here")

    __rmul__ = __mul__

    def __truediv__(self, other: Any) -> SparseCOOTensor:
        if isinstance(other, int | float) or (isinstance(other, Tensor) and other.dim() == 0):
            return SparseCOOTensor(self._idx, self._vals / other, self._size, self._coalesced)
        raise RuntimeError("div: a sparse tensor can only be divided by a scalar")

    def __neg__(self) -> SparseCOOTensor:
        return SparseCOOTensor(self._idx, -self._vals, self._size, self._coalesced)

    def __matmul__(self, other: Any) -> Tensor:
        from .products import mm
        return mm(self, other)

    mm = __matmul__

    def sum(self, dim: Any = None, keepdim: bool = False, dtype: Any = None) -> Any:
        if dim is None:
            return self._vals.sum() if dtype is None else self._vals.sum(dtype=dtype)
        from .products import sparse_sum
        return sparse_sum(self, dim, dtype=dtype)

    def __repr__(self) -> str:
        return coo_printing.sparse_repr(self)

    __str__ = __repr__

    def __getattr__(self, name: str):
        # Dense-only methods (views, elementwise math, reshape): torch's refusal, no copy.
        if name.startswith("__") or name not in dir(Tensor):
            raise AttributeError(f"'SparseCOOTensor' object has no attribute '{name}'")
        messages = {"reshape": "reshape is not implemented for sparse tensors",
                    "stride": "Sparse tensors do not have strides",
                    "is_contiguous": "Sparse tensors do not have is_contiguous"}
        for storage_name in ("storage", "data_ptr", "tolist", "item"):
            messages[storage_name] = ("Cannot access data pointer of Tensor that doesn't have "
                                      "storage")
        if name in messages:
            def no_storage(*args: Any, **kwargs: Any):
                raise RuntimeError(messages[name])
            return no_storage

        def not_implemented(*args: Any, **kwargs: Any):
            raise refused(name.rstrip("_"))
        return not_implemented


def _merge_add(a: SparseCOOTensor, b: SparseCOOTensor) -> SparseCOOTensor:
    """``a + b`` as torch's CPU kernel: one merge pass over both entry lists in their stored
    order, equal indices met side by side added, the rest taken in turn (on coalesced inputs
    this is the sorted union; on others it follows the same walk, so ``nnz`` is torch's)."""
    dims = a._size[:a.sparse_dim()]
    ka = np.ravel_multi_index(tuple(a._idx), dims).tolist() if a._nnz() else []
    kb = np.ravel_multi_index(tuple(b._idx), dims).tolist() if b._nnz() else []
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
    from ..functions_shape import cat
    both = cat([a._vals, b._vals.to(a._vals.dtype)])
    slots = np.arange(len(take_a), dtype=np.int64)
    pa, pb = np.asarray(take_a, np.int64), np.asarray(take_b, np.int64)
    vals = both.new_zeros((len(slots), *both.shape[1:]))
    vals = vals.index_add(0, wrap_array(slots[pa >= 0]), both[wrap_array(pa[pa >= 0])])
    vals = vals.index_add(0, wrap_array(slots[pb >= 0]), both[wrap_array(pb[pb >= 0])])
    both_idx = np.concatenate([a._idx, b._idx], axis=1)
    idx = both_idx[:, np.where(pa >= 0, pa, pb)]
    return SparseCOOTensor(idx, vals, a._size, coalesced=a._coalesced and b._coalesced)


def _intersect_mul(a: SparseCOOTensor, b: SparseCOOTensor) -> SparseCOOTensor:
    """Elementwise product of two coalesced tensors: the entries both have."""
    dims = a._size[:a.sparse_dim()]
    ka = np.ravel_multi_index(tuple(a._idx), dims) if a._nnz() else np.zeros(0, np.int64)
    kb = np.ravel_multi_index(tuple(b._idx), dims) if b._nnz() else np.zeros(0, np.int64)
    keys, ia, ib = np.intersect1d(ka, kb, assume_unique=True, return_indices=True)
    idx = np.stack(np.unravel_index(keys, dims)).astype(np.int64).reshape(len(dims), len(keys))
    vals = a._vals[wrap_array(ia.astype(np.int64))] * b._vals[wrap_array(ib.astype(np.int64))]
    return SparseCOOTensor(idx, vals, a._size, coalesced=True)


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
    if check_invariants:
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


__all__ = ["SparseCOOTensor", "refused", "sparse_coo_tensor", "to_sparse"]
