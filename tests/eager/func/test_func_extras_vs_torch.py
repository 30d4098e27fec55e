"""eager.func's linearize, functionalize, replace_all_batch_norm_modules_ and debug_unwrap
against torch.func."""

from __future__ import annotations

import pytest
from func_oracle import arrays, assert_same_error, assert_trees_close, under_both

import eager

X, T, D = arrays(5, (3,), (3,), (2, 6, 3))


def test_linearize_called_twice_and_on_a_tuple_output():
    def scenario(lib):
        out, jvp_fn = lib.func.linearize(lambda a, b: (a.sin() * b, (a * b).sum()),
                                         lib.tensor(X), lib.tensor(T))
        return out, jvp_fn(lib.ones(3), lib.tensor(X)), jvp_fn(lib.tensor(T), lib.zeros(3))
    t, e = under_both(scenario)
    assert_trees_close(t, e)


@pytest.mark.parametrize("scenario", [
    lambda lib: lib.func.linearize(lambda a: a * 2, lib.tensor(X))[1](lib.ones(2)),
    lambda lib: lib.func.linearize(lambda a: a * 2, lib.tensor(X))[1](lib.ones(3), lib.ones(3)),
    lambda lib: lib.func.functionalize(lambda a: a, remove="views"),
], ids=["tangent-shape", "tangent-structure", "functionalize-remove"])
def test_errors_as_torch(scenario):
    assert_same_error(scenario)


def test_functionalize_gives_the_function_s_results():
    def scenario(lib):
        def f(a):
            b = a.clone()
            b.add_(1).mul_(a)
            return b
        return lib.func.functionalize(f)(lib.tensor(X)), \
            lib.func.functionalize(f, remove="mutations_and_views")(lib.tensor(X))
    t, e = under_both(scenario)
    assert_trees_close(t, e)


def test_batch_norm_without_running_stats_under_vmap():
    def scenario(lib):
        m = lib.nn.Sequential(lib.nn.Linear(3, 4), lib.nn.BatchNorm1d(4))
        assert lib.func.replace_all_batch_norm_modules_(m) is m
        bn = m[1]
        return (bn.running_mean, bn.running_var, bn.num_batches_tracked,
                bn.track_running_stats, lib.func.vmap(m)(lib.tensor(D)))
    t, e = under_both(scenario)
    assert t[:4] == (None, None, None, False) == e[:4]
    assert_trees_close(t[4], e[4], atol=1e-5)


def test_debug_unwrap_returns_the_tensor():
    x = eager.tensor(X)
    assert eager.func.debug_unwrap(x) is x and eager.func.debug_unwrap(x, recurse=False) is x
