"""Fusion patterns: which op groups become which fused primitive (`shared_ops.ops.fused`).

Each pattern finds *regions* in the graph: forward nodes to replace by one fused node, found
from the composite-call stack the builder stored (``meta["composite"]``) or from op structure.

* ``cross_entropy``: ``nll_loss(sub(x, logsumexp(x)), t)`` -> ``softmax_cross_entropy``;
* ``log_softmax``: the rest of ``sub(x, logsumexp(x))`` -> ``fused_log_softmax``;
* ``sigmoid_bce``: the ``binary_cross_entropy_with_logits`` region, or a
  ``binary_cross_entropy`` region over ``sigmoid(z)``, -> ``sigmoid_bce(z, y)``;
* ``linear_act``: ``relu(add(matmul(x, w), b))`` (or without relu) -> ``linear_act``.

When the graph also holds the region's backward (nodes whose ``meta["grad_of"]`` names a
region node), that backward is replaced too: the fused op's own gradient rule is staged from
the region's cotangent, and the old backward nodes are dropped. Their contributions to an
input's gradient are summed by ``add`` nodes (autodiff's accumulation): the first takes the
fused gradient and the others become zeros, which `grad_cleanup` removes. The checking and
rewriting machinery lives in `fusion_region`; this file only says what to look for.
"""

from __future__ import annotations

import numpy as np

from ..graph import Node
from .fusion_region import Region, apply
from .rewriter import Rewriter


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


def _log_softmax(node: Node, users: dict) -> Region | None:
    if node.op != "sub" or node.inputs[1].op != "logsumexp":
        return None
    x, lse = node.inputs
    axis = lse.attrs.get("axis")
    if lse.inputs[0] is not x or not lse.attrs.get("keepdims") or \
            not isinstance(axis, int | np.integer):
        return None
    return Region("log_softmax", "fused_log_softmax", node, {lse, node}, (x,),
                  {"axis": int(axis)})


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


def fuse_cross_entropy(rw: Rewriter) -> None:
    """log_softmax + nll_loss (and their backward) -> softmax_cross_entropy (+ its grad)."""
    apply(rw, lambda node, users: _cross_entropy(node))


def fuse_log_softmax(rw: Rewriter) -> None:
    """x - logsumexp(x) (a log_softmax not feeding nll_loss) -> fused_log_softmax."""
    apply(rw, _log_softmax)


def fuse_sigmoid_bce(rw: Rewriter) -> None:
    """BCE with logits, or BCE of a sigmoid (and the backward) -> sigmoid_bce."""
    apply(rw, _sigmoid_bce)


def fuse_linear_act(rw: Rewriter) -> None:
    """matmul + bias (+ relu) -> linear_act; autodiff's backward of it stays as it is."""
    apply(rw, _linear_act)


# In order: the loss patterns first, so that linear_act sees the logits' final users.
PATTERNS = [fuse_cross_entropy, fuse_log_softmax, fuse_sigmoid_bce, fuse_linear_act]
