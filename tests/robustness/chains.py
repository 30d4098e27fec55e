"""The chain graph the scale tests grow: alternately ``h * c`` and ``sin(h)``, then a sum."""

from __future__ import annotations

import numpy as np

import static


def chain_graph(n_ops: int):
    """A graph of about ``3 * n_ops`` nodes: alternately ``h * c`` (with its constant) and
    ``sin(h)``, then a sum; returns (graph, x, w, loss)."""
    g = static.Graph()
    with g:
        x = static.placeholder((4,), name="x")
        w = static.variable(np.ones(4, np.float32), name="w")
        h = x * w
        for i in range(n_ops):
            h = static.sin(h) if i % 2 else h * 1.0001
        loss = static.sum(h)
    return g, x, w, loss
