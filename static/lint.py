"""`lint(graph)`: cheap structural checks of a graph, each problem said with how to fix it.

Checks: names are unique and match the name table (single assignment); every input is a node
of this graph created before its user (topological order, hence no cycles); every op is known
(a shared_ops primitive or a static-only op); every node's aval is what its op's shape rule
says for its inputs' avals; variables and constants hold storage matching their aval.

Run after building and, in debug mode, after every pass (torch.fx ``Graph.lint`` style).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

import shared_ops
from shared_ops.errors import DualgraphError, OpError

from .graph import STATIC_OPS, Graph, Node


class LintError(DualgraphError, AssertionError):
    """The graph breaks an invariant; ``problems`` lists every one found."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("graph lint failed:\n  " + "\n  ".join(problems))


# Checks of static-only ops (control flow registers its own): op -> rule(node) -> problems,
# each a text that follows the node's name ("'s body @fn returns ...").
STATIC_LINTS: dict[str, Callable[[Node], list[str]]] = {}


def register_static_lint(op: str, rule: Callable[[Node], list[str]]) -> None:
    """Let `lint` check nodes of the static-only ``op`` with ``rule``."""
    STATIC_LINTS[op] = rule


def lint(graph: Graph) -> None:
    """Raise `LintError` listing every broken invariant; return None when the graph is sound."""
    problems: list[str] = []
    position: dict[Node, int] = {}
    for k, node in enumerate(graph.nodes):
        if node in position:
            problems.append(f"%{node.name} appears twice in graph.nodes; a node is added once")
            continue
        position[node] = k
        problems.extend(_check_node(graph, node, position))
    return _raise_if(problems)


def _raise_if(problems: list[str]) -> None:
    if problems:
        raise LintError(problems)


def _check_node(graph: Graph, node: Node, position: dict[Node, int]) -> list[str]:
    out: list[str] = []
    where = f"%{node.name} ({node.op})"
    if node.graph is not graph:
        out.append(f"{where} says it belongs to another graph; build it in this one")
    if graph._by_name.get(node.name) is not node:
        out.append(f"{where}: name table maps {node.name!r} to another node; rename with "
                   "graph.rename so names stay unique (single assignment)")
    for i in node.inputs:
        if not isinstance(i, Node):
            out.append(f"{where} has a non-node input {i!r}; wrap values with static.constant")
        elif i.graph is not graph or graph._by_name.get(i.name) is not i:
            out.append(f"{where} uses %{i.name}, which is not a node of this graph")
        elif i not in position:
            out.append(f"{where} uses %{i.name} before it is defined (order broken or a cycle); "
                       "nodes must come after their inputs")
    if out:
        return out
    return _check_op(node, where)


def _check_op(node: Node, where: str) -> list[str]:
    if node.op in ("variable", "constant"):
        v = node.value
        if not isinstance(v, np.ndarray) or v.shape != node.shape or v.dtype != node.dtype:
            got = "nothing" if v is None else f"{getattr(v, 'dtype', '?')}{np.shape(v)}"
            return [f"{where} stores {got} but its aval is {node.aval}; keep value and aval equal"]
        return []
    if node.op == "assign":
        var = node.inputs[0] if node.inputs else None
        if len(node.inputs) != 2 or var.op != "variable":
            return [f"{where} must take (variable, value); build it with static.assign"]
        return []
    if node.op in STATIC_OPS:
        rule = STATIC_LINTS.get(node.op)
        return [] if rule is None else [f"{where}{p}" for p in rule(node)]
    op = shared_ops.OPS.get(node.op)
    if op is None or not op.primitive:
        return [f"{where}: unknown op {node.op!r} (not a shared_ops primitive nor a static op); "
                "register it or use static.register_static_op"]
    try:
        aval = op.shape_rule(*(i.aval for i in node.inputs), **node.attrs)
    except OpError as e:
        return [f"{where}: its shape rule rejects its inputs now: {e.detail}"]
    if tuple(aval.shape) != tuple(node.shape) or aval.dtype != node.dtype:
        return [f"{where} has aval {node.aval} but its shape rule gives {aval}; "
                "recompute the aval after changing inputs or attrs"]
    return []
