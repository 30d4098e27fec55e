"""simplify: apply the algebraic rules of `simplify_rules` to a fixpoint.

Each node is offered to the rules of its op; a rule's replacement is offered again (a
rewrite can enable another: ``transpose(transpose(transpose(x)))``), and downstream nodes see
the simplified inputs because the graph is walked in order. The whole walk repeats until a
round changes nothing (or a round limit is hit), so the result is a fixpoint of the rules.
"""

from __future__ import annotations

from ...graph import Graph, Node
from ..context import PassContext, PassReport
from ..rewriter import Rewriter, discard
from ..simplify_rules import RULES_BY_OP, Term

_MAX_ROUNDS = 8
_MAX_CHAIN = 16  # rewrites of one node in a row


def simplify(graph: Graph, ctx: PassContext, rules_by_op: dict | None = None) -> PassReport:
    """Rewrite with the rules until none applies; the report counts each rule that fired."""
    rules_by_op = RULES_BY_OP if rules_by_op is None else rules_by_op
    total = None
    current = graph
    for _ in range(_MAX_ROUNDS):
        report = _one_round(current, ctx, rules_by_op)
        if total is None:
            total = report
        else:
            total.rewrites.update(report.rewrites)
            total.rewritten |= report.rewritten
            total.graph = report.graph
            total.nodes_after = report.nodes_after
        if current is not graph:
            discard(current)  # the previous round's output, seen by no one else
        current = report.graph
        if not report.rewrites:
            break
    before = {n.name for n in graph.nodes}
    after = {n.name for n in current.nodes}
    total.added, total.removed = after - before, before - after
    total.rewritten &= after
    return total


def _one_round(graph: Graph, ctx: PassContext, rules_by_op: dict) -> PassReport:
    rw = Rewriter(graph, ctx, "simplify")
    for node in graph.nodes:
        inputs = rw.inputs(node)
        term = Term(node.op, inputs, node.attrs, node.aval, node.name, node)
        result = _rewrite(term, rw, rules_by_op)
        if result is None:
            rw.copy(node, inputs)
        else:
            rw.map[node] = result
    return rw.finish()


def _rewrite(term: Term, rw: Rewriter, rules_by_op: dict) -> Node | None:
    """The node ``term`` simplifies to, or None when no rule applies."""
    result = None
    for _ in range(_MAX_CHAIN):
        fired = None
        for r in rules_by_op.get(term.op, ()):
            out = r.fn(term, rw)
            if out is not None:
                fired = (r, out)
                break
        if fired is None:
            return result
        r, out = fired
        rw.replace(term.like, out, r.name)
        result = out
        if out.op in ("placeholder", "variable", "constant"):
            return result
        term = Term(out.op, out.inputs, out.attrs, out.aval, out.name, out)
    return result
