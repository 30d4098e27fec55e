"""How optimizers keep a step cheap without changing it: hyperparameters handed to NumPy as
cached 0-d arrays, scratch buffers reused from step to step and renewed when a parameter gets
a new array, gradients brought to the parameter's dtype."""

import numpy as np
import pytest

import eager
import eager.nn as nn
import eager.optim as optim
from eager.optim import adadelta, adagrad, adam, rmsprop, sgd

CONFIGS = [
    (optim.SGD, dict(lr=0.1)),
    (optim.SGD, dict(lr=0.1, momentum=0.9, dampening=0.1, weight_decay=0.01)),
    (optim.SGD, dict(lr=0.1, momentum=0.9, nesterov=True, maximize=True)),
    (optim.Adam, dict(lr=0.01, weight_decay=0.1, amsgrad=True)),
    (optim.AdamW, dict(lr=0.01)),
    (optim.RMSprop, dict(lr=0.01, momentum=0.5, centered=True, weight_decay=0.1)),
    (optim.Adagrad, dict(lr=0.1, lr_decay=0.01, weight_decay=0.1, maximize=True)),
    (optim.Adadelta, dict(weight_decay=0.1)),
]
IDS = ["sgd", "sgd-momentum", "sgd-nesterov", "adam", "adamw", "rmsprop", "adagrad",
       "adadelta"]


def _model(dtype=np.float32):
    eager.manual_seed(0)
    return nn.Sequential(nn.Linear(4, 3), nn.Tanh(), nn.Linear(3, 2)).to(dtype)


def _train(model, opt, steps):
    x = eager.from_numpy(np.linspace(-1, 1, 32).reshape(8, 4).astype(model[0].weight.dtype))
    for _ in range(steps):
        opt.zero_grad()
        (model(x) ** 2).mean().backward()
        opt.step()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("cls,kwargs", CONFIGS, ids=IDS)
def test_cached_constants_give_the_updates_of_python_floats(cls, kwargs, dtype, monkeypatch):
    ours, reference = _model(dtype), _model(dtype)
    _train(ours, cls(ours.parameters(), **kwargs), 4)
    # The reference hands NumPy the Python floats.
    for module in (adam, rmsprop, sgd, adagrad, adadelta):
        monkeypatch.setattr(module, "_constant", lambda scratch, key, value, like: value)
    _train(reference, cls(reference.parameters(), **kwargs), 4)
    for p, q in zip(ours.parameters(), reference.parameters(), strict=True):
        assert p.dtype == dtype
        np.testing.assert_array_equal(p.detach().numpy(), q.detach().numpy())  # bit for bit


def test_a_changed_learning_rate_is_used_at_once():
    model = _model()
    opt = optim.SGD(model.parameters(), lr=0.1)
    _train(model, opt, 1)
    p = model[0].weight
    before, grad = p.detach().numpy().copy(), p.grad.numpy().copy()
    opt.param_groups[0]["lr"] = 0.5
    opt.step()
    np.testing.assert_array_equal(p.detach().numpy(), before - np.float32(0.5) * grad)


@pytest.mark.parametrize("cls,kwargs", CONFIGS[1:], ids=IDS[1:])
def test_steps_after_the_first_allocate_no_state(cls, kwargs):
    # The state is the same Tensors from step to step (as PyTorch's); after the second step
    # (which allocates the scratch the first step's arrays were taken from) no array is new:
    # a state Tensor's array and its scratch twin trade places.
    model = _model()
    opt = cls(model.parameters(), **kwargs)
    _train(model, opt, 2)

    def arrays():
        tensors = {(id(p), key): id(value) for p, state in opt.state.items()
                   for key, value in state.items()}
        pool = {id(value._data) for state in opt.state.values() for value in state.values()}
        pool |= {id(buf) for _, scratch in opt._scratch.values() for buf in scratch.values()
                 if isinstance(buf, np.ndarray)}
        return tensors, pool

    before = arrays()
    values = {key: v.numpy().copy() for key, v in opt.state[model[0].weight].items()}
    _train(model, opt, 3)
    assert before[0] and arrays() == before
    assert any(not np.array_equal(v.numpy(), values[key])  # ...and they did change
               for key, v in opt.state[model[0].weight].items())


@pytest.mark.parametrize("cls,kwargs", CONFIGS[1:], ids=IDS[1:])
def test_a_parameter_given_a_new_array_gets_buffers_like_it(cls, kwargs):
    model = _model()
    opt = cls(model.parameters(), **kwargs)
    _train(model, opt, 2)
    model.to(np.float64)  # every parameter gets a float64 array; the state is still float32
    _train(model, opt, 3)
    for p, state in opt.state.items():
        assert p.dtype == np.float64
        for key, value in state.items():
            if value.ndim:
                assert value.dtype == np.float64 and value.shape == p.shape, key
    for p in model.parameters():  # (load_state_dict(assign=True) would swap the objects)
        p.data = p.data.float()
    _train(model, opt, 2)
    for p, state in opt.state.items():
        assert p.dtype == np.float32
        assert all(v.dtype == np.float32 for v in state.values() if v.ndim)


def test_a_gradient_of_another_dtype_is_applied_in_the_parameters_dtype():
    model = _model()
    opt = optim.SGD(model.parameters(), lr=0.1)
    p = model[0].weight
    array = p._data
    array[...] = 0  # so that the update is read back exactly, not rounded into a weight
    grad = np.random.default_rng(0).standard_normal(p.shape)  # float64
    p.grad = eager.from_numpy(grad)
    opt.step()
    assert p._data is array and p.dtype == np.float32
    expected = -(np.float32(0.1) * grad.astype(np.float32))
    np.testing.assert_array_equal(p.detach().numpy(), expected)
