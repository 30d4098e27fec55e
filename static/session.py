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

import operator
import threading
from collections.abc import Callable
from typing import Any

import numpy as np

from shared_ops.errors import user_location

from .compiler.fast_call import ieee_now
from .errors import FeedError, FetchError
from .graph import Graph, Node, format_location, get_default_graph
from .interpreter import Interpreter, required_nodes
from .lru import LRU, MAX_STEPS
from .pytree import flatten, unflatten
from .session_feeds import FeedMemo, feed_pairs

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
        # Per graph version and fetch list: the fetched nodes and the placeholders they need
        # (checked every run); as bounded as the executor's steps, so a graph edited between
        # runs leaves no trail.
        self._inputs: LRU = LRU(MAX_STEPS, "max_steps")
        self._memo = FeedMemo()  # feeds that passed the whole check, by placeholder
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
        flat: list[Any] = []
        template = flatten(fetches, flat)
        nodes, needed = self._fetch_nodes(flat)
        feeds = self._check_feeds(feed_dict) if feed_dict else {}
        if needed:
            self._check_missing(nodes, needed, feeds)
        if not trace:
            return unflatten(template, iter(self._step(nodes, feeds)))
        with self._lock, np.errstate(all="ignore"):  # the env is read before another step
            values = self.executor.run(nodes, feeds, keep_all=True)
            env = {n.name: v for n, v in self.executor.env.items()}
        return unflatten(template, iter(values)), env

    def make_callable(self, fetches, feed_list=()) -> Callable[..., Any]:
        """A function running ``fetches`` with the values of ``feed_list`` given positionally,
        as TF1's ``Session.make_callable``: fetches and feed keys are resolved once, here.

            step = sess.make_callable([loss, train_op], [x, y])
            loss_value, _ = step(xb, yb)

        Each call checks its values as `run` does (errors name the caller's line).
        """
        flat: list[Any] = []
        template = flatten(fetches, flat)
        nodes, needed = self._fetch_nodes(flat)
        keys = [self._resolve_feed_key(k) for k in feed_list]
        if len(set(keys)) != len(keys):
            raise FeedError("Session.make_callable", "feed_list names a placeholder twice: "
                            + ", ".join(f"%{k.name}" for k in keys), location=user_location())
        check, version = self._memo.check, self.graph.version
        self._check_missing(nodes, needed, dict.fromkeys(keys))  # now, not at the first call

        def call(*values: Any) -> Any:
            if len(values) != len(keys):
                raise FeedError("Session.make_callable", f"this callable takes {len(keys)} "
                                f"feed values ({', '.join('%' + k.name for k in keys)}), "
                                f"got {len(values)}", location=user_location())
            feeds = {k: check(k, v) for k, v in zip(keys, values, strict=True)}
            if self.graph.version != version:  # nodes added or removed since: look again
                self._check_missing(nodes, self._fetch_nodes(flat)[1], feeds)
            return unflatten(template, iter(self._step(nodes, feeds)))

        return call

    def _step(self, nodes: list[Node], feeds: dict) -> list[Any]:
        # IEEE results (inf, nan) without warnings in any thread: NumPy's error state is per
        # thread and shared_ops sets it only in the importing one. A thread that ignores
        # errors already skips np.errstate, whose fresh state object each call would also
        # defeat the compiled step's own check (docs/PERFORMANCE.md).
        with self._lock:
            if ieee_now():
                return self.executor.run(nodes, feeds, keep_all=False)
            with np.errstate(all="ignore"):
                return self.executor.run(nodes, feeds, keep_all=False)

    # -- fetches ----------------------------------------------------------------------------
    def _fetch_nodes(self, flat: list[Any]) -> tuple[list[Node], list[Node]]:
        """The fetched nodes and the placeholders they need, remembered per graph version
        and fetch list (by identity: a fetch object is checked once, not on every run)."""
        key = (self.graph.version, *map(id, flat))
        hit = self._inputs.get(key)
        if hit is not None and all(map(operator.is_, hit[0], flat)):
            return hit[1], hit[2]
        nodes = [self._resolve_fetch(f) for f in flat]
        needed = [n for n in required_nodes(self.graph, nodes) if n.op == "placeholder"]
        # The objects are kept, so their ids cannot be reused by others while cached.
        self._inputs.add(key, (tuple(flat), nodes, needed))
        return nodes, needed

    def _resolve_fetch(self, fetch: Any) -> Node:
        if isinstance(fetch, str):
            if fetch in self.graph:
                return self.graph[fetch]
            raise FetchError("Session.run", f"unknown fetch {fetch!r}: the graph has no node "
                             f"of that name{_suggest(fetch, self.graph)}",
                             location=user_location())
        if isinstance(fetch, Node):
            if fetch in self.graph:
                return fetch
            raise FetchError("Session.run", f"fetch %{fetch.name} belongs to another graph "
                             "than this session's", location=user_location())
        raise FetchError("Session.run", f"cannot fetch {type(fetch).__name__} {fetch!r}: "
                         "fetch nodes or node names (alone or in a list, tuple or dict)",
                         location=user_location())

    # -- feeds ------------------------------------------------------------------------------
    def _check_feeds(self, feed_dict: dict) -> dict:
        feeds: dict[Node, np.ndarray] = {}
        check = self._memo.check
        for key, value in feed_dict.items():
            if type(key) is Node and key.graph is self.graph and key.op == "placeholder" \
                    and key in self.graph:
                feeds[key] = check(key, value)  # the common case: a placeholder of this graph
                continue
            for k, v in feed_pairs(key, value):
                node = self._resolve_feed_key(k)
                feeds[node] = check(node, v)
        return feeds

    def _resolve_feed_key(self, key: Any) -> Node:
        if isinstance(key, str):
            if key not in self.graph:
                raise FeedError("Session.run", f"feed_dict key {key!r} names no node of the "
                                f"graph{_suggest(key, self.graph)}", location=user_location())
            key = self.graph[key]
        if not isinstance(key, Node) or key not in self.graph:
            raise FeedError("Session.run", f"feed_dict key {key!r} is not a node of this "
                            "session's graph", location=user_location())
        if key.op != "placeholder":
            raise FeedError("Session.run", f"cannot feed %{key.name}: it is a {key.op}, not a "
                            f"placeholder (defined at {format_location(key.location)}); "
                            "only placeholders take feeds", location=user_location())
        return key

    def _check_missing(self, fetches: list[Node], needed: list[Node], feeds: dict) -> None:
        missing = next((p for p in needed if p not in feeds), None)
        if missing is None:
            return
        # Only now, on the error path, find which fetch needs it (one walk per fetch).
        fetch = next(f for f in fetches if missing in required_nodes(self.graph, [f]))
        raise FeedError(
            "Session.run", f"placeholder %{missing.name} ({missing.aval}, defined at "
            f"{format_location(missing.location)}) needs a value: fetch %{fetch.name} "
            f"depends on it; pass feed_dict={{{missing.name}: ...}}", location=user_location())


def _suggest(name: str, graph: Graph) -> str:
    import difflib

    close = difflib.get_close_matches(name, [n.name for n in graph.nodes], n=3)
    return f" (did you mean {', '.join(repr(c) for c in close)}?)" if close else ""
