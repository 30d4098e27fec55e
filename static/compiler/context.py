"""What every pass receives (`PassContext`) and returns (`PassReport`).

All passes share one signature, ``pass_fn(graph, ctx) -> PassReport``: they never mutate the
graph they are given, they build a new one (``report.graph``) and say what they did: node
counts before and after, and how many times each named rewrite fired. The context carries
what the passes must keep (the fetches, re-pointed at the new graph after each pass) and the
options that change their behaviour (variables frozen as constants for inference).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ..graph import Graph, Node


@dataclass
class PassContext:
    """Shared state of one pipeline run.

    ``fetches``: the nodes the compiled step returns (and runs: train ops are fetches too);
    each pass re-points them into the graph it builds. ``frozen``: names of variables whose
    current value may be folded as a constant (inference: ``compile(..., freeze=True)``).
    """

    fetches: list[Node]
    frozen: frozenset[str] = frozenset()


@dataclass
class PassReport:
    """What one pass did: the graph it built, sizes before/after, rewrites applied by name.

    ``added`` / ``removed`` / ``rewritten`` hold node names (in the new / old / new graph)
    for diagrams that highlight a pass's work.
    """

    name: str
    graph: Graph
    nodes_before: int
    nodes_after: int
    rewrites: Counter = field(default_factory=Counter)
    added: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)
    rewritten: set[str] = field(default_factory=set)
    max_deviation: float | None = None  # filled in by check mode (verify.py)
    seconds: float = 0.0

    def summary(self) -> str:
        """``fold_constants: 42 -> 37 nodes (fold x5)``."""
        fired = ", ".join(f"{k} x{v}" for k, v in sorted(self.rewrites.items()))
        dev = "" if self.max_deviation is None else f", max deviation {self.max_deviation:.3g}"
        return (f"{self.name}: {self.nodes_before} -> {self.nodes_after} nodes"
                f"{f' ({fired})' if fired else ''}{dev}")
