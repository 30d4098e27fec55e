"""PyTorch's custom-Function tutorial pattern (a Legendre polynomial P3 as a Function, a cubic
in it fitted to sin(x) by hand-written gradient descent), run unchanged but for the library:
eager prints the same losses as torch."""

from __future__ import annotations

import math

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")


def fit_sine(lib, steps: int = 600, report_every: int = 100) -> list:
    """The tutorial's training loop, written once for ``lib`` (eager or torch)."""

    class P3(lib.autograd.Function):
        """P3(t) = (5 t^3 - 3 t) / 2, with its derivative written by hand."""

        @staticmethod
        def forward(ctx, t):
            ctx.save_for_backward(t)
            return 0.5 * (5 * t ** 3 - 3 * t)

        @staticmethod
        def backward(ctx, grad_output):
            (t,) = ctx.saved_tensors
            return grad_output * 1.5 * (5 * t ** 2 - 1)

    device, dtype = lib.device("cpu"), lib.float
    x = lib.linspace(-math.pi, math.pi, 2000, device=device, dtype=dtype)
    y = lib.sin(x)
    # y = a + b * P3(c + d * x); starting near the answer, as the tutorial does
    a = lib.full((), 0.0, device=device, dtype=dtype, requires_grad=True)
    b = lib.full((), -1.0, device=device, dtype=dtype, requires_grad=True)
    c = lib.full((), 0.0, device=device, dtype=dtype, requires_grad=True)
    d = lib.full((), 0.3, device=device, dtype=dtype, requires_grad=True)
    lr = 5e-6
    losses = []
    for step in range(steps):
        y_pred = a + b * P3.apply(c + d * x)
        loss = (y_pred - y).pow(2).sum()
        if step % report_every == report_every - 1:
            losses.append(loss.item())
        loss.backward()
        with lib.no_grad():
            for p in (a, b, c, d):
                p -= lr * p.grad
                p.grad = None
    # the tutorial ends printing y = a + b * P3(c + d x) with the fitted values
    losses.append([p.item() for p in (a, b, c, d)])
    return losses


def test_legendre_fit_prints_torchs_losses():
    ours, theirs = fit_sine(eager), fit_sine(torch)
    assert len(ours) == 7
    assert ours[5] < ours[0]  # it learns
    # float32 sums of 2000 terms: the same losses up to rounding order
    np.testing.assert_allclose(ours[:6], theirs[:6], rtol=2e-4)
    np.testing.assert_allclose(ours[6], theirs[6], rtol=1e-4, atol=1e-6)
