"""eager.autograd.functional against torch.autograd.functional: the shape of each result
(a Tensor, a tuple, a tuple of tuples) for Tensor and tuple inputs and outputs, detached
results unless create_graph, strict mode's and the arguments' errors, and float64 finite
differences for jacobian and hessian."""

from __future__ import annotations

import numpy as np
import pytest
from func_oracle import arrays, assert_same_error, assert_trees_close, under_both

import eager
from eager.autograd.functional import hessian, jacobian

X, Y, V = arrays(4, (3,), (3,), (3,))


def pair(lib):
    def f(x, y):
        return lib.stack([(x * y).sum(), (x ** 2).sum() * y[0], x.tanh().prod()])
    return f


def two_outputs(x, y):
    return x * y.exp(), (x.sin() * y).sum()


def energy(z):
    return (z.exp() * z.roll(1)).sum() + z.pow(2).sum() / 2


@pytest.mark.parametrize("case", ["tensor", "tuple-in", "tuple-out", "tuple-both"])
@pytest.mark.parametrize("create_graph", [False, True])
def test_jacobian_structures(case, create_graph):
    def scenario(lib):
        x, y = lib.tensor(X), lib.tensor(Y)
        AF = lib.autograd.functional
        if case == "tensor":
            return AF.jacobian(lambda a: a.sin() * a.sum(), x, create_graph=create_graph)
        if case == "tuple-in":
            return AF.jacobian(pair(lib), (x, y), create_graph=create_graph)
        if case == "tuple-out":
            return AF.jacobian(lambda a: two_outputs(a, y), x, create_graph=create_graph)
        return AF.jacobian(two_outputs, (x, y), create_graph=create_graph)
    t, e = under_both(scenario)
    assert_trees_close(t, e, grad_flags=not create_graph)


@pytest.mark.parametrize("options", [{"vectorize": True},
                                     {"vectorize": True, "strategy": "forward-mode"}])
def test_jacobian_vectorize_and_forward_mode_give_the_same_numbers(options):
    t, e = under_both(lambda lib: lib.autograd.functional.jacobian(
        two_outputs, (lib.tensor(X), lib.tensor(Y)), **options))
    assert_trees_close(t, e)


@pytest.mark.parametrize("tuple_input", [False, True])
def test_hessian_structures(tuple_input):
    def scenario(lib):
        if tuple_input:
            return lib.autograd.functional.hessian(
                lambda a, b: (a * a * b.sin()).sum(), (lib.tensor(X), lib.tensor(Y)))
        return lib.autograd.functional.hessian(energy, lib.tensor(X))
    t, e = under_both(scenario)
    assert_trees_close(t, e)


@pytest.mark.parametrize("name", ["vjp", "jvp", "vhp", "hvp"])
@pytest.mark.parametrize("tuple_input", [False, True])
def test_products(name, tuple_input):
    def scenario(lib):
        fn = getattr(lib.autograd.functional, name)
        x, y, v = lib.tensor(X), lib.tensor(Y), lib.tensor(V)
        if name == "vjp":
            return fn(two_outputs, (x, y), (v, lib.tensor(1.5))) if tuple_input \
                else fn(lambda a: a.exp() * a.sum(), x, v)
        if name == "jvp":
            return fn(two_outputs, (x, y), (v, v * 2)) if tuple_input \
                else fn(lambda a: a.exp() * a.sum(), x, v)
        return fn(lambda a, b: (a * b.exp()).sum() * a[0], (x, y), (v, v * 2)) if tuple_input \
            else fn(energy, x, v)
    t, e = under_both(scenario)
    assert_trees_close(t, e)


def test_create_graph_keeps_results_differentiable():
    def scenario(lib):
        x = lib.tensor(X, requires_grad=True)
        _, vj = lib.autograd.functional.vjp(energy, x, create_graph=True)
        (g2,) = lib.autograd.grad(vj.sum(), x)
        j = lib.autograd.functional.jacobian(lambda a: a ** 3, x, create_graph=True)
        (g3,) = lib.autograd.grad(j.sum(), x)
        return vj.requires_grad, g2, j.requires_grad, g3
    t, e = under_both(scenario)
    assert_trees_close(t, e)


def test_finite_differences_float64():
    x = np.array([0.3, -1.2, 0.8])

    def f_np(z):
        return np.array([np.sum(np.exp(z) * np.roll(z, 1)), np.prod(np.sin(z))])

    def fd(fn, z, eps):
        return np.stack([(fn(z + eps * np.eye(3)[i]) - fn(z - eps * np.eye(3)[i])) / (2 * eps)
                         for i in range(3)], axis=-1)
    j = jacobian(lambda z: eager.stack([(z.exp() * z.roll(1)).sum(), z.sin().prod()]),
                 eager.tensor(x))
    np.testing.assert_allclose(j.numpy(), fd(f_np, x, 1e-6), atol=1e-8)
    h = hessian(lambda z: (z.exp() * z.roll(1)).sum(), eager.tensor(x))
    np.testing.assert_allclose(h.numpy(), fd(lambda z: fd(lambda w: f_np(w)[:1], z, 1e-5)[0],
                                             x, 1e-4), atol=1e-5)


@pytest.mark.parametrize("scenario", [
    lambda lib: lib.autograd.functional.jacobian(lambda a: a, 3.0),
    lambda lib: lib.autograd.functional.jacobian(lambda a, b: a, (lib.tensor(X), 2)),
    lambda lib: lib.autograd.functional.jacobian(lambda a: 2.0, lib.tensor(X)),
    lambda lib: lib.autograd.functional.jacobian(lambda a: a, lib.tensor(X), strategy="x"),
    lambda lib: lib.autograd.functional.jacobian(lambda a: a, lib.tensor(X),
                                                 strategy="forward-mode"),
    lambda lib: lib.autograd.functional.jacobian(lambda a: a, lib.tensor(X),
                                                 strategy="forward-mode", create_graph=True),
    lambda lib: lib.autograd.functional.jacobian(lambda a: lib.ones(3), lib.tensor(X),
                                                 strict=True),
    lambda lib: lib.autograd.functional.jacobian(lambda a, b: a * 2, (lib.tensor(X),
                                                 lib.tensor(Y)), strict=True),
    lambda lib: lib.autograd.functional.vjp(lambda a: a * 2, lib.tensor(X)),
    lambda lib: lib.autograd.functional.vjp(lambda a: a * 2, lib.tensor(X), lib.ones(2)),
    lambda lib: lib.autograd.functional.vjp(lambda a: (a, a), lib.tensor(X), (lib.ones(3),)),
    lambda lib: lib.autograd.functional.vjp(lambda a: a * 2, lib.tensor(X),
                                            (lib.ones(3), lib.ones(3))),
    lambda lib: lib.autograd.functional.jvp(lambda a: a * 2, lib.tensor(X)),
    lambda lib: lib.autograd.functional.hessian(lambda a: a * 2, lib.tensor(X)),
    lambda lib: lib.autograd.functional.hessian(lambda a: (a.sum(), a.sum()), lib.tensor(X)),
    lambda lib: lib.autograd.functional.hessian(lambda a: (a * 2).sum(), lib.tensor(X),
                                                strict=True),
    lambda lib: lib.autograd.functional.vhp(lambda a: a * 2, lib.tensor(X), lib.ones(3)),
    lambda lib: lib.autograd.functional.vhp(lambda a: a.sum(), lib.tensor(X), lib.ones(2)),
    lambda lib: lib.autograd.functional.hvp(lambda a: (a * 2).sum(), lib.tensor(X), lib.ones(3),
                                            strict=True),
    lambda lib: lib.autograd.functional.jvp(lambda a, b: a * 2, (lib.tensor(X), lib.tensor(Y)),
                                            (lib.ones(3), lib.ones(3)), strict=True),
], ids=["float-input", "tuple-with-int", "float-output", "strategy", "forward-no-vectorize",
        "forward-create-graph", "strict-independent", "strict-unused-input", "v-none",
        "v-shape", "v-length", "v-single", "jvp-v-none", "hessian-not-scalar",
        "hessian-tuple-output", "hessian-strict-linear", "vhp-not-scalar", "vhp-v-shape",
        "hvp-strict-linear", "jvp-strict-unused"])
def test_errors_as_torch(scenario):
    assert_same_error(scenario)
