"""Optimizers: in-place all-or-nothing steps, closures, gradients missing or of the wrong
shape. (Against torch: test_optimizers_vs_torch, test_optimizer_state_dict.)"""

import numpy as np
import pytest

import eager
import eager.nn as nn
import eager.optim as optim

CONFIGS = [
    (optim.SGD, dict(lr=0.1)),
    (optim.SGD, dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)),
    (optim.Adam, dict(lr=0.01, weight_decay=0.1)),
    (optim.AdamW, dict(lr=0.01)),
    (optim.RMSprop, dict(lr=0.01, momentum=0.5, centered=True)),
    (optim.Adagrad, dict(lr=0.1, weight_decay=0.1)),
    (optim.Adadelta, dict(weight_decay=0.1)),
]
IDS = ["sgd", "sgd-nesterov", "adam", "adamw", "rmsprop", "adagrad", "adadelta"]


def _model():
    eager.manual_seed(0)
    return nn.Sequential(nn.Linear(4, 3), nn.Tanh(), nn.Linear(3, 2))


X = eager.from_numpy(np.random.default_rng(0).standard_normal((8, 4)).astype(np.float32))


def _backward(model):
    model.zero_grad()
    (model(X) ** 2).mean().backward()


def _snapshot(model, opt):
    params = [p.detach().numpy().copy() for p in model.parameters()]
    state = {id(p): {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in s.items()}
             for p, s in opt.state.items()}
    return params, state


@pytest.mark.parametrize("cls,kwargs", CONFIGS, ids=IDS)
def test_step_updates_the_parameters_own_arrays(cls, kwargs):
    model = _model()
    opt = cls(model.parameters(), **kwargs)
    arrays = [p._data for p in model.parameters()]
    versions = [p._version for p in model.parameters()]
    before = [a.copy() for a in arrays]
    _backward(model)
    opt.step()
    for p, a, b, v in zip(model.parameters(), arrays, before, versions, strict=True):
        assert p._data is a and not np.array_equal(a, b) and p._version > v


class Boom(Exception):
    pass


@pytest.mark.parametrize("cls,kwargs", CONFIGS, ids=IDS)
def test_a_failure_mid_step_leaves_parameters_and_state_untouched(cls, kwargs, monkeypatch):
    model, reference = _model(), _model()
    opt = cls(model.parameters(), **kwargs)
    ref_opt = cls(reference.parameters(), **kwargs)
    for _ in range(2):
        for m, o in ((model, opt), (reference, ref_opt)):
            _backward(m)
            o.step()
    _backward(model)
    _backward(reference)
    params, state = _snapshot(model, opt)
    real = cls._compute
    calls = []

    def failing(self, *args):
        calls.append(1)
        if len(calls) == 3:  # two parameters already computed, two still to go
            raise Boom("injected")
        return real(self, *args)

    monkeypatch.setattr(cls, "_compute", failing)
    with pytest.raises(Boom):
        opt.step()
    monkeypatch.setattr(cls, "_compute", real)
    after_params, after_state = _snapshot(model, opt)
    for a, b in zip(params, after_params, strict=True):
        np.testing.assert_array_equal(a, b)
    assert state.keys() == after_state.keys()
    for key in state:
        for name, value in state[key].items():
            np.testing.assert_array_equal(value, after_state[key][name])
    # The retried step is exactly the step that never failed.
    opt.step()
    ref_opt.step()
    for p, q in zip(model.parameters(), reference.parameters(), strict=True):
        np.testing.assert_array_equal(p.detach().numpy(), q.detach().numpy())


def test_a_gradient_of_the_wrong_shape_fails_before_any_update():
    model = _model()
    opt = optim.SGD(model.parameters(), lr=0.1)
    _backward(model)
    params = [p.detach().numpy().copy() for p in model.parameters()]
    model[2].bias.grad = eager.zeros(5)
    with pytest.raises(RuntimeError, match=r"gradient of shape \(5,\) for a parameter of shape"):
        opt.step()
    for p, a in zip(model.parameters(), params, strict=True):
        np.testing.assert_array_equal(p.detach().numpy(), a)


def test_a_failing_closure_changes_nothing():
    model = _model()
    opt = optim.Adam(model.parameters())
    params = [p.detach().numpy().copy() for p in model.parameters()]

    def closure():
        _backward(model)
        raise Boom("in closure")

    with pytest.raises(Boom):
        opt.step(closure)
    assert opt.state == {}
    for p, a in zip(model.parameters(), params, strict=True):
        np.testing.assert_array_equal(p.detach().numpy(), a)


def test_closure_result_is_returned_and_grad_enabled_inside():
    model = _model()
    opt = optim.SGD(model.parameters(), lr=0.1)

    def closure():
        _backward(model)
        return 42

    with eager.no_grad():
        assert opt.step(closure) == 42


def test_zero_grad_and_parameters_without_gradients():
    model = _model()
    opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    _backward(model)
    model[0].weight.grad = None  # skipped by step
    w = model[0].weight.detach().numpy().copy()
    opt.step()
    np.testing.assert_array_equal(model[0].weight.detach().numpy(), w)
    assert model[0].weight not in opt.state
    opt.zero_grad(set_to_none=False)
    assert all(p.grad is None or not p.grad.numpy().any() for p in model.parameters())
    opt.zero_grad()
    assert all(p.grad is None for p in model.parameters())


def test_bad_arguments_are_rejected():
    model = _model()
    with pytest.raises(ValueError, match="Invalid learning rate"):
        optim.SGD(model.parameters(), lr=-1)
    with pytest.raises(ValueError, match="Nesterov"):
        optim.SGD(model.parameters(), lr=0.1, nesterov=True)
    with pytest.raises(ValueError, match="Invalid beta"):
        optim.Adam(model.parameters(), betas=(1.0, 0.9))
    with pytest.raises(ValueError, match="empty parameter list"):
        optim.Adam([])
    with pytest.raises(TypeError, match="iterable"):
        optim.Adam(model[0].weight)
    opt = optim.SGD(model[0].parameters(), lr=0.1)
    with pytest.raises(ValueError, match="more than one parameter group"):
        opt.add_param_group({"params": [model[0].weight]})


@pytest.mark.parametrize("cls,kwargs", CONFIGS, ids=IDS)
def test_transposed_gradients_give_the_same_update(cls, kwargs):
    # A Linear weight's gradient arrives as a transposed (Fortran-ordered) view.
    g = np.random.default_rng(2).standard_normal((3, 5)).astype(np.float32)
    a, b = nn.Parameter(eager.ones(5, 3)), nn.Parameter(eager.ones(5, 3))
    a.grad = eager.from_numpy(np.ascontiguousarray(g.T))
    b.grad = eager.from_numpy(g.T)
    assert not b.grad.numpy().flags.c_contiguous
    opt_a, opt_b = cls([a], **kwargs), cls([b], **kwargs)
    for _ in range(3):
        opt_a.step()
        opt_b.step()
    np.testing.assert_array_equal(a.detach().numpy(), b.detach().numpy())
    assert b.detach().numpy().flags.c_contiguous
