"""In-place Tensor methods on graph values: functional updates under the same Python object.

A graph value never changes, but code written for PyTorch writes into tensors:
``x[:, 0] = 0``, ``h.mul_(mask)``, ``nn.ReLU(inplace=True)``. Here each such write stages the
new value (``index_set`` for ``x[key] = v``, as JAX's ``x.at[key].set(v)``, with gradients;
the out-of-place op for ``add_``...) and then the Python object the code holds is made to
stand for it (`Graph.exchange`): the old value moves to a new node object, which every node
built before the write keeps using. So, as in PyTorch, the name and every other reference to
the object see the new value, and what was computed from the old value keeps it.

    >>> import static
    >>> with static.Graph() as g:
    ...     x = static.placeholder((2, 3), name="x") * 1.0
    ...     y = x.sum()
    ...     x[0] = 5.0
    >>> [n.op for n in g.nodes][-1], y.inputs[0] is x
    ('index_set', False)

A write into a view (``x[:, 0].zero_()``, ``x.view(-1)[3] = 1``, ``x.t().add_(1)``: basic
indexing, view/reshape, transpose, unsqueeze/squeeze) writes through to its base too, as
PyTorch's views share storage; writing into an expanded value is refused, as PyTorch does.
Two differences remain: another view taken before the write (``v = x[0]; x[0] = 1``) keeps
the old value, and a graph's inputs (placeholders, variables, constants) cannot be written:
``x = x.clone()`` first (or use ``index_put``, ``where``...).
Augmented assignment (``x += 1``) rebinds the name to a new value, as with JAX arrays.
"""

from __future__ import annotations

import numpy as np

import shared_ops
from shared_ops.errors import user_location
from shared_ops.tensor_api import call
from shared_ops.tensor_api_inplace import INPLACE

from .node_shape_updates import SHAPE_UPDATES
from .random_inputs import random_fill

_SOURCES = ("placeholder", "variable", "constant")


def rebind(target, new, what: str, *, reshaping: bool = False):
    """Make the object ``target`` stand for the value ``new`` (see the module docstring); a
    view's base is written through first. ``reshaping`` (``unsqueeze_``...): ``new`` may have
    another shape, and a view's base is left as it is (only the view's shape changes)."""
    where = user_location()
    at = f" ({where})" if where is not None else ""
    if target.op in _SOURCES:
        raise TypeError(f"{what}: %{target.name} is a {target.op} of the graph, which cannot "
                        f"be written into{at}; write into a copy (x = x.clone()), or use the "
                        "functional forms: x.index_put(key, v), x.masked_fill(m, v), "
                        "torch-style out-of-place ops (x.add(y))")
    if new.graph is not target.graph:
        raise TypeError(f"{what}: %{target.name} belongs to an enclosing graph of this "
                        f"control-flow body{at}; return the new value from the body instead")
    if new.aval != target.aval and not reshaping:
        raise RuntimeError(f"{what}: the result {new.aval} does not fit %{target.name} "
                           f"{target.aval}{at}")
    for user in target.graph.nodes:
        if any(i is target for i in user.inputs) and user.op not in shared_ops.OPS \
                and user.op not in ("assign", "group"):
            raise TypeError(f"{what}: %{target.name} is already used by the {user.op} "
                            f"%{user.name}{at}; write into it before that, or use the "
                            "functional form (x.index_put(key, v))")
    base_new = None if reshaping else _written_through(target, new, what, at)
    if base_new is not None:
        rebind(target.inputs[0], base_new, what)
    target.graph.exchange(target, new)
    return target


def _written_through(view, new, what: str, at: str):
    """The new value of ``view``'s base once ``view`` holds ``new``, when ``view`` is a view
    (basic indexing, view/reshape, transpose, unsqueeze/squeeze), as PyTorch's views share
    their base's storage; None for values that are no view."""
    ops, attrs, base = shared_ops.OPS, view.attrs, view.inputs[0] if view.inputs else None
    if view.op == "index":
        if len(view.inputs) > 1:  # advanced indexing makes a copy, in PyTorch too
            return None
        return ops["index_set"](base, new, key=attrs["key"])
    if view.op in ("reshape", "reshape_dims"):
        return ops["reshape"](new, shape=base.aval.shape) if None not in base.aval.shape \
            else ops["reshape"](new, base)
    if view.op == "transpose":
        n = len(base.aval.shape)
        perm = [a % n for a in attrs["axes"]] if attrs.get("axes") is not None else \
            list(range(n - 1, -1, -1))
        return ops["transpose"](new, axes=tuple(sorted(range(n), key=perm.__getitem__)))
    if view.op == "expand_dims":
        axis = attrs["axis"]
        n = len(view.aval.shape)
        axes = (axis,) if isinstance(axis, int | np.integer) else tuple(axis)
        return ops["squeeze"](new, axis=tuple(sorted(int(a) % n for a in axes)))
    if view.op == "squeeze":
        shape = base.aval.shape
        gone = tuple(k for k in range(len(shape)) if _squeezed(shape, attrs.get("axis"), k))
        return ops["expand_dims"](new, axis=gone)
    if view.op in ("broadcast_to", "broadcast_dims"):
        raise RuntimeError(f"{what}: %{view.name} is an expanded value, whose elements share "
                           f"memory in PyTorch{at}; write into a copy (.clone()) instead")
    return None


def _squeezed(shape: tuple, axis, k: int) -> bool:
    """Whether ``squeeze(axis=axis)`` of ``shape`` drops dim ``k``."""
    if axis is None:
        return shape[k] == 1
    axes = (axis,) if isinstance(axis, int | np.integer) else tuple(axis)
    return k in {int(a) % len(shape) for a in axes}


def _same_dtype(target, value, what: str):
    """``value`` in ``target``'s dtype, as an in-place op keeps its tensor's dtype."""
    if value.dtype == target.dtype:
        return value
    if not np.can_cast(value.dtype, target.dtype, "same_kind"):
        raise RuntimeError(f"{what}: result type {value.dtype} can't be cast to the desired "
                           f"output type {target.dtype}")
    return shared_ops.OPS["cast"](value, dtype=target.dtype)


def _update(name: str, compute):
    def fn(self, *args, **kwargs):
        return rebind(self, _same_dtype(self, compute(self, *args, **kwargs), name), name)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"PyTorch's ``{name}``: a functional update of this value (see node_updates)."
    return fn


def _fill(self, value):
    if hasattr(value, "shape"):  # a 0-d tensor
        return shared_ops.OPS["broadcast_to"](_same_dtype(self, value, "fill_"), self)
    return shared_ops.OPS["full_like"](self, fill_value=value)


def _copy(self, src, non_blocking=False):
    src = _same_dtype(self, src, "copy_") if hasattr(src, "dtype") else \
        np.asarray(src, self.dtype)
    if None in self.aval.shape:
        return shared_ops.OPS["broadcast_to"](src, self)
    return shared_ops.OPS["broadcast_to"](src, shape=self.aval.shape)


def _unsupported(name: str, advice: str):
    def fn(self, *args, **kwargs):
        where = user_location()
        at = f" ({where})" if where is not None else ""
        raise TypeError(f"{name} on static node %{self.name}{at}: {advice}")

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"Not available on graph values (this raises): {advice}"
    return fn


def _random_fill(name: str):
    """``x.normal_()`` (``uniform_``, ``bernoulli_``): inside a compiled region's trace, ``x``
    becomes an input drawn afresh at every call (`random_inputs`); elsewhere refused."""
    refuse = _unsupported(name, "random in-place initialization belongs in eager mode, before "
                          "tracing (or feed the random values as an input)")

    def fn(self, *args, **kwargs):
        new = random_fill(self, name, args, kwargs)
        if new is None:
            return refuse(self, *args, **kwargs)
        if self.op == "constant":  # a fresh new_empty/empty_like: the draw replaces it all
            self.graph.exchange(self, new)
            return self
        return rebind(self, new, name)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"PyTorch's ``{name}``: a fresh draw at every call of a compiled region."
    return fn


def _written_back(name: str):
    """``x.<name>(...)``: the table method ``x.<name[:-1]>(...)``, as an update of ``x``."""
    return _update(name, lambda s, *a, **k: call(name[:-1], s, *a, **k))


def _reshaped(name: str, compute):
    """``x.unsqueeze_(...)`` and the other in-place shape methods (`node_shape_updates`)."""
    def fn(self, *args, **kwargs):
        return rebind(self, compute(self, *args, **kwargs), name, reshaping=True)

    fn.__name__ = fn.__qualname__ = name
    return fn


# x.floor_() and the other written-back forms (shared_ops.tensor_api_inplace), a base class.
WrittenBackMethods = type("WrittenBackMethods", (), {
    "__slots__": (), "__module__": __name__, **{n: _written_back(n) for n in INPLACE},
    **{n: _reshaped(n, f) for n, f in SHAPE_UPDATES.items()}})


class InplaceMethods(WrittenBackMethods):
    """Mixed into `static.graph.Node` (through `NodeMethods`)."""

    __slots__ = ()

    add_ = _update("add_", lambda s, o, *, alpha=1: call("add", s, o, alpha=alpha))
    sub_ = _update("sub_", lambda s, o, *, alpha=1: call("sub", s, o, alpha=alpha))
    mul_ = _update("mul_", lambda s, o: call("mul", s, o))
    div_ = _update("div_", lambda s, o, **kw: call("div", s, o, **kw))
    pow_ = _update("pow_", lambda s, o: call("pow", s, o))
    neg_ = _update("neg_", lambda s: call("neg", s))
    exp_ = _update("exp_", lambda s: call("exp", s))
    relu_ = _update("relu_", lambda s: call("relu", s))
    clamp_ = clip_ = _update("clamp_", lambda s, min=None, max=None: call("clamp", s, min, max))
    masked_fill_ = _update("masked_fill_", lambda s, m, v: call("masked_fill", s, m, v))
    scatter_ = _update("scatter_", lambda s, dim, index, src=None, value=None, *, reduce=None:
                       call("scatter", s, dim, index, src, value, reduce=reduce))
    scatter_add_ = _update("scatter_add_", lambda s, dim, index, src:
                           call("scatter", s, dim, index, src, reduce="add"))
    copy_ = _update("copy_", _copy)
    fill_ = _update("fill_", _fill)
    zero_ = _update("zero_", lambda s: _fill(s, 0))
    uniform_ = _random_fill("uniform_")
    normal_ = _random_fill("normal_")
    bernoulli_ = _random_fill("bernoulli_")
    # eager's other random draws (eager/random/tensor_methods.py): refused, with advice.
    random_, exponential_, cauchy_, geometric_, log_normal_, bernoulli = (
        _unsupported(n, "random draws belong in eager mode, before tracing (or feed the "
                     "random values as an input)")
        for n in ("random_", "exponential_", "cauchy_", "geometric_", "log_normal_",
                  "bernoulli"))

    def __setitem__(self, key, value) -> None:
        """``x[key] = value``: ``x`` becomes ``x.index_put(key, value)`` (see node_updates)."""
        rebind(self, shared_ops.OPS["index_put"](self, key, value), "__setitem__")

    # Augmented assignment rebinds the name (as with JAX arrays): the object is unchanged.
    def __iadd__(self, other):
        return call("__add__", self, other)

    def __isub__(self, other):
        return call("__sub__", self, other)

    def __imul__(self, other):
        return call("mul", self, other)

    def __itruediv__(self, other):
        return call("__truediv__", self, other)

