"""Loading a saved graph's node lists: every field of every entry checked, bodies rebuilt
recursively.

`NodeLoader` turns the JSON entries of ``graph.json`` back into nodes. Each entry must have
exactly the fields `save` writes, each of the kind the format allows (`serialize_codec`,
`serialize_fields`); ops must be known primitives or plain static ops, inputs earlier nodes,
stored values must match their avals, avals must be what the op's shape rule gives, and
control-flow nodes rebuild their bodies with the same checks, to at most `MAX_BODY_DEPTH`
levels. A refusal is a `SerializationError` naming the file, the node (position, name, and
the bodies it is nested in) and the field:

    load: m/graph.json: node 3 (%h) in body @fn of %scan: field 'shape': ...

`static.save` runs the same loader on what it is about to write, so what it writes loads.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from shared_ops import OPS, limits
from shared_ops.aval import Aval
from shared_ops.errors import OpError

from .control_flow import Body
from .control_flow.build import TUPLE_AVAL
from .control_flow.saving import (
    BODY_ATTRS,
    CONTROL_FLOW_OPS,
    check_control,
    check_control_attrs,
    decode_body,
)
from .graph import STATIC_OPS, Graph, Node
from .serialize_codec import (
    VALUES_FILE,
    SerializationError,
    decode_dtype,
    decode_shape,
    decode_value,
)
from .serialize_fields import (
    NODE_KEYS,
    check_identifier,
    check_name,
    decode_location,
    decode_meta,
)

# Control flow nested deeper than this is refused, on saving and on loading (real models nest
# a few levels; a crafted file must not exhaust Python's stack).
MAX_BODY_DEPTH = 32
# Static-only ops whose node is fully described by its inputs, attrs and aval (a control-flow
# node's attrs hold its bodies).
SAVABLE_STATIC = {"placeholder", "variable", "constant", "assign", "group", *CONTROL_FLOW_OPS}
# The attrs a static op's node has (control flow's are checked with its bodies).
_STATIC_ATTRS = {"placeholder": {}, "constant": {}, "assign": {}, "group": {},
                 "variable": {"trainable": bool}}


class NodeError(SerializationError):
    """A refusal that already names its node (passed up unchanged through enclosing bodies)."""


def node_index(i: Any, limit: int) -> int:
    if not isinstance(i, int) or isinstance(i, bool) or not 0 <= i < limit:
        raise ValueError(f"node reference {i!r:.40} does not name an earlier node")
    return i


# The ops a traced graph's references may name (outputs: any node).
_TRACED_OPS = {"inputs": ("placeholder",), "variables": ("variable",),
               "effects": ("assign", "group")}


class NodeLoader:
    """Rebuilds node lists from checked entries: the graph's, then, through the control nodes,
    their bodies' (recursively, with the same checks). ``file`` is named in errors, after
    ``verb`` (``load``, or ``save`` checking what it will write)."""

    def __init__(self, values: dict[str, np.ndarray], file: Path, verb: str = "load"):
        self.values = values
        self.file = file
        self.verb = verb
        self.used: set[str] = set()  # keys of `values` some node took
        self.depth = 0  # bodies being rebuilt around the current node

    def error(self, detail: str) -> NodeError:
        return NodeError(f"{self.verb}: {self.file}: {detail}")

    def nodes(self, graph: Graph, entries: list, prefix: str, where: str) -> list[Node]:
        """The nodes of ``entries``, added to ``graph``; values are looked up under
        ``<prefix>n<position>``; ``where`` (`` in body @fn of %scan``) goes into errors."""
        nodes: list[Node] = []
        for i, entry in enumerate(entries):
            try:
                nodes.append(self.node(graph, nodes, entry, f"{prefix}n{i}", where))
            except (KeyError, IndexError, AttributeError, TypeError, ValueError, OpError) as e:
                if isinstance(e, NodeError):
                    raise  # from a body: already names its node
                name = entry.get("name") if isinstance(entry, dict) else None
                node = f"%{name}" if isinstance(name, str) and _is_name(name) else f"{name!r:.80}"
                raise self.error(f"node {i} ({node}){where}: {e}") from None
        return nodes

    def node(self, graph: Graph, nodes: list[Node], entry: Any, key: str, where: str) -> Node:
        if not isinstance(entry, dict) or set(entry) != NODE_KEYS:
            keys = sorted(entry) if isinstance(entry, dict) else type(entry).__name__
            raise ValueError(f"an entry is an object with the fields {sorted(NODE_KEYS)}, not "
                             f"{keys}")
        name = _field("name", check_name, entry["name"])
        op = entry["op"]
        if not isinstance(op, str) or (op not in OPS and op not in SAVABLE_STATIC):
            known = "a static op" if op in STATIC_OPS else "no registered op"
            raise ValueError(f"field 'op': unknown op {op!r:.80} ({known} of that name can be "
                             "loaded; it may come from a newer dualgraph)")
        if not isinstance(entry["inputs"], list):
            raise ValueError("field 'inputs' is not a list of node indices")
        inputs = tuple(nodes[_field("inputs", node_index, i, len(nodes))]
                       for i in entry["inputs"])
        dtype = _field("dtype", decode_dtype, entry["dtype"])
        aval = Aval(_field("shape", decode_shape, entry["shape"], dtype), dtype)
        attrs = _field("attrs", self.attrs, entry["attrs"], op, graph, inputs, key, name, where)
        location = _field("location", decode_location, entry["location"])
        meta = _field("meta", decode_meta, entry["meta"])
        value = self.check_op(op, name, inputs, attrs, aval, key)
        node = graph.add_node(op, inputs, attrs, aval, name=name, location=location, meta=meta,
                              value=value)
        if node.name != name:
            raise ValueError(f"field 'name': %{name} is repeated (an earlier node has it)")
        return node

    def attrs(self, v: Any, op: str, graph: Graph, inputs: tuple[Node, ...], key: str,
              name: str, where: str) -> dict[str, Any]:
        if not isinstance(v, dict):
            raise ValueError(f"{v!r:.80} is not an object")
        bodies = BODY_ATTRS.get(op, ())
        out = {}
        for k, x in v.items():
            check_identifier(k, "key")
            out[k] = self.bodies(x, graph, inputs, f"{key}.{k}", name, where) if k in bodies \
                else decode_value(x)
        if op in CONTROL_FLOW_OPS:
            check_control_attrs(op, name, out)
        kinds = _STATIC_ATTRS.get(op)
        if kinds is not None and (set(out) != set(kinds) or not all(
                isinstance(out[k], t) for k, t in kinds.items())):
            raise ValueError(f"{out!r:.80} are not the attrs of a {op} node "
                             f"({ {k: t.__name__ for k, t in kinds.items()} })")
        return out

    def check_op(self, op: str, name: str, inputs: tuple[Node, ...], attrs: dict, aval: Aval,
                 key: str) -> np.ndarray | None:
        """Whether the node is one its op makes; returns its stored value (or None)."""
        if op in ("placeholder", "variable", "constant") and inputs:
            raise ValueError(f"field 'inputs': a {op} has no inputs")
        if op in ("variable", "constant"):
            value = self.values.get(key)
            if value is None:
                raise ValueError(f"{VALUES_FILE} holds no value for %{name}")
            self.used.add(key)
            if value.shape != aval.shape or value.dtype != aval.dtype:
                raise ValueError(f"field 'shape'/'dtype': stored value of %{name} is "
                                 f"{value.dtype} {value.shape}, graph says {aval}")
            if op == "constant":
                value.setflags(write=False)
            return value
        if op == "assign" and (len(inputs) != 2 or inputs[0].op != "variable"
                               or inputs[0].aval != aval or inputs[1].dtype != aval.dtype):
            raise ValueError("field 'inputs': an assign takes (variable, value of its dtype) "
                             "and has the variable's aval")
        if op == "group" and aval != TUPLE_AVAL:
            raise ValueError(f"a group node is {TUPLE_AVAL}, not {aval}")
        if op in OPS and not OPS[op].primitive:
            raise ValueError(f"field 'op': {op!r} is a composite; graphs hold only primitives")
        if op in OPS:
            derived = OPS[op].shape_rule(*(n.aval for n in inputs), **attrs)
            if tuple(derived.shape) != aval.shape or derived.dtype != aval.dtype:
                raise ValueError(f"%{name} = {op}(...) is saved as {aval} but its shape rule "
                                 f"gives {derived}")
        elif op in CONTROL_FLOW_OPS:
            check_control(op, name, inputs, attrs, aval)
            for out in attrs.get("out_avals", ()):
                if isinstance(out, Aval):
                    limits.check_shape(op, out.shape, out.dtype, what=f"%{name}'s output")
        return None

    def bodies(self, v: Any, graph: Graph, inputs: tuple[Node, ...], key: str,
               name: str, where: str) -> Body | tuple[Body, ...]:
        """A control node's body attr: ``{"body": ...}`` or a tuple of them."""
        if isinstance(v, dict) and set(v) == {"tuple"} and isinstance(v["tuple"], list):
            return tuple(self.bodies(b, graph, inputs, f"{key}.{k}", name, where)
                         for k, b in enumerate(v["tuple"]))
        if not (isinstance(v, dict) and set(v) == {"body"}):
            raise ValueError(f"%{name} has an attr that is not a body: {v!r:.80}")

        def rebuild(body_graph: Graph, entries: list, label: str) -> list[Node]:
            return self.nodes(body_graph, entries, f"{key}.", f" in body @{label} of %{name}"
                                                              f"{where}")

        if self.depth >= MAX_BODY_DEPTH:  # crafted nesting must not exhaust Python's stack
            raise ValueError(f"%{name} nests bodies deeper than {MAX_BODY_DEPTH} levels")
        self.depth += 1
        try:
            return decode_body(v["body"], graph, inputs, rebuild)
        finally:
            self.depth -= 1


def traced_refs(refs: Any, key: str, nodes: list[Node], where: str) -> tuple[Node, ...]:
    """The nodes a traced graph's ``key`` field names, each of the op that field holds."""
    if not isinstance(refs, list):
        raise SerializationError(f"{where}: field {key!r} is not a list of node indices")
    try:
        picked = tuple(nodes[node_index(i, len(nodes))] for i in refs)
    except ValueError as e:
        raise SerializationError(f"{where}: field {key!r}: {e}") from None
    ops = _TRACED_OPS.get(key)
    wrong = next((n for n in picked if ops is not None and n.op not in ops), None)
    if wrong is not None:
        raise SerializationError(f"{where}: field {key!r} names %{wrong.name}, a {wrong.op} "
                                 f"node; it holds {' or '.join(ops)} nodes")
    if key != "outputs" and len(set(picked)) != len(picked):
        raise SerializationError(f"{where}: field {key!r} names a node twice")
    return picked


def _is_name(s: str) -> bool:
    try:
        check_name(s)
    except ValueError:
        return False
    return True


def _field(field: str, check, *args):
    """``check(*args)``, its failure said as a problem of entry field ``field``."""
    try:
        return check(*args)
    except NodeError:
        raise
    except (ValueError, TypeError, OpError) as e:
        raise ValueError(f"field {field!r}: {e}") from None
