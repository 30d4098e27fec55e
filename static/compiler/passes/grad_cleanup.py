"""grad_cleanup: tidy what autodiff leaves behind in the backward graph.

* zero cotangents: ``add(g, 0)``, ``add(0, g)``, ``sub(g, 0)`` -> ``g`` (fusion leaves zeros
  where a fused gradient took over several contributions);
* one cotangents: ``mul(g, 1)`` / ``mul(1, g)`` -> ``g`` (the seed of the backward pass);
* many contributions at once: a chain ``add(add(add(a, b), c), d)`` of gradient
  accumulations, each used once, becomes one ``add_n(a, b, c, d)`` (one buffer, summed in
  place, instead of a temporary per partial sum).
"""

from __future__ import annotations

from ...graph import Graph, Node
from ..context import PassContext, PassReport
from ..rewriter import Rewriter
from ..simplify_rules import Term, add_zero, mul_one, sub_zero

_IDENTITIES = {"add": add_zero, "sub": sub_zero, "mul": mul_one}


def grad_cleanup(graph: Graph, ctx: PassContext) -> PassReport:
    """Drop zero/one cotangents, then merge chains of gradient sums into ``add_n``."""
    rw = Rewriter(graph, ctx, "grad_cleanup")
    users = graph.users()
    single: set[Node] = set()  # rebuilt nodes whose original had exactly one reader
    for node in graph.nodes:
        inputs = rw.inputs(node)
        rule = _IDENTITIES.get(node.op)
        if rule is not None and node.meta.get("role") == "backward":
            out = rule(Term(node.op, inputs, node.attrs, node.aval, node.name, node), rw)
            if out is not None:
                rw.replace(node, out, "zero_cotangent" if node.op != "mul" else "one_cotangent")
                continue
        if node.op in ("add", "add_n") and node.meta.get("role") == "backward":
            terms = _flatten_sum(inputs, node, single, set(rw.ctx.fetches))
            if len(terms) > 2 and all(t.aval == node.aval for t in terms):
                new = rw.emit("add_n", tuple(terms), {}, origin=[node], name=node.name)
                rw.replace(node, new, "add_n")
                continue
        new = rw.copy(node, inputs)
        if len(users[node]) == 1 and sum(1 for i in users[node][0].inputs if i is node) == 1:
            single.add(new)
    return rw.finish()


def _flatten_sum(inputs: tuple[Node, ...], node: Node, single: set[Node],
                 fetched: set[Node]) -> list[Node]:
    """The terms of a sum, looking through inner backward sums read only by this one."""
    terms: list[Node] = []
    for i in inputs:
        if i.op in ("add", "add_n") and i.aval == node.aval and i in single \
                and i.meta.get("role") == "backward" and i not in fetched:
            terms.extend(i.inputs)
        else:
            terms.append(i)
    return terms
