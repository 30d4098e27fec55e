"""``scatter_``, ``scatter_add_``, ``scatter_add`` and ``masked_fill_`` as PyTorch's: values,
gradients through the written tensor and the sources, and ``torch.scatter_add``'s signature."""

import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")
RNG = np.random.default_rng(3)
BASE = RNG.standard_normal((3, 4)).astype(np.float32)
INDEX = np.array([[0, 1, 2, 0], [2, 0, 1, 1]])
SRC = RNG.standard_normal((2, 4)).astype(np.float32)
MASK = RNG.random((3, 4)) > 0.5


def _both(fn):
    """``fn(lib, base, src)`` under eager and torch, with gradients of the sum of the result
    times a fixed weight, w.r.t. a leaf the base is computed from and the source."""
    weight = RNG.standard_normal((3, 4)).astype(np.float32)
    out = []
    for lib in (eager, torch):
        leaf = lib.tensor(BASE, requires_grad=True)
        src = lib.tensor(SRC, requires_grad=True)
        result = fn(lib, leaf * 1.0, src)
        (result * lib.tensor(weight)).sum().backward()
        out.append((result.detach().numpy(), leaf.grad.numpy(),
                    None if src.grad is None else src.grad.numpy()))
    return out


@pytest.mark.parametrize("name, fn", [
    ("scatter_", lambda lib, b, s: b.scatter_(0, lib.tensor(INDEX), s)),
    ("scatter_ value", lambda lib, b, s: b.scatter_(1, lib.tensor(INDEX[:, :2]), 2.5)),
    ("scatter_add_", lambda lib, b, s: b.scatter_add_(0, lib.tensor(INDEX), s)),
    ("scatter_add method", lambda lib, b, s: b.scatter_add(0, lib.tensor(INDEX), s)),
    ("torch.scatter_add", lambda lib, b, s: lib.scatter_add(b, 0, lib.tensor(INDEX), s)),
    ("masked_fill_", lambda lib, b, s: b.masked_fill_(lib.tensor(MASK), -1.5)),
    ("masked_fill", lambda lib, b, s: lib.masked_fill(b, lib.tensor(MASK), 7)),
])
def test_matches_torch(name, fn):
    (ours, our_grad, our_src_grad), (theirs, their_grad, their_src_grad) = _both(fn)
    np.testing.assert_allclose(ours, theirs, rtol=1e-6)
    np.testing.assert_allclose(our_grad, their_grad, rtol=1e-6)
    if their_src_grad is not None:
        np.testing.assert_allclose(our_src_grad, their_src_grad, rtol=1e-6)


def test_masked_fill_keeps_the_input_dtype():
    x = eager.zeros(2, 2, dtype=eager.int64)
    assert eager.masked_fill(x, eager.tensor([[True, False], [False, True]]), 3.7).dtype == \
        np.int64


def test_scatter_in_place_on_a_graph_value_matches_eager():
    static = pytest.importorskip("static")

    def fn(x, src):
        y = x * 1.0
        y.scatter_(0, eager.tensor(INDEX), src)
        return y.scatter_add_(1, eager.tensor(INDEX[:, :2]), src[:, :2])

    expected = fn(eager.tensor(BASE), eager.tensor(SRC)).numpy()
    traced = static.trace(fn, static.TensorSpec((3, 4), "float32"),
                          static.TensorSpec((2, 4), "float32"))
    np.testing.assert_allclose(np.asarray(traced(BASE, SRC)), expected, rtol=1e-6)
