"""cummax/cummin, logcumsumexp, nanmedian, cov and corrcoef against torch: values, indices on
ties and nan, return types, gradients (logcumsumexp's over inputs thousands apart) and
errors."""

from __future__ import annotations

import numpy as np
import pytest
from surface_pairs import same, same_error, torch

import eager

RNG = np.random.default_rng(2662)
X = RNG.standard_normal((3, 5))


@pytest.mark.parametrize("name", ["cummax", "cummin"])
@pytest.mark.parametrize("dim", [0, 1, -1])
def test_running_extremes_values_indices_and_gradient(name, dim):
    same(lambda lib, x: getattr(lib, name)(x, dim), X, grad=True)
    ties = RNG.integers(0, 3, (4, 6)).astype(np.float32)
    same(lambda lib, x: getattr(x, name)(dim), ties, grad=True)


@pytest.mark.parametrize("name", ["cummax", "cummin"])
def test_running_extremes_with_nan_ints_and_return_type(name):
    same(lambda lib, x: getattr(lib, name)(x, 0), np.array([1.0, np.nan, 3.0, -1.0]))
    # With two nans the index is the latest nan's.
    same(lambda lib, x: getattr(lib, name)(x, 0), np.array([1.0, np.nan, 3.0, np.nan, 0.0]),
         grad=True)
    same(lambda lib, x: getattr(lib, name)(x, 0), np.zeros((0, 3)))
    same(lambda lib, x: getattr(lib, name)(x, 0), np.array([3, 1, 4, 1, 5]))
    ours = getattr(eager, name)(eager.tensor([2.0, 1.0]), 0)
    theirs = getattr(torch, name)(torch.tensor([2.0, 1.0]), 0)
    assert repr(ours) == repr(theirs)


@pytest.mark.parametrize("dim", [0, -1])
def test_logcumsumexp_value_and_gradient(dim):
    same(lambda lib, x: lib.logcumsumexp(x, dim), X, grad=True)
    same(lambda lib, x: x.logcumsumexp(dim), X.astype(np.float32), grad=True)


def test_logcumsumexp_is_stable_across_large_ranges():
    wide = np.array([[-800.0, 0.3, 900.0, 899.0, -1000.0, 905.0],
                     [1e4, -1e4, 1e4, 3.0, -np.inf, 2.0]])
    for dtype in (np.float32, np.float64):
        same(lambda lib, x: lib.logcumsumexp(x, 1), wide.astype(dtype), grad=True)
    x = eager.tensor(wide, requires_grad=True)
    eager.logcumsumexp(x, 1).sum().backward()
    assert np.isfinite(x.grad.numpy()).all()


def test_logcumsumexp_rejects_integers_as_torch():
    same_error(NotImplementedError, lambda lib, x: lib.logcumsumexp(x, 0), np.array([1, 2]))


def test_nanmedian():
    data = np.array([[np.nan, np.nan, np.nan, 1.0], [3.0, np.nan, 1.0, 2.0],
                     [np.nan, 5.0, np.nan, 2.0], [4.0, 1.0, 4.0, 2.0]])
    same(lambda lib, x: lib.nanmedian(x, 1), data)
    # A slice of nan only: nan (PyTorch's index there is whatever its partial sort leaves).
    assert np.isnan(eager.nanmedian(eager.tensor([[np.nan] * 4]), 1).values.item())
    same(lambda lib, x: lib.nanmedian(x, 0, keepdim=True), data)
    same(lambda lib, x: x.nanmedian(), data)
    same(lambda lib, x: lib.nanmedian(x, 1), X, grad=True)
    same(lambda lib, x: lib.nanmedian(x), np.array([np.nan, 1.0, 2.0, 3.0]))
    empty = eager.nanmedian(eager.zeros(0))
    assert empty.dtype == eager.float32 and empty.shape == () and np.isnan(empty.item())


def test_cov_plain_corrected_and_weighted():
    same(lambda lib, x: lib.cov(x), X, grad=True)
    same(lambda lib, x: lib.cov(x, correction=0), X, grad=True)
    same(lambda lib, x: x.cov(), X[0])
    fw, aw = np.array([1, 2, 1, 3, 1]), RNG.uniform(0.5, 2.0, 5)
    same(lambda lib, x, f: lib.cov(x, fweights=f), X, fw, grad=True)
    same(lambda lib, x, a: lib.cov(x, aweights=a), X, aw, grad=True)
    same(lambda lib, x, f, a: lib.cov(x, correction=2, fweights=f, aweights=a), X, fw, aw)
    same(lambda lib, x: lib.cov(x), np.array([[1, 2, 4], [3, 1, 0]]))


@pytest.mark.parametrize("weights", [
    {"fweights": np.array([1.0, 2.0, 1.0, 3.0, 1.0])},  # fweights must be integral
    {"fweights": np.array([1, 2, 1])},  # one per observation
    {"fweights": np.array([[1, 2, 1, 3, 1]])},  # at most 1-d
    {"aweights": np.array([1, 2, 1, 3, 1])},  # aweights must be floating point
    {"aweights": np.array([1.0, 2.0])},
])
def test_cov_rejects_weights_torch_rejects(weights):
    same_error(RuntimeError, lambda lib, x, w: lib.cov(x, **{next(iter(weights)): w}), X,
               next(iter(weights.values())))


def test_cov_rejects_bool_input():
    same_error(RuntimeError, lambda lib, x: lib.cov(x), X > 0)


def test_corrcoef():
    same(lambda lib, x: lib.corrcoef(x), X, grad=True)
    same(lambda lib, x: x.corrcoef(), X[1])
    same(lambda lib, x: lib.corrcoef(x), np.array([[1, 2, 4], [3, 1, 0]]))
    same_error(RuntimeError, lambda lib, x: lib.cov(x), np.zeros((2, 2, 2)))
