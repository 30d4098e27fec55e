"""``sparse=True`` lookups against torch's: ``weight.grad`` is an uncoalesced COO tensor with one
row per lookup (padding rows left out), accumulates by concatenation over backward calls, is
zeroed or dropped by ``zero_grad``, and ``EmbeddingBag``'s bags give torch's values."""

from __future__ import annotations

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.filterwarnings("ignore:Sparse invariant checks")

LOOKUPS = [[1, 3], [1, 0]]


def run(build, steps, loss=lambda out: out.pow(2).sum()):
    """``build(L)`` -> (module or weight, forward); each step's lookups then a backward."""
    grads = []
    for L in (eager, torch):
        L.manual_seed(0)
        weight, forward = build(L)
        for lookups in steps:
            loss(forward(L.tensor(lookups))).backward()
        grads.append(weight.grad)
    return grads


def assert_same_sparse(mine, theirs):
    assert mine.is_sparse and theirs.is_sparse
    assert repr(mine) == repr(theirs)
    assert mine.is_coalesced() == theirs.is_coalesced()


@pytest.mark.parametrize("padding_idx", [None, 1, -2])
def test_embedding_module_grad_is_torchs(padding_idx):
    def build(L):
        e = L.nn.Embedding(5, 3, padding_idx=padding_idx, sparse=True)
        return e.weight, e
    assert_same_sparse(*run(build, [LOOKUPS]))


def test_functional_embedding_grad_is_torchs():
    def build(L):
        w = L.tensor(np.arange(10.0, dtype=np.float32).reshape(5, 2), requires_grad=True)
        return w, lambda x: L.nn.functional.embedding(x, w, sparse=True)
    assert_same_sparse(*run(build, [LOOKUPS]))


@pytest.mark.parametrize("loss", [lambda out: out.pow(2).sum(), lambda out: out.sum()],
                         ids=["merged", "concatenated"])
def test_grads_accumulate_over_backward_calls_as_torchs(loss):
    """torch merges two COO gradients with contiguous values and concatenates otherwise (a
    ``sum()``'s gradient is broadcast): the entries' order and nnz show which."""
    def build(L):
        e = L.nn.Embedding(5, 2, sparse=True)
        return e.weight, e
    mine, theirs = run(build, [[1, 3, 1, 0], [0], [4, 0], [2, 2]], loss)
    assert_same_sparse(mine, theirs)


@pytest.mark.parametrize("set_to_none", [True, False])
def test_zero_grad(set_to_none):
    grads = []
    for L in (eager, torch):
        e = L.nn.Embedding(5, 2, sparse=True)
        opt = L.optim.SGD(e.parameters(), lr=0.1)
        e(L.tensor([1, 2])).sum().backward()
        opt.zero_grad(set_to_none=set_to_none)
        grads.append(e.weight.grad)
    if set_to_none:
        assert grads == [None, None]
    else:
        assert_same_sparse(*grads)


@pytest.mark.parametrize("mode", ["sum", "mean"])
def test_embedding_bag_grad_is_torchs(mode):
    grads = []
    for L in (eager, torch):
        L.manual_seed(0)
        bag = L.nn.EmbeddingBag(6, 2, mode=mode, sparse=True, padding_idx=2)
        bag(L.tensor([1, 2, 1, 4, 5]), L.tensor([0, 2])).pow(2).sum().backward()
        grads.append(bag.weight.grad)
    assert_same_sparse(*grads)


def test_embedding_bag_max_mode_refuses_sparse():
    for L in (eager, torch):
        bag = L.nn.EmbeddingBag(5, 2, mode="max", sparse=True)
        with pytest.raises(ValueError, match="max mode does not support sparse weights"):
            bag(L.tensor([1, 2]), L.tensor([0]))


def test_repr_and_forward_values_are_torchs():
    outs = []
    for L in (eager, torch):
        L.manual_seed(0)
        e = L.nn.Embedding(5, 2, sparse=True)
        outs.append((repr(e), e(L.tensor(LOOKUPS)).detach().numpy()))
    assert outs[0][0] == outs[1][0] == "Embedding(5, 2, sparse=True)"
    np.testing.assert_array_equal(outs[0][1], outs[1][1])
