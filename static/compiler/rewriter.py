"""`Rewriter`: how a pass builds its output graph from its input graph.

Passes never mutate their input. They walk it in order and, for each node, either `copy` it
(inputs re-pointed at the new graph), `replace` it by a node already built (``x * 1 -> x``),
or `emit` new nodes (a fused op, a folded constant). Names are kept, so listings before and
after a pass line up; provenance (``meta["origin"]``) is carried along. `finish` re-points
the context's fetches, drops nodes no fetch needs, and fills in the pass report.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

import shared_ops
from shared_ops.aval import Aval

from ..graph import Graph, Node
from .context import PassContext, PassReport
from .provenance import merged_origin, origin_of, union


class Rewriter:
    """Rebuilds ``src`` into a new graph ``dst``; ``map`` takes old nodes to new ones."""

    def __init__(self, src: Graph, ctx: PassContext, name: str):
        self.src = src
        self.ctx = ctx
        self.dst = Graph()
        self.map: dict[Node, Node] = {}
        self.report = PassReport(name, self.dst, len(src.nodes), 0)

    def __getitem__(self, old: Node) -> Node:
        return self.map[old]

    def inputs(self, old: Node) -> tuple[Node, ...]:
        """``old``'s inputs, as nodes of the new graph."""
        return tuple(map(self.map.__getitem__, old.inputs))

    def copy(self, old: Node, inputs: tuple[Node, ...] | None = None) -> Node:
        """``old`` rebuilt in the new graph (same op, attrs, name, meta, storage)."""
        new = self.dst.add_node(old.op, self.inputs(old) if inputs is None else inputs,
                                old.attrs, old.aval, name=old.name, location=old.location,
                                meta=old.meta, value=old.value)
        new.meta["origin"] = origin_of(old)  # new.meta is add_node's own copy
        self.map[old] = new
        return new

    def emit(self, op: str, inputs: tuple[Node, ...], attrs: dict[str, Any], *,
             origin: Iterable[Node], name: str, like: Node | None = None,
             aval: Aval | None = None) -> Node:
        """A new node of a shared op; its aval comes from the op's shape rule.

        ``origin`` lists the nodes it stands for (their origins are merged); ``like`` (default:
        the first of them) lends its location and meta (role, composite...).
        """
        origin = list(origin)
        like = like if like is not None else origin[0]
        if aval is None:
            aval = shared_ops.OPS[op].shape_rule(*(i.aval for i in inputs), **attrs)
        meta = {k: v for k, v in like.meta.items() if k != "origin"}
        meta["origin"] = merged_origin(origin)
        return self.dst.add_node(op, inputs, attrs, aval, name=name, location=like.location,
                                 meta=meta)

    def constant(self, value: np.ndarray, *, origin: Iterable[Node], name: str,
                 like: Node | None = None) -> Node:
        """A constant node holding ``value`` (made read-only: constants are shared)."""
        origin = list(origin)
        like = like if like is not None else origin[0]
        arr = np.array(value, copy=True)
        arr.setflags(write=False)
        meta = {k: v for k, v in like.meta.items() if k != "origin"}
        meta["origin"] = merged_origin(origin)
        return self.dst.add_node("constant", (), {}, Aval(arr.shape, arr.dtype), name=name,
                                 location=like.location, meta=meta, value=arr)

    def replace(self, old: Node, new: Node, rule: str) -> Node:
        """Use ``new`` wherever ``old`` was used; counts ``rule`` in the report.

        ``new``'s origin gains ``old``'s in O(1) (`provenance.union` points at both), so
        merging k nodes into one costs O(k) in all, not O(k^2) set copies.
        """
        new.meta["origin"] = union(origin_of(new), origin_of(old))
        self.map[old] = new
        self.report.rewrites[rule] += 1
        self.report.rewritten.add(new.name)
        return new

    def finish(self, prune: bool = True) -> PassReport:
        """Re-point the fetches, drop what no fetch needs, fill in the report."""
        self.ctx.fetches = [self.map[f] for f in self.ctx.fetches]
        if prune:
            keep = _live(self.dst, self.ctx.fetches)
            if len(keep) != len(self.dst.nodes):
                pruned = Graph()
                remap: dict[Node, Node] = {}
                for n in self.dst.nodes:
                    if n in keep:
                        remap[n] = pruned.add_node(
                            n.op, tuple(remap[i] for i in n.inputs), n.attrs, n.aval,
                            name=n.name, location=n.location, meta=n.meta, value=n.value)
                self.map = {k: remap[v] for k, v in self.map.items() if v in remap}
                self.ctx.fetches = [remap[f] for f in self.ctx.fetches]
                discard(self.dst)
                self.dst = pruned
        report = self.report
        report.graph = self.dst
        report.nodes_after = len(self.dst.nodes)
        before = {n.name for n in self.src.nodes}
        after = {n.name for n in self.dst.nodes}
        report.added = after - before
        report.removed = before - after
        report.rewritten &= after
        return report


def _live(graph: Graph, fetches: list[Node]) -> set[Node]:
    """The fetches and what they depend on: one backward sweep, as a pass's output graph is
    in topological order (each node after its inputs)."""
    live = set(fetches)
    for n in reversed(graph.nodes):
        if n in live:
            live.update(n.inputs)
    return live


def discard(graph: Graph) -> None:
    """Free an intermediate graph of a pass now. A graph and its nodes refer to each other,
    so only the cyclic collector could reclaim it (and it is paused during the passes, see
    `static.gc_pause`): emptying it breaks the cycle and reference counting frees it at once.
    Only for a graph that nothing outside the pass has seen."""
    graph.nodes = []
    graph._by_name = {}
    graph.version += 1
