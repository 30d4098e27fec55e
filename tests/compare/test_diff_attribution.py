"""Acceptance: a deliberately wrong rewrite rule is injected into the compiler; the harness
reports the disagreement, the node-by-node diff names the first diverging node (with the
user's line) and the attribution names the pass and the rule."""

import pytest

from compare.diffing import first_divergence
from compare.runner import run_model

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
    assert "simplify" in att["text"] and "bogus_sigmoid_identity" in att["text"]
    # The runs that led there: everything off agrees, everything on does not.
    by_passes = {tuple(run["passes"]): run["agrees"] for run in att["runs"]}
    assert by_passes[()] is True


def test_diff_names_first_diverging_node_and_user_line(wrong_rule):
    d = first_divergence("simplenet", step=0)
    info = d["first_divergence"]
    assert info is not None and info["graph"] == "optimized graph"
    assert "sigmoid" in info["origin"]  # the removed sigmoid was folded into this node
    assert "simplenet.py:" in info["user_line"]  # the model's forward line
    assert info["against"] == "eager tape" and info["max_abs"] > 1e-3
    assert "first diverging node" in d["text"]


def test_no_divergence_without_the_wrong_rule():
    d = first_divergence("mlp_digits", step=0)
    assert d["first_divergence"] is None and d["checked_nodes"] > 0
    assert d["aligned_with_tape"] is True
