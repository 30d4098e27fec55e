"""Units of the harness: agreement arithmetic, timing statistics, payback, profilers, memory."""

import math

import numpy as np
import pytest

import shared_ops
from compare import agreement, memory, timing


def test_compare_arrays_abs_rel_and_tolerance():
    r = agreement.compare_arrays([np.array([1.0, 2.0])], [np.array([1.0, 2.0 + 4e-7])], tol=1e-6)
    assert r["agrees"] and r["max_abs"] == pytest.approx(4e-7)
    assert r["max_rel"] == pytest.approx(2e-7)
    # Relative for large values: 1e-3 on 1e4 is within 1e-6 * 1e4, 0.1 is not.
    assert agreement.compare_arrays([np.array([1e4])], [np.array([1e4 + 1e-3])], tol=1e-6)[
        "agrees"]
    assert not agreement.compare_arrays([np.array([1e4])], [np.array([1e4 + 0.1])], tol=1e-6)[
        "agrees"]


def test_compare_arrays_flags_nan_and_shape_mismatch():
    nan = agreement.compare_arrays([np.array([1.0])], [np.array([np.nan])], tol=1e-6)
    assert not nan["agrees"] and "NaN" in nan["problems"][0]
    both = agreement.compare_arrays([np.array([np.nan])], [np.array([np.nan])], tol=1e-6)
    assert both["agrees"]
    shape = agreement.compare_arrays([np.ones(2)], [np.ones(3)], tol=1e-6)
    assert not shape["agrees"]


def test_compare_dicts_names_worst_key_and_missing_keys():
    r = agreement.compare_dicts({"a": np.zeros(2), "b": np.zeros(2)},
                                {"a": np.zeros(2), "b": np.full(2, 0.5)}, tol=1e-6)
    assert r["worst"] == "b" and not r["agrees"]
    assert not agreement.compare_dicts({"a": np.zeros(1)}, {}, tol=1e-6)["agrees"]


def test_tolerances_are_the_documented_ones():
    assert agreement.tolerance_for("float64") == 1e-6
    assert agreement.tolerance_for(np.float32) == 1e-4


def test_step_stats():
    s = timing.step_stats([0.001, 0.002, 0.003, 0.004])
    assert s["median_ms"] == pytest.approx(2.5) and s["n"] == 4
    assert s["min_ms"] == pytest.approx(1.0) and s["iqr_ms"] > 0
    assert timing.step_stats([])["median_ms"] is None


def test_payback_arithmetic():
    # 10 ms extra setup, 1 ms saved per step: static wins from step 11 on.
    p = timing.payback_steps(setup_s=0.010, static_first_s=0.002, static_step_s=0.001,
                             eager_first_s=0.002, eager_step_s=0.002)
    assert p["steps"] == 11
    cost = lambda n, setup, first, step: setup + first + (n - 1) * step  # noqa: E731
    assert cost(11, 0.010, 0.002, 0.001) <= cost(11, 0, 0.002, 0.002)
    assert cost(10, 0.010, 0.002, 0.001) > cost(10, 0, 0.002, 0.002)
    never = timing.payback_steps(setup_s=0.01, static_first_s=0.0, static_step_s=0.002,
                                 eager_first_s=0.0, eager_step_s=0.001)
    assert never["steps"] is None and "never" in never["reason"]


def test_kernel_profile_counts_and_restores():
    add = shared_ops.OPS["add"]
    original = add.kernel
    with timing.kernel_profile() as table:
        shared_ops.add(np.ones(3), np.ones(3))
        shared_ops.add(np.ones(3), np.ones(3))
    assert table["add"][0] == 2 and table["add"][1] >= 0
    assert add.kernel is original


def test_line_profile_charges_lines_to_ops():
    import textwrap

    src = textwrap.dedent("""
        def f(a):
            b = a + 1
            c = b * 2
            return c
    """)
    code = compile(src, "<generated-test>", "exec")
    env = {}
    exec(code, env)
    with timing.line_profile({"<generated-test>": {3: "add", 4: "mul", 5: "return"}}) as t:
        env["f"](np.ones(4))
    assert t["add"][0] == 1 and t["mul"][0] == 1


def test_memory_measures_a_step_that_allocates():
    keep = []
    m = memory.measure_step(lambda: keep.append(np.ones(100_000)))
    assert m["peak_bytes"] >= 800_000 and m["retained_bytes"] >= 800_000
    assert m["retained_blocks"] >= 1 and not math.isnan(m["peak_bytes"])
