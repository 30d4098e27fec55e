"""`CompiledExecutor`: the compiler as a `Session` executor.

    static.register_executor("compiled", CompiledExecutor)
    sess = static.Session(graph, executor="compiled")

The Session calls ``run(fetches, feeds, keep_all)``; each distinct fetch list is compiled once
(cached) with the fed placeholders as inputs. ``keep_all=True`` (``Session.run(trace=True)``)
wants every intermediate value, which only the node-by-node interpreter keeps: that call runs
on the `Interpreter` instead.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..graph import Graph, Node
from ..interpreter import Interpreter
from .api import compile
from .compiled import Compiled


class CompiledExecutor:
    """Runs Session steps through `static.compile`, one compiled step per fetch list."""

    def __init__(self, graph: Graph, **compile_options: Any):
        self.graph = graph
        self.options = compile_options
        self.compiled: dict[tuple, Compiled] = {}
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
        if step is None:
            step = self.compiled[key] = compile(self.graph, list(fetches), inputs,
                                                **self.options)
        self.env = {}
        return step(*(feeds[p] for p in inputs))
