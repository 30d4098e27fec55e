"""Module backward hooks (register_full_backward_hook, register_full_backward_pre_hook):
the gradients they see, replacing them, their errors and warnings, checked against torch."""

from __future__ import annotations

import pytest
from module2_oracle import rounded, same_error, under_both

import eager
import eager.nn as nn


def _two_output_module(lib):
    class TwoOut(lib.nn.Module):
        def forward(self, a, b, k=1):
            return a * 2, b * 3 + a, 5
    return TwoOut()


def _record(log):
    def full(module, grad_input, grad_output):
        log.append(("full", [rounded(g) for g in grad_input], [rounded(g) for g in grad_output]))

    def pre(module, grad_output):
        log.append(("pre", [rounded(g) for g in grad_output]))
    return full, pre


@pytest.mark.parametrize("use_both_outputs", [False, True])
def test_hooks_see_grad_input_and_grad_output_as_torch(use_both_outputs):
    def scenario(lib):
        log = []
        m = _two_output_module(lib)
        full, pre = _record(log)
        m.register_full_backward_hook(full)
        m.register_full_backward_pre_hook(pre)
        a = lib.tensor([1.0, 2.0], requires_grad=True)
        x, y, z = m(a, lib.tensor([3.0, 4.0]), 7)
        loss = x.sum() + y.sum() if use_both_outputs else x.sum()
        loss.backward()
        return log, x.grad_fn.name(), z, rounded(a.grad)
    theirs, ours = under_both(scenario)
    assert ours == theirs
    assert ours[1] == "BackwardHookFunctionBackward"


def test_no_input_requires_grad_fires_at_the_outputs_with_a_warning():
    def scenario(lib):
        log = []
        lin = lib.nn.Linear(2, 2)
        lin.register_full_backward_hook(_record(log)[0])
        lin(lib.ones(3, 2)).sum().backward()
        return log
    theirs, ours = under_both(scenario)
    assert ours == theirs and ours[0][1] == [None]
    lin = nn.Linear(2, 2)
    lin.register_full_backward_hook(lambda m, gi, go: None)
    with pytest.warns(UserWarning, match="Full backward hook is firing when gradients are "
                                         "computed with respect to module outputs"):
        lin(eager.ones(3, 2)).sum().backward()


def test_hooks_replace_gradients_and_run_in_order():
    def scenario(lib):
        lin = lib.nn.Linear(3, 2)
        order = []
        lin.register_full_backward_pre_hook(lambda m, go: (go[0] * 3,))
        lin.register_full_backward_hook(lambda m, gi, go: order.append("second"))
        lin.register_full_backward_hook(lambda m, gi, go: (order.append("first"), None)[1],
                                        prepend=True)
        lin.register_full_backward_hook(lambda m, gi, go: (gi[0] * 10,))
        x = lib.randn(4, 3, requires_grad=True)
        lin(x).sum().backward()
        return order, rounded(x.grad, 4), rounded(lin.weight.grad, 4)
    theirs, ours = under_both(scenario)
    assert ours == theirs


def test_removed_hook_runs_no_more_and_grad_mode_off_wraps_nothing():
    def scenario(lib):
        calls = []
        lin = lib.nn.Linear(2, 2)
        handle = lin.register_full_backward_hook(lambda *a: calls.append(1))
        x = lib.ones(1, 2, requires_grad=True)
        lin(x).sum().backward()
        with lib.no_grad():
            untracked = lin(x).grad_fn
        handle.remove()
        lin(x).sum().backward()
        return calls, untracked, lin(x).grad_fn.name()
    theirs, ours = under_both(scenario)
    assert ours == theirs and ours[0] == [1]


def test_wrong_number_of_gradients_returned_is_torch_error():
    def full(lib):
        lin = lib.nn.Linear(2, 2)
        lin.register_full_backward_hook(lambda m, gi, go: (gi[0], gi[0]))
        lin(lib.ones(1, 2, requires_grad=True)).sum().backward()

    def pre(lib):
        lin = lib.nn.Linear(2, 2)
        lin.register_full_backward_pre_hook(lambda m, go: (go[0], go[0]))
        lin(lib.ones(1, 2, requires_grad=True)).sum().backward()

    def no_input(lib):
        lin = lib.nn.Linear(2, 2)
        lin.register_full_backward_hook(lambda m, gi, go: (lib.ones(1, 2),))
        lin(lib.ones(1, 2)).sum().backward()
    assert "got 2, but expected 1" in same_error(RuntimeError, full)
    assert "pre hook" in same_error(RuntimeError, pre)
    assert "should always return None" in same_error(RuntimeError, no_input)


@pytest.mark.parametrize("first", ["full", "regular"])
def test_regular_and_full_hooks_cannot_be_mixed(first):
    def scenario(lib):
        lin = lib.nn.Linear(2, 2)
        hook = lambda *a: None  # noqa: E731
        if first == "full":
            lin.register_full_backward_hook(hook)
            lin.register_backward_hook(hook)
        else:
            lin.register_backward_hook(hook)
            lin.register_full_backward_hook(hook)
    assert same_error(RuntimeError, scenario).startswith("Cannot use both regular")


def test_output_that_is_not_a_tensor_or_tuple_warns_and_calls_no_hook():
    class ListOut(nn.Module):
        def forward(self, a):
            return [a * 2]
    m = ListOut()
    calls = []
    m.register_full_backward_hook(lambda *a: calls.append(1))
    a = eager.ones(2, requires_grad=True)
    with pytest.warns(UserWarning, match="module output should be a Tensor or a tuple of "
                                         "Tensors but received <class 'list'>"):
        out = m(a)
    out[0].sum().backward()
    assert calls == [] and a.grad.tolist() == [2.0, 2.0]


@pytest.mark.parametrize("layer", ["ReLU", "Sigmoid", "Tanh"])
def test_deprecated_backward_hook_sees_the_last_node_as_torch(layer):
    def scenario(lib):
        log = []
        m = getattr(lib.nn, layer)()
        m.register_backward_hook(_record(log)[0])
        m.register_backward_hook(lambda mod, gi, go: (gi[0] * 2,))
        x = lib.randn(1, 3, requires_grad=True)
        m(x * 1).sum().backward()
        return log, rounded(x.grad, 4)
    theirs, ours = under_both(scenario)
    assert ours == theirs


def test_deprecated_backward_hook_warns_when_forward_has_several_nodes():
    class TwoOps(nn.Module):
        def forward(self, a):
            return (a * 2).exp()
    m = TwoOps()
    m.register_backward_hook(lambda mod, gi, go: (gi[0] * 0,))
    x = eager.ones(2, requires_grad=True)
    with pytest.warns(FutureWarning, match="the forward contains multiple autograd Nodes"):
        out = m(x)
    out.sum().backward()
    assert x.grad.tolist() == [0.0, 0.0]  # the hook's replacement reached the input


def test_warnings_name_the_users_line():
    class TwoOps(nn.Module):
        def forward(self, a):
            return (a * 2).exp()
    m = TwoOps()
    m.register_backward_hook(lambda mod, gi, go: None)
    with pytest.warns(FutureWarning) as caught:
        m(eager.ones(2, requires_grad=True))
    assert caught[0].filename == __file__
    lin = nn.Linear(2, 2)
    lin.register_full_backward_hook(lambda m, gi, go: None)
    with pytest.warns(UserWarning) as caught:
        lin(eager.ones(3, 2)).sum().backward()
    assert caught[0].filename == __file__
