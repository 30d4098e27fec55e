"""``masked_scatter(_)`` and ``index_put_`` against torch: values, gradients and in-place
writes."""

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")


def test_masked_scatter_and_its_gradients_are_torchs():
    results = []
    for L in (eager, torch):
        x = L.zeros(2, 3, requires_grad=True)
        source = L.arange(1.0, 7.0, requires_grad=True)
        mask = L.tensor([[True, False, True], [False, True, True]])
        y = x.masked_scatter(mask, source)
        (y * L.arange(6.0).view(2, 3)).sum().backward()
        row_mask = L.tensor([True, False, True])  # broadcast over the rows
        z = L.ones(2, 3).masked_scatter(row_mask, L.tensor([[7.0, 8.0], [9.0, 10.0]]))
        results.append([y.detach().numpy(), x.grad.numpy(), source.grad.numpy(), z.numpy()])
    for ours, theirs in zip(*results, strict=True):
        np.testing.assert_array_equal(ours, theirs)


def test_in_place_forms_write_as_torchs():
    for L in (eager, torch):
        summed = L.zeros(3)
        summed.index_put_((L.tensor([0, 0, 2]),), L.tensor([5.0, 1.0, 2.0]), accumulate=True)
        assert summed.tolist() == [6.0, 0.0, 2.0]
        filled = L.zeros(3)
        filled.masked_scatter_(L.tensor([True, False, True]), L.tensor([7.0, 8.0, 9.0]))
        assert filled.tolist() == [7.0, 0.0, 8.0]
    with pytest.raises(RuntimeError, match="expected BoolTensor for mask"):
        eager.zeros(2).masked_scatter(eager.tensor([1, 0]), eager.ones(2))
