"""The variable-length GRU over a whole epoch (zoo ``gru_epoch``): a handful of compiles, the
modes agree, and the payback the harness reports is measured from every trace and compile.

Wall-clock figures are never asserted: only what they are made of.
"""

import numpy as np
import pytest

from compare.runner import run_model
from compare.runner_epoch import measured_payback
from compare.training import make_twins
from compare.zoo.gru_seq import EPOCH


@pytest.fixture(scope="module")
def epoch_run():
    return run_model("gru_epoch", steps=3, repeats=0)


def test_an_epoch_has_many_lengths_and_true_lengths():
    case, _ = make_twins("gru_epoch", np.dtype("float64"), 0)
    assert len(case.batches) == EPOCH["n_batches"] >= 100
    lengths = np.concatenate([inputs[1] for inputs, _ in case.batches])
    assert lengths.min() == EPOCH["min_len"] and lengths.max() == EPOCH["max_len"]
    assert len(set(lengths.tolist())) == EPOCH["max_len"] - EPOCH["min_len"] + 1
    for (x, n), (y,) in case.batches[:10]:
        assert x.shape[1] == n.max()  # padded to the batch's longest sequence
        assert not x[np.arange(x.shape[1]) >= n[:, None]].any()  # zeros past each end
        np.testing.assert_array_equal(y, x[:, :, 0].sum(axis=1) > 0)


def test_one_trace_and_a_handful_of_code_generations_over_the_epoch(epoch_run):
    r = epoch_run
    assert "error" not in r, r.get("error")
    case, _ = make_twins("gru_epoch", np.dtype("float64"), 0)
    padded = {inputs[0].shape for inputs, _ in case.batches}
    static = r["timing"]["static"]
    assert r["graph"]["traces"] == len(static["traces"]) == 1  # the time loop is one scan
    assert static["traces"][0]["signature"] == "(float64[?,?,3], int64[?], int64[?])"
    assert static["code_generations"] == len(padded) <= 12  # once per padded shape
    # the timed run covers the whole epoch: every step after the first is timed in eager
    assert r["timing"]["eager"]["steady"]["n"] == EPOCH["n_batches"] - 1
    assert r["timing"]["payback"]["timed_steps"] == EPOCH["n_batches"]


def test_static_agrees_with_eager_on_the_epoch(epoch_run):
    a = epoch_run["agreement"]
    assert a["agrees"], a
    for section in ("outputs", "loss", "gradients", "parameters"):
        assert a[section]["max_abs"] <= 1e-6


def test_payback_counts_every_trace_compile_and_code_generation(epoch_run):
    t = epoch_run["timing"]
    pay, static = t["payback"], t["static"]
    assert pay["epoch"] == EPOCH["n_batches"]
    assert static["codegen_ms"] > 0 and static["compile_ms"] > static["codegen_ms"]
    assert pay["setup_ms"] == pytest.approx(static["trace_ms"] + static["compile_ms"])
    # the static total is the setup plus at least every steady step that was timed
    steady = sum(static["steady"]["samples_ms"])
    assert pay["static_total_ms"] >= pay["setup_ms"] + steady
    assert "every trace, compile and code generation included" in pay["reason"]


def test_the_exact_policy_charges_each_new_length_to_its_step():
    r = run_model("gru_seq", steps=6, repeats=0)
    static, pay = r["timing"]["static"], r["timing"]["payback"]
    assert r["graph"]["traces"] == static["code_generations"] == 4  # lengths 3, 5, 4, 6
    assert pay["setup_ms"] == pytest.approx(static["trace_ms"] + static["compile_ms"])
    # steps that traced or generated code are not steady: 6 steps, first and 3 new ones out
    assert static["steady"]["n"] == 2 and r["timing"]["eager"]["steady"]["n"] == 5


def test_measured_payback_includes_a_late_compile():
    eager = [2.0] * 6
    early = measured_payback([5.0, 1.0, 1.0, 1.0, 1.0, 1.0], eager, 1.0, 2.0)
    assert (early["steps"], early["measured"]) == (4, True)
    # the same run with a code generation of 3 s at step 5: behind again, caught up later
    late = measured_payback([5.0, 1.0, 1.0, 1.0, 4.0, 1.0], eager, 1.0, 2.0)
    assert late["steps"] is not None and late["steps"] > 6 and not late["measured"]
    assert late["static_total_ms"] == pytest.approx(13_000.0)
    assert late["eager_total_ms"] == pytest.approx(12_000.0)
    assert late["steps"] == 7  # 1 s behind after 6 steps, 1 s saved per steady step


def test_measured_payback_never_and_not_available():
    never = measured_payback([5.0, 2.0, 2.0], [2.0, 2.0, 2.0], 2.0, 2.0)
    assert never["steps"] is None and "never paid back" in never["reason"]
    missing = measured_payback([5.0], [2.0], None, None)
    assert missing["steps"] is None and missing["reason"].startswith("not available")
    at_once = measured_payback([1.0, 1.0], [2.0, 2.0], None, None)
    assert at_once["steps"] == 1 and at_once["measured"]
