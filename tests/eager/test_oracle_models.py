"""eager.nn + eager.optim against PyTorch: same models, same weights, same data.

For an MLP, a small CNN and the three RNN cells, in float32 and float64: forward outputs,
gradients, and parameters after 5 steps of every optimizer configuration agree with torch's
(rtol 1e-5 in float64, 1e-4 in float32).
"""

import numpy as np
import pytest

import eager
import eager.nn as nn
import eager.optim as optim

torch = pytest.importorskip("torch")
# One thread: these models are tiny, and torch's thread pool only adds contention.
torch.set_num_threads(1)

TOL = {np.float64: dict(rtol=1e-5, atol=1e-8), np.float32: dict(rtol=1e-4, atol=1e-5)}
DTYPES = [np.float64, np.float32]


# --- the same models, written for both libraries ---------------------------------------------
def mlp(lib):
    return lib.nn.Sequential(lib.nn.Linear(8, 16), lib.nn.ReLU(), lib.nn.Linear(16, 16),
                             lib.nn.Tanh(), lib.nn.Linear(16, 3))


def cnn(lib):
    n = lib.nn
    return n.Sequential(n.Conv2d(2, 4, 3, padding=1), n.ReLU(), n.MaxPool2d(2),
                        n.Conv2d(4, 5, 3, stride=1, bias=False), n.Sigmoid(), n.AvgPool2d(2),
                        n.Flatten(), n.Linear(5, 3))


def cell_model(lib, kind):
    class Recurrent(lib.nn.Module):
        def __init__(self):
            super().__init__()
            self.cell = getattr(lib.nn, kind)(4, 6)
            self.head = lib.nn.Linear(6, 3)

        def forward(self, xs):
            state = None
            for t in range(xs.shape[0]):
                state = self.cell(xs[t], state)
            h = state[0] if kind == "LSTMCell" else state
            return self.head(h)

    return Recurrent()


MODELS = {
    "mlp": (mlp, (5, 8)),
    "cnn": (cnn, (3, 2, 8, 8)),
    "rnn": (lambda lib: cell_model(lib, "RNNCell"), (3, 5, 4)),
    "gru": (lambda lib: cell_model(lib, "GRUCell"), (3, 5, 4)),
    "lstm": (lambda lib: cell_model(lib, "LSTMCell"), (3, 5, 4)),
}

OPTIMIZERS = {
    "sgd": ("SGD", dict(lr=0.1)),
    "sgd-momentum": ("SGD", dict(lr=0.1, momentum=0.9, dampening=0.1)),
    "sgd-nesterov": ("SGD", dict(lr=0.1, momentum=0.9, nesterov=True)),
    "sgd-weight-decay": ("SGD", dict(lr=0.1, momentum=0.5, weight_decay=0.05, maximize=True)),
    "adam": ("Adam", dict(lr=0.01)),
    "adam-weight-decay": ("Adam", dict(lr=0.01, betas=(0.8, 0.99), weight_decay=0.1,
                                       maximize=True)),
    "adamw": ("AdamW", dict(lr=0.01, weight_decay=0.1)),
    "adamw-amsgrad": ("AdamW", dict(lr=0.01, betas=(0.5, 0.6), amsgrad=True)),
    "rmsprop": ("RMSprop", dict(lr=0.01)),
    "rmsprop-centered-momentum": ("RMSprop", dict(lr=0.01, momentum=0.9, centered=True,
                                                  weight_decay=0.1)),
}


class _Lib:
    """``lib.nn`` for the model builders above."""

    def __init__(self, nn_module):
        self.nn = nn_module


def build_pair(name, dtype):
    """The eager model (seeded init) and a torch copy of it holding the same weights."""
    builder, in_shape = MODELS[name]
    eager.manual_seed(0)
    ours = builder(_Lib(nn)).to(dtype)
    theirs = builder(_Lib(torch.nn)).to(getattr(torch, np.dtype(dtype).name))
    ours_params = dict(ours.named_parameters())
    with torch.no_grad():
        for key, p in theirs.named_parameters():
            p.copy_(torch.from_numpy(ours_params[key].detach().numpy().copy()))
    assert list(ours_params) == [k for k, _ in theirs.named_parameters()]
    rng = np.random.default_rng(1)
    x = rng.standard_normal(in_shape).astype(dtype)
    target = rng.integers(0, 3, in_shape[1] if name in ("rnn", "gru", "lstm") else in_shape[0])
    return ours, theirs, x, target


def loss_of(lib_nn, out, target):
    return lib_nn.CrossEntropyLoss()(out, target)


def eager_step(model, x, target):
    loss = loss_of(nn, model(eager.from_numpy(x)), eager.from_numpy(target))
    loss.backward()
    return loss


def torch_step(model, x, target):
    loss = loss_of(torch.nn, model(torch.from_numpy(x)), torch.from_numpy(target))
    loss.backward()
    return loss


@pytest.mark.parametrize("dtype", DTYPES, ids=["f64", "f32"])
@pytest.mark.parametrize("name", list(MODELS))
def test_forward_and_gradients_match_torch(name, dtype):
    ours, theirs, x, target = build_pair(name, dtype)
    np.testing.assert_allclose(ours(eager.from_numpy(x)).detach().numpy(),
                               theirs(torch.from_numpy(x)).detach().numpy(), **TOL[dtype])
    loss = eager_step(ours, x, target)
    ref = torch_step(theirs, x, target)
    np.testing.assert_allclose(loss.item(), ref.item(), **TOL[dtype])
    for (key, p), (_, q) in zip(ours.named_parameters(), theirs.named_parameters(), strict=True):
        assert p.grad is not None, key
        assert p.grad.dtype == np.dtype(dtype), key
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), err_msg=key, **TOL[dtype])


@pytest.mark.parametrize("dtype", DTYPES, ids=["f64", "f32"])
@pytest.mark.parametrize("opt", list(OPTIMIZERS))
@pytest.mark.parametrize("name", list(MODELS))
def test_parameters_after_five_steps_match_torch(name, opt, dtype):
    ours, theirs, x, target = build_pair(name, dtype)
    cls, kwargs = OPTIMIZERS[opt]
    our_opt = getattr(optim, cls)(ours.parameters(), **kwargs)
    their_opt = getattr(torch.optim, cls)(theirs.parameters(), **kwargs)
    arrays = [p._data for p in ours.parameters()]
    for _ in range(5):
        our_opt.zero_grad()
        eager_step(ours, x, target)
        our_opt.step()
        their_opt.zero_grad()
        torch_step(theirs, x, target)
        their_opt.step()
    for (key, p), (_, q) in zip(ours.named_parameters(), theirs.named_parameters(), strict=True):
        np.testing.assert_allclose(p.detach().numpy(), q.detach().numpy(), err_msg=key,
                                   **TOL[dtype])
    # Updates went into the very arrays the parameters held before training.
    assert all(p._data is a for p, a in zip(ours.parameters(), arrays, strict=True))
