"""The fast paths inside the loss and activation kernels agree with the general code they
skip, on the inputs they take and on the edge cases they hand back.

`softmax_cross_entropy` and its gradient have a fast path for (N, C) logits with valid class
targets; each case here runs the kernel twice, once with that path switched off, and the two
must agree (to float rounding; exactly where a value is not finite). The joint form that
compiled steps call (`softmax_loss.sce_loss_grad`, with and without their buffers) must give
exactly what the two kernels give. The other kernels were
rewritten for fewer NumPy calls: each is held to the plain NumPy formula it replaced.
"""

from __future__ import annotations

import numpy as np
import pytest

import shared_ops
from shared_ops import OPS
from shared_ops.ops import _rules, activation_grads, elementwise_math, fused_eager, softmax_loss

rng = np.random.default_rng(20261128)
REDUCTIONS = ("mean", "sum", "none")


def _general(monkeypatch, kernel, *args, **kwargs):
    """``kernel`` with the fast path switched off: no targets qualify."""
    with monkeypatch.context() as m:
        m.setattr(softmax_loss, "_target_positions", lambda *a: None)
        return kernel(*args, **kwargs)


def _grad_seed(reduction, n, dtype):
    return rng.standard_normal(n).astype(dtype) if reduction == "none" \
        else np.array(1.7, dtype)


def _assert_same(fast, general, dtype):
    assert type(fast) is np.ndarray and fast.dtype == general.dtype == dtype
    assert fast.shape == general.shape
    rtol = 1e-5 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(fast, general, rtol=rtol, atol=rtol)  # nan and inf: same places


# --- softmax_cross_entropy: fast path and general path ---------------------------------------
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("n, c", [(128, 10), (1, 1), (1, 5), (7, 1), (3, 200)])
def test_the_fast_cross_entropy_agrees_with_the_general_path(monkeypatch, n, c, reduction,
                                                             dtype):
    logits = (rng.standard_normal((n, c)) * 4).astype(dtype)
    target = rng.integers(0, c, n)
    assert softmax_loss._target_positions(logits, target, -100) is not None  # the fast path runs
    fast = softmax_loss.sce_loss(logits, target, reduction)
    _assert_same(fast, _general(monkeypatch, softmax_loss.sce_loss, logits, target, reduction),
                 dtype)
    g = _grad_seed(reduction, n, dtype)
    fast = softmax_loss.sce_grad(g, logits, target, reduction)
    _assert_same(fast, _general(monkeypatch, softmax_loss.sce_grad, g, logits, target,
                                reduction), dtype)
    assert fast.flags.c_contiguous
    _assert_joint_is_both_kernels(logits, target, g, reduction)


def _assert_joint_is_both_kernels(logits, target, g, reduction):
    """`sce_loss_grad`, allocating or with a compiled step's buffers, is exactly the two
    kernels (the same operations in the same order)."""
    loss = softmax_loss.sce_loss(logits, target, reduction)
    grad = softmax_loss.sce_grad(g, logits, target, reduction)
    n, c = logits.shape
    out, columns = np.full_like(logits, np.nan), np.full((c, n), np.nan, logits.dtype)
    for kw in ({}, {"out": out, "columns": columns}):
        both = softmax_loss.sce_loss_grad(logits, target, g, reduction, **kw)
        np.testing.assert_array_equal(both[0], loss)
        np.testing.assert_array_equal(both[1], grad)
        assert both[0].dtype == loss.dtype and both[1].dtype == grad.dtype
    assert both[1] is out
    np.testing.assert_array_equal(softmax_loss.sce_grad(g, logits, target, reduction, out=out,
                                                        columns=columns), grad)
    np.testing.assert_array_equal(softmax_loss.sce_loss(logits, target, reduction,
                                                        columns=columns), loss)


@pytest.mark.parametrize("tdtype", [np.int8, np.int16, np.int32, np.uint8, np.int64])
def test_the_fast_cross_entropy_takes_any_integer_target(monkeypatch, tdtype):
    logits = rng.standard_normal((6, 4))
    target = rng.integers(0, 4, 6).astype(tdtype)
    for reduction in REDUCTIONS:
        _assert_same(softmax_loss.sce_loss(logits, target, reduction),
                     _general(monkeypatch, softmax_loss.sce_loss, logits, target, reduction),
                     np.float64)


@pytest.mark.parametrize("row", [[np.inf, 0, 1], [-np.inf] * 3, [np.nan, 0, 1],
                                 [-np.inf, 0, 1], [3e38, -3e38, 0]],
                         ids=["inf", "all-minus-inf", "nan", "minus-inf", "overflow"])
@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_non_finite_logits_give_the_general_paths_answer(monkeypatch, row, reduction):
    # A fast path that ran on would give nan for a whole row where PyTorch gives inf, or a
    # nan only at the inf; each kernel must notice and hand over.
    for dtype in (np.float32, np.float64):
        logits = rng.standard_normal((4, 3)).astype(dtype)
        logits[2] = np.array(row, dtype)
        target = np.array([0, 1, 1, 2])
        _assert_same(softmax_loss.sce_loss(logits, target, reduction),
                     _general(monkeypatch, softmax_loss.sce_loss, logits, target, reduction), dtype)
        g = _grad_seed(reduction, 4, dtype)
        _assert_same(softmax_loss.sce_grad(g, logits, target, reduction),
                     _general(monkeypatch, softmax_loss.sce_grad, g, logits, target,
                              reduction), dtype)
        _assert_joint_is_both_kernels(logits, target, g, reduction)


@pytest.mark.parametrize("target, ignore_index", [
    ([0, 3, 1], -100), ([0, -1, 1], -100), ([0, -100, 1], -100), ([0, 2, 1], 2),
    ([0, 1, 1], 2)], ids=["too-large", "negative", "ignored", "ignored-class", "class-index"])
def test_targets_the_fast_path_declines(target, ignore_index):
    logits = rng.standard_normal((3, 3))
    assert softmax_loss._target_positions(logits, np.array(target), ignore_index) is None


def test_bad_targets_still_raise_errors_that_name_them():
    logits = rng.standard_normal((3, 4))
    assert softmax_loss._target_positions(logits, np.array([True, False, True]), -100) is None
    with pytest.raises(shared_ops.DTypeError, match="integers"):
        OPS["softmax_cross_entropy"](logits, np.array([True, False, True]))
    for target in ([0, 4, 1], [0, -1, 1]):
        with pytest.raises(shared_ops.OpIndexError, match="target"):
            OPS["softmax_cross_entropy"](logits, np.array(target))
        with pytest.raises(shared_ops.OpIndexError, match="target"):
            OPS["softmax_cross_entropy_grad"](np.array(1.0), logits, np.array(target))
        with pytest.raises(shared_ops.OpIndexError, match="target"):
            softmax_loss.sce_loss_grad(logits, np.array(target), np.array(1.0))


@pytest.mark.parametrize("g, reduction", [(np.ones(3), "mean"), (np.ones(1), "none"),
                                          (np.array(1.0), "none"), (np.ones(3), "sum")],
                         ids=["vector-for-mean", "one-for-none", "0d-for-none", "vector-for-sum"])
def test_the_cross_entropy_gradient_refuses_a_seed_of_the_wrong_shape(g, reduction):
    # NumPy would broadcast each of these against the (3, 4) logits without a word.
    with pytest.raises(shared_ops.ShapeError, match="gradient of shape"):
        OPS["softmax_cross_entropy_grad"](g, rng.standard_normal((3, 4)), np.array([0, 1, 3]),
                                          reduction=reduction)


def test_the_row_numbers_are_shared_and_read_only():
    rows = softmax_loss._row_numbers(5)
    assert rows is softmax_loss._row_numbers(5) and not rows.flags.writeable
    np.testing.assert_array_equal(rows, np.arange(5))


# --- clamped_bce and its gradient --------------------------------------------------------------
def _cbce_formula(p, y, reduction):
    loss = -(y * np.maximum(np.log(p), -100) + (1 - y) * np.maximum(np.log1p(-p), -100))
    return {"mean": np.mean(loss) if loss.size else np.nan, "sum": np.sum(loss),
            "none": loss}[reduction]


@pytest.mark.parametrize("shape", [(32, 1), (), (0,), (3, 4)], ids=str)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_clamped_bce_matches_its_formula(shape, reduction, dtype):
    p = rng.uniform(0, 1, shape).astype(dtype)
    if p.size >= 4:
        p.flat[:3] = [0.0, 1.0, 1e-45]  # logs clamped at -100
    y = rng.uniform(0, 1, shape).astype(dtype)
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = np.asarray(_cbce_formula(p, y, reduction), dtype)
        out = fused_eager._cbce_kernel(p, y, reduction)
    assert type(out) is np.ndarray and out.dtype == dtype and out.shape == expected.shape
    np.testing.assert_allclose(out, expected, rtol=1e-6 if dtype == np.float32 else 1e-13)


@pytest.mark.parametrize("shape", [(32, 1), (), (0,)], ids=str)
@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_clamped_bce_grad_matches_its_formula(shape, reduction, dtype):
    p = rng.uniform(0, 1, shape).astype(dtype)
    if p.size:
        p.flat[0] = 1.0  # p (1 - p) = 0: the 1e-12 floor
    y = rng.uniform(0, 1, shape).astype(dtype)
    g = rng.standard_normal(shape).astype(dtype) if reduction == "none" else np.array(1.3, dtype)
    scale = g / max(p.size, 1) if reduction == "mean" else g
    expected = scale * (p - y) / np.maximum(p * (1 - p), 1e-12)
    out = fused_eager._cbce_grad_kernel(g, p, y, reduction)
    assert type(out) is np.ndarray and out.dtype == dtype and out.shape == shape
    np.testing.assert_allclose(out, expected, rtol=1e-6 if dtype == np.float32 else 1e-13)


def test_clamped_bce_grad_refuses_a_vector_seed_for_a_reduced_loss():
    with pytest.raises(shared_ops.ShapeError, match="clamped_bce_grad"):
        OPS["clamped_bce_grad"](np.ones(1), np.full(3, 0.5), np.ones(3))


@pytest.mark.parametrize("g, n", [(np.array(3.0, np.float32), 4), (np.array(3.0), 7),
                                  (np.array(3), 4), (np.array(3.0, np.float16), 3),
                                  (np.array(3.0, np.float32), 0)])
def test_mean_scale_is_numpys_true_division(g, n):
    with np.errstate(divide="ignore"):
        expected = g / n if n else None
    out = _rules.mean_scale(g, n)
    assert type(out) is np.ndarray and out.shape == ()
    if expected is not None:
        assert out.dtype == expected.dtype and out == expected


# --- relu, sigmoid and their gradients -----------------------------------------------------------
_SPECIAL = [-0.0, 0.0, -1.5, 2.0, np.inf, -np.inf, np.nan, -800.0, 800.0, 1e-40]


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_relu_and_sigmoid_match_their_formulas_bit_for_bit(dtype):
    with np.errstate(over="ignore"):
        for x in (np.array(_SPECIAL, dtype), rng.standard_normal((128, 256)).astype(dtype),
                  np.array(-0.0, dtype), np.zeros((0, 3), dtype)):
            for out, expected in ((elementwise_math._relu_kernel(x), np.maximum(x, 0)),
                                  (elementwise_math._sigmoid_kernel(x), 1 / (1 + np.exp(-x)))):
                assert type(out) is np.ndarray and out.dtype == dtype
                assert out.shape == x.shape
                # tobytes: -0.0 and nan payloads included
                assert out.tobytes() == np.asarray(expected, dtype).tobytes()


@pytest.mark.parametrize("dtype", [np.int8, np.int64, np.uint8])
def test_relu_keeps_integer_dtypes(dtype):
    x = np.array([0, 3, 7], dtype) if dtype == np.uint8 else np.array([-3, 0, 5], dtype)
    out = elementwise_math._relu_kernel(x)
    assert out.dtype == dtype
    np.testing.assert_array_equal(out, np.maximum(x, 0))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_activation_gradients_match_their_formulas(dtype):
    for shape in [(32, 5), (), (0, 2)]:
        g = rng.standard_normal(shape).astype(dtype)
        out = rng.standard_normal(shape).astype(dtype)
        s = rng.uniform(0, 1, shape).astype(dtype)
        for got, expected in ((activation_grads._relu_grad_kernel(g, out), g * (out > 0)),
                              (activation_grads._sigmoid_grad_kernel(g, s), g * (s * (1 - s)))):
            assert type(got) is np.ndarray and got.dtype == dtype and got.shape == shape
            np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("value", [np.array([True, False]), np.array(True)])
def test_relu_refuses_bool_in_every_mode_as_its_rule_does(value):
    import eager

    with pytest.raises(shared_ops.DTypeError, match="relu: not defined for bool"):
        shared_ops.relu(value)
    with pytest.raises(shared_ops.DTypeError, match="relu: not defined for bool"):
        eager.relu(eager.tensor(value))


def test_affine_weight_grad_refuses_inputs_of_different_batches():
    with pytest.raises(shared_ops.ShapeError, match="affine_weight_grad: .*leading"):
        OPS["affine_weight_grad"](np.ones((3, 5)), np.ones((4, 2)))
    with pytest.raises(shared_ops.ShapeError, match="affine_weight_grad"):
        OPS["affine_weight_grad"](np.ones((3, 5)), np.ones((2, 3, 2)))
    with pytest.raises(shared_ops.ShapeError, match="affine_weight_grad"):  # same size
        OPS["affine_weight_grad"](np.ones((2, 3, 5)), np.ones((3, 2, 4)))
