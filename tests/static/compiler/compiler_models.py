"""Small static models shared by the compiler tests (each built fresh, seeded)."""

from __future__ import annotations

import numpy as np

import shared_ops as ops
import static


def mlp(sizes=(6, 5, 4, 3), *, optimizer="sgd", seed=0, loss="ce", linear=False):
    """An MLP with relu, a loss (softmax cross-entropy or sigmoid BCE) and a train op.

    Returns (graph, x, y, loss, train, logits)."""
    rng = np.random.default_rng(seed)
    g = static.Graph()
    with g:
        x = static.placeholder((None, sizes[0]), name="x")
        if loss == "ce":
            y = static.placeholder((None,), dtype=np.int64, name="y")
        else:
            y = static.placeholder((None, sizes[-1]), name="y")
        h = x
        for k, (a, b) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
            w = static.variable((rng.standard_normal((a, b)) * 0.5).astype(np.float32),
                                name=f"fc{k}.weight")
            bias = static.variable((rng.standard_normal(b) * 0.1).astype(np.float32),
                                   name=f"fc{k}.bias")
            h = ops.linear(h, ops.transpose(w), bias) if linear else h @ w + bias
            if k < len(sizes) - 2:
                h = ops.relu(h)
        if loss == "ce":
            out = ops.cross_entropy(h, y)
        elif loss == "bce_logits":
            out = ops.binary_cross_entropy_with_logits(h, y)
        else:
            out = ops.binary_cross_entropy(ops.sigmoid(h), y)
        if optimizer == "adam":
            opt = static.optim.Adam(1e-2)
        elif optimizer == "plain":  # SGD without momentum: fold_step_size applies
            opt = static.optim.SGD(0.1)
        else:
            opt = static.optim.SGD(0.1, momentum=0.9)
        train = opt.minimize(out)
    return g, x, y, out, train, h


def batch(x, y, n=8, seed=1):
    """Feeds for the placeholders of `mlp`."""
    rng = np.random.default_rng(seed)
    xb = rng.standard_normal((n,) + x.shape[1:]).astype(np.float32)
    if y.dtype.kind == "i":
        yb = rng.integers(0, 3, n)
    else:
        yb = (rng.random((n,) + y.shape[1:]) < 0.5).astype(np.float32)
    return xb, yb
