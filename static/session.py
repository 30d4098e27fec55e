"""`Session`: run the part of a graph that some fetches need, with fed placeholder values.

    sess = Session(g)
    loss_value, _ = sess.run([loss, train_op], {x: xb, y: yb})
    sess.run({"loss": loss, "w": w}, {"x": xb, "y": yb})   # nodes or names, same structure back

Fetches may be a node, a node name, or a (nested) list, tuple or dict of them, with None
where nothing is fetched (it comes back as None). A feed key is a placeholder (or its name)
or a tuple of them, nested as its value is: ``{(h, c): (h0, c0)}`` feeds an LSTM's state.
Feeds are checked against each placeholder's shape and dtype before anything runs, and every
error names the placeholder or fetch involved and the user's line.

``run(..., trace=True)`` returns ``(results, values)`` where ``values`` maps the name of every
node that ran to its value: the debugging view of one step.

The executor is swappable: ``Session(g, executor="interpret")`` is the node-by-node reference
`Interpreter`; ``Session(g, check_numerics=True)`` runs every step on it with each value
checked for NaN/Inf, and names the first node that produced one. Other executors register
with `register_executor(name, factory)`, where ``factory(graph)`` returns an object with the
Interpreter's ``run(fetches, feeds, keep_all)``. Further keyword arguments go to the
factory: the default ``"compiled"`` executor takes ``max_steps`` (compiled steps kept, one
per fetch list: 64 by default, least recently used out first) and every `static.compile`
option, such as ``max_plans`` (plans kept per step, one per feed shape: 64) or ``passes``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import numpy as np

from shared_ops import limits
from shared_ops.errors import SourceLocation, describe_shapes, user_location

from .errors import FeedError, FetchError
from .graph import Graph, Node, format_location, get_default_graph
from .interpreter import Interpreter, required_nodes
from .lru import LRU, MAX_STEPS
from .pytree import flatten, unflatten

EXECUTORS: dict[str, Callable[[Graph], Any]] = {"interpret": Interpreter}


def register_executor(name: str, factory: Callable[[Graph], Any]) -> None:
    """Make ``Session(graph, executor=name)`` run graphs with ``factory(graph)``."""
    EXECUTORS[name] = factory


class Session:
    """Runs fetches of one graph (the default graph when none is given)."""

    def __init__(self, graph: Graph | None = None, executor: str | Callable = "compiled",
                 check_numerics: bool = False, **executor_options: Any):
        self.graph = graph if graph is not None else get_default_graph()
        if check_numerics:  # only the node-by-node interpreter sees every value as it is made
            executor = lambda g: Interpreter(g, check_numerics=True)  # noqa: E731
        if isinstance(executor, str):
            if executor not in EXECUTORS:
                raise ValueError(f"unknown executor {executor!r}; known: {sorted(EXECUTORS)}")
            executor = EXECUTORS[executor]
        self.executor = executor(self.graph, **executor_options)
        # The placeholders each fetch list needs, per graph version (checked every run); as
        # bounded as the executor's steps, so a graph edited between runs leaves no trail.
        self._inputs: LRU = LRU(MAX_STEPS, "max_steps")
        # Executors keep per-step state (compiled plans reuse buffers, the interpreter its
        # env): threads sharing a session take turns for the step itself.
        self._lock = threading.RLock()

    # TF1 code writes `with Session(g) as sess:`; a session holds no resources to release
    # (variables live in the graph), so the block only scopes the name.
    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc) -> None:
        return None

    def run(self, fetches, feed_dict: dict | None = None, trace: bool = False):
        """Run one step and return the fetched values in the structure of ``fetches``.

        A fetched ``group`` (train op) gives ``None``. With ``trace=True`` the result is
        ``(results, {node_name: value for every node that ran})``.
        """
        where = user_location()
        flat: list[Any] = []
        template = flatten(fetches, flat)
        nodes = [self._resolve_fetch(f, where) for f in flat]
        feeds = self._check_feeds(feed_dict or {}, where)
        self._check_missing(nodes, feeds, where)
        # np.errstate: IEEE results (inf, nan) without warnings in any thread; NumPy's error
        # state is per thread and shared_ops sets it only in the importing one.
        with self._lock, np.errstate(all="ignore"):
            values = self.executor.run(nodes, feeds, keep_all=trace)
            env = self.executor.env if trace else None
        results = unflatten(template, iter(values))
        if env is not None:
            return results, {n.name: v for n, v in env.items()}
        return results

    # -- fetches ----------------------------------------------------------------------------
    def _resolve_fetch(self, fetch: Any, where: SourceLocation | None) -> Node:
        if isinstance(fetch, str):
            if fetch in self.graph:
                return self.graph[fetch]
            raise FetchError("Session.run", f"unknown fetch {fetch!r}: the graph has no node "
                             f"of that name{_suggest(fetch, self.graph)}", location=where)
        if isinstance(fetch, Node):
            if fetch in self.graph:
                return fetch
            raise FetchError("Session.run", f"fetch %{fetch.name} belongs to another graph "
                             "than this session's", location=where)
        raise FetchError("Session.run", f"cannot fetch {type(fetch).__name__} {fetch!r}: "
                         "fetch nodes or node names (alone or in a list, tuple or dict)",
                         location=where)

    # -- feeds ------------------------------------------------------------------------------
    def _check_feeds(self, feed_dict: dict, where: SourceLocation | None) -> dict:
        feeds: dict[Node, np.ndarray] = {}
        for key, value in feed_dict.items():
            for k, v in _feed_pairs(key, value, where):
                node = self._resolve_feed_key(k, where)
                feeds[node] = _check_feed_value(node, v, where)
        return feeds

    def _resolve_feed_key(self, key: Any, where: SourceLocation | None) -> Node:
        if isinstance(key, str):
            if key not in self.graph:
                raise FeedError("Session.run", f"feed_dict key {key!r} names no node of the "
                                f"graph{_suggest(key, self.graph)}", location=where)
            key = self.graph[key]
        if not isinstance(key, Node) or key not in self.graph:
            raise FeedError("Session.run", f"feed_dict key {key!r} is not a node of this "
                            "session's graph", location=where)
        if key.op != "placeholder":
            raise FeedError("Session.run", f"cannot feed %{key.name}: it is a {key.op}, not a "
                            f"placeholder (defined at {format_location(key.location)}); "
                            "only placeholders take feeds", location=where)
        return key

    def _check_missing(self, fetches: list[Node], feeds: dict, where) -> None:
        key = (self.graph.version, tuple(id(f) for f in fetches))
        needed = self._inputs.get(key)
        if needed is None:
            needed = [n for n in required_nodes(self.graph, fetches) if n.op == "placeholder"]
            self._inputs.add(key, needed)
        missing = next((p for p in needed if p not in feeds), None)
        if missing is None:
            return
        # Only now, on the error path, find which fetch needs it (one walk per fetch).
        fetch = next(f for f in fetches if missing in required_nodes(self.graph, [f]))
        raise FeedError(
            "Session.run", f"placeholder %{missing.name} ({missing.aval}, defined at "
            f"{format_location(missing.location)}) needs a value: fetch %{fetch.name} "
            f"depends on it; pass feed_dict={{{missing.name}: ...}}", location=where)


def _check_feed_value(node: Node, value: Any, where) -> np.ndarray:
    defined = f"defined at {format_location(node.location)}"
    arr = np.asarray(value)
    # Before any copy or cast: a broadcast view of 10**12 elements costs nothing until then.
    limits.check_shape("Session.run", arr.shape, arr.dtype, location=where,
                       what=f"the value fed to placeholder %{node.name},")
    if arr.dtype != node.dtype:
        if not (arr.dtype.kind in "biuf" and np.can_cast(arr.dtype, node.dtype, "same_kind")):
            raise FeedError("Session.run", f"placeholder %{node.name} ({node.aval}, {defined}) "
                            f"was fed dtype {arr.dtype}", dtypes=(arr.dtype, node.dtype),
                            location=where)
        arr = arr.astype(node.dtype)
    ok = arr.ndim == node.ndim and all(
        d is None or d == s for d, s in zip(node.shape, arr.shape, strict=True))
    if not ok:
        raise FeedError("Session.run", f"placeholder %{node.name} expects shape "
                        f"{describe_shapes(node.shape)} ({defined}) but was fed shape "
                        f"{describe_shapes(arr.shape)}", shapes=(arr.shape, node.shape),
                        location=where)
    return arr


def _feed_pairs(key: Any, value: Any, where) -> list[tuple[Any, Any]]:
    """(placeholder or name, value) pairs of one feed, whose key may be a nested tuple."""
    if not isinstance(key, tuple):
        return [(key, value)]
    keys: list[Any] = []
    template = flatten(key, keys)
    values: list[Any] = []
    if not isinstance(value, list | tuple) or _nesting(flatten(value, values)) != \
            _nesting(template):
        raise FeedError("Session.run", f"feed_dict key {_brief(key)} is a structure of "
                        f"{len(keys)} placeholders; its value must have the same structure "
                        f"(a tuple of arrays), got {type(value).__name__}", location=where)
    return list(zip(keys, values, strict=True))


def _nesting(template: Any) -> Any:
    """A structure's template with tuples, lists and namedtuples alike."""
    if template is None or template[0] is type(None):
        return template
    kind, inner = template
    if kind is dict:
        return dict, tuple((k, _nesting(t)) for k, t in inner)
    return tuple, tuple(_nesting(t) for t in inner)


def _brief(value: Any) -> str:
    text = repr(value)
    return text if len(text) < 80 else text[:77] + "..."


def _suggest(name: str, graph: Graph) -> str:
    import difflib

    close = difflib.get_close_matches(name, [n.name for n in graph.nodes], n=3)
    return f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
