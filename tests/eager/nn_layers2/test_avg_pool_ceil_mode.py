"""``ceil_mode=True`` on AvgPool1d/2d/3d and F.avg_pool*d against torch: the last, partial
window's clipping (its divisor stops at the far padding), with ``count_include_pad`` both ways
and ``divisor_override``; outputs, gradients and float64 finite differences."""

import numpy as np
import pytest
from nn_parity import randn, run_both
from torch_errors import assert_same_error

import eager
import eager.nn as nn
import eager.nn.functional as F

torch = pytest.importorskip("torch")

CASES_2D = [  # kernel, stride, padding, count_include_pad, divisor_override, input shape
    (3, 2, 1, True, None, (2, 3, 6, 6)),
    (3, 2, 1, False, None, (2, 3, 6, 7)),
    (2, 2, 0, True, None, (1, 2, 5, 5)),
    ((3, 2), (2, 3), (1, 0), True, None, (2, 2, 8, 7)),
    (3, 2, 1, True, 4, (1, 2, 6, 6)),
    (2, 3, 1, False, None, (3, 5, 5)),  # unbatched
]


@pytest.mark.parametrize("k,s,p,cip,dov,shape", CASES_2D)
def test_avg_pool2d_ceil_mode_matches_torch(k, s, p, cip, dov, shape):
    run_both(lambda x: F.avg_pool2d(x, k, s, p, True, cip, dov),
             lambda x: torch.nn.functional.avg_pool2d(x, k, s, p, True, cip, dov),
             [randn(*shape)], torch)


@pytest.mark.parametrize("cip", [True, False])
def test_avg_pool1d_and_3d_ceil_mode_match_torch(cip):
    run_both(lambda x: F.avg_pool1d(x, 3, 2, 1, True, cip),
             lambda x: torch.nn.functional.avg_pool1d(x, 3, 2, 1, True, cip),
             [randn(2, 3, 8)], torch)
    run_both(lambda x: F.avg_pool3d(x, (2, 3, 2), 2, (1, 1, 0), True, cip),
             lambda x: torch.nn.functional.avg_pool3d(x, (2, 3, 2), 2, (1, 1, 0), True, cip),
             [randn(2, 2, 5, 6, 5)], torch)
    run_both(lambda x: F.avg_pool3d(x, 2, 2, 0, True, cip, 3),
             lambda x: torch.nn.functional.avg_pool3d(x, 2, 2, 0, True, cip, 3),
             [randn(1, 2, 3, 5, 5)], torch)


def test_layers_with_ceil_mode_print_and_compute_as_torch():
    for name, args, shape in [("AvgPool1d", (3, 2, 1), (2, 3, 8)),
                              ("AvgPool2d", (3, 2, 1), (2, 3, 6, 6)),
                              ("AvgPool3d", (3, 2, 1), (1, 2, 5, 6, 5))]:
        ours = getattr(nn, name)(*args, ceil_mode=True, count_include_pad=False)
        theirs = getattr(torch.nn, name)(*args, ceil_mode=True, count_include_pad=False)
        assert repr(ours) == repr(theirs)
        run_both(ours, theirs, [randn(*shape)], torch)


def test_the_inception_pool_keeps_a_partial_last_window():
    # 6 inputs, k=3, s=2, p=1: floor mode gives 3 outputs, ceil mode a 4th window [5, 8)
    # that is clipped at the far padding (7), so its divisor is 2 cells, not 3.
    x = eager.arange(6.0).reshape(1, 1, 6)
    out = F.avg_pool1d(x, 3, 2, 1, ceil_mode=True)
    np.testing.assert_allclose(out.numpy().ravel(), [1 / 3, 2.0, 4.0, 5 / 2])


def test_ceil_mode_gradients_match_finite_differences():
    x = eager.tensor(np.random.default_rng(3).standard_normal((1, 2, 5, 6)),
                     requires_grad=True)
    assert eager.autograd.gradcheck(
        lambda t: F.avg_pool2d(t, 3, 2, 1, ceil_mode=True, count_include_pad=False), (x,))
    y = eager.tensor(np.random.default_rng(4).standard_normal((1, 1, 3, 5, 4)),
                     requires_grad=True)
    assert eager.autograd.gradcheck(
        lambda t: F.avg_pool3d(t, 2, 2, 1, ceil_mode=True), (y,))


def test_zero_divisor_is_refused_as_torch():
    x = randn(1, 1, 4, 4)
    assert_same_error(RuntimeError,
                      lambda: F.avg_pool2d(eager.tensor(x), 2, divisor_override=0),
                      lambda: torch.nn.functional.avg_pool2d(torch.tensor(x), 2,
                                                             divisor_override=0))
