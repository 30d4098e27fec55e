"""Dtype rules, written down once and used by every mode.

The rules follow PyTorch, not NumPy, where the two differ:

* Python ``float`` scalars and lists default to **float32** (NumPy would say float64), or to
  the floating dtype `set_default_float` chose (PyTorch's ``set_default_dtype``); Python
  ``int`` defaults to int64, ``bool`` to bool.
* Promotion orders dtypes by *category* first (bool < integer < floating), then by size:
  ``int64 op float32 -> float32`` (NumPy says float64), ``float32 op float64 -> float64``,
  ``int32 op int64 -> int64``, ``bool op int32 -> int32``.
* A zero-dim tensor is weaker than tensors with dims: it counts only when of a higher category
  (``float16_tensor + float64_0d -> float16``, ``int32_tensor + float64_0d -> float64``).
* A Python scalar is *weak*: it never widens an array of its own category or higher
  (``float32_array * 2.5 -> float32``, ``int32_array + 1 -> int32``); when its category is
  higher than the array's, the result takes the category's default
  (``int64_array * 2.5 -> float32``).
* Supported dtypes: bool, uint8, int8, int16, int32, int64, float16, float32, float64, and
  the complex ``complex64``/``complex128``, which rank above floating
  (``float64 op complex64 -> complex128``) and which only the ops that opt in compute with
  (`shared_ops.complex_support`). Object and string arrays are rejected with a ``DTypeError``.

    >>> result_dtype(np.dtype("int64"), np.dtype("float32"))
    dtype('float32')
    >>> short_name(np.dtype("float32"))
    'f32'
"""

from __future__ import annotations

import numpy as np

from .errors import DTypeError

bool_ = np.dtype(np.bool_)
uint8 = np.dtype(np.uint8)
int8 = np.dtype(np.int8)
int16 = np.dtype(np.int16)
int32 = np.dtype(np.int32)
int64 = np.dtype(np.int64)
float16 = np.dtype(np.float16)
float32 = np.dtype(np.float32)
float64 = np.dtype(np.float64)

complex64 = np.dtype(np.complex64)
complex128 = np.dtype(np.complex128)

SUPPORTED = (bool_, uint8, int8, int16, int32, int64, float16, float32, float64)
# The same dtypes as a set: membership tests on the dispatcher's hot path. Complex dtypes are
# not in it: a complex value always takes the dispatcher's general path, where
# `shared_ops.complex_support` admits it only into the ops that compute with it.
SUPPORTED_SET = frozenset(SUPPORTED)
COMPLEX = (complex64, complex128)
STORABLE_SET = frozenset(SUPPORTED + COMPLEX)

# The default floating dtype is global state (PyTorch's ``set_default_dtype``): read it as
# ``dt.DEFAULT_FLOAT`` or `default_float()` at call time, never copy it at import, and change it
# only through `set_default_float`.
DEFAULT_FLOAT = float32
DEFAULT_INT = int64

_SHORT = {bool_: "bool", uint8: "u8", int8: "i8", int16: "i16", int32: "i32", int64: "i64",
          float16: "f16", float32: "f32", float64: "f64", complex64: "c64", complex128: "c128"}
_FROM_SHORT = {v: k for k, v in _SHORT.items()}

# Category ranks: bool < integer < floating < complex.
_BOOL, _INT, _FLOAT, _COMPLEX = 0, 1, 2, 3
_CATEGORY = {"b": _BOOL, "u": _INT, "i": _INT, "f": _FLOAT, "c": _COMPLEX}
_CATEGORY_DEFAULT = {_BOOL: bool_, _INT: int64, _FLOAT: float32, _COMPLEX: complex64}
# The complex dtype whose parts are of a floating dtype (PyTorch's ``toComplexType``).
_COMPLEX_OF = {float16: complex64, float32: complex64, float64: complex128}


def default_float() -> np.dtype:
    """The dtype Python floats, float lists and floating factories make now (float32 unless
    `set_default_float` changed it)."""
    return DEFAULT_FLOAT


def set_default_float(dtype: np.dtype) -> None:
    """Make ``dtype`` (float16, float32 or float64) the default floating dtype of every mode:
    Python float scalars and lists, floating factories, integers promoted by float-only math
    and by a float Python scalar all take it from now on (PyTorch's ``set_default_dtype``).

        >>> set_default_float(float64); scalar_dtype(1.5)
        dtype('float64')
        >>> set_default_float(float32)
    """
    global DEFAULT_FLOAT
    dtype = np.dtype(dtype)
    if dtype.kind != "f" or dtype not in SUPPORTED_SET:
        raise DTypeError("set_default_dtype", f"the default dtype must be a supported floating "
                         f"dtype (float16, float32, float64), got {dtype}", dtypes=(dtype,))
    DEFAULT_FLOAT = dtype
    _CATEGORY_DEFAULT[_FLOAT] = dtype
    _CATEGORY_DEFAULT[_COMPLEX] = _COMPLEX_OF[dtype]


def category(dtype: np.dtype) -> int:
    """0 for bool, 1 for integers, 2 for floating point, 3 for complex."""
    return _CATEGORY[dtype.kind]


def is_floating(dtype: np.dtype) -> bool:
    return dtype.kind == "f"


def short_name(dtype: np.dtype) -> str:
    """``f32``, ``i64``, ``bool``: the compact name used in graph listings."""
    return _SHORT.get(dtype, str(dtype))


def as_dtype(spec, *, op: str = "dtype") -> np.dtype:
    """Turn ``"float32"``, ``"f32"``, ``np.float32``, ``float``... into a supported dtype."""
    if isinstance(spec, str) and spec in _FROM_SHORT:
        return _FROM_SHORT[spec]
    if spec is float:
        return DEFAULT_FLOAT
    if spec is int:
        return DEFAULT_INT
    try:
        dtype = np.dtype(spec)
    except TypeError as e:
        raise DTypeError(op, f"{spec!r} is not a dtype ({e})") from None
    check_supported(dtype, op=op)
    return dtype


def check_supported(dtype: np.dtype, *, op: str) -> None:
    """Raise a ``DTypeError`` naming ``dtype`` unless the framework stores it (complex dtypes
    included: which ops compute with them is `shared_ops.complex_support`'s to say)."""
    if dtype not in STORABLE_SET:
        names = ", ".join(str(d) for d in SUPPORTED + COMPLEX)
        raise DTypeError(op, f"unsupported dtype {dtype} (supported: {names})", dtypes=(dtype,))


def result_dtype(*dtypes: np.dtype) -> np.dtype:
    """Promote array dtypes the PyTorch way: highest category wins, then the widest."""
    best = dtypes[0]
    for d in dtypes[1:]:
        if d is best or d == best:
            continue
        cb, cd = _CATEGORY[best.kind], _CATEGORY[d.kind]
        if cb == _COMPLEX or cd == _COMPLEX:  # the complex type wide enough for both
            best = complex_of(best, d)
        elif cd > cb or (cd == cb and d.itemsize > best.itemsize):
            best = d
        elif cd == cb and d.itemsize == best.itemsize and d != best:
            best = np.promote_types(best, d)  # int8 vs uint8 -> int16, as NumPy and torch
    return best


def real_part(dtype: np.dtype) -> np.dtype:
    """The dtype of a complex dtype's parts (float32 for complex64); others are their own."""
    return float64 if dtype == complex128 else float32 if dtype == complex64 else dtype


def complex_of(dtype: np.dtype, other: np.dtype | None = None) -> np.dtype:
    """The complex dtype holding ``dtype`` (and ``other``) without loss: ``complex_of(float64)``
    is complex128, ``complex_of(complex64, float64)`` too; integers take the default's."""
    parts = [real_part(d) for d in (dtype, other) if d is not None]
    if any(p == float64 for p in parts):
        return complex128
    if all(p.kind in "biu" for p in parts):
        return _CATEGORY_DEFAULT[_COMPLEX]
    return complex64


def combine_tiers(higher: np.dtype | None, lower: np.dtype | None) -> np.dtype | None:
    """PyTorch's rule between two tiers of operands (tensors with dims over zero-dim tensors,
    those over Python numbers): the higher tier's dtype stands unless the lower tier's is of a
    higher category (a bool higher tier always promotes). None: the tier is empty.

        >>> combine_tiers(float16, float64), combine_tiers(int32, float64)
        (dtype('float16'), dtype('float64'))
    """
    if higher is None:
        return lower
    if lower is None or _CATEGORY[higher.kind] >= _CATEGORY[lower.kind] and higher.kind in "fc":
        return higher
    if lower.kind == "c":  # complex over real: complex at the higher tier's precision
        return complex_of(higher if higher.kind == "f" else lower)
    if higher.kind == "b" or lower.kind == "f":
        return result_dtype(higher, lower)
    return higher


def tensor_result_dtype(dtypes: list, zero_dim: list[bool]) -> np.dtype:
    """The common dtype of tensor operands the PyTorch way: zero-dim tensors (``zero_dim``)
    count only where they are of a higher category than those with dims
    (``float16 tensor + float64 0-d tensor -> float16``, ``int32 + float64 0-d -> float64``)."""
    dims = [np.dtype(d) for d, z in zip(dtypes, zero_dim, strict=True) if not z]
    zeros = [np.dtype(d) for d, z in zip(dtypes, zero_dim, strict=True) if z]
    return combine_tiers(result_dtype(*dims) if dims else None,
                         result_dtype(*zeros) if zeros else None)


def scalar_dtype(value) -> np.dtype:
    """The default dtype of a Python scalar: bool, int64 or the default float (float32)."""
    if isinstance(value, bool | np.bool_):
        return bool_
    if isinstance(value, int | np.integer):
        return DEFAULT_INT
    if isinstance(value, float | np.floating):
        return DEFAULT_FLOAT
    if isinstance(value, complex | np.complexfloating):
        return _CATEGORY_DEFAULT[_COMPLEX]
    raise DTypeError("dtype", f"unsupported scalar {value!r} of type {type(value).__name__}")


def weak_scalar_dtype(value, array_dtype: np.dtype) -> np.dtype:
    """The dtype a Python scalar takes next to an array of ``array_dtype`` (weak typing)."""
    own = scalar_dtype(value)
    if _CATEGORY[own.kind] <= _CATEGORY[array_dtype.kind]:
        return array_dtype
    if own.kind == "c" and array_dtype.kind == "f":  # float64 tensor * 1j -> complex128
        return complex_of(array_dtype)
    return _CATEGORY_DEFAULT[_CATEGORY[own.kind]]


def infer_dtype(data) -> np.dtype:
    """The dtype ``tensor(data)`` gets: floats default to the default float (float32), ints to
    int64."""
    if isinstance(data, np.ndarray | np.generic):
        return data.dtype
    if isinstance(data, bool | int | float | complex):
        return scalar_dtype(data)
    arr = np.asarray(data)
    if arr.dtype.kind == "f":
        return DEFAULT_FLOAT
    if arr.dtype.kind == "c":
        return _CATEGORY_DEFAULT[_COMPLEX]
    if arr.dtype.kind in "iu":
        return DEFAULT_INT
    return arr.dtype
