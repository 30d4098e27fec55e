"""Gradient rules of the control-flow nodes, built symbolically from the bodies' own gradients.

* ``cond``: a cond of the branches' gradients. Each gradient branch re-inlines its forward
  branch and calls `gradients` on it, so only the branch taken at run time is differentiated.
* ``scan``: a forward scan that also stacks the carry entering each step (the forward is
  recomputed, i.e. rematerialized, rather than kept by the forward node; the compiler merges
  the two forward scans, `optimize.merge_residual_scans`), then a reverse scan
  whose step is the gradient graph of the body: it carries the carry's cotangent and the sums
  of the closed-over values' cotangents, and stacks the cotangents of ``xs``.
* ``while_loop``: only with ``maximum_iterations=N``. The loop is rewritten as a scan of N
  steps whose carry has a ``done`` flag (a step after the loop ended leaves the values as they
  are, through ``where``), and that scan is differentiated. Without a bound the backward pass
  could not know how many steps to store: a `GradientError` says so.

Rules are ``rule(node, cotangents, wanted) -> one gradient per input`` (see
`static.autodiff.register_static_vjp`).
"""

from __future__ import annotations

import uuid

import numpy as np

import shared_ops
from shared_ops.errors import GradientError

from ..autodiff import gradients
from ..builder import _as_node, constant
from ..graph import Node, get_default_graph
from . import build
from .body import Body, inline


def _zeros_where_none(grads, like) -> list:
    return [g if g is not None else shared_ops.zeros_like(w) for g, w in zip(grads, like,
                                                                            strict=True)]


def cond_vjp(node: Node, cotangents: list, wanted: list[bool]) -> list:
    """A ``cond`` of the two branches' gradient graphs, on the same predicate."""
    pred, *args = node.inputs
    diff = [k for k, w in enumerate(wanted[1:]) if w]
    have = [k for k, c in enumerate(cotangents) if c is not None]

    def grad_of(body: Body):
        def branch(*placeholders):
            ins, seeds = placeholders[:len(args)], placeholders[len(args):]
            outs = inline(body, ins)
            grads = gradients([outs[k] for k in have], [ins[k] for k in diff], list(seeds))
            return tuple(_zeros_where_none(grads, [ins[k] for k in diff]))
        return branch

    true_body, false_body = node.attrs["branches"]
    results = build.cond(pred, grad_of(true_body), grad_of(false_body),
                         [*args, *(cotangents[k] for k in have)])
    out: list = [None] * len(node.inputs)
    for r, k in zip(results, diff, strict=True):
        out[1 + k] = r
    return out


def scan_vjp(node: Node, cotangents: list, wanted: list[bool]) -> list:
    """A residual forward scan (carries per step), then a reverse scan of the body's VJP."""
    body: Body = node.attrs["body"]
    nc, nx = node.attrs["num_carry"], node.attrs["num_xs"]
    length, reverse = node.attrs["length"], node.attrs["reverse"]
    carry0, xs = list(node.inputs[:nc]), list(node.inputs[nc:nc + nx])
    consts = list(node.inputs[nc + nx:])
    ny = len(node.attrs["out_avals"]) - nc
    fc = [k for k in range(nc) if carry0[k].dtype.kind == "f"]
    fx = [k for k in range(nx) if wanted[nc + k]]
    fk = [k for k in range(len(consts)) if wanted[nc + nx + k]]
    seeded_ys = [j for j in range(ny) if cotangents[nc + j] is not None]

    def residual_step(carry, x):
        carry = list(carry)
        outs = inline(body, [*carry, *(x or ()), *consts])
        return tuple(outs[:nc]), tuple(carry)

    _, carries_in = build.scan(residual_step, tuple(carry0), tuple(xs) if nx else None,
                               length, reverse)
    # The compiler may fold this scan into the forward one it repeats (optimize.py): a token
    # pairs them (names change in the compiler's passes, meta is carried along), unique
    # across processes too, since a saved graph keeps its meta.
    token = node.meta.setdefault("scan_token", uuid.uuid4().hex)
    carries_in[0].inputs[0].meta["residual_of"] = token

    def grad_step(g_carry, x_t):
        ct_carry, acc = list(g_carry[:len(fc)]), list(g_carry[len(fc):])
        c_t, x_v, ct_y = x_t[:nc], x_t[nc:nc + nx], list(x_t[nc + nx:])
        graph = get_default_graph()
        k_in = [_as_node(k, graph) for k in consts]
        outs = inline(body, [*c_t, *x_v, *k_in])
        targets = [outs[k] for k in fc] + [outs[nc + j] for j in seeded_ys]
        wrt = [c_t[k] for k in fc] + [x_v[k] for k in fx] + [k_in[k] for k in fk]
        grads = gradients(targets, wrt, ct_carry + ct_y) if targets else [None] * len(wrt)
        grads = _zeros_where_none(grads, wrt)
        new_ct = grads[:len(fc)]
        g_x = grads[len(fc):len(fc) + len(fx)]
        g_k = grads[len(fc) + len(fx):]
        return (*new_ct, *(shared_ops.add(a, g) for a, g in zip(acc, g_k, strict=True))), \
            tuple(g_x)

    init = [cotangents[k] if cotangents[k] is not None else shared_ops.zeros_like(carry0[k])
            for k in fc] + [shared_ops.zeros_like(consts[k]) for k in fk]
    g_xs = [*carries_in, *xs, *(cotangents[nc + j] for j in seeded_ys)]
    final, x_grads = build.scan(grad_step, tuple(init), tuple(g_xs) if g_xs else None,
                                length, not reverse)
    out: list = [None] * len(node.inputs)
    for i, k in enumerate(fc):
        out[k] = final[i]
    for i, k in enumerate(fx):
        out[nc + k] = x_grads[i]
    for i, k in enumerate(fk):
        out[nc + nx + k] = final[len(fc) + i]
    return out


def while_vjp(node: Node, cotangents: list, wanted: list[bool]) -> list:
    """Differentiate a bounded while_loop as the equivalent masked scan."""
    limit = node.attrs["maximum_iterations"]
    if limit is None:
        raise GradientError(
            "while_loop", f"cannot differentiate through %{node.name}: its number of "
            "iterations is only known at run time, so the backward pass cannot know how many "
            "steps to keep. Pass maximum_iterations=N to while_loop (it is then "
            "differentiated as a scan of at most N steps), use scan with a fixed length, or "
            "run the loop in eager mode", location=node.location)
    nv = len(node.attrs["out_avals"])
    vars0, consts = list(node.inputs[:nv]), list(node.inputs[nv:])
    cond_body, loop_body = node.attrs["cond_fn"], node.attrs["body_fn"]

    def step(carry, _):
        values, done = list(carry[:nv]), carry[nv]
        keep = inline(cond_body, [*values, *consts])[0]
        if keep.dtype != np.bool_:
            keep = shared_ops.cast(keep, dtype=np.dtype(bool))
        active = shared_ops.where(done, False, keep)
        new = inline(loop_body, [*values, *consts])
        kept = [shared_ops.where(active, n, v) for n, v in zip(new, values, strict=True)]
        return (*kept, shared_ops.eq(active, False)), None

    start = constant(np.array(False), name="done", graph=get_default_graph())
    final, _ = build.scan(step, (*vars0, start), None, limit, False)
    masked = final[0].inputs[0]
    captured = list(masked.inputs[nv + 1:])
    scan_wanted = wanted[:nv] + [False] + [wanted[nv + _index(consts, c)] for c in captured]
    grads = scan_vjp(masked, [*cotangents, None], scan_wanted)
    out: list = list(grads[:nv]) + [None] * len(consts)
    for c, g in zip(captured, grads[nv + 1:], strict=True):
        out[nv + _index(consts, c)] = g
    return out


def _index(nodes: list[Node], node: Node) -> int:
    return next(k for k, n in enumerate(nodes) if n is node)
