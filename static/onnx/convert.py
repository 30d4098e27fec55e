"""Walking a static graph (or a body) and writing each node through the mapping table.

`convert_nodes` converts what the wanted values need, in graph order; `inline_body` converts a
control-flow body into the current scope with its inputs bound to given values (a while loop's
first test runs before the ONNX ``Loop``); `body_graph` makes a body an ONNX subgraph.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from onnx import helper, numpy_helper

from ..graph import Node
from ..interpreter import ancestors
from . import table  # noqa: F401 (registers every converter)
from .dims import value_info
from .emitter import Emitter, Record
from .registry import CONVERTERS

# Control-flow ops -> their converters (``static.onnx.control_flow`` fills it: it needs the
# helpers below, so this module does not import it).
CONTROL: dict = {}

# Ops that only a training step holds: a hint beats "no mapping" for them.
_TRAINING = {"assign": "a variable update", "group": "a training step's group of updates",
             "dropout_mask": "dropout in training mode", "fold_seed": "a random seed",
             "multinomial_sample": "random sampling"}


def needed(outputs: Iterable[Node]) -> set[Node]:
    """Every node the ``outputs`` depend on, through inputs (within one graph)."""
    return ancestors(outputs)


def convert_nodes(e: Emitter, nodes: Sequence[Node], outputs: Sequence[Node]) -> None:
    """Convert, in order, the nodes of ``nodes`` that ``outputs`` need and ``e`` has not
    bound yet."""
    want = needed(outputs)
    for node in nodes:
        if node not in want or node in e.env:
            continue
        if node.op in ("variable", "constant"):
            e.env[node] = _stored(e, node)
        elif node.op == "tuple_get":
            e.env[node] = e.env[node.inputs[0]][node.attrs["index"]]
        elif node.op in CONTROL:
            e.begin(node)
            e.env[node] = CONTROL[node.op](e, node, [e.env[i] for i in node.inputs])
        else:
            _convert(e, node)


def _convert(e: Emitter, node: Node) -> None:
    final = e.begin(node)
    if node.op == "placeholder":
        raise e.fail("an input of the graph that the export was not given; pass it in "
                     "input_specs (or as an input of the traced function)")
    mapping = CONVERTERS.get(node.op)
    if mapping is None:
        why = _TRAINING.get(node.op)
        hint = (f"it is {why}: export the inference graph (call model.eval() first; no "
                "optimizer step)") if why else "see docs/ONNX.md for the ops that have one"
        raise e.fail(f"no ONNX mapping for op {node.op!r}; {hint}")
    start = len(e.records)
    result = mapping.convert(e, node, [e.env[i] for i in node.inputs])
    e.env[node] = e.finish(start, result, final)


def _stored(e: Emitter, node: Node) -> str:
    """A variable or constant: an initializer named after it (parameters keep their names,
    ``fc1.weight``), or a ``Constant`` node inside a body."""
    value = np.asarray(node.value).astype(node.aval.dtype, copy=False)
    final = e.begin(node)
    if e.top_level:
        e.initializers.append(numpy_helper.from_array(value, final))
        return final
    e.records.append(_constant_record(final, value, e))
    return final


def _constant_record(name: str, value: np.ndarray, e: Emitter) -> Record:
    doc = "" if e.node is None or e.node.location is None else str(e.node.location)
    return Record("Constant", [], [name], name, {"value": numpy_helper.from_array(value)}, doc)


def inline_body(e: Emitter, body, bound: Sequence[str]) -> list[str]:
    """Convert ``body`` into ``e``'s scope with its inputs bound to ``bound`` (arguments,
    then captures); returns its outputs' names. The body's nodes are forgotten afterwards,
    so the same body can be converted again elsewhere (a loop's test, before and inside)."""
    for ph, name in zip(body.inputs, bound, strict=True):
        e.env[ph] = name
    convert_nodes(e, body.graph.nodes, body.outputs)
    outs = [e.env[o] for o in body.outputs]
    for n in body.graph.nodes:
        e.env.pop(n, None)
    return outs


def body_graph(e: Emitter, body, label: str, formal: Sequence[tuple[str, object]],
               bound: Sequence[str], extra_outputs: Sequence[tuple[str, object]] = (),
               then=None):
    """``body`` as an ONNX subgraph of the node ``e`` is converting.

    ``formal``: the subgraph's own inputs (name, aval), in ONNX's order; ``bound``: the value
    each body input stands for (formal names, or outer names for captures); ``then(child,
    outs)`` may convert more into the same scope and returns the outputs to declare (a
    loop's test after its body); ``extra_outputs`` are declared first (a Loop's condition,
    passed through). Every output goes through an ``Identity``, so a subgraph never declares
    an input or an outer value as its output.
    """
    node = e.node
    child = Emitter(e.opset, e.names, top_level=False, env=e.env,
                    prefix=f"{e.names.fresh(f'{e.prefix}{node.name}/{label}')}/")
    child.node = node
    outs = inline_body(child, body, bound)
    declared = list(zip(outs, body.out_avals, strict=True))
    if then is not None:
        declared = then(child, declared)
    declared = [*extra_outputs, *declared]
    out_infos = []
    for k, (name, aval) in enumerate(declared):
        final = child.names.fresh(f"{child.prefix}out_{k}")
        child.records.append(_identity(name, final, node))
        out_infos.append(value_info(final, aval))
    in_infos = [value_info(name, aval) for name, aval in formal]
    return helper.make_graph(child.nodes(), child.prefix.rstrip("/"), in_infos, out_infos)


def _identity(src: str, dst: str, node: Node) -> Record:
    doc = "" if node.location is None else str(node.location)
    return Record("Identity", [src], [dst], dst, {}, doc)
