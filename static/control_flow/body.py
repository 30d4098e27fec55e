"""Bodies of control-flow nodes: subgraphs traced from the user's functions.

`trace_body` calls a function on fresh placeholders of a child `BodyGraph` (the default graph
while it runs), so every op it calls lands in the body. Values of enclosing graphs that the
function closes over are *lifted*: the body gets a placeholder standing for each, and the
control node takes the outer node as an extra input (closure conversion, as in JAX). A `Body`
is immutable once traced and compared by identity, so it can be a node attr.

    @true_fn(%x: f32[3]; captures %w: f32[3,3]) -> (%matmul,)
        %matmul: f32[3] = matmul(%w, %x)  # model.py:9
"""

from __future__ import annotations

import inspect
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from shared_ops.aval import Aval
from shared_ops.errors import OpValueError, user_location

from ..builder import _as_node, constant
from ..graph import Graph, Node, format_listing, get_default_graph
from ..interpreter import Interpreter, required_nodes


class BodyGraph(Graph):
    """The graph of one control-flow body, nested in ``parent``."""

    def __init__(self, parent: Graph, label: str):
        super().__init__()
        self.parent = parent
        self.label = label
        # node of `parent` -> the placeholder standing for it here, in order of first use.
        self.lifted: dict[Node, Node] = {}

    def lift(self, node: Node) -> Node:
        """The placeholder standing for ``node`` of an enclosing graph (made on first use)."""
        if node.graph is not self.parent:
            lift_outer = getattr(self.parent, "lift", None)
            if lift_outer is None:
                raise ValueError(f"%{node.name} belongs to a graph that does not enclose the "
                                 f"body {self.label}; build an op from nodes of one graph")
            node = lift_outer(node)
        inner = self.lifted.get(node)
        if inner is None:
            inner = self.add_node("placeholder", (), {}, node.aval, name=node.name,
                                  location=node.location, meta={"captures": node.name})
            self.lifted[node] = inner
        return inner


@dataclass(frozen=True, eq=False)
class Body:
    """A traced function: its input placeholders (arguments, then captures), its outputs,
    and the outer nodes the captures stand for (the control node's extra inputs)."""

    graph: Graph  # a BodyGraph when traced or loaded; a plain Graph after compiler passes
    inputs: tuple[Node, ...]
    outputs: tuple[Node, ...]
    captured: tuple[Node, ...]
    label: str

    @property
    def in_avals(self) -> list[Aval]:
        return [i.aval for i in self.inputs]

    @property
    def out_avals(self) -> list[Aval]:
        return [o.aval for o in self.outputs]

    def __repr__(self) -> str:
        return f"@{self.label}"

    def listing_lines(self) -> list[str]:
        """The body as a nested listing: a signature line, then its nodes indented."""
        n_args = len(self.inputs) - len(self.captured)
        args = ", ".join(f"%{i.name}: {i.aval}" for i in self.inputs[:n_args])
        if self.captured:  # values closed over, after a `;` so they read apart from the args
            args += "; captures " + ", ".join(f"%{i.name}: {i.aval}"
                                               for i in self.inputs[n_args:])
        outs = ", ".join(f"%{o.name}" for o in self.outputs)
        head = f"@{self.label}({args}) -> ({outs}{',' if len(self.outputs) == 1 else ''})"
        body = [n for n in self.graph.nodes if n.op != "placeholder"]
        return [head] + ["    " + line for line in format_listing(body).splitlines()]

    def with_captures(self, captured: Sequence[Node]) -> Body:
        """This body taking exactly ``captured`` (a superset of its own, in that order) after
        its arguments, so sibling bodies (two branches, cond_fn and body_fn) share inputs."""
        n_args = len(self.inputs) - len(self.captured)
        mine = dict(zip(self.captured, self.inputs[n_args:], strict=True))
        extra = [mine[c] if c in mine else self.graph.lift(c) for c in captured]
        return Body(self.graph, self.inputs[:n_args] + tuple(extra), self.outputs,
                    tuple(captured), self.label)


def trace_body(fn: Callable, avals: Sequence[Aval], names: Sequence[str], label: str,
               call: Callable | None = None) -> tuple[Body, object]:
    """Trace ``fn`` on placeholders of ``avals`` in a child of the default graph.

    ``call(fn, placeholders)`` invokes it (default ``fn(*placeholders)``) and returns the
    outputs: a node or value, or a tuple/list of them. Returns the `Body` and whether the
    result was a single value (``True``) or a tuple (``False``).
    """
    parent = get_default_graph()
    graph = BodyGraph(parent, label)
    if call is None:  # a body's inputs read best under the names the function gives them
        names = param_names(fn, len(avals)) or names
    location = user_location()
    with graph.as_default():
        args = [graph.add_node("placeholder", (), {}, a, name=n, location=location)
                for a, n in zip(avals, names, strict=True)]
        out = fn(*args) if call is None else call(fn, args)
        single = not isinstance(out, tuple | list)
        leaves = [out] if single else list(out)
        outputs = tuple(_output_node(v, graph, label) for v in leaves)
    if any(n.op == "assign" for n in graph.nodes):
        raise OpValueError(label, "assigning a variable inside a control-flow body is not "
                           "supported; return the new value and assign it after the "
                           "cond/loop").with_location(location)
    known = set(args) | set(graph.lifted.values())
    stray = next((n for n in graph.nodes if n.op == "placeholder" and n not in known), None)
    if stray is not None:
        raise OpValueError(label, f"placeholder %{stray.name} was created inside a "
                           "control-flow body, where nothing can feed it; create it outside "
                           "and pass it as an operand (or close over it)").with_location(
                               stray.location)
    # Code whose value the outputs do not need (a gradient rule's unused forward) goes.
    needed = set(required_nodes(graph, outputs))
    graph.remove([n for n in graph.nodes if n not in needed and n.op != "placeholder"])
    captured = tuple(graph.lifted)
    inputs = tuple(args) + tuple(graph.lifted[c] for c in captured)
    return Body(graph, inputs, outputs, captured, label), single


def param_names(fn: Callable, count: int) -> list[str] | None:
    """The names of ``fn``'s first ``count`` positional parameters, if it has exactly those."""
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return None
    plain = [p.name for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return plain if len(plain) == count == len(params) else None


def _output_node(value, graph: BodyGraph, label: str) -> Node:
    if value is None:
        raise OpValueError(label, "returned None where an array was expected").with_location(
            user_location())
    return _as_node(value, graph)


def unify_captures(bodies: Sequence[Body]) -> tuple[list[Body], tuple[Node, ...]]:
    """Sibling bodies rewritten to take the union of their captures (first use order)."""
    captured: dict[Node, None] = {}
    for b in bodies:
        captured.update(dict.fromkeys(b.captured))
    union = tuple(captured)
    return [b.with_captures(union) for b in bodies], union


def inline(body: Body, args: Sequence) -> list[Node]:
    """Copy ``body``'s nodes into the default graph with ``args`` for its inputs; returns the
    copies of its outputs. Gradient rules use it to rebuild a body they can differentiate."""
    graph = get_default_graph()
    env: dict[Node, Node] = {p: _as_node(a, graph) for p, a in zip(body.inputs, args,
                                                                    strict=True)}
    for n in body.graph.nodes:
        if n in env:
            continue
        if n.op == "placeholder":
            raise ValueError(f"inline: body {body.label} has an unbound input %{n.name}")
        if n.op == "constant":
            env[n] = constant(n.value, name=n.name, graph=graph)
            continue
        env[n] = graph.add_node(n.op, tuple(env[i] for i in n.inputs), n.attrs, n.aval,
                                name=n.name, location=n.location,
                                meta={k: v for k, v in n.meta.items() if k != "role"},
                                value=n.value)
    return [env[o] for o in body.outputs]


# One interpreter per body, so its plan is computed once, not at every loop step.
_interpreters: weakref.WeakKeyDictionary[Body, Interpreter] = weakref.WeakKeyDictionary()


def run_body(body: Body, values: Sequence[np.ndarray]) -> list[np.ndarray]:
    """Evaluate ``body`` on input arrays (arguments, then captures) with the interpreter."""
    interp = _interpreters.get(body)
    if interp is None:
        interp = _interpreters[body] = Interpreter(body.graph)
    return interp.run(list(body.outputs), dict(zip(body.inputs, values, strict=True)))
