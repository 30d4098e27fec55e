"""Acceptance: the fault catalogue's results, asserted per fault and mode.

These pin today's behaviour of both modes; a change in when or how a fault is reported should
be a conscious decision (update the row here and say why).
"""

import pytest

from compare.faults import CATALOGUE, run_fault

# fault -> mode -> (surfaced, exception, names_op, names_shapes, names_user_line)
EXPECTED = {
    "wrong_width": {"eager": ("first run", "ShapeError", True, True, True),
                    "static": ("build", "ShapeError", True, True, True)},
    "bad_batch_shape": {"eager": ("first run", "ShapeError", True, True, True),
                        "static": ("first run", "FeedError", True, True, True)},
    "dtype_confusion": {"eager": ("first run", "ShapeError", True, True, True),
                        "static": ("build", "ShapeError", True, True, True)},
    "nan_log0": {"eager": ("never", None, False, False, False),
                 "static": ("never", None, False, False, False)},
    # -inf from log(0) first turns into NaN in fc1's weight gradient: anomaly mode names it.
    "nan_log0_anomaly": {"eager": ("later", "RuntimeError", True, False, True),
                         "static": ("never", None, False, False, False)},
    "class_index": {"eager": ("later", "OpIndexError", True, False, True),
                    "static": ("later", "NodeRuntimeError", True, False, True)},
    "python_branch": {"eager": ("never", None, False, False, False),
                      "static": ("build", "TypeError", True, False, True)},
    "print_intermediate": {"eager": ("never", None, False, False, False),
                           "static": ("never", None, False, False, False)},
    "inplace_saved": {"eager": ("first run", "RuntimeError", True, False, False),
                      "static": ("never", None, False, False, False)},
    "missing_input": {"eager": ("first run", "TypeError", False, False, False),
                      "static": ("first run", "FeedError", True, False, True)},
}


@pytest.fixture(scope="module")
def results():
    return {name: run_fault(f) for name, f in CATALOGUE.items()}


def test_catalogue_covers_the_issue_list():
    assert set(CATALOGUE) == set(EXPECTED)


@pytest.mark.parametrize("mode", ["eager", "static"])
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fault_row(results, name, mode):
    row = results[name]["modes"][mode]
    surfaced, exc, names_op, names_shapes, names_line = EXPECTED[name][mode]
    assert row["surfaced"] == surfaced, row["message"]
    assert row["exception"] == exc, row["message"]
    for key, want in (("names_op", names_op), ("names_shapes", names_shapes),
                      ("names_user_line", names_line)):
        assert row[key] is want, (key, row["message"])
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
