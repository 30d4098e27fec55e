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
one pass over the step's nodes per run.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..graph import Graph, Node
from ..interpreter import Interpreter, required_nodes
from .api import compile
from .compiled import Compiled


class CompiledExecutor:
    """Runs Session steps through `static.compile`, one compiled step per fetch list."""

    def __init__(self, graph: Graph, **compile_options: Any):
        self.graph = graph
        self.options = compile_options
        self.compiled: dict[tuple, Compiled] = {}
        # Per key of ``compiled``: the snapshot of the nodes its step was built from.
        self._built_from: dict[tuple, list[tuple]] = {}
        self.env: dict[Node, Any] = {}

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
            step = self.compiled[key] = compile(self.graph, list(fetches), inputs,
                                                **self.options)
            self._built_from[key] = _snapshot(required_nodes(self.graph, fetches))
        self.env = {}
        return step(*(feeds[p] for p in inputs))


def _snapshot(nodes: list[Node]) -> list[tuple]:
    """What a compiled step was built from: each node with its op, inputs, attrs and aval."""
    return [(n, n.op, n.inputs, dict(n.attrs), n.aval) for n in nodes]


def _unchanged(snapshot: list[tuple]) -> bool:
    """Does every node still look as it did when the step was compiled?"""
    return all(n.op == op and n.inputs is inputs and n.attrs == attrs and n.aval == aval
               for n, op, inputs, attrs, aval in snapshot)
