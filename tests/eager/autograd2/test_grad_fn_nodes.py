"""grad_fn objects as torch's: a class per node name, next_functions with AccumulateGrad nodes,
node hooks and metadata, each checked against torch 2.x."""

from __future__ import annotations

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")

A = np.random.default_rng(5).standard_normal((2, 3)).astype(np.float32)


def _leaf(L):
    return L.tensor(A.copy(), requires_grad=True)


@pytest.mark.parametrize("expr", [
    lambda x: x * 2, lambda x: x + x, lambda x: x.exp(), lambda x: x.sum(),
    lambda x: x.sum(1), lambda x: x.clone(), lambda x: x.transpose(0, 1), lambda x: x.reshape(6),
    lambda x: x ** 2, lambda x: 2 ** x, lambda x: x.mean(), lambda x: x.tanh()])
def test_node_class_names_match_torch(expr):
    got, want = type(expr(_leaf(eager)).grad_fn), type(expr(_leaf(torch)).grad_fn)
    assert got.__name__ == want.__name__
    assert repr(got) == repr(want)  # <class 'MulBackward0'>


def test_one_class_per_name_cached():
    x = _leaf(eager)
    assert type((x * 2).grad_fn) is type((x * 3).grad_fn)
    assert type((x * 2).grad_fn) is not type((x + 2).grad_fn)
    assert isinstance((x * 2).grad_fn, eager.autograd.graph.Node)


@pytest.mark.parametrize("L", [eager, torch])
def test_next_functions_show_accumulate_grad_for_leaves(L):
    x = _leaf(L)
    y = x * L.tensor(A)
    (acc, nr), const = y.grad_fn.next_functions
    assert type(acc).__name__ == "AccumulateGrad" and nr == 0 and const == (None, 0)
    assert acc.variable is x and acc.next_functions == ()
    assert acc.name() == "torch::autograd::AccumulateGrad"
    assert repr(acc).startswith("<AccumulateGrad object at 0x")
    assert (x + 1).grad_fn.next_functions[0][0] is acc  # one node per leaf while alive
    e = x.exp()
    assert (e * e).grad_fn.next_functions == ((e.grad_fn, 0), (e.grad_fn, 0))


@pytest.mark.parametrize("L", [eager, torch])
def test_metadata_is_one_dict_per_node(L):
    y = _leaf(L) * 2
    assert y.grad_fn.metadata == {}
    y.grad_fn.metadata["tag"] = 1
    assert y.grad_fn.metadata == {"tag": 1}


def _hooks_trace(L):
    x = _leaf(L)
    y = x * 3
    seen = []
    y.grad_fn.register_prehook(lambda go: seen.append(("pre", go[0].tolist())))

    def post(grad_inputs, grad_outputs):
        seen.append(("post", grad_inputs[0].tolist(), grad_inputs[1], grad_outputs[0].tolist()))
        return (grad_inputs[0] * 10, None)

    handle = y.grad_fn.register_hook(post)
    y.sum().backward(retain_graph=True)
    first = x.grad.tolist()
    handle.remove()
    x.grad = None
    y.sum().backward()
    return seen, first, x.grad.tolist()


def test_node_pre_and_post_hooks_match_torch():
    got, want = _hooks_trace(eager), _hooks_trace(torch)
    assert got[0] == want[0]
    np.testing.assert_allclose(got[1], want[1])
    np.testing.assert_allclose(got[2], want[2])


def _prehook_replaces(L):
    x = _leaf(L)
    y = x.exp()
    y.grad_fn.register_prehook(lambda go: (go[0] * 2,))
    y.sum().backward()
    return x.grad.numpy()


def test_prehook_result_replaces_the_gradient():
    np.testing.assert_allclose(_prehook_replaces(eager), _prehook_replaces(torch), rtol=1e-6)


def _accumulate_hooks(L):
    x = _leaf(L)
    y = x * 2
    acc = y.grad_fn.next_functions[0][0]
    seen = []
    acc.register_prehook(lambda go: seen.append(("accpre", go[0].sum().item())))
    acc.register_hook(lambda gi, go: seen.append(("accpost", gi, go[0].sum().item())))
    x.register_post_accumulate_grad_hook(lambda t: seen.append(("post", t.grad.sum().item())))
    x.register_hook(lambda g: seen.append(("tensor", g.sum().item())))
    y.sum().backward()
    return seen


def test_accumulate_grad_hooks_run_in_torch_order():
    assert _accumulate_hooks(eager) == _accumulate_hooks(torch)


@pytest.mark.parametrize("L", [eager, torch])
def test_post_accumulate_grad_hook_errors(L):
    with pytest.raises(RuntimeError, match="post accumulate grad hooks cannot be registered on "
                                           "non-leaf tensors"):
        (_leaf(L) * 2).register_post_accumulate_grad_hook(lambda t: None)
    with pytest.raises(RuntimeError, match="cannot register a hook on a tensor that doesn't "
                                           "require gradient"):
        L.ones(2).register_post_accumulate_grad_hook(lambda t: None)


def test_hook_handles_are_removable_context_managers():
    x = _leaf(eager)
    calls = []
    with x.register_post_accumulate_grad_hook(lambda t: calls.append(1)):
        (x * 2).sum().backward()
    (x * 2).sum().backward()
    assert calls == [1]
