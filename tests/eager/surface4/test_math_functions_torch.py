"""diag_embed, atleast_Nd, chain_matmul, float_power, deg2rad/rad2deg, renorm, vander,
unique_consecutive and as_strided against torch: values, dtypes, shapes, float64 gradients
and errors, on random inputs, broadcasting and empty tensors."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from surface_pairs import same, same_error, torch

import eager

RNG = np.random.default_rng(4416)
X = RNG.standard_normal((2, 3))
Y = RNG.standard_normal((3, 4, 2))


@pytest.mark.parametrize("offset, dim1, dim2", [(0, -2, -1), (1, 0, 2), (-2, 2, 0), (2, 1, 0)])
def test_diag_embed(offset, dim1, dim2):
    same(lambda L, x: L.diag_embed(x, offset, dim1, dim2), X, grad=True)
    same(lambda L, x: x.diag_embed(offset, dim1=dim1, dim2=dim2), X.astype(np.float32))


def test_diag_embed_edges():
    same(lambda L, x: L.diag_embed(x), np.array([np.inf, np.nan, 1.0]))  # zeros off it
    same(lambda L, x: L.diag_embed(x, 1), np.array([1, 2]))
    same(lambda L, x: L.diag_embed(x), np.zeros((0, 3)))
    same_error(RuntimeError, lambda L, x: L.diag_embed(x, 0, 1, 1), X)


@pytest.mark.parametrize("n", [1, 2, 3])
def test_atleast(n):
    for shape in [(), (3,), (2, 3), (2, 3, 4)]:
        fn = getattr(eager, f"atleast_{n}d")
        assert fn(eager.ones(shape)).shape == getattr(torch, f"atleast_{n}d")(
            torch.ones(shape)).shape
    ours = getattr(eager, f"atleast_{n}d")(eager.ones(()), eager.ones(2))
    theirs = getattr(torch, f"atleast_{n}d")([torch.ones(()), torch.ones(2)])
    assert isinstance(ours, tuple) and [o.shape for o in ours] == [t.shape for t in theirs]
    same(lambda L, x: getattr(L, f"atleast_{n}d")(x) * 2, np.float64(1.5), grad=True)


def test_chain_matmul_warns_and_multiplies():
    a, b, c = (RNG.standard_normal(s) for s in ((2, 3), (3, 4), (4, 1)))
    with pytest.warns(UserWarning, match="chain_matmul is deprecated"):
        same(lambda L, x, y, z: L.chain_matmul(x, y, z), a, b, c, grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        same(lambda L, x: L.chain_matmul(x), a)
        same_error(RuntimeError, lambda L, x: L.chain_matmul(x, x), np.ones(2))


def test_float_power():
    same(lambda L, x: L.float_power(x, 2), np.array([1, 2, 3]))
    same(lambda L, x, e: L.float_power(x, e), X.astype(np.float32), np.array([1, 2, 3]))
    same(lambda L, x, e: x.float_power(e), np.abs(X) + 0.1, Y[0, :3, :1].T, grad=True)
    same(lambda L, e: L.float_power(2, e), np.array([1.0, 2.5]))


@pytest.mark.parametrize("name", ["deg2rad", "rad2deg"])
def test_angles(name):
    same(lambda L, x: getattr(L, name)(x), X.astype(np.float32))
    same(lambda L, x: getattr(x, name)(), X, grad=True)
    same(lambda L, x: getattr(L, name)(x), np.array([1, 180, -90]))


@pytest.mark.parametrize("p, dim, maxnorm", [(2, 0, 1.0), (1, 1, 0.5), (3, -1, 2.0),
                                              (2, 0, 100.0)])
def test_renorm(p, dim, maxnorm):
    same(lambda L, x: L.renorm(x, p, dim, maxnorm), Y, grad=True)
    same(lambda L, x: x.renorm(p, dim, maxnorm), Y.astype(np.float32))


def test_renorm_errors():
    same_error(RuntimeError, lambda L, x: L.renorm(x, 0, 0, 1.0), X)
    same_error(RuntimeError, lambda L, x: L.renorm(x, 2, 0, 1.0), X[0])


@pytest.mark.parametrize("n", [None, 0, 1, 4])
@pytest.mark.parametrize("increasing", [False, True])
def test_vander(n, increasing):
    same(lambda L, x: L.vander(x, n, increasing), np.array([1, 2, -3]))
    same(lambda L, x: L.vander(x, N=n, increasing=increasing), X[0])
    # torch 2.13 cannot differentiate its own vander (an in-place write it saved): the
    # gradient is held to finite differences instead.
    x = eager.tensor(X[0], requires_grad=True)
    assert eager.autograd.gradcheck(lambda v: eager.vander(v, n, increasing), (x,))


def test_vander_edges():
    same(lambda L, x: L.vander(x), np.array([True, False]))
    same(lambda L, x: L.vander(x), np.zeros(0))
    same_error(RuntimeError, lambda L, x: L.vander(x), X)
    same_error(RuntimeError, lambda L, x: L.vander(x, -1), X[0])


RUNS = np.array([1, 1, 2, 2, 3, 1, 1, 2])
SLICES = np.array([[1, 1, 2, 2], [1, 1, 2, 2], [0, 3, 0, 3]]).T


@pytest.mark.parametrize("inverse", [False, True])
@pytest.mark.parametrize("counts", [False, True])
def test_unique_consecutive(inverse, counts):
    kw = dict(return_inverse=inverse, return_counts=counts)
    same(lambda L, x: L.unique_consecutive(x, **kw), RUNS)
    same(lambda L, x: x.unique_consecutive(**kw), RUNS.reshape(2, 4))
    for dim in (0, 1, -1):
        same(lambda L, x, d=dim: L.unique_consecutive(x, dim=d, **kw), SLICES)
    same(lambda L, x: L.unique_consecutive(x, **kw), np.zeros(0))
    same(lambda L, x: L.unique_consecutive(x, dim=0, **kw), np.zeros((0, 2)))
    same(lambda L, x: L.unique_consecutive(x, **kw), np.float64(3.0))
    same(lambda L, x: L.unique_consecutive(x, **kw), np.array([np.nan, np.nan, 1.0]))


@pytest.mark.parametrize("size, stride, offset", [((2, 2), (1, 2), None), ((3, 3), (1, 1), 2),
                                                  ((2, 3), (0, 1), 1), ((0,), (1,), 0)])
def test_as_strided(size, stride, offset):
    # Overlapping windows: the gradient sums every read of an element, as torch's.
    same(lambda L, x: L.as_strided(x, size, stride, offset), np.arange(12.0), grad=True)
    same(lambda L, x: x.as_strided(size, stride, offset), np.arange(12))


def test_as_strided_out_of_bounds():
    same_error(RuntimeError, lambda L, x: L.as_strided(x, (5,), (3,)), np.arange(12.0))


def test_as_strided_reads_the_storage_of_views():
    grid = np.arange(12.0).reshape(3, 4)
    # A transposed view: positions in the storage, not in the view's C order.
    same(lambda L, x: x.t().as_strided((2, 2), (1, 4)), grid, grad=True)
    # A slice: its own storage offset by default, or an explicit one inside what it covers.
    same(lambda L, x: x.reshape(-1)[2:].as_strided((3,), (1,)), grid, grad=True)
    same(lambda L, x: x.reshape(-1)[2:].as_strided((3,), (2,), 4), grid, grad=True)
    same(lambda L, x: x.expand(2, 3, 4).as_strided((2, 2), (4, 1)), grid)
    # Storage the slice does not cover (its base's): refused here, not read wrongly.
    with pytest.raises(NotImplementedError, match="outside the input's own elements"):
        eager.arange(12.0)[2:].as_strided((3,), (1,), 0)


@pytest.mark.parametrize("call", [
    lambda L, x: x.gcd_(L.tensor([8, 12, 6])), lambda L, x: x.lcm_(L.tensor([8, 12, 6])),
    lambda L, x: x.bitwise_left_shift_(3), lambda L, x: x.bitwise_right_shift_(1),
    lambda L, x: x.heaviside_(L.tensor([5])),
], ids=["gcd_", "lcm_", "bitwise_left_shift_", "bitwise_right_shift_", "heaviside_"])
def test_integer_methods_in_place(call):
    for_both = [call(L, x) is x and x.tolist() for L in (eager, torch)
                for x in [L.tensor([12, 18, -4])]]
    assert for_both[0] == for_both[1]


def test_float_methods_in_place():
    for name, args in [("deg2rad_", ()), ("rad2deg_", ()), ("renorm_", (2, 0, 1.0)),
                       ("nextafter_", ("other",))]:
        results = []
        for L in (eager, torch):
            x = L.tensor([[3.0, 4.0], [0.3, 0.4]])
            out = getattr(x, name)(*[L.ones(2) if a == "other" else a for a in args])
            results.append((out is x, x.tolist()))
        assert results[0] == results[1], name
    same_error(RuntimeError, lambda L, x: x.deg2rad_(), np.array([1]), match_message=False)


def test_diff_of_bools_and_mismatched_prepend():
    same(lambda L, x: L.diff(x), np.array([True, False, False, True]))
    same(lambda L, x: x.diff(n=2, dim=0), np.array([[True, False], [True, True], [False, True]]))
    same_error(RuntimeError, lambda L, x: L.diff(x, 1, -1, L.tensor(1.0)), X)


def test_logit_gradient_is_torchs_at_the_ends():
    p = np.array([0.0, 1.0, 0.3, 0.05, 0.97])
    same(lambda L, x: L.logit(x), p, grad=True)  # inf at 0 and 1, not nan
    same(lambda L, x: x.logit(eps=0.1), p, grad=True)  # 0 where clamped
    same(lambda L, x: L.logit(x), np.array([0, 1]))


@pytest.mark.parametrize("call", [
    lambda L, x: L.diag_embed(x), lambda L, x: x.renorm(2, 0, 1.0), lambda L, x: L.deg2rad(x),
    lambda L, x: x.rad2deg(), lambda L, x: L.as_strided(x, (2,), (1,)),
    lambda L, x: L.atleast_3d(x), lambda L, x: L.atleast_3d(x[0]),
    lambda L, x: L.atleast_2d(x[0, 0]), lambda L, x: L.float_power(x, 2),
    lambda L, x: L.vander(x[0]), lambda L, x: L.nextafter(x, x * 2),
    lambda L, x: L.gradient(x)[0], lambda L, x: L.cumulative_trapezoid(x),
], ids=["diag_embed", "renorm", "deg2rad", "rad2deg", "as_strided", "atleast_3d-2d",
        "atleast_3d-1d", "atleast_2d-0d", "float_power", "vander", "nextafter", "gradient",
        "cumulative_trapezoid"])
def test_backward_names_are_torchs(call):
    names = [call(L, L.ones(2, 3, requires_grad=True)).grad_fn.name() for L in (eager, torch)]
    assert names[0] == names[1]
