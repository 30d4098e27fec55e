"""Running control-flow nodes on arrays: what the interpreter (and any executor) calls.

`run_control_node(node, input_values)` computes a ``cond``/``while_loop``/``scan`` node's tuple
of outputs (or a ``tuple_get``'s element) from its inputs' arrays, evaluating the bodies with
the reference interpreter. The compiled executor does not use it: it generates code for these
nodes (`static.compiler.emit_control_flow`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..errors import NodeRuntimeError
from ..graph import Node, format_location
from .body import run_body


def run_control_node(node: Node, input_values: Sequence[np.ndarray]):
    """Outputs of a control node (a tuple of arrays), or the element a ``tuple_get`` picks."""
    if node.op == "tuple_get":
        return input_values[0][node.attrs["index"]]
    try:
        return _RUNNERS[node.op](node, list(input_values))
    except NodeRuntimeError as e:
        # The failing node is inside a body: say which control node (and line) holds it.
        where = f"\n    inside the {node.op} %{node.name} at {format_location(node.location)}"
        head, sep, tail = e.detail.rpartition("\n    built")
        e.detail = head + where + sep + tail if sep else e.detail + where
        raise


def _run_cond(node: Node, values: list) -> tuple:
    true_body, false_body = node.attrs["branches"]
    pred, *rest = values
    return tuple(run_body(true_body if bool(pred) else false_body, rest))


def _run_while(node: Node, values: list) -> tuple:
    count = len(node.attrs["out_avals"])
    state, consts = values[:count], values[count:]
    cond_body, loop_body = node.attrs["cond_fn"], node.attrs["body_fn"]
    limit = node.attrs["maximum_iterations"]
    steps = 0
    while (limit is None or steps < limit) and bool(run_body(cond_body, state + consts)[0]):
        state = run_body(loop_body, state + consts)
        steps += 1
    return tuple(state)


def _run_scan(node: Node, values: list) -> tuple:
    nc, nx = node.attrs["num_carry"], node.attrs["num_xs"]
    carry, xs, consts = values[:nc], values[nc:nc + nx], values[nc + nx:]
    body = node.attrs["body"]
    length = xs[0].shape[0] if xs else node.attrs["length"]
    order = range(length - 1, -1, -1) if node.attrs["reverse"] else range(length)
    per_step: list = [None] * length
    for t in order:
        out = run_body(body, carry + [x[t] for x in xs] + consts)
        carry, per_step[t] = out[:nc], out[nc:]
    y_avals = node.attrs["out_avals"][nc:]
    if length == 0:  # nothing to stack: empty arrays of the ys' step shapes
        ys = [np.zeros(tuple(d or 0 for d in a.shape), a.dtype) for a in y_avals]
    else:
        ys = [np.stack([step[k] for step in per_step]) for k in range(len(y_avals))]
    return (*carry, *ys)


_RUNNERS = {"cond": _run_cond, "while_loop": _run_while, "scan": _run_scan}
