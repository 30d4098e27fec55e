"""ATen's rejection samplers (eager/random/gamma_kernels.py) against torch 2.13, element by
element from the same seeds: ``_standard_gamma``, ``_sample_dirichlet``, ``poisson`` and
``binomial`` in float32 and float64, small and large parameters, and the stream left where
torch leaves it (the next ``rand`` agrees too)."""

from __future__ import annotations

import numpy as np
import pytest

from eager.random import gamma_kernels
from eager.random.engine import Engine
from eager.random.kernels import uniform

torch = pytest.importorskip("torch")
DTYPES = [(np.float32, torch.float32), (np.float64, torch.float64)]
ALPHAS = [0.0, 1e-3, 0.05, 0.3, 0.5, 0.99, 1.0, 1.5, 2.0, 5.0, 30.0, 1e3, 1e5]
RATES = [0.0, 1e-3, 0.1, 1.0, 5.0, 9.99, 10.0, 30.0, 1e4]
COUNTS = [0.0, 1.0, 5.0, 10.0, 20.0, 100.0, 1000.0, 33.0]
PROBS = [0.0, 0.01, 0.1, 0.3, 0.5, 0.7, 0.95, 0.999, 1.0, 0.2]


def _next_rand_agrees(engine: Engine) -> bool:
    """Whether both streams continue alike (the samplers drew exactly torch's words)."""
    ours = uniform(engine, 5, np.dtype(np.float32))
    return np.array_equal(ours, torch.rand(5).numpy())


@pytest.mark.parametrize("seed", [0, 1, 2024])
@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
def test_standard_gamma_is_torchs(seed, dtype):
    alpha = np.tile(np.array(ALPHAS, dtype[0]), 12).reshape(4, -1)
    torch.manual_seed(seed)
    expected = torch._standard_gamma(torch.tensor(alpha)).numpy()
    engine = Engine(seed)
    got = gamma_kernels.standard_gamma(engine, alpha).reshape(alpha.shape)
    assert got.dtype == expected.dtype
    np.testing.assert_array_equal(got, expected)
    assert _next_rand_agrees(engine)


def test_standard_gamma_clamps_at_the_smallest_normal():
    alpha = np.full(50, 1e-3, np.float32)  # most draws underflow float32
    got = gamma_kernels.standard_gamma(Engine(5), alpha)
    assert got.min() == np.finfo(np.float32).tiny
    torch.manual_seed(5)
    np.testing.assert_array_equal(got, torch._standard_gamma(torch.tensor(alpha)).numpy())


@pytest.mark.parametrize("seed", [0, 3])
@pytest.mark.parametrize("k", [2, 3, 4])
def test_sample_dirichlet_is_torchs(seed, k):
    # Up to 4 categories the row sum is sequential in ATen too, so float64 agrees to the bit
    # (wider rows are summed in SIMD lanes: 1 ulp apart, see the next test).
    alpha = np.random.default_rng(k).choice(ALPHAS[1:], size=(6, k))
    for np_dtype, _ in DTYPES:
        a = alpha.astype(np_dtype)
        torch.manual_seed(seed)
        expected = torch._sample_dirichlet(torch.tensor(a)).numpy()
        engine = Engine(seed)
        np.testing.assert_array_equal(gamma_kernels.sample_dirichlet(engine, a), expected)
        assert _next_rand_agrees(engine)


def test_sample_dirichlet_wide_rows_within_an_ulp():
    alpha = np.random.default_rng(9).uniform(0.1, 4.0, (5, 11))
    torch.manual_seed(1)
    expected = torch._sample_dirichlet(torch.tensor(alpha)).numpy()
    got = gamma_kernels.sample_dirichlet(Engine(1), alpha)
    np.testing.assert_array_max_ulp(got, expected, maxulp=2)
    np.testing.assert_array_equal(
        gamma_kernels.sample_dirichlet(Engine(1), alpha.astype(np.float32)),
        (torch.manual_seed(1), torch._sample_dirichlet(torch.tensor(alpha).float()))[1].numpy())


def test_poisson_refuses_a_negative_rate():
    with pytest.raises(RuntimeError, match="invalid Poisson rate"):
        gamma_kernels.poisson(Engine(0), np.array([1.0, -1.0]))


# (our sampler over an engine, torch's function, first parameters); probabilities second
COUNT_SAMPLERS = {
    "poisson": (lambda e, a, p: gamma_kernels.poisson(e, a), lambda a, p: torch.poisson(a),
                RATES),
    "binomial": (gamma_kernels.binomial, torch.binomial, COUNTS),
}


@pytest.mark.parametrize("seed", [0, 11])
@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
@pytest.mark.parametrize("name", COUNT_SAMPLERS)
def test_count_samplers_are_torchs(seed, dtype, name):
    ours, theirs, firsts = COUNT_SAMPLERS[name]
    # rates and counts below and above 10, probabilities on both sides of 1/2: every branch
    first = np.tile(np.array(firsts, dtype[0]), 10)[:80]
    probs = np.tile(np.array(PROBS, dtype[0]), 8)
    torch.manual_seed(seed)
    expected = theirs(torch.tensor(first), torch.tensor(probs)).numpy()
    engine = Engine(seed)
    np.testing.assert_array_equal(ours(engine, first, probs), expected)
    assert _next_rand_agrees(engine)


def test_binomial_of_a_nan_probability_is_nan_without_a_draw():
    counts, probs = np.array([5.0, 5.0]), np.array([np.nan, 0.5])
    torch.manual_seed(3)
    expected = torch.binomial(torch.tensor(counts), torch.tensor(probs)).numpy()
    engine = Engine(3)
    got = gamma_kernels.binomial(engine, counts, probs)
    np.testing.assert_array_equal(got, expected)  # nan in the same place, the same draw after
    assert np.isnan(got[0]) and _next_rand_agrees(engine)
