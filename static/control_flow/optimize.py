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
    ``reports``; returns ``(pass name, rule) -> count`` and adds the counts to the reports.
    First, each forward scan absorbs the residual scan its gradient repeats it with."""
    # Imported here: the compiler imports this package, not the other way round.
    from ..compiler.pipeline import PIPELINE

    merge_residual_scans(graph)
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


def merge_residual_scans(graph: Graph) -> int:
    """Fold each residual scan of a scan's gradient into the forward scan it repeats (in
    place); returns how many were folded.

    `grad.scan_vjp` runs the forward again to stack the carry entering each step (marked
    ``meta["residual_of"]``, the forward scan's ``meta["scan_token"]``). When both scans take
    the same carries, xs and captures, the forward scan's body also emits its incoming carries
    as ys, the residual's projections read them from the forward scan, and the residual goes:
    the step runs the forward loop once instead of twice (its measured gain:
    docs/PERFORMANCE.md).
    """
    users = graph.users()
    forwards: dict[str, list[Node]] = {}
    for n in graph.nodes:
        if n.op == "scan" and "scan_token" in n.meta and "residual_of" not in n.meta:
            forwards.setdefault(n.meta["scan_token"], []).append(n)
    merged = 0
    for residual in [n for n in graph.nodes if n.op == "scan" and "residual_of" in n.meta]:
        found = forwards.get(residual.meta["residual_of"], [])
        if len(found) != 1 or not _repeats(residual, found[0]):
            continue  # gone (pruned), ambiguous, or no longer over the same values
        forward = found[0]
        nc = forward.attrs["num_carry"]
        ny = len(forward.attrs["out_avals"]) - nc
        body = forward.attrs["body"]
        forward.attrs["body"] = Body(body.graph, body.inputs, (*body.outputs, *body.inputs[:nc]),
                                     body.captured, body.label)
        forward.attrs["out_avals"] = (*forward.attrs["out_avals"],
                                      *residual.attrs["out_avals"][nc:])
        # The forward scan's own projections lend theirs the side facts of where they sit
        # (role, module...): a projection is part of the loop that makes it.
        sibling = next((u.meta for u in users[forward] if u.op == "tuple_get"), {})
        for get in users[residual]:  # its tuple_get projections
            k = get.attrs["index"]
            get.inputs = (forward,)
            get.attrs["index"] = k if k < nc else nc + ny + (k - nc)
            get.meta.update({key: v for key, v in sibling.items() if key in _PLACE})
        graph.remove([residual])
        merged += 1
    return merged


# The meta keys that say where a node sits (its diagram cluster, its module), not what it is.
_PLACE = ("role", "composite", "module", "module_type")


def _repeats(residual: Node, forward: Node) -> bool:
    """True when ``residual`` is ``forward``'s loop over the same values, its ys the carries."""
    a, b = residual.attrs, forward.attrs
    if forward.op != "scan" or forward.graph is not residual.graph:
        return False
    nc, nx = b["num_carry"], b["num_xs"]
    if (a["num_carry"], a["num_xs"], a["length"], a["reverse"]) != \
            (nc, nx, b["length"], b["reverse"]):
        return False
    head = nc + nx
    if residual.inputs[:head] != forward.inputs[:head] or \
            not set(residual.inputs[head:]) <= set(forward.inputs[head:]):
        return False
    ys = a["out_avals"][nc:]  # one stacked carry per carry: (steps, *carry shape)
    return len(ys) == nc and all(y.dtype == c.aval.dtype and y.shape[1:] == c.aval.shape
                                 for y, c in zip(ys, forward.inputs[:nc], strict=True))
