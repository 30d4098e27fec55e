"""Float64 central finite differences against the gradients of the F18/F23 layers and
functions (the random ones with their draws fixed by a seed re-set before every call)."""

import numpy as np
import pytest

import eager
import eager.nn as nn
import eager.nn.functional as F


def _x(*shape, seed=0, positive=False):
    a = np.random.default_rng(seed).standard_normal(shape)
    return eager.tensor(np.abs(a) + 0.5 if positive else a, requires_grad=True)


def _seeded(fn, seed=3):
    def call(*xs):
        eager.manual_seed(seed)  # the same draws at every evaluation
        return fn(*xs)
    return call


def _double(module):
    for p in module.parameters():
        p.data = p.data.double()
    return module


CASES = {
    "avg_pool2d ceil divisor": (lambda t: F.avg_pool2d(t, 3, 2, 1, True, True, 5),
                                [(1, 2, 5, 6)]),
    "avg_pool1d ceil": (lambda t: F.avg_pool1d(t, 3, 2, 1, True, False), [(2, 2, 8)]),
    "adaptive_max_pool3d indices": (lambda t: F.adaptive_max_pool3d(t, (2, 3, 2), True)[0],
                                    [(1, 2, 3, 5, 4)]),
    "max_pool3d indices": (lambda t: F.max_pool3d(t, 2, return_indices=True)[0],
                           [(1, 1, 4, 4, 4)]),
    "lp_pool2d": (lambda t: F.lp_pool2d(t, 3, 2), [(1, 2, 4, 4)]),
    "lp_pool1d": (lambda t: F.lp_pool1d(t, 1.5, 3, 2, True), [(1, 2, 7)]),
    "lp_pool3d": (lambda t: F.lp_pool3d(t, 2, 2), [(1, 1, 4, 4, 2)]),
    "channel_shuffle": (lambda t: F.channel_shuffle(t, 3), [(2, 6, 2, 2)]),
    "instance_norm3d": (lambda t: _double(nn.InstanceNorm3d(2, affine=True))(t),
                        [(2, 2, 3, 2, 3)]),
    "reflection_pad3d": (lambda t: nn.ReflectionPad3d((1, 0, 1, 1, 0, 1))(t), [(1, 2, 2, 3, 2)]),
    "replication_pad3d": (lambda t: nn.ReplicationPad3d(1)(t), [(1, 1, 2, 2, 2)]),
    "circular_pad3d": (lambda t: nn.CircularPad3d(1)(t), [(1, 1, 2, 3, 2)]),
    "pdist": (lambda t: F.pdist(t, 2.0), [(4, 3)]),
    "triplet_margin_with_distance_loss": (
        lambda a, p, n: F.triplet_margin_with_distance_loss(a, p, n, margin=3.0, swap=True),
        [(4, 3), (4, 3), (4, 3)]),
    "alpha_dropout": (_seeded(lambda t: F.alpha_dropout(t, 0.3, True)), [(3, 4)]),
    "feature_alpha_dropout": (_seeded(lambda t: F.feature_alpha_dropout(t, 0.3, True)),
                              [(3, 4, 2)]),
    "rrelu": (_seeded(lambda t: F.rrelu(t, 0.1, 0.3, True)), [(3, 4)]),
    "max_unpool3d": (lambda t: F.max_unpool3d(t, eager.tensor(np.array(
        [[[[[0, 3], [10, 15]], [[17, 22], [40, 63]]]]])), 2), [(1, 1, 2, 2, 2)]),
    "upsample_bilinear": (lambda t: F.upsample_bilinear(t, scale_factor=2), [(1, 1, 2, 3)]),
    "conv3d same": (lambda t, w: F.conv3d(t, w, padding="same", dilation=(2, 1, 1)),
                    [(1, 2, 4, 3, 3), (2, 2, 3, 1, 2)]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_gradient_matches_finite_differences(name, recwarn):  # recwarn: expected warnings
    fn, shapes = CASES[name]
    inputs = tuple(_x(*shape, seed=i, positive=name.startswith("lp_pool"))
                   for i, shape in enumerate(shapes))
    assert eager.autograd.gradcheck(fn, inputs)


def test_adaptive_log_softmax_gradient_matches_finite_differences():
    eager.manual_seed(0)
    asm = _double(nn.AdaptiveLogSoftmaxWithLoss(8, 10, [3, 6], div_value=2.0))
    target = eager.tensor([0, 4, 9, 7])
    assert eager.autograd.gradcheck(lambda t: asm(t, target).loss, (_x(4, 8),))
