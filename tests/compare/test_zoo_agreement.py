"""Acceptance: every zoo model agrees across modes within 1e-6 in float64 (and 1e-4 in f32)."""

import numpy as np
import pytest

from compare.runner import run_model
from compare.training import make_twins
from compare.zoo import model_names


@pytest.mark.parametrize("name", model_names())
def test_model_agrees_across_modes_float64(name):
    r = run_model(name, steps=3, repeats=1)
    assert "error" not in r, r.get("error")
    a = r["agreement"]
    for section in ("outputs", "loss", "gradients", "parameters"):
        assert a[section]["tolerance"] == 1e-6
        assert a[section]["agrees"], (section, a[section])
        assert a[section]["max_abs"] <= 1e-6
    assert len(r["losses"]["eager"]) == len(r["losses"]["static"]) == 3
    assert all(np.isfinite(r["losses"]["eager"]))
    t = r["timing"]
    assert t["static"]["trace_ms"] > 0 and t["eager"]["steady"]["n"] >= 2
    assert r["memory"]["eager"]["peak_bytes"] > 0 and r["memory"]["static"]["peak_bytes"] > 0
    assert r["profile"]["eager"]["ops"], "eager per-op profile is empty"
    assert r["profile"]["static"]["ops"], "static per-op profile is empty"


def test_float32_uses_its_documented_tolerance():
    r = run_model("mlp_digits", steps=2, repeats=0, dtype="float32")
    assert r["agreement"]["tolerance"] == 1e-4 and r["agreement"]["agrees"]


def test_gru_traces_once_per_distinct_length():
    r = run_model("gru_seq", steps=6, repeats=0)
    lengths = {3, 5, 4, 6}
    assert r["graph"]["traces"] == len(lengths)
    assert r["agreement"]["agrees"]


def test_twins_start_identical_and_training_changes_them():
    a, b = make_twins("simplenet", np.dtype("float64"), seed=3)
    pa = {n: np.asarray(p).copy() for n, p in a.model.named_parameters()}
    pb = {n: np.asarray(p).copy() for n, p in b.model.named_parameters()}
    assert all(np.array_equal(pa[k], pb[k]) for k in pa)
    r = run_model("simplenet", steps=2, repeats=0, seed=3)
    assert r["agreement"]["parameters"]["agrees"]


def test_disagreement_is_reported_not_hidden(monkeypatch):
    # A static twin whose gradients are off by 1e-3 must fail the 1e-6 check.
    from compare import modes

    original = modes.StaticTwin.step

    def skewed(self, inputs, targets, record=True):
        rec = original(self, inputs, targets, record)
        if rec is not None:
            rec.grads = {k: v + 1e-3 for k, v in rec.grads.items()}
        return rec

    monkeypatch.setattr(modes.StaticTwin, "step", skewed)
    r = run_model("simplenet", steps=2, repeats=0)
    assert not r["agreement"]["agrees"]
    assert r["agreement"]["worst_section"] == "gradients"
    assert r["agreement"]["gradients"]["max_abs"] == pytest.approx(1e-3, rel=1e-6)
