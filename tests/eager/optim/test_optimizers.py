"""Optimizers: in-place all-or-nothing steps, groups, state dicts, schedulers (vs torch)."""

import copy

import numpy as np
import pytest

import eager
import eager.nn as nn
import eager.optim as optim
from eager.optim.lr_scheduler import CosineAnnealingLR, StepLR

CONFIGS = [
    (optim.SGD, dict(lr=0.1)),
    (optim.SGD, dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)),
    (optim.Adam, dict(lr=0.01, weight_decay=0.1)),
    (optim.AdamW, dict(lr=0.01)),
    (optim.RMSprop, dict(lr=0.01, momentum=0.5, centered=True)),
]
IDS = ["sgd", "sgd-nesterov", "adam", "adamw", "rmsprop"]


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


def test_param_groups_match_torch():
    torch = pytest.importorskip("torch")
    ours = _model()
    theirs = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.Tanh(), torch.nn.Linear(3, 2))
    with torch.no_grad():
        for p, q in zip(ours.parameters(), theirs.parameters(), strict=True):
            q.copy_(torch.from_numpy(p.detach().numpy().copy()))
    groups = lambda m: [{"params": m[0].parameters(), "lr": 0.5},  # noqa: E731
                        {"params": m[2].parameters(), "momentum": 0.5}]
    opt = optim.SGD(groups(ours), lr=0.1, momentum=0.9)
    ref = torch.optim.SGD(groups(theirs), lr=0.1, momentum=0.9)
    assert [g["lr"] for g in opt.param_groups] == [0.5, 0.1]
    xt = torch.from_numpy(X.numpy())
    for _ in range(3):
        _backward(ours)
        opt.step()
        ref.zero_grad()
        (theirs(xt) ** 2).mean().backward()
        ref.step()
    for p, q in zip(ours.parameters(), theirs.parameters(), strict=True):
        np.testing.assert_allclose(p.detach().numpy(), q.detach().numpy(), rtol=1e-5)


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
def test_state_dict_round_trip_through_save_and_load(cls, kwargs, tmp_path):
    model = _model()
    opt = cls(model.parameters(), **kwargs)
    for _ in range(2):
        _backward(model)
        opt.step()
    path = tmp_path / "opt.npz"
    eager.save(opt.state_dict(), path)
    eager.save(model.state_dict(), tmp_path / "model.npz")
    twin = _model()
    twin.load_state_dict(eager.load(tmp_path / "model.npz"))
    twin_opt = cls(twin.parameters(), lr=123.0)
    twin_opt.load_state_dict(eager.load(path))
    assert twin_opt.param_groups[0]["lr"] == kwargs["lr"]
    for m, o in ((model, opt), (twin, twin_opt)):
        for _ in range(2):
            _backward(m)
            o.step()
    for p, q in zip(model.parameters(), twin.parameters(), strict=True):
        np.testing.assert_array_equal(p.detach().numpy(), q.detach().numpy())


def test_state_dict_is_a_snapshot_in_pytorchs_layout():
    model = _model()
    opt = optim.Adam(model.parameters(), lr=0.01)
    _backward(model)
    opt.step()
    sd = opt.state_dict()
    assert sorted(sd) == ["param_groups", "state"]
    assert sd["param_groups"][0]["params"] == [0, 1, 2, 3]
    assert sorted(sd["state"][0]) == ["exp_avg", "exp_avg_sq", "step"]
    snap = copy.deepcopy(sd["state"][0]["exp_avg"].numpy())
    _backward(model)
    opt.step()
    np.testing.assert_array_equal(sd["state"][0]["exp_avg"].numpy(), snap)


def test_repr_lists_each_group():
    opt = optim.SGD(_model().parameters(), lr=0.1)
    assert repr(opt).startswith("SGD (\nParameter Group 0\n    dampening: 0.0\n    lr: 0.1\n")
    assert repr(opt).endswith("weight_decay: 0.0\n)")


@pytest.mark.parametrize("make", [
    lambda o, lib: lib.StepLR(o, step_size=3, gamma=0.5),
    lambda o, lib: lib.CosineAnnealingLR(o, T_max=7, eta_min=0.01),
    lambda o, lib: lib.CosineAnnealingLR(o, T_max=4),
], ids=["step", "cosine", "cosine-restart"])
def test_schedulers_match_torch(make):
    torch = pytest.importorskip("torch")
    ours = optim.SGD(_model().parameters(), lr=0.2)
    theirs = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.2)
    s_ours = make(ours, optim.lr_scheduler)
    s_theirs = make(theirs, torch.optim.lr_scheduler)
    for _ in range(20):
        assert s_ours.get_last_lr() == pytest.approx(s_theirs.get_last_lr(), rel=1e-12)
        ours.step()
        theirs.step()
        s_ours.step()
        s_theirs.step()


def test_scheduler_state_dict_resumes():
    opt = optim.SGD(_model().parameters(), lr=1.0)
    sched = StepLR(opt, step_size=2)
    for _ in range(3):
        sched.step()
    saved = sched.state_dict()
    other = StepLR(optim.SGD(_model().parameters(), lr=1.0), step_size=2)
    other.load_state_dict(saved)
    assert other.last_epoch == 3 and other.get_last_lr() == sched.get_last_lr()
    with pytest.raises(KeyError, match="initial_lr"):
        CosineAnnealingLR(optim.SGD(_model().parameters(), lr=1.0), T_max=3, last_epoch=4)


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
