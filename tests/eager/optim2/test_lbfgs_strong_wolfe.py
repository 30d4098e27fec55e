"""LBFGS(line_search_fn="strong_wolfe") against torch.optim.LBFGS: the losses, iterates and
evaluation counts on Rosenbrock (float64: identical to rounding), on a small tanh network
(float32), with max_eval cutting the line search short, and the line search's own pieces."""

import numpy as np
import pytest

import eager
from eager.optim.line_search import cubic_minimizer, strong_wolfe

torch = pytest.importorskip("torch")

# A smooth 1-d regression: features of a grid, a cosine target, small random weights.
GRID = np.linspace(-2.0, 2.0, 16)
X = np.stack([GRID, np.sin(GRID), GRID ** 2 / 4], axis=1).astype(np.float32)
Y = np.cos(GRID)[:, None].astype(np.float32)
W1, W2 = (0.5 * np.random.default_rng(3).standard_normal(shape).astype(np.float32)
          for shape in ((3, 8), (8, 1)))


def minimize(lib, params: list, objective, steps: int, **options):
    """``steps`` LBFGS steps (strong Wolfe unless ``options`` say otherwise) on
    ``objective()``: the losses the steps return, and the optimizer's state."""
    opt = lib.optim.LBFGS(params, **{"line_search_fn": "strong_wolfe", **options})

    def closure():
        opt.zero_grad()
        loss = objective()
        loss.backward()
        return loss

    return [opt.step(closure).item() for _ in range(steps)], next(iter(opt.state.values()))


def rosenbrock(lib, steps: int, **options):
    """Steps on the 4-d Rosenbrock function, in float64: (losses, x, state)."""
    x = lib.nn.Parameter(lib.tensor([-1.5, 2.0, 0.5, -0.3], dtype=lib.float64))
    losses, state = minimize(
        lib, [x], lambda: (100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2).sum(), steps,
        **options)
    return losses, x.detach().numpy().copy(), state


def tanh_net(lib, steps: int, **options):
    """Steps fitting a float32 tanh network to (X, Y): (losses, first weight, state)."""
    x, y = lib.tensor(X), lib.tensor(Y)
    w1, w2 = lib.nn.Parameter(lib.tensor(W1)), lib.nn.Parameter(lib.tensor(W2))
    losses, state = minimize(lib, [w1, w2], lambda: ((lib.tanh(x @ w1) @ w2 - y) ** 2).mean(),
                             steps, **options)
    return losses, w1.detach().numpy().copy(), state


@pytest.mark.parametrize("options", [
    {}, {"max_iter": 5}, {"lr": 0.5, "history_size": 3}, {"max_iter": 10, "max_eval": 12},
])
def test_rosenbrock_iterates_are_torchs(options):
    ours, ours_x, ours_state = rosenbrock(eager, 4, **options)
    theirs, theirs_x, theirs_state = rosenbrock(torch, 4, **options)
    np.testing.assert_allclose(ours, theirs, rtol=1e-12)
    np.testing.assert_allclose(ours_x, theirs_x, rtol=1e-12, atol=1e-14)
    assert (ours_state["func_evals"], ours_state["n_iter"]) == (
        theirs_state["func_evals"], theirs_state["n_iter"])


@pytest.mark.parametrize("options", [
    {"max_iter": 5}, {"max_iter": 4, "max_eval": 6}, {"lr": 0.3, "max_iter": 3},
])
def test_small_net_matches_torch_in_float32(options):
    # A few iterations only: past ~20, float32 rounding in the loss itself (matmul order)
    # decides the tolerance_change tests, for torch against itself on another BLAS too.
    ours, ours_w, ours_state = tanh_net(eager, 3, **options)
    theirs, theirs_w, theirs_state = tanh_net(torch, 3, **options)
    np.testing.assert_allclose(ours, theirs, rtol=1e-5)
    np.testing.assert_allclose(ours_w, theirs_w, rtol=1e-4, atol=1e-5)
    assert ours_state["func_evals"] == theirs_state["func_evals"]
    assert ours_state["n_iter"] == theirs_state["n_iter"]


@pytest.mark.parametrize("lib", [eager, torch], ids=["eager", "torch"])
def test_line_search_recovers_from_a_step_far_too_long(lib):
    # lr=100 overshoots f = (x - 3)^2 from 0 to x = 100; the search brackets [0, t] and its
    # cubic interpolation (exact on a quadratic) lands on the minimum in one iteration.
    def run(line_search_fn):
        x = lib.nn.Parameter(lib.tensor([0.0], dtype=lib.float64))
        _, state = minimize(lib, [x], lambda: ((x - 3) ** 2).sum(), 1, lr=100, max_iter=1,
                            max_eval=10, line_search_fn=line_search_fn)
        return x.item(), state["func_evals"]

    assert run(None) == (pytest.approx(100.0), 1)
    x, evals = run("strong_wolfe")
    assert x == pytest.approx(3.0, abs=1e-12) and evals == 3


@pytest.mark.parametrize("args", [
    (0.0, 1.0, -2.0, 1.0, 0.0, 1.0, None),          # an interior minimizer
    (1.0, 0.0, 1.0, 0.0, 1.0, -2.0, None),          # the same, points given the other way
    (0.0, 1.0, -1.0, 1.0, 0.5, -1.0, (1.01, 10.0)),  # clamped to the extrapolation bounds
    (0.0, 1.0, 1.0, 1.0, 0.0, 1.0, None),           # no real minimizer: the midpoint
])
def test_cubic_minimizer_is_torchs(args):
    from torch.optim import lbfgs as torch_lbfgs

    *points, bounds = args

    def as_lib(lib):
        # Steps stay Python floats, losses and slopes are 0-d tensors, as LBFGS passes them.
        x1, f1, g1, x2, f2, g2 = points
        return (x1, lib.tensor(f1, dtype=lib.float64), lib.tensor(g1, dtype=lib.float64), x2,
                lib.tensor(f2, dtype=lib.float64), lib.tensor(g2, dtype=lib.float64))

    ours = float(cubic_minimizer(*as_lib(eager), bounds=bounds))
    theirs = float(torch_lbfgs._cubic_interpolate(*as_lib(torch), bounds=bounds))
    assert ours == pytest.approx(theirs, rel=1e-12)


def test_line_search_stops_at_max_ls():
    # A loss that keeps falling steeply along d (f = -exp(t)) is never bracketed: after max_ls
    # trials the search returns the best of t=0 and the last trial, having counted each one.
    calls = []

    def objective(x, t, d):
        calls.append(float(t))
        value = -np.exp(float(t))
        return value, eager.tensor([value], dtype=eager.float64)

    d = eager.tensor([1.0], dtype=eager.float64)
    g = eager.tensor([-1.0], dtype=eager.float64)
    f, _, t, evals = strong_wolfe(objective, None, 0.5, d, -1.0, g, g.dot(d), max_ls=4)
    assert evals == len(calls) == 5
    assert float(t) == calls[-1] and f == -np.exp(calls[-1])
    assert calls == sorted(calls)


def test_unknown_line_search_is_torchs_error():
    p = eager.nn.Parameter(eager.ones(2))
    opt = eager.optim.LBFGS([p], line_search_fn="armijo")

    def closure():
        opt.zero_grad()
        loss = (p ** 2).sum()
        loss.backward()
        return loss

    with pytest.raises(RuntimeError, match="only 'strong_wolfe' is supported"):
        opt.step(closure)
