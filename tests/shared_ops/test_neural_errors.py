"""Errors of the neural ops: each names the op (and the composite the user called), the
offending values, what was expected, and the user's own file:line; each is also the matching
builtin (IndexError, ValueError, TypeError). Also the numerical edge cases that make these
ops trustworthy: no overflow or underflow for huge logits, seeded dropout masks.
"""

from __future__ import annotations

import os

import numpy as np
import pytest

import shared_ops as so
from shared_ops import Aval, DTypeError, OpIndexError, OpValueError, ShapeError

THIS_FILE = os.path.basename(__file__)
rng = np.random.default_rng(7)


def _raises(exc, fn, *args, **kwargs):
    with pytest.raises(exc) as info:
        fn(*args, **kwargs)
    return info.value


def _assert_located_here(err) -> None:
    """The error points at the test's own call line, not at a framework file."""
    assert err.location is not None
    assert os.path.basename(err.location.filename) == THIS_FILE, str(err)
    assert f"{THIS_FILE}:" in str(err)


# --- class indices out of range ------------------------------------------------------------
def test_cross_entropy_names_index_classes_and_line():
    err = _raises(OpIndexError, so.cross_entropy, np.zeros((3, 10)), np.array([1, 12, 3]))
    assert str(err).startswith(
        "cross_entropy -> nll_loss: target index 12 is out of range for 10 classes")
    _assert_located_here(err)
    assert isinstance(err, IndexError)


def test_negative_target_is_an_error_not_a_wraparound():
    err = _raises(OpIndexError, so.nll_loss, np.zeros((2, 4)), np.array([-1, 0]))
    assert "target index -1 is out of range for 4 classes" in str(err)


def test_ignore_index_targets_are_skipped_not_rejected():
    logits = rng.standard_normal((3, 4))
    loss = so.cross_entropy(logits, np.array([1, -100, 2]))
    want = so.cross_entropy(logits[[0, 2]], np.array([1, 2]))
    np.testing.assert_allclose(loss, want)


def test_embedding_index_out_of_range():
    err = _raises(OpIndexError, so.embedding, np.array([[0, 7]]), np.zeros((5, 2)))
    assert str(err).startswith("embedding: index 7 is out of range for 5 embeddings")
    _assert_located_here(err)
    err = _raises(OpIndexError, so.embedding, np.array([-2]), np.zeros((5, 2)))
    assert "index -2" in str(err)


# --- shapes ----------------------------------------------------------------------------------
def test_conv2d_channel_mismatch_names_both_shapes():
    err = _raises(ShapeError, so.conv2d, np.zeros((2, 3, 8, 8)), np.zeros((4, 5, 3, 3)))
    assert str(err).startswith("conv2d: input has 3 channels but weight expects 5")
    assert "(2, 3, 8, 8) and (4, 5, 3, 3)" in str(err)
    _assert_located_here(err)


def test_conv2d_groups_and_kernel_size_checks():
    err = _raises(ShapeError, so.conv2d, np.zeros((1, 4, 8, 8)), np.zeros((3, 2, 3, 3)),
                  groups=2)
    assert "output channels (3) must be divisible by groups=2" in str(err)
    err = _raises(ShapeError, so.conv2d, np.zeros((1, 1, 2, 2)), np.zeros((1, 1, 3, 3)))
    assert "smaller than the dilated kernel" in str(err)
    err = _raises(ShapeError, so.conv2d, np.zeros((1, 2, 4, 4)), np.zeros((3, 2, 1, 1)),
                  np.zeros(4))
    assert "bias of shape (4,) does not match 3 output channels" in str(err)


def test_conv2d_rule_catches_mismatch_with_unknown_batch():
    # What a static graph sees before any data: the batch dim is None.
    err = _raises(ShapeError, so.conv2d_core.shape_rule, Aval((None, 3, 8, 8), np.dtype("f4")),
                  Aval((4, 2, 3, 3), np.dtype("f4")), stride=(1, 1), padding=(0, 0),
                  dilation=(1, 1), groups=1)
    assert "(?, 3, 8, 8) and (4, 2, 3, 3)" in str(err)
    out = so.conv2d_core.shape_rule(Aval((None, 3, 8, 8), np.dtype("f4")),
                                    Aval((4, 3, 3, 3), np.dtype("f4")), stride=(2, 2),
                                    padding=(1, 1), dilation=(1, 1), groups=1)
    assert out == Aval((None, 4, 4, 4), np.dtype("f4"))


def test_target_batch_mismatch_names_both_shapes():
    err = _raises(ShapeError, so.cross_entropy, np.zeros((4, 3)), np.array([0, 1]))
    assert "target of shape (2,) does not match input (4, 3)" in str(err)
    _assert_located_here(err)


def test_linear_feature_mismatch_mentions_weight_layout():
    err = _raises(ShapeError, so.linear, np.zeros((32, 10)), np.zeros((10, 5)))
    assert str(err).startswith("linear: input of shape (32, 10) has 10 features but weight "
                               "(10, 5) expects 5 (weight layout: (out_features, in_features))")


def test_layer_norm_shape_mismatch():
    err = _raises(ShapeError, so.layer_norm, np.zeros((2, 5)), (4,))
    assert "input of shape (2, 5) does not end with normalized_shape (4,)" in str(err)


def test_mse_refuses_silent_broadcast():
    err = _raises(ShapeError, so.mse, np.zeros((8, 1)), np.zeros(8))
    assert "input of shape (8, 1) and target of shape (8,) must have the same shape" in str(err)


def test_loss_weights_must_broadcast_to_the_input():
    err = _raises(ShapeError, so.binary_cross_entropy, np.full((4, 3), 0.5), np.ones((4, 3)),
                  np.ones(4))
    assert "shapes (4, 3) and (4,) cannot broadcast" in str(err)
    err = _raises(ShapeError, so.binary_cross_entropy, np.full((4, 3), 0.5), np.ones((4, 3)),
                  np.ones((2, 4, 3)))  # would grow the loss: PyTorch refuses too
    assert "weight of shape (2, 4, 3) does not broadcast to the input's shape (4, 3)" in str(err)
    err = _raises(ShapeError, so.cross_entropy, np.zeros((2, 3)), [0, 1], [1.0, 2.0])
    assert "weight of shape (2,) must have one entry per class (3)" in str(err)


def test_pool_checks():
    err = _raises(OpValueError, so.max_pool2d, np.zeros((1, 1, 4, 4)), 2, padding=2)
    assert "padding (2, 2) must be at most half the kernel size (2, 2)" in str(err)
    err = _raises(ShapeError, so.avg_pool2d, np.zeros((4, 4)), 2)
    assert "expected a 4-d input (N, C, H, W), got shape (4, 4)" in str(err)


# --- bad attribute values and dtypes ---------------------------------------------------------
@pytest.mark.parametrize("call, match", [
    (lambda: so.dropout(np.ones(3), 0, p=1.5), "dropout: p must be in \\[0, 1\\], got 1.5"),
    (lambda: so.cross_entropy(np.zeros((2, 3)), np.zeros(2, int), reduction="avg"),
     "reduction must be one of"),
    (lambda: so.gelu(np.ones(2), approximate="fast"), "approximate must be 'none' or 'tanh'"),
    (lambda: so.cross_entropy(np.zeros((2, 3)), [0, 1], label_smoothing=-0.1),
     "label_smoothing must be in \\[0, 1\\]"),
    (lambda: so.conv2d(np.zeros((1, 1, 3, 3)), np.zeros((1, 1, 1, 1)), stride=0),
     "stride must be >= 1, got 0"),
    (lambda: so.max_pool2d(np.zeros((1, 1, 3, 3)), (2, 2, 2)),
     "kernel_size must be an int or a pair of ints"),
])
def test_bad_attribute_values(call, match):
    with pytest.raises(OpValueError, match=match):
        call()


def test_float_class_targets_are_a_dtype_error():
    err = _raises(DTypeError, so.nll_loss, np.zeros((2, 3)), np.array([0.0, 1.0]))
    assert "target class indices must be integers, got float64" in str(err)
    assert isinstance(err, TypeError)


# --- numerics ----------------------------------------------------------------------------------
def test_huge_logits_stay_finite():
    logits = np.array([[1e4, -1e4, 0.0]], dtype=np.float32)
    assert np.all(np.isfinite(so.log_softmax(logits)))
    assert np.isfinite(so.cross_entropy(logits, np.array([1])))  # loss 2e4, not inf
    assert np.all(np.isfinite(so.softmax(logits)))
    bce = so.binary_cross_entropy_with_logits(np.array([-1e4, 1e4]), np.array([1.0, 0.0]),
                                              reduction="none")
    np.testing.assert_allclose(bce, [1e4, 1e4])


def test_bce_clamps_log_like_torch():
    loss = so.binary_cross_entropy(np.array([0.0, 1.0]), np.array([1.0, 0.0]), reduction="none")
    np.testing.assert_array_equal(loss, [100.0, 100.0])


def test_gelu_float32_keeps_dtype():
    x = np.linspace(-3, 3, 7, dtype=np.float32)
    assert so.gelu(x).dtype == np.float32 and so.erf(x).dtype == np.float32


# --- dropout masks -----------------------------------------------------------------------------
def test_dropout_mask_is_seeded_and_scaled():
    x = np.ones((200, 50))
    a, b = so.dropout(x, 5, p=0.3), so.dropout(x, 5, p=0.3)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, so.dropout(x, 6, p=0.3))
    assert set(np.unique(a)) == {0.0, 1 / 0.7}
    assert abs((a == 0).mean() - 0.3) < 0.02  # 10000 draws: 0.3 +- 4.6 sigma
    np.testing.assert_array_equal(so.dropout(x, 5, p=0.3, training=False), x)


# --- degenerate sizes --------------------------------------------------------------------------
def test_zero_d_and_empty_batches():
    assert so.erf(np.array(0.5)).shape == ()  # frompyfunc returns a bare float for 0-d input
    x, w = np.zeros((0, 3, 6, 6)), np.ones((4, 3, 3, 3))
    params = dict(stride=(1, 1), padding=(1, 1), dilation=(1, 1), groups=1)
    assert so.conv2d(x, w, padding=1).shape == (0, 4, 6, 6)
    g = np.zeros((0, 4, 6, 6))
    assert so.conv2d_input_grad(g, w, shape=x.shape, **params).shape == x.shape
    np.testing.assert_array_equal(so.conv2d_weight_grad(x, g, shape=w.shape, **params),
                                  np.zeros(w.shape))
    assert so.max_pool2d(x, 2).shape == (0, 3, 3, 3)
    assert np.isnan(so.cross_entropy(np.zeros((0, 3)), np.zeros(0, np.int64)))  # as torch
