"""eager's random factories draw PyTorch's numbers: the same seed gives the same tensors, for
many sizes (both normal paths and the 16-block tail), dtypes and seeds."""

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")

SEEDS = [0, 1, 12345, 2**32 + 7, -3]
SIZES = [(), (1,), (3,), (15,), (16,), (17,), (33,), (4, 5), (1000,), (7, 13, 3)]


def both(seed, make):
    """``make(module)`` after seeding each framework's global generator with ``seed``."""
    torch.manual_seed(seed)
    expected = make(torch).numpy()
    eager.manual_seed(seed)
    return expected, make(eager).numpy()


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_rand_and_randn_equal_torchs_bit_for_bit(seed, size, dtype):
    for name in ("rand", "randn"):
        expected, got = both(seed, lambda m, name=name: getattr(m, name)(size,
                                                                        dtype=getattr(m, dtype)))
        assert got.dtype == expected.dtype and got.shape == expected.shape
        np.testing.assert_array_equal(got, expected)


def test_randn_large_is_bit_exact_and_keeps_the_stream_in_step():
    torch.manual_seed(3)
    expected = [torch.randn(100_003).numpy(), torch.rand(5).numpy(), torch.randn(2).numpy()]
    eager.manual_seed(3)
    got = [eager.randn(100_003).numpy(), eager.rand(5).numpy(), eager.randn(2).numpy()]
    for e, g in zip(expected, got, strict=True):
        np.testing.assert_array_equal(g, e)


def test_large_float64_normals_and_exponentials_are_within_an_ulp():
    # Past LIBM_LIMIT values, float64 log/sin/cos/log1p are NumPy's vectorised ones, which
    # differ from libm's in the last bit for some values; the stream stays in step.
    n = 70_000
    expected, got = both(6, lambda m: m.randn(n, dtype=m.float64))
    np.testing.assert_allclose(got, expected, rtol=5e-16, atol=5e-16)
    expected, got = both(6, lambda m: m.empty(n, dtype=m.float64).exponential_())
    np.testing.assert_allclose(got, expected, rtol=5e-16, atol=0)
    expected, got = both(6, lambda m: (m.randn(n, dtype=m.float64), m.rand(3))[1])
    np.testing.assert_array_equal(got, expected)


def test_the_cached_normal_carries_over_between_calls():
    # Odd counts of scalar-path normals leave a cached sine half for the next call.
    def draws(m):
        return [m.randn(3), m.randn(1), m.randn(20), m.randn(5, dtype=m.float64), m.randn(2)]
    torch.manual_seed(11)
    expected = [t.numpy() for t in draws(torch)]
    eager.manual_seed(11)
    for e, g in zip(expected, [t.numpy() for t in draws(eager)], strict=True):
        np.testing.assert_array_equal(g, e)


@pytest.mark.parametrize("args", [(10, (5,)), (3, 10, (2, 3)), (-5, 5, (50,)), (0, 2**40, (9,)),
                                  (2**31, (4,)), (-(2**62), 2**62, (6,))])
@pytest.mark.parametrize("dtype", [None, "int32", "float32", "float64", "uint8"])
def test_randint_equals_torchs(args, dtype):
    low = args[0] if len(args) == 3 else 0
    high = args[-2]
    if dtype == "uint8" and (low < 0 or high > 256):
        return
    if dtype == "int32" and (low < -(2**31) or high > 2**31):
        return
    if dtype in ("float32", "float64") and max(-low, high) > 2**24:
        return  # outside the exactly representable integers PyTorch warns
    kw = {} if dtype is None else {"dtype": dtype}
    expected, got = both(5, lambda m: m.randint(*args, **{k: getattr(m, v) for k, v in kw.items()}))
    assert got.dtype == expected.dtype
    np.testing.assert_array_equal(got, expected)


def test_randint_keyword_forms_and_like():
    for make in (lambda m: m.randint(10, size=(3,)), lambda m: m.randint(low=2, high=9, size=(4,)),
                 lambda m: m.randint_like(m.zeros(3, 2), 7),
                 lambda m: m.randint_like(m.zeros(5), 3, 8)):
        expected, got = both(1, make)
        np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("n", [0, 1, 2, 5, 100, 4097])
def test_randperm_equals_torchs(n):
    expected, got = both(n, lambda m: m.randperm(n))
    assert got.dtype == expected.dtype
    np.testing.assert_array_equal(got, expected)


def test_like_forms_and_explicit_generators():
    expected, got = both(2, lambda m: m.rand_like(m.zeros(3, 4, dtype=m.float64)))
    np.testing.assert_array_equal(got, expected)
    expected, got = both(2, lambda m: m.randn_like(m.zeros(40)))
    np.testing.assert_array_equal(got, expected)
    for make in (lambda m: m.rand(5, generator=m.Generator().manual_seed(9)),
                 lambda m: m.randn(20, generator=m.Generator().manual_seed(9)),
                 lambda m: m.randperm(30, generator=m.Generator().manual_seed(9)),
                 lambda m: m.randint(0, 7, (6,), generator=m.Generator().manual_seed(9))):
        expected, got = both(0, make)
        np.testing.assert_array_equal(got, expected)


def test_normal_forms_equal_torchs():
    makes = [lambda m: m.normal(0.5, 2.0, (30,)), lambda m: m.normal(1.0, 0.5, size=(3,)),
             lambda m: m.normal(m.arange(20.0), 1.5),
             lambda m: m.normal(m.arange(5.0) * 0.37, 1.37),  # the scalar path: std inside
             lambda m: m.normal(0.3, m.arange(1, 6.0) * 0.13),
             lambda m: m.normal(m.arange(40.0) * 0.37, m.arange(1, 41.0) * 0.13),
             lambda m: m.normal(m.zeros(4, 5), m.full((4, 5), 0.1))]
    for make in makes:
        expected, got = both(4, make)
        np.testing.assert_array_equal(got, expected)


def test_bernoulli_and_multinomial_functions():
    p = np.random.default_rng(0).random((6, 7)).astype(np.float32)
    for make in (lambda m: m.bernoulli(m.tensor(p)), lambda m: m.bernoulli(m.tensor(p), 0.3),
                 lambda m: m.bernoulli(m.tensor(p.astype(np.float64))),
                 lambda m: m.multinomial(m.tensor(p), 3),
                 lambda m: m.multinomial(m.tensor(p), 9, True),
                 lambda m: m.tensor(p[0]).multinomial(2, generator=m.Generator().manual_seed(1))):
        expected, got = both(8, make)
        assert got.dtype == expected.dtype
        np.testing.assert_array_equal(got, expected)


def test_random_factories_raise_torchs_errors():
    cases = [(lambda m: m.rand(2, dtype=m.int64), NotImplementedError, "check_uniform_bounds"),
             (lambda m: m.randn(2, dtype=m.int64), NotImplementedError, "normal_kernel_cpu"),
             (lambda m: m.randint(5, 3, (2,)), RuntimeError, "from=5 >= to=3"),
             (lambda m: m.rand(-1), RuntimeError, "negative dimension -1"),
             (lambda m: m.bernoulli(m.zeros(2), 1.5), RuntimeError, "p to be in [0, 1]")]
    for make, error, text in cases:
        with pytest.raises(error) as expected:
            make(torch)
        with pytest.raises(error, match=None) as got:
            make(eager)
        assert text in str(expected.value) and text in str(got.value)


def test_requires_grad_and_default_dtypes():
    t = eager.rand(2, 3, requires_grad=True)
    assert t.requires_grad and t.dtype == eager.float32
    assert eager.randint(3, (2,)).dtype == eager.int64 and eager.randperm(3).dtype == eager.int64
