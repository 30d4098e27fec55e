"""eager.func.functional_call and stack_module_state against torch.func: a dict or several
dicts, buffers, tied weights, strict mode, extra keys, restoring the module after an error,
gradients through the substituted tensors, and nn.utils.stateless's deprecated alias."""

from __future__ import annotations

import numpy as np
import pytest
from func_oracle import arrays, assert_same_error, assert_trees_close, under_both

import eager
from eager.func import functional_call

(X,) = arrays(3, (4, 3))


class Tied:
    """A two-layer model whose layers share one weight, built for either library."""

    @staticmethod
    def make(lib):
        class Net(lib.nn.Module):
            def __init__(self):
                super().__init__()
                self.a = lib.nn.Linear(3, 3, bias=False)
                self.b = lib.nn.Linear(3, 3, bias=False)
                self.b.weight = self.a.weight

            def forward(self, x):
                return self.b(self.a(x).relu())
        return Net()


def test_dict_and_tuple_of_dicts_with_buffers():
    def scenario(lib):
        m = lib.nn.Sequential(lib.nn.Linear(3, 2), lib.nn.BatchNorm1d(2)).eval()
        params = {k: v.detach() * 2 for k, v in m.named_parameters()}
        buffers = {k: v + 1 for k, v in m.named_buffers()}
        one = lib.func.functional_call(m, {**params, **buffers}, lib.tensor(X))
        two = lib.func.functional_call(m, (params, buffers), (lib.tensor(X),))
        return one, two, m(lib.tensor(X)), m[0].weight
    t, e = under_both(scenario)
    assert_trees_close(t, e)


@pytest.mark.parametrize("tie_weights", [True, False])
def test_tied_weights(tie_weights):
    def scenario(lib):
        m = Tied.make(lib)
        w = lib.eye(3) * 0.5
        return lib.func.functional_call(m, {"a.weight": w}, (lib.tensor(X),),
                                        tie_weights=tie_weights)
    t, e = under_both(scenario)
    assert_trees_close(t, e, grad_flags=False)  # eager's own weight: grad tracked either way


def test_gradients_reach_the_given_tensors_and_extra_keys_are_temporary():
    def scenario(lib):
        m = lib.nn.Linear(3, 2)
        w = lib.ones(2, 3, requires_grad=True)
        out = lib.func.functional_call(m, {"weight": w, "extra": lib.ones(1)},
                                       (lib.tensor(X),))
        out.pow(2).sum().backward()
        return w.grad, hasattr(m, "extra"), m.weight.grad is None
    t, e = under_both(scenario)
    assert_trees_close(t, e)


def test_buffers_given_are_updated_in_place_by_a_training_batch_norm():
    def scenario(lib):
        bn = lib.nn.BatchNorm1d(3)
        given = {"running_mean": lib.zeros(3), "running_var": lib.ones(3),
                 "num_batches_tracked": lib.tensor(0)}
        out = lib.func.functional_call(bn, given, lib.tensor(X))
        return out, given, bn.running_mean, bn.num_batches_tracked
    t, e = under_both(scenario)
    assert_trees_close(t, e)


def test_a_parametrized_weight_is_set_through_right_inverse_and_restored():
    def scenario(lib):
        class Symmetric(lib.nn.Module):
            def forward(self, w):
                return w.triu() + w.triu(1).transpose(-1, -2)

            def right_inverse(self, a):
                return a.triu()
        m = lib.nn.Linear(3, 3)
        lib.nn.utils.parametrize.register_parametrization(m, "weight", Symmetric())
        before = m.parametrizations.weight.original.detach().clone()
        w = lib.arange(9.0).reshape(3, 3)
        out = lib.func.functional_call(m, {"weight": w}, (lib.tensor(X),))
        return out.detach(), lib.equal(before, m.parametrizations.weight.original)
    t, e = under_both(scenario)
    assert_trees_close(t, e)
    assert e[1] is True


def test_module_restored_after_an_error_in_forward():
    m = eager.nn.Linear(3, 2)
    before = m.weight
    with pytest.raises(ValueError, match="weight"):  # eager's ShapeError is a ValueError
        functional_call(m, {"weight": eager.ones(5, 5)}, (eager.tensor(X),))
    assert m.weight is before and m._parameters["weight"] is before


def test_stack_module_state_as_torch():
    def scenario(lib):
        models = [lib.nn.Sequential(lib.nn.Linear(3, 2), lib.nn.BatchNorm1d(2))
                  for _ in range(3)]
        params, buffers = lib.func.stack_module_state(models)
        return params, buffers, [p.is_leaf for p in params.values()]
    t, e = under_both(scenario)
    assert_trees_close(t, e)


def test_stateless_alias_warns_and_calls():
    m = eager.nn.Linear(3, 1)
    zeros = {k: eager.zeros_like(v) for k, v in m.named_parameters()}
    from eager.nn.utils import stateless
    with pytest.warns(FutureWarning, match="functional_call"):
        out = stateless.functional_call(m, zeros, eager.tensor(X))
    np.testing.assert_array_equal(out.numpy(), np.zeros((4, 1), np.float32))


@pytest.mark.parametrize("scenario", [
    lambda lib: lib.func.functional_call(lib.nn.Linear(3, 2), 3, (lib.tensor(X),)),
    lambda lib: lib.func.functional_call(lib.nn.Linear(3, 2), ({"bias": lib.ones(2)},
                                                               {"bias": lib.ones(2)}), ()),
    lambda lib: lib.func.functional_call(lib.nn.Linear(3, 2), {"weight": lib.ones(2, 3),
                                                               "foo": lib.ones(1)},
                                         (lib.tensor(X),), strict=True),
    lambda lib: lib.func.functional_call(lib.nn.Linear(3, 2), {"sub.weight": lib.ones(1)},
                                         (lib.tensor(X),)),
    lambda lib: (lambda m: lib.func.functional_call(
        m, {"a.weight": lib.eye(3), "b.weight": lib.eye(3) * 2}, (lib.tensor(X),)))(
        Tied.make(lib)),
    lambda lib: lib.func.stack_module_state([]),
    lambda lib: lib.func.stack_module_state([lib.nn.Linear(2, 2), lib.nn.Linear(2, 2).eval()]),
    lambda lib: lib.func.stack_module_state([lib.nn.Linear(2, 2), lib.nn.Conv1d(2, 2, 1)]),
    lambda lib: lib.func.stack_module_state([lib.nn.Linear(2, 2).requires_grad_(False),
                                             lib.nn.Linear(2, 2)]),
], ids=["not-a-dict", "repeated-key", "strict", "no-submodule", "tied-twice", "no-models",
        "train-eval", "classes", "requires-grad"])
def test_errors_as_torch(scenario):
    assert_same_error(scenario)
