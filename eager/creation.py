"""Creating tensors: from data (``tensor``, ``from_numpy``, ``as_tensor``), filled
(``zeros``, ``ones``, ``full``, ``empty`` and their ``_like`` forms, ``eye``), ranges
(``arange``, ``linspace``); the random ones (``rand``, ``randn``, ``randint``, ``randperm``,
``Generator``, ``manual_seed``) live in `eager.random` and are re-exported here.

Defaults follow PyTorch: Python floats make the default float (float32 unless
`eager.set_default_dtype` changed it), ints make int64. The tensors are made by
`tensor_base.wrap_array` (this module sits below eager/tensor.py, whose ``new_zeros``... call
it), so results are annotated with `TensorBase`: every one is an `eager.Tensor`.

    >>> import eager
    >>> eager.zeros(2, 3).shape
    (2, 3)
    >>> eager.arange(3)
    tensor([0, 1, 2])
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

from shared_ops import dtypes as dt
from shared_ops import limits
from shared_ops.device import check_device
from shared_ops.dispatch import as_array
from shared_ops.errors import user_location
from shared_ops.int_scalars import checked_scalar
from shared_ops.ops.runtime_shape import arange_dims
from shared_ops.tensor_api_core import is_dynamic, size_template

from .random.factories import rand, rand_like, randint, randn, randn_like, randperm
from .random.generator import Generator, default_generator
from .random.state import initial_seed, manual_seed
from .tensor_base import TensorBase, check_dtype, wrap_array

F = TypeVar("F", bound=Callable[..., Any])


def numpy_rng(generator: Generator | None = None) -> np.random.Generator:
    """A NumPy generator over ``generator``'s stream (else the global one's), for NumPy-only
    code; eager's own random functions draw PyTorch's numbers through `eager.random`."""
    return (generator or default_generator).rng


def _finish(array: np.ndarray, requires_grad: bool) -> TensorBase:
    t = wrap_array(array)
    if requires_grad:
        t.requires_grad = True
    return t


def size_keyword(factory: F) -> F:
    """``factory(*size, ...)`` also called as torch allows, ``factory(size=(2, 3), ...)``."""
    @functools.wraps(factory)
    def call(*size, **kwargs):
        if "size" in kwargs:
            if size:
                raise TypeError(f"{factory.__name__}() got multiple values for argument 'size'")
            size = (kwargs.pop("size"),)
        return factory(*size, **kwargs)
    return call  # type: ignore[return-value]


# eager.random owns the random factories; their ``size=`` spelling is added where they are
# re-exported, so eager.rand(size=(2, 3)) works as torch.rand does.
rand = size_keyword(rand)
randn = size_keyword(randn)


def _size(size: tuple) -> tuple[int, ...]:
    if len(size) == 1 and isinstance(size[0], list | tuple):
        size = tuple(size[0])
    return tuple(int(d) for d in size)


def _dtype_or(dtype, default: np.dtype) -> np.dtype:
    return default if dtype is None else check_dtype(dtype)


def _checked(op: str, shape: tuple[int, ...], dtype: np.dtype) -> tuple[int, ...]:
    """``shape`` after `limits.check_shape`: refuse an absurd size before NumPy allocates
    it (a raw MemoryError, or a lazily committed buffer that swaps later)."""
    try:
        limits.check_shape(op, shape, dtype)
    except limits.SizeLimitError as e:  # locate only on failure: the frame walk costs
        raise e.with_location(user_location()) from None
    return shape


# --- from data -------------------------------------------------------------------------------
def tensor(data, dtype=None, device=None, requires_grad: bool = False) -> TensorBase:
    """A new tensor with a copy of ``data`` (nested lists, scalars, ndarrays, tensors)."""
    check_device(device, creating=True)
    if isinstance(data, TensorBase):
        data = data._data
    elif isinstance(data, list | tuple) and _holds_tensors(data):
        found: list[np.dtype] = []
        data = _tensors_as_scalars(data, found)
        if dtype is None:
            dtype = dt.result_dtype(*found)
    if dtype is None:
        array = np.array(as_array(data), copy=True)
    else:
        array = np.array(data, dtype=check_dtype(dtype), copy=True)
    return _finish(array, requires_grad)


def _holds_tensors(data: list | tuple) -> bool:
    """Whether a nested list has tensors among its items: each level's items, following the
    first item down (nested data is rectangular, so one path finds where tensors sit)."""
    while isinstance(data, list | tuple) and data:
        if any(isinstance(d, TensorBase) for d in data):
            return True
        data = data[0]
    return False


def _tensors_as_scalars(data: Any, found: list) -> Any:
    """``data`` with every tensor in it read as the one number it must hold, as torch.tensor
    reads a list of tensors (so a list of shape-(1,) tensors gives shape (n,), not (n, 1));
    ``found`` collects each item's dtype: a tensor's own, a Python number's default."""
    if isinstance(data, list | tuple):
        return [_tensors_as_scalars(d, found) for d in data]
    if isinstance(data, TensorBase):
        if data._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        found.append(data._data.dtype)
        return data._data.reshape(()).item()
    found.append(data.dtype if isinstance(data, np.generic) else dt.scalar_dtype(data))
    return data


def from_numpy(array: np.ndarray) -> TensorBase:
    """A tensor sharing ``array``'s memory (changes show both ways)."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(array).__name__})")
    dt.check_supported(array.dtype, op="from_numpy")
    return wrap_array(array)


def as_tensor(data, dtype=None, device=None) -> TensorBase:
    """``data`` as a tensor, sharing memory when it already is an array of that dtype."""
    check_device(device, creating=True)
    if isinstance(data, TensorBase):
        return data if dtype is None else data.to(dtype)
    if isinstance(data, np.ndarray) and (dtype is None or check_dtype(dtype) == data.dtype):
        return from_numpy(data)
    return tensor(data, dtype=dtype)


# --- filled ----------------------------------------------------------------------------------
@size_keyword
def zeros(*size, dtype=None, requires_grad: bool = False, device=None) -> TensorBase:
    check_device(device, creating=True)
    dtype = _dtype_or(dtype, dt.DEFAULT_FLOAT)
    return _finish(np.zeros(_checked("zeros", _size(size), dtype), dtype), requires_grad)


@size_keyword
def ones(*size, dtype=None, requires_grad: bool = False, device=None) -> TensorBase:
    check_device(device, creating=True)
    dtype = _dtype_or(dtype, dt.DEFAULT_FLOAT)
    return _finish(np.ones(_checked("ones", _size(size), dtype), dtype), requires_grad)


@size_keyword
def empty(*size, dtype=None, requires_grad: bool = False, device=None) -> TensorBase:
    """Uninitialized in PyTorch; zeros here (deterministic costs nothing that matters)."""
    check_device(device, creating=True)
    return zeros(*size, dtype=dtype, requires_grad=requires_grad)


def full(size, fill_value, dtype=None, requires_grad: bool = False, device=None) -> TensorBase:
    check_device(device, creating=True)
    if isinstance(fill_value, TensorBase):  # torch takes a 0-d tensor as its Python number
        if fill_value.ndim != 0 or fill_value.requires_grad:
            raise TypeError("full(): argument 'fill_value' (position 2) must be Number, "
                            "not Tensor")
        fill_value = fill_value.item()
    dtype = _dtype_or(dtype, dt.scalar_dtype(fill_value))
    if type(fill_value) is int and dtype.kind in "iu":  # torch's overflow error, not NumPy's
        fill_value = checked_scalar(fill_value, dtype)
    return _finish(np.full(_checked("full", _size((size,)), dtype), fill_value, dtype),
                   requires_grad)


def zeros_like(input, dtype=None, requires_grad: bool = False,
               device=None) -> TensorBase:  # noqa: A002
    check_device(device, creating=True)
    return zeros(tuple(input.shape), dtype=dtype or input.dtype, requires_grad=requires_grad)


def ones_like(input, dtype=None, requires_grad: bool = False,
              device=None) -> TensorBase:  # noqa: A002
    check_device(device, creating=True)
    return ones(tuple(input.shape), dtype=dtype or input.dtype, requires_grad=requires_grad)


def empty_like(input, dtype=None, requires_grad: bool = False,
               device=None) -> TensorBase:  # noqa: A002
    check_device(device, creating=True)
    return zeros_like(input, dtype=dtype, requires_grad=requires_grad)


def full_like(input, fill_value, dtype=None, requires_grad: bool = False,
              device=None) -> TensorBase:  # noqa: A002
    check_device(device, creating=True)
    return full(tuple(input.shape), fill_value, dtype=dtype or input.dtype,
                requires_grad=requires_grad)


def eye(n: int, m: int | None = None, dtype=None, requires_grad: bool = False,
        device=None) -> TensorBase:
    check_device(device, creating=True)
    dtype = _dtype_or(dtype, dt.DEFAULT_FLOAT)
    _checked("eye", (int(n), int(n if m is None else m)), dtype)
    return _finish(np.eye(n, m, dtype=dtype), requires_grad)


# --- ranges ----------------------------------------------------------------------------------
def arange(start, end=None, step=1, dtype=None, requires_grad: bool = False,
           device=None) -> TensorBase:
    """``arange(5)``, ``arange(1, 4)``, ``arange(0, 1, 0.25)``; int64 unless a bound is a
    float (then the default float, float32), as in PyTorch."""
    check_device(device, creating=True)
    if end is None:
        start, end = 0, start
    floats = any(isinstance(v, float) for v in (start, end, step))
    default = dt.DEFAULT_FLOAT if floats else dt.int64
    if any(map(is_dynamic, (start, end, step))):
        return _arange_of_sizes(start, end, step, _dtype_or(dtype, default))
    return _finish(np.arange(start, end, step).astype(_dtype_or(dtype, default)),
                   requires_grad)


def _arange_of_sizes(start, end, step, dtype: np.dtype):
    """``arange`` whose bounds are sizes known only when a traced graph runs (``arange(0, T)``
    in a forward traced with an unknown sequence length): the runtime-shape op
    `arange_dims`, whose size expressions read the dims of the values the sizes came from."""
    if any(isinstance(v, float) for v in (start, end, step)):
        raise TypeError("arange: with a bound known only when the graph runs (a graph value's "
                        f"size), start and step must be ints, got start={start!r}, "
                        f"step={step!r}")
    (start_e, end_e, step_e), sources = size_template(None, (start, end, step), "arange")
    return arange_dims(*sources, start=start_e, end=end_e, step=step_e, dtype=dtype.name)


def linspace(start, end, steps: int, dtype=None, requires_grad: bool = False,
             device=None) -> TensorBase:
    check_device(device, creating=True)
    return _finish(np.linspace(start, end, steps).astype(_dtype_or(dtype, dt.DEFAULT_FLOAT)),
                   requires_grad)


__all__ = ["Generator", "arange", "as_tensor", "default_generator", "empty", "empty_like", "eye",
           "from_numpy", "full", "full_like", "initial_seed", "linspace", "manual_seed",
           "numpy_rng", "ones", "ones_like", "rand", "rand_like", "randint", "randn",
           "randn_like", "randperm", "tensor", "zeros", "zeros_like"]
