"""The fast max-pool kernels (tap-by-tap first-maximum search, per-tap gradient writes) hold
PyTorch's semantics where a faster form could slip: ties (a ReLU's zeros), NaNs, non-finite
gradients, overlapping and dilated windows, padding, float32 and float64."""

from __future__ import annotations

import numpy as np
import pytest

import shared_ops as ops

torch = pytest.importorskip("torch")

GEOMETRIES = [  # kernel, stride, padding, dilation
    ((2, 2), (2, 2), (0, 0), (1, 1)),  # non-overlapping: gradients are placed, not added
    ((3, 3), (1, 1), (1, 1), (1, 1)),  # overlapping: gradients add
    ((3, 2), (2, 1), (1, 0), (2, 1)),  # dilated, asymmetric
]


def _inputs(dtype, *, ties: bool, nan: bool):
    rng = np.random.default_rng(7)
    x = rng.standard_normal((2, 3, 9, 8)).astype(dtype)
    if ties:
        x = np.maximum(x, 0)  # whole windows of zeros: the first one must win
        x[0, 0, :4, :4] = 1.5
    if nan:
        x[1, 2, 3, 3] = np.nan  # two NaNs in one window: PyTorch routes to the last one
        x[1, 2, 4, 4] = np.nan
    return x


def _torch_grad(x, g, k, s, p, d):
    xt = torch.tensor(x, requires_grad=True)
    y = torch.nn.functional.max_pool2d(xt, k, s, p, d)
    y.backward(torch.tensor(g))
    return y.detach().numpy(), xt.grad.numpy()


@pytest.mark.parametrize("geometry", GEOMETRIES, ids=["k2", "k3-overlap", "dilated"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("ties,nan", [(True, False), (False, True)], ids=["ties", "nan"])
def test_max_pool_value_and_grad_match_torch(geometry, dtype, ties, nan):
    k, s, p, d = geometry
    x = _inputs(dtype, ties=ties, nan=nan)
    attrs = dict(kernel_size=k, stride=s, padding=p, dilation=d)
    y = ops.max_pool2d_core(x, **attrs)
    g = np.random.default_rng(1).standard_normal(y.shape).astype(dtype)
    y_ref, dx_ref = _torch_grad(x, g, k, s, p, d)
    np.testing.assert_array_equal(y, y_ref)
    # Overlapping windows add several gradients into one element: float32 order differs.
    tol = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(ops.max_pool2d_grad(g, x, **attrs), dx_ref, rtol=tol, atol=tol)


@pytest.mark.parametrize("geometry", GEOMETRIES, ids=["k2", "k3-overlap", "dilated"])
def test_non_finite_gradient_stays_at_the_maximum(geometry):
    """An inf in the incoming gradient lands on the window's maximum and nowhere else (a
    product with a 0/1 mask would write inf * 0 = NaN at the other taps)."""
    k, s, p, d = geometry
    x = _inputs(np.float64, ties=True, nan=False)
    attrs = dict(kernel_size=k, stride=s, padding=p, dilation=d)
    g = np.ones(ops.max_pool2d_core(x, **attrs).shape)
    g[0, 0, 0, 0] = np.inf
    _, dx_ref = _torch_grad(x, g, k, s, p, d)
    dx = ops.max_pool2d_grad(g, x, **attrs)
    np.testing.assert_array_equal(np.isnan(dx), np.isnan(dx_ref))
    np.testing.assert_array_equal(dx, dx_ref)


def test_select_is_the_adjoint_of_grad_with_ties():
    """<select(c), g> == <c, grad(g)>, on a tied input, float64."""
    x = _inputs(np.float64, ties=True, nan=False)
    attrs = dict(kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), dilation=(1, 1))
    rng = np.random.default_rng(3)
    g = rng.standard_normal(ops.max_pool2d_core(x, **attrs).shape)
    c = rng.standard_normal(x.shape)
    lhs = np.vdot(ops.max_pool2d_select(c, x, **attrs), g)
    rhs = np.vdot(c, ops.max_pool2d_grad(g, x, **attrs))
    assert lhs == pytest.approx(rhs, rel=1e-12)
