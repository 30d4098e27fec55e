"""The recurrent layers traced into static graphs: an unrolled loop when the number of steps
is known, a ``scan`` when it is not; outputs and gradients equal eager mode's."""

import numpy as np
import pytest

import eager
import eager.nn as nn
import static
from static.tracing import trace

T, B, F, H = 5, 3, 4, 3
LENGTHS = np.array([5, 2, 4])


def build(model, steps, with_lengths):
    """Graph: outputs, final h and the gradients of a scalar loss wrt every parameter."""
    with static.Graph() as g:
        x = static.placeholder((None, steps, F), np.float64, name="x")
        lengths = static.placeholder((None,), np.int64, name="lengths") if with_lengths \
            else None
        out, state = trace(model, x, lengths=lengths)
        h = state[0] if isinstance(state, tuple) else state
        loss = static.sum(out * out) + static.sum(h)
        grads = static.gradients(loss, list(g.variables(trainable=True)))
    return g, x, lengths, [out, h, *grads]


def eager_reference(model, x, lengths):
    out, state = model(eager.tensor(x), lengths=lengths)
    h = state[0] if isinstance(state, tuple) else state
    ((out * out).sum() + h.sum()).backward()
    return [np.asarray(out.detach()), np.asarray(h.detach()),
            *(np.asarray(p.grad) for p in model.parameters())]


@pytest.mark.parametrize("kind", ["RNN", "GRU", "LSTM"])
@pytest.mark.parametrize("with_lengths", [False, True], ids=["full", "lengths"])
@pytest.mark.parametrize("steps", [T, None], ids=["unrolled", "scan"])
def test_static_layer_matches_eager(kind, with_lengths, steps):
    if steps is None:
        pytest.importorskip("static.control_flow")  # scan over an unknown number of steps
    eager.manual_seed(0)
    model = getattr(nn, kind)(F, H, num_layers=2, batch_first=True, dtype=eager.float64)
    x = np.random.default_rng(0).standard_normal((B, T, F))
    lengths = LENGTHS if with_lengths else None
    g, xp, lp, fetches = build(model, steps, with_lengths)
    feeds = {xp: x} if lp is None else {xp: x, lp: lengths}
    got = static.Session(g).run(fetches, feeds)
    expected = eager_reference(model, x, lengths)
    assert len(got) == len(expected) == 2 + len(list(model.parameters()))
    for a, b in zip(got, expected, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


def test_unrolled_graph_grows_with_the_length():
    model = nn.GRU(F, H, batch_first=True, dtype=eager.float64)
    sizes = [len(build(model, n, True)[0].nodes) for n in (2, 4)]
    assert sizes[1] > sizes[0]
