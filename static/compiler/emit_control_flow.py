"""Generated code for control flow: each ``cond``/``while_loop``/``scan`` node of a step becomes
a Python function written after the step, in the same source, with its bodies' statements
inlined (a nested control node becomes a call of its own function):

    def step(xs, h0):
        scan = do_scan(h0, xs, w)                      # %scan @ model.py:20
        scan_0 = scan[0]                               # %scan.0 @ model.py:20
        ...
    def do_scan(h, xs_1, w_1):                         # %scan @ model.py:20
        steps = xs_1.shape[0]
        ys = _empty((steps, 3), float32)
        w_1_T = w_1.T                                  # %transpose @ model.py:12 (hoisted)
        for t in range(steps):
            x = xs_1[t]
            matmul = _matmul(w_1_T, h, out=do_scan_b0) # %matmul @ model.py:12
            tanh = _tanh(matmul)                       # %tanh @ model.py:12
            h = tanh
            ys[t] = tanh
        return (h, ys)

Body statements come from the step's emitter table (`emitters.emit`), each commented with its
node, the user's line and its provenance; every line is mapped to its body node in the step's
``line_nodes``, so a failure inside a body names that node and line, and the chain of
generated frames in the traceback names the control nodes around it.

Memory, the honest simple choice: every body has its own buffer plan (`plan_buffers` over its
statements) and buffers of its own, never shared with the step or another body, so a body
cannot write over an outer value that is live across the loop. A body's outputs are never
planned into its buffers (computed fresh, or copied when they might view one): they outlive
the iteration, and the next iteration reuses the buffers. The step's plan treats a control
node's outputs as possible views of all its inputs, which keeps those inputs alive.

Loop-invariant code motion: in ``while_loop``/``scan`` bodies, statements that read only
captured values and constants run once per call, before the loop (freshly allocated). They
also run when the loop makes no iteration.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from shared_ops.aval import Aval

from ..graph import Node
from . import emitters
from .memory_plan import concrete_avals, plan_buffers
from .provenance import statement_comment
from .source_text import literal

CONTROL_OPS = frozenset({"cond", "while_loop", "scan", "tuple_get"})
_Lines = list[tuple[str, Node | None]]


class ControlFlowCode:
    """Writes the functions of a step's control nodes; `lines` holds them, in order, each
    line with the node it computes (or None), ready to be appended after the step function.

    ``names`` makes names unique across the whole generated source, ``bind(value, hint)``
    binds a closure constant (as for the step), ``avals`` is the step's aval table: the
    concrete avals of body nodes are added to it (for error messages).
    """

    def __init__(self, names, bind: Callable[[object, str], str], avals: dict[Node, Aval]):
        self.names = names
        self.bind = bind
        self.avals = avals
        self.lines: _Lines = []

    def emit(self, node: Node, target: str, args: list[str]) -> str:
        """The statement computing control node ``node`` (a call of its function, written
        now) or a ``tuple_get`` (an element of the tuple) into ``target``."""
        if node.op == "tuple_get":
            return f"{target} = {args[0]}[{literal(node.attrs['index'])}]"
        fn = self.names.fresh(f"do_{node.name}")
        params = [self.names.fresh(name) for name in _param_names(node)]
        out: _Lines = [(f"def {fn}({', '.join(params)}):  # {statement_comment(node)}", node)]
        in_avals = [self.avals[i] for i in node.inputs]
        {"cond": self._cond, "while_loop": self._while, "scan": self._scan}[node.op](
            out, node, fn, params, in_avals)
        self.lines.extend(out)  # after the functions of nested nodes, written meanwhile
        return f"{target} = {fn}({', '.join(args)})"

    # -- one function per control op ---------------------------------------------------------
    def _cond(self, out: _Lines, node: Node, fn: str, params: list[str], in_avals) -> None:
        true_body, false_body = node.attrs["branches"]
        for k, body in enumerate((true_body, false_body)):
            indent = 2 if k == 0 else 1
            if k == 0:
                out.append((f"    if {params[0]}:", None))
            env = dict(zip(body.inputs, params[1:], strict=True))
            avals = self._avals(body, in_avals[1:])
            results = self._body(out, body, env, avals, indent, f"{fn}_{body.label}")
            out.append(("    " * indent + f"return ({_tuple(results)})", None))

    def _while(self, out: _Lines, node: Node, fn: str, params: list[str], in_avals) -> None:
        a = node.attrs
        count = len(a["out_avals"])
        state = params[:count]
        cond_body, loop_body = a["cond_fn"], a["body_fn"]
        pre: _Lines = []
        loop: _Lines = []
        keep_going = None
        for body, where in ((cond_body, "cond"), (loop_body, "body")):
            env = dict(zip(body.inputs, params, strict=True))
            avals = self._avals(body, in_avals)
            results = self._body(loop, body, env, avals, 2, f"{fn}_{where}",
                                 hoist=(pre, set(body.inputs[count:])),
                                 owned=None if body is loop_body else ())
            if body is cond_body:
                keep_going = results[0]
                loop.append((f"        if not {keep_going}:", None))
                loop.append(("            break", None))
            else:
                loop.append((f"        {_tuple(state)} = {_tuple(results)}", None))
        out.extend(pre)
        limit = a["maximum_iterations"]
        if limit is None:
            out.append(("    while True:", None))
        else:
            out.append((f"    for {self.names.fresh('trip')} in range({int(limit)}):", None))
        out.extend(loop)
        out.append((f"    return ({_tuple(state)})", None))

    def _scan(self, out: _Lines, node: Node, fn: str, params: list[str], in_avals) -> None:
        a = node.attrs
        nc, nx = a["num_carry"], a["num_xs"]
        body = a["body"]
        carry, xs = params[:nc], params[nc:nc + nx]
        steps, t = self.names.fresh("steps"), self.names.fresh("t")
        out.append((f"    {steps} = {xs[0]}.shape[0]" if nx else
                    f"    {steps} = {int(a['length'])}", None))
        step_avals = list(in_avals[:nc]) + [Aval(x.shape[1:], x.dtype)
                                            for x in in_avals[nc:nc + nx]] + \
            list(in_avals[nc + nx:])
        avals = self._avals(body, step_avals)
        x_names = [self.names.fresh(p.name) for p in body.inputs[nc:nc + nx]]
        env = dict(zip(body.inputs, carry + x_names + params[nc + nx:], strict=True))
        ys = []
        for o in body.outputs[nc:]:
            ys.append(self.names.fresh(o.name + "_ys"))
            shape = avals[o].shape
            if None in shape:  # a data-dependent step shape: collect, stack after the loop
                out.append((f"    {ys[-1]} = [None] * {steps}", None))
            else:
                dtype = np.dtype(avals[o].dtype)
                dims = "".join(f", {literal(d)}" for d in shape)
                out.append((f"    {ys[-1]} = _empty(({steps}{dims}{',' if not dims else ''}), "
                            f"{self.bind(dtype, str(dtype))})", None))
        pre: _Lines = []
        loop: _Lines = []
        used = {i for n in body.graph.nodes for i in n.inputs} | set(body.outputs)
        for p, name, x in zip(body.inputs[nc:nc + nx], x_names, xs, strict=True):
            if p in used:
                loop.append((f"        {name} = {x}[{t}]", None))
        results = self._body(loop, body, env, avals, 2, fn,
                             hoist=(pre, set(body.inputs[nc + nx:])), owned=range(nc))
        for name, r in zip(ys, results[nc:], strict=True):  # before the carry moves on
            loop.append((f"        {name}[{t}] = {r}", None))
        if nc:
            loop.append((f"        {_tuple(carry)} = {_tuple(results[:nc])}", None))
        out.extend(pre)
        order = f"range({steps} - 1, -1, -1)" if a["reverse"] else f"range({steps})"
        out.append((f"    for {t} in {order}:", None))
        out.extend(loop)
        for name, o in zip(ys, body.outputs[nc:], strict=True):
            if None in avals[o].shape:
                stack = self.bind(_stack_steps, "stack_steps")
                dtype = np.dtype(avals[o].dtype)
                out.append((f"    {name} = {stack}({name}, {literal(tuple(avals[o].shape))}, "
                            f"{self.bind(dtype, str(dtype))})", None))
        out.append((f"    return ({_tuple(carry + ys)})", None))

    # -- bodies --------------------------------------------------------------------------------
    def _avals(self, body, in_avals: Sequence[Aval]) -> dict[Node, Aval]:
        """Concrete avals of ``body``'s nodes for these input avals (shared with the step's
        table, so that an error inside the body can show its input shapes)."""
        avals = concrete_avals(body.graph.nodes, dict(zip(body.inputs, in_avals, strict=True)))
        self.avals.update(avals)
        return avals

    def _body(self, out: _Lines, body, env: dict[Node, str], avals: dict[Node, Aval],
              indent: int, prefix: str, hoist: tuple[_Lines, set[Node]] | None = None,
              owned: Sequence[int] | None = None) -> list[str]:
        """Append the statements of ``body`` (inputs named by ``env``) to ``out``; returns the
        expressions of its outputs. With ``hoist=(pre, invariant_inputs)``, statements that
        depend only on those inputs and constants go to ``pre`` (before the loop).

        ``owned``: positions of the outputs that outlive the iteration (default: all), which
        never stay in the body's buffers; the others (a scan's ys, copied into the stacked
        array, or a while_loop's condition, read at once) may."""
        env = dict(env)
        pad = "    " * indent
        invariant = set(hoist[1]) if hoist is not None else set()
        order, hoisted = [], []
        for n in body.graph.nodes:
            if n in env:
                continue
            if n.op in ("variable", "constant"):
                env[n] = self.bind(n.value, n.name)
                invariant.add(n)
            elif n.op == "placeholder":
                raise ValueError(f"compile: body {body.label} has an unbound input %{n.name}")
            elif hoist is not None and n.op not in CONTROL_OPS and \
                    all(i in invariant for i in n.inputs):
                invariant.add(n)
                hoisted.append(n)
            else:
                order.append(n)
        for n in hoisted:  # fresh arrays: they live through the whole loop
            env[n] = self.names.fresh(n.name)
            self._node(hoist[0], "    ", n, env, avals, None, note=" (hoisted)")
        kept = dict.fromkeys(body.outputs if owned is None else
                             [body.outputs[k] for k in owned])  # ordered: stable source
        plan = plan_buffers(order, avals, body.outputs,
                            lambda n: n not in kept and emitters.wants_buffer(
                                n, [avals[i] for i in n.inputs], avals[n]),
                            emitters.inplace_ok, emitters.fresh)
        buffers = [self.bind(("buffer", shape, dtype), f"{prefix}_b{k}")
                   for k, (shape, dtype) in enumerate(plan.buffers)]
        for n in order:
            env[n] = self.names.fresh(n.name)
            buf = plan.buffer_of.get(n)
            self._node(out, pad, n, env, avals, None if buf is None else buffers[buf],
                       plan.inplace.get(n))
        for o in kept:  # computed fresh, but it may still view a buffer: copy it out
            if plan.aliases_buffer(o):
                copy = self.names.fresh(o.name + "_out")
                out.append((f"{pad}{copy} = {env[o]}.copy()  # {statement_comment(o)}", o))
                env[o] = copy
        return [env[o] for o in body.outputs]

    def _node(self, out: _Lines, pad: str, n: Node, env: dict[Node, str],
              avals: dict[Node, Aval], buf: str | None, victim: Node | None = None,
              note: str = "") -> None:
        args = [env[i] for i in n.inputs]
        if n.op in CONTROL_OPS:
            text = self.emit(n, env[n], args)
        else:
            if n.op == "add_n" and victim is not None:  # the overwritten term comes first
                k = n.inputs.index(victim)
                args = [args[k]] + args[:k] + args[k + 1:]
            text = emitters.emit(n, env[n], args, buf, [avals[i] for i in n.inputs], avals[n],
                                 self.bind)
        *first, last = text.split("\n")  # a form's statements, one a line
        out.extend((f"{pad}{part}", n) for part in first)
        out.append((f"{pad}{last}  # {statement_comment(n)}{note}", n))


def _param_names(node: Node) -> list[str]:
    """Parameter names of a control node's function: its bodies' own input names (``h``,
    ``x``...), the outer names for the stacked ``xs`` of a scan."""
    a = node.attrs
    if node.op == "cond":
        return ["pred"] + [p.name for p in a["branches"][0].inputs]
    if node.op == "while_loop":
        return [p.name for p in a["cond_fn"].inputs]
    nc, nx = a["num_carry"], a["num_xs"]
    inner = [p.name for p in a["body"].inputs]
    return inner[:nc] + [x.name for x in node.inputs[nc:nc + nx]] + inner[nc + nx:]


def _stack_steps(values: list, shape: tuple, dtype: np.dtype) -> np.ndarray:
    """The per-step values of a scan output whose step shape is data-dependent, stacked
    (no step: an empty array, unknown dims taken as 0, as the interpreter does)."""
    if not values:
        return np.zeros((0, *(d or 0 for d in shape)), dtype)
    return np.stack(values)


def _tuple(names: Sequence[str]) -> str:
    return ", ".join(names) + ("," if len(names) == 1 else "")
