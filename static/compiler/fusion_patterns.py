"""Fusion patterns: which op groups become which fused primitive (`shared_ops.ops.fused`).

Each pattern finds *regions* in the graph: forward nodes to replace by one fused node, found
from the composite-call stack the builder stored (``meta["composite"]``) or from op structure.

* ``cross_entropy``: ``nll_loss(sub(x, logsumexp(x)), t)`` -> ``softmax_cross_entropy``;
* ``sigmoid_bce``: the ``binary_cross_entropy_with_logits`` region, or a
  ``binary_cross_entropy`` region over ``sigmoid(z)``, -> ``sigmoid_bce(z, y)``;
* ``linear_act``: ``relu(add(matmul(x, w), b))`` (or without relu) -> ``linear_act``.

When the graph also holds the region's backward (nodes whose ``meta["grad_of"]`` names a
region node), that backward is replaced too: the fused op's own gradient rule is staged from
the region's cotangent, and the old backward nodes are dropped. Their contributions to an
input's gradient are summed by ``add`` nodes (autodiff's accumulation): the first takes the
fused gradient and the others become zeros, which `grad_cleanup` removes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import shared_ops

from ..graph import Node
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
    # "restage": replace the backward by the fused op's gradient rule; "keep": the backward
    # reads no inner node of the region (only inputs and the root's value), so it stays.
    backward_mode: str = "restage"


# --- finding regions ---------------------------------------------------------------------------
def _cross_entropy(node: Node) -> Region | None:
    if node.op != "nll_loss":
        return None
    logp, target = node.inputs
    if logp.op != "sub" or logp.inputs[1].op != "logsumexp":
        return None
    x, lse = logp.inputs
    axis = 1 if x.ndim >= 2 else 0
    if lse.inputs[0] is not x or not lse.attrs.get("keepdims") or x.ndim > 2 \
            or lse.attrs.get("axis") not in (axis, axis - x.ndim):
        return None
    return Region("cross_entropy", "softmax_cross_entropy", node, {lse, logp, node},
                  (x, target), dict(node.attrs))


def _composite_region(root: Node, name: str, users: dict) -> set[Node] | None:
    """The connected nodes made by one call of composite ``name`` ending at ``root``."""
    def inside(n: Node) -> bool:
        stack = n.meta.get("composite") or ()
        return bool(stack) and stack[0] == name and n.op != "constant" \
            and n.meta.get("role", "forward") == "forward"

    if not inside(root) or any(inside(u) for u in users[root]):
        return None
    region, todo = set(), [root]
    while todo:
        n = todo.pop()
        if n in region:
            continue
        region.add(n)
        todo.extend(i for i in n.inputs if inside(i))
    return region


def _reduction(region: set[Node], root: Node) -> str:
    if root.ndim:
        return "none"
    return "mean" if any(n.op == "numel" for n in region) else "sum"


def _sigmoid_bce(node: Node, users: dict) -> Region | None:
    for name in ("binary_cross_entropy_with_logits", "binary_cross_entropy"):
        region = _composite_region(node, name, users)
        if region is None:
            continue
        # Constants may come from anywhere after CSE; the region's operands are the rest.
        outside = {i for n in region for i in n.inputs
                   if i not in region and i.op != "constant"}
        if len(outside) != 2:
            return None
        # The input is the node that relu/abs (logits form) or log (probabilities) read.
        first = {i for n in region for i in n.inputs
                 if i in outside and n.op in ("relu", "abs", "log")}
        if len(first) != 1:
            return None
        (x,) = first
        (y,) = outside - first
        if name == "binary_cross_entropy":
            if x.op != "sigmoid":
                return None
            region = region | {x}
            x = x.inputs[0]
        if x.aval != y.aval:
            return None
        return Region("sigmoid_bce", "sigmoid_bce", node, region, (x, y),
                      {"reduction": _reduction(region, node)})
    return None


def _linear_act(node: Node, users: dict) -> Region | None:
    act = "relu" if node.op == "relu" else "none"
    z = node.inputs[0] if act == "relu" else node
    if z.op != "add" or (act == "none" and [u.op for u in users[z]] == ["relu"]):
        return None
    for k in (0, 1):
        mm, b = z.inputs[k], z.inputs[1 - k]
        if mm.op == "matmul" and mm.ndim == 2 and all(i.ndim == 2 for i in mm.inputs) \
                and b.ndim == 1 and z.aval == mm.aval:
            nodes = {mm, z, node}
            return Region("linear_act", "linear_act", node, nodes, (*mm.inputs, b),
                          {"activation": act}, backward_mode="keep")
    return None


# --- checking a region and its backward ----------------------------------------------------------
def _accept(region: Region, graph, users: dict, fetched: set) -> bool:
    """Attach the region's backward; False when fusing would change what others read."""
    names = {n.name for n in region.nodes}
    cand = [n for n in graph.nodes if n.meta.get("grad_of") in names]
    inner = region.nodes - {region.root}
    if cand and region.backward_mode == "restage":
        g = _cotangent(region, cand)
        if g is None:
            return False
        above = _ancestors(g)
        region.cotangent = g
        # Constants stay (after CSE one may serve other gradients too); unused ones get pruned.
        region.backward = {n for n in cand if n not in above and n.op != "constant"}
        if not _outs(region, users):
            return False
    blocked = region.backward | region.nodes
    for n in inner:
        if n in fetched or any(u not in blocked for u in users[n]):
            return False
    return not any(n in fetched for n in region.backward)


def _cotangent(region: Region, cand: list[Node]) -> Node | None:
    cset = set(cand)
    ext = {i for c in cand for i in c.inputs if i not in cset and i.op != "constant"
           and i.meta.get("role") == "backward" and i not in region.nodes}
    if len(ext) == 1:
        return ext.pop()
    if not ext:
        return cand[0]  # the seed of the backward pass (ones), made first
    return None


def _ancestors(node: Node) -> set[Node]:
    seen, todo = set(), [node]
    while todo:
        n = todo.pop()
        if n not in seen:
            seen.add(n)
            todo.extend(n.inputs)
    return seen


def _outs(region: Region, users: dict) -> bool:
    """Map each backward node read from outside to the input whose gradient it feeds."""
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
    return bool(region.outs)


# --- applying ------------------------------------------------------------------------------------
def _apply(rw: Rewriter, finder) -> None:
    graph = rw.src
    users = graph.users()
    fetched = set(rw.ctx.fetches)
    regions: list[Region] = []
    taken: set[Node] = set()
    for node in graph.nodes:
        region = finder(node, users)
        if region is None or region.nodes & taken or not _accept(region, graph, users, fetched):
            continue
        if region.backward & taken:
            continue
        regions.append(region)
        taken |= region.nodes | region.backward
    roots = {r.root: r for r in regions}
    skip = set().union(*(r.nodes | r.backward for r in regions)) if regions else set()
    first_out = {min(r.outs, key=graph.nodes.index): r for r in regions if r.outs}
    pending: dict[Node, Node] = {}
    for node in graph.nodes:
        if node in roots:
            r = roots[node]
            fused = rw.emit(r.op, tuple(rw[i] for i in r.inputs), r.attrs,
                            origin=sorted(r.nodes, key=lambda n: n.name), name=node.name,
                            like=node)
            fused.meta["fused"] = tuple(sorted(n.op for n in r.nodes))
            rw.replace(node, fused, r.rule)
        elif node in first_out:
            pending.update(_stage_backward(rw, first_out[node]))
        if node in pending:
            rw.map[node] = pending[node]
        elif node not in skip:
            rw.copy(node)


def _stage_backward(rw: Rewriter, r: Region) -> dict[Node, Node]:
    """The fused op's gradient rule, staged into the new graph; old outs -> new values."""
    dst = rw.dst
    start = len(dst.nodes)
    op = shared_ops.OPS[r.op]
    fused = rw[r.root]
    parts = op.vjp(rw[r.cotangent], tuple(rw[i] for i in r.inputs), fused, **r.attrs)
    origin = merged_origin(r.backward)
    for n in dst.nodes[start:]:
        n.meta.update(role="backward", grad_of=r.root.name, origin=origin)
        n.location = r.root.location
    mapping: dict[Node, Node] = {}
    first: dict[int, Node] = {}
    for b in sorted(r.outs, key=rw.src.nodes.index):
        k = r.outs[b]
        if k in first:  # a later contribution to the same input: the fused part has it all
            mapping[b] = rw.emit("full_like", (first[k],), {"fill_value": 0}, origin=[b],
                                 name=f"{b.name}.zero", like=b)
            continue
        part = parts[k]
        if part.dtype != b.dtype:
            part = shared_ops.cast(part, dtype=b.dtype)
        mapping[b] = first[k] = part
    rw.report.rewrites[f"{r.rule}_backward"] += 1
    return mapping


def fuse_cross_entropy(rw: Rewriter) -> None:
    """log_softmax + nll_loss (and their backward) -> softmax_cross_entropy (+ its grad)."""
    _apply(rw, lambda node, users: _cross_entropy(node))


def fuse_sigmoid_bce(rw: Rewriter) -> None:
    """BCE with logits, or BCE of a sigmoid (and the backward) -> sigmoid_bce."""
    _apply(rw, _sigmoid_bce)


def fuse_linear_act(rw: Rewriter) -> None:
    """matmul + bias (+ relu) -> linear_act; autodiff's backward of it stays as it is."""
    _apply(rw, _linear_act)


# In order: the loss patterns first, so that linear_act sees the logits' final users.
PATTERNS = [fuse_cross_entropy, fuse_sigmoid_bce, fuse_linear_act]
