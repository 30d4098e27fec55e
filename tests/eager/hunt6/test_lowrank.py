"""svd_lowrank and pca_lowrank draw PyTorch's Gaussian test matrix from the generator and run
its range finder, so under one seed they give torch's factors: tall, wide and batched
inputs, a subtracted M, pca's centring and default q, and torch's ValueErrors."""

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")

rng = np.random.default_rng(3)


def _factors(lib, call, data):
    lib.manual_seed(11)
    return [f.numpy() for f in call(lib, lib.tensor(data))]


CALLS = {
    "tall": (lambda L, A: L.svd_lowrank(A, q=3), (20, 5)),
    "wide": (lambda L, A: L.svd_lowrank(A, q=2, niter=1), (4, 9)),
    "batched": (lambda L, A: L.svd_lowrank(A, q=2), (3, 8, 5)),
    "with_M": (lambda L, A: L.svd_lowrank(A, q=3, M=A.mean(0, keepdim=True)), (12, 4)),
    "pca_default_q": (lambda L, A: L.pca_lowrank(A), (30, 7)),
    "pca_uncentred": (lambda L, A: L.pca_lowrank(A, q=2, center=False, niter=4), (15, 6)),
}


@pytest.mark.parametrize("name", list(CALLS))
def test_factors_match_torch_under_one_seed(name):
    call, shape = CALLS[name]
    data = rng.normal(size=shape) + np.linspace(0, 3, shape[-1])
    want = _factors(torch, call, data)
    got = _factors(eager, call, data)
    assert [g.shape for g in got] == [w.shape for w in want]
    # A singular pair's sign is LAPACK's choice (torch's MKL and NumPy's differ on wide
    # matrices): compare the pairs with the sign of each U column's largest entry made +.
    for (u, s, v), (tu, ts, tv) in [(_signed(*got), _signed(*want))]:
        np.testing.assert_allclose(s, ts, rtol=1e-10)
        np.testing.assert_allclose(u, tu, rtol=1e-8, atol=1e-10)
        np.testing.assert_allclose(v, tv, rtol=1e-8, atol=1e-10)


def _signed(u, s, v):
    largest = np.take_along_axis(u, np.abs(u).argmax(-2)[..., None, :], axis=-2)
    sign = np.sign(largest)
    return u * sign, s, v * sign


def test_float32_input_keeps_float32():
    eager.manual_seed(0)
    U, S, V = eager.pca_lowrank(eager.randn(10, 4), q=2)
    assert (U.dtype, S.dtype, V.dtype) == (eager.float32,) * 3


@pytest.mark.parametrize("kwargs", [dict(q=9), dict(q=-1), dict(niter=-1)], ids=repr)
def test_pca_lowrank_errors_are_torchs(kwargs):
    with pytest.raises(ValueError) as want:
        torch.pca_lowrank(torch.ones(5, 4), **kwargs)
    with pytest.raises(ValueError) as got:
        eager.pca_lowrank(eager.ones(5, 4), **kwargs)
    assert str(got.value) == str(want.value)
