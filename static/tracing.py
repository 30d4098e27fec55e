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
import types
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np

from shared_ops import dispatch
from shared_ops.aval import Aval
from shared_ops.errors import user_location

from .builder import constant, placeholder
from .graph import Graph, Node
from .pytree import flatten, leaf_paths, unflatten
from .symbolic_size import tracing_user_code
from .trace_captures import outside_values
from .traced import TensorSpec, Traced, as_spec, is_array_like, is_spec_leaf

__all__ = ["TensorSpec", "Traced", "as_spec", "call_traced", "captured", "flatten",
           "input_names", "is_array_like", "output_nodes", "side_effects", "target_of",
           "trace", "unflatten"]


# ---------------------------------------------------------------------------------------------
# Modules: finding the parameters, capturing them as variables that share storage.


def target_of(module_or_fn: Any, closures: bool = False) -> tuple[Callable,
                                                                list[tuple[str, Any]]]:
    """The callable to run and the named parameters (and buffers) to capture.

    A Module is called as is (its ``__call__`` runs hooks and ``forward``); a bound method of
    a Module captures that Module's parameters too. With ``closures``, a plain function
    captures the Modules, tensors and arrays it reads through closures and globals
    (`static.trace_captures`), so that they are read live rather than frozen.
    """
    owner = module_or_fn if hasattr(module_or_fn, "named_parameters") else \
        getattr(module_or_fn, "__self__", None)
    if not callable(module_or_fn):
        raise TypeError(f"static.trace: expected a function or a Module, got "
                        f"{type(module_or_fn).__name__}")
    if owner is None or not hasattr(owner, "named_parameters"):
        if closures and isinstance(module_or_fn, types.FunctionType):
            captured, frozen = outside_values(module_or_fn)
            for name, why in frozen:
                warnings.warn(f"static.trace: {name!r} ({why}) is baked into the graph as a "
                              "constant: later changes to it are not seen", stacklevel=3)
            # Variables are named as the Module names its parameters (``weight``), as when
            # the Module itself is traced; a tensor read directly keeps its own name.
            return module_or_fn, [(name.partition(".")[2] or name, obj)
                                  for name, obj in captured]
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

    ``inputs`` (and keyword arguments) are Nodes of an existing graph (returns the output
    node(s) in that graph), or specs: `TensorSpec`, ``(shape, dtype)`` tuples, example arrays
    (returns a `Traced` over a new graph), alone or nested in tuples, lists and dicts; None
    and other arguments (ints, flags...) are passed to the function unchanged.
    """
    fn, params = target_of(module_or_fn, closures=True)
    kwargs = dict(sorted(kwargs.items()))  # one order, as `static.function` keys them
    leaves: list[Any] = []
    template = flatten((inputs, kwargs), leaves, is_spec_leaf)
    nodes = [a for a in leaves if isinstance(a, Node)]
    if nodes:
        graph = nodes[0].graph
        with graph.as_default(), captured(graph, params):
            return call_traced(fn, inputs, kwargs)
    graph = Graph()
    names = _leaf_names(fn, inputs, kwargs)
    with graph.as_default():
        args, slots = [], []
        for i, (name, value) in enumerate(zip(names, leaves, strict=True)):
            spec = as_spec(value)
            if spec is not None:
                slots.append(i)
                value = placeholder(spec.shape, spec.dtype, name=spec.name or name)
            args.append(value)
        sym_inputs, sym_kwargs = unflatten(template, iter(args))
        with captured(graph, params):
            out = call_traced(fn, tuple(sym_inputs), sym_kwargs)
        outputs = output_nodes(graph, out)
    out_template = flatten(out, [])
    return Traced(graph, tuple(args[i] for i in slots), outputs, tuple(graph.variables()),
                  side_effects(graph, outputs), template, tuple(slots), out_template)


def _leaf_names(fn: Callable, inputs: tuple, kwargs: dict) -> list[str]:
    """Placeholder names for the leaves of ``(inputs, kwargs)``: the parameter's name, with
    the path inside a structure (``state.0``, ``batch.tokens``)."""
    names = []
    for name, value in zip(input_names(fn, len(inputs)), inputs, strict=True):
        names += leaf_paths(flatten(value, [], is_spec_leaf), name)
    for key, value in kwargs.items():
        names += leaf_paths(flatten(value, [], is_spec_leaf), key)
    return names


def side_effects(graph: Graph, outputs: tuple[Node, ...]) -> tuple[Node, ...]:
    """The outermost state updates of a graph that the outputs do not already run: train ops
    (``group``s nobody uses) and ``assign``s outside any group."""
    users = graph.users()
    return tuple(n for n in graph.nodes if n.op in ("assign", "group") and n not in outputs
                 and not any(u.op == "group" for u in users[n]))


def call_traced(fn: Callable, args: tuple, kwargs: dict) -> Any:
    """Run ``fn`` on symbolic values; a failure says that it happened while tracing."""
    try:
        with tracing_user_code():
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
    """The flat output nodes of a traced result (a node, or a nested tuple/list/dict of them;
    None there is an empty structure, as in `static.pytree`).

    Arrays and numbers among the results (values that do not depend on the inputs) become
    constants, so every output can be fetched.
    """
    leaves: list[Any] = []
    flatten(out, leaves)
    nodes = []
    for leaf in leaves:
        if isinstance(leaf, Node):
            nodes.append(leaf)
        elif hasattr(leaf, "size_expression"):  # a size known at run time (x.size(0))
            nodes.append(leaf.node)
        elif id(leaf) in graph.captures:
            nodes.append(graph.captures[id(leaf)])
        else:
            nodes.append(constant(np.asarray(leaf), graph=graph))
    return tuple(nodes)
