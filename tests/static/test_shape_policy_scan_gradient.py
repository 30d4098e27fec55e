"""A GRU over an unknown number of steps (the "dynamic" shape policy's scan) trained compiled:
the forward loop runs once, not twice (the gradient's residual scan is folded into it), and
the loss and gradients equal the interpreter's and eager's at several lengths."""

import numpy as np
import pytest

import eager
import shared_ops as ops
import static
from compare.zoo.gru_seq import GRULayerClassifier
from static.control_flow.optimize import merge_residual_scans
from static.tracing import trace

FEATURES, HIDDEN, BATCH = 3, 5, 4


def training_graph():
    eager.manual_seed(0)
    model = GRULayerClassifier(FEATURES, HIDDEN, dtype=eager.float64)
    with static.Graph() as g:
        x = static.placeholder((None, None, FEATURES), np.float64, name="x")
        lengths = static.placeholder((None,), np.int64, name="lengths")
        y = static.placeholder((None,), np.int64, name="y")
        loss = ops.cross_entropy(trace(model, x, lengths=lengths), y)
        params = list(model.parameters())
        grads = static.gradients(loss, [g.variables()[k] for k in range(len(params))])
    return model, g, (x, lengths, y), [loss, *grads]


def batch(steps: int, seed: int):
    rng = np.random.default_rng(seed)
    lengths = rng.integers(1, steps + 1, size=BATCH)
    lengths[0] = steps
    x = rng.standard_normal((BATCH, steps, FEATURES))
    x[np.arange(steps) >= lengths[:, None]] = 0.0
    return x, lengths, rng.integers(0, 2, size=BATCH)


def test_the_forward_loop_runs_once_in_the_compiled_step():
    _, g, feeds, fetches = training_graph()
    assert [n.op for n in g.nodes].count("scan") == 3  # forward, residual, backward
    step = static.compile(g, fetches, list(feeds))
    step(*batch(6, 0))
    assert step.source.count("\ndef do_scan") == 2  # the residual scan was folded
    assert sum(n.op == "scan" for n in step.graph.nodes) == 2


@pytest.mark.parametrize("steps", [1, 4, 9])
def test_compiled_equals_interpreter_and_eager(steps):
    model, g, feeds, fetches = training_graph()
    compiled = static.compile(g, fetches, list(feeds))
    interpreted = static.compile(g, fetches, list(feeds), executor="interpret")
    x, lengths, y = batch(steps, steps)
    got, want = compiled(x, lengths, y), interpreted(x, lengths, y)
    for a, b in zip(got, want, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-12)
    loss = ops.cross_entropy(model(eager.tensor(x), lengths=lengths), eager.tensor(y))
    loss.backward()
    np.testing.assert_allclose(got[0], loss.item(), rtol=1e-12)
    for g_static, p in zip(got[1:], model.parameters(), strict=True):
        np.testing.assert_allclose(g_static, p.grad.numpy(), rtol=1e-9, atol=1e-12)


def test_a_residual_whose_forward_is_gone_stays():
    _, g, _, _ = training_graph()
    residual = next(n for n in g.nodes if n.op == "scan" and "residual_of" in n.meta)
    residual.meta["residual_of"] = "gone"  # no forward scan carries this token
    assert merge_residual_scans(g) == 0
    assert residual in g.nodes
