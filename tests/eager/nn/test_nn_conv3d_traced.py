"""Issue 16's layers trace into static graphs (unknown batch size) and the graph computes
what eager computes: 3-d convolution and pooling, grid sampling, the CTC loss, and a layer
with a weight-norm parametrization."""

import numpy as np
import pytest

import eager
import eager.nn as nn
import eager.nn.functional as F

static = pytest.importorskip("static")


class Call(nn.Module):
    """A functional call as a module, so that it can be traced like one."""

    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def forward(self, *xs):
        return self.fn(*xs)


def _x(*shape, seed=0):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


def _check(module, *arrays, unknown=(True,)):
    """``module`` traced with the first dim unknown in the inputs flagged in ``unknown``."""
    flags = list(unknown) + [True] * (len(arrays) - len(unknown))
    specs = [(((None,) + a.shape[1:]) if flag else a.shape, a.dtype)
             for a, flag in zip(arrays, flags, strict=True)]
    traced = static.trace(module, *specs)
    with eager.no_grad():
        expected = module(*[eager.from_numpy(a) for a in arrays])
    np.testing.assert_allclose(traced(*arrays), expected.numpy(), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("make", [
    lambda: nn.Conv3d(2, 3, 3, padding=1, stride=(1, 2, 1)),
    lambda: nn.ConvTranspose3d(2, 3, 2, stride=2),
    lambda: nn.MaxPool3d(2),
    lambda: nn.AvgPool3d(3, stride=2, padding=1, count_include_pad=False),
    lambda: nn.AdaptiveAvgPool3d((2, 1, 3)),
    lambda: nn.AdaptiveMaxPool3d((3, None, 2)),
    lambda: nn.utils.parametrizations.weight_norm(nn.Conv3d(2, 2, 1)),
], ids=["conv3d", "conv_transpose3d", "max_pool3d", "avg_pool3d", "adaptive_avg_pool3d",
        "adaptive_max_pool3d", "weight_norm"])
def test_volume_layers_trace(make):
    eager.manual_seed(0)
    _check(make(), _x(3, 2, 4, 5, 6))


@pytest.mark.parametrize("padding_mode", ["zeros", "reflection"])
def test_spatial_transformer_traces(padding_mode):
    def warp(x, theta):
        grid = F.affine_grid(theta, (3, 2, 4, 5), align_corners=False)
        return F.grid_sample(x, grid, padding_mode=padding_mode, align_corners=False)

    theta = np.tile(np.array([[0.9, 0.1, 0.05], [-0.1, 1.1, 0.0]], np.float32), (3, 1, 1))
    _check(Call(warp), _x(3, 2, 4, 5), theta, unknown=(False, False))


def test_ctc_loss_traces():
    log_probs = np.log(np.random.default_rng(1).dirichlet(np.ones(4), (6, 2))).astype(np.float32)
    targets, lengths = np.array([[1, 2], [3, 0]]), np.array([6, 5])

    def loss(lp):
        return F.ctc_loss(lp, eager.from_numpy(targets), lengths, np.array([2, 1]))

    _check(Call(loss), log_probs, unknown=(False,))
