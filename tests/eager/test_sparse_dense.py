"""``eager.sparse.mm`` and ``eager.spmm`` on dense tensors are the matrix product, as
PyTorch's are on dense inputs (spmm with MmBackward0)."""

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")


def test_sparse_mm_on_dense_tensors_is_torchs():
    a, b = np.arange(6.0).reshape(2, 3), np.ones((3, 2))
    for fn in ("sparse.mm", "spmm"):
        results = []
        for L in (eager, torch):
            x = L.tensor(a, requires_grad=True)
            call = L.sparse.mm if fn == "sparse.mm" else L.spmm
            out = call(x, L.tensor(b))
            out.sum().backward()
            results.append((out.detach().numpy(), x.grad.numpy(), repr(out.grad_fn).split()[0]))
        np.testing.assert_allclose(results[0][0], results[1][0])
        np.testing.assert_allclose(results[0][1], results[1][1])
        if fn == "spmm":  # torch.sparse.mm of dense inputs records its own transposes
            assert results[0][2] == results[1][2] == "<MmBackward0"
