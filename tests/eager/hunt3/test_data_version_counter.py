"""``tensor.data`` has its own version counter, as in PyTorch (``detach()`` shares it): an
in-place write through ``.data`` leaves the graph's saved-tensor checks alone."""

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")


@pytest.mark.parametrize("lib", [eager, torch], ids=["eager", "torch"])
def test_versions_after_a_write_through_data_and_through_detach(lib):
    x = lib.ones(2)
    d = x.data
    d.add_(1)
    y = lib.ones(2)
    e = y.detach()
    e.add_(1)
    assert (x._version, d._version, y._version, e._version) == (0, 1, 1, 1)
    assert x.tolist() == [2.0, 2.0]  # the storage is still shared


def _masked_attention_grad(lib):
    # CS224n's NMT step: scores masked through .data after they were recorded.
    gen = np.random.default_rng(0)
    enc = lib.tensor(gen.normal(size=(3, 5, 4)).astype(np.float32), requires_grad=True)
    h = lib.tensor(gen.normal(size=(3, 4)).astype(np.float32), requires_grad=True)
    mask = lib.tensor([[0, 0, 0, 1, 1], [0, 0, 0, 0, 0], [0, 0, 1, 1, 1]]).bool()
    e_t = lib.bmm(enc, h.unsqueeze(2)).squeeze(2)
    e_t.data.masked_fill_(mask, -float("inf"))
    alpha = lib.softmax(e_t, dim=1)
    (alpha * lib.arange(5.0)).sum().backward()
    return alpha.detach().numpy(), enc.grad.numpy(), h.grad.numpy()


def test_masking_through_data_backpropagates_as_torch():
    for ours, theirs in zip(_masked_attention_grad(eager), _masked_attention_grad(torch),
                            strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)
