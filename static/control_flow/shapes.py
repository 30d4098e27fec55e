"""Output avals of control-flow nodes for given input avals (e.g. concrete feed shapes).

A compiled executor plans buffers per concrete feed signature: it needs the shape of every
value, including the outputs of a ``scan`` whose length is only known once ``xs`` is fed. This
module re-runs the bodies' shape rules on the given input avals (nested bodies included), the
way the builder ran them on the avals it had when the graph was built.

    avals = output_avals(scan_node, [f32[3], f32[7,3], f32[3,3]])   # -> (f32[3], f32[7,3])
"""

from __future__ import annotations

from collections.abc import Sequence

import shared_ops
from shared_ops.aval import Aval

from ..graph import Node
from .body import Body


def output_avals(node: Node, in_avals: Sequence[Aval]) -> tuple[Aval, ...]:
    """The avals of a ``cond``/``while_loop``/``scan`` node's outputs for these input avals;
    a dim that stays data-dependent is ``None``. For a ``tuple_get``, pass its control node."""
    a = node.attrs
    declared = list(a["out_avals"])
    if node.op == "cond":
        results = [body_avals(b, in_avals[1:]) for b in a["branches"]]
        return tuple(_merge(d, *r) for d, *r in zip(declared, *results, strict=True))
    if node.op == "while_loop":  # loop variables keep their avals; captured inputs follow
        return tuple(_merge(d, i) for d, i in zip(declared, in_avals[:len(declared)],
                                                  strict=True))
    nc, nx = a["num_carry"], a["num_xs"]
    xs = list(in_avals[nc:nc + nx])
    length = xs[0].shape[0] if xs else a["length"]
    step_in = list(in_avals[:nc]) + [Aval(x.shape[1:], x.dtype) for x in xs] + \
        list(in_avals[nc + nx:])
    step_out = body_avals(a["body"], step_in)
    ys = [Aval((length, *y.shape), y.dtype) for y in step_out[nc:]]
    return tuple(_merge(d, o) for d, o in zip(declared, list(in_avals[:nc]) + ys, strict=True))


def body_avals(body: Body, in_avals: Sequence[Aval]) -> list[Aval]:
    """The avals of ``body``'s outputs when its inputs have ``in_avals``."""
    env: dict[Node, Aval] = dict(zip(body.inputs, in_avals, strict=True))
    for n in body.graph.nodes:
        if n in env:
            continue
        if n.op in ("variable", "constant"):
            env[n] = Aval(n.value.shape, n.value.dtype)
        elif n.op == "tuple_get":
            src = n.inputs[0]
            env[n] = output_avals(src, [env[i] for i in src.inputs])[n.attrs["index"]]
        elif "out_avals" in n.attrs:
            env[n] = n.aval  # a control node's own aval is a marker; tuple_get computes
        else:
            op = shared_ops.OPS[n.op]
            env[n] = op.shape_rule(*(env[i] for i in n.inputs), **n.attrs)
    return [env[o] for o in body.outputs]


def _merge(declared: Aval, *found: Aval) -> Aval:
    """Dims known at build time stay; an unknown one takes the value every result agrees on."""
    dims = []
    for k, d in enumerate(declared.shape):
        seen = {f.shape[k] for f in found}
        dims.append(d if d is not None else (seen.pop() if len(seen) == 1 else None))
    return Aval(tuple(dims), declared.dtype)
