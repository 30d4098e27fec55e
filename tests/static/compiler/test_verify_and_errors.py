"""Check mode names a pass that changes results; runtime errors in compiled code name the
nodes and user lines they came from; the generated source is readable and in tracebacks."""

from __future__ import annotations

import linecache
import traceback

import numpy as np
import pytest
from compiler_models import batch, mlp

import shared_ops as ops
import static
from static.compiler import compile
from static.compiler.simplify_rules import RULES_BY_OP, Rule


def test_check_mode_records_each_pass_deviation():
    g, x, y, loss, train, _ = mlp(loss="ce", optimizer="adam")
    c = compile(g, [loss, train], [x, y], check=True)
    assert c.checker.suspects == []
    assert [r.name for r in c.reports] == list(c.checker.deviations)
    assert all(r.max_deviation is not None and r.max_deviation < 1e-5 for r in c.reports)
    assert "fuse: max deviation" in c.checker.summary()


def test_check_mode_names_the_pass_with_a_wrong_rewrite(monkeypatch):
    def exp_is_identity(t, rw):  # deliberately wrong: exp(x) -> x
        return t.inputs[0] if t.inputs[0].aval == t.aval else None

    wrong = Rule("exp_is_identity", "exp", "exp(x) -> x (wrong)", exp_is_identity)
    monkeypatch.setitem(RULES_BY_OP, "exp", [wrong])
    with static.Graph() as g:
        x = static.placeholder((None, 4), name="x")
        y = ops.sum(ops.exp(ops.tanh(x)), axis=1)
    c = compile(g, y, check=True)
    assert c.checker.suspects == ["simplify"]
    report = next(r for r in c.reports if r.name == "simplify")
    assert report.rewrites["exp_is_identity"] == 1 and report.max_deviation > 1e-2
    assert "simplify: max deviation" in c.checker.summary()
    assert "changes results beyond tolerance" in c.checker.summary()


def _failing_model():
    g, x, y, loss, train, _ = mlp()
    return g, x, y, loss, train


def test_runtime_error_names_fused_node_origin_and_user_line_and_changes_nothing():
    g, x, y, loss, train = _failing_model()
    c = compile(g, [loss, train], [x, y])
    xb, yb = batch(x, y)
    c(xb, yb)  # a good step first: the plan exists, buffers are warm
    before = [v.value.copy() for v in g.variables()]
    yb = yb.copy()
    yb[2] = 7  # only 3 classes
    with pytest.raises(static.NodeRuntimeError) as info:
        c(xb, yb)
    msg = str(info.value)
    assert "softmax_cross_entropy" in msg and "out of range" in msg
    assert "%nll_loss" in msg and "%logsumexp" in msg  # the original nodes it fused
    assert "static_mlp.py:" in msg  # the user's line (the MLP is built there)
    assert "<dualgraph-compiled-" in msg
    for v, old in zip(g.variables(), before, strict=True):
        np.testing.assert_array_equal(v.value, old, err_msg=v.name)
    shown = "".join(traceback.format_exception(info.value.__cause__))
    assert "_sce_loss_grad(add_2, y, " in shown  # the generated line, via linecache


def test_interpret_executor_reports_the_same_failure():
    g, x, y, loss, train = _failing_model()
    c = compile(g, [loss], [x, y], executor="interpret")
    xb, yb = batch(x, y)
    yb[0] = 9
    with pytest.raises(static.NodeRuntimeError, match="softmax_cross_entropy"):
        c(xb, yb)


def test_source_has_one_commented_statement_per_node_and_is_in_linecache():
    g, x, y, loss, train, _ = mlp()
    c = compile(g, [loss, train], [x, y])
    src = c.source
    assert src.startswith("def step(x, y):\n")
    assert "# %relu @ static_mlp.py:" in src and "update %assign_" in src
    step = next(iter(c.cache.plans.values()))
    cached = "".join(linecache.getlines(step.filename))
    assert src.strip().splitlines()[1].strip() in cached
    for line, node in step.line_nodes.items():  # a statement's lines: its last is commented
        if step.line_nodes.get(line + 1) is not node:
            assert f"%{node.name}" in linecache.getline(step.filename, line)


def test_every_optimized_node_keeps_its_origin():
    g, x, y, loss, train, _ = mlp(loss="bce_logits")
    c = compile(g, [loss, train], [x, y])
    originals = {n.name for n in g.nodes}
    for n in c.graph.nodes:
        names = {name for name, _ in n.meta["origin"]}
        assert names and names <= originals, n.name
    fused = next(n for n in c.graph.nodes if n.op == "sigmoid_bce")
    assert {"abs", "log1p", "maximum"} <= {name for name, _ in fused.meta["origin"]}


def test_feed_errors_name_the_placeholder():
    g, x, y, loss, train, _ = mlp()
    c = compile(g, [loss], [x, y])
    with pytest.raises(static.FeedError, match="%x expects shape"):
        c(np.zeros((2, 5), np.float32), np.zeros(2, np.int64))
    with pytest.raises(static.FeedError, match="%y"):
        c.run({"x": np.zeros((2, 6), np.float32)})
