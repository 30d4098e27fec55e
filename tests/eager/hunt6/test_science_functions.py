"""torch's functions of scientific code that eager lacked (fliplr, flipud, ravel, diagflat,
logaddexp2, dist, pdist, mvlgamma, nanquantile, Tensor.argwhere), against torch: values,
gradients, grad_fn names where eager names them as torch, and torch's errors."""

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")

rng = np.random.default_rng(6)
A = rng.normal(size=(4, 3))
B = rng.normal(size=(4, 3))
NAN = float("nan")
Q = [[1.0, NAN, 3.0, 2.0, 0.5], [NAN] * 5, [4.0, 5.0, 6.0, 7.0, NAN]]

CALLS = {
    "fliplr": lambda t, a, b: t.fliplr(a),
    "flipud": lambda t, a, b: t.flipud(a),
    "ravel": lambda t, a, b: t.ravel(a.T),
    "diagflat": lambda t, a, b: t.diagflat(a[:2], 1),
    "diagflat_method": lambda t, a, b: a[0].diagflat(-1),
    "logaddexp2": lambda t, a, b: t.logaddexp2(a * 40, b * 40),
    "dist": lambda t, a, b: t.dist(a, b),
    "dist_p1": lambda t, a, b: t.dist(a, b[0], p=1),
    "dist_inf": lambda t, a, b: a.dist(b, p=float("inf")),
    "pdist": lambda t, a, b: t.pdist(a),
    "pdist_p3": lambda t, a, b: t.pdist(b, p=3),
    "mvlgamma": lambda t, a, b: t.mvlgamma(a.abs() + 2, p=3),
    "mvlgamma_method": lambda t, a, b: (b.abs() + 1).mvlgamma(2),
}


@pytest.mark.parametrize("name", list(CALLS))
def test_values_and_gradients_match_torch(name):
    def run(lib):
        a = lib.tensor(A, requires_grad=True)
        b = lib.tensor(B, requires_grad=True)
        out = CALLS[name](lib, a, b)
        out.sum().backward()
        grads = [x.grad.numpy() if x.grad is not None else None for x in (a, b)]
        return out.detach().numpy(), grads

    (want, want_grads), (got, got_grads) = run(torch), run(eager)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
    for g, w in zip(got_grads, want_grads, strict=True):
        assert (g is None) == (w is None)
        if w is not None:
            np.testing.assert_allclose(g, w, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", ["fliplr", "logaddexp2"])
def test_grad_fn_names_are_torchs(name):
    a = eager.tensor(A, requires_grad=True)
    b = eager.tensor(B, requires_grad=True)
    ta = torch.tensor(A, requires_grad=True)
    tb = torch.tensor(B, requires_grad=True)
    assert type(CALLS[name](eager, a, b).grad_fn).__name__ == \
        type(CALLS[name](torch, ta, tb).grad_fn).__name__


@pytest.mark.parametrize("kwargs", [dict(q=0.5), dict(q=[0.1, 0.5, 0.9], dim=1),
                                    dict(q=0.3, dim=0, keepdim=True, interpolation="nearest"),
                                    dict(q=0.7, dim=1, interpolation="lower"),
                                    dict(q=0.7, dim=1, interpolation="higher"),
                                    dict(q=0.25, dim=-1, interpolation="midpoint")],
                         ids=repr)
def test_nanquantile_matches_torch(kwargs):
    kwargs = dict(kwargs)
    q = kwargs.pop("q")
    want = torch.nanquantile(torch.tensor(Q), torch.tensor(q, dtype=torch.float32), **kwargs)
    got = eager.nanquantile(eager.tensor(Q), eager.tensor(q), **kwargs)
    np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-6, equal_nan=True)
    assert got.shape == want.shape
    method = eager.tensor(Q).nanquantile(eager.tensor(q), **kwargs)
    np.testing.assert_allclose(method.numpy(), want.numpy(), rtol=1e-6, equal_nan=True)


def test_argwhere_method():
    m = [[0, 1, 0], [2, 0, 3]]
    assert eager.tensor(m).argwhere().tolist() == torch.tensor(m).argwhere().tolist()


@pytest.mark.parametrize("call", [
    lambda t: t.fliplr(t.ones(3)), lambda t: t.flipud(t.tensor(1.0)),
    lambda t: t.pdist(t.ones(2, 2, 2)), lambda t: t.nanquantile(t.tensor([1, 2]), 0.5),
    lambda t: t.nanquantile(t.ones(3), 0.5, interpolation="cubic"),
    lambda t: t.quantile(t.ones(3), 0.5, interpolation="cubic"),
    lambda t: t.nanquantile(t.ones(3), 1.5), lambda t: t.hsplit(t.tensor(1), 1),
    lambda t: t.vsplit(t.arange(3), 1), lambda t: t.dsplit(t.ones(2, 2), 1),
    lambda t: t.hsplit(t.ones(2, 3), 2)])
def test_errors_are_torchs(call):
    def raised(lib):
        try:
            call(lib)
        except Exception as error:  # noqa: BLE001 (whatever each raises is compared)
            return type(error), str(error)
        return None

    assert raised(eager) == raised(torch) is not None


@pytest.mark.parametrize("indices", [[0, 5, 11], [[1], [2]], 5], ids=repr)
def test_take_along_dim_without_dim_flattens_as_torch(indices):
    want = torch.take_along_dim(torch.arange(12.0).view(3, 4), torch.tensor(indices))
    got = eager.take_along_dim(eager.arange(12.0).view(3, 4), eager.tensor(indices))
    assert got.tolist() == want.tolist()
    assert eager.arange(12.0).view(3, 4).take_along_dim(eager.tensor(indices)).shape == want.shape


@pytest.mark.parametrize("shape,kwargs", [((1, 2, 8), dict(size=3)),
                                          ((2, 3, 9, 7), dict(scale_factor=0.5)),
                                          ((1, 2, 4, 6), dict(size=(8, 4))),
                                          ((1, 1, 4, 6, 5), dict(size=(2, 3, 5)))], ids=repr)
def test_interpolate_area_is_torchs_adaptive_average(shape, kwargs):
    x = rng.normal(size=shape)

    def run(lib):
        t = lib.tensor(x, requires_grad=True)
        out = lib.nn.functional.interpolate(t, mode="area", **kwargs)
        (out * lib.arange(out.numel(), dtype=lib.float64).view(out.shape)).sum().backward()
        return out.detach().numpy(), t.grad.numpy()

    (want, want_grad), (got, got_grad) = run(torch), run(eager)
    np.testing.assert_allclose(got, want, rtol=1e-12)
    np.testing.assert_allclose(got_grad, want_grad, rtol=1e-12)


SPLITS = {
    "hsplit_1d": lambda L: L.hsplit(L.arange(6), 3),
    "hsplit_2d_indices": lambda L: L.hsplit(L.arange(12).view(3, 4), [1, 3]),
    "vsplit": lambda L: L.vsplit(L.arange(8).view(4, 2), 2),
    "dsplit_method": lambda L: L.arange(16).view(2, 2, 4).dsplit([3]),
}


@pytest.mark.parametrize("name", list(SPLITS))
def test_hsplit_vsplit_dsplit_match_torch(name):
    want = SPLITS[name](torch)
    got = SPLITS[name](eager)
    assert isinstance(got, tuple)
    assert [g.tolist() for g in got] == [w.tolist() for w in want]


def test_clone_method_takes_memory_format():
    x = eager.ones(2, 3, requires_grad=True)
    y = x.clone(memory_format=eager.contiguous_format)
    assert type(y.grad_fn).__name__ == "CloneBackward0"
    assert y.tolist() == x.tolist()


@pytest.mark.parametrize("values,r", [([1, 2], 0), ([1, 2], 3), ([], 2), ([4, 5, 6], 2)],
                         ids=repr)
def test_combinations_shapes_are_torchs(values, r):
    want = torch.combinations(torch.tensor(values, dtype=torch.int64), r=r)
    got = eager.combinations(eager.tensor(values, dtype=eager.int64), r=r)
    assert tuple(got.shape) == tuple(want.shape)
    assert got.tolist() == want.tolist()
