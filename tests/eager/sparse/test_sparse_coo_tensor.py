"""COO tensors against torch's: construction, queries, printing, coalesce, arithmetic, sums,
and the errors torch raises (on uncoalesced parts, mismatched sizes, dense-only ops)."""

from __future__ import annotations

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.filterwarnings("ignore:Sparse invariant checks")

IDX = [[0, 1, 0, 1], [2, 0, 2, 1]]  # (0, 2) twice: uncoalesced
VALS = [3.0, 4.0, 5.0, -1.0]


def both(build):
    return build(eager), build(torch)


def same_repr(build) -> None:
    e, t = both(build)
    assert repr(e) == repr(t)


@pytest.mark.parametrize("build", [
    lambda L: L.sparse_coo_tensor(L.tensor(IDX), L.tensor(VALS), (2, 3)),
    lambda L: L.sparse_coo_tensor(L.tensor(IDX), L.tensor(VALS)),
    lambda L: L.sparse_coo_tensor(L.tensor(IDX), L.ones(4, 2), dtype=L.float64),
    lambda L: L.sparse_coo_tensor(L.tensor([[1, 0]]), L.tensor([1, 2]), (3,)),
    lambda L: L.sparse_coo_tensor(L.tensor(IDX), L.tensor(VALS), (2, 3), requires_grad=True),
    lambda L: L.sparse_coo_tensor(L.tensor(IDX), L.tensor(VALS), (2, 3)).coalesce(),
    lambda L: L.tensor([[0.0, 2.0, 0.0], [3.0, 0.0, 0.5]]).to_sparse(),
    lambda L: L.tensor([[0.0, 0.0], [3.0, 1.0]]).to_sparse(1),
], ids=["sized", "inferred", "hybrid-f64", "int-1d", "requires-grad", "coalesced",
        "to_sparse", "to_sparse-1"])
def test_prints_as_torch(build):
    same_repr(build)


def test_queries_are_torchs():
    e, t = both(lambda L: L.sparse_coo_tensor(L.tensor(IDX), L.ones(4, 2), (2, 3, 2)))
    for query in ("is_sparse", "layout", "dtype", "ndim"):
        assert str(getattr(e, query)) == str(getattr(t, query))
    for query in ("size", "dim", "sparse_dim", "dense_dim", "_nnz", "is_coalesced"):
        assert str(getattr(e, query)()) == str(getattr(t, query)())
    assert tuple(e.shape) == tuple(t.shape) and e.size(2) == t.size(2)
    assert e.coalesce().is_coalesced() and t.coalesce().is_coalesced()
    np.testing.assert_array_equal(e._indices().numpy(), t._indices().numpy())
    np.testing.assert_array_equal(e._values().numpy(), t._values().numpy())


def test_coalesce_sums_duplicates_and_sorts():
    e, t = both(lambda L: L.sparse_coo_tensor(L.tensor(IDX), L.tensor(VALS), (2, 3)).coalesce())
    np.testing.assert_array_equal(e.indices().numpy(), t.indices().numpy())
    np.testing.assert_array_equal(e.values().numpy(), t.values().numpy())
    np.testing.assert_array_equal(e.to_dense().numpy(), t.to_dense().numpy())


@pytest.mark.parametrize("method", ["indices", "values"])
def test_parts_of_an_uncoalesced_tensor_are_refused(method):
    messages = []
    for L in (eager, torch):
        s = L.sparse_coo_tensor(L.tensor(IDX), L.tensor(VALS), (2, 3))
        with pytest.raises(RuntimeError) as info:
            getattr(s, method)()
        messages.append(str(info.value))
    assert messages[0] == messages[1]


@pytest.mark.parametrize("expr", [
    lambda s, L: s + s,
    lambda s, L: s + L.sparse_coo_tensor(L.tensor([[1], [1]]), L.tensor([7.0]), (2, 3)),
    lambda s, L: s * 2.5,
    lambda s, L: 3 * s,
    lambda s, L: -s,
    lambda s, L: s.coalesce() * s.coalesce(),
    lambda s, L: L.sparse.sum(s, dim=0),
    lambda s, L: L.sparse.sum(s, dim=1),
], ids=["s+s", "s+t", "mul", "rmul", "neg", "s*s", "sum0", "sum1"])
def test_sparse_results_are_torchs(expr):
    out = [expr(L.sparse_coo_tensor(L.tensor(IDX), L.tensor(VALS), (2, 3)), L)
           for L in (eager, torch)]
    assert repr(out[0]) == repr(out[1])
    assert out[0].is_coalesced() == out[1].is_coalesced()


def test_dense_results_are_torchs():
    for expr in (lambda s, L: L.sparse.sum(s), lambda s, L: L.ones(2, 3) + s,
                 lambda s, L: s.to_dense(), lambda s, L: s.sum()):
        out = [expr(L.sparse_coo_tensor(L.tensor(IDX), L.tensor(VALS), (2, 3)), L)
               for L in (eager, torch)]
        assert repr(out[0]) == repr(out[1])


@pytest.mark.parametrize("call", [
    lambda s, L: s.exp(), lambda s, L: s.view(3, 2), lambda s, L: s + L.ones(2, 3),
    lambda s, L: s.reshape(6), lambda s, L: s.numpy(), lambda s, L: s.mean(),
    lambda s, L: s.indices(),
    lambda s, L: s + L.sparse_coo_tensor(L.tensor([[0]]), L.tensor([1.0]), (4,)),
    lambda s, L: L.sparse_coo_tensor(L.tensor(IDX), L.ones(3), (2, 3)),
], ids=["exp", "view", "sparse+dense", "reshape", "numpy", "mean", "indices", "size",
        "nnz"])
def test_refused_ops_raise_torchs_exception_type(call):
    kinds = []
    for L in (eager, torch):
        s = L.sparse_coo_tensor(L.tensor(IDX), L.tensor(VALS), (2, 3))
        with pytest.raises(Exception) as info:
            call(s, L)
        kinds.append(type(info.value))
    assert kinds[0] is kinds[1]


def test_check_invariants_names_the_bad_index():
    messages = []
    for L in (eager, torch):
        with pytest.raises(RuntimeError) as info:
            L.sparse_coo_tensor(L.tensor(IDX), L.tensor(VALS), (1, 3), check_invariants=True)
        messages.append(str(info.value))
    assert messages[0] == messages[1]


def test_check_sparse_tensor_invariants_switches_the_default_check():
    outcomes = []
    for L in (eager, torch):
        switch = L.sparse.check_sparse_tensor_invariants
        switch.disable()
        seen = [switch.is_enabled()]
        L.sparse_coo_tensor([[3]], [1.0], (2,))  # unchecked: accepted
        with switch():
            seen.append(switch.is_enabled())
            with pytest.raises(RuntimeError) as info:
                L.sparse_coo_tensor([[3]], [1.0], (2,))
            seen.append(str(info.value))
        seen.append(switch.is_enabled())
        outcomes.append(seen)
    assert outcomes[0] == outcomes[1]


@pytest.mark.parametrize("build", [
    lambda L: L.sparse.FloatTensor(L.tensor(IDX), L.tensor(VALS), (2, 3)),
    lambda L: L.sparse.FloatTensor(L.tensor(IDX), L.tensor(VALS).double(), (2, 3)),
    lambda L: L.sparse.DoubleTensor(L.tensor(IDX), L.tensor(VALS).double()),
    lambda L: L.sparse.LongTensor(L.tensor(IDX), L.tensor([1, 2, 3, 4]), (2, 3)),
    lambda L: L.sparse.FloatTensor(2, 3),
    lambda L: L.sparse.DoubleTensor(4),
], ids=["float", "float-keeps-values-dtype", "double", "long", "empty", "empty-double"])
@pytest.mark.filterwarnings("ignore:torch.sparse.SparseTensor")
def test_legacy_constructors_are_torchs(build):
    same_repr(build)


def test_legacy_constructors_warn_as_torch():
    """torch warns once per process (TORCH_WARN_ONCE), so its text is written out here."""
    with pytest.warns(UserWarning) as record:
        eager.sparse.FloatTensor(eager.tensor(IDX), eager.tensor(VALS), (2, 3))
    assert str(record[0].message) == (
        "torch.sparse.SparseTensor(indices, values, shape, *, device=) is deprecated.  Please "
        "use torch.sparse_coo_tensor(indices, values, shape, dtype=, device=).")
