"""torch.einsum's sublist form (operand, labels, operand, labels, ..., [output labels]) gives
the same values as torch, including ``...`` and an implicit output, and torch's error for a
label outside [0, 52)."""
import numpy as np
import pytest

import eager

torch = pytest.importorskip("torch")


def _pair(*shapes, seed=0):
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal(s).astype(np.float32) for s in shapes]
    return [eager.tensor(a) for a in arrays], [torch.tensor(a) for a in arrays]


@pytest.mark.parametrize("labels", [
    ([0, 1], [1], [0]),          # matrix-vector with an explicit output
    ([0, 1], [1]),               # implicit output: the labels seen once, sorted
    ([0, 1], [1, 2], [2, 0]),    # a transposed product
    ([27, 1], [1, 51]),          # labels past 25 map to lower-case letters
])
def test_sublist_matches_torch(labels):
    shapes = {0: (2, 3), 27: (2, 3)}
    first = shapes[labels[0][0]]
    second = (3,) if len(labels[1]) == 1 else (3, 4)
    (ea, eb), (ta, tb) = _pair(first, second)
    args_e = [ea, labels[0], eb, labels[1], *labels[2:]]
    args_t = [ta, labels[0], tb, labels[1], *labels[2:]]
    np.testing.assert_allclose(eager.einsum(*args_e).numpy(), torch.einsum(*args_t).numpy(),
                               rtol=1e-5, atol=1e-6)


def test_sublist_ellipsis_and_gradient():
    (e,), (t,) = _pair((2, 2, 3))
    e.requires_grad_(True)
    t.requires_grad_(True)
    out_e = eager.einsum(e, [..., 1], [...])
    out_t = torch.einsum(t, [..., 1], [...])
    assert tuple(out_e.shape) == tuple(out_t.shape) == (2, 2)
    out_e.sum().backward()
    out_t.sum().backward()
    np.testing.assert_allclose(e.grad.numpy(), t.grad.numpy())


def test_sublist_label_out_of_range():
    (e,), (t,) = _pair((2, 3))
    with pytest.raises(ValueError) as want:
        torch.einsum(t, [0, 60])
    with pytest.raises(ValueError) as got:
        eager.einsum(e, [0, 60])
    assert str(got.value) == str(want.value)
