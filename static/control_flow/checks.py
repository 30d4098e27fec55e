"""`lint` rules for control-flow nodes: each body agrees with the node it belongs to, and is
itself a sound graph (checked recursively, so nested bodies are covered too)."""

from __future__ import annotations

from shared_ops.aval import Aval

from ..graph import Node
from ..lint import LintError, lint
from .body import Body


def _fits(a: Aval, b: Aval) -> bool:
    return a.dtype == b.dtype and a.ndim == b.ndim and all(
        p is None or q is None or p == q for p, q in zip(a.shape, b.shape, strict=True))


def _check_body(body: Body, in_avals: list[Aval], out_avals: list[Aval]) -> list[str]:
    problems = []
    got_in = body.in_avals
    if len(got_in) != len(in_avals) or not all(map(_fits, got_in, in_avals)):
        problems.append(f"'s body @{body.label} takes {got_in} but the node passes {in_avals}")
    got_out = body.out_avals
    if len(got_out) != len(out_avals) or not all(map(_fits, got_out, out_avals)):
        problems.append(f"'s body @{body.label} returns {got_out} where {out_avals} is "
                        "expected")
    try:
        lint(body.graph)
    except LintError as e:
        problems.extend(f", in body @{body.label}: {p}" for p in e.problems)
    return problems


def lint_control(node: Node) -> list[str]:
    """Problems of one ``cond``/``while_loop``/``scan`` node (empty when sound)."""
    a = node.attrs
    outs = list(a["out_avals"])
    ins = [i.aval for i in node.inputs]
    if node.op == "cond":
        return [p for b in a["branches"] for p in _check_body(b, ins[1:], outs)]
    if node.op == "while_loop":
        n = len(outs)
        return (_check_body(a["cond_fn"], ins, [Aval((), a["cond_fn"].out_avals[0].dtype)])
                + _check_body(a["body_fn"], ins, ins[:n]))
    nc, nx = a["num_carry"], a["num_xs"]
    step_in = ins[:nc] + [Aval(x.shape[1:], x.dtype) for x in ins[nc:nc + nx]] + ins[nc + nx:]
    step_out = outs[:nc] + [Aval(y.shape[1:], y.dtype) for y in outs[nc:]]
    return _check_body(a["body"], step_in, step_out)


def lint_tuple_get(node: Node) -> list[str]:
    """A ``tuple_get`` reads an existing output of a control node, with that output's aval."""
    src = node.inputs[0] if len(node.inputs) == 1 else None
    avals = None if src is None else src.attrs.get("out_avals")
    k = node.attrs.get("index")
    if avals is None or not isinstance(k, int) or not 0 <= k < len(avals):
        return [" must take one control-flow node and an index of one of its outputs"]
    if not _fits(avals[k], node.aval):
        return [f" has aval {node.aval} but output {k} of %{src.name} is {avals[k]}"]
    return []
