"""Graph views of both modes, for diagrams and structural comparison (adapters, like modes.py).

* `tape_graph`: the ops the eager mode recorded for one forward + loss, rebuilt as a static
  ``Graph`` (leaves become variables / placeholders / constants), so it is drawn by the same
  ``static.render`` as the static graph and exported by the same ``to_networkx``.
* `differentiable_view`: the part of a networkx graph that the tape can be compared with:
  forward op nodes with a floating-point output that depend on a trainable variable (eager
  records only ops whose output requires grad: ops on targets alone, and integer-valued ops
  such as ``numel``, are not on its tape).
* `compare_structure`: whether two such views are the same graph (isomorphic with equal ops),
  and if not, where they differ; `alignment_view` / `match_nodes` pair their nodes.
* `node_values`: every node's value for one run (reference interpreter, no updates).
* `forward_graph`, `optimized_graph`: the static graphs the diagrams show (drawn by
  `diagram_passes`).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from typing import Any

import networkx as nx
import numpy as np

import eager
import static
from shared_ops import OPS, decomposed
from shared_ops.aval import Aval
from static.networkx_export import to_networkx

from . import compiler_adapter, modes
from .tape_modules import entry_modules, module_calls

LEAVES = ("placeholder", "variable", "constant")


def tape_graph(model: Any, inputs, targets, loss_fn, values: dict | None = None) -> Any:
    """The eager tape of ``loss_fn(model(*inputs), *targets)`` as a static ``Graph``.

    Recorded with composites decomposed (`shared_ops.decomposed`), so that it lines up node
    for node with the traced graph; a training step runs their fused immediate forms
    (``linear`` as one ``affine`` node, ...), which the static compiler reaches by fusion.
    ``values``, when given, receives each tape node's computed value by node name. Each node
    made inside a module call carries that module in ``meta`` (as `static.module_scopes`
    tags traced nodes), so the tape is drawn with the same module frames and boxes.
    """
    names = {id(p): n for n, p in model.named_parameters()}
    xs = [eager.tensor(a) for a in inputs]
    ts = [eager.tensor(t) for t in targets]
    with decomposed(), module_calls(model) as calls:
        loss = loss_fn(model(*xs), *ts)
    module_of = entry_modules(calls)
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
            if values is not None:
                values[node.name] = np.array(arr, copy=True)
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
        if id(entry) in module_of:
            node.meta["module"], node.meta["module_type"] = module_of[id(entry)]
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


def dag_hashes(g: nx.DiGraph, label: str = "op") -> dict[Any, int]:
    """A hash per node of everything that computes it: its label and, in input order, the
    hashes of its inputs. Two nodes (in two graphs) hash alike when they compute the same
    thing from the same leaves: a linear-time, exact-up-to-collisions stand-in for graph
    isomorphism on DAGs with ordered inputs (VF2 blows up on the GRU's repeated cells)."""
    hashes: dict[Any, int] = {}
    for n in nx.topological_sort(g):
        preds = sorted(g.predecessors(n), key=lambda p: min(g.edges[p, n].get("index") or (0,)))
        hashes[n] = hash((g.nodes[n][label], tuple(hashes[p] for p in preds)))
    return hashes


def compare_structure(eager_view: nx.DiGraph, static_view: nx.DiGraph) -> dict:
    """Same graph (every node computes the same thing, `dag_hashes`)? If not: the ops whose
    counts differ and the first nodes (in order) of each side that the other lacks."""
    ce = Counter(d["op"] for _, d in eager_view.nodes(data=True))
    cs = Counter(d["op"] for _, d in static_view.nodes(data=True))
    diff = {op: {"eager": ce.get(op, 0), "static": cs.get(op, 0)}
            for op in sorted(set(ce) | set(cs)) if ce.get(op, 0) != cs.get(op, 0)}
    he, hs = dag_hashes(eager_view), dag_hashes(static_view)
    same = Counter(he.values()) == Counter(hs.values())
    only_e = [f"%{n} ({eager_view.nodes[n]['op']})" for n in nx.topological_sort(eager_view)
              if he[n] not in set(hs.values())][:5]
    only_s = [f"%{n} ({static_view.nodes[n]['op']})" for n in nx.topological_sort(static_view)
              if hs[n] not in set(he.values())][:5]
    return {"same_graph": bool(same), "eager_nodes": eager_view.number_of_nodes(),
            "static_nodes": static_view.number_of_nodes(), "op_count_differences": diff,
            "first_only_in_eager": only_e, "first_only_in_static": only_s,
            "note": ("same graph: every node computes the same ops from the same inputs"
                     if same else "structures differ (op counts equal)" if not diff else
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


def alignment_view(g: nx.DiGraph, values: dict | None = None,
                   relaxed: bool = False) -> nx.DiGraph:
    """`differentiable_view` plus the inputs feeding it from outside, each node labelled so
    that matching a tape against a static graph pins every input to itself: ops by op name
    and attrs, weights and fed inputs by name, any other array input (``x[:, t]`` of a fed
    ``x``, which the tape only saw as a value; scalars such as gelu's 0.5) by a digest of
    its value in ``values``. An input without a value is left out (fewer matches, never a
    wrong one). ``relaxed``: scalars are all labelled alike, so that a node whose scalar
    input differs between the modes (Python state baked into a trace) still finds its twin;
    use it only for nodes the strict labels left unmatched."""
    values = values or {}
    core = differentiable_view(g)
    labels = {}
    for n in core:
        for p in g.predecessors(n):
            if p in core or p in labels:
                continue
            op = g.nodes[p]["op"]
            if op in ("variable", "placeholder"):
                labels[p] = f"{op}:{p}"
            elif p in values:
                v = values[p]
                scalar = relaxed and np.size(v) == 1
                labels[p] = "scalar" if scalar else f"value:{_digest(v)}"
    view = g.subgraph(set(core) | set(labels)).copy()
    for leaf in labels:  # an input stands for its value alone (numel reads a core node)
        view.remove_edges_from(list(view.in_edges(leaf)))
    for n, d in view.nodes(data=True):
        # attrs too: x[:, 0] and x[:, 1] are both `index` of x, told apart by the key
        attrs = sorted((k, repr(v)) for k, v in d["attrs"].items())
        d["label"] = labels.get(n) or f"{d['op']}{attrs}"
    return view


def _digest(value: Any) -> str:
    arr = np.ascontiguousarray(value)
    return hashlib.sha1(arr.tobytes() + str((arr.shape, arr.dtype)).encode()).hexdigest()[:16]


def match_nodes(static_view: nx.DiGraph, eager_view: nx.DiGraph) -> dict[str, str]:
    """Static node name -> tape node name, for nodes that compute the same thing from the
    same named weights and inputs (equal `dag_hashes` over the labelled views)."""
    hs, he = dag_hashes(static_view, "label"), dag_hashes(eager_view, "label")
    by_hash: dict[int, list] = {}
    for n in nx.topological_sort(eager_view):
        by_hash.setdefault(he[n], []).append(n)
    mapping, used = {}, Counter()
    for n in nx.topological_sort(static_view):
        candidates = by_hash.get(hs[n], [])
        if candidates:  # equal hashes compute equal values: pair duplicates in order
            mapping[n] = candidates[min(used[hs[n]], len(candidates) - 1)]
            used[hs[n]] += 1
    return mapping


def align(traced: Any, traced_vals: dict, tape: Any, tape_vals: dict) -> dict[str, str]:
    """Traced node -> tape node: strict labels first (every input value pinned), then, for
    what is left, relaxed ones (scalar inputs free), so a constant baked in by tracing still
    lets its node be compared, and found to differ."""
    gt, ge = graph_nx(traced), graph_nx(tape)
    mapping = match_nodes(alignment_view(gt, traced_vals),
                                      alignment_view(ge, tape_vals))
    used = set(mapping.values())
    relaxed = match_nodes(alignment_view(gt, traced_vals, relaxed=True),
                                      alignment_view(ge, tape_vals, relaxed=True))
    for s, e in relaxed.items():
        if s not in mapping and e not in used:
            mapping[s] = e
            used.add(e)
    # An input leaf (a constant, a scalar) is paired through its user, position by position:
    # relaxed labels make all scalars look alike, so matching them on their own could pair a
    # baked constant with an unrelated scalar of the tape, depending on iteration order.
    tape_by_name = {n.name: n for n in tape.nodes}
    for s_node in traced.nodes:
        e_node = tape_by_name.get(mapping.get(s_node.name, ""))
        if e_node is None or s_node.op in LEAVES or len(s_node.inputs) != len(e_node.inputs):
            continue
        for s_in, e_in in zip(s_node.inputs, e_node.inputs, strict=True):
            if s_in.op in LEAVES and e_in.op in LEAVES and e_in.name not in used:
                mapping[s_in.name] = e_in.name
                used.add(e_in.name)
    return mapping


def node_values(graph: Any, feeds: dict) -> dict[str, np.ndarray]:
    """Every node's value (by name) for one run of ``graph`` on ``feeds`` ({name: array}),
    computed by the reference interpreter without applying any update."""
    from static.interpreter import Interpreter

    # A control node's value is a tuple: its ``tuple_get`` projections are the arrays.
    fetches = [n for n in graph.nodes
               if n.op not in ("assign", "group", "cond", "while_loop", "scan")]
    by_name = {n.name: n for n in graph.nodes if n.op == "placeholder"}
    interp = Interpreter(graph)
    interp.run(fetches, {by_name[k]: v for k, v in feeds.items() if k in by_name},
               keep_all=True)
    return {n.name: v for n, v in interp.env.items()
            if v is not None and not isinstance(v, tuple)}


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
