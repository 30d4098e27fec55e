"""Creating tensors: from data (``tensor``, ``from_numpy``, ``as_tensor``), filled
(``zeros``, ``ones``, ``full``, ``empty`` and their ``_like`` forms, ``eye``), ranges
(``arange``, ``linspace``) and random (``rand``, ``randn``, ``randint``) from one global
generator seeded with ``manual_seed``.

Defaults follow PyTorch: Python floats make float32, ints make int64. The tensors are made by
`tensor_base.wrap_array` (this module sits below eager/tensor.py, whose ``new_zeros``... call
it), so results are annotated with `TensorBase`: every one is an `eager.Tensor`.

    >>> import eager
    >>> eager.zeros(2, 3).shape
    (2, 3)
    >>> eager.arange(3)
    tensor([0, 1, 2])
"""

from __future__ import annotations

import numpy as np

from shared_ops import dtypes as dt
from shared_ops import limits
from shared_ops.device import check_device
from shared_ops.dispatch import as_array
from shared_ops.errors import user_location

from .tensor_base import TensorBase, check_dtype, wrap_array


class Generator:
    """A seeded source of random numbers (PyTorch's ``torch.Generator``), over NumPy's PCG64.

    ``rng`` is the NumPy ``Generator`` to draw from.
    """

    def __init__(self, seed: int = 0) -> None:
        self.manual_seed(seed)

    def manual_seed(self, seed: int) -> Generator:
        self._seed = int(seed)
        self.rng = np.random.default_rng(self._seed)
        return self

    def initial_seed(self) -> int:
        return self._seed

    def seed(self) -> int:
        """Reseed from fresh entropy and return the new seed."""
        return self.manual_seed(int(np.random.SeedSequence().entropy % (2**63))).initial_seed()


default_generator = Generator(0)


def manual_seed(seed: int) -> Generator:
    """Seed the global generator (every random function and ``nn.init`` draw from it)."""
    return default_generator.manual_seed(seed)


def initial_seed() -> int:
    return default_generator.initial_seed()


def numpy_rng(generator: Generator | None = None) -> np.random.Generator:
    """The NumPy generator to draw from: ``generator``'s, else the global generator's."""
    return (generator or default_generator).rng


def _finish(array: np.ndarray, requires_grad: bool) -> TensorBase:
    t = wrap_array(array)
    if requires_grad:
        t.requires_grad = True
    return t


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
    elif isinstance(data, list | tuple) and any(isinstance(d, TensorBase) for d in data):
        data = [np.asarray(d._data) if isinstance(d, TensorBase) else d for d in data]
    if dtype is None:
        array = np.array(as_array(data), copy=True)
    else:
        array = np.array(data, dtype=check_dtype(dtype), copy=True)
    return _finish(array, requires_grad)


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
def zeros(*size, dtype=None, requires_grad: bool = False, device=None) -> TensorBase:
    check_device(device, creating=True)
    dtype = _dtype_or(dtype, dt.float32)
    return _finish(np.zeros(_checked("zeros", _size(size), dtype), dtype), requires_grad)


def ones(*size, dtype=None, requires_grad: bool = False, device=None) -> TensorBase:
    check_device(device, creating=True)
    dtype = _dtype_or(dtype, dt.float32)
    return _finish(np.ones(_checked("ones", _size(size), dtype), dtype), requires_grad)


def empty(*size, dtype=None, requires_grad: bool = False, device=None) -> TensorBase:
    """Uninitialized in PyTorch; zeros here (deterministic costs nothing that matters)."""
    check_device(device, creating=True)
    return zeros(*size, dtype=dtype, requires_grad=requires_grad)


def full(size, fill_value, dtype=None, requires_grad: bool = False, device=None) -> TensorBase:
    check_device(device, creating=True)
    dtype = _dtype_or(dtype, dt.scalar_dtype(fill_value))
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
    dtype = _dtype_or(dtype, dt.float32)
    _checked("eye", (int(n), int(n if m is None else m)), dtype)
    return _finish(np.eye(n, m, dtype=dtype), requires_grad)


# --- ranges ----------------------------------------------------------------------------------
def arange(start, end=None, step=1, dtype=None, requires_grad: bool = False,
           device=None) -> TensorBase:
    """``arange(5)``, ``arange(1, 4)``, ``arange(0, 1, 0.25)``; int64 unless a bound is a
    float (then float32), as in PyTorch."""
    check_device(device, creating=True)
    if end is None:
        start, end = 0, start
    floats = any(isinstance(v, float) for v in (start, end, step))
    default = dt.float32 if floats else dt.int64
    return _finish(np.arange(start, end, step).astype(_dtype_or(dtype, default)),
                   requires_grad)


def linspace(start, end, steps: int, dtype=None, requires_grad: bool = False,
             device=None) -> TensorBase:
    check_device(device, creating=True)
    return _finish(np.linspace(start, end, steps).astype(_dtype_or(dtype, dt.float32)),
                   requires_grad)


# --- random ----------------------------------------------------------------------------------
def rand(*size, generator=None, dtype=None, requires_grad: bool = False, device=None) -> TensorBase:
    """Uniform on [0, 1)."""
    check_device(device, creating=True)
    dtype = _dtype_or(dtype, dt.float32)
    shape = _checked("rand", _size(size), dtype)
    return _finish(numpy_rng(generator).random(shape).astype(dtype), requires_grad)


def randn(*size, generator=None, dtype=None, requires_grad: bool = False,
          device=None) -> TensorBase:
    """Standard normal."""
    check_device(device, creating=True)
    dtype = _dtype_or(dtype, dt.float32)
    shape = _checked("randn", _size(size), dtype)
    return _finish(numpy_rng(generator).standard_normal(shape).astype(dtype), requires_grad)


def randint(low, high=None, size=(), generator=None, dtype=None, device=None) -> TensorBase:
    """Integers in [low, high); ``randint(high, size)`` as in PyTorch."""
    check_device(device, creating=True)
    if high is None:
        low, high = 0, low
    elif isinstance(high, tuple | list) and size == ():
        low, high, size = 0, low, high
    dtype = _dtype_or(dtype, dt.int64)
    shape = _checked("randint", _size((size,)), dtype)
    return wrap_array(numpy_rng(generator).integers(low, high, shape).astype(dtype))


def randperm(n: int, generator=None, dtype=None, device=None) -> TensorBase:
    check_device(device, creating=True)
    dtype = _dtype_or(dtype, dt.int64)
    _checked("randperm", (int(n),), dtype)
    return wrap_array(numpy_rng(generator).permutation(n).astype(dtype))


def rand_like(input, dtype=None, device=None) -> TensorBase:  # noqa: A002
    check_device(device, creating=True)
    return rand(tuple(input.shape), dtype=dtype or input.dtype)


def randn_like(input, dtype=None, device=None) -> TensorBase:  # noqa: A002
    check_device(device, creating=True)
    return randn(tuple(input.shape), dtype=dtype or input.dtype)
