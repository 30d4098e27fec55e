"""``autograd.graph.register_multi_grad_hook`` as torch's: once per backward, "all" with a
None for tensors the backward did not reach, "any" with the first gradient computed."""

from __future__ import annotations

import pytest

import eager

torch = pytest.importorskip("torch")


def _listed(grads):
    return [None if g is None else g.tolist() for g in grads]


def _trace(L):
    a, b, c = (L.ones(2, requires_grad=True) for _ in range(3))
    seen = []
    h_all = L.autograd.graph.register_multi_grad_hook(
        (a, b, c), lambda gs: seen.append(("all", _listed(gs))))
    h_any = L.autograd.graph.register_multi_grad_hook(
        (a, b), lambda g: seen.append(("any", g.tolist())), mode="any")
    (a * 2 + b * 3).sum().backward()
    (c * 5).sum().backward()
    h_all.remove()
    h_any.remove()
    (a * 2).sum().backward()
    return seen


def test_all_and_any_modes_match_torch():
    assert _trace(eager) == _trace(torch)


@pytest.mark.parametrize("L", [eager, torch])
def test_unknown_mode_is_refused(L):
    with pytest.raises(ValueError, match="Expects mode to be one of"):
        L.autograd.graph.register_multi_grad_hook((L.ones(1, requires_grad=True),), print,
                                                   mode="some")


def test_a_failed_backward_does_not_leak_into_the_next():
    a = eager.ones(2, requires_grad=True)
    b = eager.ones(2, requires_grad=True)
    e = b.exp()  # recorded first: the walk reaches it after x's node
    x = a * 1
    other = b * 1
    seen = []
    eager.autograd.graph.register_multi_grad_hook((x, other),
                                                  lambda gs: seen.append(_listed(gs)))
    with eager.no_grad():
        e.mul_(2)  # exp saved its output: the walk raises after x's hook ran
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        (x.sum() + e.sum()).backward(retain_graph=True)
    assert seen == []
    (x * 3).sum().backward()
    assert seen == [[[3.0, 3.0], None]]
