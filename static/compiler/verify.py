"""Check mode: run the graph after every pass on the same random feeds, measure deviations.

``compile(..., check=True)`` runs the source graph once with the reference `Interpreter`, then
each pass's output graph, on identical feeds and identical variable values (variables are
restored after every run, so updates do not leak between runs). A pass's deviation is the
largest difference of any fetch (or updated variable value) against the reference, relative
to the reference's magnitude; a pass above ``tol`` is named in ``checker.suspects``.

    step = static.compile(g, [loss], check=True)
    step.checker.suspects        # [] when every pass preserved the results
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..graph import Graph, Node
from ..interpreter import Interpreter
from .context import PassContext, PassReport


def random_feeds(inputs: list[Node], seed: int = 0, batch: int = 3) -> dict[str, np.ndarray]:
    """Reproducible feeds: normal floats, small non-negative ints (valid class indices for
    two or more classes), random bools; unknown dims become ``batch``."""
    rng = np.random.default_rng(seed)
    feeds = {}
    for p in inputs:
        shape = tuple(batch if d is None else d for d in p.shape)
        if p.dtype.kind == "f":
            feeds[p.name] = rng.standard_normal(shape).astype(p.dtype)
        elif p.dtype.kind in "iu":
            feeds[p.name] = rng.integers(0, 2, size=shape).astype(p.dtype)
        else:
            feeds[p.name] = rng.random(shape) < 0.5
    return feeds


def run_graph(graph: Graph, fetches: list[Node], feeds: dict[str, np.ndarray]) -> list[Any]:
    """Fetch values and the new value of every assigned variable, leaving variables as they
    were (so that many graphs sharing the same storage can run one after the other)."""
    saved = [(v, v.value.copy()) for v in graph.variables()]
    by_name = {p.name: p for p in graph.placeholders()}
    assigns = [n for n in graph.nodes if n.op == "assign"]
    try:
        values = Interpreter(graph).run(list(fetches) + assigns,
                                        {by_name[k]: v for k, v in feeds.items() if k in by_name})
    finally:
        for v, old in saved:
            v.value[...] = old
    named = [v for v in values[:len(fetches)]]
    named += sorted(((a.inputs[0].name, v) for a, v in zip(assigns, values[len(fetches):],
                                                            strict=True)), key=lambda t: t[0])
    return named


def deviation(reference: list[Any], values: list[Any]) -> float:
    """Largest relative difference between two runs' results (inf when they do not line up)."""
    if len(reference) != len(values):
        return float("inf")
    worst = 0.0
    for a, b in zip(reference, values, strict=True):
        if isinstance(a, tuple):
            a, b = a[1], (b[1] if isinstance(b, tuple) and b[0] == a[0] else None)
        if a is None and b is None:
            continue
        if a is None or b is None or np.shape(a) != np.shape(b):
            return float("inf")
        a64, b64 = np.asarray(a, np.float64), np.asarray(b, np.float64)
        both = np.isnan(a64) & np.isnan(b64)
        diff = np.where(both, 0.0, np.abs(a64 - b64))
        scale = max(1.0, float(np.max(np.abs(np.where(np.isfinite(a64), a64, 0)), initial=0)))
        worst = max(worst, float(np.max(diff, initial=0.0)) / scale)
    return worst


class Checker:
    """The ``after_pass`` hook of check mode: records each pass's ``max_deviation``."""

    def __init__(self, graph: Graph, fetches: list[Node], inputs: list[Node], ctx: PassContext,
                 tol: float = 1e-4, feeds: dict | None = None, seed: int = 0):
        self.tol = tol
        self.feeds = {(k if isinstance(k, str) else k.name): np.asarray(v)
                      for k, v in (feeds or random_feeds(inputs, seed)).items()}
        self.ctx = ctx
        self.reference = run_graph(graph, fetches, self.feeds)
        self.previous = self.reference
        self.suspects: list[str] = []
        self.deviations: dict[str, float] = {}

    def __call__(self, report: PassReport, before: Graph) -> None:
        values = run_graph(report.graph, self.ctx.fetches, self.feeds)
        dev = deviation(self.previous, values)  # what this pass introduced
        self.previous = values
        report.max_deviation = dev
        self.deviations[report.name] = dev
        if not dev <= self.tol:
            self.suspects.append(report.name)

    def summary(self) -> str:
        """``simplify: max deviation 2e-07`` per pass, suspects flagged."""
        flag = "  <-- changes results beyond tolerance"
        return "\n".join(f"{name}: max deviation {dev:.3g}{flag if name in self.suspects else ''}"
                         for name, dev in self.deviations.items())
