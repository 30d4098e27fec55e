"""Regression tests for the bugs the differential fuzzer found, one per finding, each the
shrunk reproducer turned into a direct check. Bugs in code still being written (eager/,
static/compiler/) are strict xfails until fixed, with the reproducer in the reason."""

import numpy as np
import pytest

import shared_ops as ops
import static
from compare.fuzz import check_function
from compare.fuzz.executors import run_compiled, run_eager
from shared_ops.errors import ShapeError


# --- 0-d inputs: kernels that wrote into a NumPy scalar with `out=` --------------------------
@pytest.mark.parametrize("fn, expected", [
    (lambda x: ops.logsumexp(x), 0.75),
    (lambda x: ops.sigmoid(x), 1.0 / (1.0 + np.exp(-0.75))),
    (lambda x: ops.linear_act(ops.reshape(x, shape=(1,)), np.ones(1), np.array(0.25)), 1.0),
    # Session 2, finding 10: eager's fused BCE (clamped_bce) on 0-d probabilities.
    (lambda x: ops.clamped_bce(x, np.array(1.0)), -np.log(0.75)),
    (lambda x: ops.sigmoid_grad(x, np.array(0.5)), 0.1875),
    (lambda x: ops.tanh_grad(x, np.array(0.5)), 0.5625),
])
def test_zero_d_kernels(fn, expected):
    # Found as "TypeError: return arrays must be of ArrayType" on 0-d float64 inputs.
    out = fn(np.array(0.75))
    assert out.shape == ()
    np.testing.assert_allclose(out, expected)


def test_zero_d_program_agrees_everywhere():
    def program(x0):
        return ops.sigmoid(ops.logsumexp(x0))

    assert check_function(program, [np.array(0.5)], np.array(-1.25)) == []


def test_zero_d_probability_bce_agrees_everywhere():
    # The shrunk reproducer: eager ran the fused form, the static executors the decomposition.
    def program(x0):
        return ops.binary_cross_entropy(ops.sigmoid(x0), ops.sigmoid(x0), reduction="mean")

    assert check_function(program, [np.array(0.5478467492858172)],
                          np.array(1.0118216247002567)) == []


# --- concat of 0-d inputs: the shape rule raised IndexError ----------------------------------
def test_concat_zero_d_is_a_shape_error_in_both_modes():
    with pytest.raises(ShapeError, match="0-d"):
        ops.concat([np.array(1.0), np.array(2.0)], axis=0)
    with static.Graph():
        a = static.placeholder((), dtype=np.float64)
        with pytest.raises(ShapeError, match="0-d"):
            ops.concat([a, a], axis=0)


# --- compiler: fold_constants then fuse mis-fused log_softmax's backward ---------------------
# Found as the whole pipeline (not any pass alone) giving wrong gradients for log_softmax with
# a non-uniform cotangent: once fold_constants had made the cotangent a constant, the
# log_softmax_backward pattern took the logsumexp branch's cotangent for g. Fixed in
# static/compiler while the fuzzer ran (the strict xfail started passing).
def test_fold_then_fuse_log_softmax_gradient():
    rng = np.random.default_rng(0)
    x, weight = rng.normal(size=(2, 3)), rng.normal(size=(2, 3))

    def program(x0):
        return ops.log_softmax(x0, axis=-1)

    ref = run_eager(program, [x], weight)
    for passes in (["fold_constants", "fuse"], None):  # None: the whole pipeline
        got = run_compiled(program, [x], weight, passes=passes)
        np.testing.assert_allclose(got.grads[0], ref.grads[0], rtol=1e-9, atol=1e-12)


# --- compiler: simplify then fuse counted log_softmax's direct gradient twice ----------------
# Found as the whole pipeline giving d/dx = w instead of 0 for softmax over a size-1 axis:
# once simplify had dropped an identity sum_to from the backward, the log_softmax_backward
# pattern replaced only the logsumexp branch with the full fused backward (g - softmax *
# sum(g)) and the add that followed added g again. Fixed in static/compiler while the fuzzer
# ran (the strict xfail started passing).
def test_simplify_then_fuse_softmax_gradient():
    x, weight = np.array([-0.9208531449445188]), np.array([1.0118216247002567])

    def program(x0):
        return ops.softmax(ops.sum_to(x0, shape=(1,)), axis=0)

    ref = run_eager(program, [x], weight)
    for passes in (["simplify", "fuse"], None):
        got = run_compiled(program, [x], weight, passes=passes)
        np.testing.assert_allclose(got.grads[0], ref.grads[0], rtol=1e-9, atol=1e-12)


# --- eager: a 0-d gradient summed from two uses lost float64 (NumPy made it a scalar) -----
def test_eager_accumulated_zero_d_gradient_keeps_float64():
    import eager

    w, x0 = 1.0118216247002567, 0.5614602859042921
    x = eager.tensor(np.array(x0), requires_grad=True)
    v = ops.sqrt(x)
    ops.mul(ops.add(v, v), np.array(w)).backward()
    assert x.grad.numpy().item() == (w + w) / (2 * np.sqrt(x0))


# --- static: unknown dims were assumed equal, building wrong-shaped broadcast gradients ---
def test_unknown_dims_broadcast_gradient_shape():
    with static.Graph() as g:
        x0 = static.placeholder((None,), dtype=np.float64)
        x1 = static.placeholder((None,), dtype=np.float64)
        _, g1 = static.gradients(ops.sum(ops.add(x0, x1)), [x0, x1])
    got = static.Session(g).run(g1, {x0: np.ones(2), x1: np.ones(1)})
    assert got.shape == (1,)


# --- empty reduction axes: logsumexp and the fused log_softmax kernel raised ------------------
def test_logsumexp_of_an_empty_axis_is_minus_inf():
    # PyTorch: torch.logsumexp(torch.empty(0), 0) == -inf. NumPy's max of nothing raised.
    assert ops.logsumexp(np.zeros((0,)), axis=0) == -np.inf
    np.testing.assert_array_equal(ops.logsumexp(np.zeros((2, 0)), axis=1), [-np.inf, -np.inf])
    assert ops.log_softmax(np.zeros((0,)), axis=0).shape == (0,)
    assert ops.fused_log_softmax(np.zeros((3, 0)), axis=-1).shape == (3, 0)


def test_empty_log_softmax_program_agrees_everywhere():
    def program(x0):
        return ops.log_softmax(x0, axis=0)

    assert check_function(program, [np.zeros((0,))], np.zeros((0,))) == []


# --- session 2, finding 11: fusion dropped a gradient term -----------------------------------
def test_fused_loss_whose_root_is_added_to_its_own_input_keeps_every_gradient_term():
    # x + bce_with_logits(x, sigmoid(x)): add hands the root's cotangent to x directly, and
    # the fusion pass took that read for the region's own pass-through and replaced it.
    def program(x0):
        v0 = ops.binary_cross_entropy_with_logits(x0, ops.sigmoid(x0), reduction="mean")
        return ops.add(x0, v0)

    assert check_function(program, [np.array(0.5478467492858172)],
                          np.array(1.0118216247002567)) == []
