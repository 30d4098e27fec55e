"""``static.summary(graph_or_traced)``: the layer table of a graph, as ``eager.summary`` prints.

A graph knows its parameters (variables named by their module path, ``fc1.weight``) and,
when it was traced under `module_scopes`, which module call made each node
(``meta["module"]``, ``meta["module_type"]``, ``meta["module_call"]``). From those it builds
the same rows as ``eager.summary``: one per module call, with the output aval of the call's
last node (unknown dims print as ``?``), its own parameters, whether they are trainable, and
mult-adds (each parameter once per output position; ``--`` while a dim is unknown).

    >>> import numpy as np, eager.nn as nn, static
    >>> model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 2))
    >>> traced = static.summary_trace(model, static.TensorSpec((3, 4), np.float32))
    >>> print(static.summary(traced).total_params)
    58

Without module scopes (a hand-built graph), rows come from the variables' name prefixes and
carry no output shape or type.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from shared_ops.summary_table import LayerInfo, ModelStatistics, check_settings

from .graph import Graph, Node, get_default_graph
from .tracing import Traced, trace

__all__ = ["module_scopes", "summary", "summary_trace"]

_LEAVES = ("placeholder", "variable", "constant")


@contextlib.contextmanager
def module_scopes(model: Any) -> Iterator[None]:
    """While tracing ``model`` (anything with ``named_modules`` and forward hooks), tag every
    node with the module call that made it. Diagrams cluster by it; `summary` rows come
    from it."""
    paths = {id(m): p for p, m in model.named_modules()}
    calls: dict[str, int] = {}
    open_scopes: list[contextlib.AbstractContextManager] = []

    keys: list[tuple[str, int]] = []

    def pre(module, args):
        path = paths[id(module)]
        calls[path] = calls.get(path, 0) + 1
        keys.append((path, calls[path]))
        for node in _nodes_in(args):
            node.meta["module_inputs"] = (*node.meta.get("module_inputs", ()), keys[-1])
        scope = get_default_graph().meta_scope(module=path, module_type=type(module).__name__,
                                               module_call=calls[path])
        scope.__enter__()
        open_scopes.append(scope)

    def post(module, args, output):
        open_scopes.pop().__exit__(None, None, None)
        key = (*keys.pop(), type(module).__name__)
        # The call's result may be a node an inner module made: mark it as this call's too.
        for node in _nodes_in(output):
            node.meta["module_outputs"] = (*node.meta.get("module_outputs", ()), key)

    handles = [h for _, m in model.named_modules()
               for h in (m.register_forward_pre_hook(pre), m.register_forward_hook(post))]
    try:
        yield
    finally:
        for h in handles:
            h.remove()
        while open_scopes:  # a forward that raised leaves its scopes open: close them
            open_scopes.pop().__exit__(None, None, None)


def _nodes_in(value: Any) -> list[Node]:
    if isinstance(value, Node):
        return [value]
    if isinstance(value, (list, tuple)):
        return [n for v in value for n in _nodes_in(v)]
    return []


def summary_trace(model: Any, *inputs: Any, **kwargs: Any) -> Traced:
    """``static.trace(model, *inputs, **kwargs)`` under `module_scopes` (for `summary`)."""
    with module_scopes(model):
        return trace(model, *inputs, **kwargs)


def summary(graph_or_traced: Graph | Traced, *, col_names: Sequence[str] | None = None,
            col_width: int = 25, depth: int = 3, row_settings: Sequence[str] | None = None,
            verbose: int | None = 0) -> ModelStatistics:
    """The layer table of a static graph (see the module docstring). ``verbose=1`` also
    prints it; by default it is only returned (``print(static.summary(g))``)."""
    col_names = tuple(col_names or ("output_size", "num_params"))
    row_settings = tuple(row_settings or ("depth",))
    check_settings(col_names, row_settings, "static.summary")
    graph = getattr(graph_or_traced, "graph", graph_or_traced)
    if not isinstance(graph, Graph):
        raise TypeError(f"static.summary: expected a Graph or a Traced, got "
                        f"{type(graph_or_traced).__name__} (trace a Module with "
                        f"static.summary_trace(model, *specs) first)")
    variables = [n for n in graph.nodes if n.op == "variable"]
    rows = _rows(graph, variables)
    placeholders = [n for n in graph.nodes if n.op == "placeholder"]
    stats = ModelStatistics(
        summary_list=rows, total_params=sum(_numel(v) for v in variables),
        trainable_params=sum(_numel(v) for v in variables if v.attrs.get("trainable", True)),
        total_mult_adds=sum(r.macs for r in rows),
        input_bytes=sum(_nbytes(p) for p in placeholders),
        param_bytes=sum(_nbytes(v) for v in variables),
        col_names=col_names, col_width=col_width, row_settings=row_settings, depth=depth)
    if any(None in n.aval.shape for n in placeholders):
        stats.notes.append("Unknown dims (?) count as 0 bytes and no mult-adds: trace with "
                           "concrete shapes for sizes.")
    if verbose:
        print(stats)
    return stats


def _numel(node: Node) -> int:
    return int(np.prod(node.aval.shape)) if None not in node.aval.shape else 0


def _nbytes(node: Node) -> int:
    return _numel(node) * np.dtype(node.aval.dtype).itemsize


def _prefix(path: str) -> str:
    return path.rpartition(".")[0]


def _rows(graph: Graph, variables: list[Node]) -> list[LayerInfo]:
    own: dict[str, list[Node]] = {}
    for v in variables:
        own.setdefault(_prefix(v.name), []).append(v)
    # (path, call) -> the nodes that call made, in creation order
    calls: dict[tuple[str, int], list[Node]] = {}
    outputs: dict[tuple[str, int], list[Node]] = {}
    inputs: dict[tuple[str, int], list[Node]] = {}
    types: dict[str, str] = {}
    for n in graph.nodes:
        if "module" in n.meta and n.op not in _LEAVES:
            calls.setdefault((n.meta["module"], n.meta["module_call"]), []).append(n)
            types[n.meta["module"]] = n.meta["module_type"]
        for path, call, kind in n.meta.get("module_outputs", ()):
            outputs.setdefault((path, call), []).append(n)
            types[path] = kind
            calls.setdefault((path, call), [])
        for key in n.meta.get("module_inputs", ()):
            inputs.setdefault(key, []).append(n)
    paths = {p for p, _ in calls} | set(own) | {""}
    for p in list(paths):  # every ancestor of a parameter's module is a module too
        while p:
            p = _prefix(p)
            paths.add(p)
    # Pre-order over the module tree, children in the order their first node appears.
    position = {id(n): i for i, n in enumerate(graph.nodes)}
    first = {key: min(position[id(n)] for n in nodes + outputs.get(key, []))
             for key, nodes in calls.items()}
    order: list[tuple[str, int]] = sorted(first, key=first.get)
    keys = list(dict.fromkeys([("", 1)] + order + [(p, 1) for p in sorted(paths)]))
    return _tree_rows(keys, (inputs, outputs), own, types)


def _sizes(nodes: list[Node]) -> Any:
    sizes = [list(n.aval.shape) for n in nodes]
    return (sizes[0] if len(sizes) == 1 else sizes) if sizes else None


def _tree_rows(keys: list[tuple[str, int]], io: tuple[dict, dict], own: dict, types: dict
               ) -> list[LayerInfo]:
    inputs, outputs = io
    children: dict[str, list[tuple[str, int]]] = {}
    for path, call in keys[1:]:
        parent = _prefix(path) if "." in path else ""
        children.setdefault(parent, []).append((path, call))
    rows: list[LayerInfo] = []
    seen: set[str] = set()

    def subtree_params(path: str) -> list[Node]:
        return [v for p, vs in own.items() if p == path or p.startswith(path + ".") or
                path == "" for v in vs]

    def visit(key: tuple[str, int], depth: int, index: int) -> LayerInfo:
        path, call = key
        outs = outputs.get(key, [])
        mine = own.get(path, [])
        row = LayerInfo(path=path, class_name=types.get(path, "Graph" if not path else "?"),
                        depth=depth, depth_index=index, input_size=_sizes(inputs.get(key, [])),
                        output_size=_sizes(outs),
                        num_params=sum(_numel(v) for v in mine),
                        trainable=_trainable(subtree_params(path)),
                        output_bytes=sum(map(_nbytes, outs)), recursive=path in seen)
        row.macs = _macs(row, mine)
        seen.add(path)
        rows.append(row)
        kids = children.get(path, []) if row.depth == 0 or call == 1 else []
        row.is_leaf = not kids
        for i, kid in enumerate(kids, 1):
            visit(kid, depth + 1, i)
        return row

    visit(keys[0], 0, 1)
    return rows


def _trainable(params: list[Node]) -> str:
    if not params:
        return "--"
    flags = {bool(v.attrs.get("trainable", True)) for v in params}
    return "Partial" if len(flags) == 2 else str(flags.pop())


def _macs(row: LayerInfo, params: list[Node]) -> int:
    out = row.output_size
    if not out or not isinstance(out[0], int) or None in out or not params:
        return 0  # several outputs (a GRU's (output, h_n)): as eager.summary, no count
    n = sum(_numel(v) for v in params)
    if row.class_name.startswith("Conv"):
        return n * int(np.prod([out[0], *out[2:]]))
    return n * int(np.prod(out[:-1]))
