"""cse: common-subexpression elimination.

Two nodes with the same op, the same (already deduplicated) inputs and equal attrs compute the
same value: the later one is dropped and its users read the first. Small constants with equal
dtype, shape and contents merge too. Placeholders, variables, assignments and groups are never
merged (each stands for its own storage or effect).
"""

from __future__ import annotations

from typing import Any

import shared_ops

from ...graph import Graph, Node
from ..context import PassContext, PassReport
from ..rewriter import Rewriter

_SMALL_CONSTANT = 64  # elements; larger constants are compared by identity only


def cse(graph: Graph, ctx: PassContext) -> PassReport:
    """Merge nodes that provably compute the same value."""
    rw = Rewriter(graph, ctx, "cse")
    seen: dict[Any, Node] = {}
    for node in graph.nodes:
        inputs = rw.inputs(node)
        key = _key(node, inputs)
        if key is not None and key in seen:
            rw.replace(node, seen[key], "cse")
            continue
        new = rw.copy(node, inputs)
        if key is not None:
            seen[key] = new
    return rw.finish()


def _key(node: Node, inputs: tuple[Node, ...]):
    if node.op == "constant":
        v = node.value
        if v.size > _SMALL_CONSTANT:
            return None
        return ("constant", v.dtype.str, v.shape, v.tobytes())
    op = shared_ops.OPS.get(node.op)
    if op is None or not op.primitive:
        return None
    try:
        attrs = tuple(sorted((k, type(v).__name__, v) for k, v in node.attrs.items()))
        hash(attrs)
    except TypeError:  # an unhashable attr: leave the node alone rather than guess
        return None
    return (node.op, tuple(id(i) for i in inputs), attrs)
