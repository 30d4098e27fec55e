"""LBFGS against torch.optim.LBFGS: the losses and parameters after a few steps with several
option sets, the state it keeps (and its state dict), printing, and its errors."""

import numpy as np
import pytest

import eager
import eager.optim as optim

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(0)
X = RNG.standard_normal((16, 3)).astype(np.float32)
Y = RNG.standard_normal((16, 1)).astype(np.float32)
W1 = (RNG.standard_normal((3, 8)) * 0.5).astype(np.float32)
W2 = (RNG.standard_normal((8, 1)) * 0.5).astype(np.float32)


def fit(lib, opt_cls, steps: int, **options):
    """``steps`` LBFGS steps of a tanh network on (X, Y): (losses, parameters, optimizer)."""
    x, y = lib.tensor(X), lib.tensor(Y)
    w1, w2 = lib.nn.Parameter(lib.tensor(W1)), lib.nn.Parameter(lib.tensor(W2))
    opt = opt_cls([w1, w2], **options)

    def closure():
        opt.zero_grad()
        loss = ((lib.tanh(x @ w1) @ w2 - y) ** 2).mean()
        loss.backward()
        return loss

    losses = [opt.step(closure).item() for _ in range(steps)]
    return losses, [w1.detach().numpy().copy(), w2.detach().numpy().copy()], opt


@pytest.mark.parametrize("options", [
    {"max_iter": 5}, {"lr": 0.5, "max_iter": 5, "history_size": 3},
    {"lr": 0.1, "max_iter": 4, "max_eval": 3}, {"max_iter": 3, "tolerance_change": 1e-2},
    {"max_iter": 20, "tolerance_grad": 1.0},
])
def test_steps_match_torch(options):
    ours, ours_params, ours_opt = fit(eager, optim.LBFGS, 3, **options)
    theirs, theirs_params, theirs_opt = fit(torch, torch.optim.LBFGS, 3, **options)
    np.testing.assert_allclose(ours, theirs, rtol=1e-4)
    for p, q in zip(ours_params, theirs_params, strict=True):
        np.testing.assert_allclose(p, q, rtol=1e-3, atol=1e-5)
    ours_state = next(iter(ours_opt.state.values()))
    theirs_state = next(iter(theirs_opt.state.values()))
    assert sorted(ours_state) == sorted(theirs_state)
    for key in ("func_evals", "n_iter"):
        assert ours_state[key] == theirs_state[key], key
    assert len(ours_state.get("old_dirs", ())) == len(theirs_state.get("old_dirs", ()))


def test_state_dict_has_torchs_keys():
    _, _, ours = fit(eager, optim.LBFGS, 1, max_iter=3)
    _, _, theirs = fit(torch, torch.optim.LBFGS, 1, max_iter=3)
    assert sorted(ours.state_dict()["state"][0]) == sorted(theirs.state_dict()["state"][0])
    assert ours.state_dict()["param_groups"] == theirs.state_dict()["param_groups"]


def test_printing_is_torchs():
    def make(lib):
        return lib.optim.LBFGS([lib.nn.Parameter(lib.ones(2))], lr=0.5, history_size=10)

    assert repr(make(eager)) == repr(make(torch))


def test_a_minimum_is_a_fixed_point():
    # The gradient is already under tolerance_grad: one evaluation, nothing moves.
    _, params, opt = fit(eager, optim.LBFGS, 2, tolerance_grad=1e3)
    np.testing.assert_array_equal(params[0], W1)
    assert next(iter(opt.state.values()))["func_evals"] == 2


@pytest.mark.parametrize("build,error,message", [
    (lambda lib, p: lib.optim.LBFGS([p], lr=-1), ValueError, "Invalid learning rate: -1"),
    (lambda lib, p: lib.optim.LBFGS([{"params": [p]}, {"params": [lib.nn.Parameter(
        lib.ones(1))]}]), ValueError, "doesn't support per-parameter options"),
])
def test_errors_are_torchs(build, error, message):
    for lib in (torch, eager):
        with pytest.raises(error, match=message):
            build(lib, lib.nn.Parameter(lib.ones(2)))


def test_an_unknown_line_search_is_refused_as_in_torch():
    for lib in (torch, eager):
        with pytest.raises(RuntimeError, match="only 'strong_wolfe' is supported"):
            fit(lib, lib.optim.LBFGS, 1, line_search_fn="wolfe")
