"""The dispatcher's fast path (`dispatch.call_op`) against its general path: the same
answers, the same refusals. The fast path skips normalization for inputs that need none;
these tests pin what it may and may not let through."""

from __future__ import annotations

import numpy as np
import pytest

import eager
import shared_ops
from shared_ops import OPS, dispatch

rng = np.random.default_rng(7)
LOGITS = rng.standard_normal((6, 4)).astype(np.float32)
TARGET = rng.integers(0, 4, 6)


@pytest.fixture
def general(monkeypatch):
    """The ops that took the general path during the test."""
    names: list[str] = []
    real = dispatch._bind_general
    monkeypatch.setattr(dispatch, "_bind_general", lambda *a: names.append(a[0].name) or real(*a))
    return names


def test_an_op_that_does_not_promote_takes_mixed_dtypes_on_the_fast_path(general):
    loss = OPS["softmax_cross_entropy"](LOGITS, TARGET)  # float32 logits, int64 targets
    assert general == []
    assert loss.dtype == np.float32
    with shared_ops.decomposed():  # the same loss through its decomposition's general path
        expected = shared_ops.cross_entropy(LOGITS, TARGET)
    np.testing.assert_allclose(loss, expected, rtol=1e-6)


def test_eager_losses_with_integer_targets_record_on_the_fast_path(general):
    logits = eager.tensor(LOGITS, requires_grad=True)
    loss = OPS["softmax_cross_entropy"](logits, eager.from_numpy(TARGET))
    loss.backward()  # the gradient op takes float32 seed and logits, int64 targets
    assert general == []
    assert logits.grad.shape == LOGITS.shape and logits.grad.dtype == np.float32


def test_an_unsupported_dtype_is_refused_wherever_it_sits():
    with pytest.raises(shared_ops.DTypeError, match="softmax_cross_entropy"):
        OPS["softmax_cross_entropy"](LOGITS, TARGET.astype(np.uint32))
    with pytest.raises(RuntimeError, match="\"softmax_cross_entropy\" not implemented for "
                                           "'ComplexFloat'"):  # torch's refusal of complex
        OPS["softmax_cross_entropy"](LOGITS.astype(np.complex64), TARGET)


def test_promoting_ops_still_promote_mixed_dtypes():
    out = OPS["add"](np.ones(3, np.float32), np.ones(3, np.float64))
    assert out.dtype == np.float64
    out = OPS["add"](eager.ones(3), eager.ones(3, dtype=eager.int64))
    assert out.dtype == np.float32


def test_a_misplaced_attribute_is_still_refused():
    with pytest.raises(TypeError, match="pass attributes by keyword"):
        OPS["transpose"](np.ones((2, 3)), (1, 0))
    with pytest.raises(TypeError, match="pass attributes by keyword"):
        OPS["transpose"](eager.ones(2, 3), (1, 0))


def test_variadic_inputs_may_be_lists():
    out = OPS["concat"]([np.ones(2), [3.0, 4.0]], axis=0)
    np.testing.assert_array_equal(out, [1.0, 1.0, 3.0, 4.0])
