"""fuse: replace op patterns by fused primitives (see `fusion_patterns` for the list)."""

from __future__ import annotations

from ...graph import Graph
from ..context import PassContext, PassReport
from ..fusion_patterns import PATTERNS
from ..rewriter import Rewriter, discard


def fuse(graph: Graph, ctx: PassContext) -> PassReport:
    """Apply every fusion pattern, in order; each rebuilds the graph once."""
    total = None
    current = graph
    for pattern in PATTERNS:
        rw = Rewriter(current, ctx, "fuse")
        pattern(rw)
        report = rw.finish()
        if total is None:
            total = report
        else:
            total.rewrites.update(report.rewrites)
            total.rewritten |= report.rewritten
        if current is not graph:
            discard(current)  # the previous pattern's output, seen by no one else
        current = report.graph
    before = {n.name for n in graph.nodes}
    after = {n.name for n in current.nodes}
    total.graph, total.nodes_before, total.nodes_after = current, len(graph.nodes), len(current)
    total.added, total.removed = after - before, before - after
    total.rewritten &= after
    return total
