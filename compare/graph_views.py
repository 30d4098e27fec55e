"""Graph views of both modes, for diagrams and structural comparison (adapters, like modes.py).

* `tape_graph`: the ops the eager mode recorded for one forward + loss, rebuilt as a static
  ``Graph`` (leaves become variables / placeholders / constants), so it is drawn by the same
  ``static.render`` as the static graph and exported by the same ``to_networkx``.
* `differentiable_view`: the part of a networkx graph that the tape can be compared with:
  forward op nodes with a floating-point output that depend on a trainable variable (eager
  records only ops whose output requires grad: ops on targets alone, and integer-valued ops
  such as ``numel``, are not on its tape).
* `compare_structure`: whether two such views are the same graph (isomorphic with equal ops),
  and if not, which ops differ in count; `alignment_view` / `match_nodes` pair their nodes.
* `node_values`: every node's value for one run (reference interpreter, no updates).
* `forward_graph`, `optimized_graph`, `render_passes`: the static graphs the diagrams show.
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import networkx as nx
import numpy as np

import eager
import static
from shared_ops import OPS
from shared_ops.aval import Aval
from static.networkx_export import to_networkx
from static.render import render, to_dot

from . import compiler_adapter, modes

LEAVES = ("placeholder", "variable", "constant")


def tape_graph(model: Any, inputs, targets, loss_fn, values: dict | None = None) -> Any:
    """The eager tape of ``loss_fn(model(*inputs), *targets)`` as a static ``Graph``.

    ``values``, when given, receives each tape node's computed value by node name.
    """
    names = {id(p): n for n, p in model.named_parameters()}
    xs = [eager.tensor(a) for a in inputs]
    ts = [eager.tensor(t) for t in targets]
    loss = loss_fn(model(*xs), *ts)
    fed = {id(t): f"x{i}" for i, t in enumerate(xs)} | {id(t): f"y{i}" for i, t in enumerate(ts)}
    order = eager.autograd.engine.topological_order([loss.grad_fn])[::-1]
    graph = static.Graph()
    made: dict[int, Any] = {}  # id(tape entry or leaf tensor) -> graph node

    def leaf(t) -> Any:
        node = made.get(id(t))
        if node is None:
            arr = np.asarray(t.detach() if isinstance(t, eager.Tensor) else t)
            if id(t) in names:
                kind, name = "variable", names[id(t)]
            else:
                kind, name = ("placeholder", fed[id(t)]) if id(t) in fed else ("constant", None)
            attrs = {"trainable": True} if kind == "variable" else {}
            node = graph.add_node(kind, (), attrs, Aval(arr.shape, arr.dtype), name=name,
                                  value=arr if kind != "placeholder" else None)
            made[id(t)] = node
        return node

    for entry in order:
        ins = []
        for t in entry.inputs:
            if t is None:
                continue
            producer = getattr(t, "grad_fn", None)  # a saved constant may be a bare array
            src = made.get(id(producer)) if producer is not None else None
            ins.append(src if src is not None else leaf(t))
        out = entry.out
        aval = Aval(out.shape, out.dtype) if out is not None else Aval((), np.dtype("float64"))
        node = graph.add_node(entry.op.name, tuple(ins), dict(entry.attrs), aval)
        made[id(entry)] = node
        if values is not None and out is not None:
            values[node.name] = np.array(out, copy=True)
    return graph


def differentiable_view(g: nx.DiGraph) -> nx.DiGraph:
    """Float-valued forward op nodes reachable from a trainable variable, and their edges."""
    roots = [n for n, d in g.nodes(data=True) if d["op"] == "variable"
             and d.get("role") in (None, "forward")]
    reach: set = set()
    for r in roots:
        reach |= nx.descendants(g, r)
    keep = [n for n in reach if g.nodes[n]["op"] not in LEAVES
            and g.nodes[n].get("role") in (None, "forward")
            and getattr(OPS.get(g.nodes[n]["op"]), "differentiable_output", True)]
    return g.subgraph(keep).copy()


def compare_structure(eager_view: nx.DiGraph, static_view: nx.DiGraph) -> dict:
    """Same graph (isomorphic, equal ops)? Otherwise the ops whose counts differ."""
    ce = Counter(d["op"] for _, d in eager_view.nodes(data=True))
    cs = Counter(d["op"] for _, d in static_view.nodes(data=True))
    diff = {op: {"eager": ce.get(op, 0), "static": cs.get(op, 0)}
            for op in sorted(set(ce) | set(cs)) if ce.get(op, 0) != cs.get(op, 0)}
    same = not diff and nx.is_isomorphic(eager_view, static_view,
                                         node_match=lambda a, b: a["op"] == b["op"])
    return {"same_graph": bool(same), "eager_nodes": eager_view.number_of_nodes(),
            "static_nodes": static_view.number_of_nodes(), "op_count_differences": diff,
            "note": ("isomorphic with equal ops" if same else
                     "structures differ (op counts equal)" if not diff else
                     "op counts differ (see op_count_differences)")}


def fused_nodes(graph: Any) -> list[dict]:
    """Forward nodes the compiler fused: what each replaces and the user lines it came from
    (``meta["fused"]`` and ``meta["origin"]``): where the optimized graph departs from the
    tape."""
    out = []
    for n in graph.nodes:
        if not n.meta.get("fused") or (n.meta.get("role") or "forward") != "forward":
            continue
        lines = sorted({loc for _, loc in n.meta.get("origin") or () if loc})
        out.append({"node": n.name, "op": n.op, "replaces": list(n.meta["fused"]),
                    "lines": lines})
    return out


def alignment_view(g: nx.DiGraph) -> nx.DiGraph:
    """`differentiable_view` plus the variables and placeholders feeding it, each node
    labelled (ops by op name, leaves by their own name) so that a structural match between
    the tape and a static graph pins every weight and input to itself."""
    core = differentiable_view(g)
    keep = set(core)
    for n in core:
        keep |= {p for p in g.predecessors(n) if g.nodes[p]["op"] in ("variable", "placeholder")}
    view = g.subgraph(keep).copy()
    for n, d in view.nodes(data=True):
        d["label"] = f"{d['op']}:{n}" if d["op"] in ("variable", "placeholder") else d["op"]
    return view


def match_nodes(static_view: nx.DiGraph, eager_view: nx.DiGraph) -> dict[str, str] | None:
    """Static node name -> tape node name by a label-preserving isomorphism (None if none)."""
    matcher = nx.algorithms.isomorphism.DiGraphMatcher(
        static_view, eager_view, node_match=lambda a, b: a["label"] == b["label"])
    return dict(matcher.mapping) if matcher.is_isomorphic() else None


def node_values(graph: Any, feeds: dict) -> dict[str, np.ndarray]:
    """Every node's value (by name) for one run of ``graph`` on ``feeds`` ({name: array}),
    computed by the reference interpreter without applying any update."""
    from static.interpreter import Interpreter

    fetches = [n for n in graph.nodes if n.op not in ("assign", "group")]
    by_name = {n.name: n for n in graph.nodes if n.op == "placeholder"}
    interp = Interpreter(graph)
    interp.run(fetches, {by_name[k]: v for k, v in feeds.items() if k in by_name},
               keep_all=True)
    return {n.name: v for n, v in interp.env.items() if v is not None}


def render_svg(graph: Any, path: Path, title: str) -> str:
    """Draw a static ``Graph`` to ``path`` + ``.svg`` and return the file name.

    The diagram is ``static.render``'s, laid out with ``newrank=true``: ranking across the
    forward/gradient/update clusters at once makes ``dot`` 4-5x faster on 300-node training
    graphs (45 s -> 10 s measured on the transformer) with the same picture.
    """
    if shutil.which("dot") is None:  # static.render writes the .dot and says what to install
        return Path(render(graph, path, "svg", title=title, locations=False)).name
    diagram = to_dot(graph, title=title, locations=False)
    diagram.graph_attr["newrank"] = "true"
    out = Path(f"{path}.svg")
    out.write_bytes(diagram.pipe(format="svg"))
    return out.name


def graph_nx(graph: Any) -> nx.DiGraph:
    """The networkx export of a static ``Graph``."""
    return to_networkx(graph)


def forward_graph(model: Any, inputs: Sequence[np.ndarray], dynamic_dims: Sequence[int]) -> Any:
    """The forward pass alone, traced into its own graph (for the forward diagram)."""
    from static.tracing import TensorSpec

    dyn = set(dynamic_dims)
    specs = [TensorSpec(tuple(None if i in dyn else d for i, d in enumerate(a.shape)), a.dtype)
             for a in inputs]
    return modes.trace(model, *specs).graph


def optimized_graph(graph: Any, fetches: list, feeds: list) -> tuple[Any | None, str | None]:
    """The graph after the compiler's passes, or (None, why not)."""
    comp = compiler_adapter.compiler_module()
    if comp is None:
        return None, compiler_adapter.compiler_available()
    return comp.compile(graph, fetches, feeds).graph, None


def render_passes(graph: Any, directory: Any, fetches: list) -> tuple[Any | None, str | None]:
    """The compiler's per-pass diagrams of ``graph`` in ``directory``: (summary path, None),
    or (None, why not)."""
    comp = compiler_adapter.compiler_module()
    if comp is None or not hasattr(comp, "render_passes"):
        return None, "static.compiler.render_passes is not available"
    return comp.render_passes(graph, directory, fetches), None
