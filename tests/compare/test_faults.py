"""Acceptance: the fault catalogue's results, asserted per fault and mode.

These pin today's behaviour of both modes; a change in when or how a fault is reported should
be a conscious decision (update the row here and say why).
"""

import pytest

from compare.faults import CATALOGUE, run_fault

# A mode's row: (when the fault surfaced, the exception's type name, what its message names
# among "op", "shapes" and "line", the user's line).
NEVER = ("never", None, "")
FIRST_SHAPE_ERROR = ("first run", "ShapeError", "op shapes line")
# fault -> (eager's row, static's row)
EXPECTED = {
    "wrong_width": (FIRST_SHAPE_ERROR, ("build", "ShapeError", "op shapes line")),
    "bad_batch_shape": (FIRST_SHAPE_ERROR, ("first run", "FeedError", "op shapes line")),
    "dtype_confusion": (FIRST_SHAPE_ERROR, ("build", "ShapeError", "op shapes line")),
    "nan_log0": (NEVER, NEVER),
    # -inf from log(0) first turns into NaN in fc1's weight gradient: anomaly mode names it.
    "nan_log0_anomaly": (("later", "RuntimeError", "op line"), NEVER),
    "class_index": (("later", "OpIndexError", "op line"), ("later", "NodeRuntimeError", "op line")),
    "python_branch": (NEVER, ("build", "TypeError", "op line")),
    "print_intermediate": (NEVER, NEVER),
    "inplace_saved": (("first run", "RuntimeError", "op"), NEVER),
    "missing_input": (("first run", "TypeError", ""), ("first run", "FeedError", "op line")),
}
MODES = ("eager", "static")


@pytest.fixture(scope="module")
def results():
    return {name: run_fault(f) for name, f in CATALOGUE.items()}


def test_catalogue_covers_the_issue_list():
    assert set(CATALOGUE) == set(EXPECTED)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fault_row(results, name, mode):
    row = results[name]["modes"][mode]
    surfaced, exc, names = EXPECTED[name][MODES.index(mode)]
    assert row["surfaced"] == surfaced, row["message"]
    assert row["exception"] == exc, row["message"]
    for key, word in (("names_op", "op"), ("names_shapes", "shapes"), ("names_user_line", "line")):
        assert row[key] is (word in names.split()), (key, row["message"])
    assert row["message"]


def test_shape_mismatch_names_the_same_user_line_in_both_modes(results):
    # Caught at the first forward in eager, at build time in static: both at fc2's call.
    rows = results["wrong_width"]["modes"]
    assert rows["eager"]["user_frame"] == rows["static"]["user_frame"]
    line = int(rows["eager"]["user_frame"].split(":")[1])
    assert f"user_code.py:{line}" in rows["eager"]["message"]
    assert f"user_code.py:{line}" in rows["static"]["message"]


def test_quiet_faults_say_what_happened(results):
    assert "nan" in results["nan_log0"]["modes"]["eager"]["message"]
    # log(0) enters at step 2; its inf gradients make the weights (so step 3's loss) NaN.
    assert "nan at step 3" in results["nan_log0"]["modes"]["static"]["message"]
    eager_print = results["print_intermediate"]["modes"]["eager"]["message"]
    static_print = results["print_intermediate"]["modes"]["static"]["message"]
    assert "tensor(" in eager_print and "Node" in static_print


def test_static_runtime_failure_is_replayed_eagerly(results):
    replay = results["class_index"]["modes"]["static"]["replay"]
    assert replay["ran"] and replay["exception"] == "OpIndexError"
    assert replay["user_frame"].startswith("user_code.py:")
    feed = results["bad_batch_shape"]["modes"]["static"]["replay"]
    assert feed["exception"] == "ShapeError" and "(8, 9)" in feed["message"]
    assert results["missing_input"]["modes"]["static"]["replay"]["ran"] is False
    assert results["wrong_width"]["modes"]["static"]["replay"] is None  # failed at build
