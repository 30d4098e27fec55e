"""The dispatcher's first check, for one or two inputs of one kind and one dtype object: it may
only shorten the way to the answer the loop and the general path give, never change it."""

from __future__ import annotations

from unittest import mock

import numpy as np
import pytest

import eager
import eager.nn as nn
import shared_ops
from shared_ops import OPS, dispatch

rng = np.random.default_rng(3)
A32, B32 = rng.standard_normal((2, 3, 4)).astype(np.float32)


@pytest.fixture
def general():
    """The ops that took the general path during the test (a spy on `_bind_general`)."""
    with mock.patch.object(dispatch, "_bind_general", wraps=dispatch._bind_general) as spy:
        yield lambda: [call.args[0].name for call in spy.call_args_list]


def test_tensors_arrays_and_a_parameter_take_the_short_way(general):
    a, b = eager.from_numpy(A32), eager.from_numpy(B32)
    w = nn.Parameter(eager.from_numpy(B32.copy()))
    a * w  # a value type's first use teaches the dispatcher its mode (the general path)
    taught = len(general())
    for out, expected in ((a + b, A32 + B32), (a * w, A32 * B32), (a * 2.0, A32 * 2),
                          (shared_ops.exp(a), np.exp(A32)), (OPS["add"](A32, B32), A32 + B32)):
        got = out.numpy() if isinstance(out, eager.Tensor) else out
        np.testing.assert_allclose(got, expected, rtol=1e-6)
        assert got.dtype == np.float32
    assert len(general()) == taught


def test_mixed_dtypes_still_promote_as_pytorch():
    f32, f64 = eager.from_numpy(A32), eager.from_numpy(B32.astype(np.float64))
    i64 = eager.tensor([[1, 2, 3, 4]] * 3)
    assert (f32 + f64).dtype == eager.float64
    assert (i64 * 2.0).dtype == eager.float32  # an int tensor times a float scalar: float32
    assert (i64 + 2).dtype == eager.int64
    assert shared_ops.exp(i64).dtype == eager.float32  # a floating op casts integers first
    assert OPS["add"](A32, B32.astype(np.float64)).dtype == np.float64


def test_refusals_are_the_general_paths(general):
    with pytest.raises(shared_ops.DTypeError, match="add"):
        OPS["add"](A32.astype(np.uint32), B32.astype(np.uint32))
    with pytest.raises(TypeError, match="pass attributes by keyword"):
        OPS["transpose"](eager.ones(2, 3), (1, 0))
    assert general() == ["add", "transpose"]


def test_a_scalar_of_an_op_that_does_not_promote_fully_goes_the_long_way():
    x = eager.from_numpy(A32)
    out = shared_ops.where(x > 0, x, 0.0)  # three inputs: the loop, then promotion of 0.0
    np.testing.assert_array_equal(out.numpy(), np.where(A32 > 0, A32, 0))
    assert out.dtype == eager.float32


def test_gradients_recorded_on_the_short_way_match_torch():
    torch = pytest.importorskip("torch")
    a = eager.tensor(A32, requires_grad=True)
    ta = torch.tensor(A32, requires_grad=True)
    (a * a + a * 2.0).sum().backward()
    (ta * ta + ta * 2.0).sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), ta.grad.numpy(), rtol=1e-6)
