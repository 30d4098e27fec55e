"""Random state in a static graph: fresh dropout masks every step, reproducible from a seed.

A traced ``nn.Dropout`` must not bake one integer seed into the graph as a constant: every
training step would then drop the same elements. Instead each graph that draws randomness
gets one **generator state**, a non-trainable int64 variable ``%rng_state = [seed, counter]``,
and one **advance**, ``%rng_advance = assign(%rng_state, %rng_state + [0, 1])``. Every random
draw site ``k`` (the k-th dropout traced into the graph) takes its seed as
``fold_seed(%rng_advance, key=k)``: a hash of the *advanced* state and the site number.

    %rng_state: i64[2] = variable(trainable=False)
    %rng_step: i64[2] = constant()
    %rng_next: i64[2] = add(%rng_state, %rng_step)
    %rng_advance: i64[2] = assign(%rng_state, %rng_next)
    %fold_seed: i64[] = fold_seed(%rng_advance, key=0)
    %dropout_mask: f32[?,16] = dropout_mask(%relu, %fold_seed, p=0.5)

Why an assign that the seeds *read* (rather than a counter the executor bumps on the side):
a step that draws any mask computes ``%rng_advance``, so it also applies it, whatever was
fetched (a Session fetch list, a compiled step, a `Traced`'s effects): no executor needs to
know about randomness. Assignments land after the step, as for every variable, so all sites
of one step see the same counter, and the interpreter and the compiled executor, which share
those semantics, draw identical masks. The state is an ordinary variable: ``static.save``
stores its current value and a loaded graph goes on where it stopped.

Seeds: a new generator takes its seed from the static global seed (`manual_seed` without a
graph sets it; graphs made after that, in the same order, get the same seeds: reproducible
across runs and processes). ``manual_seed(n, graph)`` restarts one graph's sequence at
``[n, 0]``. Inside a control-flow body the seed is drawn in the enclosing graph, so every
iteration of one step shares the mask (as variational dropout does).
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

import shared_ops
from shared_ops import dtypes as dt
from shared_ops.aval import Aval
from shared_ops.errors import user_location

from .builder import assign, constant
from .graph import Graph, Node

_STATE, _ADVANCE = "state", "advance"  # node.meta["rng"] of the two nodes
_lock = threading.Lock()
# The static global seed and how many graph generators were made since it was set.
_global = {"seed": 0, "made": 0}


def manual_seed(seed: int, graph: Any = None) -> None:
    """Seed random draws (dropout masks) of static graphs, like ``torch.manual_seed``.

    Without ``graph``: graph generators created from now on (by tracing a training-mode
    dropout) start from seeds derived from ``seed``, in creation order. With ``graph`` (a
    `Graph` or a `Traced`): that graph's sequence restarts now from ``seed``.
    """
    seed = int(seed)
    if graph is None:
        with _lock:
            _global.update(seed=seed, made=0)
        return
    state = _state_of(_root(getattr(graph, "graph", graph)), create=True)
    state.value[...] = (seed, 0)


def rng_state(graph: Any) -> Node | None:
    """The generator-state variable of ``graph`` (or a `Traced`), or None if it draws nothing.

    Its value is ``[seed, counter]``; the counter counts the steps that drew masks.
    """
    return _state_of(_root(getattr(graph, "graph", graph)), create=False)


def graph_seed(x: Node) -> Node:
    """A seed node for a fresh draw in ``x``'s graph (the static mode's seed source)."""
    graph = x.graph
    root = _root(graph)
    advance = _advance_of(root)
    key = sum(1 for n in root.nodes if n.op == "fold_seed" and n.inputs[0] is advance)
    with root.as_default():
        seed = shared_ops.fold_seed(advance, key=key)
    return seed if graph is root else graph.lift(seed)


def _root(graph: Graph) -> Graph:
    """The outermost graph: a control-flow body's state lives in the graph it is nested in."""
    if not isinstance(graph, Graph):
        raise TypeError(f"expected a static Graph or Traced, got {type(graph).__name__}")
    while getattr(graph, "parent", None) is not None:
        graph = graph.parent
    return graph


def _find(graph: Graph, role: str) -> Node | None:
    return next((n for n in graph.nodes if n.meta.get("rng") == role), None)


def _state_of(graph: Graph, create: bool) -> Node | None:
    state = _find(graph, _STATE)
    if state is None and create:
        with _lock:
            made = _global["made"]
            _global["made"] = made + 1
            base = np.array([_global["seed"], made], dtype=np.int64)
        first = int(shared_ops.fold_seed(base, key=0))
        state = graph.add_node("variable", (), {"trainable": False}, Aval((2,), dt.int64),
                               name="rng_state", location=user_location(),
                               meta={"rng": _STATE}, value=np.array([first, 0], np.int64))
    return state


def _advance_of(graph: Graph) -> Node:
    """The graph's ``assign(%rng_state, %rng_state + [0, 1])``, made on first use."""
    advance = _find(graph, _ADVANCE)
    if advance is not None:
        return advance
    state = _state_of(graph, create=True)
    with graph.as_default():
        step = constant(np.array([0, 1], np.int64), name="rng_step", graph=graph)
        nxt = graph.rename(shared_ops.add(state, step), "rng_next")
        advance = assign(state, nxt, name="rng_advance")
    advance.meta["rng"] = _ADVANCE
    return advance


shared_ops.register_seed_source("static", graph_seed)
