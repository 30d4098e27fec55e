"""The fault catalogue: which bug each entry injects and what a good report of it names.

Each `Fault` pairs a `Scenario` of ``user_code.py`` with what its message should mention:
the op that rejects the value, the shapes involved, and (by the ``# fault: NAME`` markers in
``user_code.py``) the user's line where the bug lives or the bad value enters.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .user_code import BATCH, FEATURES, Scenario


@dataclass(frozen=True)
class Fault:
    """One injected fault and what an ideal error message for it names."""

    name: str
    title: str
    scenario: Scenario
    ops: tuple[str, ...]
    shapes: tuple[str, ...] = ()


def _x(k: int, rows: int = BATCH, cols: int = FEATURES) -> np.ndarray:
    return np.random.default_rng(100 + k).uniform(0.1, 1.0, (rows, cols))


def _with_zero(k: int) -> tuple[np.ndarray, np.ndarray]:
    x = _x(k)
    x[0, 0] = 0.0  # log(0) = -inf, then inf - inf = nan in the matmul
    return x, (x[:, 1:2] > 0.5).astype(np.float64)


def _bad_class(k: int) -> tuple[np.ndarray, np.ndarray]:
    y = np.arange(BATCH) % 10
    y[3] = 10  # ten classes: 0..9
    return _x(k), y


_FAULTS = [
    Fault("wrong_width", "wrong layer width (fc1 gives 6 features, fc2 takes 5)",
          Scenario("wrong_width", variant="wrong_width"), ("linear", "matmul"),
          ("(5, 1)", "(1, 5)", "(8, 6)", "(?, 6)", "(6,)", "6")),
    Fault("bad_batch_shape", "a batch with 9 features where the model takes 10",
          Scenario("bad_batch_shape", data={0: (_x(0, cols=9), np.zeros((BATCH, 1)))}),
          ("linear", "matmul", "Session.run"), ("(8, 9)", "(?, 10)", "(5, 10)")),
    Fault("dtype_confusion", "class labels stored as float (cross-entropy reads probabilities)",
          Scenario("dtype_confusion", classes=10, y_spec=((None,), "float64"),
                   data={k: (_x(k), (np.arange(BATCH) % 10).astype(np.float64))
                         for k in range(3)}),
          ("cross_entropy",), ("(8, 10)", "(?, 10)", "(8,)", "(?,)")),
    Fault("nan_log0", "log(0) in the input transform at step 2 makes the loss NaN",
          Scenario("nan_log0", variant="nan_log0", data={1: _with_zero(1)}), ("log",)),
    Fault("nan_log0_anomaly", "the same log(0), with eager's detect_anomaly() on",
          Scenario("nan_log0_anomaly", variant="nan_log0", data={1: _with_zero(1)},
                   anomaly=True), ("log", "LogBackward0", "matmul", "MmBackward0", "affine",
                                  "AddmmBackward0")),
    Fault("class_index", "class index 10 with 10 classes (at step 2)",
          Scenario("class_index", classes=10, y_spec=((None,), "int64"),
                   data={1: _bad_class(1)}),
          ("nll_loss", "cross_entropy"), ("(8, 10)", "(8,)")),
    Fault("python_branch", "Python `if` on a tensor value inside forward",
          Scenario("python_branch", variant="python_branch"), ("sum", "gt", "bool")),
    Fault("print_intermediate", "print() of an intermediate value inside forward",
          Scenario("print_intermediate", variant="print_intermediate"), ("sigmoid",)),
    Fault("inplace_saved", "in-place `h *= 2` after fc2 saved h for its backward",
          Scenario("inplace_saved", variant="inplace_saved"),
          ("linear", "matmul", "MmBackward0", "affine", "AddmmBackward0")),
    Fault("missing_input", "an input not given (eager: no argument; static: no feed)",
          Scenario("missing_input", drop_feed=True), ("Session.run", "placeholder")),
]

CATALOGUE: dict[str, Fault] = {f.name: f for f in _FAULTS}
