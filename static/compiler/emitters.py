"""How each op becomes one statement of generated NumPy, read off the op's facets.

The compiler keeps no table of ops. For a node it asks the op (`shared_ops.registry.Op`):

* an *out form* (``into``, or the call of its ``ufunc``: `shared_ops.forms.form_of`) writes
  the op as NumPy calls into a preallocated buffer (``np.add(a, b, out=buf)``), so a planned
  step allocates nothing for it; `form_writer` turns the calls into code. A form that never
  writes ``out`` returns a view or an input (reshape, a cast to the same dtype);
* ``shape_only`` ops with a 0-d result (``numel``) are constants once the input shapes are
  known;
* every other op calls its shared_ops kernel (allocating, always right).

``with_grad`` pairs an op with its gradient op in one statement (softmax cross-entropy and
its gradient share one ``exp`` pass): `pair_up` finds such pairs, `emit_pair` writes them.

The names the statements use (``_add``, ``_matmul``...) are bound once as closure locals of
the generated step function: no attribute lookups or dispatch per statement. So are scalar
operands, as 0-d arrays of the right dtype (``_maximum(h, f32_0, out=_b0)``): a Python ``0``
costs every ufunc call ~0.8 us of conversion, on a small model a third of the call.
"""

from __future__ import annotations

import numpy as np

import shared_ops
from shared_ops.forms import form_of

from ..graph import Node
from .form_writer import FormPlan, SourceWriter, plan_form

# Helpers the compiler's own code writes by name (fetches, commits, control flow); the
# functions that out forms call are bound on first use (`form_writer.helper_name`).
HELPERS: dict[str, object] = {
    "_copyto": np.copyto, "_asarray": np.asarray, "_broadcast_to": np.broadcast_to,
    "_empty": np.empty, "_dot": np.dot, "_add_reduce": np.add.reduce,
}


def _concrete(avals) -> bool:
    return all(None not in a.shape for a in avals)


def _values(node: Node) -> list:
    """The inputs' values where they are constants of the graph (what ``w.value`` gives)."""
    return [i.value if i.op == "constant" else None for i in node.inputs]


def plan(node: Node, in_avals: list, out_aval) -> FormPlan | None:
    """What the op's out form does for these avals, or None when it has none for them (no
    form, unknown dims, or the form declines): then the kernel runs."""
    op = shared_ops.OPS.get(node.op)
    form = form_of(op)
    if form is None or not _concrete([*in_avals, out_aval]):
        return None
    if op.into is None:  # one ufunc call into out (`forms.ufunc_form`): no need to run it
        return FormPlan(writes_out=True)
    return plan_form(form, node.attrs, in_avals, out_aval, _values(node))


def wants_buffer(node: Node, in_avals: list, out_aval) -> bool:
    """True when ``node`` is computed into a preallocated buffer without scratch arrays (for
    callers that plan none: control-flow bodies; the step's own plan uses `plan`)."""
    p = plan(node, in_avals, out_aval)
    return p is not None and p.writes_out and not p.scratch


def inplace_ok(node: Node) -> bool:
    """May ``node`` write over one of its inputs (same shape, dying here)?"""
    op = shared_ops.OPS.get(node.op)
    return op is not None and op.primitive and op.inplace_safe and form_of(op) is not None


def fresh(node: Node) -> bool:
    """Does the op's kernel always return a new array (never a view of an input)?"""
    op = shared_ops.OPS.get(node.op)
    return op is not None and op.primitive and op.fresh


def emit(node: Node, target: str, args: list[str], out: str | None, in_avals: list,
         out_aval, bind, homes: list | None = None, *, scratch: list[str] | None = None,
         overwritten: int | None = None) -> str:
    """The statement computing ``node`` into ``target``. ``bind(value, hint)`` makes a
    closure constant and returns its name (for attrs, shapes, extra views of buffers).
    ``out``: the planned buffer, if any; ``scratch``: the planned scratch buffers (None: none
    were planned, so a form that takes some is not used); ``overwritten``: the position of
    the input whose buffer ``out`` is. ``homes``: per input, the bound name of the
    C-contiguous array that holds it (a planned buffer, a variable, a constant) or None; with
    them, the writer may call NumPy on views of cheaper shapes (`emit_layouts`)."""
    op = shared_ops.OPS.get(node.op)
    if op is None or not op.primitive:
        raise ValueError(f"compile: no code for op {node.op!r} of node %{node.name}: it is not "
                         "a shared_ops primitive (a static-only op the code generator does not "
                         "know); run this graph with a Session's interpreter")
    form = form_of(op)
    if form is not None and _concrete([*in_avals, out_aval]):
        if scratch is None:  # nobody planned scratch arrays: not for a form that takes some
            p = plan_form(form, node.attrs, in_avals, out_aval, _values(node))
            form = form if p is None or not p.scratch else None
        if form is not None:
            w = SourceWriter(target, node.attrs, args, in_avals, out_aval, bind,
                             values=_values(node), homes=homes, out=out, scratch=scratch,
                             overwritten=overwritten)
            text = w.finish(form(w))
            if text is not None:
                return text
    if op.shape_only and not out_aval.shape and _concrete(in_avals):
        # A count (numel), constant once the shapes are known: bound, read-only (`codegen`).
        return f"{target} = {bind(('count', node, tuple(in_avals)), node.op)}"
    kernel = bind(op.kernel, f"k_{node.op}")
    kw = ", **" + bind(dict(node.attrs), f"a_{target}") if node.attrs else ""
    return f"{target} = _asarray({kernel}({', '.join(args)}{kw}))"


def scalar(bind, value, dtype) -> str:
    """The name of a 0-d array ``value`` of ``dtype``, bound once per step: a Python scalar
    operand costs a ufunc ~0.8 us of conversion on every call, a 0-d array of the right dtype
    nothing."""
    return bind(("scalar", value, np.dtype(dtype)), "")


# --- an op and its gradient in one statement (``with_grad``) ---------------------------------
def pair_up(body: list[Node], avals: dict, known: set[Node],
            fetched: set[Node]) -> dict[Node, Node]:
    """Node -> its gradient node, to be computed by one statement (the op's ``with_grad``
    form), where the gradient's cotangent is ``known`` before the step runs (the backward
    seed), it reads the op's own inputs and attrs, and nobody fetches the gradient itself
    (it lives in a buffer of its own, rewritten every step)."""
    forward: dict[tuple, Node] = {}
    for n in body:
        op = shared_ops.OPS.get(n.op)
        if op is not None and op.primitive and op.with_grad is not None and \
                _concrete([avals[i] for i in n.inputs] + [avals[n]]):
            forward[(op.with_grad[0].name, n.inputs, tuple(sorted(n.attrs.items())))] = n
    pairs: dict[Node, Node] = {}
    for n in body:
        if not n.inputs or n in fetched or n.inputs[0] not in known or None in avals[n].shape:
            continue
        f = forward.get((n.op, n.inputs[1:], tuple(sorted(n.attrs.items()))))
        if f is not None and f not in pairs:
            pairs[f] = n
    return pairs


def pair_plan(node: Node, grad: Node, avals: dict) -> FormPlan | None:
    """What ``node``'s ``with_grad`` form does (see `plan`)."""
    form = shared_ops.OPS[node.op].with_grad[1]
    return plan_form(form, node.attrs, [avals[i] for i in node.inputs] + [avals[grad.inputs[0]]],
                     avals[grad], _values(node) + [None])


def emit_pair(node: Node, grad: Node, targets: tuple[str, str], args: list[str],
              in_avals: list, grad_aval, bind, out: str, scratch: list[str]) -> str:
    """The statement computing ``node`` and its gradient ``grad`` (their names ``targets``);
    ``args``/``in_avals``: the node's inputs then the gradient's cotangent; ``out``: the
    gradient's buffer."""
    form = shared_ops.OPS[node.op].with_grad[1]
    w = SourceWriter(targets[0], node.attrs, args, in_avals, grad_aval, bind,
                     values=_values(node) + [None], out=out, scratch=scratch)
    text = w.finish_pair(form(w), targets)
    if text is None:
        raise AssertionError(f"{node.op}: its with_grad form declined after planning")
    return text
