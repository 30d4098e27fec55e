"""Node-by-node diff: where, in the graph that ran, the static mode first departs from eager.

Run when a model disagrees. Both twins are rebuilt and trained up to the first step that
disagrees; on that step's batch three sets of values are taken:

* the eager tape (every recorded op's output),
* the static graph as traced (the reference interpreter, every node),
* the optimized graph that actually ran (the interpreter on the compiler's output).

Alignment: the traced graph is matched to the tape by structure (nodes that compute the same
ops from the same named weights and inputs, `graph_views.match_nodes`); each optimized node
is mapped to the traced nodes it came from by provenance (``meta["origin"]``): a fused node
to its pattern's root, a copied or CSE-merged node to a node of its own op; nodes a pass
built from a whole region are skipped. The first node, in execution order, whose value
departs beyond the tolerance is reported with its op, its origin and the user's line.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from static.graph import format_location

from . import graph_views
from .modes import EagerTwin, StaticTwin
from .training import make_twins

LEAVES = ("placeholder", "variable", "constant", "assign", "group")


def _origin_names(node: Any) -> list[str]:
    origin = node.meta.get("origin")
    return sorted(name for name, _ in origin) if origin else [node.name]


def _user_line(node: Any) -> str:
    return format_location(node.location) or "?"


def _max_deviation(a: np.ndarray, b: np.ndarray) -> float:
    a, b = np.atleast_1d(np.asarray(a, np.float64)), np.atleast_1d(np.asarray(b, np.float64))
    if a.shape != b.shape:
        return float("inf")
    both_nan = np.isnan(a) & np.isnan(b)
    d = np.abs(a - b)
    d[both_nan] = 0.0
    return float(np.nanmax(np.where(np.isnan(d), np.inf, d))) if d.size else 0.0


def first_divergence(name: str, *, step: int, dtype: str = "float64", seed: int = 0,
                     tol: float = 1e-6, passes: Any = None) -> dict:
    """The first optimized node whose value departs from eager (or from the traced graph)."""
    case_e, case_s = make_twins(name, np.dtype(dtype), seed)
    eager_twin, static_twin = EagerTwin(case_e), StaticTwin(case_s, passes=passes)
    for k in range(step):
        batch = case_e.batches[k % len(case_e.batches)]
        eager_twin.step(*batch, record=False)
        static_twin.step(*batch, record=False)
    inputs, targets = case_e.batches[step % len(case_e.batches)]
    tape_vals: dict = {}
    tape = graph_views.tape_graph(case_e.model, inputs, targets, case_e.loss, tape_vals)
    plan = static_twin.plan_for(inputs, targets)
    feeds = {p.name: a for p, a in zip(plan.inputs + plan.targets,
                                       list(inputs) + list(targets), strict=True)}
    traced = plan.graph
    traced_vals = graph_views.node_values(traced, feeds)
    optimized = getattr(plan.runner, "graph", traced)
    opt_vals = graph_views.node_values(optimized, feeds)
    mapping = graph_views.align(traced, traced_vals, tape, tape_vals)
    order = {n.name: i for i, n in enumerate(traced.nodes)}
    traced_by_name = {n.name: n for n in traced.nodes}

    # 1. Before any pass: does the traced graph already differ from the tape?
    if mapping:
        for n in traced.nodes:
            e = mapping.get(n.name)
            if e is None or e not in tape_vals or n.name not in traced_vals:
                continue
            d = _max_deviation(traced_vals[n.name], tape_vals[e])
            if d > tol * max(1.0, float(np.max(np.abs(tape_vals[e]), initial=0.0))):
                return _found(step, n, n, d, "eager tape", "traced graph (before passes)",
                              len(traced.nodes), traced_by_name)
    # 2. The optimized graph, node by node, against eager where aligned, else the traced graph.
    checked = 0
    for o in optimized.nodes:
        if o.op in LEAVES or o.name not in opt_vals:
            continue
        sources = [traced_by_name[s] for s in _origin_names(o) if s in traced_by_name]
        sources = [s for s in sources if s.name in traced_vals
                   and np.shape(traced_vals[s.name]) == np.shape(opt_vals[o.name])]
        if not sources:
            continue
        rep = _representative(o, sources, order)
        if rep is None:
            continue
        e = mapping.get(rep.name) if mapping else None
        if e is not None and e in tape_vals:
            ref, against = tape_vals[e], "eager tape"
        elif rep.name in traced_vals:
            ref, against = traced_vals[rep.name], "traced graph (before passes)"
        else:
            continue
        checked += 1
        d = _max_deviation(opt_vals[o.name], ref)
        if d > tol * max(1.0, float(np.max(np.abs(np.asarray(ref, np.float64)), initial=0.0))):
            return _found(step, o, rep, d, against, "optimized graph", checked, traced_by_name)
    return {"step": step + 1, "first_divergence": None, "checked_nodes": checked,
            "aligned_with_tape": bool(mapping),
            "text": f"step {step + 1}: no node of the optimized graph departs beyond {tol:g} "
                    f"({checked} nodes checked); the difference is in the update or in "
                    "values this diff cannot align"}


def _representative(node: Any, sources: list, order: dict) -> Any | None:
    """The traced node whose value ``node`` computes, or None when that is not clear.

    A fused node computes the value of its pattern's root, whose name it keeps. Any other
    node is compared only when every node of its origin has its own op: a copy, or a CSE
    merge of equal computations. Nodes a pass built from a whole region (a fused backward,
    whose origin lists everything it replaced) are skipped rather than compared wrongly.
    """
    if node.meta.get("fused"):
        return next((s for s in sources if s.name == node.name), None)
    if not sources or any(s.op != node.op for s in sources):
        return None
    same_name = [s for s in sources if s.name == node.name]
    return same_name[0] if same_name else max(sources, key=lambda s: order[s.name])


def _found(step: int, node: Any, source: Any, dev: float, against: str, where: str,
           checked: int, forward_nodes: dict) -> dict:
    grad_of = source.meta.get("grad_of") or node.meta.get("grad_of")
    forward = forward_nodes.get(grad_of) if grad_of else None
    # A backward node's own location is where gradients() was called; the user's line that
    # matters is the forward op it differentiates.
    line = _user_line(forward) if forward is not None else _user_line(source)
    info = {"node": node.name, "op": node.op, "listing": node.listing(), "graph": where,
            "origin": _origin_names(node), "source_node": source.name,
            "user_line": line, "max_abs": dev, "against": against,
            "role": node.meta.get("role") or "forward", "gradient_of": grad_of}
    text = (f"step {step + 1}: first diverging node in the {where}: %{node.name} = {node.op} "
            f"(from {', '.join('%' + o for o in info['origin'])}; user line "
            f"{info['user_line']}{'; gradient of %' + grad_of if grad_of else ''}) differs from "
            f"the {against} by {dev:.3g}")
    return {"step": step + 1, "first_divergence": info, "checked_nodes": checked, "text": text}
