"""Acceptance: a deliberately wrong rewrite rule is injected into the compiler; the harness
reports the disagreement, the node-by-node diff names the first diverging node (with the
user's line) and the attribution names the pass and the rule."""

import pytest

from compare.diffing import first_divergence
from compare.runner import run_model
from compare.zoo import model_names

sr = pytest.importorskip("static.compiler.simplify_rules")


def _sigmoid_is_identity(term, rewriter):
    """WRONG on purpose: sigmoid(x) -> x."""
    x = term.inputs[0]
    return x if x.aval == term.aval else None


@pytest.fixture
def wrong_rule(monkeypatch):
    rule = sr.Rule("bogus_sigmoid_identity", "sigmoid", "sigmoid(x) -> x", _sigmoid_is_identity)
    monkeypatch.setitem(sr.RULES_BY_OP, "sigmoid",
                        [rule, *sr.RULES_BY_OP.get("sigmoid", [])])
    return rule


def test_attribution_names_the_wrong_rewrite(wrong_rule):
    r = run_model("simplenet", steps=2, repeats=0)
    assert not r["agreement"]["agrees"]
    att = r["attribution"]
    assert att["pass"] == "simplify" and att["confirmed"] is True
    assert att["rewrites"].get("bogus_sigmoid_identity") == 1
    assert att["rules"] == ["bogus_sigmoid_identity"]  # the other rules that fired are fine
    assert att["check_mode"]["suspects"] == ["simplify"]  # the compiler's own witness agrees
    assert "simplify" in att["text"] and "bogus_sigmoid_identity" in att["text"]
    # The runs that led there: everything off agrees, everything on does not.
    by_passes = {tuple(run["passes"]): run["agrees"] for run in att["runs"] if not run["note"]}
    assert by_passes[()] is True


def test_diff_names_first_diverging_node_and_user_line(wrong_rule):
    d = first_divergence("simplenet", step=0)
    info = d["first_divergence"]
    assert info is not None and info["graph"] == "optimized graph"
    # fc2's linear: the first value computed from the missing sigmoid's output.
    assert info["op"] == "linear_act" and any(o.startswith("matmul") for o in info["origin"])
    assert "simplenet.py:" in info["user_line"]  # the model's forward line
    assert info["against"] == "eager tape" and info["max_abs"] > 1e-3
    assert "first diverging node" in d["text"]


def test_rule_table_is_restored_after_attribution(wrong_rule):
    before = {op: list(rules) for op, rules in sr.RULES_BY_OP.items()}
    run_model("simplenet", steps=1, repeats=0)
    assert {op: list(rules) for op, rules in sr.RULES_BY_OP.items()} == before


@pytest.mark.parametrize("name", model_names())
def test_no_divergence_without_the_wrong_rule(name):
    # No false alarms: fused and CSE-merged nodes are aligned, region-built ones skipped.
    d = first_divergence(name, step=1)
    assert d["first_divergence"] is None, d["text"]
    assert d["checked_nodes"] > 0 and d["aligned_with_tape"] is True


def test_python_state_baked_by_tracing_is_found_before_any_pass():
    """A forward that reads Python state (a call counter) is traced once, so the static graph
    keeps the first value: no pass is to blame and the diff points at the traced graph."""
    import numpy as np

    import eager.nn as nn
    import shared_ops as ops
    from compare.zoo import ZOO, ModelCase, register_model

    class Counting(nn.Linear):
        calls = 0

        def forward(self, x):
            self.calls += 1
            return ops.mul(super().forward(x), float(self.calls))  # Python state: baked when traced

    @register_model("counting_test_model")
    def counting(dtype):
        rng = np.random.default_rng(1)
        batch = ((rng.standard_normal((4, 3)).astype(dtype),),
                 (rng.standard_normal((4, 1)).astype(dtype),))
        return ModelCase(model=Counting(3, 1).to(dtype), batches=[batch], loss=ops.mse, lr=0.01)

    try:
        r = run_model("counting_test_model", steps=3, repeats=0)
    finally:
        del ZOO["counting_test_model"]
    assert not r["agreement"]["agrees"]
    assert r["attribution"]["pass"] is None and "no pass" in r["attribution"]["text"]
    info = r["diff"]["first_divergence"]
    assert r["diff"]["step"] == 2  # step 1 agrees: both modes see calls == 1
    # The value tracing froze: the constant 1.0 (eager has 2.0 by now), at the user's line.
    assert info["graph"] == "traced graph (before passes)" and info["op"] == "constant"
    assert "test_diff_attribution.py:" in info["user_line"]


def test_fuse_patterns_can_be_switched_off_one_at_a_time():
    from compare.compiler_adapter import rules_switched_off

    fp = pytest.importorskip("static.compiler.fusion_patterns")
    before = list(fp.PATTERNS)
    with rules_switched_off("fuse", ["linear_act"]) as switched:
        assert switched
        assert "fuse_linear_act" not in {p.__name__ for p in fp.PATTERNS}
        assert len(fp.PATTERNS) == len(before) - 1
    assert before == fp.PATTERNS
    with rules_switched_off("fuse", ["no_such_rewrite"]) as switched:
        assert not switched and before == fp.PATTERNS
    with rules_switched_off("cse", ["cse"]) as switched:
        assert not switched
