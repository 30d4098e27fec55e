"""fold_step_size: scale the backward seed by the learning rate instead of every gradient.

Plain SGD updates each parameter with ``w - mul(g, lr)``: one multiply per parameter, a full
pass over every weight matrix. But the backward pass is *linear* in its seed (the ``ones``
that autodiff starts from): scale the seed by ``lr`` and every gradient arrives already
scaled, so each update is just ``w - g``. One multiply on a scalar instead of one per
parameter; a hand-written step rarely bothers, a compiler can prove it is safe:

* the seed's forward closure (every node computed from it, up to the updates' multiplies)
  is checked node by node to be homogeneous of degree one in the seed-carrying inputs, as
  each op declares with its ``linear_in`` facet (matmul or mul with one such input, sums,
  transposes, reshapes, the fused loss gradients in their cotangent...), or to be zero;
  anything else (a gradient squared by Adam, clipped, added to a weight decay term, cast to
  an integer, fetched by the user) leaves the graph unchanged;
* every multiply it removes scales a gradient by the same scalar constant.

    before:  %ones = constant(1.0) ... %mul_3 = mul(%matmul_7, %lr); %sub_2 = sub(%w0, %mul_3)
    after:   %ones = constant(0.01) ...                             %sub_2 = sub(%w0, %matmul_7)

The results differ from the unfolded graph only by float rounding (the product is formed at
another place), which check mode measures like any pass's deviation.
"""

from __future__ import annotations

import numpy as np

import shared_ops

from ...graph import Graph, Node
from ..context import PassContext, PassReport
from ..provenance import origin_of
from ..rewriter import Rewriter


def fold_step_size(graph: Graph, ctx: PassContext) -> PassReport:
    """Move a common SGD step size from the updates into the backward seed, when provably
    equivalent (see the module docstring); otherwise copy the graph unchanged."""
    rw = Rewriter(graph, ctx, "fold_step_size")
    found = _find(graph, set(ctx.fetches))
    seeds, exits, scale = found if found is not None else ((), {}, None)
    for node in graph.nodes:
        if node in exits:  # mul(g, lr) -> g, already scaled
            rw.replace(node, rw[exits[node]], "fold_step_size")
        elif node in seeds:
            value = np.asarray(node.value * scale, dtype=node.dtype)
            new = rw.constant(value, origin=[node, scale_node(exits)], name=node.name,
                              like=node)
            rw.replace(node, new, "scale_seed")
        else:
            rw.copy(node)
    return rw.finish()


def scale_node(exits: dict[Node, Node]) -> Node:
    """The step-size constant of one of the removed multiplies (for provenance)."""
    mul = next(iter(exits))
    return next(i for i in mul.inputs if i is not exits[mul])


def _find(graph: Graph, fetched: set[Node]):
    """(seeds, {removed mul: the gradient it scaled}, step size) or None."""
    candidates = _update_scalings(graph, fetched)
    if not candidates:
        return None
    seeds = [n for n in graph.nodes if _is_seed(n)]
    carried: set[Node] = set(seeds)  # nodes whose value scales with the seed
    for n in graph.nodes:
        if n in carried or n in candidates or not any(i in carried for i in n.inputs):
            continue
        if n in fetched or not _homogeneous(n, carried):
            return None
        carried.add(n)
    exits: dict[Node, Node] = {}
    users = graph.users()
    for n in carried:
        for u in users[n]:
            if u in carried:
                continue
            if u not in candidates or candidates[u][0] is not n:
                return None  # the scaled value would leak to a reader that is not linear
            exits[u] = n
    scales = {(candidates[m][1].item(), candidates[m][1].dtype) for m in exits}
    if len(scales) != 1:
        return None  # no update to fold, or several step sizes (parameter groups)
    ((scale, _),) = scales
    return [s for s in seeds if users[s]], exits, scale


def _is_seed(n: Node) -> bool:
    """Autodiff's ``ones`` (the cotangent the backward starts from), or a constant folded
    from it (``broadcast_to(ones)``, ``ones / 32``). Any choice of seeds would be safe: the
    check above proves the updates homogeneous in whichever constants are scaled."""
    return n.op == "constant" and n.meta.get("role") == "backward" and n.dtype.kind == "f" \
        and any(name.startswith("ones") for name, _ in origin_of(n))


def _update_scalings(graph: Graph, fetched: set[Node]) -> dict[Node, tuple[Node, np.ndarray]]:
    """``mul(g, c)`` nodes read only by an update ``sub(w, mul)`` -> (g, c's value), where c is
    a finite, non-zero scalar constant of g's dtype and the product keeps g's shape."""
    users = graph.users()
    out: dict[Node, tuple[Node, np.ndarray]] = {}
    for a in graph.nodes:
        if a.op != "assign" or a.inputs[1].op != "sub":
            continue
        var, value = a.inputs
        w, m = value.inputs
        if w is not var or m.op != "mul" or m in fetched or users[m] != [value]:
            continue
        for g, c in (m.inputs, m.inputs[::-1]):
            if c.op == "constant" and c.value.size == 1 and c.dtype == g.dtype and \
                    g.dtype.kind == "f" and g.aval == m.aval and \
                    np.isfinite(c.value).all() and c.value.reshape(()).item() != 0:
                out[m] = (g, c.value.reshape(()))
                break
    return out


def _homogeneous(n: Node, carried: set[Node]) -> bool:
    """Is ``n`` homogeneous of degree one in its inputs that carry the seed? (A zero is: a
    gradient that fusion took over stays zero when scaled.)"""
    if _is_zero(n):
        return True
    op = shared_ops.OPS.get(n.op)
    linear = getattr(op, "linear_in", None)
    if linear is None or n.dtype.kind != "f":  # (a cast to integers truncates: not linear)
        return False
    inside = [i in carried for i in n.inputs]
    if linear == "each":  # bilinear: exactly one factor may scale
        return sum(inside) == 1
    jointly = range(len(n.inputs)) if linear == "all" else linear
    # Every input it is linear in carries the seed or is zero (fusion leaves zero terms);
    # the others (shapes, the forward values a gradient is taken at) must not carry it.
    return any(inside) and all(inside[k] or _is_zero(n.inputs[k]) for k in jointly) and \
        not any(c for k, c in enumerate(inside) if k not in jointly)


def _is_zero(n: Node) -> bool:
    return (n.op == "constant" and not np.any(n.value)) or \
        (n.op == "full_like" and n.attrs.get("fill_value") == 0)
