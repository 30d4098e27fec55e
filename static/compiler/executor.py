"""`CompiledExecutor`: the compiler as a `Session` executor.

    static.register_executor("compiled", CompiledExecutor)
    sess = static.Session(graph, executor="compiled")

The Session calls ``run(fetches, feeds, keep_all)``; each distinct fetch list is compiled once
(cached) with the fed placeholders as inputs. ``keep_all=True`` (``Session.run(trace=True)``)
wants every intermediate value, which only the node-by-node interpreter keeps: that call runs
on the `Interpreter` instead.

A cached step is reused only while the graph is unchanged: ``graph.version`` catches added and
removed nodes, and a snapshot of each needed node's op, inputs, attrs and aval catches edits
made in place (``node.attrs["keepdims"] = True``), which bump no version. Checking it costs
one pass over the step's nodes per run. Steps of an older graph version can never be used
again and are dropped as soon as the version changes; of the others at most ``max_steps``
are kept (default `static.lru.MAX_STEPS`, 64; ``Session(g, max_steps=...)``), the least
recently used going first. ``on_evict(kind, what, bound)``, when set, hears of every step
(``"step"``, its fetches) and plan (``"plan"``, its feed signature) evicted for want of room,
and of the bound hit (``"max_plans=64"``).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import numpy as np

from ..graph import Graph, Node
from ..interpreter import Interpreter, required_nodes
from ..lru import LRU, MAX_PLANS, MAX_STEPS, check_limit
from .api import compile
from .compiled import Compiled


class CompiledExecutor:
    """Runs Session steps through `static.compile`, one compiled step per fetch list."""

    def __init__(self, graph: Graph, max_steps: int = MAX_STEPS, **compile_options: Any):
        self.graph = graph
        check_limit(compile_options.get("max_plans", MAX_PLANS), "max_plans")  # now, not at run
        self.options = compile_options
        # (graph version, fetches, inputs) -> the step, and the snapshot of the nodes it was
        # built from.
        self.compiled: LRU = LRU(max_steps, "max_steps")
        self._built_from: dict[tuple, list[tuple]] = {}
        self._version = graph.version  # the version every key of `compiled` has
        # The eviction listener, in a cell the plan caches share: they hold the cell, not
        # the executor, so no cycle keeps a dropped Session's plans for the collector.
        self._listener: list[Callable[[str, str, str], Any] | None] = [None]
        self.env: dict[Node, Any] = {}

    @property
    def on_evict(self) -> Callable[[str, str, str], Any] | None:
        return self._listener[0]

    @on_evict.setter
    def on_evict(self, listener: Callable[[str, str, str], Any] | None) -> None:
        self._listener[0] = listener

    def run(self, fetches: list[Node], feeds: dict[Node, np.ndarray],
            keep_all: bool = False) -> list[Any]:
        """The values of ``fetches``; variable updates are applied in place, after the step."""
        if keep_all:
            interp = Interpreter(self.graph)
            values = interp.run(fetches, feeds, keep_all=True)
            self.env = interp.env
            return values
        inputs = sorted(feeds, key=lambda p: p.name)
        # The graph's version: a graph mutated after compiling gets a fresh plan, never a stale one.
        key = (self.graph.version, tuple(fetches), tuple(inputs))
        step = self.compiled.get(key)
        if step is None or not _unchanged(self._built_from[key]):
            step = self._compile(key, fetches, inputs)
        self.env = {}
        return step(*(feeds[p] for p in inputs))

    def _compile(self, key: tuple, fetches: list[Node], inputs: list[Node]) -> Compiled:
        if self._version != self.graph.version:  # every cached step is stale: free them now
            self.compiled.clear()
            self._built_from.clear()
            self._version = self.graph.version
        step = compile(self.graph, list(fetches), inputs, **self.options)
        step.cache.on_evict = functools.partial(_tell, self._listener, "plan")
        for old, _ in self.compiled.add(key, step):
            del self._built_from[old]
            _tell(self._listener, "step", "fetches " + ", ".join(f"%{f.name}" for f in old[1]),
                  f"max_steps={self.compiled.limit}")
        self._built_from[key] = _snapshot(required_nodes(self.graph, fetches))
        return step


def _tell(listener: list, kind: str, what: str, bound: str) -> None:
    if listener[0] is not None:
        listener[0](kind, what, bound)


def _snapshot(nodes: list[Node]) -> list[tuple]:
    """What a compiled step was built from: each node with its op, inputs, attrs and aval."""
    return [(n, n.op, n.inputs, dict(n.attrs), n.aval) for n in nodes]


def _unchanged(snapshot: list[tuple]) -> bool:
    """Does every node still look as it did when the step was compiled?"""
    return all(n.op == op and n.inputs is inputs and n.attrs == attrs and n.aval == aval
               for n, op, inputs, attrs, aval in snapshot)
