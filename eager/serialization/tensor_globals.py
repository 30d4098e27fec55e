"""The globals a checkpoint's pickle may name for tensors, each mapped to our own function.

PyTorch's weights-only loader allows a short list of globals; these are the ones its files
use for tensors and state dicts. The names are only keys of a table: nothing named in a file
is ever imported. Each rebuild function checks its arguments (types, and that a tensor's
size, stride and offset lie inside its storage) before making anything.
"""

from __future__ import annotations

import math
from collections import OrderedDict

import numpy as np

from shared_ops import limits

from ..tensor_base import wrap_array
from .pickle_reader import UnsafePickleError

# dtype name -> PyTorch's typed storage class name (torch.FloatStorage...)
STORAGE_NAMES = {"float32": "FloatStorage", "float64": "DoubleStorage",
                 "float16": "HalfStorage", "int64": "LongStorage", "int32": "IntStorage",
                 "int16": "ShortStorage", "int8": "CharStorage", "uint8": "ByteStorage",
                 "bool": "BoolStorage", "complex64": "ComplexFloatStorage",
                 "complex128": "ComplexDoubleStorage"}


class StorageType:
    """What ``GLOBAL torch FloatStorage`` stands for: the storage's element type."""

    __slots__ = ("dtype",)

    def __init__(self, dtype: np.dtype) -> None:
        self.dtype = dtype


class StorageRef:
    """One storage of the archive: its elements and the version counter its tensors share."""

    __slots__ = ("array", "counter")

    def __init__(self, array: np.ndarray) -> None:
        self.array = array
        self.counter = [0]


def _empty(value) -> bool:
    return value is None or (type(value) in (dict, OrderedDict) and not value)


def _ints(value, what: str) -> tuple:
    if not (isinstance(value, tuple) and all(type(v) is int and v >= 0 for v in value)):
        raise UnsafePickleError(f"a tensor's {what} is {value!r:.60}, not a tuple of "
                                "non-negative ints")
    return value


def rebuild_tensor(storage, storage_offset, size, stride, requires_grad=False,
                   backward_hooks=None, metadata=None):
    """``torch._utils._rebuild_tensor_v2``: a Tensor viewing ``storage``."""
    if not isinstance(storage, StorageRef):
        raise UnsafePickleError(f"a tensor's storage is a {type(storage).__name__}")
    if type(storage_offset) is not int or storage_offset < 0:
        raise UnsafePickleError(f"a tensor's storage offset is {storage_offset!r:.40}")
    size, stride = _ints(size, "size"), _ints(stride, "stride")
    if len(size) != len(stride):
        raise UnsafePickleError(f"a tensor's size {size} and stride {stride} differ in rank")
    if not isinstance(requires_grad, bool):
        raise UnsafePickleError(f"a tensor's requires_grad is {requires_grad!r:.40}")
    if not (_empty(backward_hooks) and _empty(metadata)):
        raise UnsafePickleError("a tensor carries backward hooks or metadata (not loaded)")
    count = math.prod(size)
    if count > limits.MAX_ELEMENTS:
        raise UnsafePickleError(f"a tensor of size {size} has {count} elements, over the "
                                f"limit of {limits.MAX_ELEMENTS}")
    data = storage.array
    if count == 0:
        arr = np.empty(size, data.dtype)
    else:
        last = storage_offset + sum((d - 1) * s for d, s in zip(size, stride, strict=True))
        if last >= data.size:
            raise UnsafePickleError(f"a tensor of size {size}, stride {stride} at offset "
                                    f"{storage_offset} reaches element {last} of a storage "
                                    f"of {data.size}")
        item = data.dtype.itemsize
        arr = np.lib.stride_tricks.as_strided(data[storage_offset:], size,
                                              tuple(s * item for s in stride))
    t = wrap_array(arr, storage.counter)  # tensors of one storage share it, as in PyTorch
    if requires_grad:
        if arr.dtype.kind not in "fc":
            raise UnsafePickleError(f"a tensor of dtype {arr.dtype} requires grad")
        t.requires_grad = True
    return t


def rebuild_tensor_v1(storage, storage_offset, size, stride):
    """``torch._utils._rebuild_tensor`` (older files)."""
    return rebuild_tensor(storage, storage_offset, size, stride)


def rebuild_parameter(data, requires_grad, backward_hooks, state=None):
    """``torch._utils._rebuild_parameter``: an ``nn.Parameter`` around ``data``."""
    from ..nn.parameter import Parameter  # eager.nn loads on first use (eager/__init__.py)

    if not (isinstance(requires_grad, bool) and _empty(backward_hooks) and _empty(state)):
        raise UnsafePickleError("a parameter's requires_grad, hooks or state are not plain")
    if getattr(data, "_data", None) is None:
        raise UnsafePickleError(f"a parameter wraps a {type(data).__name__}, not a tensor")
    if requires_grad and data._data.dtype.kind not in "fc":
        raise UnsafePickleError(f"a parameter of dtype {data._data.dtype} requires grad")
    return Parameter(data, requires_grad=requires_grad)


def rebuild_ndarray(tensor):
    """Ours: a NumPy array saved by ``eager.save`` comes back as an array."""
    if getattr(tensor, "_data", None) is None:
        raise UnsafePickleError("rebuild_ndarray of a non-tensor")
    return np.array(tensor._data)


def ordered_dict(*args):
    """``collections.OrderedDict()``: only empty (items arrive by SETITEMS)."""
    if args:
        raise UnsafePickleError("OrderedDict called with arguments")
    return OrderedDict()


def tensor_globals() -> dict:
    """The table of allowed globals (``"module name"`` -> function or storage type)."""
    table: dict = {
        "collections OrderedDict": ordered_dict,
        "torch._utils _rebuild_tensor_v2": rebuild_tensor,
        "torch._utils _rebuild_tensor": rebuild_tensor_v1,
        "torch._utils _rebuild_parameter": rebuild_parameter,
        "torch._utils _rebuild_parameter_with_state": rebuild_parameter,
        "eager.serialization rebuild_ndarray": rebuild_ndarray,
    }
    for dtype_name, storage in STORAGE_NAMES.items():
        table[f"torch {storage}"] = StorageType(np.dtype(dtype_name))
    return table
