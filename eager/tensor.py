"""The eager Tensor: an ndarray plus what autograd needs, and the mode that runs ops on it.

Every op on Tensors goes through ``shared_ops`` (``dispatch.call_op``), which hands it to `apply`
below: run the kernel on the arrays now, wrap the result, and record a tape entry (`Node`)
when gradients are wanted. `apply` is the eager hot path, so it is written lean: no keyword
dict churn, slots instead of instance dicts, one thread-local read per op for the grad mode, and
the user's source line looked up only in anomaly mode (it costs a stack walk).

    >>> import eager
    >>> x = eager.tensor([2.0], requires_grad=True)
    >>> y = x * x
    >>> y.backward()
    >>> x.grad
    tensor([4.])
"""

from __future__ import annotations

import os
from operator import attrgetter

import numpy as np

import shared_ops
from shared_ops import dtypes as dt
from shared_ops.dispatch import as_array, raise_kernel_error
from shared_ops.errors import user_location

from .autograd import anomaly
from .autograd.function import Node
from .autograd.grad_mode import _STATE
from .autograd.versions import bump
from .tensor_methods import TensorMethods

_new = object.__new__
_ndarray = np.ndarray
_ANOMALY = anomaly._ENABLED


class Tensor(TensorMethods):
    """An n-dimensional array that can record the ops applied to it for backward.

    ``Tensor(array)`` wraps an ndarray without copying (a Tensor argument shares its storage);
    use `eager.tensor` to copy data in and `eager.from_numpy` to share an array explicitly.
    """

    __slots__ = ("_data", "_vc", "_requires_grad", "grad_fn", "grad", "_extra", "__weakref__")

    # `ndarray + Tensor` must defer to Tensor.__radd__ rather than let NumPy loop over elements.
    __array_ufunc__ = None
    __hash__ = object.__hash__  # tensors are dict keys by identity (optimizer state, hooks)

    def __init__(self, data=None, requires_grad: bool = False):
        if isinstance(data, Tensor):
            self._data = data._data
            self._vc = data._vc  # same storage, same version counter
        else:
            self._data = data if type(data) is np.ndarray else as_array(
                [] if data is None else data)
            self._vc = [0]
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
        if value and self._data.dtype.kind != "f":
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
        return self._vc[0]

    def _bump_version(self) -> None:
        """Call after writing into ``_data`` in place (optimizers, ``add_``, ``__setitem__``)."""
        bump(self._vc)

    # --- array attributes ---------------------------------------------------------------------
    @property
    def shape(self) -> tuple:
        """The shape as a tuple (PyTorch's ``torch.Size`` is a tuple too)."""
        return self._data.shape

    @property
    def dtype(self) -> np.dtype:
        return self._data.dtype

    @property
    def ndim(self) -> int:
        return self._data.ndim

    @property
    def data(self) -> Tensor:
        """A detached Tensor sharing this one's storage (PyTorch's ``.data``)."""
        return _wrap(self._data, self._vc)

    @data.setter
    def data(self, value) -> None:
        self._data = value._data if isinstance(value, Tensor) else np.asarray(value)

    def __array__(self, dtype=None, copy=None):
        if dtype is not None and np.dtype(dtype) != self._data.dtype:
            return self._data.astype(dtype)
        return self._data

    def __repr__(self) -> str:
        from .printing import tensor_repr

        return tensor_repr(self)

    # copy.deepcopy and pickle: leaves only, data copied, as in PyTorch.
    def __deepcopy__(self, memo: dict) -> Tensor:
        if self.grad_fn is not None:
            raise RuntimeError("Only Tensors created explicitly by the user (graph leaves) "
                               "support the deepcopy protocol at the moment.")
        new = _new(type(self))
        new._data = self._data.copy()
        new._vc = [0]
        new._requires_grad = self._requires_grad
        new.grad_fn = None
        new.grad = None if self.grad is None else self.grad.__deepcopy__(memo)
        new._extra = None
        memo[id(self)] = new
        return new

    def __reduce_ex__(self, protocol):
        if self.grad_fn is not None:
            raise RuntimeError("cannot pickle a non-leaf tensor: detach() it first")
        return (_rebuild, (type(self), self._data, self._requires_grad))


def _rebuild(cls: type, data: np.ndarray, requires_grad: bool) -> Tensor:
    t = _new(cls)
    t._data, t._vc, t._requires_grad, t.grad_fn, t.grad, t._extra = \
        data, [0], requires_grad, None, None, None
    return t


def _wrap(array: np.ndarray, vc: list | None = None) -> Tensor:
    """A leaf Tensor over ``array`` (no copy); ``vc`` shares a version counter (views)."""
    t = _new(Tensor)
    t._data = array
    t._vc = [0] if vc is None else vc
    t._requires_grad = False
    t.grad_fn = None
    t.grad = None
    t._extra = None
    return t


def apply(op, args: tuple, attrs: dict):
    """The eager mode's handler: run ``op`` on the arrays now and record it when needed."""
    # This thread's grad mode, read once: a thread's first read also sets NumPy's IEEE error
    # state for it (grad_mode._ThreadState.__init__), where np.errstate per kernel costs ~2 us.
    grad_enabled = _STATE.grad_enabled
    # Unpacked by arity: one- and two-input ops are nearly all calls, and a comprehension
    # costs more than the op's own bookkeeping. ``needs``: which inputs want a gradient.
    n = len(args)
    if n == 2:
        x, y = args
        if isinstance(x, Tensor):
            xd, wx = x._data, x._requires_grad
        else:
            xd, wx = x, False
        if isinstance(y, Tensor):
            yd, wy = y._data, y._requires_grad
        else:
            yd, wy = y, False
        arrays, wants = (xd, yd), wx or wy
        needs = (wx, wy)
    elif n == 1:
        (x,) = args
        if isinstance(x, Tensor):
            arrays, wants = (x._data,), x._requires_grad
        else:
            arrays, wants = args, False
        needs = (wants,)
    elif n == 3:  # affine (every Linear layer), where
        x, y, z = args
        if isinstance(x, Tensor):
            xd, wx = x._data, x._requires_grad
        else:
            xd, wx = x, False
        if isinstance(y, Tensor):
            yd, wy = y._data, y._requires_grad
        else:
            yd, wy = y, False
        if isinstance(z, Tensor):
            zd, wz = z._data, z._requires_grad
        else:
            zd, wz = z, False
        arrays, wants = (xd, yd, zd), wx or wy or wz
        needs = (wx, wy, wz)
    else:
        arrays = tuple([a._data if isinstance(a, Tensor) else a for a in args])
        needs = tuple([isinstance(a, Tensor) and a._requires_grad for a in args])
        wants = True in needs
    try:  # run_kernel, written out: one Python call less on every op
        out = op.kernel(*arrays, **attrs)
    except Exception as e:  # becomes an error naming the op, the shapes and the user's line
        raise_kernel_error(op, arrays, attrs, e)
    if type(out) is not _ndarray:  # NumPy's scalars from 0-d ufuncs and full reductions
        out = np.asarray(out)
    t = _new(Tensor)
    t._data = out
    t.grad = None
    t._extra = None
    base = out.base
    if base is None and out is not arrays[0]:
        t._vc = vc = [0]
    else:  # a view (reshape, slice, transpose...): share the viewed tensor's version counter
        vc = _view_counter(args, out if base is None else base)
        if vc is None:
            vc = [0]
        else:
            t._extra = {"is_view": True}
        t._vc = vc
    # Integer and bool results carry no gradient, as in PyTorch.
    if wants and grad_enabled and op.differentiable_output and out.dtype.kind == "f":
        t._requires_grad = True
        t.grad_fn = _record(op, attrs, args, arrays, out, vc, needs)
    else:
        t._requires_grad = False
        t.grad_fn = None
    return t


def _view_counter(args: tuple, base: np.ndarray) -> list | None:
    """The version counter of the argument whose storage ``base`` is (None: not a view of
    an argument, e.g. a kernel's own temporary)."""
    for a in args:
        if isinstance(a, Tensor):
            data = a._data
            if data is base or data.base is base:
                return a._vc
    return None


def _record(op, attrs: dict, args: tuple, arrays: tuple, out: np.ndarray, vc: list,
            needs: tuple) -> Node:
    """A new tape entry for ``op`` whose output is ``out`` (``args``: Tensors and constant
    arrays, kept as the entry's inputs; ``vc``: the output's version counter; ``needs``:
    which inputs want a gradient)."""
    n = len(args)
    if n == 2:  # written out: binary ops dominate
        x, y = args
        versions = (x._vc[0] if isinstance(x, Tensor) else 0,
                    y._vc[0] if isinstance(y, Tensor) else 0)
    elif n == 1:
        x = args[0]
        versions = (x._vc[0] if isinstance(x, Tensor) else 0,)
    elif n == 3:
        x, y, z = args
        versions = (x._vc[0] if isinstance(x, Tensor) else 0,
                    y._vc[0] if isinstance(y, Tensor) else 0,
                    z._vc[0] if isinstance(z, Tensor) else 0)
    else:
        versions = tuple([a._vc[0] if isinstance(a, Tensor) else 0 for a in args])
    node = Node(op, attrs, args, arrays, out, versions, vc, vc[0], needs)
    if _ANOMALY[0]:
        node.location = user_location()
    return node


def is_tensor(obj) -> bool:
    """True for eager Tensors (and subclasses such as ``nn.Parameter``)."""
    return isinstance(obj, Tensor)


def check_dtype(dtype) -> np.dtype:
    """A dtype argument (``eager.float64``, ``np.float32``, ``"float32"``, ``float``) checked."""
    return dt.as_dtype(dtype, op="tensor")


shared_ops.register_mode("eager", Tensor, apply, priority=10, immediate=True,
                         dtype_of=attrgetter("_data.dtype"))
shared_ops.register_framework_dir(os.path.dirname(os.path.abspath(__file__)))
