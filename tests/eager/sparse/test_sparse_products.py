"""``torch.sparse.mm`` / ``spmm`` / ``mm`` / ``@`` with a COO first operand against torch's:
values, gradients to the dense operand and to the sparse values (a leaf sparse tensor's
``grad`` comes back sparse, on its indices), and the shape errors."""

from __future__ import annotations

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.filterwarnings("ignore:Sparse invariant checks")

IDX = [[0, 1, 0, 2], [2, 0, 2, 1]]  # (0, 2) twice: an uncoalesced product


def operands(L, seed: int = 0):
    rng = np.random.default_rng(seed)
    vals = L.tensor(rng.standard_normal(4).astype(np.float32), requires_grad=True)
    dense = L.tensor(rng.standard_normal((3, 2)).astype(np.float32), requires_grad=True)
    return vals, dense


@pytest.mark.parametrize("product", [
    lambda s, d, L: L.sparse.mm(s, d), lambda s, d, L: L.spmm(s, d),
    lambda s, d, L: L.mm(s, d), lambda s, d, L: s @ d,
    lambda s, d, L: L.sparse.mm(s.coalesce(), d),
], ids=["sparse.mm", "spmm", "mm", "matmul-operator", "coalesced"])
def test_product_and_gradients_are_torchs(product):
    results = []
    for L in (eager, torch):
        vals, dense = operands(L)
        s = L.sparse_coo_tensor(L.tensor(IDX), vals * 1.5, (3, 3))
        out = product(s, dense, L)
        (out * out).sum().backward()
        results.append([out.detach().numpy(), vals.grad.numpy(), dense.grad.numpy()])
    for mine, theirs in zip(*results, strict=True):
        np.testing.assert_allclose(mine, theirs, rtol=1e-5, atol=1e-6)


def test_a_sparse_leafs_gradient_is_sparse_on_its_indices():
    grads = []
    for L in (eager, torch):
        vals, dense = operands(L, seed=1)
        s = L.sparse_coo_tensor(L.tensor(IDX), vals.detach(), (3, 3), requires_grad=True)
        L.sparse.mm(s, dense).pow(2).sum().backward()
        grads.append(s.grad)
    assert grads[0].is_sparse and grads[1].is_sparse
    assert repr(grads[0]) == repr(grads[1])
    np.testing.assert_array_equal(grads[0]._indices().numpy(), grads[1]._indices().numpy())
    np.testing.assert_allclose(grads[0]._values().numpy(), grads[1]._values().numpy(),
                               rtol=1e-5)


def test_dense_graph_network_step_matches():
    """A normalized adjacency built with sparse_coo_tensor, as pygcn: A_hat @ (X W)."""
    outs = []
    for L in (eager, torch):
        L.manual_seed(0)
        adj = L.sparse_coo_tensor(L.tensor([[0, 1, 1, 2, 0, 1, 2], [1, 0, 2, 1, 0, 1, 2]]),
                                  L.full((7,), 0.5), (3, 3))
        x = L.arange(12.0).reshape(3, 4)
        w = L.nn.Linear(4, 2)
        y = L.spmm(adj, w(x)).relu().sum()
        y.backward()
        outs.append([y.item(), w.weight.grad.numpy()])
    assert outs[0][0] == pytest.approx(outs[1][0], rel=1e-6)
    np.testing.assert_allclose(outs[0][1], outs[1][1], rtol=1e-5)


@pytest.mark.parametrize("bad", [lambda L: L.ones(2, 2), lambda L: L.ones(3)],
                         ids=["rows", "vector"])
def test_shape_errors_are_torchs(bad):
    errors = []
    for L in (eager, torch):
        s = L.sparse_coo_tensor(L.tensor(IDX), L.ones(4), (3, 3))
        with pytest.raises(Exception) as info:
            L.sparse.mm(s, bad(L))
        errors.append((type(info.value), str(info.value)))
    assert errors[0] == errors[1]
