"""Fusion: each pattern fires (forward and backward), and results match the unfused graph."""

from __future__ import annotations

import numpy as np
from compiler_models import batch, mlp

import shared_ops as ops
import static
from static.compiler import compile, render_passes


def _ops(c):
    return [n.op for n in c.graph.nodes]


def _compare(g, fetches, feeds, **kw):
    fused = compile(g, fetches, **kw)
    plain = compile(g, fetches, passes={"fuse": False}, **kw)
    a, b = fused.run(feeds), plain.run(feeds)
    for u, v in zip(a, b, strict=True):
        np.testing.assert_allclose(u, v, rtol=1e-5, atol=1e-6)
    return fused


def test_softmax_cross_entropy_and_its_backward_are_fused():
    g, x, y, loss, _, logits = mlp()
    w = g["fc2.weight"]
    (gw,) = static.gradients(loss, [w])
    xb, yb = batch(x, y)
    c = _compare(g, [loss, gw], {"x": xb, "y": yb})
    assert "softmax_cross_entropy" in _ops(c) and "softmax_cross_entropy_grad" in _ops(c)
    assert not {"logsumexp", "nll_loss", "nll_loss_grad", "exp"} & set(_ops(c))
    fuse = next(r for r in c.reports if r.name == "fuse")
    assert fuse.rewrites["cross_entropy"] == 1 and fuse.rewrites["cross_entropy_backward"] == 1


def test_inference_graph_fuses_forward_only():
    g, x, y, loss, _, logits = mlp()
    c = _compare(g, [loss], {"x": batch(x, y)[0], "y": batch(x, y)[1]}, freeze=True)
    assert _ops(c).count("linear_act") == 3 and "softmax_cross_entropy" in _ops(c)
    assert "variable" not in _ops(c)


def test_log_of_softmax_is_simplified_then_fused_with_nll():
    with static.Graph() as g:
        x = static.placeholder((None, 5), name="x")
        t = static.placeholder((None,), dtype=np.int64, name="t")
        loss = ops.nll_loss(ops.log(ops.softmax(x, axis=1)), t)
    rng = np.random.default_rng(0)
    c = _compare(g, [loss], {"x": rng.standard_normal((4, 5)).astype(np.float32),
                             "t": np.array([0, 4, 2, 1])})
    assert _ops(c) == ["placeholder", "placeholder", "softmax_cross_entropy"]


def test_sigmoid_bce_forward_and_backward_are_fused():
    g, x, y, loss, train, _ = mlp(loss="bce_logits")
    grads = static.gradients(loss, g.variables(trainable=True))
    xb, yb = batch(x, y)
    c = _compare(g, [loss, *grads], {"x": xb, "y": yb})
    assert "sigmoid_bce" in _ops(c) and "log1p" not in _ops(c) and "maximum" not in _ops(c)


def test_bce_of_a_sigmoid_is_not_fused_into_the_logits_form():
    # PyTorch rounds the sigmoid to float32 and clamps each log at -100: sigmoid(20) is 1.0,
    # so BCE(sigmoid(20), 0) is 100, where the logits form (sigmoid_bce) would give 20.
    with static.Graph() as g:
        z = static.placeholder((4,), name="z")
        yv = static.placeholder((4,), name="y")
        loss = ops.binary_cross_entropy(ops.sigmoid(z), yv, reduction="none")
        (gz,) = static.gradients(ops.sum(loss), [z])
    feeds = {"z": np.array([-120.0, -20.0, 20.0, 120.0], np.float32),
             "y": np.array([1.0, 1.0, 0.0, 0.0], np.float32)}
    c = compile(g, [loss, gz])
    value, grad = c.run(feeds)
    assert "sigmoid_bce" not in _ops(c) and "clamped_bce" in _ops(c)
    np.testing.assert_allclose(value, [100, 20, 100, 100], rtol=1e-6)
    np.testing.assert_allclose(grad, [0, -1, 0, 0], atol=1e-8)  # as torch: sigmoid' is 0


def test_linear_composite_and_matmul_bias_relu_become_linear_act():
    g, x, y, loss, train, logits = mlp(linear=True)
    xb, yb = batch(x, y)
    c = _compare(g, [logits], {"x": xb})
    assert [n.attrs["activation"] for n in c.graph.nodes if n.op == "linear_act"] == \
        ["relu", "relu", "none"]


def test_many_gradient_contributions_are_summed_at_once():
    with static.Graph() as g:
        x = static.placeholder((3,), name="x")
        w = static.variable(np.array([0.5, -1.0, 2.0], np.float32), name="w")
        y = ops.sum(ops.add(ops.add(ops.mul(w, x), ops.exp(w)), ops.tanh(w)))
        (gw,) = static.gradients(y, [w])
    c = _compare(g, [gw], {"x": np.ones(3, np.float32)})
    cleanup = next(r for r in c.reports if r.name == "grad_cleanup")
    assert cleanup.rewrites["add_n"] == 1
    assert [n for n in c.graph.nodes if n.op == "add_n"][0].ndim == 1


def test_render_passes_writes_one_diagram_per_pass_and_a_table(tmp_path):
    g, x, y, loss, train, _ = mlp()
    summary = render_passes(g, tmp_path, [loss, train], fmt="dot", batch=8)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["00-input.dot", "01-prune.dot",  # nothing to prune: no "-removed"
                     "02-fold_constants.dot", "03-simplify.dot", "04-fuse-removed.dot",
                     "04-fuse.dot", "05-fold_step_size.dot",  # momentum SGD: not folded
                     "06-cse-removed.dot", "06-cse.dot",
                     "07-grad_cleanup-removed.dot", "07-grad_cleanup.dot", "summary.md"]
    assert "logsumexp" in (tmp_path / "04-fuse-removed.dot").read_text()
    table = summary.read_text()
    assert "| fuse |" in table and "cross_entropy x1" in table and "buffers" in table
    assert "softmax_cross_entropy" in (tmp_path / "04-fuse.dot").read_text()


def test_log_softmax_and_its_backward_become_one_op():
    with static.Graph() as g:
        x = static.placeholder((None, 5), name="x")
        w = static.variable(np.linspace(-1, 1, 5, dtype=np.float32), name="w")
        logp = ops.log_softmax(ops.mul(x, w), axis=1)
        loss = ops.sum(ops.mul(logp, logp))
        (gw,) = static.gradients(loss, [w])
    xb = np.random.default_rng(0).standard_normal((3, 5)).astype(np.float32)
    c = _compare(g, [logp, gw], {"x": xb})
    assert "fused_log_softmax" in _ops(c) and "logsumexp" not in _ops(c)
    fuse = next(r for r in c.reports if r.name == "fuse")
    assert fuse.rewrites["log_softmax"] == 1 and fuse.rewrites["log_softmax_backward"] == 1
