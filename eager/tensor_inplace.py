"""In-place Tensor methods (``add_``, ``mul_``, ``copy_``, ``zero_``, ``__setitem__``...).

They never rebind ``_data``: the result is written into the existing ndarray and the version
counter is bumped, so every holder of that array (a static graph's variable, a ``.data``
alias, an optimizer) sees the change, and a tape entry that saved the old value notices.

* No gradient involved (grad mode off, or nothing requires grad): compute, write, bump.
* A leaf that requires grad, with grad mode on: PyTorch's error (it would corrupt the graph).
* A recorded (non-leaf) tensor: the op is recorded on a snapshot of the old value and the
  tensor is rebased onto the new entry (`autograd.edges.rebase`: entries recorded before
  keep reaching its old ``grad_fn``), as PyTorch's in-place ops rebase the graph.
* A *view* (a slice, reshape, diagonal... of another tensor, its base): as PyTorch, the base
  is rebased onto a ``CopySlices`` entry and the view onto an ``AsStridedBackward0`` of the
  new base (`autograd.view_writes`); other views of the base are regenerated when backward
  meets a later use of them. A view of a leaf that requires grad, and a piece of ``split``
  or ``unbind``, are refused with PyTorch's errors.

Views share their base's version counter, so any change through either is seen by every
tape entry that saved the other; backward refuses only the values a rule reads
(`autograd.output_reads.reads_input`).
"""

from __future__ import annotations

import numpy as np

import shared_ops
from shared_ops.errors import OpValueError, user_location
from shared_ops.int_scalars import checked_scalar
from shared_ops.tensor_api import METHODS
from shared_ops.tensor_api_inplace import INPLACE

from .autograd.custom_backward import copy_history
from .autograd.edges import rebase
from .autograd.grad_mode import no_grad, thread_state
from .autograd.strided_views import check_not_overlapping
from .autograd.tangents import assigned, carry_tangent, overwritten
from .autograd.versions import bump
from .autograd.view_writes import (
    OVERLAPPING,
    check_no_grad_view,
    is_recorded_view,
    keep_output,
    tangent_to_base,
    write_through_view,
)
from .creation import numpy_rng
from .functions import add, clamp, sub
from .tensor_base import TensorBase, wrap_array
from .tensor_shape_inplace import ShapeInplaceMethods

_LEAF_ERROR = ("a leaf Variable that requires grad is being used in an in-place operation.")


def _arrayify(value) -> np.ndarray:
    return value._data if isinstance(value, TensorBase) else np.asarray(value)


def _check_writeable(self, name: str) -> None:
    """Refuse up front, naming the op and the user's line, to write into read-only memory
    (``from_numpy`` of a read-only array shares it): NumPy's own ValueError names neither."""
    if not self._data.flags.writeable:
        data = self._data
        if any(st == 0 and n > 1 for n, st in zip(data.shape, data.strides, strict=True)):
            raise RuntimeError(OVERLAPPING)  # an expanded tensor (broadcast_to's view)
        raise OpValueError(name, f"cannot write in place into a read-only array of shape "
                           f"{self._data.shape} (from_numpy shares the array's memory, flags "
                           "included): use an out-of-place op, or .clone() first",
                           shapes=(self._data.shape,), dtypes=(self._data.dtype,),
                           location=user_location())


def inplace(self, compute, *others, name: str = "in-place op"):
    """Apply ``compute(self, *others)`` (out of place) and write the result into ``self``;
    ``name`` (``add_``) is the op named in errors."""
    _check_writeable(self, name)
    if self._extra is not None:
        check_not_overlapping(self)  # unfold's overlapping windows (autograd/strided_views.py)
    grad_enabled = thread_state.grad_enabled
    recording = grad_enabled and (self._requires_grad or any(
        isinstance(o, TensorBase) and o._requires_grad for o in others))
    if grad_enabled and self._extra is not None and "no_grad_view" in self._extra:
        check_no_grad_view(self, recording)
    if not recording:
        with no_grad():
            result = compute(self, *others)
        _write(self, result)
        bump(self._version_counter)
        if self._extra is not None or getattr(result, "_extra", None) is not None:
            carry_tangent(self, result)  # forward-mode AD (autograd/tangents.py)
            if is_recorded_view(self):  # the base's tangent too
                tangent_to_base(self)
        return self
    if self.grad_fn is None and self._requires_grad:
        raise RuntimeError(_LEAF_ERROR)
    if self._extra and self._extra.get("is_view"):
        if not is_recorded_view(self):  # a view whose base is unknown (a custom Function's)
            raise RuntimeError("an in-place operation on a view of a tensor that requires "
                               "grad is not supported here: use out-of-place ops (or .clone() "
                               "the view first)")
        # The base is rebased onto CopySlices, the view onto a view of it (view_writes.py).
        write_through_view(self, compute, others, _write)
        return self
    # Record on a snapshot of the old value: the entry that produced it keeps its own copy.
    snapshot = wrap_array(self._data.copy())
    if self._extra is not None:
        carry_tangent(snapshot, self)  # forward-mode AD: the old value's tangent
    if self.grad_fn is not None:
        keep_output(self.grad_fn, self._data, snapshot)
        snapshot._requires_grad = True
        copy_history(snapshot, self)
    result = compute(snapshot, *others)
    _write(self, result)
    bump(self._version_counter)
    if self._extra is not None or result._extra is not None:
        carry_tangent(self, result)
    node = result.grad_fn
    if node is not None:
        node.out, node.out_counter, node.out_version = \
            self._data, self._version_counter, self._version_counter[0]
    rebase(self, node)  # earlier entries that used self keep its old grad_fn (history.py)
    self._requires_grad = result._requires_grad
    return self


def _write(self, result) -> None:
    data = _arrayify(result)
    if data.shape != self._data.shape and np.broadcast_shapes(data.shape, self._data.shape) \
            != self._data.shape:
        raise RuntimeError(f"output with shape {list(self._data.shape)} doesn't match the "
                           f"broadcast shape {list(np.broadcast_shapes(data.shape, self.shape))}")
    if data.dtype != self._data.dtype and not np.can_cast(data.dtype, self._data.dtype,
                                                          "same_kind"):
        raise RuntimeError(f"result type {data.dtype} can't be cast to the desired output "
                           f"type {self._data.dtype}")
    np.copyto(self._data, data, casting="unsafe")


def _written_back(name: str):
    """``x.<name>(...)`` as ``x`` overwritten by the table method ``x.<name[:-1]>(...)``."""
    method = METHODS[name[:-1]]

    def fn(self, *args, **kwargs):
        others = [a for a in args if isinstance(a, TensorBase)]
        return inplace(self, lambda s, *_: method(s, *args, **kwargs), *others, name=name)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"In place: ``self`` overwritten by ``self.{name[:-1]}(...)``."
    return fn


# x.floor_() and the other written-back forms (shared_ops.tensor_api_inplace), a base class.
WrittenBackMethods = type("WrittenBackMethods", (), {
    "__slots__": (), "__module__": __name__, **{n: _written_back(n) for n in INPLACE}})


class InplaceMethods(WrittenBackMethods, ShapeInplaceMethods):
    """Mixed into `eager.Tensor`: PyTorch's trailing-underscore methods and ``x[i] = v``."""

    __slots__ = ()

    def add_(self, other, *, alpha=1):
        return inplace(self, lambda s, o: add(s, o, alpha=alpha), other, name="add_")

    def sub_(self, other, *, alpha=1):
        return inplace(self, lambda s, o: sub(s, o, alpha=alpha), other, name="sub_")

    def mul_(self, other):
        return inplace(self, shared_ops.mul, other, name="mul_")

    def div_(self, other):
        return inplace(self, shared_ops.div, other, name="div_")

    def pow_(self, exponent):
        return inplace(self, shared_ops.pow, exponent, name="pow_")

    def neg_(self):
        return inplace(self, shared_ops.neg, name="neg_")

    def exp_(self):
        return inplace(self, shared_ops.exp, name="exp_")

    def relu_(self):
        return inplace(self, shared_ops.relu, name="relu_")

    def clamp_(self, min=None, max=None):  # noqa: A002
        return inplace(self, lambda s: clamp(s, min, max), name="clamp_")

    clip_ = clamp_

    def masked_fill_(self, mask, value):
        return inplace(self, lambda s, m: shared_ops.masked_fill(s, m, value), mask,
                       name="masked_fill_")

    def scatter_(self, dim, index, src=None, value=None, *, reduce=None):
        if isinstance(src, TensorBase):  # an input that may carry a gradient
            return inplace(self, lambda s, i, o: shared_ops.scatter(s, dim, i, o, None, reduce),
                           index, src, name="scatter_")
        return inplace(self, lambda s, i: shared_ops.scatter(s, dim, i, src, value, reduce),
                       index, name="scatter_")

    def scatter_add_(self, dim, index, src):
        return inplace(self, lambda s, i, o: shared_ops.scatter(s, dim, i, o, reduce="add"),
                       index, src, name="scatter_add_")

    def copy_(self, src):
        """Copy ``src`` (broadcast, cast to this dtype) into this tensor's storage."""
        # src broadcast to this shape: recorded, the gradient flows to src (and none to the
        # old value, which the result does not depend on).
        def compute(s, o):
            out = shared_ops.broadcast_to(o, shape=tuple(s.shape))
            # torch casts any dtype into this one (float into int truncates toward zero).
            return out if out.dtype == s.dtype else shared_ops.cast(out, dtype=s.dtype)

        return inplace(self, compute, src, name="copy_")

    def zero_(self):
        return _fill(self, 0, "zero_")

    def fill_(self, value):
        return _fill(self, value, "fill_")

    def uniform_(self, a: float = 0.0, b: float = 1.0, generator=None):
        """Fill with draws from U(a, b) using eager's global generator (or ``generator``)."""
        return _overwrite(self, "uniform_",
                          lambda shape: numpy_rng(generator).uniform(a, b, shape))

    def normal_(self, mean: float = 0.0, std: float = 1.0, generator=None):
        return _overwrite(self, "normal_",
                          lambda shape: numpy_rng(generator).normal(mean, std, shape))

    def __setitem__(self, key, value) -> None:
        """``x[key] = value`` (NumPy indexing rules). On a tensor in a graph (or with a value
        that requires grad) it is recorded as PyTorch's ``IndexPutBackward0``: the assigned
        positions get no gradient from ``x``'s old value, and ``value`` gets theirs."""
        if isinstance(key, tuple):
            key = tuple(k._data if isinstance(k, TensorBase) else k for k in key)
        elif isinstance(key, TensorBase):
            key = key._data
        recording = thread_state.grad_enabled and (self._requires_grad
                                                   or getattr(value, "_requires_grad", False))
        if thread_state.grad_enabled and self._extra is not None and \
                "no_grad_view" in self._extra:
            check_no_grad_view(self, recording)
        if recording:
            if _basic(key):  # a view written (PyTorch's copy_ into x[key]: CopySlices)
                self[key].copy_(value)
                return
            inplace(self, lambda base, v: shared_ops.index_put(base, key, v), value,
                    name="__setitem__")
            return
        _check_writeable(self, "__setitem__")
        self._data[key] = _arrayify(value)
        bump(self._version_counter)
        if self._extra is not None or getattr(value, "_extra", None) is not None:
            assigned(self, key, value)  # forward-mode AD (autograd/tangents.py)
            if is_recorded_view(self):
                tangent_to_base(self)

    # Augmented assignment is in place, as in PyTorch (`x += 1` changes x's storage).
    def __iadd__(self, other):
        return self.add_(other)

    def __isub__(self, other):
        return self.sub_(other)

    def __imul__(self, other):
        return self.mul_(other)

    def __itruediv__(self, other):
        return self.div_(other)


def _fill(self, value, name: str):
    if type(value) is int and self._data.dtype.kind in "iu":  # torch's overflow check
        value = checked_scalar(value, self._data.dtype)
    if not (thread_state.grad_enabled and (self._requires_grad or getattr(
            value, "_requires_grad", False))):
        return _overwrite(self, name, lambda shape: _arrayify(value))
    # In a graph: recorded (a view's base too), the old value getting no gradient, the entry
    # named as PyTorch's (FillBackward2 for a number, FillBackward3 for a tensor).
    if isinstance(value, TensorBase):
        inplace(self, lambda s, v: shared_ops.where(np.True_, v, s), value, name=name)
        torch_name = "FillBackward3"
    else:
        inplace(self, lambda s: shared_ops.where(np.True_, value, s), name=name)
        torch_name = "ZeroBackward0" if name == "zero_" else "FillBackward2"
    if self.grad_fn is not None and type(self.grad_fn).__name__ == "WhereBackward0":
        self.grad_fn.torch_name = torch_name
    return self


def _basic(key) -> bool:
    """Whether ``key`` is a basic index (ints, slices, None, ...): ``x[key]`` is a view."""
    items = key if isinstance(key, tuple) else (key,)
    return all(k is None or k is Ellipsis or type(k) is int or type(k) is slice
               for k in items)


def _overwrite(self, name: str, values):
    """Write ``values(shape)`` over every element of a tensor outside any graph (fill_,
    uniform_, normal_): checked first, so a refused call draws no random numbers."""
    _no_graph(self, name)
    _check_writeable(self, name)
    if thread_state.grad_enabled and self._extra is not None and "no_grad_view" in self._extra:
        check_no_grad_view(self, False)
    self._data[...] = values(self._data.shape)
    bump(self._version_counter)
    if self._extra is not None:
        overwritten(self)  # forward-mode AD: a constant's tangent is zero
        if is_recorded_view(self):
            tangent_to_base(self)
    return self


def _no_graph(self, name: str) -> None:
    if thread_state.grad_enabled and self._requires_grad:
        if self.grad_fn is None:
            raise RuntimeError(_LEAF_ERROR)
        raise RuntimeError(f"{name} on a tensor that is part of a graph is not supported")
