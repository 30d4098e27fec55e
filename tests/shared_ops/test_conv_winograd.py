"""conv2d's Winograd F(4x4, 3x3) path against PyTorch: which convolutions take it, forward and
gradients on sizes the 4x4 tiles do not divide, padding 0/1/2, batch 1, float32 and float64,
eagerly (conv2d's immediate op program), through conv2d_core (its kernel and gradient
program, what a static graph runs) and in a static graph with an unknown batch, and second
derivatives. (The tile primitives' own cases, and a finite-difference walk, are in
cases_conv_winograd.py.)"""

from __future__ import annotations

import numpy as np
import pytest

import shared_ops as so
from shared_ops.ops.winograd import winograd_applies

torch = pytest.importorskip("torch")
eager = pytest.importorskip("eager")
static = pytest.importorskip("static")

rng = np.random.default_rng(20261207)
PLAIN = dict(stride=(1, 1), padding=(1, 1), dilation=(1, 1), groups=1)


@pytest.mark.parametrize("x_shape, w_shape, dtype, params, expected", [
    ((64, 32, 26, 26), (64, 32, 3, 3), np.float32, dict(PLAIN, padding=(0, 0)), True),
    ((1, 16, 4, 4), (16, 16, 3, 3), np.float64, PLAIN, True),  # one 4x4 tile
    ((None, 16, 8, 8), (16, 16, 3, 3), np.float32, PLAIN, True),  # unknown batch: still
    ((2, 16, 8, None), (16, 16, 3, 3), np.float32, PLAIN, False),  # unknown width: im2col
    ((64, 1, 28, 28), (32, 1, 3, 3), np.float32, PLAIN, False),  # one input channel
    ((2, 16, 8, 8), (15, 16, 3, 3), np.float32, PLAIN, False),  # 15 output channels
    ((2, 16, 5, 9), (16, 16, 3, 3), np.float32, dict(PLAIN, padding=(0, 0)), False),  # 3 rows
    ((2, 16, 8, 8), (16, 16, 3, 3), np.float16, PLAIN, False),
    ((2, 16, 8, 8), (16, 16, 3, 3), np.float32, dict(PLAIN, stride=(2, 2)), False),
    ((2, 16, 8, 8), (16, 16, 3, 3), np.float32, dict(PLAIN, dilation=(1, 2)), False),
    ((2, 32, 8, 8), (32, 16, 3, 3), np.float32, dict(PLAIN, groups=2), False),
    ((2, 16, 8, 8), (16, 16, 5, 5), np.float32, PLAIN, False),
    ((0, 16, 8, 8), (16, 16, 3, 3), np.float32, PLAIN, False),  # an empty batch
])
def test_which_convolutions_take_winograd(x_shape, w_shape, dtype, params, expected):
    assert winograd_applies(x_shape, w_shape, dtype, **params) is expected


# (N, C, H, W), O, padding: outputs 5x11, 9x6, 8x8 (whole tiles), 7x7 with padding 2.
GEOMETRIES = [((1, 16, 7, 13), 16, 0), ((2, 17, 9, 6), 18, 1), ((1, 16, 8, 8), 24, 1),
              ((3, 16, 5, 5), 16, 2)]


def _data(x_shape, o, dtype):
    x = rng.standard_normal(x_shape).astype(dtype)
    w = (rng.standard_normal((o, x_shape[1], 3, 3)) / np.sqrt(9 * x_shape[1])).astype(dtype)
    return x, w, rng.standard_normal(o).astype(dtype)


def _torch_conv(x, w, b, padding, g):
    xt, wt, bt = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    y = torch.nn.functional.conv2d(xt, wt, bt, padding=padding)
    y.backward(torch.tensor(g))
    return [t.detach().numpy() for t in (y, xt.grad, wt.grad, bt.grad)]


def _close(got, want, dtype):
    """float64 agrees to rounding; float32 within 1e-5 of the largest value (Winograd's
    transforms cost float32 a few bits against a direct sum: ~2e-6)."""
    scale = np.abs(want).max()
    tol = 1e-12 if dtype == np.float64 else 1e-5
    np.testing.assert_allclose(got, want, rtol=0, atol=tol * scale)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("x_shape, o, padding", GEOMETRIES)
@pytest.mark.parametrize("route", ["eager", "conv2d_core"])
def test_forward_and_gradients_match_torch(route, x_shape, o, padding, dtype):
    x, w, b = _data(x_shape, o, dtype)
    assert winograd_applies(x.shape, w.shape, dtype, **dict(PLAIN, padding=(padding,) * 2))
    g = rng.standard_normal((x_shape[0], o, x_shape[2] + 2 * padding - 2,
                             x_shape[3] + 2 * padding - 2)).astype(dtype)
    xe, we, be = (eager.tensor(a, requires_grad=True) for a in (x, w, b))
    if route == "eager":
        y = so.conv2d(xe, we, be, padding=padding)
    else:
        with so.decomposed():  # conv2d_core: the Winograd kernel and gradient program
            y = so.conv2d(xe, we, be, padding=padding)
    assert y.grad_fn.name() == ("ConvolutionBackward0" if route == "eager" else "AddBackward0")
    y.backward(eager.tensor(g))
    got = [y.detach().numpy(), xe.grad.numpy(), we.grad.numpy(), be.grad.numpy()]
    for mine, theirs in zip(got, _torch_conv(x, w, b, padding, g), strict=True):
        assert mine.dtype == dtype and mine.shape == theirs.shape
        _close(mine, theirs, dtype)


def test_the_mnist_layer_in_float32_stays_within_torchs_tolerance():
    # The MNIST CNN's second layer (batch cut to 4): 32 -> 64 channels, 26x26 -> 24x24.
    x, w, b = _data((4, 32, 26, 26), 64, np.float32)
    g = rng.standard_normal((4, 64, 24, 24)).astype(np.float32)
    xe, we, be = (eager.tensor(a, requires_grad=True) for a in (x, w, b))
    y = so.conv2d(xe, we, be)
    y.backward(eager.tensor(g))
    ref = _torch_conv(x.astype(np.float64), w.astype(np.float64), b.astype(np.float64), 0,
                      g.astype(np.float64))
    for mine, exact in zip([y.detach(), xe.grad, we.grad, be.grad], ref, strict=True):
        err = np.abs(mine.numpy() - exact).max() / np.abs(exact).max()
        assert err < 5e-6, err


def test_a_static_graph_with_an_unknown_batch_matches_torch():
    x, w, b = _data((2, 16, 6, 9), 16, np.float64)
    with static.Graph() as graph:
        xs = static.placeholder((None, 16, 6, 9), dtype="float64", name="x")
        params = [static.variable(w), static.variable(b)]
        y = so.conv2d(xs, *params, padding=1)
        loss = so.sum(so.mul(y, y))
        grads = static.gradients(loss, [xs] + params)
    got = static.Session(graph).run([y] + grads, {xs: x})
    xt, wt, bt = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    yt = torch.nn.functional.conv2d(xt, wt, bt, padding=1)
    (yt * yt).sum().backward()
    for mine, theirs in zip(got, [yt, xt.grad, wt.grad, bt.grad], strict=True):
        _close(mine, theirs.detach().numpy(), np.float64)


@pytest.mark.parametrize("route", ["eager", "conv2d_core"])
def test_second_derivatives_match_torch(route):
    x, w, b = _data((1, 16, 5, 6), 16, np.float64)
    v = rng.standard_normal(x.shape)
    xe, we = (eager.tensor(a, requires_grad=True) for a in (x, w))

    def grad_of_x():
        y = so.conv2d(xe, we, None, padding=1)
        (gx,) = eager.autograd.grad((y * y).sum(), [xe], create_graph=True)
        return gx

    if route == "eager":
        gx = grad_of_x()
    else:
        with so.decomposed():
            gx = grad_of_x()
    hv_x, hv_w = eager.autograd.grad((gx * eager.tensor(v)).sum(), [xe, we])
    xt, wt = (torch.tensor(a, requires_grad=True) for a in (x, w))
    yt = torch.nn.functional.conv2d(xt, wt, padding=1)
    (gt,) = torch.autograd.grad((yt * yt).sum(), [xt], create_graph=True)
    ht_x, ht_w = torch.autograd.grad((gt * torch.tensor(v)).sum(), [xt, wt])
    _close(hv_x.numpy(), ht_x.numpy(), np.float64)
    _close(hv_w.numpy(), ht_w.numpy(), np.float64)
