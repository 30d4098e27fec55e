"""``nn.EmbeddingBag.from_pretrained`` as torch's: the given weights (frozen unless
``freeze=False``), the bag options passed through, torch's check of the weights' rank."""

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")

W = [[1.0, 2.3, 3.0], [4.0, 5.1, 6.3], [0.5, -1.0, 2.0]]


@pytest.mark.parametrize("kwargs", [{}, {"freeze": False, "mode": "sum", "padding_idx": 0},
                                    {"freeze": False, "mode": "max"}])
def test_from_pretrained_matches_torch(kwargs):
    results = []
    for lib in (eager, torch):
        bag = lib.nn.EmbeddingBag.from_pretrained(lib.tensor(W), **kwargs)
        out = bag(lib.tensor([0, 2, 1, 1, 2]), lib.tensor([0, 2]))
        grad = None
        if bag.weight.requires_grad:
            out.sum().backward()
            grad = bag.weight.grad.numpy()
        results.append((repr(bag), bag.weight.requires_grad, out.detach().numpy(), grad))
    (r1, f1, o1, g1), (r2, f2, o2, g2) = results
    assert (r1, f1) == (r2, f2)
    np.testing.assert_allclose(o1, o2, rtol=1e-6)
    if g2 is not None:
        np.testing.assert_allclose(g1, g2, rtol=1e-6)


def test_from_pretrained_needs_a_matrix():
    for lib in (eager, torch):
        with pytest.raises(AssertionError, match="expected to be 2-dimensional"):
            lib.nn.EmbeddingBag.from_pretrained(lib.ones(3))
