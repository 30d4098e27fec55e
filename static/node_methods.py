"""Operators and methods of static `Node`s, all routed through shared_ops ops.

``x + y``, ``x @ w``, ``x.sum(axis=1)``, ``x.T``, ``x[0]``... each call the shared op of that
name, which the dispatcher hands to the static mode (a Node is an argument), so a node is
appended to the graph with its shape checked at build time. Ops are looked up by name when
called, so a method works as soon as its op is registered in shared_ops.

Asking a node for a Python value while the graph is built (``if node:``, ``float(node)``,
``node.item()``, ``np.asarray(node)``) raises a TypeError that names the user's line and says
what to do instead (``static.cond``/``static.while_loop``, ``Session.run``, eager mode).
"""

from __future__ import annotations

from typing import Any

import shared_ops
from shared_ops.errors import user_location


def _op_named(name: str):
    try:
        return shared_ops.OPS[name]
    except KeyError:
        raise NotImplementedError(
            f"shared_ops has no op {name!r} (yet): this Node operator/method needs it") from None


def _call(name: str, *args: Any, **attrs: Any):
    return _op_named(name)(*args, **attrs)


_VALUE_ADVICE = ("fetch it with Session.run(node, feed_dict) to get an array, keep computing "
                 "with shared ops (static.cond/static.while_loop for data-dependent control "
                 "flow), or run the code in eager mode")


class NodeMethods:
    """Mixin for `static.graph.Node`: arithmetic, comparisons, reductions, shape methods."""

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

    def __array__(self, *args, **kwargs):
        # Without this, np.asarray(node) would walk the node as a sequence, staging x[0]...
        raise self._no_value("np.asarray()", _VALUE_ADVICE)

    # -- arithmetic -------------------------------------------------------------------------
    def __add__(self, other):
        return _call("add", self, other)

    def __radd__(self, other):
        return _call("add", other, self)

    def __sub__(self, other):
        return _call("sub", self, other)

    def __rsub__(self, other):
        return _call("sub", other, self)

    def __mul__(self, other):
        return _call("mul", self, other)

    def __rmul__(self, other):
        return _call("mul", other, self)

    def __truediv__(self, other):
        return _call("div", self, other)

    def __rtruediv__(self, other):
        return _call("div", other, self)

    def __pow__(self, other):
        return _call("pow", self, other)

    def __rpow__(self, other):
        return _call("pow", other, self)

    def __matmul__(self, other):
        return _call("matmul", self, other)

    def __rmatmul__(self, other):
        return _call("matmul", other, self)

    def __neg__(self):
        return _call("neg", self)

    def __abs__(self):
        return _call("abs", self)

    # -- comparisons (== and != stay identity so that nodes can be dict keys) ---------------
    def __lt__(self, other):
        return _call("lt", self, other)

    def __le__(self, other):
        return _call("le", self, other)

    def __gt__(self, other):
        return _call("gt", self, other)

    def __ge__(self, other):
        return _call("ge", self, other)

    __hash__ = object.__hash__

    # -- indexing and shape -----------------------------------------------------------------
    def __getitem__(self, index):
        return _call("getitem", self, index)

    @property
    def T(self):
        return _call("transpose", self)

    def transpose(self, *axes):
        if len(axes) == 1 and isinstance(axes[0], tuple | list):
            axes = tuple(axes[0])
        return _call("transpose", self, axes=tuple(axes)) if axes else _call("transpose", self)

    def reshape(self, *shape):
        if len(shape) == 1 and isinstance(shape[0], tuple | list):
            shape = tuple(shape[0])
        return _call("reshape", self, shape=tuple(shape))

    def astype(self, dtype):
        return _call("cast", self, dtype=shared_ops.dtypes.as_dtype(dtype))

    # -- reductions and math ----------------------------------------------------------------
    def sum(self, axis=None, keepdims: bool = False):
        return _call("sum", self, **_reduce_attrs(axis, keepdims))

    def mean(self, axis=None, keepdims: bool = False):
        return _call("mean", self, **_reduce_attrs(axis, keepdims))

    def max(self, axis=None, keepdims: bool = False):
        return _call("max", self, **_reduce_attrs(axis, keepdims))

    def exp(self):
        return _call("exp", self)

    def log(self):
        return _call("log", self)

    def sqrt(self):
        return _call("sqrt", self)

    def tanh(self):
        return _call("tanh", self)

    def sigmoid(self):
        return _call("sigmoid", self)

    def relu(self):
        return _call("relu", self)


def _reduce_attrs(axis, keepdims: bool) -> dict:
    """Only non-default attrs, so listings stay short: ``sum(%h, axis=1)``. Attrs must be
    hashable, so a list of axes becomes a tuple."""
    attrs: dict = {}
    if axis is not None:
        attrs["axis"] = tuple(axis) if isinstance(axis, list) else axis
    if keepdims:
        attrs["keepdims"] = True
    return attrs

