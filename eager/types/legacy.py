"""PyTorch's legacy tensor types: ``eager.FloatTensor([1, 2])``, ``t.type()``.

Each legacy type (``FloatTensor``, ``LongTensor``...) stands for one dtype, as in PyTorch:

* called with data (a list, a tuple, an array) it makes a tensor of its dtype; with sizes
  (ints, or one ``Size``) an uninitialised tensor of that size (zeros here); with no argument
  an empty one; with a tensor of its dtype, a tensor sharing that one's storage;
* ``isinstance(t, eager.FloatTensor)`` is True for float32 tensors (and Parameters);
* ``t.type()`` names the type of ``t`` (``'torch.FloatTensor'``) and ``t.type(LongTensor)``,
  ``t.type('torch.LongTensor')`` or ``t.type(eager.int64)`` convert (`type_spec_dtype`).

    >>> FloatTensor([1, 2])
    tensor([1., 2.])
    >>> FloatTensor(2, 3).shape
    torch.Size([2, 3])
    >>> type_name(FloatTensor([1]).dtype), isinstance(LongTensor([1]), LongTensor)
    ('torch.FloatTensor', True)
"""

from __future__ import annotations

import numpy as np

from shared_ops.device import check_device

from .. import creation
from ..tensor_base import TensorBase
from . import dtypes as d
from .size import Size

__all__ = ["LEGACY_TYPES", "type_name", "type_spec_dtype", "FloatTensor", "DoubleTensor",
           "HalfTensor", "ByteTensor", "CharTensor", "ShortTensor", "IntTensor", "LongTensor",
           "BoolTensor"]


class LegacyTensorType(type):
    """The metaclass of the legacy types: instance checks by dtype, calls that construct."""

    dtype: d.dtype

    def __instancecheck__(cls, obj) -> bool:
        return isinstance(obj, TensorBase) and obj.dtype is cls.dtype

    def __call__(cls, *args, device=None):
        check_device(device)
        if not args:
            return creation.empty(0, dtype=cls.dtype)
        if all(type(a) is int for a in args) or len(args) == 1 and isinstance(args[0], Size):
            sizes = args[0] if isinstance(args[0], Size) else args
            return creation.empty(*sizes, dtype=cls.dtype)
        if len(args) > 1:
            raise TypeError(f"new(): expected sizes (ints) or one sequence of data, got "
                            f"{tuple(type(a).__name__ for a in args)}")
        (data,) = args
        if isinstance(data, TensorBase):
            if data.dtype is not cls.dtype:
                raise TypeError(f"{cls.__name__}(): expected a tensor of dtype {cls.dtype} "
                                f"(got {data.dtype})")
            return data.detach()
        if isinstance(data, str):
            raise TypeError("new(): invalid data type 'str'")
        if not isinstance(data, list | tuple | np.ndarray):
            raise TypeError(f"new(): data must be a sequence (got {type(data).__name__})")
        return creation.tensor(data, dtype=cls.dtype)

    def __repr__(cls) -> str:
        return f"<class 'torch.{cls.__name__}'>"


def _legacy(name: str, dtype: d.dtype) -> LegacyTensorType:
    doc = f"PyTorch's legacy ``torch.{name}``: tensors of dtype {dtype} (see module docstring)."
    return LegacyTensorType(name, (), {"dtype": dtype, "__doc__": doc,
                                       "__module__": __name__})


FloatTensor = _legacy("FloatTensor", d.float32)
DoubleTensor = _legacy("DoubleTensor", d.float64)
HalfTensor = _legacy("HalfTensor", d.float16)
ByteTensor = _legacy("ByteTensor", d.uint8)
CharTensor = _legacy("CharTensor", d.int8)
ShortTensor = _legacy("ShortTensor", d.int16)
IntTensor = _legacy("IntTensor", d.int32)
LongTensor = _legacy("LongTensor", d.int64)
BoolTensor = _legacy("BoolTensor", d.bool)

LEGACY_TYPES = (FloatTensor, DoubleTensor, HalfTensor, ByteTensor, CharTensor, ShortTensor,
                IntTensor, LongTensor, BoolTensor)
_BY_DTYPE = {t.dtype: t for t in LEGACY_TYPES}
_BY_NAME = {f"torch.{t.__name__}": t for t in LEGACY_TYPES}


def type_name(dtype: d.dtype) -> str:
    """``'torch.FloatTensor'``: what ``tensor.type()`` answers for a tensor of ``dtype``."""
    return f"torch.{_BY_DTYPE[dtype].__name__}"


def type_spec_dtype(spec) -> d.dtype:
    """The dtype ``tensor.type(spec)`` converts to: a legacy type, its name as a string
    (``'torch.LongTensor'``) or a dtype. Other strings raise PyTorch's ValueError."""
    if isinstance(spec, LegacyTensorType):
        return spec.dtype
    if isinstance(spec, str):
        if spec not in _BY_NAME:
            raise ValueError(f"invalid type: {spec!r}")
        return _BY_NAME[spec].dtype
    return spec
