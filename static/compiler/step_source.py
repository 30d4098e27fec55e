"""The text of a planned step: `write_source` writes it, for the executed step and again for
the readable source.

`codegen.generate` plans a step (`StepPlan`: body order, buffers, plan-time values, pairs);
`write_source` writes its statements, one a line, and collects what they read (`StepText`:
the bound names and values, and for the readable source their notes, planned shapes and
computations). `codegen` compiles the text into the step. `readable` writes it again while
`source_text.literal` spells the sizes the graph leaves unknown as names (``N``), and hands it
to `readable_source.render`: the executed step is never affected by that second writing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

import shared_ops
from shared_ops.dtypes import short_name

from ..graph import Graph, Node
from . import emit_layouts, emitters, readable_source
from .emit_control_flow import CONTROL_OPS, ControlFlowCode
from .form_writer import helper_name
from .memory_plan import BufferPlan
from .plan_values import count
from .provenance import statement_comment
from .size_symbols import PlannedDim, SizeNames, baked, size_dependent
from .source_text import Names, UnsafeSourceError, identifier, literal, spelling_sizes


@dataclass
class StepPlan:
    """What `generate` planned, for `write_source` to write (the step, or its readable source)."""

    graph: Graph
    fetches: list
    inputs: list
    avals: dict
    body: list
    deferred: dict
    assigns: list
    plan: BufferPlan
    fixed: dict
    paired: dict
    fresh: object
    buffers: list


@dataclass
class StepText:
    """The step's source lines and what they read (`write_source`)."""

    lines: list[str]
    line_nodes: dict[int, Node]
    bound: dict[str, object]
    notes: dict[str, str]  # bound name -> what it holds (the readable source's comments)
    view_of: dict[str, tuple]  # view name -> (viewed name, shape)
    shapes: dict[str, tuple]  # bound array -> its planned shape (sizes spelled in readable)
    computed: dict[str, str]  # readable only: bound name -> the expression computing it
    signature: str


def readable(step: StepPlan) -> str:
    """The step written again with its unknown sizes spelled as names (`SizeNames`), after a
    header defining every name it reads (`readable_source.render`)."""
    names = Names(emitters.HELPERS)
    sizes = SizeNames(names, step.avals, step.inputs)
    with spelling_sizes(sizes.spell):
        text = write_source(step, names, sizes)
        return readable_source.render(text.lines, text.bound, text.notes, text.view_of,
                                      text.signature, shapes=text.shapes,
                                      computed=text.computed,
                                      sizes=lambda: sizes.header(baked(step.avals)))


def write_source(step: StepPlan, names: Names | None = None,
                 sizes: SizeNames | None = None) -> StepText:
    """The step's source. With ``sizes`` (the readable source), a plan-time value that
    follows from unknown feed dims is written as its computation, not its value."""
    graph, fetches, inputs, avals, body, deferred, assigns, plan, fixed, paired, fresh, \
        buffers = (step.graph, step.fetches, step.inputs, step.avals, step.body, step.deferred,
                   step.assigns, step.plan, step.fixed, step.paired, step.fresh, step.buffers)
    names = names or Names(emitters.HELPERS)
    bound: dict[str, object] = dict(emitters.HELPERS)
    helpers = {fn: name for name, fn in emitters.HELPERS.items()}  # function -> bound name
    notes: dict[str, str] = {}
    shapes: dict[str, tuple] = {}
    computed: dict[str, str] = {}
    for k, b in enumerate(buffers):
        bound[f"_b{k}"] = b
        notes[f"_b{k}"] = "buffer"
        shapes[f"_b{k}"] = plan.buffers[k][0]

    scalars: dict[tuple, str] = {}  # (value, dtype) -> name of its 0-d array, bound once
    # (bound name, shape) -> name of that view, made once: one buffer read and written in one
    # call must be one object there (two views of it cost NumPy an overlap analysis).
    views: dict[tuple, str] = {}
    view_of: dict[str, tuple] = {}  # the other way round

    def bind(value, hint: str) -> str:
        """A name the step reads ``value`` by: a constant, or a tagged tuple the binder makes
        the value of: ``("helper", fn)``, ``("scalar", v, dtype)`` (a 0-d array),
        ``("ones" | "buffer", shape, dtype)``, ``("count", node, in_avals)``, ``("view",
        name, shape)``; the tagged ones keep what the readable source needs."""
        if isinstance(value, tuple) and len(value) == 2 and value[0] == "helper":
            fn = value[1]
            if fn not in helpers:
                helpers[fn] = helper_name(fn, bound)
                bound[helpers[fn]] = fn
            return helpers[fn]
        if isinstance(value, tuple) and len(value) == 3 and value[0] == "scalar":
            key = (value[1], value[2])
            if key not in scalars:
                hint = f"{short_name(value[2])}_{value[1]}".replace(".", "_").replace("-", "m")
                scalars[key] = bind(np.asarray(value[1], value[2]), hint)
            return scalars[key]
        if isinstance(value, tuple) and len(value) == 3 and value[0] in ("ones", "buffer"):
            # (kind, shape, dtype): an array whose planned shape the readable source spells;
            # ones are named by their length as spelled (ones_16; ones_N when readable).
            if value[0] == "buffer":
                name = bind(np.empty(value[1], value[2]), hint)
                notes[name] = "buffer"
            else:
                length = value[1][0]
                spelled = sizes.spell(length) if sizes is not None else None
                name = bind(np.ones(value[1], value[2]), f"{hint}_{spelled or int(length)}")
            shapes[name] = tuple(value[1])
            return name
        if isinstance(value, tuple) and len(value) == 3 and value[0] == "count":
            # ("count", node, in_avals): a shape_only node's value, read-only; the readable
            # source computes it from the sizes it spells.
            node, ins = value[1], list(value[2])
            array = count(node, ins)
            array.setflags(write=False)
            how = _computation(node, [], ins, bind) if sizes is not None and any(
                isinstance(d, PlannedDim) for a in ins for d in a.shape) else None
            name = bind(array, hint)
            notes[name] = f"%{node.name}, known before the step"
            if how is not None:
                computed[name] = how
            return name
        if isinstance(value, tuple) and len(value) == 3 and value[0] == "view":
            key = (value[1], tuple(value[2]))
            if key not in views:
                views[key] = bind(bound[value[1]].reshape(value[2]), hint)
                view_of[views[key]] = key
            return views[key]
        name = names.fresh(hint)
        bound[name] = value
        return name

    local: dict[Node, str] = {}
    sized = size_dependent(fixed, avals) if sizes is not None else set()
    for n in graph.nodes:
        if n.op in ("variable", "constant"):
            local[n] = names.fresh(n.name)
            bound[local[n]] = n.value
            notes[local[n]] = f"{n.op} %{n.name}"
        elif n in fixed:
            how = _computation(n, [local.get(i) for i in n.inputs],
                               [avals[i] for i in n.inputs], bind) if n in sized else None
            local[n] = names.fresh(n.name)
            bound[local[n]] = fixed[n]
            notes[local[n]] = f"%{n.name}, known before the step"
            if how is not None:
                computed[local[n]] = how
    params = [names.fresh(p.name) for p in inputs]
    if sizes is not None:
        sizes.params = params
    for p, name in zip(inputs, params, strict=True):
        local[p] = name
    lines = [f"def step({', '.join(params)}):"]
    signature = ", ".join(  # the readable source's note of the feed shapes planned for
        f"{name}: {short_name(avals[p].dtype)}[{','.join(map(str, avals[p].shape))}]"
        for p, name in zip(inputs, params, strict=True))
    line_nodes: dict[int, Node] = {}

    def stmt(text: str, node: Node | None, note: str = "") -> None:
        comment = statement_comment(node) if node is not None else ""
        if note:
            comment = f"{note} {comment}"
        *first, last = text.split("\n")  # a form's statements, one a line, each mapped
        for part in [*first, f"{last}  # {comment}" if comment else last]:
            lines.append(f"    {part}")
            if node is not None:
                line_nodes[len(lines)] = node

    flow = ControlFlowCode(names, bind, avals)  # cond/while_loop/scan: functions after step
    for n in body:
        local[n] = names.fresh(n.name)
        # An op reading an assign reads its new value (static/rng.py's per-step seeds).
        args = [local[i] if i.op != "assign" else local[i.inputs[1]] for i in n.inputs]
        if n.op in CONTROL_OPS:
            stmt(flow.emit(n, local[n], args), n)
            continue
        buf = plan.buffer_of.get(n)
        out = None if buf is None else f"_b{buf}"
        scratch = [f"_b{s}" for s in plan.scratch.get(n, ())]
        if n in paired:  # the node and its gradient, one statement
            grad, k = paired[n]
            local[grad] = names.fresh(grad.name)
            text = emitters.emit_pair(n, grad, (local[n], local[grad]),
                                      args + [local[grad.inputs[0]]],
                                      [avals[i] for i in n.inputs] + [avals[grad.inputs[0]]],
                                      avals[grad], bind, f"_b{k}", scratch)
        else:
            homes = [emit_layouts.home(i, local, bound, plan) for i in n.inputs]
            victim = plan.inplace.get(n)
            text = emitters.emit(n, local[n], args, out, [avals[i] for i in n.inputs], avals[n],
                                 bind, homes, scratch=scratch,
                                 overwritten=None if victim is None else n.inputs.index(victim))
        stmt(text, n)
    results = []
    for k, f in enumerate(fetches):
        if f.op == "group":
            results.append("None")
            continue
        src = f.inputs[1] if f.op == "assign" else f
        name = local[src]
        # Copy what may share memory with a pooled buffer, a variable, the caller's fed array
        # or a (read-only) constant; fresh arrays go out as they are, once (a value fetched
        # twice, or two fetches CSE merged, must still give the caller two arrays).
        if f.op == "assign" or plan.aliases_buffer(src) or src.op == "variable" \
                or src in fixed or not fresh(src) or name in results:
            r = f"_r{k}"
            if f.op == "assign" and avals[src] != avals[f]:
                stmt(f"{r} = _broadcast_to({name}, {literal(tuple(avals[f].shape))})"
                     f".astype({bind(f.dtype, 'dtype')})", f)
            else:
                stmt(f"{r} = {name}.copy()", f, "fetch")
            name = r
        results.append(name)
    source_of: dict[Node, str] = {}  # assign -> the name holding its new value
    for a in assigns:
        value = a.inputs[1]
        source_of[a] = local.get(value, "")
        if value not in deferred and value.op != "constant" and value not in plan.buffer_of \
                and not fresh(value):
            # It may view a variable that the commit overwrites first: snapshot it now.
            snap = names.fresh(value.name + "_snapshot")
            stmt(f"{snap} = {local[value]}.copy()", a, "snapshot")
            source_of[a] = snap
    for a in assigns:  # the commit: every read of the old values has happened
        var, value = a.inputs
        if value in deferred:
            local[value] = local[var]
            args = [local[i] for i in value.inputs]
            ufunc = shared_ops.OPS[value.op].ufunc
            text = emit_layouts.scalar_update(
                ufunc, local[var], [emit_layouts.home(i, local, bound, plan)
                                    for i in value.inputs],
                [avals[i] for i in value.inputs], bind)
            stmt(text or f"{bind(('helper', ufunc), '')}({', '.join(args)}, "
                 f"out={local[var]})", value, "update")
        else:
            stmt(f"_copyto({local[var]}, {source_of[a]})", a, "update")
    lines.append(f"    return [{', '.join(results)}]")
    for text, node in flow.lines:  # the control-flow functions the step calls
        lines.append(text)
        if node is not None:
            line_nodes[len(lines)] = node
    return StepText(lines, line_nodes, bound, notes, view_of, shapes, computed, signature)


def _computation(node: Node, args: list, in_avals: list, bind) -> str | None:
    """The readable source's expression of a plan-time value that follows from unknown feed
    dims: its kernel on its inputs (``_asarray(k_div(ones, numel))``), a count's kernel on a
    broadcast zero of the input's planned shape (``k_numel(_broadcast_to(f32_0, (N, 1)))``).
    None where the kernel cannot be imported or an attribute is no literal: then the
    value is written as planned."""
    op = shared_ops.OPS[node.op]
    if readable_source.import_path(op.kernel) is None:
        return None
    try:
        attrs = "".join(f", {identifier(k)}={literal(v)}" for k, v in node.attrs.items())
    except UnsafeSourceError:
        return None
    if op.shape_only:
        args = [f"_broadcast_to({bind(('scalar', 0, a.dtype), '')}, {literal(tuple(a.shape))})"
                for a in in_avals]
    elif None in args:
        return None
    kernel = bind(("helper", op.kernel), "")
    return f"_asarray({kernel}({', '.join(args)}{attrs}))"
