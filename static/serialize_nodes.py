"""Loading a saved graph's node lists: every entry checked, bodies rebuilt recursively.

`NodeLoader` turns the JSON entries of ``graph.json`` back into nodes, refusing unknown ops,
composites, references to later nodes, values that do not match their avals and avals that
the op's shape rule does not give; control-flow nodes rebuild their bodies with the same
checks, to at most `MAX_BODY_DEPTH` levels. See `serialize` for the file format.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from shared_ops import OPS
from shared_ops import dtypes as dt
from shared_ops.aval import Aval
from shared_ops.errors import OpError, SourceLocation

from .control_flow import Body
from .control_flow.saving import BODY_ATTRS, CONTROL_FLOW_OPS, check_control, decode_body
from .graph import STATIC_OPS, Graph, Node
from .serialize_codec import VALUES_FILE, SerializationError, decode_value

# Control flow nested deeper than this is refused on loading (real models nest a few levels).
MAX_BODY_DEPTH = 32
# Static-only ops whose node is fully described by its inputs, attrs and aval (a control-flow
# node's attrs hold its bodies).
SAVABLE_STATIC = {"placeholder", "variable", "constant", "assign", "group", *CONTROL_FLOW_OPS}


def node_index(i: Any, limit: int) -> int:
    if not isinstance(i, int) or isinstance(i, bool) or not 0 <= i < limit:
        raise SerializationError(f"load: node reference {i!r} does not name an earlier node")
    return i


class NodeLoader:
    """Rebuilds node lists from checked entries: the graph's, then, through the control nodes,
    their bodies' (recursively, with the same checks). ``file`` is named in errors."""

    def __init__(self, values: dict[str, np.ndarray], file: Path):
        self.values = values
        self.file = file
        self.depth = 0  # bodies being rebuilt around the current node

    def nodes(self, graph: Graph, entries: list, prefix: str, where: str) -> list[Node]:
        """The nodes of ``entries``, added to ``graph``; values are looked up under
        ``<prefix>n<position>``; ``where`` (`` in body @fn of %scan``) goes into errors."""
        nodes: list[Node] = []
        for i, entry in enumerate(entries):
            try:
                nodes.append(self.node(graph, nodes, entry, f"{prefix}n{i}"))
            except (KeyError, IndexError, AttributeError, TypeError, ValueError, OpError) as e:
                if isinstance(e, SerializationError):
                    if where:  # say which body, outermost last
                        raise SerializationError(f"{e}{where}") from None
                    raise
                name = entry.get("name") if isinstance(entry, dict) else None
                raise SerializationError(f"load: node {i} ({name!r}){where} in {self.file} "
                                         f"is invalid: {e}") from None
        return nodes

    def node(self, graph: Graph, nodes: list[Node], entry: dict, key: str) -> Node:
        op, name = entry["op"], entry["name"]
        if not isinstance(op, str) or not isinstance(name, str):
            raise SerializationError(f"load: node entry {entry!r:.80} lacks an op or name")
        if op not in OPS and op not in SAVABLE_STATIC:
            known = "a static op" if op in STATIC_OPS else "no registered op"
            raise SerializationError(f"load: node %{name} has unknown op {op!r} ({known} of "
                                     "that name can be loaded); it may come from a newer "
                                     "dualgraph")
        inputs = tuple(nodes[node_index(i, len(nodes))] for i in entry["inputs"])
        bodies = BODY_ATTRS.get(op, ())
        attrs = {str(k): self.bodies(v, graph, inputs, f"{key}.{k}", name) if k in bodies
                 else decode_value(v) for k, v in dict(entry["attrs"]).items()}
        shape = tuple(None if d is None else int(d) for d in entry["shape"])
        aval = Aval(shape, dt.as_dtype(entry["dtype"], op=op))
        value = self.values.get(key)
        if op in ("variable", "constant"):
            if value is None:
                raise SerializationError(f"load: {VALUES_FILE} holds no value for %{name}")
            if value.shape != shape or value.dtype != aval.dtype:
                raise SerializationError(f"load: stored value of %{name} is {value.dtype} "
                                         f"{value.shape}, graph says {aval}")
            if op == "constant":
                value.setflags(write=False)
        elif op in OPS and OPS[op].primitive:
            derived = OPS[op].shape_rule(*(n.aval for n in inputs), **attrs)
            if tuple(derived.shape) != shape or derived.dtype != aval.dtype:
                raise SerializationError(f"load: %{name} = {op}(...) is saved as {aval} but its "
                                         f"shape rule gives {derived}")
        elif op in OPS:
            raise SerializationError(f"load: %{name} is a composite op {op!r}; graphs hold "
                                     "only primitives")
        elif op in CONTROL_FLOW_OPS:
            check_control(op, name, inputs, attrs, aval)
        meta = {str(k): decode_value(v) for k, v in dict(entry.get("meta") or {}).items()}
        loc = entry.get("location")
        location = SourceLocation(str(loc[0]), int(loc[1]), str(loc[2])) if loc else None
        node = graph.add_node(op, inputs, attrs, aval, name=name, location=location, meta=meta,
                              value=value if op in ("variable", "constant") else None)
        if node.name != name:
            raise SerializationError(f"load: node name {name!r} is repeated or malformed")
        return node

    def bodies(self, v: Any, graph: Graph, inputs: tuple[Node, ...], key: str,
               name: str) -> Body | tuple[Body, ...]:
        """A control node's body attr: ``{"body": ...}`` or a tuple of them."""
        if isinstance(v, dict) and set(v) == {"tuple"} and isinstance(v["tuple"], list):
            return tuple(self.bodies(b, graph, inputs, f"{key}.{k}", name)
                         for k, b in enumerate(v["tuple"]))
        if not (isinstance(v, dict) and set(v) == {"body"}):
            raise SerializationError(f"load: %{name} has an attr that is not a body: {v!r:.80}")

        def rebuild(body_graph: Graph, entries: list, label: str) -> list[Node]:
            return self.nodes(body_graph, entries, f"{key}.", f" in body @{label} of %{name}")

        if self.depth >= MAX_BODY_DEPTH:  # crafted nesting must not exhaust Python's stack
            raise SerializationError(f"load: %{name} nests bodies deeper than {MAX_BODY_DEPTH} "
                                     f"levels in {self.file}")
        self.depth += 1
        try:
            return decode_body(v["body"], graph, inputs, rebuild)
        finally:
            self.depth -= 1
