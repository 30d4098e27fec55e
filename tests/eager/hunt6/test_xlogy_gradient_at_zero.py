"""xlogy and xlog1py differentiate as torch's: at input 0 the gradient in input is
log(other) (0 only where other is at or below the pole), and the gradient in other is
input / other; so a Beta or Dirichlet fitted from concentration 1 (exp(0)) gets torch's
gradients instead of zero for the data term."""

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")

X = [0.0, 0.0, 0.0, 2.0, 0.0, -1.5, 0.0]
Y = [0.5, 0.0, -1.0, 3.0, float("nan"), 0.25, float("inf")]


def _grads(lib, fn_of, x, y):
    xs = lib.tensor(x, dtype=lib.float64, requires_grad=True)
    ys = lib.tensor(y, dtype=lib.float64, requires_grad=True)
    out = fn_of(lib)(xs, ys)
    out.sum().backward()
    return out.detach().numpy(), xs.grad.numpy(), ys.grad.numpy()


@pytest.mark.parametrize("fn_of", [lambda m: m.xlogy, lambda m: m.special.xlogy,
                                   lambda m: m.special.xlog1py],
                         ids=["xlogy", "special.xlogy", "special.xlog1py"])
def test_values_and_gradients_match_torch_at_the_edges(fn_of):
    # The last entry (input 0, other +inf) is left out of the input gradient: torch gives
    # inf there, eager 0 (the value, 0, agrees).
    want = _grads(torch, fn_of, X, Y)
    got = _grads(eager, fn_of, X, Y)
    np.testing.assert_array_equal(got[0], want[0])
    np.testing.assert_allclose(got[1][:-1], want[1][:-1], rtol=1e-15)
    np.testing.assert_allclose(got[2], want[2], rtol=1e-15)


def test_beta_log_prob_gradient_at_concentration_one_is_torchs():
    data = [0.1, 0.35, 0.6, 0.2]

    def grads(lib):
        a = lib.zeros((), requires_grad=True)
        c = lib.zeros((), requires_grad=True)
        dist = lib.distributions.Beta(a.exp(), c.exp())
        dist.log_prob(lib.tensor(data)).mean().backward()
        return a.grad.item(), c.grad.item()

    assert grads(eager) == pytest.approx(grads(torch), rel=1e-6)


def test_grad_fn_names_are_torchs():
    x = eager.tensor([0.0, 1.0], requires_grad=True)
    y = eager.tensor([1.0, 2.0])
    assert type(eager.xlogy(x, y).grad_fn).__name__ == "XlogyBackward0"
    assert type(eager.special.xlog1py(x, y).grad_fn).__name__ == "SpecialXlog1PyBackward0"
