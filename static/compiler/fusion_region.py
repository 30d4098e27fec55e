"""Fusion regions: what a pattern replaces, and how the replacement is checked and applied.

A `Region` is a set of forward nodes (its ``root`` last) that one fused op replaces. When the
graph also holds the region's backward (nodes whose ``meta["grad_of"]`` names a region node),
`accept` attaches it: the cotangent flowing into the root, the backward nodes to drop, and
which input each of their outside-visible results is a gradient contribution to. `apply`
then rebuilds the graph with the fused node and, for the backward, the fused op's own
gradient rule staged from the cotangent: the first contribution to each input takes the fused
gradient, the others become zeros (which ``grad_cleanup`` removes).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

import shared_ops

from ..graph import Node
from ..interpreter import ancestors
from .provenance import merged_origin
from .rewriter import Rewriter


@dataclass
class Region:
    """Forward nodes (``nodes``, ``root`` last) replaced by ``op(*inputs, **attrs)``."""

    rule: str
    op: str
    root: Node
    nodes: set[Node]
    inputs: tuple[Node, ...]
    attrs: dict
    cotangent: Node | None = None
    backward: set[Node] = field(default_factory=set)
    outs: dict[Node, int] = field(default_factory=dict)  # backward out -> input position
    # Nodes outside the backward that read the cotangent itself as an input's gradient (a
    # rule that passes g through, like sub's) -> that input's position.
    direct: dict[Node, int] = field(default_factory=dict)
    # "restage": replace the backward by the fused op's gradient rule; "keep": the backward
    # reads no inner node of the region (only inputs and the root's value), so it stays.
    backward_mode: str = "restage"
    direct_value: Node | None = None  # what the direct readers read instead, once staged



# --- checking a region and its backward ----------------------------------------------------------
def accept(region: Region, graph, users: dict, fetched: set) -> bool:
    """Attach the region's backward; False when fusing would change what others read."""
    names = {n.name for n in region.nodes}
    cand = [n for n in graph.nodes if n.meta.get("grad_of") in names]
    inner = region.nodes - {region.root}
    if cand and region.backward_mode == "restage":
        g = _cotangent(region, cand)
        if g is None:
            return False
        above = ancestors([g])
        region.cotangent = g
        # Constants stay (after CSE one may serve other gradients too); unused ones get pruned.
        region.backward = {n for n in cand if n not in above and n.op != "constant"}
        if not _outs(region, users) or not _direct(region, users) or \
                not (region.outs or region.direct):
            return False
    blocked = region.backward | region.nodes
    for n in inner:
        if n in fetched or any(u not in blocked for u in users[n]):
            return False
    return not any(n in fetched for n in region.backward)


def _cotangent(region: Region, cand: list[Node]) -> Node | None:
    """The gradient flowing into the region's root: the one value from outside that the
    backward reads (constants too: folding may have made the cotangent one), or autodiff's
    sum of several (adds tagged with the root's name), or the seed (ones). It must have the
    root's aval; anything else (say a partly folded backward) means: do not fuse."""
    cset = set(cand)
    root = region.root
    # Forward values the backward rules read (the region's nodes and their operands,
    # clamp constants included) are not the cotangent.
    forward = region.nodes | {i for n in region.nodes for i in n.inputs}
    ext = {i for c in cand for i in c.inputs if i not in cset and i not in forward}
    sums: list[Node] = []
    for c in cand:  # the root's accumulation chain: adds of outside values or of each other
        if c.op == "add" and c.meta.get("grad_of") == root.name and \
                all(i not in cset or i in sums for i in c.inputs):
            sums.append(c)
    if sums:
        g = sums[-1]
    elif len(ext) == 1:
        g = ext.pop()
    elif not ext:
        g = _seed(root, cand)
    else:
        return None
    return g if g is not None and g.aval == root.aval else None


def _seed(root: Node, cand: list[Node]) -> Node | None:
    """The end of the backward pass's seed, ``ones`` (broadcast to the root's shape), made
    first: a constant of ones, then expand_dims/broadcast_to of it, all tagged with the root."""
    chain: list[Node] = []
    for c in cand:
        if c.meta.get("grad_of") != root.name:
            break
        if not chain:
            if c.op != "constant" or not np.all(c.value == 1):
                return None
        elif c.op not in ("expand_dims", "broadcast_to") or c.inputs[0] is not chain[-1]:
            break
        chain.append(c)
    return chain[-1] if chain else None


def _outs(region: Region, users: dict) -> bool:
    """Map each backward node read from outside to the input whose gradient it feeds;
    False when that is ambiguous."""
    by_name = {x.name: k for k, x in enumerate(region.inputs)}
    for b in region.backward:
        external = [u for u in users[b] if u not in region.backward]
        if not external:
            continue
        # Gradients flow to float inputs of the same aval; when several qualify, autodiff's
        # accumulation nodes (grad_of = the input) say which one this contribution feeds.
        fits = {k for k, x in enumerate(region.inputs)
                if x.aval == b.aval and x.dtype.kind == "f"}
        if len(fits) != 1:
            fits &= {by_name.get(u.meta.get("grad_of")) for u in external}
        if len(fits) != 1:
            return False
        region.outs[b] = fits.pop()
    return True


def _direct(region: Region, users: dict) -> bool:
    """Find readers of the cotangent itself as an input's gradient (``sub``'s rule passes g
    through unchanged): after fusion they must read the fused gradient (or zero) instead."""
    by_name = {x.name: k for k, x in enumerate(region.inputs)}
    # Forward nodes outside the region that read its root: their rules also hand out the
    # cotangent (``x + bce(x, y)``: add gives g to x as well as to the root).
    root_readers = [v for v in users[region.root] if v not in region.nodes
                    and v.meta.get("role", "forward") == "forward"]
    for u in users[region.cotangent]:
        if u in region.backward or u in region.nodes:
            continue
        k = by_name.get(u.meta.get("grad_of"))
        if k is None:
            # A backward reader whose grad_of names no input (simplify may have replaced
            # the node it named, sum_to(x) -> x): it may be a pass-through we cannot place.
            if u.meta.get("role") == "backward":
                return False
            continue
        if region.cotangent.aval != region.inputs[k].aval:
            return False
        if any(region.inputs[k] in v.inputs for v in root_readers):
            # Then u may read g as that reader's contribution to the input, not as the
            # region's pass-through: replacing it would drop a term. Leave it unfused.
            return False
        region.direct[u] = k
    return len(set(region.direct.values())) <= 1  # one cotangent, one input's gradient


# --- applying ------------------------------------------------------------------------------------
def apply(rw: Rewriter, finder) -> None:
    """Find regions with ``finder(node, users)``, keep the acceptable ones, rebuild."""
    graph = rw.src
    users = graph.users()
    fetched = set(rw.ctx.fetches)
    regions: list[Region] = []
    taken: set[Node] = set()
    for node in graph.nodes:
        region = finder(node, users)
        # Only forward regions: autodiff recomputes forward-looking expressions in the
        # backward (logsumexp's rule rebuilds x - lse), and treating those as a region would
        # take the region's own users for "its backward" and restage them wrongly.
        if region is None or any(n.meta.get("role", "forward") != "forward"
                                 for n in region.nodes):
            continue
        if region.nodes & taken or not accept(region, graph, users, fetched):
            continue
        if region.backward & taken or set(region.direct) & taken:
            continue
        regions.append(region)
        taken |= region.nodes | region.backward
    roots = {r.root: r for r in regions}
    skip = set().union(*(r.nodes | r.backward for r in regions)) if regions else set()
    position = {n: k for k, n in enumerate(graph.nodes)}
    stage_at = {min([*r.outs, *r.direct], key=position.__getitem__): r
                for r in regions if r.outs or r.direct}
    direct_of = {u: r for r in regions for u in r.direct}
    pending: dict[Node, Node] = {}
    for node in graph.nodes:
        if node in roots:
            r = roots[node]
            fused = rw.emit(r.op, tuple(rw[i] for i in r.inputs), r.attrs,
                            origin=sorted(r.nodes, key=lambda n: n.name), name=node.name,
                            like=node)
            fused.meta["fused"] = tuple(sorted(n.op for n in r.nodes))
            rw.replace(node, fused, r.rule)
            continue
        if node in stage_at:
            pending.update(_stage_backward(rw, stage_at[node]))
        if node in pending:
            rw.map[node] = pending[node]
        elif node in direct_of:  # reads g as an input's gradient: now the fused one (or 0)
            r = direct_of[node]
            inputs = tuple(r.direct_value if i is r.cotangent else rw[i] for i in node.inputs)
            rw.copy(node, inputs)
        elif node not in skip:
            rw.copy(node)


def _stage_backward(rw: Rewriter, r: Region) -> dict[Node, Node]:
    """The fused op's gradient rule, staged into the new graph; old outs -> new values.

    For each input, the fused gradient replaces the first contribution autodiff made; later
    contributions (and a pass-through of the cotangent) become zeros, since the fused
    gradient already holds them all.
    """
    dst = rw.dst
    start = len(dst.nodes)
    op = shared_ops.OPS[r.op]
    fused = rw[r.root]
    parts = list(op.vjp(rw[r.cotangent], tuple(rw[i] for i in r.inputs), fused, **r.attrs))
    origin = merged_origin(r.backward)
    for n in dst.nodes[start:]:
        n.meta.update(role="backward", grad_of=r.root.name, origin=origin)
        n.location = r.root.location
    position = {n: k for k, n in enumerate(rw.src.nodes)}
    givers = sorted(r.outs, key=position.__getitem__)
    given: set[int] = set()
    mapping: dict[Node, Node] = {}

    def part(k: int, like: Node) -> Node:
        value = parts[k]
        if value is None:  # the fused op has no gradient for this input: it is zero
            return _zeros(rw, rw[r.inputs[k]], like)
        return shared_ops.cast(value, dtype=like.dtype) if value.dtype != like.dtype else value

    for b in givers:
        k = r.outs[b]
        mapping[b] = _zeros(rw, part(k, b), b) if k in given else part(k, b)
        given.add(k)
    ks = set(r.direct.values())  # at most one: see _direct
    if ks:
        k = ks.pop()
        r.direct_value = _zeros(rw, part(k, r.cotangent), r.cotangent) if k in given \
            else part(k, r.cotangent)
    rw.report.rewrites[f"{r.rule}_backward"] += 1
    return mapping


def _zeros(rw: Rewriter, like_value: Node, like: Node) -> Node:
    return rw.emit("full_like", (like_value,), {"fill_value": 0}, origin=[like],
                   name=f"{like.name}.zero", like=like)
