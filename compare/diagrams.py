"""Diagrams of one model for the report, and the structural check between the two modes.

For a model it draws (SVG, into the report folder): the static training graph (forward,
gradient and update clusters), the forward graph alone, the tape the eager mode records for
one forward + loss with composites decomposed (rebuilt as a graph and drawn by the same
renderer; a training step records ``linear`` as one fused ``affine`` node), and the optimized
graph when the compiler is available. It then checks with networkx whether the tape and the
static forward graph are the same graph (see `graph_views.compare_structure`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from . import graph_views, modes
from .training import make_twins

# dot needs 10-20 s for a 270-node training graph even with newrank: past this many nodes the
# report leaves a graph out (with a note) unless asked (--diagram-nodes), and `dualgraph
# render` draws it on request.
MAX_NODES = 150


def _draw(files: dict, missing: dict, kind: str, graph, path: Path, title: str,
          max_nodes: int | None) -> None:
    n = len(graph.nodes)
    if max_nodes is not None and n > max_nodes:
        missing[f"{kind}_diagram"] = (f"{n} nodes > {max_nodes}, the report's budget "
                                      f"(graphviz layout time; --diagram-nodes); `dualgraph render "
                                      f"{path.name.rsplit('_', 1)[0]}` draws it")
        return
    files[kind] = graph_views.render_svg(graph, path, title)


def model_diagrams(name: str, out: Path, *, dtype: str = "float64", seed: int = 0,
                   max_nodes: int | None = MAX_NODES, optimized: bool = True,
                   passes_dir: Path | None = None,
                   on_stage: Callable[[str], None] | None = None) -> dict:
    """``{"diagrams": {kind: file}, "structure": {...}, "not_available": {...}}``.

    Graphs with more than ``max_nodes`` nodes are not drawn (None: draw everything).
    ``optimized``: also draw the graph after the compiler's passes; ``passes_dir``: draw the
    graph after every pass there (with the compiler's ``summary.md``). ``on_stage(text)`` is
    told each stage as it starts (a progress bar: graphviz layouts of big graphs take long).
    """
    stage = on_stage or (lambda text: None)
    stage(f"{name}: building the twins")
    case_e, case_s = make_twins(name, np.dtype(dtype), seed)
    inputs, targets = case_e.batches[0]
    twin = modes.StaticTwin(case_s)
    plan = twin.plan_for(inputs, targets)
    files, missing = {}, {}
    stage(f"{name}: drawing the training graph ({len(plan.graph.nodes)} nodes)")
    _draw(files, missing, "train", plan.graph, out / f"{name}_train",
          f"{name}: training graph (forward, gradient, update)", max_nodes)
    stage(f"{name}: tracing and drawing the forward graph")
    fwd = graph_views.forward_graph(case_s.model, inputs, case_s.dynamic_dims)
    _draw(files, missing, "forward", fwd, out / f"{name}_forward",
          f"{name}: forward graph (traced)", max_nodes)
    stage(f"{name}: recording and drawing the eager tape")
    tape = graph_views.tape_graph(case_e.model, inputs, targets, case_e.loss)
    _draw(files, missing, "tape", tape, out / f"{name}_tape",
          f"{name}: eager tape of one forward + loss (composites decomposed)", max_nodes)
    if optimized:
        stage(f"{name}: compiling and drawing the optimized graph")
    opt_graph, reason = (graph_views.optimized_graph(plan.graph, plan.fetches,
                                               plan.inputs + plan.targets)
                         if optimized else (None, None))
    if reason is not None:
        missing["optimized_diagram"] = reason
    elif opt_graph is not None:
        _draw(files, missing, "optimized", opt_graph, out / f"{name}_optimized",
              f"{name}: after optimization", max_nodes)
    if passes_dir is not None:
        stage(f"{name}: drawing the graph after every pass")
        summary, why = graph_views.render_passes(plan.graph, passes_dir, plan.fetches)
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
