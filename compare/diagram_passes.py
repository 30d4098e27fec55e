"""Drawing many diagrams fast: graphviz layouts in parallel, and one diagram per compiler pass.

`draw_all` runs the ``dot`` layouts of several diagrams at once (each is its own ``dot``
process, so threads are enough to keep every core busy) and reports each finished file.
`render_passes` is the per-pass view of `dualgraph render --passes`: the graph after every
pass that changed it, its added/rewritten nodes in red, the graph before a pass that removed
nodes with those marked, and ``summary.md``. A pass that changed nothing gets a table row and
no diagram (it would repeat the one before). Profiled on the transformer: the layouts were
the whole cost (4-5 minutes each for the 300-node graphs, with edge labels), see
`static.render.BIG_GRAPH`.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from static.render import render, to_dot

Job = tuple[Any, Path, dict]  # (graph, path without suffix, to_dot keyword arguments)


def draw_svg(graph: Any, path: Path, **options: Any) -> str:
    """One diagram as ``path.svg`` (``.dot`` and a warning without graphviz); the file name."""
    if shutil.which("dot") is None:
        return Path(render(graph, path, "svg", locations=False, **options)).name
    out = Path(f"{path}.svg")
    out.write_bytes(to_dot(graph, locations=False, **options).pipe(format="svg"))
    return out.name


def draw_all(jobs: Sequence[Job], on_done: Callable[[str], None] | None = None) -> list[str]:
    """Draw every job (in parallel, one worker per core); file names in the jobs' order."""
    names: list[str | None] = [None] * len(jobs)
    workers = max(1, min(len(jobs), os.cpu_count() or 1))
    with ThreadPoolExecutor(workers) as pool:
        futures = {pool.submit(draw_svg, g, p, **kw): i for i, (g, p, kw) in enumerate(jobs)}
        for future in as_completed(futures):
            names[futures[future]] = future.result()
            if on_done:
                on_done(names[futures[future]])
    return [n for n in names if n is not None]


def render_passes(graph: Any, directory: Path, fetches: list,
                  on_done: Callable[[str], None] | None = None) -> tuple[Path | None, str | None]:
    """The per-pass diagrams of ``graph`` in ``directory``: (summary path, None), or
    (None, why not) when the compiler is missing."""
    try:
        from static.compiler.context import PassContext
        from static.compiler.pipeline import run_pipeline, select_passes
        from static.compiler.render_passes import estimate
    except ImportError as e:
        return None, f"static.compiler is not available ({e})"
    directory.mkdir(parents=True, exist_ok=True)
    _, reports = run_pipeline(graph, PassContext(fetches=list(fetches)), select_passes(None))
    jobs: list[Job] = [(graph, directory / "00-input", {"title": "input graph"})]
    rows = [("input", len(graph.nodes), *estimate(graph, 32), "", "", "00-input.svg")]
    before = graph
    for k, r in enumerate(reports, start=1):
        changed = bool(r.added or r.rewritten or r.removed or r.rewrites)
        files = []
        if changed:
            jobs.append((r.graph, directory / f"{k:02d}-{r.name}",
                         {"title": f"after {r.summary()}", "highlight": r.added | r.rewritten}))
            files.append(f"{k:02d}-{r.name}.svg")
        if r.removed:  # what is gone can only be shown where it still was
            jobs.append((before, directory / f"{k:02d}-{r.name}-removed",
                         {"title": f"before {r.name}: the {len(r.removed)} highlighted nodes go",
                          "highlight": r.removed}))
            files.append(f"{k:02d}-{r.name}-removed.svg")
        rows.append((r.name, r.nodes_after, *estimate(r.graph, 32),
                     ", ".join(f"{a} x{b}" for a, b in sorted(r.rewrites.items())),
                     ", ".join(sorted(r.removed))[:200],
                     ", ".join(files) or "unchanged: no diagram"))
        before = r.graph
    draw_all(jobs, on_done)
    lines = ["Passes over the graph (batch 32 for unknown dims).", "",
             "| pass | nodes | est. FLOPs | est. bytes | rewrites | removed | diagram |",
             "|---|---|---|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c:,} | {d:,} | {e} | {f} | {g} |" for a, b, c, d, e, f, g in rows]
    path = directory / "summary.md"
    path.write_text("\n".join(lines) + "\n")
    return path, None
