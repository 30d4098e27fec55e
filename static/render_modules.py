"""Module clusters and the legend for `static.render`'s diagrams.

A node made inside a module call carries ``meta["module"]`` (``static.module_scopes`` puts it
there while tracing); a gradient node belongs to the module of the node it is the gradient of
(``meta["grad_of"]``), and a parameter (``attn.qkv.weight``) to the module its name is under.
`module_of` resolves that; `ModuleGroups` nests the nodes of one role cluster into one cluster
per module path (``attn`` holds ``attn.qkv``), or, collapsed, draws every module below a
depth as one box whose edges stand for all the edges that cross its border.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import graphviz

from .graph import Graph, Node

_SAFE = re.compile(r"[^A-Za-z0-9_]")
MODULE_STYLE = {"shape": "box3d", "style": "filled", "fillcolor": "#dde8f7", "color": "#3366aa"}


def module_map(graph: Graph) -> dict[Node, str]:
    """Every node that belongs to a module -> its dotted path (see the module docstring)."""
    by_name = {n.name: n for n in graph.nodes}
    known = {n.meta["module"] for n in graph.nodes if n.meta.get("module")}
    for path in list(known):  # ancestors of a known module are modules too
        while "." in path:
            path = path.rpartition(".")[0]
            known.add(path)
    out: dict[Node, str] = {}
    for node in graph.nodes:
        path = node.meta.get("module")
        if path is None and node.meta.get("grad_of") in by_name:
            path = by_name[node.meta["grad_of"]].meta.get("module")
        if path is None and node.op == "variable":
            prefix = node.name.rpartition(".")[0]
            path = prefix if prefix in known else None
        if path is None and node.meta.get("role") == "update":
            # An optimizer's ops (lr * grad, var - step, assign) belong with the parameter
            # they update: the module of their first input that has one (nodes come in order).
            path = next((out[i] for i in node.inputs if i in out), None)
        if path:
            out[node] = path
    # A constant (lr, 0.5, ...) that only one module's ops read is drawn inside that module.
    readers: dict[Node, set] = {}
    for node in graph.nodes:
        for i in node.inputs:
            if i.op == "constant" and i not in out:
                readers.setdefault(i, set()).add(out.get(node))
    for const, paths in readers.items():
        if len(paths) == 1 and None not in paths:
            out[const] = paths.pop()
    return out


def module_types(graph: Graph) -> dict[str, str]:
    """Dotted module path -> its class name, where the trace recorded one."""
    types = {n.meta["module"]: n.meta.get("module_type", "") for n in graph.nodes
             if n.meta.get("module")}
    for n in graph.nodes:
        for entry in n.meta.get("module_outputs", ()):
            if len(entry) == 3:
                types.setdefault(entry[0], entry[2])
    return types


def truncate(path: str, depth: int) -> str:
    """``attn.qkv`` at depth 1 -> ``attn``."""
    return ".".join(path.split(".")[:depth])


def safe_id(text: str) -> str:
    return _SAFE.sub("_", text)


class ModuleGroups:
    """Draw one role cluster's nodes grouped by module path.

    ``add(dot, node)`` draws a node; ``add_run(dot, nodes)`` draws nodes that share no module
    (composites boxed as before). With ``collapse`` (a depth), modules at that depth become
    single boxes; `box_of` then maps each hidden node to its box's DOT id.
    """

    def __init__(self, modules: dict[Node, str], types: dict[str, str], collapse: int | None,
                 prefix: str):
        self.modules, self.types, self.collapse, self.prefix = modules, types, collapse, prefix
        self.box_of: dict[Node, str] = {}

    def path(self, node: Node) -> str | None:
        path = self.modules.get(node)
        if path is None or self.collapse is None:
            return path
        return truncate(path, self.collapse)

    def draw(self, dot: graphviz.Digraph, nodes: list[Node],
             add_run: Callable[[graphviz.Digraph, list[Node], str], None]) -> None:
        """Draw ``nodes`` into ``dot``: those of no deeper module via ``add_run(dot, nodes,
        module_path)``, the others in nested module clusters (or boxes)."""
        self._draw_level(dot, nodes, "", add_run)

    def _draw_level(self, dot, nodes: list[Node], parent: str, add_run) -> None:
        loose: list[Node] = []
        children: dict[str, list[Node]] = {}
        for node in nodes:
            path = self.path(node)
            if path is None or path == parent:
                loose.append(node)
                continue
            rest = path[len(parent) + 1:] if parent else path
            child = f"{parent}.{rest.split('.')[0]}" if parent else rest.split(".")[0]
            children.setdefault(child, []).append(node)
        add_run(dot, loose, parent)
        for child, members in children.items():
            if self.collapse is not None and child.count(".") + 1 >= self.collapse:
                self._box(dot, child, members)
                continue
            with dot.subgraph(name=f"cluster_{self.prefix}_m_{safe_id(child)}") as sub:
                kind = self.types.get(child, "")
                sub.attr(label=f"{child} ({kind})" if kind else child, style="rounded",
                         color="#3366aa", fontcolor="#3366aa", fillcolor="none")
                self._draw_level(sub, members, child, add_run)

    def collapsed_run(self, dot: graphviz.Digraph, nodes: list[Node], add) -> None:
        """Nodes outside any collapsed module, for an overview: each composite call (its
        consecutive nodes sharing an outermost ``meta["composite"]``, as `static.render`
        boxes them) becomes one box too; other nodes are drawn by ``add(dot, node)``."""
        runs: list[tuple[str | None, list[Node]]] = []
        for node in nodes:
            stack = node.meta.get("composite") or () if node.inputs else ()
            key = stack[0] if stack else None
            if runs and key is not None and runs[-1][0] == key:
                runs[-1][1].append(node)
            else:
                runs.append((key, [node]))
        for i, (key, run) in enumerate(runs):
            if key is None or len(run) < 2:
                for node in run:
                    add(dot, node)
                continue
            box = f"{self.prefix}_call_{safe_id(key)}_{i}"
            dot.node(box, label=f"{key}()\\n{len(run)} ops\\nout: {run[-1].aval}",
                     tooltip=", ".join(n.op for n in run), shape="box",
                     style="rounded,dashed", color="#888888")
            for node in run:
                self.box_of[node] = box

    def _box(self, dot, path: str, members: list[Node]) -> None:
        box = f"{self.prefix}_box_{safe_id(path)}"
        ops = [n for n in members if n.inputs]
        params = sum(1 for n in members if n.op == "variable")
        kind = self.types.get(path, "")
        lines = [path + (f" ({kind})" if kind else ""), f"{len(ops)} ops"
                 + (f", {params} params" if params else "")]
        if ops:
            lines.append(f"out: {ops[-1].aval}")
        dot.node(box, label="\\n".join(lines), tooltip=", ".join(sorted({n.op for n in ops})),
                 **MODULE_STYLE)
        for n in members:
            self.box_of[n] = box


def add_legend(dot: graphviz.Digraph, styles: Iterable[tuple[str, dict]], *,
               collapsed: bool, modules: bool) -> None:
    """A small cluster that names the node shapes and edge styles the diagram uses."""
    with dot.subgraph(name="cluster_legend") as leg:
        leg.attr(label="legend", style="rounded", color="#999999", fontsize="10")
        names = []
        for i, (text, attrs) in enumerate(styles):
            names.append(f"legend_{i}")
            leg.node(names[-1], label=text, **{"fontsize": "9", **attrs})
        if modules:
            names.append("legend_module")
            if collapsed:
                leg.node(names[-1], label="module (collapsed):\\nall its ops in one box",
                         fontsize="9", **MODULE_STYLE)
            else:
                leg.node(names[-1], label="module: blue frame\\naround its ops", fontsize="9",
                         shape="box", style="rounded", color="#3366aa")
        for a, b in zip(names, names[1:], strict=False):
            leg.edge(a, b, style="invis")
        leg.node("legend_e1", label="", shape="point", width="0.05")
        leg.node("legend_e2", label="", shape="point", width="0.05")
        leg.edge("legend_e1", "legend_e2", label="value (its shape)", fontsize="8")
        leg.node("legend_e3", label="", shape="point", width="0.05")
        leg.edge("legend_e2", "legend_e3", label="body result", style="dashed",
                 color="#3366aa", fontsize="8")
        if names:
            leg.edge(names[-1], "legend_e1", style="invis")
