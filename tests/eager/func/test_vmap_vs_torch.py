"""eager.func.vmap (and eager.vmap) against torch.func.vmap: nested pytrees of dicts, tuples
and lists, in_dims with None and negative entries, out_dims, keyword arguments, nesting with
itself and with grad (per-sample gradients, grad of a vmapped function), randomness modes,
an empty batch, and torch's errors."""

from __future__ import annotations

import functools

import numpy as np
import pytest
from func_oracle import arrays, assert_same_error, assert_trees_close, under_both

import eager

A, B, C = arrays(1, (5, 3), (3, 5), (3,))


def test_eager_vmap_is_func_vmap():
    assert eager.vmap is eager.func.vmap


def test_pytree_inputs_with_none_and_negative_in_dims():
    def scenario(lib):
        def f(d, pair, scale):
            return {"y": d["a"] * pair[0] + pair[1].sum(), "z": [d["b"] * scale]}
        inputs = ({"a": lib.tensor(A), "b": lib.tensor(B)},
                  (lib.tensor(C), lib.tensor(A)), 2.0)
        dims = ({"a": 0, "b": -1}, (None, 0), None)
        return lib.func.vmap(f, in_dims=dims)(*inputs)
    t, e = under_both(scenario)
    assert_trees_close(t, e)


@pytest.mark.parametrize("out_dims", [0, 1, -1, (1, 0), [0, (1,)]])
def test_out_dims(out_dims):
    def scenario(lib):
        def f(x):
            return (x.outer(x), x * 2) if not isinstance(out_dims, list) \
                else [x.outer(x), (x * 2,)]
        return lib.func.vmap(f, out_dims=out_dims)(lib.tensor(A))
    t, e = under_both(scenario)
    assert_trees_close(t, e)


def test_out_dims_none_for_an_unbatched_output_and_kwargs_unmapped():
    def scenario(lib):
        w = lib.tensor(C)
        return lib.func.vmap(lambda x, *, k: (x * k, w.sum()), out_dims=(0, None))(
            lib.tensor(A), k=lib.tensor(C))
    t, e = under_both(scenario)
    assert_trees_close(t, e)


def test_nested_vmap_is_an_outer_product_of_batches():
    t, e = under_both(lambda lib: lib.func.vmap(lib.func.vmap(lambda a, b: (a * b).sum(),
                                                              in_dims=(None, 1)),
                                                in_dims=(0, None))(lib.tensor(A), lib.tensor(B)))
    assert_trees_close(t, e)
    np.testing.assert_allclose(e.numpy(), A @ B, rtol=1e-5, atol=1e-5)


def test_per_sample_gradients_and_grad_of_vmap():
    def scenario(lib):
        def loss(w, x, y):
            return ((x @ w - y) ** 2).mean()
        w, x, y = lib.tensor(B), lib.tensor(A), lib.tensor(A[:, :1].copy())
        per_sample = lib.func.vmap(lib.func.grad(loss), in_dims=(None, 0, 0))(w, x, y)
        batched = lib.func.grad(lambda w: lib.func.vmap(loss, in_dims=(None, 0, 0))(
            w, x, y).sum())(w)
        return per_sample, batched
    t, e = under_both(scenario)
    assert_trees_close(t, e)
    np.testing.assert_allclose(e[0].sum(0).numpy(), e[1].numpy(), rtol=1e-4, atol=1e-5)


def test_gradient_flows_through_vmap_to_outer_leaves():
    def scenario(lib):
        w = lib.tensor(C, requires_grad=True)
        out = lib.vmap(lambda x: (x * w).tanh().sum())(lib.tensor(A))
        out.sum().backward()
        return out, w.grad
    t, e = under_both(scenario)
    assert_trees_close(t, e)


def test_in_place_writes_reach_the_mapped_input():
    def scenario(lib):
        t = lib.zeros(3, 2)
        r = lib.vmap(lambda x: x.add_(1), in_dims=1, out_dims=1)(t)
        return t, r
    t, e = under_both(scenario)
    assert_trees_close(t, e)


def test_empty_batch():
    t, e = under_both(lambda lib: lib.vmap(lambda x: (x.sum(), x * 2), out_dims=(0, 1))(
        lib.zeros(0, 3)))
    assert_trees_close(t, e)


@pytest.mark.parametrize("randomness", ["same", "different"])
def test_randomness_modes_draw_torch_numbers(randomness):
    t, e = under_both(lambda lib: lib.vmap(lambda x: x + lib.rand(3), randomness=randomness)(
        lib.zeros(4, 3)))
    assert_trees_close(t, e)


def test_random_draw_in_error_mode_raises():
    assert_same_error(lambda lib: lib.vmap(lambda x: x + lib.rand(3))(lib.zeros(4, 3)))


# Each misuse, named, and how it is called under either library.
ERRORS = {
    "sizes": lambda lib: lib.vmap(lambda a, b: a + b)(lib.tensor(A), lib.tensor(B)),
    "in-dims-structure": lambda lib: lib.vmap(lambda a, b: a, in_dims=(0,))(lib.tensor(A),
                                                                          lib.tensor(A)),
    "in-dims-nested": lambda lib: lib.vmap(lambda a, b: a, in_dims=(0, (0, 0)))(
        lib.tensor(A), {"k": lib.tensor(A)}),
    "in-dim-range": lambda lib: lib.vmap(lambda a: a, in_dims=2)(lib.tensor(A)),
    "in-dims-none": lambda lib: lib.vmap(lambda a: a, in_dims=None)(lib.tensor(A)),
    "in-dims-list": lambda lib: lib.vmap(lambda a: a, in_dims=[0])(lib.tensor(A)),
    "in-dim-float": lambda lib: lib.vmap(lambda a: a, in_dims=(0.5,))(lib.tensor(A)),
    "nothing-mapped": lambda lib: lib.vmap(lambda a: a, in_dims=(None,))(lib.tensor(A)),
    "float-input": lambda lib: lib.vmap(lambda a: a)(3.0),
    "no-inputs": lambda lib: lib.vmap(lambda a: a)(),
    "0-d-input": lambda lib: lib.vmap(lambda a: a)(lib.tensor(1.0)),
    "float-output": lambda lib: lib.vmap(lambda a: 3.0)(lib.tensor(A)),
    "partial-output": lambda lib: lib.vmap(functools.partial(lambda a, b: 3.0, 1))(
        lib.tensor(A)),
    "none-output": lambda lib: lib.vmap(lambda a: None)(lib.tensor(A)),
    "out-dim-range": lambda lib: lib.vmap(lambda a: a, out_dims=2)(lib.tensor(A)),
    "out-dim-negative": lambda lib: lib.vmap(lambda a: a.sum(), out_dims=-2)(lib.tensor(A)),
    "out-dims-str": lambda lib: lib.vmap(lambda a: a, out_dims="a")(lib.tensor(A)),
    "out-dims-structure": lambda lib: lib.vmap(lambda a: (a, a), out_dims=(0, 1, 1))(
        lib.tensor(A)),
    "out-dims-leaf": lambda lib: lib.vmap(lambda a: a, out_dims=(0, 0))(lib.tensor(A)),
    "batched-out-dim-none": lambda lib: lib.vmap(lambda a: a.sum(), out_dims=None)(
        lib.tensor(A)),
    "randomness": lambda lib: lib.vmap(lambda a: a, randomness="foo"),
    "chunk-size": lambda lib: lib.vmap(lambda a: a, chunk_size=0),
}


@pytest.mark.parametrize("scenario", list(ERRORS.values()), ids=list(ERRORS))
def test_errors_as_torch(scenario):
    assert_same_error(scenario)
