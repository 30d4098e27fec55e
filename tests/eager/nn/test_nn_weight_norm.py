"""Weight normalization (the hook form and the parametrization), spectral normalization and
``parametrize`` against torch: from the same seed the same parameters, buffers (spectral
norm's power iteration starts from torch's draws), outputs, gradients and training steps;
printing, state dict keys, removal and errors."""

import warnings

import numpy as np
import pytest
from nn_parity import assert_close, randn
from torch_errors import assert_same_error

import eager
import eager.nn as nn

torch = pytest.importorskip("torch")


def _both(make, seed=0):
    """``make(lib)`` under both libraries from the same seed."""
    eager.manual_seed(seed)
    torch.manual_seed(seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        return make(eager), make(torch)


def _train(module, lib, x, steps=3):
    """Losses of a few SGD steps on ``sum(module(x) ** 2)``."""
    opt = lib.optim.SGD(module.parameters(), lr=0.05)
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = (module(lib.tensor(x)) ** 2).sum()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


def _state_equal(ours, theirs):
    assert list(ours.state_dict()) == list(theirs.state_dict())
    for (key, a), (_, b) in zip(ours.state_dict().items(), theirs.state_dict().items(),
                                strict=True):
        assert_close(a, b, what=key)


CASES = [
    ("hook-linear", lambda m: m.nn.utils.weight_norm(m.nn.Linear(4, 3)), (5, 4)),
    ("hook-conv-dim1", lambda m: m.nn.utils.weight_norm(m.nn.Conv2d(2, 3, 3), dim=1),
     (2, 2, 5, 5)),
    ("hook-dim-none", lambda m: m.nn.utils.weight_norm(m.nn.Linear(4, 3), dim=None), (5, 4)),
    ("param-linear", lambda m: m.nn.utils.parametrizations.weight_norm(m.nn.Linear(4, 3)),
     (5, 4)),
    ("param-conv", lambda m: m.nn.utils.parametrizations.weight_norm(m.nn.Conv1d(2, 3, 3)),
     (2, 2, 7)),
    ("spectral-linear", lambda m: m.nn.utils.parametrizations.spectral_norm(m.nn.Linear(6, 5)),
     (3, 6)),
    ("spectral-conv", lambda m: m.nn.utils.parametrizations.spectral_norm(
        m.nn.Conv2d(3, 4, 3), n_power_iterations=2), (2, 3, 5, 5)),
    ("spectral-transposed", lambda m: m.nn.utils.parametrizations.spectral_norm(
        m.nn.ConvTranspose2d(3, 2, 3)), (1, 3, 4, 4)),
    ("hook-spectral-linear", lambda m: m.nn.utils.spectral_norm(m.nn.Linear(6, 5)), (3, 6)),
    ("hook-spectral-transposed", lambda m: m.nn.utils.spectral_norm(
        m.nn.ConvTranspose2d(3, 2, 3), n_power_iterations=3), (1, 3, 4, 4)),
    ("spectral-bias-1d", lambda m: m.nn.utils.parametrizations.spectral_norm(
        m.nn.Linear(3, 4), name="bias"), (2, 3)),
]


@pytest.mark.parametrize("make,shape", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_normalized_layer_trains_as_torch(make, shape):
    ours, theirs = _both(make)
    assert repr(ours) == repr(theirs)
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    _state_equal(ours, theirs)  # spectral norm: torch's seeded u, v after 15 iterations
    x = randn(*shape)
    np.testing.assert_allclose(_train(ours, eager, x), _train(theirs, torch, x), rtol=1e-4)
    _state_equal(ours, theirs)
    ours.eval()
    theirs.eval()
    assert_close(ours(eager.tensor(x)), theirs(torch.tensor(x)), atol=1e-5)


def test_remove_weight_norm_folds_the_weight_back():
    ours, theirs = _both(lambda m: m.nn.utils.weight_norm(m.nn.Linear(4, 3)))
    for module, lib in ((ours, eager), (theirs, torch)):
        _train(module, lib, randn(2, 4), steps=1)
        lib.nn.utils.remove_weight_norm(module)
    assert type(ours.weight) is nn.Parameter
    _state_equal(ours, theirs)
    with pytest.raises(ValueError, match="weight_norm of 'weight' not found"):
        nn.utils.remove_weight_norm(ours)


def test_remove_spectral_norm_folds_the_weight_back():
    ours, theirs = _both(lambda m: m.nn.utils.spectral_norm(m.nn.Conv1d(2, 3, 2)))
    for module, lib in ((ours, eager), (theirs, torch)):
        _train(module, lib, randn(2, 2, 5), steps=2)
        lib.nn.utils.remove_spectral_norm(module)
    assert type(ours.weight) is nn.Parameter
    _state_equal(ours, theirs)
    assert_same_error(ValueError, lambda: nn.utils.remove_spectral_norm(ours),
                      lambda: torch.nn.utils.remove_spectral_norm(theirs))
    layer = nn.utils.spectral_norm(nn.Linear(2, 2))
    with pytest.raises(RuntimeError, match="two spectral_norm hooks"):
        nn.utils.spectral_norm(layer)


def test_hook_weight_norm_warns_as_torch_and_refuses_twice():
    with pytest.warns(FutureWarning, match="parametrizations.weight_norm"):
        layer = nn.utils.weight_norm(nn.Linear(2, 2))
    with pytest.warns(FutureWarning), pytest.raises(RuntimeError, match="two weight_norm"):
        nn.utils.weight_norm(layer)


def test_remove_parametrizations_restores_the_class_and_keeps_the_value():
    ours, theirs = _both(lambda m: m.nn.utils.parametrizations.spectral_norm(m.nn.Linear(3, 4)))
    P, TP = nn.utils.parametrize, torch.nn.utils.parametrize
    assert P.is_parametrized(ours) and P.is_parametrized(ours, "weight")
    assert not P.is_parametrized(ours, "bias")
    P.remove_parametrizations(ours, "weight")
    TP.remove_parametrizations(theirs, "weight")
    assert type(ours) is nn.Linear and repr(ours) == repr(theirs)
    _state_equal(ours, theirs)


class _Symmetric:
    """A parametrization (a Module of either library) making a square matrix symmetric."""

    @staticmethod
    def make(lib):
        class Symmetric(lib.nn.Module):
            def forward(self, x):
                return x.triu() + x.triu(1).transpose(0, 1)

            def right_inverse(self, a):
                return a.triu()

        return Symmetric()


def test_custom_parametrization_chains_assigns_and_caches_as_torch():
    def make(lib):
        layer = lib.nn.Linear(3, 3)
        P = lib.nn.utils.parametrize
        P.register_parametrization(layer, "weight", _Symmetric.make(lib))
        return layer

    ours, theirs = _both(make)
    assert repr(ours) == repr(theirs)
    assert_close(ours.weight, theirs.weight)
    a = randn(3, 3)
    ours.weight = eager.tensor(a)  # through right_inverse
    theirs.weight = torch.tensor(a)
    assert_close(ours.weight, theirs.weight)
    _state_equal(ours, theirs)
    with nn.utils.parametrize.cached():
        assert ours.weight is ours.weight
    assert ours.weight is not ours.weight
    nn.utils.parametrize.remove_parametrizations(ours, "weight", leave_parametrized=False)
    torch.nn.utils.parametrize.remove_parametrizations(theirs, "weight",
                                                       leave_parametrized=False)
    _state_equal(ours, theirs)


ERRORS = [
    (lambda m: m.nn.utils.parametrizations.spectral_norm(m.nn.Linear(2, 2), name="w"),
     ValueError),
    (lambda m: m.nn.utils.parametrizations.spectral_norm(m.nn.Linear(2, 2),
                                                         n_power_iterations=0), ValueError),
    (lambda m: m.nn.utils.parametrizations.spectral_norm(m.nn.Linear(2, 2), dim=2),
     IndexError),
    (lambda m: m.nn.utils.parametrize.remove_parametrizations(m.nn.Linear(2, 2), "weight"),
     ValueError),
    (lambda m: m.nn.utils.parametrize.register_parametrization(
        m.nn.Linear(2, 2), "w", m.nn.Identity()), ValueError),
]


@pytest.mark.parametrize("call,error", ERRORS, ids=range(len(ERRORS)))
def test_errors_match_torch(call, error):
    assert_same_error(error, lambda: call(eager), lambda: call(torch))
