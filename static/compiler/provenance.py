"""Provenance: which original nodes and user lines an optimized node came from.

Every node the compiler builds carries ``meta["origin"]``: the set of ``(original node name,
"model.py:12")`` pairs it stands for. Copying keeps it, folding and fusion merge the origins
of what they replace, CSE adds the origin of the duplicate it drops. Generated statements
print it, and a runtime error in compiled code names it.

Merging costs O(1), not O(size): folding a chain of n constants merges origins of 1, 2, ...,
n pairs, which as set unions took O(n^2) time and memory (31,000 nodes: 3.7 GB). A merged
origin is a `MergedOrigin` instead: a small object pointing at the origins it merges (shared,
never copied). It reads as a set of pairs (iteration walks the parents once each and skips
pairs already seen) and is flattened only when something is shown: a statement's comment, an
error message, a listing. An origin nothing was merged into stays a plain frozenset.

    >>> a = frozenset({("h", "m.py:3")})
    >>> b = merge([a, frozenset({("c", "m.py:2")})])
    >>> sorted(merge([b, frozenset({("s", "m.py:4")}), a]))
    [('c', 'm.py:2'), ('h', 'm.py:3'), ('s', 'm.py:4')]
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator, Set
from typing import Any

from ..graph import Node, format_location
from .source_text import comment

Pair = tuple[str, str]  # (original node name, "model.py:12" or "")
# A plain frozenset of pairs (small, loaded from a file, or set by hand) or a MergedOrigin.
Origin = Set

# `union` tests a plain set this small for being a subset already (bigger ones are merged).
SMALL = 16


class MergedOrigin(Set):
    """The union of several origins, kept as pointers to them (see the module docstring).

    It behaves as the frozenset of pairs it stands for (``len``, ``in``, iteration, ``==``
    and hashing agree with that frozenset); copying or pickling it gives that frozenset.
    """

    __slots__ = ("parts",)

    def __init__(self, parts: tuple[Origin, ...]):
        self.parts = parts

    def __iter__(self) -> Iterator[Pair]:
        return _walk(self)

    def __len__(self) -> int:
        return sum(1 for _ in _walk(self))

    def __bool__(self) -> bool:
        return True  # `merge` never keeps an empty part

    def __contains__(self, pair: object) -> bool:
        return any(p == pair for p in _walk(self))

    __hash__ = Set._hash  # the hash of the equal frozenset

    def __reduce__(self) -> tuple[Any, ...]:
        return frozenset, (tuple(self),)

    def __repr__(self) -> str:
        return f"MergedOrigin({sorted(self)!r})"


def _walk(origin: Origin) -> Iterator[Pair]:
    """Each pair of ``origin`` once. Iterative, so a chain of 10^5 merges is no recursion;
    a part reached along several paths is walked once."""
    seen_pairs: set = set()
    seen_parts: set[int] = set()
    stack: list[Origin] = [origin]
    while stack:
        o = stack.pop()
        if isinstance(o, MergedOrigin):
            if id(o) not in seen_parts:
                seen_parts.add(id(o))
                stack.extend(reversed(o.parts))
            continue
        for pair in o:
            if pair not in seen_pairs:
                seen_pairs.add(pair)
                yield pair


def merge(origins: Iterable[Origin]) -> Origin:
    """The union of ``origins``, in O(number of origins): the one origin when only one is
    not empty, else a `MergedOrigin` pointing at them. An origin given twice (the same
    object) is kept once."""
    parts: list[Origin] = []
    ids: set[int] = set()
    for o in origins:
        if (isinstance(o, MergedOrigin) or o) and id(o) not in ids:  # no empty part
            ids.add(id(o))
            parts.append(o)
    if not parts:
        return frozenset()
    return parts[0] if len(parts) == 1 else MergedOrigin(tuple(parts))


def union(origin: Origin, more: Origin) -> Origin:
    """``origin`` grown by ``more``; ``origin`` itself when it already holds it for sure
    (the same object, a part of it, or a subset of a small set)."""
    if more is origin:
        return origin
    if isinstance(origin, MergedOrigin):
        for p in origin.parts:  # a loop, not any(): no generator per merge
            if p is more:
                return origin
    elif not isinstance(more, MergedOrigin) and len(more) <= SMALL and more <= origin:
        return origin
    return merge((origin, more))


def origin_of(node: Node) -> Origin:
    """The node's recorded origin, or the node itself when it was never rewritten."""
    found = node.meta.get("origin")
    if found is not None:
        return found
    return frozenset({(node.name, format_location(node.location))})


def merged_origin(nodes: Iterable[Node]) -> Origin:
    """The union of several nodes' origins (O(number of nodes), see `merge`)."""
    return merge(origin_of(n) for n in nodes)


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
    others = {name for name, _ in origin_of(node)}
    others.discard(node.name)
    if others:
        # The first four in sorted order without sorting them all: linear in the origin.
        text += " <- " + " ".join(f"%{n}" for n in heapq.nsmallest(4, others))
        text += f" +{len(others) - 4}" if len(others) > 4 else ""
    return comment(text)
