"""TF1-style graph building: placeholders, variables, constants, and the static mode's `apply`.

Every shared op called with a static `Node` among its arguments comes here (the dispatcher
routes it, see `shared_ops.dispatch`): non-Node arguments become constants, the op's shape rule
runs on the avals (so a shape mismatch is reported now, at the line the user wrote), and a node
is appended to the graph.

    >>> import numpy as np, static
    >>> with static.Graph() as g:
    ...     x = static.placeholder((None, 3), name="x")
    ...     w = static.variable(np.zeros((3, 2), np.float32), name="w")
    ...     h = x @ w
    >>> h
    <Node %matmul: f32[?,2] = matmul>
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

import shared_ops
from shared_ops import composite_calls, dispatch, limits
from shared_ops import dtypes as dt
from shared_ops.aval import Aval
from shared_ops.complex_support import refuse_staged
from shared_ops.errors import OpError, user_location

from .graph import Graph, Node, get_default_graph
from .symbolic_size import SymbolicSize
from .unknown_dims import RESOLVED, materialize, needs_resolving, resolve

shared_ops.register_framework_dir(os.path.dirname(os.path.abspath(__file__)))


def placeholder(shape, dtype=dt.float32, name: str | None = None) -> Node:
    """An input fed at run time; dims are ints >= 0 or ``None`` (unknown: the batch size).

        x = placeholder((None, 784), name="x")

    A negative dim raises ValueError; a bool, float or string dim TypeError (``3.0`` too: only
    ``None`` means unknown, and a dim is never rounded); a shape over
    ``shared_ops.limits.MAX_ELEMENTS`` elements `SizeLimitError`.
    """
    dtype = dt.as_dtype(dtype, op="placeholder")
    location = user_location()
    shape = _placeholder_shape(shape, name, location)
    # Declared dims are the sizes of what will be fed: over the limit is a typo, say so now.
    limits.check_shape("placeholder", shape, dtype, location=location)
    return get_default_graph().add_node("placeholder", (), {}, Aval(shape, dtype),
                                        name=name or "placeholder", location=location)


def _placeholder_shape(shape, name: str | None, location) -> tuple:
    """The dims of ``shape``: ints (NumPy ints too) >= 0, or None for unknown. A bool, a float
    (even 3.0), a string or a negative dim is refused: int() would quietly turn them into
    some other shape."""
    who = f"placeholder %{name}" if name else "placeholder"
    at = f" ({location})" if location is not None else ""
    if isinstance(shape, str | bytes) or not hasattr(shape, "__iter__"):
        raise TypeError(f"{who}: shape must be a tuple of dims (ints, or None for unknown), "
                        f"got {type(shape).__name__} {shape!r:.80}{at}")
    dims = tuple(shape)
    for k, d in enumerate(dims):
        if d is None:
            continue
        if isinstance(d, bool | np.bool_) or not isinstance(d, int | np.integer):
            raise TypeError(f"{who}: dim {k} of shape {dims!r:.80} is {type(d).__name__} "
                            f"{d!r:.40}; a dim is an int, or None for unknown{at}")
        if d < 0:
            raise ValueError(f"{who}: dim {k} of shape {dims!r:.80} is {d}; dims are "
                             f"non-negative (None for unknown){at}")
    return tuple(None if d is None else int(d) for d in dims)


def variable(initial_value, name: str | None = None, trainable: bool = True,
             dtype=None) -> Node:
    """A value that lives across runs (weights); optimizers update it in place.

    ``initial_value`` is copied (Python floats and float lists default to float32, as everywhere).
    """
    value = _as_array(initial_value, dtype, op="variable")
    value = np.array(value, copy=True)  # owned storage: updated in place, never rebound
    return get_default_graph().add_node(
        "variable", (), {"trainable": bool(trainable)}, Aval(value.shape, value.dtype),
        name=name or "variable", location=user_location(), value=value)


def constant(value, name: str | None = None, dtype=None, graph: Graph | None = None) -> Node:
    """A fixed value baked into the graph."""
    arr = _as_array(value, dtype, op="constant")
    arr = np.array(arr, copy=True)
    arr.setflags(write=False)  # constants are shared; nobody may write into them
    return (graph or get_default_graph()).add_node(
        "constant", (), {}, Aval(arr.shape, arr.dtype), name=name or "constant",
        location=user_location(), meta=_composite_meta(), value=arr)


def _composite_meta() -> dict:
    # Nodes made inside a composite call (softmax...) remember it: fusion and diagrams use it.
    stack = composite_calls.composite_stack()
    return {"composite": stack} if stack else {}


def _as_array(value, dtype, *, op: str) -> np.ndarray:
    if dtype is not None:
        return dispatch.as_array(value, op=op, dtype=dt.as_dtype(dtype, op=op))
    if isinstance(value, np.ndarray):
        dt.check_supported(value.dtype, op=op)
        return value
    if hasattr(value, "numpy") and hasattr(value, "dtype"):  # a Tensor of some other mode
        return np.asarray(value.numpy())
    return dispatch.as_array(value, op=op)


# ---------------------------------------------------------------------------------------------
# The static mode: how a shared op applied to Nodes becomes a new node.


def _ancestors(graph: Graph) -> list[Graph]:
    """``graph`` and the graphs it is nested in (a control-flow body's ``parent`` chain)."""
    chain = []
    while graph is not None:
        chain.append(graph)
        graph = getattr(graph, "parent", None)
    return chain


def _graph_of(args: tuple) -> Graph:
    graphs = {id(a.graph): a.graph for a in args if isinstance(a, Node)}
    if not graphs:
        return get_default_graph()
    # Inside a control-flow body being traced, the default graph is the body: an op on values
    # of enclosing graphs is built there too (they are captured as body inputs).
    default = get_default_graph()
    candidates = [default, *graphs.values()]
    for g in candidates:
        chain = _ancestors(g)
        if all(any(o is c for c in chain) for o in graphs.values()):
            return g
    names = ", ".join(f"%{a.name}" for a in args if isinstance(a, Node))
    raise ValueError(f"inputs {names} belong to different graphs; build an op from nodes "
                     "of one graph")


def _as_node(a: Any, graph: Graph) -> Node:
    if isinstance(a, Node):
        return a if a.graph is graph else _lift(graph, a)
    for g in _ancestors(graph):  # an eager parameter captured by a trace, maybe further out
        captured = g.captures.get(id(a))
        if captured is not None:
            return captured if g is graph else _lift(graph, captured)
    return constant(a, graph=graph)


def _lift(graph: Graph, node: Node) -> Node:
    """A node of an enclosing graph, as seen from the control-flow body ``graph``."""
    lift = getattr(graph, "lift", None)
    if lift is None:
        raise ValueError(f"%{node.name} belongs to another graph than the one being built; "
                         "build an op from nodes of one graph")
    return lift(node)


def apply(op, args: tuple, attrs: dict) -> Node:
    """Stage ``op(*args, **attrs)`` into the graph of its Node arguments (the mode handler).

    Sizes known only at run time (`SymbolicSize`) become their 0-d graph values, and a
    reshape or broadcast to a ``shape=`` with such sizes or unknown (None) dims becomes the
    size-template op that computes the shape when it runs (`static.unknown_dims`)."""
    if any(type(a) is SymbolicSize for a in args):
        args = materialize(args)
    if op.name in RESOLVED and needs_resolving(op.name, args, attrs):
        name, args, attrs = resolve(op.name, args[0], attrs["shape"])
        op = shared_ops.OPS[name]
    graph = _graph_of(args)
    inputs = tuple(_as_node(a, graph) for a in args)
    location = user_location()
    try:
        aval = op.shape_rule(*(i.aval for i in inputs), **attrs)
    except OpError as e:
        raise e.with_location(location) from None
    if aval.dtype.kind == "c":  # a complex result (fft_r2c of a real value...): eager only
        refuse_staged(op.name)
    # A typo'd shape is an error here, at build time, not an allocation at run time.
    limits.check_shape(op.name, aval.shape, aval.dtype, location=location)
    return graph.add_node(op.name, inputs, attrs, aval, location=location,
                          meta=_composite_meta())


shared_ops.register_mode("static", Node, apply, priority=20)
# Sizes of graph values are graph values too: ``x / x.size(-1)`` stages.
shared_ops.register_mode("static_size", SymbolicSize, apply, priority=20)


# ---------------------------------------------------------------------------------------------
# `static.<op>`: every shared op, staged even when no argument is a Node yet (TF1: tf.add(1, 2)
# builds a node in the default graph).


def _contains_node(args) -> bool:
    return any(isinstance(a, Node) or (isinstance(a, list | tuple) and _contains_node(a))
               for a in args)


def staged(op):
    """Wrap a shared op (primitive or composite) so that it always builds a node: with no
    Node among the arguments, array arguments become constants of the default graph first
    (the first argument too when none is an array)."""
    variadic = getattr(op, "variadic", False)

    def call(*args, **attrs):
        if args and not _contains_node(args):
            graph = get_default_graph()
            if variadic:
                args = ([_as_node(a, graph) for a in args[0]],) + args[1:]
            else:
                args = tuple(_as_node(a, graph) if isinstance(a, np.ndarray | list) else a
                             for a in args)
                if not _contains_node(args):
                    args = (_as_node(args[0], graph),) + args[1:]
        return op(*args, **attrs)

    call.__name__ = call.__qualname__ = op.name
    call.__doc__ = op.doc
    call.op = op
    return call


_staged_ops: dict[str, Any] = {}


def lookup_op(name: str):
    """``static.<name>``: the staged shared op, found when first asked for."""
    if name not in _staged_ops:
        op = shared_ops.OPS.get(name)
        if op is None:
            raise AttributeError(f"module 'static' has no attribute {name!r} (no shared op or "
                                 "static function of that name)")
        _staged_ops[name] = staged(op)
    return _staged_ops[name]


# ---------------------------------------------------------------------------------------------
# State: assignments to variables and groups of nodes to run together (train ops).


def assign(var: Node, value, name: str | None = None) -> Node:
    """Write ``value`` into variable ``var`` when the node runs.

    Assignments are applied only after every node of a ``Session.run`` step ran successfully,
    so all nodes of a step read the variables' old values and a failed step changes nothing.
    Fetching the assign node gives the new value.
    """
    if not isinstance(var, Node) or var.op != "variable":
        raise TypeError(f"assign: target must be a variable node, got {var!r}")
    graph = var.graph
    if not isinstance(value, Node):  # plain values take the variable's dtype
        value = constant(value, dtype=var.dtype, graph=graph)
    if value.graph is not graph:
        raise ValueError(f"assign: %{value.name} and %{var.name} belong to different graphs")
    location = user_location()
    if value.dtype != var.dtype:
        raise shared_ops.DTypeError(
            "assign", f"value %{value.name} is {value.aval}, variable %{var.name} is "
            f"{var.aval}", dtypes=(value.dtype, var.dtype), location=location)
    try:
        shape = shared_ops.broadcast_shapes("assign", var.shape, value.shape)
    except OpError as e:
        raise e.with_location(location) from None
    if len(shape) != var.ndim or any(s is not None and v != s for v, s in zip(
            var.shape, shape, strict=True)):
        raise shared_ops.ShapeError(
            "assign", f"value %{value.name} {value.aval} does not fit variable %{var.name} "
            f"{var.aval}", shapes=(value.shape, var.shape), location=location)
    return graph.add_node("assign", (var, value), {}, var.aval,
                          name=name or f"assign_{var.name}", location=location)


def group(*nodes: Node, name: str | None = None) -> Node:
    """One node that runs all of ``nodes`` (tf.group): fetching it yields ``None``."""
    if len(nodes) == 1 and isinstance(nodes[0], list | tuple):
        nodes = tuple(nodes[0])
    graph = _graph_of(nodes) if nodes else get_default_graph()
    return graph.add_node("group", tuple(nodes), {}, Aval((), dt.bool_),
                          name=name or "group", location=user_location())
