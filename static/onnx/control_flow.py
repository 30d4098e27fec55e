"""Control flow: ``cond`` -> ONNX ``If``, ``while_loop`` -> ``Loop``, ``scan`` -> ``Scan``
(a scan over no sequence, only a length, -> ``Loop`` with scan outputs).

Bodies become subgraphs. Values a body closes over (its captures) are read from the outer
scope by name, as ONNX allows, so no extra inputs are threaded through. A control node's
outputs are named after its ``tuple_get`` projections (``scan.1``).
"""

from __future__ import annotations

import numpy as np

from shared_ops.aval import Aval

from .convert import CONTROL, body_graph, inline_body
from .emitter import Record
from .util import INT64_MIN

_BOOL = Aval((), np.dtype(bool))
_I64 = Aval((), np.dtype(np.int64))


def _outputs(e, node, op_type: str, inputs: list[str], **attrs) -> tuple[str, ...]:
    """Append the control node itself, its outputs named ``<node>.<k>``."""
    n = len(node.attrs["out_avals"])
    outs = [e.names.fresh(f"{e.prefix}{node.name}.{k}") for k in range(n)]
    module = node.meta.get("module")  # under the module's path, as Emitter.op names nodes
    name = e.names.fresh(f"{e.prefix}{module}/{node.name}/{op_type}" if module
                         else f"{e.prefix}{node.name}")
    doc = "" if node.location is None else str(node.location)
    attrs = {k: v for k, v in attrs.items() if v is not None}
    e.records.append(Record(op_type, inputs, outs, name, attrs, doc))
    return tuple(outs)


def _pred(e, name: str, aval) -> str:
    return e.cast(name, aval.dtype, np.bool_)


def _cond(e, node, x):
    true_body, false_body = node.attrs["branches"]
    operands = x[1:]  # arguments, then captures: the order the bodies take them in
    branches = {key: body_graph(e, body, label, [], operands)
                for key, body, label in (("then_branch", true_body, "then"),
                                         ("else_branch", false_body, "else"))}
    return _outputs(e, node, "If", [_pred(e, x[0], node.inputs[0].aval)], **branches)


def _formal(e, prefix: str, avals, stem: str) -> list[tuple[str, object]]:
    return [(e.names.fresh(f"{prefix}/{stem}_{k}"), a) for k, a in enumerate(avals)]


def _while(e, node, x):
    cond_body, loop_body = node.attrs["cond_fn"], node.attrs["body_fn"]
    avals = list(node.attrs["out_avals"])
    n = len(avals)
    state, captures = x[:n], x[n:]
    # ONNX's Loop takes the first test as an input: the test runs once out here too.
    first = inline_body(e, cond_body, [*state, *captures])[0]
    first = _pred(e, first, cond_body.out_avals[0])
    limit = node.attrs["maximum_iterations"]
    trip = "" if limit is None else e.const(int(limit), np.int64)
    base = f"{e.prefix}{node.name}"
    iter_name, cond_in = e.names.fresh(f"{base}/iter"), e.names.fresh(f"{base}/cond_in")
    formal = _formal(e, base, avals, "state")

    def then(child, declared):
        new_state = [name for name, _ in declared]
        test = inline_body(child, cond_body, [*new_state, *captures])[0]
        return [(_pred(child, test, cond_body.out_avals[0]), _BOOL), *declared]

    body = body_graph(e, loop_body, "body", [(iter_name, _I64), (cond_in, _BOOL), *formal],
                      [name for name, _ in formal] + list(captures), then=then)
    return _outputs(e, node, "Loop", [trip, first, *state], body=body)


def _scan(e, node, x):
    a = node.attrs
    nc, nx, body = a["num_carry"], a["num_xs"], a["body"]
    avals = list(a["out_avals"])
    carry, xs, captures = x[:nc], x[nc:nc + nx], x[nc + nx:]
    base = f"{e.prefix}{node.name}"
    c_formal = _formal(e, base, avals[:nc], "carry")
    ny = len(avals) - nc
    if nx:
        x_formal = _formal(e, base, [Aval(i.aval.shape[1:], i.aval.dtype)
                                     for i in node.inputs[nc:nc + nx]], "x")
        formal = c_formal + x_formal
        sub = body_graph(e, body, "body", formal, [n for n, _ in formal] + list(captures))
        rev = int(bool(a["reverse"]))
        return _outputs(e, node, "Scan", [*carry, *xs], body=sub, num_scan_inputs=nx,
                        scan_input_directions=[rev] * nx,
                        scan_output_directions=[rev] * ny if ny else None)
    # No sequence to slice, only a length: a Loop, whose scan outputs stack in step order.
    iter_name, cond_in = e.names.fresh(f"{base}/iter"), e.names.fresh(f"{base}/cond_in")
    sub = body_graph(e, body, "body", [(iter_name, _I64), (cond_in, _BOOL), *c_formal],
                     [n for n, _ in c_formal] + list(captures),
                     extra_outputs=[(cond_in, _BOOL)])
    outs = _outputs(e, node, "Loop", [e.const(int(a["length"]), np.int64), "", *carry],
                    body=sub)
    if not a["reverse"] or not ny:
        return outs
    # A reversed scan's step t lands at row t: the Loop stacked them last-step first.
    flipped = [e.op("Slice", y, e.ints([-1]), e.ints([INT64_MIN]), e.ints([0]), e.ints([-1]))
               for y in outs[nc:]]
    return (*outs[:nc], *flipped)


CONTROL.update(cond=_cond, while_loop=_while, scan=_scan)
