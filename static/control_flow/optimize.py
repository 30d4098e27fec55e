"""Compiler passes on control-flow bodies: every body subgraph is optimized like a graph.

`optimize_bodies(graph, reports)` runs the passes that optimized ``graph`` itself (the ones
its pass ``reports`` name, in pipeline order) on each body of each control node, nested bodies
included, with the body's outputs as the fetches. The optimized bodies replace the old ones in
the control nodes' attrs, in place: ``graph`` must be a graph the compiler built, never the
user's (whose bodies stay as traced). What the passes did inside bodies is added to the
reports as ``"<rule> in bodies"`` counts:

    cse: 120 -> 112 nodes (cse x8, cse in bodies x14)

A body keeps every input, even one its optimized code no longer reads: the control node still
passes it. Passes see a body's inputs as placeholders (unknown values), so nothing is folded
across the boundary.
"""

from __future__ import annotations

from collections import Counter

from ..graph import Graph, Node
from .body import Body

# Control op -> the attrs holding its bodies (a Body or a tuple of them).
BODY_ATTRS = {"cond": ("branches",), "while_loop": ("cond_fn", "body_fn"), "scan": ("body",)}


def optimize_bodies(graph: Graph, reports: list) -> Counter:
    """Optimize the bodies of ``graph``'s control nodes (in place) with the passes named by
    ``reports``; returns ``(pass name, rule) -> count`` and adds the counts to the reports."""
    # Imported here: the compiler imports this package, not the other way round.
    from ..compiler.pipeline import PIPELINE

    ran = {r.name for r in reports}
    passes = [(name, fn) for name, fn in PIPELINE if name in ran]
    counts: Counter = Counter()
    if passes:
        _optimize_graph(graph, passes, counts)
    by_name = {r.name: r for r in reports}
    for (name, rule), n in counts.items():
        by_name[name].rewrites[f"{rule} in bodies"] += n
    return counts


def _optimize_graph(graph: Graph, passes: list, counts: Counter) -> None:
    for node in graph.nodes:
        for key in BODY_ATTRS.get(node.op, ()):
            value = node.attrs[key]
            if isinstance(value, tuple):
                node.attrs[key] = tuple(_optimized(b, node, passes, counts) for b in value)
            else:
                node.attrs[key] = _optimized(value, node, passes, counts)


def _optimized(body: Body, node: Node, passes: list, counts: Counter) -> Body:
    """``body`` after the passes (its nested bodies too), as a new `Body`."""
    from ..compiler.context import PassContext
    from ..compiler.pipeline import run_pipeline

    ctx = PassContext(fetches=list(body.outputs))
    graph, reports = run_pipeline(body.graph, ctx, passes)
    for r in reports:
        for rule, n in r.rewrites.items():
            counts[(r.name, rule)] += n
    present = {n.name: n for n in graph.placeholders()}
    inputs = tuple(present[p.name] if p.name in present else
                   graph.add_node("placeholder", (), {}, p.aval, name=p.name,
                                  location=p.location, meta=dict(p.meta))
                   for p in body.inputs)
    _optimize_graph(graph, passes, counts)  # the fresh graph is ours to edit
    k = len(body.captured)
    captured = tuple(node.inputs[len(node.inputs) - k:]) if k else ()
    return Body(graph, inputs, tuple(ctx.fetches), captured, body.label)
