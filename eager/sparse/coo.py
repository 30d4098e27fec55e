"""`SparseCOOTensor`: PyTorch's ``torch.sparse_coo`` layout (built by `construct`'s
``sparse_coo_tensor`` and ``to_sparse``).

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

from ..functions_shape import cat
from ..tensor import Tensor
from ..tensor_base import wrap_array
from ..types.size import Size
from . import coo_printing
from .coo_arith import flat_keys, intersect_mul, merge_add

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
        return Size(self._size)

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
        keys, first = np.unique(flat_keys(self), return_index=True)
        idx = np.stack(np.unravel_index(keys, dims)).astype(np.int64)
        return idx.reshape(len(dims), len(keys)), first.astype(np.int64)

    def detach(self) -> SparseCOOTensor:
        return SparseCOOTensor(self._idx, self._vals.detach(), self._size, self._coalesced)

    # -- conversions ---------------------------------------------------------------------------
    def coalesce(self) -> SparseCOOTensor:
        """Duplicates summed, indices sorted (row-major); gradients flow to the values."""
        if self._coalesced:
            return self
        keys, where = np.unique(flat_keys(self), return_inverse=True)
        idx = np.stack(np.unravel_index(keys, self._size[:self.sparse_dim()])).astype(np.int64)
        idx = idx.reshape(self.sparse_dim(), len(keys))
        zeros = self._vals.new_zeros((len(keys), *self._size[self.sparse_dim():]))
        vals = zeros.index_add(0, wrap_array(where.astype(np.int64).reshape(-1)), self._vals)
        return SparseCOOTensor(idx, vals, self._size, coalesced=True)

    def to_dense(self, dtype: Any = None, *, masked_grad: bool | None = None) -> Tensor:
        """The dense tensor (duplicates summed); differentiable in the values."""
        c = self.coalesce()
        flat = flat_keys(c)
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
            return merge_add(self, other)
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
            return merge_add(grad, self)
        idx = np.concatenate([grad._idx, self._idx], axis=1)
        vals = cat([grad._vals, self._vals.to(grad._vals.dtype)])
        return SparseCOOTensor(idx, vals, grad._size, coalesced=False)

    def __mul__(self, other: Any) -> SparseCOOTensor:
        if isinstance(other, int | float | bool) or (isinstance(other, Tensor)
                                                     and other.dim() == 0):
            return SparseCOOTensor(self._idx, self._vals * other, self._size, self._coalesced)
        if isinstance(other, SparseCOOTensor):
            a, b = self.coalesce(), other.coalesce()
            return intersect_mul(a, b)
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


__all__ = ["SparseCOOTensor", "refused"]
