"""Acceptance: the seed's SimpleNet (10-5-1), written as an eager Module, traced into a static
graph and trained there ends with the same parameters as eager training, and the weights that
change are the Module's own."""

import numpy as np
import pytest

import shared_ops as ops
import static
from benchmarks.torch_style_models import Gated
from compare.zoo.simplenet import SimpleNet
from static.trace_cache import function
from static.tracing import TensorSpec, trace

eager = pytest.importorskip("eager")
nn = pytest.importorskip("eager.nn")

STEPS, BATCH, LR = 20, 8, 0.5


def bce_with_logits(z, y):
    """Stable mean BCE on logits, from primitives: runs on eager Tensors and on static Nodes."""
    return ops.mean(ops.add(ops.sub(ops.relu(z), ops.mul(z, y)),
                            ops.log1p(ops.exp(ops.neg(ops.abs(z))))))


def sigmoid_bce(z, y):
    """Sigmoid, then BCE on probabilities (the seed's other formulation)."""
    p = ops.sigmoid(z)
    return ops.neg(ops.mean(ops.add(ops.mul(y, ops.log(p)),
                                    ops.mul(ops.sub(1.0, y), ops.log(ops.sub(1.0, p))))))


def data():
    rng = np.random.default_rng(42)
    x = rng.standard_normal((64, 10))
    y = (x[:, :1] + 0.5 * x[:, 1:2] > 0).astype(np.float64)
    return x, y


def batches():
    x, y = data()
    for step in range(STEPS):
        rows = np.arange(step * BATCH, step * BATCH + BATCH) % len(x)
        yield x[rows], y[rows]


def twin_models():
    eager.manual_seed(0)
    a = SimpleNet().double()
    b = SimpleNet().double()
    b.load_state_dict(a.state_dict())
    return a, b


def params(model):
    return {name: np.asarray(p).copy() for name, p in model.named_parameters()}


def train_eagerly(model, loss_fn) -> list[float]:
    opt = eager.optim.SGD(model.parameters(), lr=LR)
    losses = []
    for xb, yb in batches():
        opt.zero_grad()
        loss = loss_fn(model(eager.tensor(xb)), eager.tensor(yb))
        loss.backward()
        opt.step()
        losses.append(float(np.asarray(loss)))
    return losses


def assert_same_training(static_model, eager_model, initial):
    expected, got = params(eager_model), params(static_model)
    assert got.keys() == expected.keys() == initial.keys()
    for name in expected:
        assert not np.allclose(got[name], initial[name]), f"{name} was not trained"
        np.testing.assert_allclose(got[name], expected[name], rtol=0, atol=1e-6, err_msg=name)


@pytest.mark.parametrize("loss_fn", [bce_with_logits, sigmoid_bce])
def test_traced_module_trains_like_eager(loss_fn):
    eager_model, static_model = twin_models()
    initial = params(static_model)
    train_eagerly(eager_model, loss_fn)

    with static.Graph() as g:
        x = static.placeholder((None, 10), np.float64, name="x")
        y = static.placeholder((None, 1), np.float64, name="y")
        loss = loss_fn(trace(static_model, x), y)
        train = static.optim.SGD(lr=LR).minimize(loss)
    sess = static.Session(g)
    for xb, yb in batches():
        sess.run(train, {x: xb, y: yb})

    storage = dict(static_model.named_parameters())
    for var in g.variables(trainable=True):
        assert np.shares_memory(var.value, np.asarray(storage[var.name]))
    assert_same_training(static_model, eager_model, initial)


def test_function_training_step_runs_its_updates_and_trains_like_eager():
    eager_model, static_model = twin_models()
    initial = params(static_model)
    eager_losses = train_eagerly(eager_model, bce_with_logits)

    @function
    def step(x, y):
        loss = bce_with_logits(trace(static_model, x), y)  # trace captures the parameters
        static.optim.SGD(lr=LR).minimize(loss)  # an update made while tracing runs every call
        return loss

    losses = [float(step(xb, yb)) for xb, yb in batches()]
    np.testing.assert_allclose(losses, eager_losses, rtol=0, atol=1e-9)
    assert_same_training(static_model, eager_model, initial)
    assert (step.ledger.traces, step.ledger.hits) == (1, STEPS - 1)
    assert [n.op for n in step.get_concrete_function(*next(batches())).effects] == ["group"]


def test_function_of_the_module_matches_eager_forward_after_training():
    eager_model, static_model = twin_models()
    f = function(static_model, input_signature=[TensorSpec((None, 10), np.float64)])
    x, _ = data()
    np.testing.assert_allclose(f(x), np.asarray(eager_model(eager.tensor(x))), atol=1e-12)
    # Train the Module eagerly: the cached graph reads the same storage, so it follows.
    opt = eager.optim.SGD(static_model.parameters(), lr=LR)
    for xb, yb in batches():
        opt.zero_grad()
        bce_with_logits(static_model(eager.tensor(xb)), eager.tensor(yb)).backward()
        opt.step()
    expected = np.asarray(static_model(eager.tensor(x)))
    np.testing.assert_allclose(f(x[:7]), expected[:7], atol=1e-12)
    assert (f.ledger.traces, f.ledger.hits) == (1, 1)


def test_branching_in_a_module_fails_to_trace_naming_its_line():
    model = Gated()
    x = np.ones((2, 3), np.float32)
    model(eager.tensor(x))  # eager mode runs it
    line = Gated.forward.__code__.co_firstlineno + 2
    with pytest.raises(TypeError, match=rf"at (\S+/)?torch_style_models.py:{line} in forward; "
                                        r"Python `if`/`while`/`and`/`or` cannot branch on it\. "
                                        r"Use static.cond / static.where .*or run the code in "
                                        r"eager mode") as info:
        function(model)(x)
    assert info.value.__notes__ == ["(raised while tracing Gated into a static graph)"]


class Decorated(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 2)

    @function
    def forward(self, x):
        return ops.tanh(self.fc(x))


def test_function_decorating_a_method_traces_per_instance_with_its_parameters():
    a, b = Decorated(), Decorated()
    x = np.ones((4, 3), np.float32)
    for model in (a, b, a):
        expected = np.tanh(x @ np.asarray(model.fc.weight).T + np.asarray(model.fc.bias))
        np.testing.assert_allclose(model(x), expected, rtol=1e-6)
    assert a.forward is a.forward and a.forward is not b.forward
    assert (a.forward.ledger.traces, a.forward.ledger.hits) == (1, 1)
    graph = a.forward.get_concrete_function(x).graph
    assert graph["fc.weight"].value is np.asarray(a.fc.weight)
    assert repr(a.forward) == "<static.function Decorated.forward: 1 traces>"
