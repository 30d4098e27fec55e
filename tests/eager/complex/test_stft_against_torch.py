"""eager.stft / eager.istft against torch's: shapes, dtypes, values and gradients over windows,
hops, centring and padding modes, normalization, one- and two-sided spectra, and round trips;
torch's errors."""

from __future__ import annotations

import numpy as np
import pytest
from complex_oracle import assert_raises_as_torch

import eager

torch = pytest.importorskip("torch")

SIGNAL = np.random.default_rng(0).standard_normal((2, 40))


def hann(L, n):
    return L.hann_window(n, dtype=L.float64)


CALLS = {
    "hann": lambda L, x: L.stft(x, 8, window=hann(L, 8), return_complex=True),
    "1-d, rectangular": lambda L, x: L.stft(x[0], 8, hop_length=3, window=L.ones(8).double(),
                                            return_complex=True),
    "short window, not centred, normalized": lambda L, x: L.stft(
        x, 8, hop_length=2, win_length=6, window=hann(L, 6), center=False,
        return_complex=True, normalized=True),
    "odd n_fft, constant pad, two-sided": lambda L, x: L.stft(
        x, 7, window=L.hamming_window(7, dtype=L.float64), pad_mode="constant",
        onesided=False, return_complex=True),
    "istft": lambda L, x: L.istft(L.stft(x, 8, window=hann(L, 8), return_complex=True), 8,
                                  window=hann(L, 8)),
    "istft, length, 1-d, normalized": lambda L, x: L.istft(
        L.stft(x[1], 8, window=hann(L, 8), return_complex=True, normalized=True), 8,
        window=hann(L, 8), normalized=True, length=30),
    "istft, two-sided": lambda L, x: L.istft(
        L.stft(x, 8, window=hann(L, 8), return_complex=True, onesided=False), 8,
        window=hann(L, 8), onesided=False),
    "istft, not centred": lambda L, x: L.istft(
        L.stft(x, 8, window=L.ones(8).double(), return_complex=True, center=False), 8,
        window=L.ones(8, dtype=L.float64), center=False),
}


@pytest.mark.parametrize("name", list(CALLS))
def test_values_and_gradients_match_torch(name):
    results = []
    for L in (eager, torch):
        x = L.tensor(SIGNAL, requires_grad=True)
        y = CALLS[name](L, x)
        parts = L.view_as_real(y) if y.is_complex() else y
        weights = L.tensor(np.linspace(-1.0, 1.0, parts.numel()).reshape(tuple(parts.shape)))
        (parts * weights).sum().backward()
        results.append((tuple(y.shape), str(y.dtype), y.detach().numpy(), x.grad.numpy()))
    (*head_e, y_e, g_e), (*head_t, y_t, g_t) = results
    assert head_e == head_t
    np.testing.assert_allclose(y_e, y_t, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(g_e, g_t, rtol=1e-9, atol=1e-12)


def test_float32_round_trip_recovers_the_signal():
    x = eager.tensor(SIGNAL, dtype=eager.float32)
    spec = eager.stft(x, 16, hop_length=4, window=eager.hann_window(16), return_complex=True)
    assert spec.dtype == eager.complex64 and tuple(spec.shape) == (2, 9, 11)
    back = eager.istft(spec, 16, hop_length=4, window=eager.hann_window(16), length=40)
    np.testing.assert_allclose(back.numpy(), SIGNAL, atol=1e-5)


@pytest.mark.parametrize("call", [
    lambda L: L.stft(L.ones(40), 8),
    lambda L: L.stft(L.ones(10), 20, return_complex=True, center=False),
    lambda L: L.stft(L.ones(40), 8, hop_length=0, return_complex=True),
    lambda L: L.stft(L.ones(40), 8, win_length=9, return_complex=True),
    lambda L: L.stft(L.ones(40), 8, window=L.ones(7), return_complex=True),
    lambda L: L.istft(L.ones(5, 3), 8),
    lambda L: L.istft(L.ones(4, 3, dtype=L.cfloat), 8),
])
def test_errors_are_torchs(call):
    assert_raises_as_torch(call)
