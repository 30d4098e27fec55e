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
from .render_modules import ModuleGroups, add_legend, module_map, module_types, safe_id
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


# Past this many nodes `dot` spends minutes routing spline edges around clusters and placing
# edge labels: the transformer's 300-node training graph took 4 min 41 s, 85 s with edge
# labels as tooltips and module frames on. Such graphs get straight edges, a bounded
# network-simplex budget and newrank (3.3 s, `dot -Tsvg` on this machine), and their edge
# avals as tooltips unless collapsed (each node's label already shows its output aval).
BIG_GRAPH = 120
BIG_GRAPH_ATTRS = {"newrank": "true", "nslimit": "0.5", "nslimit1": "0.5", "mclimit": "0.3",
                   "splines": "line"}


class RenderWarning(UserWarning):
    """Rendering fell back to writing DOT text (the ``dot`` binary is missing)."""


def to_dot(graph: Graph | Traced, *, highlight: Iterable[Node | str] | None = None,
           composites: bool = True, title: str | None = None,
           locations: bool = True, modules: bool = True, collapse: int | None = None,
           legend: bool = False, edge_labels: bool | None = None) -> graphviz.Digraph:
    """Build the diagram of ``graph`` as a `graphviz.Digraph` (``.source`` is the DOT text).

    ``highlight``: nodes (or node names) drawn in red; ``composites``: box the nodes of each
    composite call (``meta["composite"]``) inside its role cluster; ``locations``: give each
    node its source line as a tooltip (off for diagrams that must not depend on line numbers).
    ``modules``: frame the nodes of each module call (traced under ``static.module_scopes``)
    in a cluster named by its path; ``collapse=k``: draw each module at depth ``k`` as one box
    instead (``attn`` for ``collapse=1``), the overview of a big graph. ``legend``: a key to
    the shapes and edge styles. ``edge_labels=False`` moves each edge's aval into its tooltip
    (default: labels up to `BIG_GRAPH` nodes; bigger graphs also get a bounded layout effort,
    see `BIG_GRAPH_ATTRS`).
    """
    # A `Traced` draws its graph, with its outputs double-bordered.
    outputs = {n.name for n in getattr(graph, "outputs", ())}
    graph = getattr(graph, "graph", graph)
    marked = {n if isinstance(n, str) else n.name for n in (highlight or ())}
    ids = {node: f"n{i}" for i, node in enumerate(graph.nodes)}
    # newrank: rank nodes across clusters in one pass; dot's older ranking fails ("trouble in
    # init_rank") on some graphs whose loop-body clusters send edges back to their loop node.
    dot = graphviz.Digraph(name="dualgraph", graph_attr={"rankdir": "TB", "fontname": "Helvetica",
                                                         "fontsize": "11", "newrank": "true"},
                           node_attr={"fontname": "Helvetica", "fontsize": "10"},
                           edge_attr={"fontname": "Helvetica", "fontsize": "8",
                                      "color": "#555555"})
    if title:
        dot.attr(label=title, labelloc="t")
    big = len(graph.nodes) > BIG_GRAPH
    if big:
        dot.graph_attr.update(BIG_GRAPH_ATTRS)
    if edge_labels is None:
        edge_labels = not big or collapse is not None  # a collapsed view has few edges
    by_role: dict[str | None, list[Node]] = {}
    for node in graph.nodes:
        role = node.meta.get("role")
        by_role.setdefault(role if role in ROLES else None, []).append(node)
    add = functools.partial(_add_node, ids=ids, marked=marked, outputs=outputs,
                            locations=locations)
    owners = module_map(graph) if modules else {}
    kinds = module_types(graph) if owners else {}
    box_of: dict[Node, str] = {}
    top = ModuleGroups(owners, kinds, collapse, "top")
    top.draw(dot, by_role.get(None, []), lambda d, ns, path: [add(d, n) for n in ns])
    box_of.update(top.box_of)
    for role, (label, colour) in ROLES.items():
        nodes = by_role.get(role)
        if not nodes:
            continue
        with dot.subgraph(name=f"cluster_{role}") as sub:
            sub.attr(label=label, style="filled,rounded", fillcolor=colour, color="#bbbbbb")
            groups = ModuleGroups(owners, kinds, collapse, role)
            if collapse is None:
                groups.draw(sub, nodes, functools.partial(_add_role_nodes_into, add=add,
                                                          composites=composites, role=role))
            else:  # an overview: composite calls outside modules become boxes too
                groups.draw(sub, nodes, lambda d, ns, path, g=groups: g.collapsed_run(d, ns, add))
            box_of.update(groups.box_of)
    _add_edges(dot, graph, {**ids, **box_of}, set(box_of.values()), edge_labels)
    if legend:
        add_legend(dot, LEGEND, collapsed=collapse is not None, modules=bool(owners))
    return dot


# The legend's node entries: (text, style), drawn as the diagram draws them.
LEGEND = (("input (fed each run)", _STYLE["placeholder"]),
          ("parameter / state", _STYLE["variable"]), ("constant", _STYLE["constant"]),
          ("op: %name, op, output shape", _OP_STYLE), ("update (assign)", _STYLE["assign"]),
          ("output (double border)", {**_OP_STYLE, "peripheries": "2"}),
          ("changed by a pass (red)", {**_OP_STYLE, **_HIGHLIGHT}))


def _add_edges(dot: graphviz.Digraph, graph: Graph, ids: dict, boxes: set[str],
               labels: bool) -> None:
    """One edge per input; edges inside a collapsed module vanish, parallel ones into or out
    of a module box merge into one."""
    drawn: set[tuple[str, str]] = set()
    for node in graph.nodes:
        for src in node.inputs:
            a, b = ids[src], ids[node]
            boxed = a in boxes or b in boxes
            if a == b or (boxed and (a, b) in drawn):
                continue
            drawn.add((a, b))
            text = _edge_label(src, node)
            if labels:
                dot.edge(a, b, label=text)
            else:
                dot.edge(a, b, tooltip=text)


def _edge_label(src: Node, dst: Node) -> str:
    """The aval flowing along an edge; out of a control node, the element ``dst`` takes."""
    avals = src.attrs.get("out_avals")
    if avals is not None and dst.op == "tuple_get":
        return str(avals[dst.attrs["index"]])
    return str(src.aval)


def _add_role_nodes_into(sub: graphviz.Digraph, nodes: list[Node], path: str, *, add,
                         composites: bool, role: str) -> None:
    # Composite boxes are named per module too: two modules' softmax boxes must not merge.
    _add_role_nodes(sub, nodes, add, composites, f"{role}_m_{safe_id(path)}" if path else role)


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
