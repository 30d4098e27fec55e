"""Draws on strided inputs follow PyTorch's memory order: dropout's mask, ``rand_like``,
``randn_like`` and ``randint_like`` of transposed, permuted and sliced inputs (PyTorch's
``empty_like`` keeps the input's layout and fills it by memory), after the same seed."""

import numpy as np
import pytest

import eager
from eager.random.layout import dense_order

torch = pytest.importorskip("torch")

# Views built the same way in both libraries from one base.
VIEWS = {
    "transposed": lambda T: T.arange(12.0).reshape(3, 4).t(),
    "sliced columns": lambda T: T.arange(24.0).reshape(4, 6)[:, 1:4],
    "slice of a transpose": lambda T: T.arange(24.0).reshape(4, 6).t()[1:4],
    "permuted 3-d": lambda T: T.arange(60.0).reshape(3, 4, 5).permute(2, 0, 1),
    "every other row": lambda T: T.arange(24.0).reshape(4, 6)[::2],
    "expanded": lambda T: T.arange(4.0).reshape(1, 4).expand(3, 4),
    "large transposed": lambda T: T.arange(400.0).reshape(20, 20).t(),
    "transposed float64": lambda T: T.arange(30.0, dtype=T.float64).reshape(5, 6).t(),
}
DRAWS = {
    "dropout": lambda T, x: T.nn.functional.dropout(x, 0.4),
    "Dropout module": lambda T, x: T.nn.Dropout(0.5)(x),
    "rand_like": lambda T, x: T.rand_like(x),
    "randn_like": lambda T, x: T.randn_like(x),
    "randint_like": lambda T, x: T.randint_like(x, 100),
}


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("draw", DRAWS)
def test_strided_draws_equal_torchs(draw, view):
    torch.manual_seed(5)
    expected = DRAWS[draw](torch, VIEWS[view](torch)).numpy()
    their_next = torch.rand(2).numpy()
    eager.manual_seed(5)
    got = DRAWS[draw](eager, VIEWS[view](eager)).numpy()
    np.testing.assert_array_equal(got, expected)
    assert got.dtype == expected.dtype
    np.testing.assert_array_equal(eager.rand(2).numpy(), their_next)  # as many draws


def test_dropout_gradient_of_a_transposed_input_uses_its_mask():
    torch.manual_seed(3)
    xt = torch.ones(4, 5, requires_grad=True)
    yt = torch.nn.functional.dropout(xt.t(), 0.5)
    yt.backward(torch.arange(20.0).reshape(5, 4))
    eager.manual_seed(3)
    xe = eager.ones(4, 5, requires_grad=True)
    ye = eager.nn.functional.dropout(xe.t(), 0.5)
    ye.backward(eager.arange(20.0).reshape(5, 4))
    np.testing.assert_array_equal(xe.grad.numpy(), xt.grad.numpy())


@pytest.mark.parametrize(("strides", "shape", "order"), [
    ((8, 4), (2, 2), [0, 1]), ((4, 8), (2, 2), [1, 0]), ((0, 4), (3, 4), [0, 1]),
    ((4, 0), (3, 4), [0, 1]), ((80, 4, 20), (2, 5, 4), [0, 2, 1]),
])
def test_dense_order_is_torchs_layout_permutation(strides, shape, order):
    """Outermost first; a broadcast (stride 0) dim keeps its place, as ``infer_dense_strides``."""
    array = np.lib.stride_tricks.as_strided(np.zeros(64, np.float32), shape, strides)
    assert dense_order(array) == order
    t = torch.empty_strided(shape, [s // 4 for s in strides])
    like = torch.empty_like(t).stride()
    assert sorted(range(len(shape)), key=lambda d: -like[d]) == order
