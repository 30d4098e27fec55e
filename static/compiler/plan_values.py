"""What a generated step can know or decide before it runs, once per concrete feed signature.

* `plan_time_values`: values fixed by the feed shapes alone (counts, what is computed from
  constants and counts, views of variables), computed once per plan instead of every step;
* `deferred_updates`: the variable updates done in place at commit (``w -= t`` into ``w``
  itself), where nothing else reads the new value and no other update touches the variable.

Both read the ops' facets (``shape_only``, ``view``, ``ufunc``), never their names.
"""

from __future__ import annotations

import numpy as np

import shared_ops

from ..graph import Graph, Node


def plan_time_values(graph: Graph, avals: dict, deferred: dict) -> dict[Node, np.ndarray]:
    """Values known once the feed shapes are: 0-d values of ``shape_only`` ops (counts:
    ``numel``), anything computed from constants and counts only, and ``view`` ops
    (transpose, reshape...) of variables, which stay valid because variables are updated in
    place. Computed once per plan, not per step."""
    const: dict[Node, np.ndarray] = {n: n.value for n in graph.nodes if n.op == "constant"}
    fixed: dict[Node, np.ndarray] = {}
    for n in graph.nodes:
        if n.op in ("placeholder", "variable", "constant", "assign", "group") or n in deferred:
            continue
        op = shared_ops.OPS.get(n.op)
        if op is None or not op.primitive:
            continue
        ins = [avals[i] for i in n.inputs]
        try:
            if op.shape_only and avals[n].shape == () and all(None not in a.shape for a in ins):
                const[n] = fixed[n] = count(n, ins)
            elif n.inputs and all(i in const for i in n.inputs):
                const[n] = fixed[n] = np.asarray(op.kernel(*(const[i] for i in n.inputs),
                                                           **n.attrs))
            elif op.view and len(n.inputs) == 1 and n.inputs[0].op == "variable" and \
                    None not in avals[n].shape:
                view = op.kernel(n.inputs[0].value, **n.attrs)
                if view is not n.inputs[0].value:  # (the variable itself stays writable)
                    fixed[n] = view
        except Exception:  # noqa: BLE001 -- left to run time, where the error is explained
            fixed.pop(n, None)
            const.pop(n, None)
    for v in fixed.values():
        if v.base is None:
            v.setflags(write=False)  # shared by every step: nobody may write into it
    return fixed


def count(node: Node, in_avals: list) -> np.ndarray:
    """The 0-d value of a ``shape_only`` node (``numel``) for these input avals: its kernel
    on broadcast zeros of their shapes (no memory)."""
    probes = [np.broadcast_to(np.zeros((), a.dtype), a.shape) for a in in_avals]
    return np.asarray(shared_ops.OPS[node.op].kernel(*probes, **node.attrs))


def deferred_updates(graph: Graph, assigns: list[Node], fetches: list[Node],
                      avals: dict) -> dict[Node, Node]:
    """value node -> its assign, for updates done in place on the variable at commit."""
    users = graph.users()
    assigned = {a.inputs[0] for a in assigns}
    out: dict[Node, Node] = {}
    for a in assigns:
        var, value = a.inputs
        op = shared_ops.OPS.get(value.op)
        ok = (op is not None and op.primitive and op.ufunc is not None and op.inplace_safe
              and var in value.inputs and a not in fetches
              and value not in fetches and users[value] == [a]
              and all(u.op == "group" for u in users[a])  # an op reading it needs the value
              and avals[value] == avals[var]
              and not any(i.op == "variable" and i is not var for i in value.inputs)
              and not any(i in assigned and i is not var for i in value.inputs)
              and sum(1 for b in assigns if b.inputs[0] is var) == 1)
        if ok:
            out[value] = a
    return out
