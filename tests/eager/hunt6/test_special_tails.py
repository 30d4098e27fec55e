"""torch.special's tail-safe functions (i0e, i1e, erfcx, log_ndtr, zeta) against torch over
wide grids, in float64 and float32: values (inf, nan and the poles included), gradients and
grad_fn names; zeta differentiates in q only, as torch."""

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")

GRID = np.concatenate([-np.logspace(3, -3, 40), [0.0], np.logspace(-3, 3, 40),
                       [np.inf, -np.inf, np.nan]])
NAMES = ["i0e", "i1e", "erfcx", "log_ndtr"]


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name", NAMES)
def test_values_match_torch_over_the_line(name, dtype):
    want = getattr(torch.special, name)(torch.tensor(GRID, dtype=getattr(torch, dtype)))
    got = getattr(eager.special, name)(eager.tensor(GRID, dtype=getattr(eager, dtype)))
    assert str(got.dtype) == str(want.dtype)
    rtol = 1e-12 if dtype == "float64" else 2e-6
    np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=rtol, atol=0, equal_nan=True)


@pytest.mark.parametrize("name", NAMES)
def test_gradients_and_names_match_torch(name):
    points = [-35.0, -6.0, -1.0, -0.2, 0.0, 0.7, 4.0, 30.0]

    def run(lib):
        x = lib.tensor(points, dtype=lib.float64, requires_grad=True)
        y = getattr(lib.special, name)(x)
        (g,) = lib.autograd.grad(y.sum(), x)
        return type(y.grad_fn).__name__, g.numpy()

    (want_name, want), (got_name, got) = run(torch), run(eager)
    assert got_name == want_name
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-300)


def test_zeta_values_poles_and_domain_match_torch():
    x = [2.0, 1.0, 0.5, 3.0, 2.0, 2.0, np.inf, 2.0, 4.5, 1.0001, 30.0, 2.0]
    q = [1.0, 1.0, 1.0, -2.0, -2.5, 0.0, 2.0, np.inf, 0.5, 3.0, 1.5, 2e8]
    want = torch.special.zeta(torch.tensor(x).double(), torch.tensor(q).double())
    got = eager.special.zeta(eager.tensor(x).double(), eager.tensor(q).double())
    np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-13, equal_nan=True)
    assert eager.special.zeta(2.0, eager.tensor([1.0, 2.0])).tolist() == pytest.approx(
        torch.special.zeta(2.0, torch.tensor([1.0, 2.0])).tolist())


def test_zeta_gradient_is_in_q_only():
    def run(lib):
        q = lib.tensor([1.0, 2.5], dtype=lib.float64, requires_grad=True)
        z = lib.special.zeta(lib.tensor([2.0, 3.0], dtype=lib.float64), q)
        return type(z.grad_fn).__name__, lib.autograd.grad(z.sum(), q)[0].numpy()

    (want_name, want), (got_name, got) = run(torch), run(eager)
    assert got_name == want_name
    np.testing.assert_allclose(got, want, rtol=1e-12)


def test_digamma_at_signed_zero_is_torchs():
    points = [0.0, -0.0, -1.0, -2.0]
    want = torch.digamma(torch.tensor(points)).numpy()
    np.testing.assert_array_equal(eager.digamma(eager.tensor(points)).numpy(), want)
