"""dot/inner, outer/ger and addmm against torch: values, dtypes, gradients, errors."""

from __future__ import annotations

import numpy as np
import pytest
from surface_pairs import same, same_error

RNG = np.random.default_rng(1602)
V3 = RNG.standard_normal(3).astype(np.float32)
W3 = RNG.standard_normal(3).astype(np.float32)
M23 = RNG.standard_normal((2, 3)).astype(np.float32)
M34 = RNG.standard_normal((3, 4)).astype(np.float32)


def test_dot_of_vectors_as_function_and_method():
    same(lambda lib, a, b: lib.dot(a, b), V3, W3, grad=True)
    same(lambda lib, a, b: a.dot(b), np.arange(4), np.arange(4) - 2)  # int64 stays int64
    same(lambda lib, a, b: lib.inner(a, b), V3, W3, grad=True)


def test_dot_refuses_other_ranks_and_mixed_dtypes():
    same_error(RuntimeError, lambda lib, a, b: lib.dot(a, b), M23, V3)
    same_error(RuntimeError, lambda lib, a, b: lib.dot(a, b), V3, np.arange(3))


def test_outer_and_ger():
    same(lambda lib, a, b: lib.outer(a, b), V3, M34[0], grad=True)
    same(lambda lib, a, b: a.ger(b), np.arange(3), np.arange(2))
    same(lambda lib, a, b: lib.outer(a, b), np.arange(3), W3)  # promotes to float
    same_error(RuntimeError, lambda lib, a, b: lib.outer(a, b), M23, V3)


@pytest.mark.parametrize("beta,alpha", [(1, 1), (0.5, 2.0), (0, 1), (2, 0)])
def test_addmm_scales_and_broadcasts_the_input(beta, alpha):
    same(lambda lib, c, a, b: lib.addmm(c, a, b, beta=beta, alpha=alpha), M34[0], M23, M34,
         grad=True)
    same(lambda lib, c, a, b: c.addmm(a, b, beta=beta, alpha=alpha),
         RNG.standard_normal((2, 4)), M23.astype(np.float64), M34.astype(np.float64), grad=True)


def test_addmm_with_beta_zero_ignores_nans_in_the_input():
    same(lambda lib, c, a, b: lib.addmm(c, a, b, beta=0), np.full((2, 4), np.nan, np.float32),
         M23, M34)


def test_addmm_refuses_vectors():
    same_error(RuntimeError, lambda lib, c, a, b: lib.addmm(c, a, b), M34[0], V3, M34,
               match_message=False)
