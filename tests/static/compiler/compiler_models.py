"""Small static models shared by the compiler tests (each built fresh, seeded): the MLP is
the one `benchmarks/bench_static.py` times (`benchmarks.static_mlp`)."""

from __future__ import annotations

import numpy as np

import static
from benchmarks.static_mlp import mlp_graph


def mlp(sizes=(6, 5, 4, 3), *, optimizer="sgd", seed=0, loss="ce", linear=False):
    """An MLP with relu, a loss (softmax cross-entropy or sigmoid BCE) and a train op.

    Returns (graph, x, y, loss, train, logits)."""
    rng = np.random.default_rng(seed)
    weights = [((rng.standard_normal((a, b)) * 0.5).astype(np.float32),
                (rng.standard_normal(b) * 0.1).astype(np.float32))
               for a, b in zip(sizes[:-1], sizes[1:], strict=True)]
    if optimizer == "adam":
        opt = static.optim.Adam(1e-2)
    elif optimizer == "plain":  # SGD without momentum: fold_step_size applies
        opt = static.optim.SGD(0.1)
    else:
        opt = static.optim.SGD(0.1, momentum=0.9)
    return mlp_graph(weights, loss=loss, optimizer=opt, linear=linear)


def batch(x, y, n=8, seed=1):
    """Feeds for the placeholders of `mlp`."""
    rng = np.random.default_rng(seed)
    xb = rng.standard_normal((n,) + x.shape[1:]).astype(np.float32)
    if y.dtype.kind == "i":
        yb = rng.integers(0, 3, n)
    else:
        yb = (rng.random((n,) + y.shape[1:]) < 0.5).astype(np.float32)
    return xb, yb
