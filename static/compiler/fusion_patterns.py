"""Fusion patterns: which op groups become which fused primitive (`shared_ops.ops.fused`).

Each pattern finds *regions* in the graph: forward nodes to replace by one fused node, found
from the composite-call stack the builder stored (``meta["composite"]``) or from op structure.

* ``cross_entropy``: ``nll_loss(sub(s, logsumexp(s)), t)`` -> ``softmax_cross_entropy``;
* ``log_softmax``: the rest of ``sub(s, logsumexp(s))`` -> ``fused_log_softmax``;
* ``softmax_shift``: then, where ``s`` is log_softmax's ``x - softmax_shift(x)``, the ops
  that declare themselves ``shift_invariant`` in ``s`` (those fused kernels and the loss's
  gradient: they shift by the max anyway) take ``x`` itself;
* ``sigmoid_bce``: the ``binary_cross_entropy_with_logits`` region -> ``sigmoid_bce(z, y)``;
* ``linear_act``: ``relu(add(matmul(x, w), b))`` (or without relu) -> ``linear_act``.

When the graph also holds the region's backward (nodes whose ``meta["grad_of"]`` names a
region node), that backward is replaced too: the fused op's own gradient rule is staged from
the region's cotangent, and the old backward nodes are dropped. Their contributions to an
input's gradient are summed by ``add`` nodes (autodiff's accumulation): the first takes the
fused gradient and the others become zeros, which `grad_cleanup` removes. The checking and
rewriting machinery lives in `fusion_region`; this file only says what to look for.

A pattern fires only on exactly its expression (ops, attrs, axes, reduction; no weight or
pos_weight, no extra clamp), and only on forward nodes: anything else keeps its ops.
"""

from __future__ import annotations

import numpy as np

import shared_ops

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


# The exact expression `binary_cross_entropy_with_logits` builds without weight or pos_weight
# (shared_ops/ops/losses.py), before the reduction. Strings are operands (the same name: the
# same node), floats are scalar constants. Anything else in the region (a weight, a pos_weight,
# another clamp) means it is not this loss: no fusion. NOTE: `binary_cross_entropy` of a
# sigmoid is not fused into the logits form: PyTorch rounds the sigmoid to float32 and clamps
# each log at -100, so BCE(sigmoid(50), 0) is 100 there and 50 in the logits form; it stays a
# sigmoid and a `clamped_bce`, PyTorch's own two kernels.
_LOGITS_FORM = ("add", ("sub", ("maximum", "x", 0.0), ("mul", "x", "y")),
                ("log1p", ("exp", ("neg", ("abs", "x")))))


def _match(pattern, node: Node, env: dict, seen: set) -> bool:
    """Does ``node`` compute ``pattern`` exactly (ops, no attrs, operand identity)?"""
    if isinstance(pattern, str):
        return env.setdefault(pattern, node) is node
    if isinstance(pattern, float):
        return node.op == "constant" and np.shape(node.value) == () and \
            float(node.value) == pattern
    op, *args = pattern
    if node.op != op or node.attrs or len(node.inputs) != len(args):
        return False
    seen.add(node)
    return all(_match(a, i, env, seen) for a, i in zip(args, node.inputs, strict=True))


def _whole(n: Node) -> bool:
    """A reduction over every axis to a scalar (``sum(loss)``, ``numel(loss)``)."""
    return n.attrs.get("axis") is None and not n.attrs.get("keepdims", False) and \
        set(n.attrs) <= {"axis", "keepdims"}


def _split_reduction(root: Node) -> tuple[Node, str, set[Node]]:
    """``(loss, reduction, reduction nodes)`` for ``mean(loss)``, ``sum(loss)`` or ``loss``."""
    if root.op == "div" and root.inputs[0].op == "sum" and root.inputs[1].op == "numel":
        total, count = root.inputs
        if _whole(total) and _whole(count) and count.inputs[0] is total.inputs[0]:
            return total.inputs[0], "mean", {root, total, count}
    if root.op == "sum" and _whole(root):
        return root.inputs[0], "sum", {root}
    return root, "none", set()


def _sigmoid_bce(node: Node, users: dict) -> Region | None:
    region = _composite_region(node, "binary_cross_entropy_with_logits", users)
    if region is None:
        return None
    loss, reduction, reducing = _split_reduction(node)
    env: dict[str, Node] = {}
    matched: set[Node] = set()
    if not _match(_LOGITS_FORM, loss, env, matched) or matched | reducing != region:
        return None
    x, y = env["x"], env["y"]
    if x.aval != y.aval or x.dtype.kind != "f":
        return None
    return Region("sigmoid_bce", "sigmoid_bce", node, matched | reducing, (x, y),
                  {"reduction": reduction})


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
    """s - logsumexp(s) (a log_softmax not feeding nll_loss) -> fused_log_softmax."""
    apply(rw, _log_softmax)


def _unshifted(s: Node) -> Node | None:
    """``x`` when ``s`` is log_softmax's shift ``x - softmax_shift(x)``, else None."""
    if s.op == "sub" and s.inputs[1].op == "softmax_shift" and \
            s.inputs[1].inputs[0] is s.inputs[0]:
        return s.inputs[0]
    return None


def _shift_invariant(node: Node) -> tuple[int, int] | None:
    """``(k, axis)`` when ``node``'s op does not change if input k is shifted by a constant
    along ``axis`` (its ``shift_invariant`` facet), else None."""
    facet = getattr(shared_ops.OPS.get(node.op), "shift_invariant", None)
    if facet is None:
        return None
    k, axis_of = facet
    return k, axis_of(node.attrs, node.inputs[k].ndim)


def drop_softmax_shift(rw: Rewriter) -> None:
    """f(x - softmax_shift(x)) -> f(x) for ops ``shift_invariant`` in that input along the
    shift's axis: the same values (where a row's max is finite, the shifted row's max is 0 and
    shifting again changes nothing; elsewhere both are nan) and the same gradient. The
    shift's gradient rule passes the cotangent through; where a dim is unknown it does so
    through ``sum_to(g, x)``, which the shift's shape makes an identity: dropped too. The
    shift itself is then computed only if something else reads it."""
    names = {n.name: n for n in rw.src.nodes}
    for node in rw.src.nodes:
        invariant = _shift_invariant(node)
        if invariant is not None:
            k, axis = invariant
            s = node.inputs[k]
            x = _unshifted(s)
            if x is not None and s.inputs[1].attrs.get("axis", -1) % x.ndim == axis % x.ndim:
                inputs = rw.inputs(node)
                rw.copy(node, inputs[:k] + (rw[x],) + inputs[k + 1:])
                rw.report.rewrites["softmax_shift"] += 1
                rw.report.rewritten.add(node.name)
                continue
        if node.op == "sum_to" and len(node.inputs) == 2 and node.meta.get("grad_of") in names:
            x = _unshifted(names[node.meta["grad_of"]])
            if x is not None and node.inputs[1] is x and node.inputs[0].aval == x.aval:
                rw.replace(node, rw[node.inputs[0]], "softmax_shift_grad")
                continue
        rw.copy(node)


def fuse_sigmoid_bce(rw: Rewriter) -> None:
    """BCE with logits (and the backward) -> sigmoid_bce."""
    apply(rw, _sigmoid_bce)


def fuse_linear_act(rw: Rewriter) -> None:
    """matmul + bias (+ relu) -> linear_act; autodiff's backward of it stays as it is."""
    apply(rw, _linear_act)


# In order: the loss patterns first, so that linear_act sees the logits' final users.
PATTERNS = [fuse_cross_entropy, fuse_log_softmax, drop_softmax_shift, fuse_sigmoid_bce,
            fuse_linear_act]
