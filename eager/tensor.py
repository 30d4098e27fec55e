"""`eager.Tensor`, and `apply`: the eager mode, which runs ops on Tensors.

Tensor is one class statement: its storage and autograd attributes (`TensorBase`) and its
methods, grouped by kind in mixins below this module (operators and conversions, math
methods, in-place methods, autograd methods).

Every op on Tensors goes through ``shared_ops`` (``dispatch.call_op``), which hands it to
`apply` below: run the kernel on the arrays now, wrap the result, and record a tape entry
(`TapeNode`) when gradients are wanted. The arithmetic operators (`_operator`) hand their
commonest calls to `apply` themselves, after the checks ``call_op`` would make for them.
`apply` is the eager hot path: one thread-local read per op for the grad mode, and the
user's source line looked up only in anomaly mode (it costs a stack walk).

    >>> import eager
    >>> x = eager.tensor([2.0], requires_grad=True)
    >>> y = x * x
    >>> y.backward()
    >>> x.grad
    tensor([4.])
"""

from __future__ import annotations

import operator
import os

import numpy as np

import shared_ops
from shared_ops.complex_support import complex_rule_op
from shared_ops.dispatch import CAPTURED, FLOATING_DTYPES, SUPPORTED_DTYPES
from shared_ops.kernel_run import raise_kernel_error

from .autograd import recording, shared_views, strided_views
from .autograd.function import TapeNode
from .autograd.grad_mode import thread_state
from .autograd.tape_node import NODE_CLASSES
from .random.tensor_methods import RandomMethods
from .tensor_autograd import AutogradMethods
from .tensor_base import TensorBase, set_tensor_class
from .tensor_inplace import InplaceMethods
from .tensor_math import MathMethods
from .tensor_methods import TensorMethods

_new = object.__new__
_ndarray = np.ndarray


def _operator(op, name: str):
    """The operator method ``name`` (``"__add__"``, or reflected ``"__radd__"``) for ``op``.

    NOTE: a measured trick (docs/PERFORMANCE.md, "operators straight to apply"): the two
    commonest calls, two eager Tensors of one dtype and a Tensor with a Python ``int``/``float``,
    go to `apply` without `dispatch.call_op`'s frame, after the very checks its fast path makes
    for them (nothing captured by a tracer, the dtype one the op takes as is, a weak scalar only
    beside a floating Tensor of a fully promoting op, made a 0-d array of that dtype). Every
    other call (a static Node, an ndarray, mixed dtypes, a bool...) calls the op as before.
    """
    reflected = name.startswith("__r")
    accepted = FLOATING_DTYPES if op.floating else SUPPORTED_DTYPES
    scalars = op.promote is True and not op.variadic

    def method(self, other):
        if not CAPTURED:
            other_type = type(other)
            if other_type is Tensor or isinstance(other, Tensor):
                dtype = self._data.dtype
                if other._data.dtype is dtype and dtype in accepted:
                    return apply(op, (other, self) if reflected else (self, other), {})
            elif (other_type is float or other_type is int) and scalars:
                dtype = self._data.dtype
                if dtype in FLOATING_DTYPES:
                    other = np.asarray(other, dtype)
                    return apply(op, (other, self) if reflected else (self, other), {})
        if getattr(type(other), "is_sparse", None) is True:  # dense op sparse (eager/sparse):
            return NotImplemented  # the sparse type's reflected operator answers
        return op(other, self) if reflected else op(self, other)

    method.__name__, method.__qualname__ = name, f"Tensor.{name}"
    method.__doc__ = f"``shared_ops.{op.name}({'other, self' if reflected else 'self, other'})``."
    return method


class Tensor(TensorMethods, MathMethods, RandomMethods, InplaceMethods, AutogradMethods,
             TensorBase):
    """An n-dimensional array that can record the ops applied to it for backward.

    ``Tensor(array)`` wraps an ndarray without copying (a Tensor argument shares its storage);
    use `eager.tensor` to copy data in and `eager.from_numpy` to share an array explicitly.
    """

    __slots__ = ()

    # The arithmetic operators, straight to `apply` in their commonest calls (see `_operator`).
    __add__, __radd__ = _operator(shared_ops.add, "__add__"), _operator(shared_ops.add, "__radd__")
    __sub__, __rsub__ = _operator(shared_ops.sub, "__sub__"), _operator(shared_ops.sub, "__rsub__")
    __mul__, __rmul__ = _operator(shared_ops.mul, "__mul__"), _operator(shared_ops.mul, "__rmul__")
    __truediv__ = _operator(shared_ops.div, "__truediv__")
    __rtruediv__ = _operator(shared_ops.div, "__rtruediv__")

    # One grad_fn shared by the pieces, as PyTorch's SplitBackward0 (autograd/shared_views.py).
    chunk, unbind = shared_views.chunk, shared_views.unbind
    # Views of the storage, as PyTorch's (the shared methods gather copies).
    unfold, as_strided = strided_views.unfold, strided_views.as_strided

    def split(self, split_size, dim: int = 0) -> tuple:
        """``Tensor.split``, its size argument named ``split_size`` as PyTorch's method has it
        (``torch.split`` names it ``split_size_or_sections``)."""
        return shared_views.split(self, split_size, dim)


set_tensor_class(Tensor)


def apply(op, args: tuple, attrs: dict):
    """The eager mode's handler: run ``op`` on the arrays now and record it when needed."""
    # This thread's grad mode, read once; a thread's first read also sets NumPy's IEEE error
    # state for it (grad_mode.ThreadState: no np.errstate per kernel, see docs/PERFORMANCE.md).
    grad_enabled = thread_state.grad_enabled
    # Unpacked by arity, the generic comprehensions only for four inputs and more: see
    # docs/PERFORMANCE.md. ``needs``: which inputs want a gradient.
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
    # run_kernel and wrap_array, written out in this frame (docs/PERFORMANCE.md): keep them in
    # step with those two (every slot of TensorBase set, NumPy scalars made arrays).
    try:
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
        t._version_counter = counter = [0]
    else:  # a view (reshape, slice, transpose...): share the viewed tensor's version counter
        viewed = _viewed(args, out if base is None else base)
        if viewed is None:
            counter = [0]
        else:  # the base is kept for in-place ops through the view (autograd/view_writes.py)
            counter = viewed._version_counter
            t._extra = {"is_view": True, "base": viewed} if grad_enabled else \
                {"is_view": True, "base": viewed, "no_grad_view": True}
        t._version_counter = counter
    # Integer and bool results carry no gradient, as in PyTorch.
    kind = out.dtype.kind
    if wants and grad_enabled and op.differentiable_output and (kind == "f" or kind == "c"):
        t._requires_grad = True
        # a complex output records PyTorch's complex rule (shared_ops/complex_support.py)
        t.grad_fn = _record(op if kind == "f" else complex_rule_op(op), attrs, args, arrays,
                            out, counter, needs)
    else:
        t._requires_grad = False
        t.grad_fn = None
        if not grad_enabled and thread_state.inference:  # an inference tensor (is_inference)
            t._extra = {**(t._extra or {}), "inference": True}
    return t


def _viewed(args: tuple, base: np.ndarray):
    """The argument whose storage ``base`` is (None: not a view of an argument, e.g. a
    kernel's own temporary)."""
    for a in args:
        if isinstance(a, Tensor):
            data = a._data
            if data is base or data.base is base:
                return a
    return None


def _record(op, attrs: dict, args: tuple, arrays: tuple, out: np.ndarray, counter: list,
            needs: tuple) -> TapeNode:
    """A new tape entry for ``op`` whose output is ``out`` (``args``: Tensors and constant
    arrays, kept as the entry's inputs; ``counter``: the output's version counter; ``needs``:
    which inputs want a gradient)."""
    n = len(args)
    if n == 2:  # unpacked by arity, as in apply (docs/PERFORMANCE.md)
        x, y = args
        versions = (x._version_counter[0] if isinstance(x, Tensor) else 0,
                    y._version_counter[0] if isinstance(y, Tensor) else 0)
    elif n == 1:
        x = args[0]
        versions = (x._version_counter[0] if isinstance(x, Tensor) else 0,)
    elif n == 3:
        x, y, z = args
        versions = (x._version_counter[0] if isinstance(x, Tensor) else 0,
                    y._version_counter[0] if isinstance(y, Tensor) else 0,
                    z._version_counter[0] if isinstance(z, Tensor) else 0)
    else:
        versions = tuple([a._version_counter[0] if isinstance(a, Tensor) else 0 for a in args])
    # An instance of the class named as PyTorch's node for the op (MulBackward0): tape_node.
    node = NODE_CLASSES[op](op, attrs, args, arrays, out, versions, counter, counter[0], needs)
    if recording.extras:  # anomaly mode's line, saved-tensor hooks: autograd/recording.py
        recording.finish(node)
    return node


def is_tensor(obj, /) -> bool:
    """True for eager Tensors (and subclasses such as ``nn.Parameter``)."""
    return isinstance(obj, Tensor)


# dtype_of: the dispatcher's fast path reads the NumPy dtype, not Tensor.dtype, which is the
# torch-style object (eager.types.dtypes) whose hash and == are Python-level: reading
# Tensor.dtype there made `a + b` 13% slower (1.70 -> 1.93 us, bench_eager_ops.py --quick).
shared_ops.register_mode("eager", Tensor, apply, priority=10, immediate=True,
                         dtype_of=operator.attrgetter("_data.dtype"))
shared_ops.register_framework_dir(os.path.dirname(os.path.abspath(__file__)))
