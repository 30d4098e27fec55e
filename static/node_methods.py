"""Methods and operators of static `Node`s: PyTorch's Tensor methods, staged.

Every Tensor method and operator that computes with shared ops comes from the one table in
`shared_ops.tensor_api` (``x.view(B, T, -1)``, ``x.softmax(dim=-1)``, ``x.max(1)``,
``x.masked_fill(m, v)``, ``x @ w``...), with PyTorch's signatures; the op it calls sees a
Node argument and the dispatcher stages it. What this module adds is what a graph value
answers differently from an eager Tensor:

* sizes: ``x.size()`` is a `Size` whose unknown dims are `SymbolicSize` values, so
  ``x.view(x.size(0), -1)`` runs for any batch; ``x.shape`` too in traced user code
  (`static.symbolic_size` says when);
* ``==``/``!=``: elementwise in traced user code (PyTorch's ``mask == 0``), identity
  elsewhere, so that nodes stay usable as dict keys and in lists of the framework;
* creation (``new_zeros``...) and ``clone`` stage nodes; in-place methods and ``x[k] = v``
  are functional updates (`static.node_updates`);
* no Python value while building: ``if node:``, ``float(node)``, ``node.item()``,
  ``np.asarray(node)`` raise a TypeError that names the user's line and says what to do
  instead (``static.cond``/``static.while_loop``, ``Session.run``, eager mode), as do the
  autograd tape's methods (``backward``: use ``static.gradients``). `UNSUPPORTED` lists them.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import shared_ops
from shared_ops import layout as layouts
from shared_ops import tensor_api
from shared_ops.errors import user_location

from .node_updates import InplaceMethods
from .symbolic_size import SymbolicSize, size_of, user_sees_pytorch


def _call(name: str, *args: Any, **attrs: Any):
    return shared_ops.OPS[name](*args, **attrs)


_VALUE_ADVICE = ("fetch it with Session.run(node, feed_dict) to get an array, keep computing "
                 "with shared ops (static.cond/static.while_loop for data-dependent control "
                 "flow), or run the code in eager mode")
_GRAD_ADVICE = ("a graph has no autograd tape: differentiate with static.gradients(loss, "
                "[x]) or train with static.optim (minimize), or run the code in eager mode")
# Tensor methods a graph value has but cannot perform (each raises, naming the alternative).
UNSUPPORTED: dict[str, str] = {
    **dict.fromkeys(("item", "tolist", "numpy", "allclose", "equal", "__bool__", "__float__",
                     "__int__", "__index__", "__array__", "data_ptr"), _VALUE_ADVICE),
    **dict.fromkeys(("backward", "register_hook", "retain_grad", "requires_grad_", "grad"),
                    _GRAD_ADVICE),
    "uniform_": "initialize at random in eager mode, before tracing",
    "normal_": "initialize at random in eager mode, before tracing",
    "__iter__": "index it (x[0]) or take x.unbind(0)",
    # eager/sparse: COO tensors are eager values only.
    "to_sparse": "build sparse tensors in eager mode (graph values are dense)",
}
# The operand kinds ``==`` compares elementwise in traced user code (other objects: identity).
_COMPARABLE = (int, float, bool, np.ndarray, np.generic, SymbolicSize)


class NodeMethods(InplaceMethods,
                  tensor_api.methods_class("TableMethods", "shared_ops.tensor_api's methods")):
    """Mixin for `static.graph.Node`: the table's methods plus what a graph value answers
    differently (see the module docstring)."""

    __slots__ = ()
    # Make NumPy defer to us: `ndarray + node` calls Node.__radd__ instead of looping.
    __array_priority__ = 1000
    __array_ufunc__ = None

    # -- no value while building: Python conversions explain what to do instead ----------
    def _no_value(self, what: str, advice: str) -> TypeError:
        """The error for asking a node for its value while the graph is built."""
        where = user_location(2)
        at = f" at {where}" if where is not None else ""
        return TypeError(f"{what} of static node %{self.name} ({self.aval}): it has no value "
                         f"while the graph is being built{at}; {advice}")

    def __bool__(self) -> bool:
        raise self._no_value(
            "the truth value", "Python `if`/`while`/`and`/`or` cannot branch on it. Use "
            "static.cond / static.where for data-dependent choices (static.cond(pred, "
            "true_fn, false_fn, *operands); static.while_loop / static.scan for loops), or run "
            "the code in eager mode")

    def __float__(self) -> float:
        raise self._no_value("float()", _VALUE_ADVICE)

    def __int__(self) -> int:
        raise self._no_value("int()", _VALUE_ADVICE)

    def __index__(self) -> int:
        raise self._no_value("the index value", "a static node cannot size a Python "
                             "range or list; use static.scan/static.while_loop for loops over "
                             "data, or eager mode")

    def item(self):
        """Not available while building: a node has no value yet (this raises)."""
        raise self._no_value(".item()", _VALUE_ADVICE)

    def tolist(self):
        """Not available while building (this raises)."""
        raise self._no_value(".tolist()", _VALUE_ADVICE)

    def numpy(self):
        """Not available while building (this raises)."""
        raise self._no_value(".numpy()", _VALUE_ADVICE)

    def allclose(self, other, *args, **kwargs):
        """A Python bool needs values (this raises): compare (a - b).abs().max() instead."""
        raise self._no_value(".allclose()", _VALUE_ADVICE)

    def equal(self, other):
        """A Python bool needs values (this raises): stage (a == b).all() instead."""
        raise self._no_value(".equal()", _VALUE_ADVICE)

    def to_sparse(self, sparse_dim=None):
        """Sparse COO tensors are eager values only (this raises)."""
        raise self._no_value(".to_sparse()", UNSUPPORTED["to_sparse"])

    def to_dense(self, dtype=None, *, masked_grad=None):
        """A graph value is dense: itself (cast to ``dtype`` if given), as a dense tensor's."""
        return self if dtype is None else self.to(dtype)

    def __array__(self, *args, **kwargs):
        # Without this, np.asarray(node) would walk the node as a sequence, staging x[0]...
        raise self._no_value("np.asarray()", _VALUE_ADVICE)

    # -- layout: a graph value is laid out in C order when the step computes it -----------
    def is_contiguous(self, memory_format=layouts.contiguous_format) -> bool:
        """True for C order (the layout every computed value has), False for channels-last."""
        return memory_format is layouts.contiguous_format or memory_format is \
            layouts.preserve_format

    def stride(self, dim: int | None = None):
        """The C-order strides of the static shape (every dim must be known)."""
        shape = self.aval.shape
        if None in shape:
            raise TypeError(f"stride(): {self!r} has dims unknown until the graph runs "
                            f"(shape {shape}), so its strides are too")
        return layouts.stride_of(layouts.contiguous_strides(shape), dim)

    def storage_offset(self) -> int:
        """0: a computed value owns its storage."""
        return 0

    def data_ptr(self) -> int:
        """No storage while building (this raises)."""
        raise self._no_value(".data_ptr()", _VALUE_ADVICE)

    def is_shared(self) -> bool:
        """False: a graph value has no storage to share while building."""
        return False

    def share_memory_(self):
        """Nothing to move (no storage while building): the value itself, as PyTorch's
        ``share_memory_`` returns its tensor."""
        return self

    # -- sizes ------------------------------------------------------------------------------
    @property
    def shape(self) -> tuple:
        """The static shape (None: unknown until run time); a `Size` with `SymbolicSize`
        dims instead in the user's code while it is traced (see `static.symbolic_size`)."""
        shape = self.aval.shape
        if None in shape and user_sees_pytorch():
            return size_of(self)
        return shape

    def size(self, dim: int | None = None):
        """``torch.Tensor.size``: a `Size`, or one dim (an int, or a `SymbolicSize`)."""
        sizes = size_of(self)
        return sizes if dim is None else sizes[_axis(dim, len(sizes), "size")]

    def numel(self):
        """The number of elements: an int, or a `SymbolicSize` when a dim is unknown."""
        return size_of(self).numel()

    nelement = numel

    # -- equality: PyTorch's in traced user code, identity elsewhere ----------------------
    def __eq__(self, other):
        if _elementwise(other):
            return _call("eq", self, other)
        return self is other or NotImplemented

    def __ne__(self, other):
        if _elementwise(other):
            return _call("ne", self, other)
        return self is not other

    __hash__ = object.__hash__

    # -- storage and creation ---------------------------------------------------------------
    def clone(self, memory_format=None):
        """A new node with this value (what in-place writes may then change)."""
        return _call("cast", self, dtype=self.aval.dtype)

    @property
    def data(self):
        """The value, cut off from gradients (``.detach()``)."""
        return _call("stop_gradient", self)

    def __deepcopy__(self, memo: dict):
        return self  # a graph value never changes: copies of it are itself

    def __copy__(self):
        return self

    def new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False):
        """A graph value of ``size`` (ints, or sizes of graph values) filled with
        ``fill_value``, of this dtype unless ``dtype`` is given."""
        dtype = shared_ops.dtypes.as_dtype(dtype or self.aval.dtype, op="new_full")
        sizes = _sizes((size,))
        if not any(isinstance(s, SymbolicSize) for s in sizes):
            return _constant(self.graph, np.full(tuple(int(s) for s in sizes), fill_value,
                                                 dtype))
        # Sizes known at run time: a broadcast 0-d value gives the shape, full_like the value.
        like = tensor_api.call("expand", np.zeros((), np.bool_), *sizes)
        return _call("full_like", like, fill_value=fill_value, dtype=dtype)

    def new_zeros(self, *size, dtype=None, device=None, requires_grad=False):
        return self.new_full(_sizes(size), 0, dtype=dtype)

    def new_ones(self, *size, dtype=None, device=None, requires_grad=False):
        return self.new_full(_sizes(size), 1, dtype=dtype)

    def new_empty(self, *size, dtype=None, device=None, requires_grad=False):
        return self.new_full(_sizes(size), 0, dtype=dtype)

    def new_tensor(self, data, dtype=None, device=None, requires_grad=False):
        """A constant of the graph holding ``data`` (copied)."""
        dtype = shared_ops.dtypes.as_dtype(dtype or self.aval.dtype, op="new_tensor")
        return _constant(self.graph, np.array(data, dtype))

    def astype(self, dtype):
        """NumPy's spelling of ``to(dtype)``."""
        return _call("cast", self, dtype=shared_ops.dtypes.as_dtype(dtype))

    # -- autograd: the graph differentiates with static.gradients -------------------------
    def backward(self, *args, **kwargs):
        """Not available on graph values (this raises): use static.gradients."""
        raise self._no_value(".backward()", _GRAD_ADVICE)

    def register_hook(self, hook):
        """Not available on graph values (this raises)."""
        raise self._no_value(".register_hook()", _GRAD_ADVICE)

    def retain_grad(self):
        """Not available on graph values (this raises)."""
        raise self._no_value(".retain_grad()", _GRAD_ADVICE)

    def detach_(self):
        """Not available on graph values (this raises): use .detach()."""
        raise self._no_value(".detach_()", _GRAD_ADVICE)

    def register_post_accumulate_grad_hook(self, hook):
        """Not available on graph values (this raises)."""
        raise self._no_value(".register_post_accumulate_grad_hook()", _GRAD_ADVICE)

    def is_inference(self) -> bool:
        """False: a graph value is not an inference tensor (it has no storage yet)."""
        return False

    def requires_grad_(self, requires_grad: bool = True):
        """Not available on graph values (this raises): stop gradients with .detach()."""
        raise self._no_value(".requires_grad_()", _GRAD_ADVICE)

    @property
    def grad(self):
        """Not available on graph values (this raises): use static.gradients."""
        raise self._no_value(".grad", _GRAD_ADVICE)

    grad_fn = None
    retains_grad = False

    @property
    def is_leaf(self) -> bool:
        """True for the graph's inputs: placeholders, variables, constants."""
        return self.op in ("placeholder", "variable", "constant")

    @property
    def requires_grad(self) -> bool:
        """Whether gradients flow to a trainable variable through this float value."""
        if self.aval.dtype.kind != "f":
            return False
        seen, stack = set(), [self]
        while stack:
            n = stack.pop()
            if n.op == "variable" and n.attrs.get("trainable", True):
                return True
            if n.op != "stop_gradient" and id(n) not in seen:
                seen.add(id(n))
                stack.extend(n.inputs)
        return False


def _axis(dim: int, ndim: int, what: str) -> int:
    if not -ndim <= dim < max(ndim, 1):
        raise IndexError(f"{what}: dim {dim} is out of range for a {ndim}-d value")
    return dim % ndim


def _sizes(size: tuple) -> tuple:
    """``new_zeros(2, 3)``, ``new_zeros((2, 3))`` and ``new_zeros(x.size())``: sizes (2, 3)."""
    return tuple(size[0]) if len(size) == 1 and hasattr(size[0], "__iter__") else tuple(size)


def _constant(graph, value: np.ndarray):
    """A constant node of ``graph`` holding ``value`` (read-only, as the builder's)."""
    value.setflags(write=False)
    return graph.add_node("constant", (), {}, shared_ops.Aval(value.shape, value.dtype),
                          name="constant", location=user_location(), value=value)


def _elementwise(other) -> bool:
    """Whether ``node == other`` compares values here: traced user code, a value operand."""
    return (isinstance(other, _COMPARABLE) or hasattr(other, "shape") and hasattr(other, "dtype")) \
        and user_sees_pytorch(skip=3)

