"""The transforms of ``eager.distributions.transforms`` against torch's: forward, inverse,
log-Jacobians (and their gradients), shapes, domains, caching, printing, and the
``biject_to``/``transform_to`` registries."""

from __future__ import annotations

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")
rng = np.random.default_rng(11)
X = rng.standard_normal((3, 4))
POSITIVE = rng.uniform(0.2, 2.0, (3, 4))


def make(L, name):
    T = L.distributions.transforms
    loc, scale = L.tensor(X[0], dtype=L.float64), L.tensor(POSITIVE[1], dtype=L.float64)
    return {
        "exp": T.ExpTransform(), "sigmoid": T.SigmoidTransform(), "tanh": T.TanhTransform(),
        "softplus": T.SoftplusTransform(), "power": T.PowerTransform(
            L.tensor(POSITIVE[2], dtype=L.float64)),
        "affine": T.AffineTransform(loc, scale), "affine-event": T.AffineTransform(
            loc, scale, event_dim=1),
        "stick": T.StickBreakingTransform(), "softmax": T.SoftmaxTransform(),
        "compose": T.ComposeTransform([T.AffineTransform(loc, scale), T.TanhTransform(),
                                       T.AffineTransform(0.5, 2.0)]),
        "independent": T.IndependentTransform(T.SigmoidTransform(), 1),
        "reshape": T.ReshapeTransform((4,), (2, 2)),
        "abs": T.AbsTransform(), "lower-cholesky": T.LowerCholeskyTransform(),
        "cat": T.CatTransform([T.ExpTransform(), T.IndependentTransform(T.SigmoidTransform(), 1),
                               T.identity_transform], dim=-1, lengths=[1, 2, 1]),
        "cat-dim0": T.CatTransform([T.ExpTransform(), T.AffineTransform(1.0, 3.0)], dim=0,
                                   lengths=[1, 2]),
        "corr-cholesky": T.CorrCholeskyTransform(),
        "stack": T.StackTransform([T.ExpTransform(), T.SigmoidTransform(), T.TanhTransform()],
                                  dim=0, cache_size=1),
    }[name]


NAMES = ["exp", "sigmoid", "tanh", "softplus", "power", "affine", "affine-event", "stick",
         "softmax", "compose", "independent", "reshape", "abs", "lower-cholesky", "cat",
         "cat-dim0", "stack", "corr-cholesky"]


def inputs(L, name, requires_grad=False):
    data = POSITIVE if name == "power" else X
    if name == "lower-cholesky":
        data = X[:, :3].reshape(1, 3, 3)[0]
    if name == "corr-cholesky":
        data = X.reshape(2, 6)
    return L.tensor(data, dtype=L.float64, requires_grad=requires_grad)


@pytest.mark.parametrize("name", NAMES)
def test_forward_inverse_and_log_det(name):
    te, tt = make(eager, name), make(torch, name)
    xe, xt = inputs(eager, name, True), inputs(torch, name, True)
    ye, yt = te(xe), tt(xt)
    np.testing.assert_allclose(ye.detach().numpy(), yt.detach().numpy(), rtol=1e-12,
                               atol=1e-15)
    np.testing.assert_allclose(te.inv(ye).detach().numpy(), tt.inv(yt).detach().numpy(),
                               rtol=1e-9, atol=1e-12)
    assert tuple(te.forward_shape(xe.shape)) == tuple(tt.forward_shape(xt.shape))
    assert tuple(te.inverse_shape(ye.shape)) == tuple(tt.inverse_shape(yt.shape))
    assert repr(te.domain) == repr(tt.domain) and repr(te.codomain) == repr(tt.codomain)
    assert te.bijective == tt.bijective and repr(te) == repr(tt)
    if not tt.bijective and name != "softmax":
        return
    if name == "softmax":
        with pytest.raises(NotImplementedError):
            te.log_abs_det_jacobian(xe, ye)
        return
    le, lt = te.log_abs_det_jacobian(xe, ye), tt.log_abs_det_jacobian(xt, yt)
    np.testing.assert_allclose(le.detach().numpy(), lt.detach().numpy(), rtol=1e-10,
                               atol=1e-12)
    assert le.requires_grad == lt.requires_grad
    if not lt.requires_grad:  # an affine map's log-det does not depend on x
        return
    le.sum().backward()
    lt.sum().backward()
    np.testing.assert_allclose(xe.grad.numpy(), xt.grad.numpy(), rtol=1e-9, atol=1e-12)


def test_cache_inverse_and_with_cache():
    T = eager.distributions.transforms
    t = T.TanhTransform(cache_size=1)
    x = eager.tensor([30.0, -0.5])
    y = t(x)
    assert t.inv(y) is x  # tanh saturates at 30: only the cache gives x back
    assert t.inv.inv is t and t.inv == T.TanhTransform().inv
    assert T.ExpTransform().with_cache(1)._cache_size == 1
    with pytest.raises(ValueError, match="cache_size must be 0 or 1"):
        T.ExpTransform(cache_size=2)
    compose = T.ComposeTransform([T.ExpTransform(), T.AffineTransform(1.0, 2.0)], cache_size=1)
    assert all(p._cache_size == 1 for p in compose.parts)
    assert compose.inv.inv is compose and compose.sign == 1
    with pytest.raises(ValueError, match="in_shape, out_shape have different numbers"):
        T.ReshapeTransform((3,), (2, 2))


@pytest.mark.parametrize("which", ["biject_to", "transform_to"])
def test_registries_match_torch(which):
    ce, ct = eager.distributions.constraints, torch.distributions.constraints
    re_, rt = getattr(eager.distributions, which), getattr(torch.distributions, which)
    x = rng.standard_normal((2, 3))
    stacked = [(ce.stack([ce.positive, ce.real, ce.unit_interval], 0),
                ct.stack([ct.positive, ct.real, ct.unit_interval], 0))]
    for ke, kt in stacked:
        te, tt = re_(ke), rt(kt)
        np.testing.assert_allclose(te(eager.tensor(x.T)).numpy(), tt(torch.tensor(x.T)).numpy(),
                                   rtol=1e-12)
        assert repr(te) == repr(tt) and bool(ke.check(te(eager.tensor(x.T))).all())
    for name, args in [("real", None), ("positive", None), ("nonnegative", None),
                       ("unit_interval", None), ("simplex", None), ("real_vector", None),
                       ("greater_than", (1.5,)), ("less_than", (-2.0,)),
                       ("interval", (-1.0, 3.0))]:
        ke, kt = getattr(ce, name), getattr(ct, name)
        if args:
            ke, kt = ke(*args), kt(*args)
        te, tt = re_(ke), rt(kt)
        assert repr(te) == repr(tt), name
        ye, yt = te(eager.tensor(x)), tt(torch.tensor(x))
        np.testing.assert_allclose(ye.numpy(), yt.numpy(), rtol=1e-12, err_msg=name)
        assert bool(ke.check(ye).all())
    with pytest.raises(NotImplementedError, match="Cannot transform _Boolean constraints"):
        re_(ce.boolean)


def test_stick_breaking_inverse_in_float32_near_a_vertex():
    """1 - cumsum(y) cancels almost entirely when one component holds nearly all the mass:
    torch's float32 cumsum accumulates in double, and so must eager's for the inverse (and
    LogisticNormal.log_prob) to agree."""
    torch.manual_seed(3)
    base = torch.distributions.Normal(torch.linspace(-1, 1, 20), torch.linspace(0.5, 3, 20))
    y = torch.distributions.transforms.StickBreakingTransform()(base.sample((50,)))
    expected = torch.distributions.transforms.StickBreakingTransform().inv(y)
    got = eager.distributions.transforms.StickBreakingTransform().inv(eager.tensor(y.numpy()))
    np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=1e-5, atol=1e-5)
    values = torch.tensor([1e8, 1.0, -1e8])
    np.testing.assert_array_equal(eager.cumsum(eager.tensor(values.numpy()), 0).numpy(),
                                  torch.cumsum(values, 0).numpy())


def test_copies_drop_the_inverse_as_torch():
    import copy
    import pickle

    for T in (eager.distributions.transforms, torch.distributions.transforms):
        t = T.TanhTransform(cache_size=1)
        assert t.inv.inv is t
        assert copy.deepcopy(t)._inv is None and pickle.loads(pickle.dumps(t))._inv is None
        clone = copy.deepcopy(t)
        assert clone.inv.inv is clone
