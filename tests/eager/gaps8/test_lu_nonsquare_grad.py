"""The LU factorization's gradient for wide and tall (and batched) matrices, as torch has it:
``linalg.lu_factor`` and ``linalg.lu`` of 3x5 and 5x3 inputs against torch and against
finite differences (float64)."""

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")

SHAPES = [(3, 5), (5, 3), (2, 3, 5), (2, 4, 2), (4, 4)]


def _grads(lib, shape):
    a = np.random.default_rng(sum(shape)).standard_normal(shape)
    a += 4 * np.eye(*shape[-2:])[::-1]  # a clear pivot in each column
    x = lib.tensor(a, requires_grad=True)
    packed, _ = lib.linalg.lu_factor(x)
    weights = lib.tensor(np.linspace(1, 2, packed.numel()).reshape(tuple(packed.shape)))
    (packed * weights).sum().backward()
    y = lib.tensor(a, requires_grad=True)
    _, lower, upper = lib.linalg.lu(y)
    (lower.sum() * 2 + (upper * upper).sum()).backward()
    return x.grad.numpy(), y.grad.numpy()


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_lu_gradients_match_torch(shape):
    for mine, ref in zip(_grads(eager, shape), _grads(torch, shape), strict=True):
        np.testing.assert_allclose(mine, ref, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("shape", [(3, 5), (5, 3)], ids=str)
def test_lu_gradients_match_finite_differences(shape):
    a = np.random.default_rng(7).standard_normal(shape) + 4 * np.eye(*shape)[::-1]
    x = eager.tensor(a, requires_grad=True)
    assert eager.autograd.gradcheck(lambda t: eager.linalg.lu_factor(t)[0], (x,))
    assert eager.autograd.gradcheck(lambda t: eager.linalg.lu(t)[1:], (x,))
