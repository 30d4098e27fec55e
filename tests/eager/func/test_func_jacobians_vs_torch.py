"""eager.func.jacrev, jacfwd and hessian against torch.func (pytree outputs and inputs,
argnums tuples, has_aux, errors) and against central finite differences in float64."""

from __future__ import annotations

import numpy as np
import pytest
from func_oracle import arrays, assert_same_error, assert_trees_close, under_both

import eager
from eager.func import hessian, jacfwd, jacrev

X, Y = arrays(2, (4,), (3,), dtype="float64")


def f_np(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.concatenate([np.sin(x) * np.sum(y ** 2), [np.prod(np.tanh(y)) * x[0]]])


def f_lib(x, y):
    return eager.cat([x.sin() * (y ** 2).sum(), (y.tanh().prod() * x[0]).reshape(1)])


def scalar_np(x: np.ndarray) -> float:
    return float(np.sum(np.exp(x) * np.roll(x, 1)) + np.sum(x ** 4) / 4)


def finite_jacobian(fn, x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    cols = []
    for i in range(x.size):
        d = np.zeros_like(x)
        d[i] = eps
        cols.append((np.asarray(fn(x + d)) - np.asarray(fn(x - d))) / (2 * eps))
    return np.stack(cols, axis=-1)


@pytest.mark.parametrize("transform", [jacrev, jacfwd])
def test_jacobian_matches_finite_differences_float64(transform):
    jx, jy = transform(f_lib, argnums=(0, 1))(eager.tensor(X), eager.tensor(Y))
    np.testing.assert_allclose(jx.numpy(), finite_jacobian(lambda x: f_np(x, Y), X), atol=1e-7)
    np.testing.assert_allclose(jy.numpy(), finite_jacobian(lambda y: f_np(X, y), Y), atol=1e-7)


def test_hessian_matches_finite_differences_float64():
    def energy(z):
        return (z.exp() * z.roll(1)).sum() + (z ** 4).sum() / 4
    h = hessian(energy)(eager.tensor(X))
    grad_np = lambda z: finite_jacobian(scalar_np, z, 1e-5)  # noqa: E731
    np.testing.assert_allclose(h.numpy(), finite_jacobian(grad_np, X, 1e-4), atol=1e-5)
    np.testing.assert_allclose(h.numpy(), h.numpy().T, atol=1e-12)


@pytest.mark.parametrize("name", ["jacrev", "jacfwd"])
def test_pytree_output_and_argnums_tuple_as_torch(name):
    def scenario(lib):
        def f(a, b):
            return {"o": a * b[0], "p": (a * b[1]).sum()}
        x, y = lib.tensor(X[:3].astype("float32")), lib.tensor(Y.astype("float32"))
        return getattr(lib.func, name)(f, argnums=(0, 1))(x, (y, y * 2))
    t, e = under_both(scenario)
    assert_trees_close(t, e)


@pytest.mark.parametrize("name", ["jacrev", "jacfwd"])
def test_has_aux_and_dict_argument(name):
    def scenario(lib):
        def f(p):
            out = p["w"] @ p["v"]
            return out.tanh(), out.sum()
        p = {"w": lib.tensor(np.outer(Y, X).astype("float32")),
             "v": lib.tensor(X.astype("float32"))}
        return getattr(lib.func, name)(f, has_aux=True)(p)
    t, e = under_both(scenario)
    assert_trees_close(t, e)


def test_hessian_with_argnums_tuple_as_torch():
    t, e = under_both(lambda lib: lib.func.hessian(
        lambda a, b: (a * a * b.sin()).sum(), argnums=(0, 1))(lib.tensor(X), lib.tensor(X)))
    assert_trees_close(t, e)


def test_jacobian_composes_with_vmap():
    t, e = under_both(lambda lib: lib.vmap(lib.func.jacrev(lambda v: v.sin() * v.sum()))(
        lib.tensor(np.stack([X, X * 2]))))
    assert_trees_close(t, e)


@pytest.mark.parametrize("scenario", [
    lambda lib: lib.func.jacrev(lambda a: a)(3.0),
    lambda lib: lib.func.jacrev(lambda a: 3.0)(lib.tensor(X)),
    lambda lib: lib.func.jacrev(lambda a: a, has_aux=True)(lib.tensor(X)),
    lambda lib: lib.func.jacrev(lambda a: a, chunk_size=0),
    lambda lib: lib.func.jacrev(lambda a: a, argnums=2)(lib.tensor(X)),
    lambda lib: lib.func.jacfwd(lambda a: a, randomness="x")(lib.tensor(X)),
], ids=["float-input", "float-output", "aux-not-pair", "chunk-size", "argnum", "randomness"])
def test_errors_as_torch(scenario):
    assert_same_error(scenario)
