"""split, chunk and unbind: the pieces share one grad_fn as torch's, and gradients (first and
second order, hooks, retain_grad) agree with torch."""

from __future__ import annotations

import numpy as np
import pytest

import eager
import shared_ops

torch = pytest.importorskip("torch")

A = np.random.default_rng(11).standard_normal((4, 3)).astype(np.float32)
CASES = {
    "split": lambda L, x: x.split(2),
    "split_dim1": lambda L, x: x.split(2, 1),
    "split_sizes": lambda L, x: x.split([1, 3]),
    "chunk": lambda L, x: x.chunk(3, 1),
    "unbind": lambda L, x: x.unbind(1),
    "torch.split": lambda L, x: L.split(x, 3),
    "torch.chunk": lambda L, x: L.chunk(x, 2),
    "torch.unbind": lambda L, x: L.unbind(x),
}


def _pieces(L, case):
    x = L.tensor(A, requires_grad=True)
    pieces = CASES[case](L, x * 1)
    names = {type(p.grad_fn).__name__ for p in pieces}
    shared = all(p.grad_fn is pieces[0].grad_fn for p in pieces)
    nexts = [type(n).__name__ for n, _ in pieces[0].grad_fn.next_functions]
    # only the first and the last piece are used: the others get no gradient
    loss = (pieces[0] ** 2).sum() + (pieces[-1] * 3).sum()
    loss.backward()
    return names, shared, nexts, x.grad.numpy()


@pytest.mark.parametrize("case", list(CASES))
def test_pieces_share_one_node_and_gradients_match(case):
    got, want = _pieces(eager, case), _pieces(torch, case)
    assert got[:3] == want[:3]
    np.testing.assert_allclose(got[3], want[3], rtol=1e-6)


def _second_order(L):
    x = L.tensor(A, requires_grad=True)
    a, b = x.split(2)
    y = (a ** 3).sum() + (a * b).sum()
    (g,) = L.autograd.grad(y, x, create_graph=True)
    (gg,) = L.autograd.grad(g.sum(), x)
    return g.detach().numpy(), gg.numpy()


def test_second_order_through_a_split():
    for got, want in zip(_second_order(eager), _second_order(torch), strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-5)


def _hooks(L):
    x = L.tensor(A, requires_grad=True)
    a, b, c, d = (x * 2).unbind()
    seen = []
    b.register_hook(lambda g: seen.append(g.sum().item()) or g * 10)
    c.retain_grad()
    (a.sum() + (b * c).sum()).backward()
    return seen, x.grad.numpy(), c.grad.numpy()


def test_piece_hooks_and_retain_grad():
    got, want = _hooks(eager), _hooks(torch)
    np.testing.assert_allclose(got[0], want[0], rtol=1e-6)
    np.testing.assert_allclose(got[1], want[1], rtol=1e-6)
    np.testing.assert_allclose(got[2], want[2], rtol=1e-6)


def test_no_grad_pieces_have_no_node():
    for L in (eager, torch):
        pieces = L.tensor(A).split(2)
        assert all(p.grad_fn is None and not p.requires_grad for p in pieces)
        with L.no_grad():
            pieces = L.tensor(A, requires_grad=True).unbind()
        assert all(p.grad_fn is None for p in pieces)


def test_second_backward_without_retain_graph_raises():
    x = eager.tensor(A, requires_grad=True)
    a, b = x.split(2)
    y = a.sum() + b.sum()
    y.backward(retain_graph=False)
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        (a.sum()).backward()


def test_decomposed_tapes_keep_one_slice_entry_per_piece():
    # shared_ops.decomposed(): the tape lines up with a traced graph's primitives
    x = eager.tensor(A, requires_grad=True)
    with shared_ops.decomposed():
        a, b = x.chunk(2)
    assert a.grad_fn is not b.grad_fn and type(a.grad_fn).__name__ == "SliceBackward0"
    (a.sum() + 2 * b.sum()).backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.repeat([[1.0], [1.0], [2.0], [2.0]], 3, 1))
