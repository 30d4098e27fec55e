"""`render_passes(graph, dir)`: one diagram per pass, plus a before/after summary table.

Each pass gets the graph after it, drawn with `static.render.render`, highlighting the nodes
the pass added or rewrote, and, when it removed nodes, ``NN-<pass>-removed`` showing the graph
before it with those nodes highlighted (they are listed in the table too). ``summary.md``
holds, per pass: nodes, estimated FLOPs and bytes of the values it computes, and the
buffers and bytes the memory plan of that graph needs.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from ..graph import Graph, Node
from ..interpreter import required_nodes
from .context import PassContext
from .pipeline import run_pipeline, select_passes


def estimate(graph: Graph, batch: int = 1) -> tuple[int, int]:
    """Rough ``(flops, bytes)`` of one run: matmuls count 2mnk, other ops one per output
    element; bytes are the output sizes. Unknown dims count as ``batch``."""
    flops = nbytes = 0
    for n in graph.nodes:
        if n.op in ("placeholder", "variable", "constant", "group", "assign"):
            continue
        size = int(np.prod([batch if d is None else d for d in n.shape], dtype=np.int64))
        nbytes += size * n.dtype.itemsize
        if n.op in ("matmul", "linear_act") and n.inputs[0].ndim:
            k = n.inputs[0].shape[-1]
            flops += 2 * size * (batch if k is None else k)
        else:
            flops += size
    return flops, nbytes


def render_passes(graph: Graph, directory: str | os.PathLike, fetches: list[Node] | None = None,
                  *, fmt: str = "svg", passes=None, batch: int = 32) -> Path:
    """Write ``00-input.<fmt>``, then ``NN-<pass>.<fmt>`` per pass (and
    ``NN-<pass>-removed.<fmt>`` for passes that removed nodes), and ``summary.md``.

    ``fetches`` default to the graph's sinks (nodes nobody reads). Returns the summary path.
    """
    from ..render import render

    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    if fetches is None:
        used = {i for n in graph.nodes for i in n.inputs}
        fetches = [n for n in graph.nodes if n not in used]
    ctx = PassContext(fetches=list(fetches))
    render(graph, out / "00-input", fmt, title="input graph")
    _, reports = run_pipeline(graph, ctx, select_passes(passes))
    rows = [("input", len(graph.nodes), *estimate(graph, batch),
             *_buffers(graph, fetches, batch), "", "")]
    before = graph
    for k, r in enumerate(reports, start=1):
        render(r.graph, out / f"{k:02d}-{r.name}", fmt, highlight=r.added | r.rewritten,
               title=f"after {r.summary()}")
        if r.removed:  # what is gone can only be shown where it still was
            render(before, out / f"{k:02d}-{r.name}-removed", fmt, highlight=r.removed,
                   title=f"before {r.name}: the {len(r.removed)} highlighted nodes go")
        before = r.graph
        rows.append((r.name, r.nodes_after, *estimate(r.graph, batch),
                     *_buffers(r.graph, _sinks(r.graph), batch),
                     ", ".join(f"{a} x{b}" for a, b in sorted(r.rewrites.items())),
                     ", ".join(sorted(r.removed))[:200]))
    lines = [f"Passes over the graph (batch {batch}); buffers: the memory plan of each graph.",
             "",
             "| pass | nodes | est. FLOPs | est. bytes | buffers | buffer bytes | rewrites "
             "| removed |",
             "|---|---|---|---|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c:,} | {d:,} | {e} | {f:,} | {g} | {h} |"
              for a, b, c, d, e, f, g, h in rows]
    path = out / "summary.md"
    path.write_text("\n".join(lines) + "\n")
    return path


def _sinks(graph: Graph) -> list[Node]:
    used = {i for n in graph.nodes for i in n.inputs}
    return [n for n in graph.nodes if n not in used]


def _buffers(graph: Graph, fetches: list[Node], batch: int) -> tuple[int, int]:
    from shared_ops.aval import Aval

    from .codegen import generate

    inputs = [n for n in required_nodes(graph, fetches) if n.op == "placeholder"]
    avals = {p: Aval(tuple(batch if d is None else d for d in p.shape), p.dtype)
             for p in inputs}
    try:
        step = generate(graph, fetches, inputs, avals)
    except Exception:  # noqa: BLE001 -- a table without the plan beats no table
        return 0, 0
    return len(step.buffers), step.plan.bytes()
