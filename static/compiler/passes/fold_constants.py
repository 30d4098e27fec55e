"""fold_constants: compute at compile time every node whose inputs are all constant.

Constants are ``constant`` nodes and, for inference, the variables named in ``ctx.frozen``
(``compile(..., freeze=True)``): their current value is baked in, so whole subgraphs over
weights (a transposed weight, a scale computed from constants) disappear. A folded node keeps
its name and the union of the origins of what it replaced.

Folding never grows the graph's storage much: a node whose result is larger than its inputs
together (``broadcast_to`` of a scalar to a big shape) stays an op; `simplify` handles those.
"""

from __future__ import annotations

import numpy as np

import shared_ops

from ...graph import Graph, Node
from ..context import PassContext, PassReport
from ..rewriter import Rewriter

# A fold may produce at most this many elements beyond what its inputs hold already.
_MAX_GROWTH = 4096
# Ops that must run every step even on constant inputs.
_NEVER_FOLD = frozenset({"placeholder", "variable", "assign", "group"})


def fold_constants(graph: Graph, ctx: PassContext) -> PassReport:
    """Replace constant subgraphs by their values."""
    rw = Rewriter(graph, ctx, "fold_constants")
    assigned = {n.inputs[0] for n in graph.nodes if n.op == "assign"}
    for node in graph.nodes:
        if node.op == "variable" and node.name in ctx.frozen and node not in assigned:
            rw.replace(node, rw.constant(node.value, origin=[node], name=node.name), "freeze")
            continue
        new_inputs = rw.inputs(node)
        if _foldable(node, new_inputs):
            value = _evaluate(node, new_inputs)
            if value is not None:
                rw.replace(node, rw.constant(value, origin=[node, *new_inputs],
                                             name=node.name, like=node), "fold")
                continue
        rw.copy(node, new_inputs)
    return rw.finish()


def _foldable(node: Node, inputs: tuple[Node, ...]) -> bool:
    if node.op in _NEVER_FOLD or node.op == "constant" or not inputs:
        return False
    op = shared_ops.OPS.get(node.op)
    if op is None or not op.primitive:
        return False
    if not all(i.op == "constant" for i in inputs):
        return False
    size = node.aval.size()
    return size is not None and size <= _MAX_GROWTH + sum(i.value.size for i in inputs)


def _evaluate(node: Node, inputs: tuple[Node, ...]) -> np.ndarray | None:
    op = shared_ops.OPS[node.op]
    try:
        out = np.asarray(op.kernel(*(i.value for i in inputs), **node.attrs))
    except Exception:  # noqa: BLE001 -- a failing fold is left for run time, which explains it
        return None
    if out.shape != node.shape or out.dtype != node.dtype:
        return None
    return out
