"""`static.function` is safe (issue 17 point 3): parameters it reads are captured by reference,
so training in either mode is seen by the other, without a retrace."""

import warnings

import numpy as np
import pytest

import eager
import eager.nn as nn
import static


class Net(nn.Module):
    def __init__(self, outputs: int = 2):
        super().__init__()
        self.fc = nn.Linear(3, outputs)

    def forward(self, x):
        return self.fc(x)

    @static.function
    def score(self, x):
        return (x @ self.fc.weight.t()).sum()


X = np.arange(6, dtype=np.float32).reshape(2, 3) / 6


def eager_score(net):
    return float((eager.tensor(X) @ net.fc.weight.t()).sum())


def test_a_method_sees_eager_training_without_retracing():
    eager.manual_seed(0)
    net = Net()
    np.testing.assert_allclose(net.score(X), eager_score(net), rtol=1e-6)
    opt = eager.optim.SGD(net.parameters(), lr=0.5)
    net(eager.tensor(X)).pow(2).sum().backward()
    before = eager_score(net)
    opt.step()
    assert eager_score(net) != pytest.approx(before)
    np.testing.assert_allclose(net.score(X), eager_score(net), rtol=1e-6)
    assert net.score.ledger.traces == 1


def test_a_closure_over_a_module_is_captured_and_static_training_is_seen_by_eager():
    eager.manual_seed(1)
    model = nn.Linear(3, 1)
    y = np.ones((2, 1), np.float32)

    @static.function
    def train_step(x, y):
        loss = ((model(x) - y) ** 2).mean()
        static.optim.SGD(0.1).minimize(loss)
        return loss

    w0 = model.weight.detach().numpy().copy()
    first = train_step(X, y)
    assert not np.allclose(model.weight.detach().numpy(), w0)  # the eager Module was trained
    want = float(((model(eager.tensor(X)) - eager.tensor(y)) ** 2).mean())
    np.testing.assert_allclose(train_step(X, y), want, rtol=1e-6)
    assert train_step(X, y) < first
    # An eager update in place is seen too, with no retrace.
    with eager.no_grad():
        model.bias.add_(10.0)
    want = float(((model(eager.tensor(X)) - eager.tensor(y)) ** 2).mean())
    np.testing.assert_allclose(train_step(X, y), want, rtol=1e-5)
    assert train_step.ledger.traces == 1
    assert train_step.ledger.captured == ["model.weight", "model.bias"]
    assert "captured by reference: model.weight, model.bias" in str(train_step.ledger)


def test_a_global_numpy_array_is_read_live():
    @static.function
    def scaled(x):
        return x * SCALE

    SCALE[:] = 2.0
    np.testing.assert_allclose(scaled(X), X * 2)
    SCALE[:] = 3.0
    np.testing.assert_allclose(scaled(X), X * 3)


SCALE = np.ones(3, np.float32)


class CopyingArray:
    """An array-like whose np.asarray() is a new copy each time: it cannot be shared."""

    shape, dtype = (3,), np.dtype(np.float32)

    def __array__(self, dtype=None, copy=None):
        return np.full(3, 5.0, np.float32)


def test_a_value_that_must_be_frozen_warns_once_naming_it():
    frozen = CopyingArray()

    @static.function
    def f(x):
        return x + np.asarray(frozen)

    with pytest.warns(UserWarning, match="'frozen'.*baked into the trace as a constant"):
        np.testing.assert_allclose(f(X), X + 5)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        f(X[:1])  # a retrace: no second warning
    assert f.ledger.frozen == {"frozen": "CopyingArray whose np.asarray() is a copy"}
    assert "frozen as a constant: frozen" in str(f.ledger)


def test_a_parameter_given_a_new_array_retraces_with_the_reason():
    eager.manual_seed(2)
    net = Net()
    net.score(X)
    net.fc.weight.data = eager.zeros(2, 3)
    assert net.score(X) == 0.0
    assert net.score.ledger.traces == 2
    assert "fc.weight was given a new array" in net.score.ledger.records[1].reason


class Trainable(Net):
    @static.function
    def train_step(self, x, y):
        loss = ((x @ self.fc.weight.t() + self.fc.bias - y) ** 2).mean()
        static.optim.SGD(0.5).minimize(loss)
        return loss


def test_a_methods_static_optimizer_trains_the_module_eager_sees():
    eager.manual_seed(3)
    net = Trainable(outputs=1)
    y = np.ones((2, 1), np.float32)
    w0 = net.fc.weight.detach().numpy().copy()
    net.train_step(X, y)
    assert not np.allclose(net.fc.weight.detach().numpy(), w0)
    eager_loss = float(((net(eager.tensor(X)) - eager.tensor(y)) ** 2).mean())
    # The next static step starts from the weights eager sees: its loss is eager's.
    np.testing.assert_allclose(net.train_step(X, y), eager_loss, rtol=1e-6)
    assert net.train_step.ledger.traces == 1


class Trainer:
    def __init__(self):
        self.model = nn.Linear(3, 2)


TRAINER = Trainer()


def test_a_module_one_attribute_into_a_global_object_is_captured():
    @static.function
    def predict(x):
        return TRAINER.model(x)

    predict(X)
    with eager.no_grad():
        TRAINER.model.weight.mul_(2.0)
    np.testing.assert_allclose(predict(X), TRAINER.model(eager.tensor(X)).detach().numpy(),
                               rtol=1e-6)
    assert predict.ledger.captured == ["TRAINER.model.weight", "TRAINER.model.bias"]


def test_trace_of_a_plain_function_reads_its_closure_module_live():
    eager.manual_seed(4)
    model = nn.Linear(3, 2)
    traced = static.trace(lambda x: model(x).sum(), static.TensorSpec((None, 3)))
    assert [v.name for v in traced.variables] == ["weight", "bias"]
    with eager.no_grad():
        model.weight.mul_(3.0)
    np.testing.assert_allclose(traced(X), float(model(eager.tensor(X)).sum()), rtol=1e-6)
