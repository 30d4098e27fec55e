"""Order statistics, counting and the torch functions over them against torch: indices on
ties (random small integer data), and gradients of the differentiable ones."""

from __future__ import annotations

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")
rng = np.random.default_rng(5)


@pytest.mark.parametrize("seed", range(4))
def test_indices_on_ties_are_torchs(seed):
    data = np.random.default_rng(seed).integers(0, 4, size=(40, 9)).astype(np.float64)
    ours, theirs = eager.tensor(data), torch.tensor(data)
    for k in (1, 3, 5, 9):
        assert np.array_equal(eager.kthvalue(ours, k, 1).indices.numpy(),
                              torch.kthvalue(theirs, k, 1).indices.numpy())
    assert np.array_equal(eager.median(ours, 1).indices.numpy(),
                          torch.median(theirs, 1).indices.numpy())
    assert np.array_equal(eager.mode(ours, 1).indices.numpy(),
                          torch.mode(theirs, 1).indices.numpy())
    assert np.array_equal(eager.mode(ours, 0).values.numpy(), torch.mode(theirs, 0).values.numpy())


X = rng.standard_normal((4, 6))
Y = rng.standard_normal((5, 6))
GRADED = {
    "median": lambda L, x, y: L.median(x) + L.median(x, 1).values.sum(),
    "kthvalue": lambda L, x, y: L.kthvalue(x, 2, 0).values.sum(),
    "mode": lambda L, x, y: L.mode(L.round(x), 1).values.sum() + (L.mode(x, 1).values * 3).sum(),
    "quantile": lambda L, x, y: (L.quantile(x, L.tensor([0.1, 0.5, 0.95], dtype=L.float64), 1)
                                 * L.arange(3.0, dtype=L.float64).view(3, 1)).sum(),
    "nanmean": lambda L, x, y: L.nanmean(L.where(x > 1, float("nan"), x), 0).sum(),
    "nansum": lambda L, x, y: L.nansum(L.where(x > 1, float("nan"), x) ** 2),
    "diff": lambda L, x, y: (L.diff(x, 2, 1, append=y[:4]) ** 2).sum(),
    "logit": lambda L, x, y: L.logit(L.sigmoid(x), eps=0.2).sum() + L.logit(L.sigmoid(y)).sum(),
    "nan_to_num": lambda L, x, y: L.nan_to_num(L.log(x), nan=0.5, neginf=-3.0).sum(),
    "cdist": lambda L, x, y: L.cdist(x, y).sum() + L.cdist(x, y, p=1).sum()
                             + L.cdist(x.repeat(8, 1), y).sum(),
    "tensordot": lambda L, x, y: (L.tensordot(x, y, dims=([1], [1])) ** 2).sum(),
    "block_diag": lambda L, x, y: (L.block_diag(x, y[:2]) * L.arange(
        72.0, dtype=L.float64).view(6, 12)).sum(),
    "cartesian_prod": lambda L, x, y: (L.cartesian_prod(x[0], y[0]) ** 3).sum(),
    "std_mean": lambda L, x, y: sum(t.sum() for t in L.std_mean(x, 1)),
    "xlogy": lambda L, x, y: L.xlogy(x, y.abs()[:4]).sum(),
    "atan2": lambda L, x, y: (L.atan2(x, y[:4]) * 2).sum() + L.hypot(x, y[:4]).sum(),
    "lgamma": lambda L, x, y: L.lgamma(x.abs() + 0.1).sum() + L.digamma(y.abs() + 1).sum(),
}


@pytest.mark.parametrize("name", list(GRADED))
def test_gradient_matches_torch(name):
    grads = []
    for L in (eager, torch):
        x = L.tensor(X, dtype=L.float64, requires_grad=True)
        y = L.tensor(Y, dtype=L.float64, requires_grad=True)
        out = GRADED[name](L, x, y)
        gx, gy = L.autograd.grad(out, [x, y], allow_unused=True)
        grads.append((out.item(), gx, gy))
    (ours, ogx, ogy), (theirs, tgx, tgy) = grads
    np.testing.assert_allclose(ours, theirs, rtol=1e-10)
    for o, t in ((ogx, tgx), (ogy, tgy)):
        want = np.zeros(1) if t is None else t.numpy()
        got = np.zeros(1) if o is None else o.numpy()
        np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)


def test_errors_are_torchs():
    for L in (eager, torch):
        with pytest.raises(RuntimeError, match="selected number k out of range"):
            L.kthvalue(L.ones(3), 4)
        with pytest.raises(RuntimeError, match=r"q must be in the range \[0, 1\] but got 1.5"):
            L.quantile(L.ones(3), 1.5)
        with pytest.raises(RuntimeError, match="side can only be 'left' or 'right'"):
            L.searchsorted(L.ones(3), L.ones(2), side="middle")
    with pytest.raises(ValueError, match="bincount only supports 1-d non-negative integral"):
        eager.bincount(eager.tensor([1, -1]))
    with pytest.raises(TypeError, match="bincount_cpu"):
        eager.bincount(eager.tensor([1.0]))


@pytest.mark.parametrize("dtype", ["int32", "int64", "bool"])
def test_integer_sums_keep_torchs_integer_dtype(dtype):
    data = np.array([[1, 0, 3], [0, 5, 1], [2, 2, 0]]).astype(dtype)
    fns = [lambda L, x: L.nansum(x), lambda L, x: L.nansum(x, 0)]
    if dtype != "bool":  # torch has no trace of bools
        fns.append(lambda L, x: L.trace(x))
    for fn in fns:
        ours, theirs = fn(eager, eager.tensor(data)), fn(torch, torch.tensor(data))
        assert str(ours.dtype) == str(theirs.dtype)
        assert np.array_equal(ours.numpy(), theirs.numpy())


@pytest.mark.parametrize("dim", [None, 0, -1])
@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize("q", [0.3, [0.2, 0.7]])
def test_quantile_of_a_zero_dim_tensor_is_torchs(dim, keepdim, q):
    for L in (eager, torch):
        x = L.tensor(2.5, dtype=L.float64)
        qq = L.tensor(q, dtype=L.float64) if isinstance(q, list) else q
        out = L.quantile(x, qq, dim=dim, keepdim=keepdim)
        if L is eager:
            ours = out
    assert tuple(ours.shape) == tuple(out.shape)
    np.testing.assert_allclose(ours.numpy(), out.numpy())


def test_more_errors_are_torchs():
    for L in (eager, torch):
        with pytest.raises(RuntimeError, match="must be either float or double dtype"):
            L.quantile(L.tensor([1, 2]), 0.5)
        with pytest.raises(RuntimeError, match="input tensor must be non-empty"):
            L.quantile(L.zeros(0, 3), 0.5, dim=1)
        with pytest.raises(RuntimeError, match="order must be non-negative but got -1"):
            L.diff(L.ones(3), -1)
        with pytest.raises(RuntimeError, match="diff expects input to be at least one-dim"):
            L.diff(L.tensor(1.0))
        with pytest.raises(RuntimeError, match="nanmean.*floating point .* but got Long"):
            L.nanmean(L.tensor([1, 2]))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("seed", range(3))
def test_histc_bins_values_on_and_near_edges_as_torch(dtype, seed):
    gen = np.random.default_rng(seed)
    # Values on a grid land on bin edges, where a float64 binning of float32 data (or any
    # other rounding than torch's) puts them into the neighbouring bin.
    for data in (np.linspace(-1, 1, 21), np.round(gen.normal(size=40) * 4) / 4):
        for bins, low, high in ((5, -1, 1), (7, -0.75, 1.5), (3, 0, 0)):
            x = data.astype(dtype)
            ours = eager.histc(eager.tensor(x), bins=bins, min=low, max=high)
            theirs = torch.histc(torch.tensor(x), bins=bins, min=low, max=high)
            assert str(ours.dtype) == str(theirs.dtype)
            assert np.array_equal(ours.numpy(), theirs.numpy()), (bins, low, high)


def test_histc_of_an_infinite_range_names_it():
    with pytest.raises(ValueError, match=r"histc: range of \[1, inf\] is not finite"):
        eager.histc(eager.tensor([1.0, float("inf")]), bins=3)


def test_searchsorted_rejects_boundaries_whose_batch_differs():
    boundaries, values = np.array([[0.0, 1.0, 2.0]]), np.array([[1.0, 2.0], [1.0, 2.0]])
    with pytest.raises(RuntimeError, match="first N-1 dimensions of boundaries tensor"):
        torch.searchsorted(torch.tensor(boundaries), torch.tensor(values))
    with pytest.raises(ValueError, match="searchsorted: boundaries tensor should be 1 dim"):
        eager.searchsorted(eager.tensor(boundaries), eager.tensor(values))


@pytest.mark.parametrize("call", [
    lambda L, x: L.median(x, 1), lambda L, x: L.kthvalue(x, 1, 1), lambda L, x: L.mode(x, 1),
    lambda L, x: L.nanmedian(x, 1)])
def test_order_statistics_of_an_empty_dim_raise_torchs_index_error(call):
    messages = []
    for L in (eager, torch):
        with pytest.raises(IndexError, match="Expected reduction dim 1 to have non-zero size"):
            call(L, L.zeros(3, 0))
        out = call(L, L.zeros(0, 3))  # an empty batch is fine: empty results
        messages.append((tuple(out.values.shape), str(out.indices.dtype)))
    assert messages[0] == messages[1] == ((0,), "torch.int64")


def test_median_of_nothing_is_nan():
    assert np.isnan(eager.median(eager.zeros(0)).item())
    assert np.isnan(torch.median(torch.zeros(0)).item())


@pytest.mark.parametrize("call", [
    lambda L: L.tensor([1.0, 2.0]).var(correction=3),  # was a negative variance, -0.5
    lambda L: L.tensor([1.0, 2.0]).std(correction=2),
    lambda L: L.zeros(0).var(),  # was -0.0
    lambda L: L.zeros(0, 3).std(0),
])
@pytest.mark.filterwarnings("ignore:.*degrees of freedom")
def test_variance_with_too_few_values_is_inf_or_nan_as_torch(call):
    ours, theirs = call(eager), call(torch)
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def test_mean_of_integers_is_refused_as_torch_refuses_it():
    for L in (eager, torch):
        for data, name in (([1, 2], "Long"), ([True], "Bool")):
            with pytest.raises(RuntimeError, match=f"could not infer output dtype.*Got: {name}"):
                L.tensor(data).mean()
        with pytest.raises(RuntimeError, match="Got: Int"):
            L.mean(L.tensor([1, 2], dtype=L.int32), 0)
        assert L.tensor([1, 2]).mean(dtype=L.float32).item() == 1.5
