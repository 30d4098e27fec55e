"""`TensorBase`: what every eager Tensor stores, and `wrap_array`, the way to make one.

`eager.Tensor` (eager/tensor.py) is this class plus its method mixins (`tensor_methods`,
`tensor_math`, `tensor_inplace`, `tensor_autograd`). The mixins and the backward walk sit
below eager/tensor.py, which inherits them, yet they make new tensors (``detach``, a
gradient wrapped for a hook...): they call `wrap_array` from here, and eager/tensor.py names
its class to it once, as it defines it (`set_tensor_class`). That is the one late-bound
link, as PyTorch's C core learns the Python ``torch.Tensor`` class when torch/_tensor.py
is imported. Code below eager/tensor.py tests ``isinstance(x, TensorBase)``.

    >>> import eager
    >>> t = wrap_array(np.zeros(2, np.float32))
    >>> type(t) is eager.Tensor, t.requires_grad
    (True, False)
"""

from __future__ import annotations

import numpy as np

from shared_ops import dtypes as dt
from shared_ops.dispatch import as_array

from .autograd.grad_mode import thread_state
from .autograd.versions import bump
from .printing import tensor_repr
from .types.dtypes import BY_NUMPY
from .types.size import Size

_new = object.__new__
_tuple_new = tuple.__new__  # a Size from a NumPy shape (ints already): no per-item checks
# eager.Tensor, named by eager/tensor.py as it defines the class (see the module docstring).
_tensor_class: type | None = None


class TensorBase:
    """The storage and autograd attributes of `eager.Tensor`.

    ``Tensor(array)`` wraps an ndarray without copying, keeping its dtype (a Tensor argument
    shares its storage); use `eager.tensor` to copy data in and `eager.from_numpy` to share an
    array explicitly. Otherwise as PyTorch's legacy constructor: ``Tensor(2, 3)`` a 2x3 float32
    tensor (zeros), ``Tensor([1, 2])`` float32 values.

    ``_data``: the ndarray. ``_version_counter``: a one-element list shared by every tensor
    viewing the same storage, bumped by each in-place write (`autograd.versions`). ``grad_fn``:
    the tape entry that made it (None for a leaf). ``_extra``: rarely set state (hooks, a view
    flag), None for nearly all tensors.
    """

    __slots__ = ("_data", "_version_counter", "_requires_grad", "grad_fn", "grad", "_extra",
                 "__weakref__")

    def __init__(self, *args, requires_grad: bool = False):
        data = args[0] if len(args) == 1 else None
        if isinstance(data, TensorBase):
            self._data = data._data
            self._version_counter = data._version_counter  # same storage, same counter
        else:
            self._data = data if type(data) is np.ndarray else _legacy_data(args)
            self._version_counter = [0]
        self._requires_grad = False
        self.grad_fn = None
        self.grad = None
        self._extra = None
        if requires_grad:
            self.requires_grad = True

    # --- autograd attributes ------------------------------------------------------------------
    @property
    def requires_grad(self) -> bool:
        """Whether gradients flow to (a leaf) or through (a recorded result) this tensor."""
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value: bool) -> None:
        value = bool(value)
        if self.grad_fn is not None and not value:
            raise RuntimeError("you can only change requires_grad flags of leaf variables. If "
                               "you want to use a computed variable in a subgraph that doesn't "
                               "require differentiation use var_no_grad = var.detach().")
        if value and self._data.dtype.kind not in "fc":  # floating or complex, as torch
            raise RuntimeError("only Tensors of floating point dtype can require gradients "
                               f"(got {self._data.dtype})")
        self._requires_grad = value

    @property
    def is_leaf(self) -> bool:
        """True for tensors not produced by a recorded op (user-created, or no grad needed)."""
        return self.grad_fn is None

    @property
    def _version(self) -> int:
        """Bumped by every in-place change; a saved tensor whose version moved is stale."""
        return self._version_counter[0]

    def _bump_version(self) -> None:
        """Call after writing into ``_data`` in place (optimizers, ``add_``, ``__setitem__``)."""
        bump(self._version_counter)

    # --- array attributes ---------------------------------------------------------------------
    @property
    def shape(self) -> Size:
        """The shape, as a `Size` (PyTorch's ``torch.Size``: a tuple of ints)."""
        return _tuple_new(Size, self._data.shape)

    @property
    def dtype(self):
        """The element type, as PyTorch's (``torch.float32``; `eager.types.dtypes` explains how it
        stands for its NumPy dtype)."""
        try:
            return BY_NUMPY[self._data.dtype]
        except KeyError:  # a dtype the framework does not compute with (it refuses it later)
            return self._data.dtype

    @property
    def ndim(self) -> int:
        return self._data.ndim

    @property
    def data(self) -> TensorBase:
        """A detached Tensor sharing this one's storage (PyTorch's ``.data``). Unlike
        ``detach()`` it has its own version counter, as in PyTorch: writes through it are not
        seen by autograd (CS224n's ``e_t.data.masked_fill_(...)`` on a recorded tensor)."""
        return wrap_array(self._data)

    @data.setter
    def data(self, value) -> None:
        self._data = value._data if isinstance(value, TensorBase) else np.asarray(value)

    def __array__(self, dtype=None, copy=None):
        if dtype is not None and np.dtype(dtype) != self._data.dtype:
            return self._data.astype(dtype)
        return self._data

    def __repr__(self) -> str:
        return tensor_repr(self)

    # copy.deepcopy and pickle: leaves only, data copied, as in PyTorch.
    def __deepcopy__(self, memo: dict) -> TensorBase:
        if self.grad_fn is not None:
            raise RuntimeError("Only Tensors created explicitly by the user (graph leaves) "
                               "support the deepcopy protocol at the moment.")
        new = _new(type(self))
        new._data = self._data.copy()
        new._version_counter = [0]
        new._requires_grad = self._requires_grad
        new.grad_fn = None
        new.grad = None if self.grad is None else self.grad.__deepcopy__(memo)
        new._extra = None
        memo[id(self)] = new
        return new

    def __reduce_ex__(self, protocol):
        if self.grad_fn is not None:
            raise RuntimeError("cannot pickle a non-leaf tensor: detach() it first")
        return (rebuild_tensor, (type(self), self._data, self._requires_grad))


def _legacy_data(args: tuple) -> np.ndarray:
    """``torch.Tensor(...)``'s array: sizes (ints or a Size) or nothing give zeros (torch's
    are uninitialised), a list or tuple of data float32 values (the default dtype)."""
    if all(type(a) is int for a in args) or len(args) == 1 and isinstance(args[0], Size):
        sizes = args[0] if args and isinstance(args[0], Size) else args or (0,)
        return np.zeros(sizes, dt.DEFAULT_FLOAT)
    if len(args) == 1 and isinstance(args[0], list | tuple):
        return as_array(args[0], dtype=dt.DEFAULT_FLOAT)
    if len(args) == 1 and args[0] is None:  # Parameter(None)
        return np.zeros(0, dt.DEFAULT_FLOAT)
    if len(args) == 1 and isinstance(args[0], np.generic):  # a NumPy scalar, as an ndarray
        return np.asarray(args[0])
    if len(args) == 1:  # torch's words
        if isinstance(args[0], str):
            raise TypeError("new(): invalid data type 'str'")
        raise TypeError(f"new(): data must be a sequence (got {type(args[0]).__name__})")
    raise TypeError(f"new(): expected sizes (ints), a sequence of data, a tensor or an ndarray, "
                    f"got {tuple(type(a).__name__ for a in args)}")


def rebuild_tensor(cls: type, data: np.ndarray, requires_grad: bool) -> TensorBase:
    """Unpickle a tensor of class ``cls`` (a Tensor, a Parameter) over ``data``."""
    t = _new(cls)
    t._data, t._version_counter, t._requires_grad, t.grad_fn, t.grad, t._extra = \
        data, [0], requires_grad, None, None, None
    return t


def wrap_array(array: np.ndarray, version_counter: list | None = None) -> TensorBase:
    """A leaf `eager.Tensor` over ``array`` (no copy, no checks); ``version_counter``: share
    another tensor's counter (a view of its storage)."""
    t = _new(_tensor_class)
    t._data = array
    t._version_counter = [0] if version_counter is None else version_counter
    t._requires_grad = False
    t.grad_fn = None
    t.grad = None
    # Made inside inference_mode: an inference tensor (Tensor.is_inference).
    t._extra = {"inference": True} if thread_state.inference else None
    return t


def set_tensor_class(cls: type) -> None:
    """Make `wrap_array` build instances of ``cls`` (eager/tensor.py passes `eager.Tensor`)."""
    global _tensor_class
    _tensor_class = cls


def check_dtype(dtype) -> np.dtype:
    """A dtype argument (``eager.float64``, ``np.float32``, ``"float32"``, ``float``) checked."""
    return dt.as_dtype(dtype, op="tensor")
