"""In-place random fills (``uniform_``, ``normal_``, ``random_``, ``bernoulli_``,
``exponential_``) equal PyTorch's for each dtype, on views, with generators; errors as
PyTorch's."""

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")

FILLS = [("uniform_", (-0.5, 2.0)), ("uniform_", (-1 / 3, 1 / 3)), ("normal_", (0.3, 0.7)),
         ("normal_", ()), ("exponential_", (2.0,)), ("bernoulli_", (0.3,)), ("random_", ()),
         ("random_", (10,)), ("random_", (-4, 9)), ("cauchy_", (0.5, 2.0)),
         ("geometric_", (0.3,)), ("log_normal_", ()), ("log_normal_", (1.0, 0.5))]


@pytest.mark.parametrize(("method", "args"), FILLS)
@pytest.mark.parametrize("n", [1, 7, 16, 33, 1000])
@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_fills_equal_torchs(method, args, n, dtype):
    torch.manual_seed(n)
    expected = getattr(torch.empty(n, dtype=getattr(torch, dtype)), method)(*args).numpy()
    eager.manual_seed(n)
    got = getattr(eager.empty(n, dtype=getattr(eager, dtype)), method)(*args).numpy()
    np.testing.assert_array_equal(got, expected)
    assert eager.rand(1).item() == torch.rand(1).item()


@pytest.mark.parametrize("dtype", ["int64", "int32", "int16", "int8", "uint8", "bool"])
def test_random_on_integer_dtypes(dtype):
    for args in [(), (3,), (1, 5)] if dtype != "bool" else [(), (2,)]:
        torch.manual_seed(4)
        expected = torch.empty(40, dtype=getattr(torch, dtype)).random_(*args).numpy()
        eager.manual_seed(4)
        got = eager.empty(40, dtype=getattr(eager, dtype)).random_(*args).numpy()
        np.testing.assert_array_equal(got, expected)


def test_large_non_contiguous_normals_take_the_element_wise_path():
    torch.manual_seed(0)
    a = torch.empty(300, 200)
    a.t().normal_(0.5, 2.0)
    eager.manual_seed(0)
    b = eager.empty(300, 200)
    b.t().normal_(0.5, 2.0)
    np.testing.assert_array_equal(b.numpy(), a.numpy())
    assert eager.randn(3).tolist() == torch.randn(3).tolist()  # the cached normal too


def test_fills_of_views_follow_memory_order_and_reach_the_base():
    torch.manual_seed(0)
    a = torch.zeros(20, 30)
    a.t().normal_()
    a.t()[::2].uniform_()
    a[:, 3].bernoulli_(0.5)
    eager.manual_seed(0)
    b = eager.zeros(20, 30)
    b.t().normal_()
    b.t()[::2].uniform_()
    b[:, 3].bernoulli_(0.5)
    np.testing.assert_array_equal(b.numpy(), a.numpy())


def test_bernoulli_with_tensor_probabilities_and_generators():
    p = np.random.default_rng(0).random((5, 6))
    for dtype in ("float32", "float64"):
        pt, pe = torch.tensor(p, dtype=getattr(torch, dtype)), eager.tensor(p, dtype=dtype)
        torch.manual_seed(2)
        expected = [torch.empty(5, 6).bernoulli_(pt).numpy(), pt.bernoulli().numpy(),
                    torch.zeros(5, 6).bernoulli_(pt[0]).numpy()]
        eager.manual_seed(2)
        got = [eager.empty(5, 6).bernoulli_(pe).numpy(), pe.bernoulli().numpy(),
               eager.zeros(5, 6).bernoulli_(pe[0]).numpy()]
        for g, e in zip(got, expected, strict=True):
            np.testing.assert_array_equal(g, e)
    g_t, g_e = torch.Generator().manual_seed(8), eager.Generator().manual_seed(8)
    np.testing.assert_array_equal(eager.empty(9).uniform_(generator=g_e).numpy(),
                                  torch.empty(9).uniform_(generator=g_t).numpy())
    np.testing.assert_array_equal(eager.empty(20).normal_(generator=g_e).numpy(),
                                  torch.empty(20).normal_(generator=g_t).numpy())


def test_fills_bump_the_version_and_refuse_leaves_that_require_grad():
    t = eager.zeros(3)
    before = t._version
    t.uniform_()
    assert t._version > before
    leaf = eager.zeros(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf Variable that requires grad"):
        leaf.normal_()
    with eager.no_grad():
        leaf.normal_()


def test_fill_errors_are_torchs():
    cases = [(lambda m: m.empty(2).normal_(0, -1), RuntimeError),
             (lambda m: m.empty(2).uniform_(1, 0), RuntimeError),
             (lambda m: m.empty(2).bernoulli_(1.5), RuntimeError),
             (lambda m: m.empty(2).exponential_(-1), RuntimeError),
             (lambda m: m.empty(2, dtype=m.int64).uniform_(), NotImplementedError),
             (lambda m: m.empty(2).random_(5, 3), RuntimeError),
             (lambda m: m.empty(2).log_normal_(1, 0), RuntimeError),
             (lambda m: m.empty(2).geometric_(1.5), RuntimeError),
             (lambda m: m.empty(2).cauchy_(0, -1), RuntimeError),
             (lambda m: m.empty(2, dtype=m.int64).log_normal_(), NotImplementedError)]
    for make, error in cases:
        with pytest.raises(error) as theirs:
            make(torch)
        with pytest.raises(error) as ours:
            make(eager)
        assert str(ours.value) == str(theirs.value)
