"""Acceptance: a GRU sequence classifier on sequences of lengths 5..50 trains eagerly and as a
traced static step to the same parameters (1e-6, float64) under each shape policy, and each
policy traces as often as it promises: ``exact`` once per distinct length, ``dynamic`` once,
``buckets`` once per bucket used."""

import numpy as np
import pytest

import eager
import shared_ops as ops
import static
from compare.zoo.gru_seq import GRULayerClassifier
from static.tracing import trace

LR, B, FEATURES, HIDDEN = 0.5, 3, 3, 6
MAX_LENGTHS = [5, 12, 23, 12, 50, 31]  # one batch each; 12 repeats (a cache hit)
BUCKETS = [16, 32, 64]


def make_model() -> GRULayerClassifier:
    return GRULayerClassifier(FEATURES, HIDDEN, dtype=eager.float64)


def batches():
    rng = np.random.default_rng(0)
    for t in MAX_LENGTHS:
        lengths = rng.integers(5, t + 1, size=B)
        lengths[0] = t  # the batch is padded to its longest sequence
        x = rng.standard_normal((B, t, FEATURES))
        for b, n in enumerate(lengths):
            x[b, n:] = 0.0
        y = (x[:, :, 0].sum(axis=1) > 0).astype(np.int64)
        yield x, y, lengths


def twins():
    eager.manual_seed(0)
    a, b = make_model(), make_model()
    b.load_state_dict(a.state_dict())
    return a, b


def params(model):
    return {n: np.asarray(p).copy() for n, p in model.named_parameters()}


def train_eagerly(model):
    opt = eager.optim.SGD(model.parameters(), lr=LR)
    losses = []
    for x, y, lengths in batches():
        opt.zero_grad()
        loss = ops.cross_entropy(model(eager.tensor(x), lengths=lengths), eager.tensor(y))
        loss.backward()
        opt.step()
        losses.append(float(np.asarray(loss)))
    return losses


def static_step(model, policy):
    @static.function(shape_policy=policy)
    def step(x, y, lengths):
        loss = ops.cross_entropy(trace(model, x, lengths=lengths), y)
        static.optim.SGD(lr=LR).minimize(loss)
        return loss
    return step


POLICIES = {
    "exact": ("exact", len(set(MAX_LENGTHS))),
    "dynamic": ("dynamic", 1),
    "buckets": (static.Buckets(BUCKETS, axis=1), 3),
}


@pytest.fixture(scope="module")
def trained_eagerly():
    model, _ = twins()
    losses = train_eagerly(model)
    return params(model), losses


@pytest.mark.parametrize("name", list(POLICIES))
def test_policy_trains_like_eager_and_counts_its_traces(name, trained_eagerly):
    expected, eager_losses = trained_eagerly
    policy, traces = POLICIES[name]
    if name == "dynamic":
        pytest.importorskip("static.control_flow")  # scan over an unknown number of steps
    _, model = twins()
    initial = params(model)
    step = static_step(model, policy)
    losses = [float(step(x, y, lengths)) for x, y, lengths in batches()]
    np.testing.assert_allclose(losses, eager_losses, rtol=0, atol=1e-9)
    got = params(model)
    for n in expected:
        assert not np.allclose(got[n], initial[n]), f"{n} was not trained"
        np.testing.assert_allclose(got[n], expected[n], rtol=0, atol=1e-6, err_msg=n)
    assert step.ledger.traces == traces
    assert step.ledger.calls == len(MAX_LENGTHS)
    assert step.ledger.hits == len(MAX_LENGTHS) - traces
