"""eager.func.grad, grad_and_value, vjp and jvp against torch.func on random inputs: tuples,
dicts, argnums tuples, has_aux, composition (grad of grad), outer autograd, and errors."""

from __future__ import annotations

import numpy as np
import pytest
from func_oracle import arrays, assert_same_error, assert_trees_close, under_both

import eager

X, Y, W = arrays(0, (4,), (4,), (3, 4))


def f_xy(lib):
    def f(x, y):
        return (x.sin() * y).sum() + (x ** 2 * y.exp()).mean()
    return f


@pytest.mark.parametrize("argnums", [0, 1, (0, 1), (1, 0), -1])
def test_grad_argnums(argnums):
    t, e = under_both(lambda lib: lib.func.grad(f_xy(lib), argnums=argnums)(
        lib.tensor(X), lib.tensor(Y)))
    assert_trees_close(t, e)


def test_grad_of_a_dict_argument_with_aux():
    def scenario(lib):
        def loss(params, x):
            h = lib.tanh(x @ params["w"].T + params["b"])
            return (h ** 2).sum(), {"h": h, "n": h.sum(0)}
        params = {"w": lib.tensor(W), "b": lib.tensor(W[:, 0].copy())}
        return lib.func.grad(loss, has_aux=True)(params, lib.tensor(X))
    t, e = under_both(scenario)
    assert_trees_close(t, e)


def test_grad_and_value_and_kwargs():
    def scenario(lib):
        def f(x, scale=1.0):
            return (x.cos() * scale).sum()
        return lib.func.grad_and_value(f)(lib.tensor(X), scale=3.0)
    t, e = under_both(scenario)
    assert_trees_close(t, e)


def test_grad_of_grad_is_the_second_derivative():
    t, e = under_both(lambda lib: lib.func.grad(
        lambda x: lib.func.grad(lambda z: (z ** 3).sum())(x).sin().sum())(lib.tensor(X)))
    assert_trees_close(t, e)
    np.testing.assert_allclose(e.numpy(), np.cos(3 * X ** 2) * 6 * X, rtol=1e-5, atol=1e-5)


def test_unused_input_gets_zeros_and_outer_autograd_sees_through():
    def scenario(lib):
        w = lib.tensor(W[0].copy(), requires_grad=True)
        g = lib.func.grad(lambda x, y: (x * w).sum() ** 2, argnums=(0, 1))(
            lib.tensor(X), lib.tensor(Y))
        (outer,) = lib.autograd.grad(g[0].sum(), w)
        return g, outer
    t, e = under_both(scenario)
    assert_trees_close(t, e)


def test_grad_under_an_outer_no_grad_still_differentiates():
    def scenario(lib):
        w = lib.tensor(Y, requires_grad=True)
        with lib.no_grad():
            g = lib.func.grad(lambda x: (x * w).exp().sum())(lib.tensor(X))
            out, jv = lib.func.jvp(lambda x: (x * w).sin(), (lib.tensor(X),), (lib.ones(4),))
        return g, out, jv
    t, e = under_both(scenario)
    assert_trees_close(t, e)


def test_results_are_plain_when_nothing_outside_tracks():
    g, v = eager.func.grad_and_value(lambda x: (x ** 2).sum())(eager.tensor(X))
    assert not g.requires_grad and g.grad_fn is None and not v.requires_grad


def test_vjp_with_tuple_output_and_repeated_calls():
    def scenario(lib):
        out, fn = lib.func.vjp(lambda x, y: (x * y, {"s": (x ** 2).sum()}),
                               lib.tensor(X), lib.tensor(Y))
        ct = (lib.ones(4), {"s": lib.tensor(2.0)})
        return out, fn(ct), fn(ct)
    t, e = under_both(scenario)
    assert_trees_close(t, e)


def test_vjp_has_aux():
    t, e = under_both(lambda lib: (lambda r: (r[0], r[1](lib.ones(4)), r[2]))(
        lib.func.vjp(lambda x: (x.exp(), x.sum()), lib.tensor(X), has_aux=True)))
    assert_trees_close(t, e)


def test_jvp_matches_torch_forward_mode():
    def scenario(lib):
        f = f_xy(lib)
        return lib.func.jvp(lambda x, y: (f(x, y), x * y.tanh()),
                            (lib.tensor(X), lib.tensor(Y)), (lib.ones(4), lib.tensor(X)))
    t, e = under_both(scenario)
    assert_trees_close(t, e)


def test_jvp_has_aux_and_identity():
    t, e = under_both(lambda lib: lib.func.jvp(lambda x: (x, x.sum()), (lib.tensor(X),),
                                               (lib.tensor(Y),), has_aux=True))
    assert_trees_close(t, e)


@pytest.mark.parametrize("scenario", [
    lambda lib: lib.func.grad(lambda x: x * 2)(lib.tensor(X)),
    lambda lib: lib.func.grad(lambda x: 3.0)(lib.tensor(X)),
    lambda lib: lib.func.grad(lambda x: x.sum(), has_aux=True)(lib.tensor(X)),
    lambda lib: lib.func.grad(lambda x: (x.sum(), 3), has_aux=True)(lib.tensor(X)),
    lambda lib: lib.func.grad(lambda x: x.sum(), argnums=1)(lib.tensor(X)),
    lambda lib: lib.func.grad(lambda x: x.sum(), argnums=())(lib.tensor(X)),
    lambda lib: lib.func.grad(lambda x: x.sum(), argnums=1.0)(lib.tensor(X)),
    lambda lib: lib.func.grad(lambda x, y: x.sum(), argnums=(0, -2))(lib.tensor(X),
                                                                     lib.tensor(Y)),
    lambda lib: lib.func.grad(lambda x: x.sum())(3.0),
    lambda lib: lib.func.grad(lambda x: x.sum())(lib.arange(3)),
    lambda lib: lib.func.vjp(lambda x: 2.0, lib.tensor(X)),
    lambda lib: lib.func.vjp(lambda x: x * 2, lib.tensor(X))[1](lib.ones(3)),
    lambda lib: lib.func.vjp(lambda x: x * 2, lib.tensor(X))[1]((lib.ones(4),)),
    lambda lib: lib.func.jvp(lambda x: x, lib.tensor(X), lib.tensor(X)),
    lambda lib: lib.func.jvp(lambda x: x, (lib.tensor(X),), lib.tensor(X)),
    lambda lib: lib.func.jvp(lambda x: x, (lib.tensor(X),), (lib.ones(3),)),
    lambda lib: lib.func.jvp(lambda x: x, (lib.tensor(X),), (3.0,)),
    lambda lib: lib.func.jvp(lambda x: 3.0, (lib.tensor(X),), (lib.tensor(X),)),
], ids=["not-scalar", "not-tensor", "aux-not-pair", "aux-int", "argnum-range", "argnums-empty",
        "argnums-float", "argnums-repeated", "float-input", "int-input", "vjp-float-output",
        "vjp-shape",
        "vjp-structure", "jvp-primals-not-tuple", "jvp-structure", "jvp-shape",
        "jvp-float-tangent", "jvp-float-output"])
def test_errors_as_torch(scenario):
    assert_same_error(scenario)
