"""The cheaper forms of generated code give the interpreter's values and errors: fused losses
in planned buffers (and their fallbacks), activation gradients with out=, 0-d constants for
scalars, scratch buffers, and the steady-state fast path of ``compiled(*arrays)``."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import shared_ops as ops
import static
from shared_ops.aval import Aval
from static.compiler import compile
from static.compiler.memory_plan import plan_buffers


def _both(g, fetches, feeds):
    """(compiled step, its values, the interpreter's values) for ``feeds``."""
    c = compile(g, fetches, list(feeds))
    got = c.run(feeds)
    want = static.Session(g, executor="interpret").run(fetches, feeds)
    return c, got, want


def _close(got, want, rtol=1e-6, atol=1e-7):
    for a, b in zip(got, want, strict=True):
        np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)


def _ce_graph(reduction="mean", ignore_index=-100, paired=False):
    """Loss and gradient of cross-entropy; ``paired``: the gradient is not fetched itself
    (its double is), so one statement computes loss and gradient (`emitters.pair_up`)."""
    g = static.Graph()
    with g:
        z = static.placeholder((None, 4), name="z")
        t = static.placeholder((None,), dtype=np.int64, name="t")
        loss = ops.cross_entropy(z, t, reduction=reduction, ignore_index=ignore_index)
        (gz,) = static.gradients(loss, [z])
        if paired:
            gz = ops.mul(gz, 2.0)
    return g, z, t, loss, gz


@pytest.mark.parametrize("paired", [False, True])
@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_softmax_cross_entropy_in_buffers_matches(reduction, paired):
    g, z, t, loss, gz = _ce_graph(reduction, paired=paired)
    rng = np.random.default_rng(0)
    zb = (rng.standard_normal((6, 4)) * 3).astype(np.float32)
    c, got, want = _both(g, [loss, gz], {z: zb, t: rng.integers(0, 4, 6)})
    if paired:
        assert "_sce_loss_grad(" in c.source
    else:
        assert "_sce_loss(" in c.source and "_sce_grad(" in c.source
    # The interpreter runs the unfused graph: softmax - 1 rounds differently in float32.
    _close(got, want, atol=1e-6)
    _close(c.run({z: zb * 2, t: np.arange(6) % 4}),  # a second step: buffers rewritten
           static.Session(g, executor="interpret").run([loss, gz], {z: zb * 2,
                                                                    t: np.arange(6) % 4}),
           atol=1e-6)


@pytest.mark.parametrize("paired", [False, True])
@pytest.mark.parametrize("poison", [np.inf, -np.inf, np.nan])
def test_non_finite_logits_take_the_kernels_path_and_agree(poison, paired):
    g, z, t, loss, gz = _ce_graph(paired=paired)
    zb = np.zeros((3, 4), np.float32)
    zb[1, 2] = poison
    _, got, want = _both(g, [loss, gz], {z: zb, t: np.array([2, 2, 0])})
    for a, b in zip(got, want, strict=True):
        np.testing.assert_array_equal(np.isnan(a), np.isnan(b))
        np.testing.assert_allclose(np.nan_to_num(a), np.nan_to_num(b), rtol=1e-6)


def test_ignored_class_takes_the_general_path_and_agrees():
    # The same functions as the kernels: an ignored class leaves their fast path inside.
    g, z, t, loss, gz = _ce_graph(ignore_index=1)
    rng = np.random.default_rng(1)
    c, got, want = _both(g, [loss, gz], {z: rng.standard_normal((5, 4)).astype(np.float32),
                                         t: np.array([1, 0, 1, 3, 2])})
    assert "_sce_loss(" in c.source
    _close(got, want)


@pytest.mark.parametrize("paired", [False, True])
def test_bad_target_after_a_good_step_names_the_loss(paired):
    g, z, t, loss, gz = _ce_graph(paired=paired)
    c = compile(g, [loss, gz], [z, t])
    zb = np.ones((2, 4), np.float32)
    c(zb, np.array([0, 3]))
    with pytest.raises(static.NodeRuntimeError, match="out of range"):
        c(zb, np.array([0, 4]))
    with pytest.raises(static.NodeRuntimeError, match="out of range"):
        c(zb, np.array([-1, 0]))  # would wrap around silently in NumPy indexing


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_sigmoid_bce_in_buffers_matches(reduction):
    g = static.Graph()
    with g:
        z = static.placeholder((5, 3), name="z")
        y = static.placeholder((5, 3), name="y")
        loss = ops.binary_cross_entropy_with_logits(z, y, reduction=reduction)
        (gz,) = static.gradients(ops.sum(loss), [z])
    rng = np.random.default_rng(2)
    feeds = {z: (rng.standard_normal((5, 3)) * 30).astype(np.float32),  # large: no overflow
             y: (rng.random((5, 3)) < 0.5).astype(np.float32)}
    c, got, want = _both(g, [loss, gz], feeds)
    assert ("_logaddexp(" in c.source) == (reduction == "mean")  # the form fusion makes
    _close(got, want, atol=1e-6)  # float32 sums of gradient terms taken in another order


@pytest.mark.parametrize("act", [ops.relu, ops.sigmoid, ops.tanh])
def test_activation_gradients_use_buffers_and_match(act):
    g = static.Graph()
    with g:
        x = static.placeholder((4, 3), name="x")
        w = static.placeholder((4, 3), name="w")
        (gx,) = static.gradients(ops.sum(ops.mul(act(x), w)), [x])
        out = ops.mul(gx, 2.0)  # gx itself is not fetched: it is computed into a buffer
    rng = np.random.default_rng(3)
    feeds = {x: rng.standard_normal((4, 3)).astype(np.float32),
             w: rng.standard_normal((4, 3)).astype(np.float32)}
    c, got, want = _both(g, [out], feeds)
    assert "k_" not in c.source  # no allocating kernel call left
    _close(got, want)


def test_scalar_operands_are_bound_0d_arrays():
    g = static.Graph()
    with g:
        x = static.placeholder((3,), name="x")
        y = ops.sigmoid(ops.relu(x))
        z = ops.mul(y, 2.0)
    c, got, want = _both(g, [z], {x: np.array([-1.0, 0.5, 2.0], np.float32)})
    assert "f32_0" in c.source and "f32_1" in c.source
    assert ", 0, out=" not in c.source and ", 1, out=" not in c.source
    _close(got, want)


def test_scratch_buffers_never_overlap_live_values():
    g = static.Graph()
    with g:
        a = static.placeholder((2, 2), name="a")
        b = ops.exp(a)
        c_ = ops.neg(b)  # the node given scratch: b is live while it runs
        d = ops.add(b, c_)
    body = [b, c_, d]
    avals = {n: Aval((2, 2), np.dtype(np.float32)) for n in [a, *body]}
    plan = plan_buffers(body, avals, [d], lambda n: True, lambda n: False, lambda n: True,
                        lambda n: [((2, 2), np.float32)] * 2 if n is c_ else ())
    temps = plan.scratch[c_]
    assert len(set(temps)) == 2
    assert not {plan.buffer_of[b], plan.buffer_of[c_]} & set(temps)
    assert plan.buffer_of[d] in temps  # reused once the statement is over


def _neg_step():
    g = static.Graph()
    with g:
        x = static.placeholder((None, 2), name="x")
        y = ops.log(x)
    return compile(g, [y], [x])


def test_fast_path_follows_shape_and_dtype_changes():
    c = _neg_step()
    small, big = np.ones((1, 2), np.float32), np.full((3, 2), 2.0, np.float32)
    for k in range(4):  # alternate: each call must use its own plan
        arr = small if k % 2 == 0 else big
        np.testing.assert_allclose(c(arr)[0], np.log(arr))
    assert (c.cache.misses, c.cache.hits) == (2, 2)
    # Same shape, another dtype and a list: converted as before, never run on a stale plan.
    np.testing.assert_allclose(c(np.full((3, 2), 2.0))[0], np.log(big))
    np.testing.assert_allclose(c([[1.0, 2.0]])[0], np.log([[1.0, 2.0]]), rtol=1e-6)
    with pytest.raises(static.FeedError):
        c(small, small)


def test_fast_path_keeps_ieee_semantics_under_a_users_errstate():
    c = _neg_step()
    zero = np.zeros((1, 2), np.float32)
    c(zero)  # warm: the next call takes the fast path
    with np.errstate(all="raise"):
        assert c(zero)[0][0, 0] == -np.inf
    results = []
    worker = threading.Thread(target=lambda: results.append(c(zero)[0]))
    worker.start()
    worker.join()
    assert results[0][0, 0] == -np.inf


def test_large_relu_gradient_uses_a_bool_mask_over_its_dying_input():
    g = static.Graph()
    with g:
        x = static.placeholder((128, 128), name="x")
        w = static.placeholder((128, 128), name="w")
        h = ops.relu(x @ w)
        (gx,) = static.gradients(ops.sum(ops.mul(ops.relu(h @ w), w)), [x])
        out = ops.mul(gx, 2.0)
    rng = np.random.default_rng(4)
    xb = rng.standard_normal((128, 128)).astype(np.float32)
    xb[0, :] = np.nan  # a nan activation: masked out exactly as the kernel does
    feeds = {x: xb, w: rng.standard_normal((128, 128)).astype(np.float32)}
    c, got, want = _both(g, [out], feeds)
    line = next(ln for ln in c.source.splitlines() if "relu_grad =" in ln)
    assert "_multiply(" in line and ", _greater(" in line  # g * (y > 0), mask in bool scratch
    plan = c.plan_for([xb, feeds[w]]).plan
    assert any(n.op == "relu_grad" for n in plan.inplace)  # written over the dying g
    np.testing.assert_allclose(got[0], want[0], rtol=1e-5, atol=1e-4)
