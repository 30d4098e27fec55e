"""Building control-flow nodes: `cond`, `while_loop` and `scan` on static Nodes.

Each call traces the user's functions into `Body` subgraphs, checks them at build time (the
branches agree, a loop body returns what it received) with errors at the user's line, and adds
one node holding the bodies as attrs. That node's value is a tuple; one ``tuple_get`` node per
output picks it apart, so every other node stays single-output:

    %cond: (f32[3],) = cond(%gt, %x, branches=(@true_fn, @false_fn))  # model.py:9
        @true_fn(%v: f32[3]) -> (%mul,)
            %mul: f32[3] = mul(%v, %v)  # model.py:9
        @false_fn(%v: f32[3]) -> (%neg,)
            %neg: f32[3] = neg(%v)  # model.py:9
    %cond.0: f32[3] = tuple_get(%cond, index=0)                      # model.py:9

Inputs of a control node: its operands (``cond``: the predicate first), then the values of
enclosing graphs its bodies close over. These functions are also what `shared_ops.cond` & co
call on Nodes (registered as the static mode's control-flow handler in ``__init__``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from shared_ops.aval import Aval
from shared_ops.control_flow import (
    as_tuple,
    check_same_avals,
    check_scalar_pred,
    scan_length,
    split_step_result,
)
from shared_ops.errors import OpValueError, user_location

from ..builder import _as_node, _composite_meta, _graph_of
from ..graph import Graph, Node, get_default_graph, register_static_op
from .body import param_names, trace_body, unify_captures

CONTROL_OPS = ("cond", "while_loop", "scan")
# The aval of a control node itself: its real outputs are in attrs["out_avals"].
TUPLE_AVAL = Aval((), np.dtype(bool))
for _name in (*CONTROL_OPS, "tuple_get"):
    register_static_op(_name)


def add_control(graph: Graph, op: str, inputs: Sequence[Node], attrs: dict,
                out_avals: Sequence[Aval], location) -> tuple[Node, ...]:
    """Append a control node and its ``tuple_get`` projections; returns the projections."""
    node = graph.add_node(op, tuple(inputs), {**attrs, "out_avals": tuple(out_avals)},
                          TUPLE_AVAL, location=location, meta=_composite_meta())
    return tuple(graph.add_node("tuple_get", (node,), {"index": k}, a, name=f"{node.name}.{k}",
                                location=location)
                 for k, a in enumerate(out_avals))


def _merge(a: Aval, b: Aval) -> Aval:
    """The aval both branches satisfy: a dim known in one branch only becomes unknown."""
    return Aval(tuple(p if p == q else None for p, q in zip(a.shape, b.shape, strict=True)),
                a.dtype)


def cond(pred, true_fn: Callable, false_fn: Callable, operands: Sequence):
    """`shared_ops.cond` on Nodes: one ``cond`` node, both branches traced and checked."""
    location = user_location()
    graph = _graph_of((pred, *operands))
    with graph.as_default():
        pred = _as_node(pred, graph)
        args = [_as_node(o, graph) for o in operands]
        check_scalar_pred("cond", pred.aval)
        avals, names = [a.aval for a in args], [a.name for a in args]
        true_body, t_single = trace_body(true_fn, avals, names, "true_fn")
        false_body, f_single = trace_body(false_fn, avals, names, "false_fn")
        if t_single != f_single:
            raise OpValueError("cond", "true_fn returns " + _kind(t_single) + " but false_fn "
                               "returns " + _kind(f_single) + "; both branches must return "
                               "the same structure").with_location(location)
        check_same_avals("cond", false_body.out_avals, true_body.out_avals, "output",
                         "false_fn", "true_fn")
        (true_body, false_body), captured = unify_captures([true_body, false_body])
        out_avals = [_merge(a, b) for a, b in zip(true_body.out_avals, false_body.out_avals,
                                                   strict=True)]
        outs = add_control(graph, "cond", (pred, *args, *captured),
                           {"branches": (true_body, false_body)}, out_avals, location)
    return outs[0] if t_single else outs


def _kind(single: bool) -> str:
    return "one value" if single else "a tuple"


def while_loop(cond_fn: Callable, body_fn: Callable, loop_vars: Sequence,
               maximum_iterations: int | None) -> tuple:
    """`shared_ops.while_loop` on Nodes: one ``while_loop`` node with two bodies."""
    location = user_location()
    graph = _graph_of(tuple(loop_vars))
    with graph.as_default():
        init = [_as_node(v, graph) for v in loop_vars]
        avals, names = [v.aval for v in init], [v.name for v in init]
        cond_body, _ = trace_body(cond_fn, avals, names, "cond_fn")
        if len(cond_body.outputs) != 1:
            raise OpValueError("while_loop", f"cond_fn must return one scalar, got "
                               f"{len(cond_body.outputs)} values").with_location(location)
        check_scalar_pred("while_loop", cond_body.out_avals[0], "cond_fn's result")
        loop_body, _ = trace_body(body_fn, avals, names, "body_fn")
        check_same_avals("while_loop", loop_body.out_avals, avals, "loop variable", "body_fn",
                         "loop_vars")
        (cond_body, loop_body), captured = unify_captures([cond_body, loop_body])
        limit = None if maximum_iterations is None else int(maximum_iterations)
        return add_control(graph, "while_loop", (*init, *captured),
                           {"cond_fn": cond_body, "body_fn": loop_body,
                            "maximum_iterations": limit}, avals, location)


def scan(fn: Callable, init, xs, length: int | None, reverse: bool):
    """`shared_ops.scan` on Nodes: one ``scan`` node whose body is one step."""
    location = user_location()
    carry, single_carry = as_tuple(init)
    x_leaves, single_x = ((), False) if xs is None else as_tuple(xs)
    graph = _graph_of((*carry, *x_leaves))
    with graph.as_default():
        carry = [_as_node(c, graph) for c in carry]
        x_nodes = [_as_node(x, graph) for x in x_leaves]
        steps = scan_length([x.aval for x in x_nodes], length)
        nc, nx = len(carry), len(x_nodes)
        c_avals = [c.aval for c in carry]
        x_avals = [Aval(x.shape[1:], x.dtype) for x in x_nodes]
        names = _step_names(fn, [c.name for c in carry], [f"{x.name}_t" for x in x_nodes],
                            single_carry, single_x)
        ys_form: dict[str, bool] = {}

        def call(f, placeholders):
            c, x = placeholders[:nc], placeholders[nc:]
            new_carry, y = split_step_result(f(c[0] if single_carry else tuple(c),
                                               None if xs is None else
                                               (x[0] if single_x else tuple(x))))
            new_carry, _ = as_tuple(new_carry)
            body_graph = get_default_graph()  # trace_body made it the default
            new_carry = [_as_node(v, body_graph) for v in new_carry]
            check_same_avals("scan", [v.aval for v in new_carry], c_avals, "carry", "fn",
                             "init")
            ys, ys_form["single"] = ((), False) if y is None else as_tuple(y)
            ys_form["none"] = y is None
            return (*new_carry, *ys)

        body, _ = trace_body(fn, c_avals + x_avals, names, "fn", call)
        y_avals = [Aval((steps, *a.shape), a.dtype) for a in body.out_avals[nc:]]
        outs = add_control(graph, "scan", (*carry, *x_nodes, *body.captured),
                           {"body": body, "num_carry": nc, "num_xs": nx, "length": steps,
                            "reverse": bool(reverse)}, c_avals + y_avals, location)
    final = outs[0] if single_carry else outs[:nc]
    if ys_form["none"]:
        return final, None
    return final, outs[nc] if ys_form["single"] else outs[nc:]


def _step_names(fn: Callable, carry: list[str], xs: list[str], single_carry: bool,
                single_x: bool) -> list[str]:
    """Names of a scan body's inputs from ``fn(carry, x)``'s parameter names: ``h``, ``x``
    (``h_0``, ``h_1``... for tuples), else from the outer values."""
    names = param_names(fn, 2)
    if names is None:
        return carry + xs
    c, x = names
    return ([c] if single_carry else [f"{c}_{k}" for k in range(len(carry))]) + \
        ([x] if single_x else [f"{x}_{k}" for k in range(len(xs))])
