"""FractionalMaxPool2d/3d and F.fractional_max_pool*d against torch: the same seed draws the
same windows (torch.rand samples per plane), outputs, indices, gradients, fixed
``_random_samples``, reprs and errors."""

import numpy as np
import pytest
from nn_parity import assert_close, randn
from torch_errors import assert_same_error

import eager
import eager.nn as nn
import eager.nn.functional as F

torch = pytest.importorskip("torch")
TF = torch.nn.functional


def _seeded(lib, fn, x, seed=4):
    lib.manual_seed(seed)
    t = lib.tensor(x, requires_grad=True)
    out, idx = fn(lib, t)
    (out * out).sum().backward()
    return out, idx, t.grad, lib.rand(2)


@pytest.mark.parametrize("nd,kwargs,shape", [
    (2, dict(kernel_size=2, output_size=4), (2, 3, 9, 8)),
    (2, dict(kernel_size=3, output_size=(5, 3)), (1, 2, 9, 8)),
    (2, dict(kernel_size=(2, 3), output_ratio=(0.5, 0.6)), (2, 2, 9, 8)),
    (2, dict(kernel_size=2, output_size=3), (3, 7, 7)),  # unbatched
    (3, dict(kernel_size=2, output_size=4), (2, 2, 7, 9, 8)),
    (3, dict(kernel_size=(2, 3, 2), output_ratio=0.5), (1, 2, 7, 9, 8)),
])
def test_same_seed_same_windows_values_indices_and_gradients(nd, kwargs, shape):
    name = f"fractional_max_pool{nd}d"
    x = randn(*shape)
    ours = _seeded(eager, lambda L, t: getattr(F, name)(t, return_indices=True, **kwargs), x)
    theirs = _seeded(torch, lambda L, t: getattr(TF, name)(t, return_indices=True, **kwargs), x)
    assert_close(list(ours), list(theirs))
    layer = f"FractionalMaxPool{nd}d"
    ours = _seeded(eager, lambda L, t: (getattr(nn, layer)(**kwargs)(t), t), x)
    theirs = _seeded(torch, lambda L, t: (getattr(torch.nn, layer)(**kwargs)(t), t), x)
    assert_close(list(ours[:3]), list(theirs[:3]))


def test_fixed_samples_and_float64():
    x = randn(2, 3, 8, 8).astype(np.float64)
    samples = np.random.default_rng(1).random((2, 3, 2))
    out_e = nn.FractionalMaxPool2d(3, output_size=4, return_indices=True,
                                   _random_samples=eager.tensor(samples))(eager.tensor(x))
    out_t = torch.nn.FractionalMaxPool2d(3, output_size=4, return_indices=True,
                                         _random_samples=torch.tensor(samples))(torch.tensor(x))
    assert_close(list(out_e), list(out_t))
    assert repr(nn.FractionalMaxPool3d(2, output_size=3)) == \
        repr(torch.nn.FractionalMaxPool3d(2, output_size=3))


def test_gradient_matches_finite_differences():
    samples = eager.tensor(np.random.default_rng(2).random((1, 2, 2)))
    x = eager.tensor(np.random.default_rng(3).standard_normal((1, 2, 7, 6)), requires_grad=True)
    assert eager.autograd.gradcheck(
        lambda t: F.fractional_max_pool2d(t, 2, output_size=(4, 3), _random_samples=samples),
        (x,))


@pytest.mark.parametrize("error,call", [
    (ValueError, lambda L: L.nn.FractionalMaxPool2d(2)),
    (ValueError, lambda L: L.nn.FractionalMaxPool2d(2, 3, 0.5)),
    (ValueError, lambda L: L.nn.FractionalMaxPool2d(2, output_ratio=1.5)),
    (ValueError, lambda L: L.nn.FractionalMaxPool3d(0, output_size=2)),
    (ValueError, lambda L: L.nn.functional.fractional_max_pool2d(L.ones(1, 1, 5, 5), 2)),
    (RuntimeError, lambda L: L.nn.functional.fractional_max_pool2d(L.ones(1, 1, 5, 5), 4,
                                                                    output_size=3)),
    (RuntimeError, lambda L: L.nn.functional.fractional_max_pool3d(L.ones(1, 1, 3, 5, 5), 3,
                                                                    output_size=2)),
    (RuntimeError, lambda L: L.nn.functional.fractional_max_pool2d(
        L.ones(1, 1, 5, 5), 2, output_size=3, _random_samples=L.ones(1, 2, 2))),
])
def test_errors_are_torch_s(error, call):
    assert_same_error(error, lambda: call(eager), lambda: call(torch))
