"""Control flow in saved graphs: bodies as nested node lists, and the checks made on loading.

`static.save` writes a body attr as ``{"body": {...}}`` (a tuple of bodies, as ``cond``'s
branches, as ``{"tuple": [{"body": ...}, ...]}``) holding the body's own node list in the same
format as the graph's, and which of those nodes are its inputs and outputs:

    {"label": "true_fn", "nodes": [...], "inputs": [0, 1], "outputs": [3], "captures": 1}

``captures`` counts the inputs standing for values the body closed over: the control node's
last inputs. Loading rebuilds a body through the same checked node-by-node path as the graph
(`static.serialize` passes it in), then checks what only control flow has: a control node
has exactly the attrs building gives it, each of its kind (`check_control_attrs`: counts,
bools), inputs are exactly the body's placeholders, the node's declared ``out_avals`` are
what its bodies give, a ``tuple_get`` reads an existing output with that output's aval.
Nothing here raises anything but ``ValueError``/``TypeError``: the loader reports them as a
`SerializationError` naming the node. `static.save` runs the same checks before writing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from shared_ops.aval import Aval
from shared_ops.control_flow import scan_length

from ..graph import Graph, Node
from .body import Body, BodyGraph
from .build import CONTROL_OPS, TUPLE_AVAL
from .optimize import BODY_ATTRS

__all__ = ["BODY_ATTRS", "CONTROL_FLOW_OPS", "check_control", "check_control_attrs",
           "decode_body", "encode_body"]

# The static ops of control flow a saved graph may hold.
CONTROL_FLOW_OPS = (*CONTROL_OPS, "tuple_get")

_BODY_KEYS = {"label", "nodes", "inputs", "outputs", "captures"}


def encode_body(body: Body, encode_nodes: Callable[[list[Node]], list]) -> dict:
    """``{"label", "nodes", "inputs", "outputs", "captures"}`` for one body;
    ``encode_nodes(nodes)`` writes the node entries (and stores their values)."""
    index = {n: i for i, n in enumerate(body.graph.nodes)}
    return {"label": body.label, "nodes": encode_nodes(body.graph.nodes),
            "inputs": [index[p] for p in body.inputs],
            "outputs": [index[o] for o in body.outputs], "captures": len(body.captured)}


def decode_body(doc: object, parent: Graph, control_inputs: Sequence[Node],
                rebuild_nodes: Callable[[Graph, list, str], list[Node]]) -> Body:
    """The `Body` saved as ``doc``, its nodes rebuilt (and checked) by ``rebuild_nodes(graph,
    entries, label)`` into a body graph nested in ``parent``; ``control_inputs`` are the
    inputs of the control node it belongs to (its captures are the last ones)."""
    if not isinstance(doc, dict) or set(doc) != _BODY_KEYS:
        raise ValueError(f"a body must be an object with keys {sorted(_BODY_KEYS)}")
    label = doc["label"]
    if not isinstance(label, str) or not (label.isascii() and label.isidentifier()) \
            or len(label) > 100:  # the builder's labels: true_fn, body_fn, fn...
        raise ValueError(f"body label {label!r:.80} is not a name")
    if not isinstance(doc["nodes"], list):
        raise ValueError(f"body @{label} has no node list")
    graph = BodyGraph(parent, label)
    nodes = rebuild_nodes(graph, doc["nodes"], label)
    inputs = tuple(nodes[_ref(i, len(nodes), label)] for i in _list(doc["inputs"], label))
    outputs = tuple(nodes[_ref(i, len(nodes), label)] for i in _list(doc["outputs"], label))
    effect = next((n for n in nodes if n.op in ("assign", "group")), None)
    if effect is not None:  # building refuses them: a body returns values, it has no effects
        raise ValueError(f"body @{label} holds %{effect.name} ({effect.op}); bodies may not "
                         "assign variables")
    placeholders = [n for n in nodes if n.op == "placeholder"]
    if len(set(inputs)) != len(inputs) or set(inputs) != set(placeholders):
        raise ValueError(f"body @{label}'s inputs must be each of its placeholders once")
    captures = doc["captures"]
    if not isinstance(captures, int) or isinstance(captures, bool) or \
            not 0 <= captures <= min(len(inputs), len(control_inputs)):
        raise ValueError(f"body @{label} has an invalid capture count {captures!r}")
    captured = tuple(control_inputs[len(control_inputs) - captures:]) if captures else ()
    return Body(graph, inputs, outputs, captured, label)


def check_control(op: str, name: str, inputs: Sequence[Node], attrs: dict, aval: Aval) -> None:
    """A loaded ``cond``/``while_loop``/``scan``/``tuple_get`` node is what building it would
    have made: its avals follow from its inputs and bodies (as a shape rule's would); its
    attrs were checked by `check_control_attrs`."""
    if op == "tuple_get":
        src, index = (inputs[0] if len(inputs) == 1 else None), attrs.get("index")
        outs = None if src is None else src.attrs.get("out_avals")
        if outs is None or not isinstance(index, int) or not 0 <= index < len(outs):
            raise ValueError(f"%{name} must read an output of one control-flow node")
        if outs[index] != aval:
            raise ValueError(f"%{name} is saved as {aval} but output {index} of "
                             f"%{src.name} is {outs[index]}")
        return
    if aval != TUPLE_AVAL:
        raise ValueError(f"%{name} ({op}) is saved as {aval}, expected {TUPLE_AVAL}")
    for key in BODY_ATTRS[op]:
        value = attrs.get(key)
        bodies = value if isinstance(value, tuple) else (value,)
        if not bodies or not all(isinstance(b, Body) for b in bodies) or \
                (op == "cond" and len(bodies) != 2):
            raise ValueError(f"%{name} ({op}) lacks its body attr {key!r}")
    derived = _out_avals(op, inputs, attrs)
    saved = attrs.get("out_avals")
    if not isinstance(saved, tuple) or tuple(saved) != derived:
        raise ValueError(f"%{name} = {op}(...) is saved with outputs {saved} but its inputs "
                         f"and bodies give {derived}")


# The plain attrs of each control op, beside its bodies and ``out_avals``: name -> what it holds.
_PLAIN_ATTRS = {"tuple_get": {"index": "count"}, "cond": {},
                "while_loop": {"maximum_iterations": "count or None"},
                "scan": {"num_carry": "count", "num_xs": "count", "length": "count or None",
                         "reverse": "bool"}}


def check_control_attrs(op: str, name: str, attrs: dict) -> None:
    """Exactly the attrs building gives a node of ``op``, each of its kind (a truthy string
    for ``reverse``, or ``True`` for an index, would run but is no graph `build` makes)."""
    plain = _PLAIN_ATTRS[op]
    expected = {*plain, *BODY_ATTRS.get(op, ()), *(("out_avals",) if op != "tuple_get" else ())}
    if set(attrs) != expected:
        raise ValueError(f"%{name} ({op}) has the attrs {sorted(attrs)}, expected "
                         f"{sorted(expected)}")
    for key, kind in plain.items():
        v = attrs[key]
        count = isinstance(v, int) and not isinstance(v, bool) and v >= 0
        if not (count if kind == "count" else isinstance(v, bool) if kind == "bool"
                else v is None or count):
            raise ValueError(f"%{name} ({op}) has {key}={v!r:.40}; it must be a {kind}")


def _out_avals(op: str, inputs: Sequence[Node], attrs: dict) -> tuple[Aval, ...]:
    """The outputs building the node gave it (see `build`)."""
    if op == "cond":
        true_body, false_body = attrs["branches"]
        a, b = true_body.out_avals, false_body.out_avals
        if len(a) != len(b) or any(x.dtype != y.dtype or x.ndim != y.ndim
                                   for x, y in zip(a, b, strict=True)):
            raise ValueError(f"the branches return {a} and {b}")
        return tuple(Aval(tuple(p if p == q else None for p, q in
                                zip(x.shape, y.shape, strict=True)), x.dtype)
                     for x, y in zip(a, b, strict=True))
    if op == "while_loop":
        return tuple(i.aval for i in inputs[:len(attrs["body_fn"].outputs)])
    nc, nx = attrs["num_carry"], attrs["num_xs"]
    if not all(isinstance(k, int) and not isinstance(k, bool) and k >= 0 for k in (nc, nx)) \
            or nc + nx > len(inputs):
        raise ValueError(f"num_carry={nc!r} and num_xs={nx!r} do not fit {len(inputs)} inputs")
    steps = scan_length([x.aval for x in inputs[nc:nc + nx]], attrs["length"])
    ys = [Aval((steps, *y.shape), y.dtype) for y in attrs["body"].out_avals[nc:]]
    return tuple(i.aval for i in inputs[:nc]) + tuple(ys)


def _list(value: object, label: str) -> list:
    if not isinstance(value, list):
        raise ValueError(f"body @{label}'s inputs and outputs must be lists of node indices")
    return value


def _ref(i: object, limit: int, label: str) -> int:
    if not isinstance(i, int) or isinstance(i, bool) or not 0 <= i < limit:
        raise ValueError(f"body @{label} refers to node {i!r}, which it does not have")
    return i
