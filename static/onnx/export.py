"""`export_onnx`: a static graph, a traced function or a Module as an ONNX model file.

    >>> import static                                           # doctest: +SKIP
    >>> static.export_onnx(model, "model.onnx", [static.TensorSpec((None, 10))])

What gets exported is the inference graph: the values the traced function returns (or the
``outputs`` given), computed from its inputs; parameters become initializers under their
names (``fc1.weight``), every ONNX node carries the static node's name and, as its
``doc_string``, the user's source line. Training updates (``assign``, optimizer steps) are
left out. Everything here imports ``onnx`` only when called: ``import static`` works without
the optional ``onnx`` extra.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_OPSET = 18
MIN_OPSET = 18  # Reduce* ops take their axes as an input from opset 18 on; the table writes that
# The newest opset onnxruntime 1.30 (the pinned extra) runs: onnx 1.23 writes up to 28, but
# onnxruntime refuses 27 ("under development") and 28 (IR version 14).
MAX_OPSET = 26


@dataclass(frozen=True)
class OnnxExport:
    """An exported model with the static graph it came from (to run both and compare)."""

    model: Any  # onnx.ModelProto
    graph: Any  # static.Graph
    inputs: tuple  # placeholder Nodes, in the ONNX model's input order
    outputs: tuple  # output Nodes, in the ONNX model's output order


def resolve(target: Any, input_specs: Sequence[Any] | Any | None = None,
            outputs: Sequence[Any] | None = None) -> tuple[Any, tuple, tuple]:
    """(graph, inputs, outputs) of what `export_onnx` accepts: a `Graph` (outputs: the
    ``outputs`` given, else the values nothing uses), a `Traced`, a `static.function`
    (traced on ``input_specs`` or its ``input_signature``), or a Module/function traced on
    ``input_specs``."""
    from ..graph import Graph
    from ..trace_cache import Function
    from ..traced import Traced
    from ..tracing import trace

    if isinstance(target, Graph):
        outs = tuple(outputs) if outputs is not None else _sinks(target)
        return target, _needed_inputs(target, outs), outs
    if isinstance(target, Function):
        specs = input_specs if input_specs is not None else target.input_signature
        target = target.fn
    else:
        specs = input_specs
    if not isinstance(target, Traced):
        if specs is None:
            raise TypeError("export_onnx: a function or Module needs input_specs (one "
                            "TensorSpec, (shape, dtype) or example array per input)")
        if not isinstance(specs, list | tuple) or _is_one_spec(specs):
            specs = [specs]
        if hasattr(target, "named_modules"):  # a Module: name nodes after its submodules
            target = _trace_module(target, specs)
        else:
            target = trace(target, *specs)
    outs = tuple(outputs) if outputs is not None else target.outputs
    return target.graph, tuple(target.inputs), outs


def _trace_module(module: Any, specs: Sequence[Any]) -> Any:
    """Trace a Module in eval mode, as torch.onnx exports by default (dropout off, batch norm
    on its running statistics), its mode restored after; nodes are tagged with the submodule
    that made them (`static.summary.module_scopes`), which names the ONNX nodes."""
    from ..summary import module_scopes
    from ..tracing import trace

    # Each submodule's own mode: a model with some parts already in eval stays that way.
    modes = [(m, m.training) for _, m in module.named_modules()]
    module.eval()
    try:
        with module_scopes(module):
            return trace(module, *specs)
    finally:
        for m, training in modes:
            m.training = training


def _is_one_spec(specs: Any) -> bool:
    from ..traced import is_spec_leaf

    return is_spec_leaf(specs)


def _sinks(graph: Any) -> tuple:
    """The values of ``graph`` no node uses, leaving out state and training updates."""
    users = graph.users()
    return tuple(n for n in graph.nodes if not users[n] and n.op not in
                 ("placeholder", "variable", "constant", "assign", "group")
                 and n.meta.get("role", "forward") == "forward")


def _needed_inputs(graph: Any, outputs: tuple) -> tuple:
    from .convert import needed

    want = needed(outputs)
    return tuple(p for p in graph.placeholders() if p in want)


def to_onnx(target: Any, input_specs: Sequence[Any] | Any | None = None, *,
            opset: int = DEFAULT_OPSET, outputs: Sequence[Any] | None = None,
            dim_names: Mapping[str, Mapping[int, str]] | None = None,
            check: bool = True) -> OnnxExport:
    """Build the ONNX model (see `export_onnx`) without writing it."""
    import onnx
    from onnx import helper

    from . import control_flow  # noqa: F401 (registers the If/Loop/Scan converters)
    from .convert import convert_nodes, needed
    from .dims import input_dims, name_output_dims, traced_dims, value_info
    from .emitter import Emitter, Names, Record

    max_opset = min(MAX_OPSET, onnx.defs.onnx_opset_version())
    if not isinstance(opset, int) or not MIN_OPSET <= opset <= max_opset:
        raise ValueError(f"export_onnx: opset must be an int from {MIN_OPSET} to {max_opset} "
                         f"(what onnxruntime runs), got {opset!r}")
    graph, inputs, outs = resolve(target, input_specs, outputs)
    if not outs:
        raise ValueError("export_onnx: the graph has no output to export")
    names = Names()
    e = Emitter(opset, names, top_level=True)
    in_infos, in_dims = [], []
    for ph in inputs:
        e.env[ph] = names.fresh(ph.name)
        in_dims.append(input_dims(ph.name, ph.aval.shape, dim_names))
        in_infos.append(value_info(e.env[ph], ph.aval, in_dims[-1]))
    convert_nodes(e, graph.nodes, outs)
    out_names: list[tuple[str, Any]] = []
    taken = {i.name for i in in_infos} | {t.name for t in e.initializers}
    for node in outs:
        name = e.env[node]
        if name in taken:  # an output that is an input, a weight, or listed twice
            final = names.fresh(f"{node.name}_output")
            e.records.append(Record("Identity", [name], [final], final, {}, ""))
            name = final
        taken.add(name)
        out_names.append((name, node.aval))
    out_infos = [value_info(n, a) for n, a in out_names]
    onnx_graph = helper.make_graph(e.nodes(), "dualgraph", in_infos, out_infos,
                                   initializer=e.initializers,
                                   doc_string="exported by dualgraph's static.export_onnx")
    opsets = [helper.make_opsetid("", opset)]
    model = helper.make_model(onnx_graph, opset_imports=opsets, producer_name="dualgraph",
                              ir_version=helper.find_min_ir_version_for(opsets))
    want = needed(outs)
    traced = traced_dims([n for n in graph.nodes if n in want], inputs, in_dims, outs)
    name_output_dims(model, out_names, traced)
    if check:
        onnx.checker.check_model(model, full_check=True)
    return OnnxExport(model, graph, tuple(inputs), tuple(outs))


def export_onnx(target: Any, path: str | Path | None, input_specs: Sequence[Any] | Any = None,
                opset: int = DEFAULT_OPSET, *, outputs: Sequence[Any] | None = None,
                dim_names: Mapping[str, Mapping[int, str]] | None = None,
                check: bool = True) -> Any:
    """Export ``target`` to ONNX, write it to ``path`` (unless None) and return the
    ``onnx.ModelProto``.

    ``target``: a static `Graph` (``outputs``: the nodes to export; default the values nothing
    uses), a `Traced`, a `static.function`, or a Module or function to trace on
    ``input_specs`` (`TensorSpec`, ``(shape, dtype)`` or example arrays, one per input).
    Unknown dims become named dynamic dims (``batch`` for axis 0, ``x_dim1``...; rename them
    with ``dim_names={"x": {1: "time"}}``). ``check`` runs ``onnx.checker.check_model(model,
    full_check=True)``. An op without an ONNX mapping raises `OnnxExportError` naming the op
    and the user's line; docs/ONNX.md lists the mapping.
    """
    import onnx

    exported = to_onnx(target, input_specs, opset=opset, outputs=outputs, dim_names=dim_names,
                       check=check)
    if path is not None:
        onnx.save_model(exported.model, str(path))
    return exported.model
