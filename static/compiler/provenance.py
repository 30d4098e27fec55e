"""Provenance: which original nodes and user lines an optimized node came from.

Every node the compiler builds carries ``meta["origin"]``: a frozenset of
``(original node name, "model.py:12")`` pairs. Copying keeps it, folding and fusion take
the union of what they merge, CSE adds the origin of the duplicate it drops. Generated
statements print it, and a runtime error in compiled code names it.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..graph import Node, format_location
from .source_text import comment

Origin = frozenset  # of (name, location) pairs


def origin_of(node: Node) -> Origin:
    """The node's recorded origin, or the node itself when it was never rewritten."""
    found = node.meta.get("origin")
    if found is not None:
        return found
    return frozenset({(node.name, format_location(node.location))})


def merged_origin(nodes: Iterable[Node]) -> Origin:
    """The union of several nodes' origins."""
    out: set = set()
    for n in nodes:
        out |= origin_of(n)
    return frozenset(out)


def describe_origin(origin: Origin, limit: int = 6) -> str:
    """``%h1 (model.py:12), %h2 (model.py:13)``: sorted, at most ``limit`` entries."""
    items = sorted(origin)
    parts = [f"%{name} ({loc})" if loc else f"%{name}" for name, loc in items[:limit]]
    if len(items) > limit:
        parts.append(f"... {len(items) - limit} more")
    return ", ".join(parts)


def origin_lines(origin: Origin) -> list[str]:
    """The distinct user lines of an origin, sorted: ``['model.py:12', 'model.py:14']``."""
    return sorted({loc for _, loc in origin if loc})


def statement_comment(node: Node) -> str:
    """``%h @ model.py:12 <- %logsumexp %sub`` for the generated statement computing ``node``:
    its name, the user's line and the other original nodes it stands for (at most four), as
    one line of escaped text (`source_text.comment`: a file name may hold a newline)."""
    text = f"%{node.name}"
    loc = format_location(node.location)
    if loc:
        text += f" @ {loc}"
    others = sorted({name for name, _ in origin_of(node)} - {node.name})
    if others:
        text += " <- " + " ".join(f"%{n}" for n in others[:4])
        text += f" +{len(others) - 4}" if len(others) > 4 else ""
    return comment(text)
