"""Graph diagrams through graphviz: ops, shapes on edges, forward / gradient / update clusters.

Every node is a box labelled with its op and output aval; every edge carries the aval of the
value that flows along it. Placeholders, variables and constants get shapes and colours of
their own, nodes are grouped by ``meta["role"]`` into forward, backward and update clusters,
and (optionally) the nodes one composite call made (a ``softmax``) are boxed together inside
their cluster. ``highlight`` marks a set of nodes, e.g. the ones a pass changed.

    >>> render(g, "model.svg")                             # doctest: +SKIP
    PosixPath('model.svg')

`to_dot` gives the DOT text itself (deterministic: golden tests pin it). When the ``dot``
binary is missing, `render` still writes the ``.dot`` file and warns how to install graphviz.
Control-flow nodes (``cond``, ``while_loop``, ``scan``) get their bodies drawn as nested
dashed clusters beside them.
"""

from __future__ import annotations

import functools
import os
import shutil
import warnings
from collections.abc import Iterable
from pathlib import Path

import graphviz

from .graph import Graph, Node, format_location, format_value
from .listing import format_aval
from .tracing import Traced

FORMATS = ("svg", "png", "pdf", "dot")
INSTALL_HINT = ("the graphviz `dot` program is not installed, so only the .dot file was written; "
                "install it with `apt-get install graphviz` (Debian/Ubuntu), `brew install "
                "graphviz` (macOS) or `conda install graphviz`, then run `dot -Tsvg FILE.dot`")

# Roles in the order their clusters appear; nodes without a known role sit outside clusters.
ROLES = {"forward": ("forward", "#f7f7f7"), "backward": ("gradient", "#fdf1e6"),
         "update": ("update", "#eaf5ea")}

# Node styles by op kind: inputs fed at run time, state that persists, values baked in.
_STYLE = {
    "placeholder": {"shape": "invhouse", "style": "filled", "fillcolor": "#cfe2f3"},
    "variable": {"shape": "cylinder", "style": "filled", "fillcolor": "#fff2cc"},
    "constant": {"shape": "note", "style": "filled", "fillcolor": "#eeeeee", "fontsize": "9"},
    "assign": {"shape": "box", "style": "filled,bold", "fillcolor": "#d9ead3"},
}
_OP_STYLE = {"shape": "box", "style": "rounded,filled", "fillcolor": "white"}
_HIGHLIGHT = {"color": "#cc0000", "penwidth": "2.5", "fontcolor": "#cc0000"}


class RenderWarning(UserWarning):
    """Rendering fell back to writing DOT text (the ``dot`` binary is missing)."""


def to_dot(graph: Graph | Traced, *, highlight: Iterable[Node | str] | None = None,
           composites: bool = True, title: str | None = None,
           locations: bool = True) -> graphviz.Digraph:
    """Build the diagram of ``graph`` as a `graphviz.Digraph` (``.source`` is the DOT text).

    ``highlight``: nodes (or node names) drawn in red; ``composites``: box the nodes of each
    composite call (``meta["composite"]``) inside its role cluster; ``locations``: give each
    node its source line as a tooltip (off for diagrams that must not depend on line numbers).
    """
    # A `Traced` draws its graph, with its outputs double-bordered.
    outputs = {n.name for n in getattr(graph, "outputs", ())}
    graph = getattr(graph, "graph", graph)
    marked = {n if isinstance(n, str) else n.name for n in (highlight or ())}
    ids = {node: f"n{i}" for i, node in enumerate(graph.nodes)}
    dot = graphviz.Digraph(name="dualgraph", graph_attr={"rankdir": "TB", "fontname": "Helvetica",
                                                         "fontsize": "11"},
                           node_attr={"fontname": "Helvetica", "fontsize": "10"},
                           edge_attr={"fontname": "Helvetica", "fontsize": "8",
                                      "color": "#555555"})
    if title:
        dot.attr(label=title, labelloc="t")
    by_role: dict[str | None, list[Node]] = {}
    for node in graph.nodes:
        role = node.meta.get("role")
        by_role.setdefault(role if role in ROLES else None, []).append(node)
    add = functools.partial(_add_node, ids=ids, marked=marked, outputs=outputs,
                            locations=locations)
    for node in by_role.get(None, ()):
        add(dot, node)
    for role, (label, colour) in ROLES.items():
        nodes = by_role.get(role)
        if not nodes:
            continue
        with dot.subgraph(name=f"cluster_{role}") as sub:
            sub.attr(label=label, style="filled,rounded", fillcolor=colour, color="#bbbbbb")
            _add_role_nodes(sub, nodes, add, composites, role)
    for node in graph.nodes:
        for src in node.inputs:
            dot.edge(ids[src], ids[node], label=_edge_label(src, node))
    return dot


def _edge_label(src: Node, dst: Node) -> str:
    """The aval flowing along an edge; out of a control node, the element ``dst`` takes."""
    avals = src.attrs.get("out_avals")
    if avals is not None and dst.op == "tuple_get":
        return str(avals[dst.attrs["index"]])
    return str(src.aval)


def _add_role_nodes(sub: graphviz.Digraph, nodes: list[Node], add, composites: bool,
                    role: str) -> None:
    """Nodes of one role; with ``composites``, each composite call's nodes in a sub-cluster.

    A composite call is a maximal run of consecutive op nodes (creation order) that share the
    same outermost composite name: one ``softmax(x)`` call makes its nodes back to back.
    Constants a composite makes (the ``1.0`` of ``1 - p``) carry no composite tag; they are
    drawn beside the box and do not split it.
    """
    if not composites:
        for node in nodes:
            add(sub, node)
        return
    runs: list[tuple[str | None, list[Node]]] = []
    for node in nodes:
        if not node.inputs:
            add(sub, node)
            continue
        stack = node.meta.get("composite") or ()
        key = stack[0] if stack else None
        if runs and runs[-1][0] == key and key is not None:
            runs[-1][1].append(node)
        else:
            runs.append((key, [node]))
    for i, (name, run) in enumerate(runs):
        if name is None:
            for node in run:
                add(sub, node)
            continue
        with sub.subgraph(name=f"cluster_{role}_{name}_{i}") as box:
            box.attr(label=name, style="dashed,rounded", color="#888888", fillcolor="none")
            for node in run:
                add(box, node)


def _add_node(dot: graphviz.Digraph, node: Node, *, ids, marked: set[str], outputs: set[str],
              locations: bool) -> None:
    attrs = dict(_STYLE.get(node.op, _OP_STYLE))
    if node.name in outputs:
        attrs["peripheries"] = "2"
    if node.name in marked:
        attrs.update(_HIGHLIGHT)
    where = format_location(node.location) if locations else ""
    if where:
        attrs["tooltip"] = where
    dot.node(ids[node], label=node_label(node), **attrs)
    if "out_avals" in node.attrs:
        _add_bodies(dot, node, ids[node], locations)


def _bodies(node: Node) -> list:
    """The subgraphs a control-flow node holds (attrs that are `Body` objects)."""
    out = []
    for v in node.attrs.values():
        out.extend(b for b in (v if isinstance(v, tuple) else (v,)) if hasattr(b, "outputs")
                   and hasattr(b, "graph"))
    return out


def _add_bodies(dot: graphviz.Digraph, node: Node, node_id: str, locations: bool) -> None:
    """Each body of a control-flow node as a nested cluster beside it; dashed edges carry the
    body's results into the node. Bodies inside bodies nest further."""
    for k, body in enumerate(_bodies(node)):
        prefix = f"{node_id}_{k}"
        with dot.subgraph(name=f"cluster_{prefix}") as box:
            box.attr(label=f"%{node.name} @{body.label}", style="dashed,rounded",
                     color="#3366aa", fontcolor="#3366aa")
            ids = {n: f"{prefix}_{j}" for j, n in enumerate(body.graph.nodes)}
            for n in body.graph.nodes:
                _add_node(box, n, ids=ids, marked=set(), outputs=set(), locations=locations)
            for n in body.graph.nodes:
                for src in n.inputs:
                    box.edge(ids[src], ids[n], label=_edge_label(src, n))
        for out in body.outputs:
            dot.edge(ids[out], node_id, style="dashed", color="#3366aa", label=str(out.aval))


def node_label(node: Node) -> str:
    """``%h\\nmatmul\\nf32[?,5]``: name, op (with small attrs or a scalar value), output aval."""
    op = node.op
    if node.op == "constant" and node.value is not None and node.value.size == 1:
        op = f"constant {node.value.reshape(())[()]}"  # NumPy's shortest text: f32 0.1 -> 0.1
    elif node.op not in ("placeholder", "variable", "constant"):
        small = [f"{k}={_short(v)}" for k, v in node.attrs.items()
                 if k != "out_avals" and len(_short(v)) <= 16]
        if small:
            op += "\\n" + ", ".join(small)
    # "\\n" is DOT's own line break: a raw newline would end up inside the quoted label.
    return f"%{node.name}\\n{op}\\n{format_aval(node)}"


def _short(v) -> str:
    return format_value(v)


def render(graph: Graph | Traced, path: str | os.PathLike, fmt: str = "svg", *,
           highlight: Iterable[Node | str] | None = None, composites: bool = True,
           title: str | None = None, locations: bool = True) -> Path:
    """Draw ``graph`` to ``path`` as ``fmt`` ("svg", "png", "pdf" or "dot"); returns the path.

    The file suffix follows ``fmt`` (``model`` -> ``model.svg``). Without the ``dot`` binary,
    only ``model.dot`` is written and a `RenderWarning` says how to install graphviz.
    """
    if fmt not in FORMATS:
        raise ValueError(f"render: fmt must be one of {', '.join(FORMATS)}, got {fmt!r}")
    diagram = to_dot(graph, highlight=highlight, composites=composites, title=title,
                     locations=locations)
    path = Path(path)
    base = path.with_suffix("") if path.suffix.lstrip(".") in FORMATS else path
    dot_path = base.with_name(base.name + ".dot")
    if fmt != "dot" and shutil.which("dot") is None:
        dot_path.write_text(diagram.source)
        warnings.warn(f"render: {INSTALL_HINT.replace('FILE', str(base))}", RenderWarning,
                      stacklevel=2)
        return dot_path
    if fmt == "dot":
        dot_path.write_text(diagram.source)
        return dot_path
    out = base.with_name(f"{base.name}.{fmt}")
    out.write_bytes(diagram.pipe(format=fmt))
    return out
