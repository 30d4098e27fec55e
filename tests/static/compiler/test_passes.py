"""Each pass on its own: what it removes or rewrites, what it reports, and that results stay."""

from __future__ import annotations

import numpy as np
import pytest

import shared_ops as ops
import static
from static.compiler import PIPELINE, PassContext, compile
from static.compiler.passes.cse import cse
from static.compiler.passes.fold_constants import fold_constants
from static.compiler.passes.prune import prune
from static.compiler.verify import random_feeds, run_graph


def _listing(graph) -> str:
    return "\n".join(n.listing() for n in graph.nodes)


def _same_results(before, after, fetches_before, fetches_after):
    feeds = random_feeds(before.placeholders(), seed=3)
    a = run_graph(before, fetches_before, feeds)
    b = run_graph(after, fetches_after, feeds)
    for u, v in zip(a, b, strict=True):
        np.testing.assert_allclose(u[1] if isinstance(u, tuple) else u,
                                   v[1] if isinstance(v, tuple) else v, rtol=1e-6)


def test_pipeline_is_one_ordered_list_of_named_passes():
    assert [name for name, _ in PIPELINE] == [
        "prune", "fold_constants", "simplify", "fuse", "fold_step_size", "cse", "grad_cleanup"]


def test_passes_switch_off_by_name_and_unknown_names_are_refused():
    with static.Graph() as g:
        x = static.placeholder((2,), name="x")
        y = ops.mul(ops.exp(x), ops.exp(x))
    c = compile(g, y, passes={"cse": False})
    assert [r.name for r in c.reports] == ["prune", "fold_constants", "simplify", "fuse",
                                           "fold_step_size", "grad_cleanup"]
    assert sum(n.op == "exp" for n in c.graph.nodes) == 2
    c2 = compile(g, y, passes=["cse"])
    assert sum(n.op == "exp" for n in c2.graph.nodes) == 1
    with pytest.raises(ValueError, match="unknown pass name"):
        compile(g, y, passes={"cse_typo": False})


def test_prune_keeps_only_what_fetches_need():
    with static.Graph() as g:
        x = static.placeholder((2,), name="x")
        static.exp(x)  # dead
        y = ops.neg(x)
    ctx = PassContext(fetches=[y])
    report = prune(g, ctx)
    assert _listing(report.graph) == "%x: f32[2] = placeholder()\n%neg: f32[2] = neg(%x)"
    assert (report.nodes_before, report.nodes_after) == (3, 2)
    assert report.rewrites["dead"] == 1 and report.removed == {"exp"}
    assert ctx.fetches[0].graph is report.graph


def test_fold_constants_folds_subgraphs_and_keeps_provenance():
    with static.Graph() as g:
        x = static.placeholder((3,), name="x")
        c = ops.mul(ops.exp(static.constant(np.zeros(3, np.float32), name="z")), 2.0)
        y = ops.add(x, c)
    ctx = PassContext(fetches=[y])
    report = fold_constants(prune(g, ctx).graph, ctx)
    folded = report.graph[c.name]
    assert folded.op == "constant" and folded.value.tolist() == [2.0, 2.0, 2.0]
    assert report.rewrites["fold"] == 2
    names = {name for name, _ in folded.meta["origin"]}
    assert {"z", "exp", c.name} <= names
    _same_results(g, report.graph, [y], ctx.fetches)


def test_fold_constants_freezes_variables_for_inference():
    with static.Graph() as g:
        x = static.placeholder((None, 3), name="x")
        w = static.variable(np.ones((2, 3), np.float32), name="w")
        y = ops.matmul(x, ops.transpose(w))
    plain = compile(g, y)
    assert any(n.op == "transpose" for n in plain.graph.nodes)
    frozen = compile(g, y, freeze=True)
    ops_left = [n.op for n in frozen.graph.nodes]
    assert "transpose" not in ops_left and "variable" not in ops_left
    assert frozen.reports[1].rewrites == {"freeze": 1, "fold": 1}
    xb = np.arange(6, dtype=np.float32).reshape(2, 3)
    np.testing.assert_allclose(frozen(xb)[0], plain(xb)[0])


def test_cse_merges_equal_nodes_and_small_equal_constants():
    with static.Graph() as g:
        x = static.placeholder((2,), name="x")
        a = ops.add(ops.exp(x), 1.0)
        b = ops.add(ops.exp(x), 1.0)
        y = ops.mul(a, b)
    ctx = PassContext(fetches=[y])
    report = cse(prune(g, ctx).graph, ctx)
    assert report.rewrites["cse"] == 3  # the second exp, the second 1.0, the second add
    assert _listing(report.graph) == (
        "%x: f32[2] = placeholder()\n%exp: f32[2] = exp(%x)\n"
        "%constant: f32[] = constant(1.0)\n%add: f32[2] = add(%exp, %constant)\n"
        "%mul: f32[2] = mul(%add, %add)")
    _same_results(g, report.graph, [y], ctx.fetches)


def test_cse_never_merges_placeholders_or_variables():
    with static.Graph() as g:
        a = static.placeholder((2,), name="a")
        b = static.placeholder((2,), name="b")
        v = static.variable(np.zeros(2, np.float32), name="v")
        w = static.variable(np.zeros(2, np.float32), name="w")
        y = ops.add(ops.add(a, b), ops.add(v, w))
    c = compile(g, y, passes=["cse"])
    assert len(c.graph.nodes) == len(g.nodes)


def test_reports_say_nodes_before_after_and_time():
    with static.Graph() as g:
        x = static.placeholder((2,), name="x")
        y = ops.neg(ops.neg(x))
    c = compile(g, y)
    simplify = next(r for r in c.reports if r.name == "simplify")
    assert simplify.summary() == "simplify: 3 -> 1 nodes (neg_neg x1)"
    assert all(r.seconds >= 0 for r in c.reports)


@pytest.mark.parametrize("loss", ["ce", "bce"])
def test_every_intermediate_graph_passes_lint(loss):
    from compiler_models import mlp

    g, x, y, out, train, _ = mlp(loss=loss, optimizer="adam")
    compile(g, [out, train], [x, y], lint=True)  # raises LintError on a broken invariant
