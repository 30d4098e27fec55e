"""eager.fft against torch.fft: values, dtypes and gradients (rfft/irfft's Hermitian halves
included) over odd and even lengths, n/s padding and trimming, dims, negative dims and every
norm; torch's errors."""

from __future__ import annotations

import numpy as np
import pytest
from complex_oracle import assert_raises_as_torch

import eager

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(0)
REAL = {shape: RNG.standard_normal(shape) for shape in [(5,), (6,), (3, 4), (2, 5, 3), (1,)]}
CPLX = {shape: RNG.standard_normal(shape) + 1j * RNG.standard_normal(shape) for shape in REAL}


def _loss(L, y, w):
    """A real loss weighing real and imaginary parts differently (every part of the gradient
    shows)."""
    if y.is_complex():
        y = L.view_as_real(y.resolve_conj())
    return (y * L.tensor(w[: y.numel()].reshape(tuple(y.shape)))).sum()


def check(fn, data: np.ndarray, **kwargs):
    results = []
    for L in (eager, torch):
        x = L.tensor(data, requires_grad=True)
        y = fn(L)(x, **kwargs)
        w = np.linspace(-1.0, 2.0, 2 * y.numel())
        _loss(L, y, w).backward()
        results.append((str(y.dtype), tuple(y.shape), y.detach().resolve_conj().numpy(),
                        x.grad.resolve_conj().numpy()))
    (dt_e, shape_e, y_e, g_e), (dt_t, shape_t, y_t, g_t) = results
    assert (dt_e, shape_e) == (dt_t, shape_t)
    np.testing.assert_allclose(y_e, y_t, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(g_e, g_t, rtol=1e-10, atol=1e-12)


def f(name):
    return lambda L: getattr(L.fft, name)


@pytest.mark.parametrize("name", ["fft", "ifft", "rfft", "ihfft"])
@pytest.mark.parametrize("shape", [(5,), (6,), (1,), (3, 4)])
@pytest.mark.parametrize("n, norm", [(None, None), (3, "forward"), (8, "ortho"), (4, "backward")])
def test_one_dim_transforms_of_real_signals(name, shape, n, norm):
    check(f(name), REAL[shape], n=n, norm=norm)


@pytest.mark.parametrize("name", ["fft", "ifft", "irfft", "hfft"])
@pytest.mark.parametrize("shape, dim", [((5,), -1), ((6,), 0), ((3, 4), 0), ((2, 5, 3), -2)])
@pytest.mark.parametrize("n, norm", [(None, None), (4, "forward"), (7, "ortho"), (None, "forward")])
def test_one_dim_transforms_of_complex_signals(name, shape, dim, n, norm):
    check(f(name), CPLX[shape], n=n, dim=dim, norm=norm)


@pytest.mark.parametrize("name", ["irfft", "hfft"])
def test_complex_to_real_of_a_real_input(name):
    check(f(name), REAL[(6,)])
    check(f(name), REAL[(5,)], n=9, norm="ortho")


@pytest.mark.parametrize("name, data", [("fftn", CPLX), ("ifftn", CPLX), ("fftn", REAL),
                                        ("rfftn", REAL), ("irfftn", CPLX), ("hfftn", CPLX),
                                        ("ihfftn", REAL)])
@pytest.mark.parametrize("s, dim, norm", [(None, None, None), ((4, 3), None, "ortho"),
                                          (None, (0, -1), "forward"),
                                          ((2, -1), (-1, 0), "backward"), ((6,), None, None)])
def test_n_dim_transforms(name, data, s, dim, norm):
    check(f(name), data[(2, 5, 3)], s=s, dim=dim, norm=norm)


@pytest.mark.parametrize("name, data", [("fft2", CPLX), ("ifft2", REAL), ("rfft2", REAL),
                                        ("irfft2", CPLX), ("hfft2", CPLX), ("ihfft2", REAL)])
@pytest.mark.parametrize("s", [None, (3, 4)])
def test_two_dim_transforms(name, data, s):
    check(f(name), data[(2, 5, 3)], s=s)


@pytest.mark.parametrize("call", [
    lambda L: L.fft.fft(L.tensor([1.0, 2.0, 3.0])),
    lambda L: L.fft.fft(L.tensor([1, 2, 3])),
    lambda L: L.fft.rfft(L.tensor([True, False, True, True])),
    lambda L: L.fft.ifft(L.tensor([1.0, 2.0], dtype=L.float64)),
    lambda L: L.fft.irfft(L.tensor([1.0 + 1j, 2.0, 3.0 - 1j])),
    lambda L: L.fft.fftn(L.tensor(2.5)),
    lambda L: L.fft.fftfreq(5), lambda L: L.fft.fftfreq(6, d=0.1, dtype=L.float64),
    lambda L: L.fft.rfftfreq(7, 2.0), lambda L: L.fft.rfftfreq(1),
    lambda L: L.fft.fftshift(L.fft.fftfreq(5)), lambda L: L.fft.ifftshift(L.fft.fftfreq(6)),
    lambda L: L.fft.fftshift(L.arange(12).reshape(3, 4), dim=(-1,)),
    lambda L: L.fft.ifftshift(L.arange(12).reshape(3, 4), dim=0),
])
def test_dtypes_and_small_cases(call):
    ours, theirs = call(eager), call(torch)
    assert str(ours.dtype) == str(theirs.dtype) and tuple(ours.shape) == tuple(theirs.shape)
    np.testing.assert_allclose(ours.numpy(), theirs.resolve_conj().numpy(), rtol=1e-6,
                               atol=1e-6)
    assert repr(ours) == repr(theirs)


@pytest.mark.parametrize("call", [
    lambda L: L.fft.fft(L.ones(0)), lambda L: L.fft.fft(L.ones(3), n=0),
    lambda L: L.fft.fft(L.ones(3), dim=2), lambda L: L.fft.fft(L.ones(3), norm="x"),
    lambda L: L.fft.fft(L.tensor(1.0)), lambda L: L.fft.rfft(L.ones(2, dtype=L.cfloat)),
    lambda L: L.fft.ihfft(L.ones(2, dtype=L.cfloat)),
    lambda L: L.fft.rfftn(L.ones(2, dtype=L.cfloat)), lambda L: L.fft.irfft(L.ones(1)),
    lambda L: L.fft.fftn(L.ones(3, 3), dim=(0, 0)),
    lambda L: L.fft.fftn(L.ones(3, 3), s=(1, 2, 3)),
    lambda L: L.fft.fftn(L.ones(3, 3), s=(2, 2), dim=(0,)),
    lambda L: L.fft.fftn(L.tensor(1.0), dim=0), lambda L: L.fft.fft2(L.ones(3)),
    lambda L: L.fft.rfftn(L.ones(3), dim=()), lambda L: L.fft.fft([1.0]),
    lambda L: L.fft.fft(L.ones(3, dtype=L.float16)),
    lambda L: L.fft.ihfftn(L.ones(2, 2, dtype=L.cfloat)), lambda L: L.fft.hfftn(L.ones(3), dim=()),
])
def test_errors_are_torchs(call):
    assert_raises_as_torch(call)


def test_second_order_gradient_through_rfft():
    values = []
    for L in (eager, torch):
        x = L.tensor(REAL[(5,)], requires_grad=True)
        y = L.fft.rfft(x * x).abs().sum()
        (g,) = L.autograd.grad(y, x, create_graph=True)
        (g * g).sum().backward()
        values.append((g.detach().numpy(), x.grad.numpy()))
    np.testing.assert_allclose(values[0][0], values[1][0], rtol=1e-10)
    np.testing.assert_allclose(values[0][1], values[1][1], rtol=1e-9)


def test_grad_fn_names_follow_torch():
    for L in (eager, torch):
        x = L.tensor(REAL[(6,)], requires_grad=True)
        names = [type(g).__name__ for g in (L.fft.rfft(x).grad_fn, L.fft.fft(x).grad_fn,
                                            L.fft.irfft(L.fft.rfft(x)).grad_fn,
                                            L.fft.fftn(L.fft.fft(x)).grad_fn,
                                            L.fft.ifft(x).grad_fn)]
        assert names == ["FftR2CBackward0", "FftR2CBackward0", "FftC2RBackward0",
                         "FftC2CBackward0", "ConjBackward0"]
