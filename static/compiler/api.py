"""`compile(graph, fetches, feeds)`: passes, then a `Compiled` step.

    step = static.compile(g, [loss, train], feeds=[x, y])
    loss_value, _ = step.run({x: xb, y: yb})
    print(step.summary())       # what each pass did
    print(step.source)          # the generated NumPy
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ..graph import Graph, Node
from ..interpreter import _check_order, required_nodes
from ..lru import MAX_PLANS, check_limit
from .compiled import Compiled
from .context import PassContext
from .pipeline import run_pipeline, select_passes


def compile(graph: Graph, fetches: Node | str | Sequence[Node | str],  # noqa: A001
            feeds: Sequence[Node | str] | None = None, *,
            passes: Mapping[str, bool] | Iterable[str] | None = None,
            executor: str = "compiled", freeze: bool | Iterable[str] = False,
            check: bool | Mapping[str, Any] = False, lint: bool = False,
            max_plans: int = MAX_PLANS) -> Compiled:
    """Optimize the part of ``graph`` that ``fetches`` need and make it runnable.

    ``feeds``: the placeholders the step takes, in the order ``compiled(*arrays)`` takes them
    (default: every placeholder the fetches need, in graph order). ``passes``: switch passes
    off by name (``{"cse": False}``) or list the ones to run. ``executor``: ``"compiled"``
    (generated NumPy) or ``"interpret"`` (node by node, for debugging). ``freeze``: fold
    variables as constants (True: all of them; or an iterable of names), for inference.
    ``check``: run every intermediate graph on the same random feeds and record each pass's
    max deviation (a mapping gives `verify.Checker` options: ``tol``, ``feeds``, ``seed``).
    ``lint``: lint the graph after every pass. ``max_plans``: how many generated plans (one
    per feed signature, each with its buffers) the step keeps, least recently used out first
    (``compiled.cache.max_plans`` changes it later).
    """
    check_limit(max_plans, "compile: max_plans")  # before the passes, not at the first call
    single = isinstance(fetches, Node | str)
    fetch_list = [_resolve(graph, f) for f in ([fetches] if single else fetches)]
    # A graph edited by hand (``node.inputs = ...``) may be out of order or cyclic: refuse it
    # with the interpreter's clear error before any pass trips over it with a KeyError.
    _check_order(required_nodes(graph, fetch_list))
    if feeds is None:
        inputs = [n for n in required_nodes(graph, fetch_list) if n.op == "placeholder"]
    else:
        inputs = [_resolve(graph, f) for f in feeds]
    if freeze is True:
        frozen = frozenset(v.name for v in graph.variables())
    else:
        frozen = frozenset(freeze or ())
    ctx = PassContext(fetches=list(fetch_list), frozen=frozen)
    chosen = select_passes(passes)
    after = None
    if check:
        from .verify import Checker

        options = dict(check) if isinstance(check, Mapping) else {}
        after = Checker(graph, fetch_list, inputs, ctx, **options)
    optimized, reports = run_pipeline(graph, ctx, chosen, check_lint=lint, after_pass=after)
    by_name = {n.name: n for n in optimized.placeholders()}
    opt_inputs = [by_name[p.name] if p.name in by_name else _unused_placeholder(optimized, p)
                  for p in inputs]
    compiled = Compiled(optimized, ctx.fetches, opt_inputs, reports, executor=executor,
                        source_graph=graph, source_step=(fetch_list, inputs),
                        max_plans=max_plans)
    compiled.checker = after
    return compiled


def _resolve(graph: Graph, f: Node | str) -> Node:
    if isinstance(f, str):
        return graph[f]
    if f not in graph:
        raise ValueError(f"compile: %{f.name} is not a node of this graph")
    return f


def _unused_placeholder(graph: Graph, p: Node) -> Node:
    """A feed the optimized graph no longer reads still takes its position in the call."""
    return graph.add_node("placeholder", (), {}, p.aval, name=p.name, location=p.location)
