"""Diagrams of one model for the report, and the structural check between the two modes.

For a model it draws (SVG, into the report folder): the static training graph (forward,
gradient and update clusters), the forward graph alone, the tape the eager mode records for
one forward + loss with composites decomposed (rebuilt as a graph and drawn by the same
renderer; a training step records ``linear`` as one fused ``affine`` node), and the optimized
graph when the compiler is available. The static graphs are traced under
``static.module_scopes``, so every node knows its module: each diagram comes twice, as an
overview with every top-level module collapsed into one box (what the report shows) and in
full with modules framed (linked from it); both carry a legend. It then checks with networkx
whether the tape and the static forward graph are the same graph (see
`graph_views.compare_structure`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

import static

from . import diagram_passes, graph_views, modes
from .training import make_twins

# Full diagrams past this many nodes stay out of the report (with a note; --diagram-nodes
# raises it, `dualgraph render` draws everything); the module overview is always drawn. With
# static.render's big-graph settings a 300-node graph lays out in 3-4 s.
MAX_NODES = 400


def _has_modules(graph) -> bool:
    return any("module" in n.meta for n in graph.nodes)


def _jobs(name: str, out: Path, graphs: list, max_nodes: int | None, files: dict,
          missing: dict) -> list:
    """The drawings to make: per graph an overview (modules collapsed into boxes, drawn
    whatever its size) and the full diagram (modules as frames) within the node budget."""
    jobs = []
    for kind, graph, title in graphs:
        if _has_modules(graph):
            jobs.append((graph, out / f"{name}_{kind}_overview",
                         {"title": f"{title}: modules collapsed", "collapse": 1,
                          "legend": True}))
            files[f"{kind}_overview"] = f"{name}_{kind}_overview.svg"
        n = len(graph.nodes)
        if max_nodes is not None and n > max_nodes:
            missing[f"{kind}_diagram"] = (f"{n} nodes > {max_nodes}, the report's budget "
                                          f"(graphviz layout time; --diagram-nodes); `dualgraph "
                                          f"render {name}` draws it")
            continue
        jobs.append((graph, out / f"{name}_{kind}", {"title": title, "legend": True}))
        files[kind] = f"{name}_{kind}.svg"
    return jobs


def model_diagrams(name: str, out: Path, *, dtype: str = "float64", seed: int = 0,
                   max_nodes: int | None = MAX_NODES, optimized: bool = True,
                   passes_dir: Path | None = None,
                   on_stage: Callable[[str], None] | None = None) -> dict:
    """``{"diagrams": {kind: file}, "structure": {...}, "not_available": {...}}``.

    Kinds: ``train``, ``forward``, ``tape``, ``optimized`` (full diagrams, modules framed) and
    ``<kind>_overview`` (each module one box). Full graphs with more than ``max_nodes`` nodes
    are not drawn (None: draw everything). ``optimized``: also draw the graph after the
    compiler's passes; ``passes_dir``: draw the graph after every pass there (with a
    ``summary.md``). ``on_stage(text)`` is told each stage as it starts (a progress bar).
    """
    stage = on_stage or (lambda text: None)
    stage(f"{name}: tracing and compiling")
    case_e, case_s = make_twins(name, np.dtype(dtype), seed)
    inputs, targets = case_e.batches[0]
    twin = modes.StaticTwin(case_s)
    with static.module_scopes(case_s.model):  # nodes learn their module: clusters, boxes
        plan = twin.plan_for(inputs, targets)
        fwd = graph_views.forward_graph(case_s.model, inputs, case_s.dynamic_dims)
    tape = graph_views.tape_graph(case_e.model, inputs, targets, case_e.loss)
    graphs = [("train", plan.graph, f"{name}: training graph (forward, gradient, update)"),
              ("forward", fwd, f"{name}: forward graph (traced)"),
              ("tape", tape, f"{name}: eager tape of one forward + loss (composites "
                             f"decomposed)")]
    files, missing = {}, {}
    opt_graph, reason = (graph_views.optimized_graph(plan.graph, plan.fetches,
                                                     plan.inputs + plan.targets)
                         if optimized else (None, None))
    if reason is not None:
        missing["optimized_diagram"] = reason
    elif opt_graph is not None:
        graphs.append(("optimized", opt_graph, f"{name}: after optimization"))
    jobs = _jobs(name, out, graphs, max_nodes, files, missing)
    stage(f"{name}: laying out {len(jobs)} diagrams")
    diagram_passes.draw_all(jobs, on_done=lambda f: stage(f"{name}: drew {f}"))
    if passes_dir is not None:
        stage(f"{name}: drawing the graph after every pass")
        summary, why = diagram_passes.render_passes(
            plan.graph, passes_dir, plan.fetches,
            on_done=lambda f: stage(f"{name}: drew {passes_dir.name}/{f}"))
        if summary is None:
            missing["pass_diagrams"] = why
        else:
            files["passes_summary"] = str(summary)
    stage(f"{name}: comparing the tape with the static graph")
    structure = graph_views.compare_structure(
        graph_views.differentiable_view(graph_views.graph_nx(tape)),
        graph_views.differentiable_view(graph_views.graph_nx(plan.graph)))
    structure["compared"] = "eager tape vs the static training graph's forward part (as traced)"
    if opt_graph is not None:
        # Up to the optimizations: what the passes changed shows up as op count differences
        # (fused ops in, their parts out), and says where the two graphs part ways.
        after = graph_views.compare_structure(
            graph_views.differentiable_view(graph_views.graph_nx(tape)),
            graph_views.differentiable_view(graph_views.graph_nx(opt_graph)))
        after["fused"] = graph_views.fused_nodes(opt_graph)
        structure["after_optimization"] = after
    return {"diagrams": files, "structure": structure, "not_available": missing}
