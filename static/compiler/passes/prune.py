"""prune: keep only what the fetches need (dead-code elimination).

Nodes no fetch depends on (a debugging print left in the model, the gradient of an input
nobody asked for) are dropped; the report counts them as ``dead``.
"""

from __future__ import annotations

from ...graph import Graph
from ...interpreter import required_nodes
from ..context import PassContext, PassReport
from ..rewriter import Rewriter


def prune(graph: Graph, ctx: PassContext) -> PassReport:
    """Copy the fetches and their dependencies, in order; everything else is dropped."""
    rw = Rewriter(graph, ctx, "prune")
    keep = required_nodes(graph, ctx.fetches)
    for node in keep:
        rw.copy(node)
    rw.report.rewrites["dead"] = len(graph.nodes) - len(keep)
    if not rw.report.rewrites["dead"]:
        del rw.report.rewrites["dead"]
    return rw.finish(prune=False)
