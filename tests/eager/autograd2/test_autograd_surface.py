"""Small autograd surface as torch's: detach_, is_inference, grad(materialize_grads=),
graph.Node, hooks on a custom Function's node."""

from __future__ import annotations

import inspect

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")

A = np.random.default_rng(9).standard_normal(3).astype(np.float32)


@pytest.mark.parametrize("L", [eager, torch])
def test_detach_in_place(L):
    x = L.tensor(A, requires_grad=True)
    y = x * 2
    assert y.detach_() is y
    assert (y.requires_grad, y.grad_fn, y.is_leaf) == (False, None, True)
    with pytest.raises(RuntimeError, match="Can't detach views in-place"):
        (x * 2)[:2].detach_()


@pytest.mark.parametrize("L", [eager, torch])
def test_is_inference(L):
    x = L.tensor(A, requires_grad=True)
    with L.inference_mode():
        made = [x * 2, L.zeros(2), L.tensor([1.0]), L.ones(3) + 1]
    with L.no_grad():
        plain = x * 2
    assert [t.is_inference() for t in made] == [True] * 4
    assert not x.is_inference() and not plain.is_inference() and not (x * 2).is_inference()
    with L.inference_mode(False):
        assert not L.zeros(1).is_inference()


def _materialized(L):
    x = L.tensor(A, requires_grad=True)
    unused = L.ones(2, requires_grad=True)
    return [g.tolist() for g in L.autograd.grad((x * 2).sum(), [x, unused],
                                                 materialize_grads=True)]


def test_materialize_grads_gives_zeros_for_unused_inputs():
    assert _materialized(eager) == _materialized(torch)


@pytest.mark.parametrize("L", [eager, torch])
def test_materialize_grads_refuses_allow_unused_false(L):
    x = L.tensor(A, requires_grad=True)
    with pytest.raises(ValueError, match="Expected allow_unused to be True or not passed"):
        L.autograd.grad((x * 2).sum(), x, allow_unused=False, materialize_grads=True)


def test_grad_signature_is_torchs():
    assert list(inspect.signature(eager.autograd.grad).parameters) == \
        list(inspect.signature(torch.autograd.grad).parameters)


def _custom_node_hooks(L):
    class Scale(L.autograd.Function):
        @staticmethod
        def forward(ctx, x, k, y):
            return x * k + y

        @staticmethod
        def backward(ctx, g):
            return g * 2, None, g

    x = L.tensor(A, requires_grad=True)
    out = Scale.apply(x, 2.0, L.ones(3))
    seen = []
    out.grad_fn.register_prehook(lambda go: seen.append(("pre", go[0].tolist())))
    out.grad_fn.register_hook(
        lambda gi, go: seen.append(("post", [None if g is None else g.tolist() for g in gi])))
    names = [type(n).__name__ if n is not None else None for n, _ in
             out.grad_fn.next_functions]
    assert isinstance(out.grad_fn, L.autograd.graph.Node)
    out.sum().backward()
    return seen, names, x.grad.tolist()


def test_custom_function_node_hooks_match_torch():
    assert _custom_node_hooks(eager) == _custom_node_hooks(torch)


def test_node_type_prints_as_torchs():
    assert eager.autograd.graph.Node.__module__ == "eager.autograd.graph"
    x = eager.tensor(A, requires_grad=True)
    assert repr(type((x * 2).grad_fn)) == "<class 'MulBackward0'>"


def _changed_behind_autograd(L):
    x = L.tensor(A, requires_grad=True)
    y = x * 1
    z = y.exp()
    with L.no_grad():
        z.numpy()[:] = 0  # a write autograd cannot see
    L.autograd.graph.increment_version([z])
    with pytest.raises(RuntimeError) as info:
        z.sum().backward()
    return z._version, str(info.value)


def test_increment_version_makes_backward_check_the_write():
    assert _changed_behind_autograd(eager) == _changed_behind_autograd(torch)


def test_a_shared_node_keeps_its_name():
    x = eager.tensor(A, requires_grad=True)
    a, _ = x.split(2)
    a.grad_fn.torch_name = "OtherBackward0"  # what a composite returning the piece would do
    assert type(a.grad_fn).__name__ == "SplitBackward0"
