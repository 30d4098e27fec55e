"""PyTorch's dtype objects: ``eager.float32`` prints as ``torch.float32``.

Inside the project every array keeps its NumPy dtype (kernels, shape rules and the static
mode compute with NumPy's); a `dtype` is the face a Tensor shows to user code
(``tensor.dtype``, ``dtype=`` arguments, printing), one object per supported NumPy dtype.

NumPy interop, the design in three points:

* ``numpy_dtype`` is the NumPy dtype it stands for; ``dtype`` is the same (NumPy's own
  protocol: ``np.dtype(x)`` reads ``x.dtype``), so ``np.asarray(data, dtype=eager.float32)``
  and ``np.zeros(3, t.dtype)`` make float32 arrays, and every ``dtype=`` argument of the
  project (`shared_ops.dtypes.as_dtype`) takes one.
* It equals its NumPy dtype and the NumPy scalar type (``t.dtype == np.float32`` keeps working
  in code written for NumPy dtypes) and hashes as the NumPy dtype does, so it finds the same
  dict entries. As in PyTorch it equals nothing else: not a string (``eager.float32 !=
  "float32"``), nor Python's ``float``.
* ``kind`` is NumPy's one-letter kind (``"f"``, ``"i"``, ``"u"``, ``"b"``): framework code
  tests categories with it on values of either mode.

    >>> float32
    torch.float32
    >>> float32.is_floating_point, int64.itemsize, uint8.is_signed
    (True, 8, False)
    >>> float32 == np.float32, float32 == "float32"
    (True, False)
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["dtype", "ALL", "BY_NUMPY", "finfo", "iinfo"]


class dtype:  # noqa: N801  (PyTorch's name)
    """A tensor element type, as ``torch.dtype``: ``eager.float32``, ``eager.int64``...

    Not created by users (PyTorch's cannot be either): the module holds one per dtype.
    """

    __slots__ = ("numpy_dtype", "kind", "itemsize", "is_floating_point", "is_signed", "abbr",
                 "_name", "_hash")

    def __new__(cls, *args, **kwargs):
        raise TypeError("cannot create 'torch.dtype' instances")

    @classmethod
    def _make(cls, numpy_dtype: np.dtype, name: str, abbr: str) -> dtype:
        self = object.__new__(cls)
        for attr, value in (("numpy_dtype", numpy_dtype), ("kind", numpy_dtype.kind),
                            ("itemsize", numpy_dtype.itemsize),
                            ("is_floating_point", numpy_dtype.kind == "f"),
                            ("is_signed", numpy_dtype.kind in "fic"), ("abbr", abbr),
                            ("_name", name), ("_hash", hash(numpy_dtype))):
            object.__setattr__(self, attr, value)
        return self

    def __setattr__(self, name: str, value) -> None:
        raise AttributeError(f"attribute '{name}' of 'torch.dtype' objects is not writable")

    @property
    def dtype(self) -> np.dtype:
        """The NumPy dtype (what ``np.dtype(self)`` reads)."""
        return self.numpy_dtype

    @property
    def is_complex(self) -> bool:
        return self.kind == "c"

    def to_real(self) -> dtype:
        """The dtype of the parts (``complex64.to_real()`` is float32); a real dtype is its own
        real counterpart, as in PyTorch."""
        return BY_NUMPY[np.dtype(np.float32 if self.itemsize == 8 else np.float64)] \
            if self.kind == "c" else self

    def to_complex(self) -> dtype:
        """The complex dtype of this floating dtype (float64 -> complex128), as PyTorch's."""
        if self.kind == "c":
            return self
        if self.kind != "f":
            raise RuntimeError(f"to_complex is not supported for {self}")
        return BY_NUMPY[np.dtype(np.complex128 if self.itemsize == 8 else np.complex64)]

    def __repr__(self) -> str:
        return f"torch.{self._name}"

    __str__ = __repr__

    def __eq__(self, other) -> bool:
        if other is self:
            return True
        if isinstance(other, np.dtype):
            return self.numpy_dtype == other
        if isinstance(other, type) and issubclass(other, np.generic):  # np.float32
            return self.numpy_dtype.type is other
        return NotImplemented  # anything else (a string, float, a tensor) is not equal

    def __ne__(self, other) -> bool:
        if other is self:
            return False
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    def __hash__(self) -> int:
        return self._hash

    def __reduce__(self) -> str:
        # pickled by name: the module attribute (``eager.types.dtypes.float32``), one object
        # per dtype
        return self._name

    def __copy__(self) -> dtype:
        return self

    def __deepcopy__(self, memo: dict) -> dtype:
        return self


bool = dtype._make(np.dtype(np.bool_), "bool", "b8")  # noqa: A001
uint8 = dtype._make(np.dtype(np.uint8), "uint8", "u8")
int8 = dtype._make(np.dtype(np.int8), "int8", "i8")
int16 = dtype._make(np.dtype(np.int16), "int16", "i16")
int32 = dtype._make(np.dtype(np.int32), "int32", "i32")
int64 = dtype._make(np.dtype(np.int64), "int64", "i64")
float16 = dtype._make(np.dtype(np.float16), "float16", "f16")
float32 = dtype._make(np.dtype(np.float32), "float32", "f32")
float64 = dtype._make(np.dtype(np.float64), "float64", "f64")
complex64 = dtype._make(np.dtype(np.complex64), "complex64", "c64")
complex128 = dtype._make(np.dtype(np.complex128), "complex128", "c128")



class _UnavailableDtype(dtype):
    """A PyTorch dtype NumPy cannot compute in (``bfloat16``). It exists, so that programs that
    name it in a table of options import and run, and prints as PyTorch's; making or casting a
    tensor to it raises a TypeError saying so."""

    __slots__ = ()

    @classmethod
    def _make_unavailable(cls, name: str, abbr: str, itemsize: int) -> dtype:
        self = object.__new__(cls)
        for attr, value in (("numpy_dtype", None), ("kind", "f"), ("itemsize", itemsize),
                            ("is_floating_point", True), ("is_signed", True), ("abbr", abbr),
                            ("_name", name), ("_hash", hash(("unavailable", name)))):
            object.__setattr__(self, attr, value)
        return self

    @property
    def dtype(self) -> np.dtype:
        raise TypeError(f"{self}: eager computes with NumPy, which has no {self._name} type; "
                        "use torch.float32 or torch.float16")


bfloat16 = _UnavailableDtype._make_unavailable("bfloat16", "bf16", 2)
ALL = (bool, uint8, int8, int16, int32, int64, float16, float32, float64, complex64, complex128)
# NumPy dtype -> its `dtype`: what ``tensor.dtype`` looks up (a dict read, no call).
BY_NUMPY: dict[np.dtype, dtype] = {d.numpy_dtype: d for d in ALL}


def _checked_dtype(spec, who: str) -> dtype:
    if isinstance(spec, np.dtype) and spec in BY_NUMPY:
        # A value traced into a static graph reports its dtype as NumPy's (static cannot
        # import eager): ``torch.finfo(x.dtype)`` in a compiled forward takes it as the
        # dtype it stands for.
        return BY_NUMPY[spec]
    if type(spec) is not dtype:
        raise TypeError(f"{who}(): argument 'type' (position 1) must be torch.dtype, "
                        f"not {type(spec).__name__}")
    return spec


class _Limits:
    """What `finfo` and `iinfo` share: ``bits``, ``min``, ``max`` (as ``number``) and the
    dtype's name."""

    bits: int
    min: float
    max: float
    dtype: str

    def _limits(self, spec: dtype, info: Any, number: type) -> Any:
        self.bits = int(info.bits)
        self.max = number(info.max)
        self.min = number(info.min)
        self.dtype = spec._name
        return info


class finfo(_Limits):  # noqa: N801  (PyTorch's name)
    """Machine limits of a floating dtype, as ``torch.finfo`` (Python floats).

        >>> finfo(float16)
        finfo(resolution=0.001, min=-65504, max=65504, eps=0.000976562, \
smallest_normal=6.10352e-05, tiny=6.10352e-05, dtype=float16)
    """

    def __init__(self, type: dtype | None = None) -> None:  # noqa: A002  (PyTorch's name)
        spec = float32 if type is None else _checked_dtype(type, "finfo")
        if not spec.is_floating_point:
            raise TypeError("torch.finfo() requires a floating point input type. Use "
                            "torch.iinfo to handle 'torch.finfo'")
        info = self._limits(spec, np.finfo(spec.numpy_dtype), float)
        self.eps = float(info.eps)
        self.tiny = self.smallest_normal = float(info.smallest_normal)
        # 10 ** -digits exactly (NumPy's float32 resolution is 9.99999997e-07)
        self.resolution = 10.0 ** -int(info.precision)

    def __repr__(self) -> str:
        return (f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, "
                f"eps={self.eps:g}, smallest_normal={self.smallest_normal:g}, "
                f"tiny={self.tiny:g}, dtype={self.dtype})")


class iinfo(_Limits):  # noqa: N801  (PyTorch's name)
    """Limits of an integer dtype, as ``torch.iinfo`` (Python ints).

        >>> iinfo(uint8)
        iinfo(min=0, max=255, dtype=uint8)
    """

    def __init__(self, type: dtype) -> None:  # noqa: A002  (PyTorch's name)
        spec = _checked_dtype(type, "iinfo")
        if spec is bool:
            raise TypeError("torch.bool is not supported by torch.iinfo")
        if spec.kind not in "iu":
            raise TypeError("torch.iinfo() requires an integer input type. Use torch.finfo "
                            "to handle 'torch.iinfo'")
        self._limits(spec, np.iinfo(spec.numpy_dtype), int)

    def __repr__(self) -> str:
        return f"iinfo(min={self.min:g}, max={self.max:g}, dtype={self.dtype})"
