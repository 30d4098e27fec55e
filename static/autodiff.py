"""Symbolic reverse-mode autodiff: `gradients(ys, xs)` adds backward nodes to the graph.

The backward nodes come from the same gradient rules (VJPs) the eager mode runs: each rule is
written with shared_ops calls, so called with Nodes it stages its computation into the graph.
Backward nodes are ordinary nodes, so gradients of gradients work by calling `gradients` again.

Every node built here is tagged ``meta["role"] = "backward"`` and ``meta["grad_of"]`` = the
name of the forward node whose gradient rule made it (for diagrams and error messages).
Following ``tf.gradients``, an ``x`` that no ``y`` depends on gets ``None``. Only the nodes the
requested gradients need stay in the graph (a rule also builds gradients for inputs that were
not asked for; those are dropped again).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

import shared_ops
from shared_ops.errors import GradientError, pinned_location, user_location

from .builder import _as_node, constant
from .gc_pause import gc_paused
from .graph import Graph, Node
from .interpreter import required_nodes


@gc_paused()  # builds O(n) long-lived nodes: see gc_pause for why
def gradients(ys: Node | Sequence[Node], xs: Node | Sequence[Node],
              grad_ys: Node | Sequence | None = None) -> list[Node | None]:
    """d(sum of ys)/d(x) for each x, as new nodes (``None`` where x does not reach any y).

    ``grad_ys`` are the cotangents to start from (default: ones, i.e. the gradient of
    ``sum(y)``); a y that is not a scalar is summed, as in ``tf.gradients``.
    """
    ys = [ys] if isinstance(ys, Node) else list(ys)
    xs = [xs] if isinstance(xs, Node) else list(xs)
    graph = ys[0].graph
    for n in ys + xs:
        if not isinstance(n, Node) or n.graph is not graph:
            raise ValueError(f"gradients: {n!r} is not a node of the graph of %{ys[0].name}")
    if grad_ys is None:
        grad_ys = [None] * len(ys)
    elif isinstance(grad_ys, Node) or not isinstance(grad_ys, Sequence):
        grad_ys = [grad_ys]
    location = user_location()

    start = len(graph.nodes)
    between = _nodes_between(graph, xs, ys)
    grads: dict[Node, Node] = {}
    with graph.meta_scope(role="backward"), pinned_location(location):
        for y, gy in zip(ys, grad_ys, strict=True):
            if y not in between:
                continue
            with graph.meta_scope(grad_of=y.name):
                g = _ones_like(y) if gy is None else _as_node(gy, graph)
            _accumulate(grads, y, g)
        tuple_cts: dict[Node, dict[int, Node]] = {}  # control node -> cotangent per output
        for node in reversed(graph.nodes[:start]):  # the forward nodes, last first
            if node.op == "tuple_get" or node.op in STATIC_VJPS:
                _backprop_tuple(node, grads, tuple_cts, between)
                continue
            g = grads.get(node)
            if g is None or node not in between or not node.inputs:
                continue
            _backprop(node, g, grads, between, location)
    result = [grads.get(x) for x in xs]
    # A rule builds the gradient of every input (d/dexponent of x ** 2, d/dx when only w was
    # asked for); keep only the new nodes the requested gradients use.
    needed = set(required_nodes(graph, [r for r in result if r is not None]))
    graph.remove([n for n in graph.nodes[start:] if n not in needed])
    graph.renumber(graph.nodes[start:])
    return result


def _nodes_between(graph: Graph, xs: list[Node], ys: list[Node]) -> set[Node]:
    """Nodes on some path from an x to a y: only their gradients are worth building."""
    from_x: set[Node] = set(xs)
    for node in graph.nodes:
        if any(i in from_x for i in node.inputs):
            from_x.add(node)
    to_y: set[Node] = set()
    stack = [y for y in ys if y in from_x]
    while stack:
        node = stack.pop()
        if node in to_y:
            continue
        to_y.add(node)
        stack.extend(i for i in node.inputs if i in from_x)
    return to_y


def _backprop(node: Node, g: Node, grads: dict, between: set, location) -> None:
    """Run ``node``'s gradient rule on its cotangent and add the results to its inputs."""
    wanted = [i in between and k not in _nondiff(node) for k, i in enumerate(node.inputs)]
    if not any(wanted):
        return
    op = shared_ops.OPS.get(node.op)
    if op is None or not op.primitive:
        raise GradientError(node.op, f"cannot differentiate through %{node.name} "
                            f"({node.listing()}): not a shared_ops primitive", location=location)
    if not op.differentiable_output:
        return  # comparisons, argmax, numel, stop_gradient: no gradient flows back (as TF)
    graph = node.graph
    with graph.meta_scope(grad_of=node.name):
        if op.vjp_needs:  # the rule skips the gradients nobody wants: fewer nodes to prune
            parts = op.vjp(g, node.inputs, node, needs=tuple(wanted), **node.attrs)
        else:
            parts = op.vjp(g, node.inputs, node, **node.attrs)
        for inp, want, part in zip(node.inputs, wanted, parts, strict=True):
            if want and part is not None:
                _accumulate(grads, inp, _as_node(part, graph))


# Gradient rules of static-only multi-output ops (control flow): ``rule(node, cotangents,
# wanted) -> one gradient per input``, where ``cotangents`` has one entry per output (None:
# no gradient reaches that output) and ``wanted`` says which inputs need a gradient.
STATIC_VJPS: dict[str, Callable] = {}


def register_static_vjp(op: str, rule: Callable) -> None:
    """Give the static-only multi-output ``op`` a gradient rule (see `STATIC_VJPS`)."""
    STATIC_VJPS[op] = rule


def _backprop_tuple(node: Node, grads: dict, tuple_cts: dict, between: set) -> None:
    """A ``tuple_get`` hands its cotangent to its control node; a control node, reached after
    all its ``tuple_get``s, runs its rule on the collected cotangents."""
    if node not in between:
        return
    if node.op == "tuple_get":
        g = grads.get(node)
        if g is not None:
            parts = tuple_cts.setdefault(node.inputs[0], {})
            k = node.attrs["index"]
            parts[k] = g if k not in parts else shared_ops.add(parts[k], g)
        return
    parts = tuple_cts.get(node)
    wanted = [i in between and i.dtype.kind == "f" for i in node.inputs]
    if not parts or not any(wanted):
        return
    cotangents = [parts.get(k) for k in range(len(node.attrs["out_avals"]))]
    with node.graph.meta_scope(grad_of=node.name):
        results = STATIC_VJPS[node.op](node, cotangents, wanted)
        for inp, want, part in zip(node.inputs, wanted, results, strict=True):
            if want and part is not None:
                _accumulate(grads, inp, _as_node(part, node.graph))


def _nondiff(node: Node) -> frozenset:
    op = shared_ops.OPS.get(node.op)
    return op.nondiff_inputs if op is not None and op.primitive else frozenset()


def _accumulate(grads: dict, node: Node, g: Node) -> None:
    """Sum the cotangents reaching one node (it feeds several users)."""
    if g.dtype != node.dtype and node.dtype.kind == "f":
        g = shared_ops.cast(g, dtype=node.dtype)
    previous = grads.get(node)
    if previous is None:
        grads[node] = g
    else:
        with node.graph.meta_scope(grad_of=node.name):
            grads[node] = shared_ops.add(previous, g)


def _ones_like(y: Node) -> Node:
    one = constant(np.ones((), y.dtype), name="ones", graph=y.graph)
    if y.ndim == 0:
        return one
    if None not in y.shape:
        return shared_ops.broadcast_to(one, shape=y.shape)
    return shared_ops.broadcast_to(one, y)
