"""`explain(model_or_fn, *inputs)`: what `static.compile` makes of a call, as a report.

Like ``torch._dynamo.explain``: the target is compiled (or, already a `CompiledModule`, used
as it is), called on the inputs, and the report lists the graphs traced, the graph breaks
with their reasons and file:line, and every (re)trace with its reason.

    >>> report = static.explain(model, x)          # doctest: +SKIP
    >>> print(report)                               # doctest: +SKIP
    Net: 1 graph, 1 graph break, 1 trace
    graph breaks:
      1. Python control flow on a tensor value (...) at model.py:12 in forward
    traces:
      1. (x: f32[4,3]) first call; graph break: runs eagerly
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .compiling import CompiledModule, GraphBreak

__all__ = ["ExplainOutput", "explain"]


@dataclass(frozen=True)
class ExplainOutput:
    """The report of `explain`: ``graph_count`` (traces that compiled), ``breaks``
    (`GraphBreak`s), ``traces`` (``(signature, reason)`` per trace, in order)."""

    name: str
    graph_count: int
    breaks: tuple[GraphBreak, ...]
    traces: tuple[tuple[str, str], ...]

    @property
    def graph_break_count(self) -> int:
        return len(self.breaks)

    def __str__(self) -> str:
        def plural(n: int, word: str) -> str:
            return f"{n} {word}{'' if n == 1 else 's'}"

        lines = [f"{self.name}: {plural(self.graph_count, 'graph')}, "
                 f"{plural(self.graph_break_count, 'graph break')}, "
                 f"{plural(len(self.traces), 'trace')}"]
        if self.breaks:
            lines.append("graph breaks:")
            lines += [f"  {k}. {b.describe()}" for k, b in enumerate(self.breaks, 1)]
        if self.traces:
            lines.append("traces:")
            lines += [f"  {k}. {sig} {reason}" for k, (sig, reason) in enumerate(self.traces, 1)]
        return "\n".join(lines)


def explain(model_or_fn: Any, *inputs: Any, **kwargs: Any) -> ExplainOutput:
    """Compile ``model_or_fn`` (unless it is a `CompiledModule` already), call it on
    ``inputs`` and report graphs, graph breaks and traces with their reasons."""
    compiled = model_or_fn if isinstance(model_or_fn, CompiledModule) else \
        CompiledModule(model_or_fn)
    compiled(*inputs, **kwargs)
    records = compiled.ledger.records
    return ExplainOutput(compiled.name, sum(r.nodes > 0 for r in records),
                         tuple(compiled.breaks), tuple((r.signature, r.reason) for r in records))
