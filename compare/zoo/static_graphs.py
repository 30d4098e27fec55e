"""Static graphs built by hand (TF1 style), for the scale and leak tests and benchmarks.

Not zoo entries (they have no eager twin): builders that return the graph and its handles.

* `chain_graph`: alternately ``h * c`` and ``sin(h)``, then a sum; its size is the argument
  (tests/robustness grows it, benchmarks/bench_scale.py times it up to 100,000 nodes);
* `regression_mlp_graph`: a two-layer relu MLP, mean squared error and an Adam train op, for
  the training loops whose memory must stay flat;
* `folding_chain` and `reshape_chain`: chains the compiler collapses (every node folds into
  one constant; every reshape of reshape simplifies into one), so each rewrite merges the
  provenance of all before it: the compile-time scale tests and benchmark.

    >>> g, x, w, loss = chain_graph(4)
    >>> len(g.nodes)
    10
"""

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


def regression_mlp_graph(rng: np.random.Generator, sizes: tuple[int, int, int],
                         weight_scales: tuple[float, float], lr: float):
    """``mean((relu(x @ w1) @ w2 - y)^2)`` and ``Adam(lr)``'s train op; ``sizes`` are (inputs,
    hidden, outputs), each weight a standard normal draw from ``rng`` divided by its scale.
    Returns (graph, x, y, loss, train)."""
    features, hidden, outputs = sizes
    with static.Graph() as g:
        x = static.placeholder((None, features), name="x")
        y = static.placeholder((None, outputs), name="y")
        w1 = static.variable(rng.standard_normal((features, hidden)).astype(np.float32)
                             / weight_scales[0], name="w1")
        w2 = static.variable(rng.standard_normal((hidden, outputs)).astype(np.float32)
                             / weight_scales[1], name="w2")
        diff = static.matmul(static.relu(static.matmul(x, w1)), w2) - y
        loss = static.mean(diff * diff)
        train = static.optim.Adam(lr).minimize(loss)
    return g, x, y, loss, train


def folding_chain(n_ops: int):
    """``sum(x * c_n)`` where ``c_0`` is a constant and ``c_k`` alternately ``c_{k-1} * 1.0001``
    and ``sin(c_{k-1})``: about ``1.5 * n_ops`` nodes that `fold_constants` turns into one
    constant standing for all of them. Returns (graph, x, loss)."""
    with static.Graph() as g:
        x = static.placeholder((4, 3), name="x")
        h = static.constant(np.ones((4, 3), np.float32), name="c")
        for i in range(n_ops):
            h = static.sin(h) if i % 2 else h * 1.0001
        loss = static.sum(x * h)
    return g, x, loss


def reshape_chain(n_ops: int):
    """``sum(reshape(reshape(... x)))``: ``n_ops`` reshapes, alternately to (12,) and (3, 4),
    that `simplify` collapses one into the next (``reshape_reshape``). Returns (graph, x,
    loss)."""
    with static.Graph() as g:
        x = static.placeholder((4, 3), name="x")
        h = x
        for i in range(n_ops):
            h = static.reshape(h, shape=(12,) if i % 2 == 0 else (3, 4))
        loss = static.sum(h)
    return g, x, loss
