"""The static MLP of `bench_static.py` and of the compiler tests (one definition: the tests
compile the graph the benchmark times): a relu MLP over given weights, built TF1 style.

    >>> import numpy as np
    >>> weights = [(np.ones((3, 2), np.float32), np.zeros(2, np.float32))]
    >>> g, x, y, loss, train, logits = mlp_graph(weights, loss="bce")
    >>> logits.shape, y.shape, train is None
    ((None, 2), (None, 2), True)
"""

from __future__ import annotations

import numpy as np

import shared_ops as ops
import static


def mlp_graph(weights, *, loss: str | None = "ce", optimizer=None, linear: bool = False):
    """Placeholders ``x`` (features) and ``y`` (class indices for ``loss="ce"``, else targets
    of the last layer's width), then ``h @ w + b`` a layer (``linear``: ``ops.linear``) with a
    relu between layers. ``weights`` are ``(w (in, out), b)`` pairs of arrays, the variables
    ``fc{k}.weight`` and ``fc{k}.bias``. ``loss``: ``"ce"`` (softmax cross-entropy),
    ``"bce_logits"``, ``"bce"`` (sigmoid, then BCE) or None (no loss: an inference graph).
    ``optimizer`` (a ``static.optim`` optimizer) minimizes the loss.

    Returns (graph, x, y, loss, train op, logits); absent parts are None."""
    sizes = [weights[0][0].shape[0]] + [w.shape[1] for w, _ in weights]
    with static.Graph() as g:
        x = static.placeholder((None, sizes[0]), name="x")
        if loss == "ce":
            y = static.placeholder((None,), dtype=np.int64, name="y")
        else:
            y = static.placeholder((None, sizes[-1]), name="y")
        h = x
        for k, (w_value, b_value) in enumerate(weights):
            w = static.variable(w_value, name=f"fc{k}.weight")
            b = static.variable(b_value, name=f"fc{k}.bias")
            h = ops.linear(h, ops.transpose(w), b) if linear else h @ w + b
            if k < len(weights) - 1:
                h = ops.relu(h)
        out = train = None
        if loss == "ce":
            out = ops.cross_entropy(h, y)
        elif loss == "bce_logits":
            out = ops.binary_cross_entropy_with_logits(h, y)
        elif loss == "bce":
            out = ops.binary_cross_entropy(ops.sigmoid(h), y)
        if optimizer is not None:
            train = optimizer.minimize(out)
    return g, x, (y if loss is not None else None), out, train, h
