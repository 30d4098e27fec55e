"""Tracing: run ordinary Python (a function or a Module) on symbolic inputs to capture a graph.

The code being traced calls shared ops as usual; with `Node` arguments every op is staged into
a graph instead of computed (torch.fx / tf.function style). A Module-like object (anything with
``named_parameters()``, e.g. an eager ``nn.Module``) has its parameters captured as variables
that share the parameters' NumPy storage, so training the graph trains the Module itself.

Two ways to call `trace`:

* with shape specs (`TensorSpec`, a ``(shape, dtype)`` tuple, or an example array) it builds
  a new graph and returns a `Traced` (``.graph``, ``.inputs``, ``.outputs``, ``.variables``);
* with existing nodes (placeholders of a TF1-style graph) it adds to *their* graph and
  returns the output node(s), so a traced Module composes with hand-written loss and
  ``minimize`` code.

    >>> t = trace(model, TensorSpec((None, 10)))            # doctest: +SKIP
    >>> print(t.graph)                                       # doctest: +SKIP
    %x: f32[?,10] = placeholder()                         # train.py:7
    %fc1.weight: f32[5,10] = variable()                   # train.py:7
    %fc1.bias: f32[5] = variable()                        # train.py:7
    %fc2.weight: f32[1,5] = variable()                    # train.py:7
    %fc2.bias: f32[1] = variable()                        # train.py:7
    %transpose: f32[10,5] = transpose(%fc1.weight)        # model.py:11
    %matmul: f32[?,5] = matmul(%x, %transpose)            # model.py:11
    ...

With a training step inside (``minimize``), the updates are the Traced's ``effects`` and run
with every call, as in tf.function.

Python control flow on a symbolic value (``if x.sum() > 0:``) cannot be traced: the error
names the user's line and suggests ``static.cond`` or eager mode.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from shared_ops import dispatch
from shared_ops import dtypes as dt
from shared_ops.aval import Aval
from shared_ops.errors import user_location

from .builder import constant, placeholder
from .graph import Graph, Node


class TensorSpec(NamedTuple):
    """The shape (dims may be ``None``) and dtype of a traced input, like ``tf.TensorSpec``.

        >>> TensorSpec((None, 10))
        TensorSpec(shape=(None, 10), dtype=dtype('float32'), name=None)
    """

    shape: tuple
    dtype: np.dtype = dt.float32
    name: str | None = None

    @classmethod
    def of(cls, value: Any, name: str | None = None) -> TensorSpec:
        """The spec of an array (or Tensor, or Node): its exact shape and dtype."""
        return cls(tuple(value.shape), np.dtype(value.dtype), name)

    def matches(self, value: Any) -> bool:
        """Whether an array fits: same dtype and rank, every known dim equal."""
        return (np.dtype(value.dtype) == self.dtype and len(value.shape) == len(self.shape)
                and all(d is None or d == s for d, s in zip(self.shape, value.shape, strict=True)))


def as_spec(value: Any) -> TensorSpec | None:
    """A `TensorSpec` from a spec, a ``(shape, dtype)`` tuple or an array; None otherwise."""
    if isinstance(value, TensorSpec):
        return TensorSpec(tuple(value.shape), dt.as_dtype(value.dtype, op="TensorSpec"),
                          value.name)
    if (isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], tuple | list)
            and all(d is None or isinstance(d, int) for d in value[0])
            and isinstance(value[1], str | np.dtype | type)):
        return TensorSpec(tuple(value[0]), dt.as_dtype(value[1], op="TensorSpec"))
    if is_array_like(value):
        return TensorSpec.of(value)
    return None


def is_array_like(value: Any) -> bool:
    """NumPy arrays and array-backed tensors of other modes (they have shape, dtype and
    ``__array__``); static Nodes are not (they have no value yet)."""
    return (isinstance(value, np.ndarray)
            or (not isinstance(value, Node) and hasattr(value, "__array__")
                and hasattr(value, "shape") and hasattr(value, "dtype")))


@dataclass(frozen=True)
class Traced:
    """A traced graph with its inputs (placeholders), outputs and variables (the captured
    parameters first, then any the function made, such as optimizer slots).

    ``effects`` are the state updates the function made (``assign``s, train ops from
    ``minimize``): like tf.function, every run executes them too, so a traced training step
    trains. Calling a Traced runs the graph on arrays (one `Session` kept per Traced) and
    returns the outputs' arrays.
    """

    graph: Graph
    inputs: tuple[Node, ...]
    outputs: tuple[Node, ...]
    variables: tuple[Node, ...]
    effects: tuple[Node, ...] = ()

    @property
    def output(self) -> Node:
        """The one output (an error when the function returned several)."""
        if len(self.outputs) != 1:
            raise ValueError(f"the traced function has {len(self.outputs)} outputs; use .outputs")
        return self.outputs[0]

    def __call__(self, *arrays: Any) -> Any:
        from .session import Session

        if len(arrays) != len(self.inputs):
            raise TypeError(f"traced graph takes {len(self.inputs)} inputs "
                            f"({', '.join('%' + n.name for n in self.inputs)}), got {len(arrays)}")
        session = self.__dict__.get("_session")
        if session is None:
            session = Session(self.graph)
            object.__setattr__(self, "_session", session)
        feeds = {n: np.asarray(a) for n, a in zip(self.inputs, arrays, strict=True)}
        values = session.run([*self.outputs, *self.effects], feeds)[:len(self.outputs)]
        return values[0] if len(values) == 1 else tuple(values)


# ---------------------------------------------------------------------------------------------
# Modules: finding the parameters, capturing them as variables that share storage.


def target_of(module_or_fn: Any) -> tuple[Callable, list[tuple[str, Any]]]:
    """The callable to run and the named parameters (and buffers) to capture.

    A Module is called as is (its ``__call__`` runs hooks and ``forward``); a bound method of
    a Module captures that Module's parameters too.
    """
    owner = module_or_fn if hasattr(module_or_fn, "named_parameters") else \
        getattr(module_or_fn, "__self__", None)
    if not callable(module_or_fn):
        raise TypeError(f"static.trace: expected a function or a Module, got "
                        f"{type(module_or_fn).__name__}")
    if owner is None or not hasattr(owner, "named_parameters"):
        return module_or_fn, []
    params = list(owner.named_parameters())
    if hasattr(owner, "named_buffers"):
        params += list(owner.named_buffers())
    return module_or_fn, params


def _variable_for(graph: Graph, name: str, obj: Any, trainable: bool) -> Node:
    """The graph's variable over ``obj``'s storage: reused if present, else added (no copy)."""
    array = np.asarray(obj)  # a Parameter's own ndarray, not a copy
    for node in graph.variables():
        if node.value is array:
            return node
    node = graph.add_node("variable", (), {"trainable": trainable},
                          Aval(array.shape, array.dtype), name=name, location=user_location(),
                          value=array)
    if not np.shares_memory(node.value, array):  # training must write into the Module
        raise RuntimeError(f"static.trace: variable %{node.name} does not share storage with "
                           f"parameter {name!r}")
    return node


@contextmanager
def captured(graph: Graph, params: list[tuple[str, Any]]) -> Iterator[list[Node]]:
    """Inside the block, ops on the parameters stage into ``graph`` on their variable nodes.

    `dispatch.capture` sends every op touching a parameter to the static mode (so that
    ``self.weight.t()`` with no Node argument is staged, not computed once), and
    ``graph.captures`` tells the builder which variable stands for each parameter.
    """
    nodes = []
    for name, obj in params:
        trainable = bool(getattr(obj, "requires_grad", True)) and np.asarray(obj).dtype.kind == "f"
        nodes.append(_variable_for(graph, name, obj, trainable))
    objs = [obj for _, obj in params]
    added = [id(o) for o in objs if id(o) not in graph.captures]
    graph.captures.update({id(o): n for o, n in zip(objs, nodes, strict=True)})
    try:
        with dispatch.capture(objs, "static"):
            yield nodes
    finally:
        for i in added:  # ids can be reused once an object dies: forget them after the trace
            graph.captures.pop(i, None)


# ---------------------------------------------------------------------------------------------
# trace


def trace(module_or_fn: Any, *inputs: Any, **kwargs: Any) -> Traced | Any:
    """Trace ``module_or_fn(*inputs, **kwargs)`` into a graph.

    ``inputs`` are Nodes of an existing graph (returns the output node(s) in that graph), or
    specs: `TensorSpec`, ``(shape, dtype)`` tuples, example arrays (returns a `Traced` over a
    new graph). Other arguments (ints, flags...) are passed to the function unchanged.
    """
    fn, params = target_of(module_or_fn)
    leaves: list[Any] = []
    flatten((inputs, kwargs), leaves)
    nodes = [a for a in leaves if isinstance(a, Node)]
    if nodes:
        graph = nodes[0].graph
        with graph.as_default(), captured(graph, params):
            return call_traced(fn, inputs, kwargs)
    graph = Graph()
    names = input_names(fn, len(inputs))
    with graph.as_default():
        args = []
        for name, value in zip(names, inputs, strict=True):
            spec = as_spec(value)
            args.append(value if spec is None else
                        placeholder(spec.shape, spec.dtype, name=spec.name or name))
        with captured(graph, params):
            out = call_traced(fn, tuple(args), kwargs)
        outputs = output_nodes(graph, out)
    inputs = tuple(a for a in args if isinstance(a, Node))
    return Traced(graph, inputs, outputs, tuple(graph.variables()), side_effects(graph, outputs))


def side_effects(graph: Graph, outputs: tuple[Node, ...]) -> tuple[Node, ...]:
    """The outermost state updates of a graph that the outputs do not already run: train ops
    (``group``s nobody uses) and ``assign``s outside any group."""
    users = graph.users()
    return tuple(n for n in graph.nodes if n.op in ("assign", "group") and n not in outputs
                 and not any(u.op == "group" for u in users[n]))


def call_traced(fn: Callable, args: tuple, kwargs: dict) -> Any:
    """Run ``fn`` on symbolic values; a failure says that it happened while tracing."""
    try:
        return fn(*args, **kwargs)
    except Exception as e:
        name = getattr(fn, "__qualname__", None) or type(fn).__name__  # Modules: class name
        e.add_note(f"(raised while tracing {name} into a static graph)")
        raise


def input_names(fn: Callable, n: int) -> list[str]:
    """Placeholder names from the function's parameter names (``forward(self, x)`` -> x)."""
    target = getattr(fn, "forward", fn)
    try:
        params = [p for p in inspect.signature(target).parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        params = []
    names = [p.name for p in params[:n]]
    return names + [f"input_{i}" for i in range(len(names), n)]


def output_nodes(graph: Graph, out: Any) -> tuple[Node, ...]:
    """The flat output nodes of a traced result (a node, or a nested tuple/list/dict of them).

    Arrays and numbers among the results (values that do not depend on the inputs) become
    constants, so every output can be fetched.
    """
    leaves: list[Any] = []
    flatten(out, leaves)
    nodes = []
    for leaf in leaves:
        if isinstance(leaf, Node):
            nodes.append(leaf)
        elif id(leaf) in graph.captures:
            nodes.append(graph.captures[id(leaf)])
        elif leaf is None:
            raise TypeError("static.trace: the traced function returned None where a value "
                            "was expected; return the output node(s)")
        else:
            nodes.append(constant(np.asarray(leaf), graph=graph))
    return tuple(nodes)


def flatten(tree: Any, out: list) -> Any:
    """Leaves of nested tuples/lists/dicts, in order; returns a hashable template for
    `unflatten` (it is part of `static.function`'s cache key)."""
    if isinstance(tree, list | tuple):
        return type(tree), tuple(flatten(t, out) for t in tree)
    if isinstance(tree, dict):
        return dict, tuple((k, flatten(v, out)) for k, v in tree.items())
    out.append(tree)
    return None


def unflatten(template: Any, leaves: Iterator[Any]) -> Any:
    """Rebuild the structure `flatten` saw, taking leaves in order."""
    if template is None:
        return next(leaves)
    kind, inner = template
    if kind is dict:
        return {k: unflatten(v, leaves) for k, v in inner}
    items = [unflatten(t, leaves) for t in inner]
    return kind(items) if kind in (list, tuple) else kind(*items)
