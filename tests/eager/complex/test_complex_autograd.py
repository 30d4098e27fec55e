"""Gradients through complex values, in PyTorch's convention (for a real loss L of
z = x + iy the gradient is dL/dx + i dL/dy): each chain real -> complex -> real is checked
against torch and, in float64, against central finite differences of the real composite."""

from __future__ import annotations

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(1)
A = RNG.standard_normal((3, 4))
B = RNG.standard_normal((3, 4))
W = RNG.standard_normal((4, 2))
ZC = (RNG.standard_normal((3, 4)) + 1j * RNG.standard_normal((3, 4)))


def _weights(L, y):
    w = L.tensor(np.linspace(-1.0, 1.5, y.numel()).reshape(tuple(y.shape)))
    return (y * w).sum()


CHAINS = {
    "view_as_complex-mul-view_as_real": lambda L, a, b: _weights(L, L.view_as_real(
        L.view_as_complex(L.stack([a, b], -1)) * L.tensor(ZC))),
    "complex-exp-abs": lambda L, a, b: L.complex(a, b).exp().abs().sum(),
    "polar-angle": lambda L, a, b: _weights(L, (L.polar(a.exp(), b) * L.tensor(ZC)).angle()),
    "real-imag": lambda L, a, b: _weights(L, (L.complex(a, b) ** 2).real)
    + (L.complex(a, b) * (1 + 2j)).imag.sum(),
    "conj-div": lambda L, a, b: _weights(L, L.view_as_real(
        L.complex(a, b).conj() / (L.complex(b, a) + 3.0))),
    "matmul-sum-mean": lambda L, a, b: (L.complex(a, b) @ L.tensor(W + 1j)).abs().mean()
    + L.complex(a, b).sum().real,
    "mixed-real-times-complex": lambda L, a, b: _weights(L, L.view_as_real(a * L.tensor(ZC)))
    + (b.to(L.cdouble) * (2 - 1j)).abs().sum(),
    "sgn-sqrt-log": lambda L, a, b: _weights(L, L.view_as_real(
        L.complex(a, b).sgn() + L.complex(a, b).sqrt() + L.complex(a, b).log())),
    "fft-abs": lambda L, a, b: _weights(L, L.fft.fft(L.complex(a, b), dim=0).abs())
    + L.fft.irfft(L.fft.rfft(a * b), n=5).pow(2).sum(),
    "rfft2-irfft2": lambda L, a, b: _weights(L, L.fft.irfft2(
        L.fft.rfft2(a) * L.fft.rfft2(b), s=(3, 4))),
    "norm": lambda L, a, b: L.linalg.vector_norm(L.complex(a, b), ord=3),
    "cumsum": lambda L, a, b: (L.complex(a, b).cumsum(1) * (1 - 1j)).abs().sum(),
    "var-std-trace": lambda L, a, b: L.complex(a, b).var(dim=0).sum()
    + L.complex(a, b).std() + L.complex(a[:, :3], b[:, :3]).trace().abs(),
}


def _grads(L, chain):
    a, b = L.tensor(A, requires_grad=True), L.tensor(B, requires_grad=True)
    loss = CHAINS[chain](L, a, b)
    loss.backward()
    return float(loss.item()), a.grad.numpy(), b.grad.numpy()


@pytest.mark.parametrize("chain", list(CHAINS))
def test_gradients_match_torch(chain):
    ours, theirs = _grads(eager, chain), _grads(torch, chain)
    assert ours[0] == pytest.approx(theirs[0], rel=1e-10)
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(ours[2], theirs[2], rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("chain", ["complex-exp-abs", "polar-angle", "conj-div", "fft-abs",
                                   "mixed-real-times-complex"])
def test_gradients_match_finite_differences(chain):
    _, ga, gb = _grads(eager, chain)

    def value(a, b):
        with eager.no_grad():
            return CHAINS[chain](eager, eager.tensor(a), eager.tensor(b)).item()

    eps = 1e-6
    for grad, which in ((ga, 0), (gb, 1)):
        for index in [(0, 0), (1, 2), (2, 3)]:
            shifted = [[A.copy(), B.copy()] for _ in range(2)]
            shifted[0][which][index] += eps
            shifted[1][which][index] -= eps
            numeric = (value(*shifted[0]) - value(*shifted[1])) / (2 * eps)
            assert grad[index] == pytest.approx(numeric, rel=1e-5, abs=1e-7)


def test_a_complex_leaf_gets_torchs_conjugate_gradient():
    grads = []
    for L in (eager, torch):
        w = L.tensor(ZC, requires_grad=True)
        loss = (w * w.conj()).real.sum() + (w * L.tensor(1 + 2j)).imag.sum() + w.abs().sum()
        loss.backward()
        grads.append((w.grad.resolve_conj().numpy(), str(w.grad.dtype)))
    np.testing.assert_allclose(grads[0][0], grads[1][0], rtol=1e-12)
    assert grads[0][1] == grads[1][1] == "torch.complex128"


def test_second_order_through_complex_values():
    results = []
    for L in (eager, torch):
        a = L.tensor(A[0], requires_grad=True)
        y = (L.polar(a, a) * (1 - 1j)).abs().pow(2).sum() + L.complex(a, a).exp().real.sum()
        (g,) = L.autograd.grad(y, a, create_graph=True)
        g.sum().backward()
        results.append((g.detach().numpy(), a.grad.numpy()))
    np.testing.assert_allclose(results[0][0], results[1][0], rtol=1e-10)
    np.testing.assert_allclose(results[0][1], results[1][1], rtol=1e-9)


def test_grad_fn_names_follow_torch():
    for L in (eager, torch):
        a = L.ones(2, requires_grad=True)
        c = L.complex(a, a)
        names = [type(t.grad_fn).__name__ for t in (
            c, L.polar(a, a), c.abs(), c.angle(), c.real, c.imag, L.view_as_real(c),
            L.view_as_complex(L.stack([a, a], -1)), c * c)]
        assert names == ["ComplexBackward0", "PolarBackward0", "AbsBackward0",
                         "AngleBackward0", "SelectBackward0", "SelectBackward0",
                         "ViewAsRealBackward0", "ViewAsComplexBackward0", "MulBackward0"]


@pytest.mark.filterwarnings("ignore:`torch.jit.script` is deprecated:DeprecationWarning")
def test_func_transforms_through_complex_values_match_torch():
    x = np.array([1.0, 2.0, -0.5])
    t = np.array([0.3, -1.0, 2.0])
    results = []
    for L in (eager, torch):
        def f(a, L=L):
            return (L.complex(a, a * 2) * (1 - 2j)).exp().abs().sum()

        def g(a, L=L):
            return (L.complex(a, a) * (1 + 1j)).abs()

        results.append((L.func.grad(f)(L.tensor(x)).numpy(),
                        L.func.jvp(g, (L.tensor(x),), (L.tensor(t),))[1].numpy()))
    np.testing.assert_allclose(results[0][0], results[1][0], rtol=1e-10)
    np.testing.assert_allclose(results[0][1], results[1][1], rtol=1e-10)


def test_forward_mode_dual_tensors_refuse_complex_values_pointing_to_func_jvp():
    fwd = eager.autograd.forward_ad
    with fwd.dual_level():
        d = fwd.make_dual(eager.ones(2, dtype=eager.float64), eager.ones(2, dtype=eager.float64))
        with pytest.raises(NotImplementedError, match="mul: complex values are not supported "
                                                      "in forward_ad mode.*func.jvp"):
            d * 1j
