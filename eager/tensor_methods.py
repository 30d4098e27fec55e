"""Tensor operators, Python protocols and conversions with PyTorch's names: thin wrappers
over the shared ops.

Every method that computes calls an op object (through `eager.functions` or directly), never
NumPy on ``_data``, so the call goes through the dispatcher: the static tracer can stage it
into a graph, and ``tensor + node`` becomes a static node. Math methods (``sum``, ``exp``)
live in `eager.tensor_math`, in-place ones in `eager.tensor_inplace`, autograd ones
(``backward``, hooks) in `eager.tensor_autograd`.
"""

from __future__ import annotations

import operator

import numpy as np

import shared_ops
from shared_ops import layout as layouts
from shared_ops.device import check_device, device
from shared_ops.tensor_api_core import keyword_varargs

from . import creation, functions_memory, shared_memory
from .tensor_base import check_dtype, wrap_array
from .types import legacy
from .types.dtypes import bfloat16
from .types.size import Size


class TensorMethods:
    """Mixed into `eager.Tensor`; see `TensorBase` for the storage and autograd attributes."""

    __slots__ = ()

    # `ndarray + Tensor` must defer to Tensor.__radd__ rather than let NumPy loop over elements.
    __array_ufunc__ = None
    # Defining __eq__ (below) unsets the inherited hash: tensors stay dict keys by identity
    # (optimizer state, hooks).
    __hash__ = object.__hash__

    # --- arithmetic operators ----------------------------------------------------------------
    # + - * / and their reflections are defined on `eager.Tensor` itself (eager/tensor.py's
    # `_operator`: the commonest calls go straight to the eager mode's `apply`).
    def __pow__(self, exponent):
        return shared_ops.pow(self, exponent)

    def __rpow__(self, base):
        return shared_ops.pow(base, self)

    def __matmul__(self, other):
        return shared_ops.matmul(self, other)

    def __rmatmul__(self, other):
        return shared_ops.matmul(other, self)

    def __neg__(self):
        return shared_ops.neg(self)

    def __pos__(self):
        return self

    def __abs__(self):
        return shared_ops.abs(self)

    # Comparisons give bool tensors (no gradient), as in PyTorch; hashing stays by identity.
    def __eq__(self, other):  # type: ignore[override]
        return shared_ops.eq(self, other)

    def __ne__(self, other):  # type: ignore[override]
        return shared_ops.ne(self, other)

    def __lt__(self, other):
        return shared_ops.lt(self, other)

    def __le__(self, other):
        return shared_ops.le(self, other)

    def __gt__(self, other):
        return shared_ops.gt(self, other)

    def __ge__(self, other):
        return shared_ops.ge(self, other)

    def __getitem__(self, key):
        return shared_ops.getitem(self, key)

    # --- Python protocol --------------------------------------------------------------------
    def __len__(self) -> int:
        if not self._data.ndim:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self):
        if not self._data.ndim:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self._data.shape[0]))

    def __bool__(self) -> bool:
        if self._data.size != 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return bool(self._data.reshape(()))

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __index__(self) -> int:
        if self._data.dtype.kind not in "iub" or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an "
                            "index")
        return int(self._data.reshape(()))

    def __format__(self, spec: str) -> str:
        if self._data.ndim == 0:
            return format(self.item(), spec)
        return format(repr(self), spec)

    # --- size and conversion ----------------------------------------------------------------
    def size(self, dim: int | None = None):
        """The shape as a `Size`, or the length of dim ``dim`` (an int)."""
        shape = self._data.shape
        if dim is None:
            return Size(shape)
        if type(dim) is not int:
            try:
                dim = operator.index(dim)
            except TypeError:
                raise TypeError(f"size(): argument 'dim' (position 1) must be int, not "
                                f"{type(dim).__name__}") from None
        n = len(shape)
        if not n:
            raise IndexError(f"Dimension specified as {dim} but tensor has no dimensions")
        if not -n <= dim < n:
            raise IndexError(f"Dimension out of range (expected to be in range of [{-n}, "
                             f"{n - 1}], but got {dim})")
        return shape[dim]

    def dim(self) -> int:
        return self._data.ndim

    def numel(self) -> int:
        return int(self._data.size)

    nelement = numel

    def item(self):
        """The single value as a Python number."""
        if self._data.size != 1:
            raise RuntimeError(f"a Tensor with {self._data.size} elements cannot be converted "
                               "to Scalar")
        return self._data.reshape(()).item()

    def numpy(self, *, force: bool = False) -> np.ndarray:
        """The very ndarray this tensor wraps (shared memory). Unlike PyTorch this works on
        tensors that require grad too: the static mode reads parameters' storage this way.
        ``force=True`` (PyTorch's way to skip its checks) is accepted and changes nothing."""
        return self._data

    def tolist(self):
        return self._data.tolist()

    def detach(self):
        """A new leaf sharing storage and version counter, cut off from the graph."""
        return wrap_array(self._data, self._version_counter)

    def clone(self, *, memory_format=None):
        """A copy with its own storage; gradients flow back to the original (every layout
        here is contiguous, so ``memory_format`` changes nothing)."""
        if not self._requires_grad:
            return wrap_array(self._data.copy())
        out = shared_ops.add(self, np.zeros((), self._data.dtype))
        if out.grad_fn is not None:  # recorded as an add, named as PyTorch's node
            out.grad_fn.torch_name = "CloneBackward0"
        return out

    def contiguous(self, memory_format=layouts.contiguous_format):
        """Self when its elements are in C order already, else a C-ordered copy (recorded for
        backward as a copy)."""
        if memory_format is layouts.channels_last or memory_format is layouts.channels_last_3d:
            raise NotImplementedError(f"contiguous(memory_format={memory_format}): eager's "
                                      "tensors are laid out in C order only")
        if self._data.flags.c_contiguous:
            return self
        # Flattening a strided view copies it in C order; the reshape back is then a view of
        # that copy. Both record for backward (elementwise ops would keep the view's order).
        flat = shared_ops.reshape(self, shape=(-1,))
        return shared_ops.reshape(flat, shape=self._data.shape)

    # -- layout: NumPy's strides, in elements as PyTorch counts them --------------------------
    def is_contiguous(self, memory_format=layouts.contiguous_format) -> bool:
        """Whether the elements lie in memory in C order (size-1 dims do not count); for the
        channels-last formats, whether they lie in that order."""
        if memory_format is layouts.channels_last or memory_format is layouts.channels_last_3d:
            ndim = 4 if memory_format is layouts.channels_last else 5
            if self._data.ndim != ndim:
                return False
            order = (0, *range(2, ndim), 1)  # N, spatial..., C: the dims from outer to inner
            moved = np.transpose(self._data, order)
            return bool(moved.flags.c_contiguous)
        return bool(self._data.flags.c_contiguous)

    def stride(self, dim: int | None = None):
        """The step in elements between neighbours along each dim (or along ``dim``)."""
        return layouts.stride_of(layouts.strides_in_elements(
            self._data.shape, self._data.strides, self._data.itemsize), dim)

    def storage_offset(self) -> int:
        """How many elements into its storage (the array it views) this tensor starts."""
        root = self._data
        while isinstance(root.base, np.ndarray):
            root = root.base
        start = self._data.__array_interface__["data"][0] - root.__array_interface__["data"][0]
        return start // self._data.itemsize

    def data_ptr(self) -> int:
        """The address of the first element."""
        return self._data.__array_interface__["data"][0]

    def to(self, dtype=None, *args, **kwargs):
        """``to(dtype)`` casts (recorded for backward); ``to(device)`` takes CPU devices (a
        string, a ``device``) and raises for others as PyTorch without CUDA does."""
        check_device(kwargs.get("device"))
        dtype, positional = None, (dtype, *args)
        for a in positional:
            if (isinstance(a, str) and not _is_dtype_name(a) or isinstance(a, device)
                    or type(a) is int):
                check_device(a)
            elif hasattr(a, "_data") and hasattr(a, "dtype"):  # to(other): other's dtype
                dtype = a.dtype
            elif a is not None and not isinstance(a, bool):  # (non_blocking, copy) flags
                dtype = a
        dtype = kwargs.get("dtype", dtype)
        if dtype is None:
            return self
        dtype = check_dtype(dtype)
        return self if dtype == self._data.dtype else shared_ops.cast(self, dtype=dtype)

    def type(self, dtype=None, non_blocking: bool = False, **kwargs):
        """``t.type()`` names the legacy type (``'torch.FloatTensor'``); ``t.type(spec)``
        converts to a legacy type (``eager.LongTensor``), its name or a dtype."""
        if dtype is None:
            return legacy.type_name(self.dtype)
        return self.to(legacy.type_spec_dtype(dtype))


    def cpu(self):
        return self

    def share_memory_(self):
        """Move the storage into memory shared with processes forked later (in place)."""
        return shared_memory.share_memory_(self)

    def is_shared(self) -> bool:
        """Whether the storage is in shared memory (`share_memory_`)."""
        return shared_memory.is_shared(self)

    # issue 16's third batch: storage queries (eager/functions_memory.py); bfloat16() raises
    # the TypeError of .to(bfloat16), as every bfloat16 conversion here does.
    untyped_storage = functions_memory.untyped_storage
    storage = functions_memory.storage

    def bfloat16(self, memory_format=None):
        return self.to(bfloat16)

    def to_sparse(self, sparse_dim: int | None = None):
        """The non-zero entries as a COO tensor (``eager.sparse``)."""
        from . import sparse  # the sparse package builds on Tensor: imported on first use
        return sparse.to_sparse(self, sparse_dim)

    def to_dense(self, dtype=None, *, masked_grad=None):
        """A dense tensor is its own dense form."""
        return self if dtype is None else self.to(dtype)

    @keyword_varargs("size")  # x.new_zeros(size=(2, 3)), as torch
    def new_zeros(self, *size, dtype=None, requires_grad: bool = False):
        return creation.zeros(*size, dtype=dtype or self.dtype, requires_grad=requires_grad)

    @keyword_varargs("size")
    def new_empty(self, *size, dtype=None, requires_grad: bool = False):
        return creation.empty(*size, dtype=dtype or self.dtype, requires_grad=requires_grad)

    @keyword_varargs("size")
    def new_ones(self, *size, dtype=None, requires_grad: bool = False):
        return creation.ones(*size, dtype=dtype or self.dtype, requires_grad=requires_grad)

    def new_full(self, size, fill_value, dtype=None, requires_grad: bool = False):
        return creation.full(size, fill_value, dtype=dtype or self.dtype,
                             requires_grad=requires_grad)

    def new_tensor(self, data, dtype=None, requires_grad: bool = False):
        return creation.tensor(data, dtype=dtype or self.dtype, requires_grad=requires_grad)

def _is_dtype_name(name: str) -> bool:
    try:
        np.dtype(name)
    except TypeError:
        return False
    return True

