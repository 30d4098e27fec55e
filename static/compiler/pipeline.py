"""The one ordered list of compiler passes, and the loop that runs it.

Every pass is ``pass_fn(graph, ctx) -> PassReport`` and lives in its own file under
``passes/``. Switch one off by name: ``compile(..., passes={"cse": False})`` or pass a list of
names to run only those, in pipeline order.

    >>> [name for name, _ in PIPELINE]
    ['prune', 'fold_constants', 'simplify', 'fuse', 'fold_step_size', 'cse', 'grad_cleanup']
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping

from ..gc_pause import gc_paused
from ..graph import Graph
from ..lint import lint
from .context import PassContext, PassReport
from .passes.cse import cse
from .passes.fold_constants import fold_constants
from .passes.fold_step_size import fold_step_size
from .passes.fuse import fuse
from .passes.grad_cleanup import grad_cleanup
from .passes.prune import prune
from .passes.simplify import simplify

PassFn = Callable[[Graph, PassContext], PassReport]

PIPELINE: list[tuple[str, PassFn]] = [
    ("prune", prune),                    # keep what the fetches need
    ("fold_constants", fold_constants),  # constant subgraphs (and frozen weights) -> values
    ("simplify", simplify),              # algebraic identities to a fixpoint
    # Fusion reads autodiff's markers (grad_of, composite), which CSE would blur by merging
    # a backward seed with an equal forward constant: fuse first, then deduplicate.
    ("fuse", fuse),                      # softmax+CE, sigmoid+BCE, matmul+bias+relu, backward
    # Before CSE, which may merge autodiff's seed with an equal constant of the forward.
    ("fold_step_size", fold_step_size),  # SGD: lr into the backward seed, not every gradient
    ("cse", cse),                        # one node per distinct computation
    ("grad_cleanup", grad_cleanup),      # zero/one cotangents, many-term gradient sums
]


def select_passes(passes: Mapping[str, bool] | Iterable[str] | None) -> list[tuple[str, PassFn]]:
    """The pipeline with passes switched off by name (a mapping) or only the named ones."""
    known = [name for name, _ in PIPELINE]
    if passes is None:
        return list(PIPELINE)
    if isinstance(passes, Mapping):
        unknown = set(passes) - set(known)
        chosen = [(n, f) for n, f in PIPELINE if passes.get(n, True)]
    else:
        names = list(passes)
        unknown = set(names) - set(known)
        chosen = [(n, f) for n, f in PIPELINE if n in names]
    if unknown:
        raise ValueError(f"unknown pass name(s) {sorted(unknown)}; the pipeline is {known}")
    return chosen


@gc_paused()  # passes build O(n) long-lived nodes each: see gc_pause for why
def run_pipeline(graph: Graph, ctx: PassContext, passes: list[tuple[str, PassFn]], *,
                 check_lint: bool = False,
                 after_pass: Callable[[PassReport, Graph], None] | None = None,
                 ) -> tuple[Graph, list[PassReport]]:
    """Run ``passes`` in order; returns the final graph and one report per pass.

    ``after_pass(report, graph_before)`` runs after each pass (check mode measures deviations
    there); ``check_lint`` lints every intermediate graph.
    """
    reports = []
    for name, fn in passes:
        start = time.perf_counter()
        before = graph
        report = fn(graph, ctx)
        report.name = name
        report.seconds = time.perf_counter() - start
        graph = report.graph
        if check_lint:
            lint(graph)
        if after_pass is not None:
            after_pass(report, before)
        reports.append(report)
    return graph, reports
