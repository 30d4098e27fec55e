"""torch functions about memory and Python values, eager only (a graph value has no storage
and no value while it is built): ``frombuffer``, ``empty_strided``, ``typename``,
``is_storage``, and `UntypedStorage` and `TypedStorage`, what ``Tensor.untyped_storage()``
and the deprecated ``Tensor.storage()`` return.

An eager tensor's storage is the NumPy array its data views (the root of ``.base``):
`UntypedStorage` reports its size in bytes (``nbytes()``, ``size()``, ``len``), its address
(``data_ptr()``), ``element_size()`` (1), ``device``, ``is_shared()`` (after
``Tensor.share_memory_()``) and ``tolist()`` (the bytes); it cannot be resized.

    >>> import eager
    >>> eager.ones(2, 3).untyped_storage().nbytes()
    24
"""

from __future__ import annotations

import builtins
import warnings
from typing import Any

import numpy as np

from shared_ops.device import check_device, device

from . import shared_memory
from .creation import from_numpy, zeros
from .tensor_base import TensorBase, check_dtype
from .types.dtypes import BY_NUMPY


class UntypedStorage:
    """The bytes under an eager tensor (the root array its data views), read-only here."""

    __slots__ = ("_root", "_tensor")

    def __init__(self, root: np.ndarray, tensor: TensorBase | None = None):
        self._root = root
        self._tensor = tensor  # whose storage this is (``is_shared`` asks it)

    def nbytes(self) -> int:
        return int(self._root.nbytes)

    size = nbytes

    def __len__(self) -> int:
        return self.nbytes()

    def element_size(self) -> int:
        return 1

    def data_ptr(self) -> int:
        """The address of the first byte."""
        return int(self._root.__array_interface__["data"][0])

    @property
    def device(self) -> device:
        return device("cpu")

    def is_shared(self) -> bool:
        """Whether the storage is in shared memory (``Tensor.share_memory_()``)."""
        return self._tensor is not None and shared_memory.is_shared(self._tensor)

    def tolist(self) -> list[int]:
        return np.ascontiguousarray(self._root).view(np.uint8).reshape(-1).tolist()

    def __repr__(self) -> str:
        body = " " + "\n ".join(str(b) for b in self.tolist())
        return f"{body}\n[torch.storage.UntypedStorage(device=cpu) of size {self.nbytes()}]"


class TypedStorage(UntypedStorage):
    """PyTorch's deprecated typed view of a storage: its elements (``size()``, ``len``,
    indexing, ``tolist()``) in the tensor's ``dtype``; ``untyped()`` the bytes."""

    __slots__ = ()

    def size(self) -> int:
        return int(self._root.size)

    def __len__(self) -> int:
        return self.size()

    def element_size(self) -> int:
        return int(self._root.itemsize)

    @property
    def dtype(self) -> Any:
        return BY_NUMPY[self._root.dtype]

    def __getitem__(self, index: int) -> Any:
        return np.ravel(self._root, order="K")[index].item()

    def tolist(self) -> list:
        return np.ravel(self._root, order="K").tolist()

    def untyped(self) -> UntypedStorage:
        return UntypedStorage(self._root, self._tensor)

    def __repr__(self) -> str:
        body = " " + "\n ".join(str(v) for v in self.tolist())
        return (f"{body}\n[torch.storage.TypedStorage(dtype={self.dtype}, device=cpu) of size "
                f"{self.size()}]")


def _root(tensor: TensorBase) -> np.ndarray:
    root = tensor._data
    while isinstance(root.base, np.ndarray):
        root = root.base
    return root


def untyped_storage(self: TensorBase) -> UntypedStorage:
    """``Tensor.untyped_storage()``: the storage this tensor views."""
    return UntypedStorage(_root(self), self)


_TYPED_STORAGE = (
    "TypedStorage is deprecated. It will be removed in the future and UntypedStorage will be "
    "the only storage class. This should only matter to you if you are using storages "
    "directly.  To access UntypedStorage directly, use tensor.untyped_storage() instead of "
    "tensor.storage()")


def storage(self: TensorBase) -> TypedStorage:
    """``Tensor.storage()``: the storage as typed elements, with PyTorch's deprecation
    warning."""
    warnings.warn(_TYPED_STORAGE, UserWarning, stacklevel=2)
    return TypedStorage(_root(self), self)


def is_storage(obj: Any, /) -> bool:
    """True for a storage object (what ``untyped_storage()`` and ``storage()`` return)."""
    return isinstance(obj, UntypedStorage)


def typename(obj: Any, /) -> str:
    """The type of ``obj`` as PyTorch names it: a tensor's legacy type (``'torch.FloatTensor'``),
    else the module and qualified name of its type."""
    if isinstance(obj, TensorBase):
        return obj.type()
    if isinstance(obj, UntypedStorage):
        return f"torch.storage.{type(obj).__name__}"
    module = getattr(obj, "__module__", "") or ""
    qualname = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None)
    if qualname is None or not isinstance(qualname, str):
        module = type(obj).__module__ or ""
        qualname = type(obj).__qualname__
    return qualname if module in ("", "builtins") else f"{module}.{qualname}"


_NOT_WRITABLE = (
    "The given buffer is not writable, and PyTorch does not support non-writable tensors. This "
    "means you can write to the underlying (supposedly non-writable) buffer using the tensor. "
    "You may want to copy the buffer to protect its data or make it writable before converting "
    "it to a tensor. This type of warning will be suppressed for the rest of this program.")


def frombuffer(buffer: Any, *, dtype: Any, count: int = -1, offset: int = 0,
               requires_grad: bool = False) -> TensorBase:
    """A 1-d tensor over the bytes of ``buffer`` (anything with the buffer protocol), sharing
    its memory: ``count`` items of ``dtype`` from byte ``offset`` (-1: all the rest). A
    read-only buffer warns, as PyTorch does, and is copied (NumPy refuses writes to it)."""
    np_dtype = check_dtype(dtype)
    view = memoryview(buffer).cast("B")
    length, item = view.nbytes, np_dtype.itemsize
    if length == 0 and count == -1 or count == 0:
        raise ValueError(f"both buffer length ({length}) and count ({count}) must not be 0")
    if offset < 0 or offset >= length:
        raise ValueError(f"offset ({offset} bytes) must be non-negative and no greater than "
                         f"buffer length ({length} bytes) minus 1")
    if count == -1 and (length - offset) % item:
        raise ValueError(f"buffer length ({length - offset} bytes) after offset ({offset} "
                         f"bytes) must be a multiple of element size ({item})")
    if count > 0 and count * item > length - offset:
        raise ValueError(f"requested buffer length ({count} * {item} bytes) after offset "
                         f"({offset} bytes) must not be greater than actual buffer length "
                         f"({length} bytes)")
    array = np.frombuffer(view, dtype=np_dtype, count=count, offset=offset)
    if view.readonly:
        warnings.warn(_NOT_WRITABLE, UserWarning, stacklevel=2)
        array = array.copy()
    out = from_numpy(array)
    return out.requires_grad_() if requires_grad else out


def empty_strided(size: Any, stride: Any, *, dtype: Any = None, layout: Any = None,  # noqa: ARG001
                  device: Any = None, requires_grad: bool = False,
                  pin_memory: bool = False) -> TensorBase:  # noqa: ARG001
    """A tensor of ``size`` whose ``stride()`` is ``stride`` (elements), over a fresh storage
    just large enough; zeros here (PyTorch leaves the memory uninitialized)."""
    check_device(device, creating=True)
    size, stride = tuple(size), tuple(stride)
    if len(size) != len(stride):
        raise RuntimeError(f"dimensionality of sizes ({len(size)}) must match dimensionality "
                           f"of strides ({len(stride)})")
    extent = 1 + builtins.sum((n - 1) * s for n, s in zip(size, stride, strict=True)) \
        if all(size) else 0
    storage = zeros(extent, dtype=dtype)._data
    item = storage.itemsize
    array = np.lib.stride_tricks.as_strided(storage, shape=size,
                                            strides=tuple(s * item for s in stride))
    out = from_numpy(array)
    return out.requires_grad_() if requires_grad else out


# ``untyped_storage`` is a Tensor method only (torch has no function of that name).
__all__ = ["UntypedStorage", "TypedStorage", "is_storage", "typename", "frombuffer",
           "empty_strided"]
