"""``eager.__version__`` compares as PyTorch's TorchVersion; ``autograd.Variable`` makes leaf
tensors as PyTorch's does; ``F.gumbel_softmax`` draws PyTorch's samples and gradients."""

from __future__ import annotations

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")


def test_version_compares_by_release_as_torchs():
    for L in (eager, torch):
        v = L.__version__
        assert v.startswith("2.13.0+") and v >= "2.0" and v > "2.2" and v < "2.13.1"
        assert v >= (2, 13) and v < (3,) and v != "2.13.0" and L.version.cuda is None
        assert isinstance(v, str) and str(L.version.__version__) == v
    assert eager.__version__ == "2.13.0+dualgraph"


def test_variable_makes_a_leaf_on_the_same_data():
    for L in (eager, torch):
        base = L.ones(3) * 2
        plain = L.autograd.Variable(base)
        leaf = L.autograd.Variable(base, requires_grad=True)
        assert plain is not base and not plain.requires_grad and plain.grad_fn is None
        assert leaf.requires_grad and leaf.is_leaf and isinstance(base, L.autograd.Variable)
        (leaf * leaf).sum().backward()
        assert leaf.grad.tolist() == [4.0, 4.0, 4.0]
        base[0] = 5.0
        assert plain[0].item() == 5.0  # the storage is shared


@pytest.mark.parametrize("hard", [False, True])
def test_gumbel_softmax_draws_torchs_samples_and_gradients(hard):
    results = []
    for L in (eager, torch):
        L.manual_seed(0)
        x = L.tensor([[1.0, 2.0, 0.5], [0.1, 0.2, 0.3]], requires_grad=True)
        y = L.nn.functional.gumbel_softmax(x, tau=0.5, hard=hard, dim=0)
        (y * L.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])).sum().backward()
        results.append((y.detach().numpy(), x.grad.numpy()))
    np.testing.assert_allclose(results[0][0], results[1][0], rtol=1e-6)
    np.testing.assert_allclose(results[0][1], results[1][1], rtol=1e-5, atol=1e-6)
