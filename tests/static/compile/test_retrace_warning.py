"""Retracing (issue 17 point 5): one warning per function past the threshold, naming what
changed and the user's line; ``run_functions_eagerly`` runs the Python as written."""

import warnings

import numpy as np
import pytest

import shared_ops as ops
import static
from static import RetraceWarning


@pytest.fixture
def threshold():
    old = static.config.retrace_warning_threshold
    yield
    static.config.retrace_warning_threshold = old


def test_a_function_that_retraces_too_often_warns_once_with_the_reason_and_line(threshold):
    @static.function
    def f(x):
        return ops.exp(x).sum()

    assert static.config.retrace_warning_threshold == 5
    for n in range(1, 7):  # 6 traces: 5 retraces, not yet more than 5
        f(np.ones(n, np.float32))
    with pytest.warns(RetraceWarning) as caught:
        f(np.ones(7, np.float32))  # the 6th retrace
    (w,) = caught
    text = str(w.message)
    assert "retraced 6 times" in text and "threshold=5" in text
    assert "because x: shape (" in text and ") -> (7,)" in text
    assert w.filename == __file__
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for n in range(8, 12):
            f(np.ones(n, np.float32))  # once per function
    assert f.ledger.traces == 11


def test_the_threshold_is_configurable_and_python_values_are_named(threshold):
    static.config.retrace_warning_threshold = 1

    @static.function
    def g(x, k):
        return x * k

    g(np.ones(2, np.float32), 1.0)
    g(np.ones(2, np.float32), 2.0)
    with pytest.warns(RetraceWarning, match=r"because k: value \d.0 -> 3.0"):
        g(np.ones(2, np.float32), 3.0)
    with pytest.raises(ValueError, match="retrace_warning_threshold"):
        static.config.retrace_warning_threshold = -1


@pytest.fixture
def eagerly():
    static.config.run_functions_eagerly(True)
    yield
    static.config.run_functions_eagerly(False)


def test_run_functions_eagerly_runs_the_python_every_call(eagerly):
    calls = []

    @static.function
    def h(x):
        calls.append(type(x))
        if x.sum() > 0:  # Python control flow on a value: fine when run eagerly
            return x * 2
        return x

    assert static.config.functions_run_eagerly()
    np.testing.assert_allclose(h(np.ones(2, np.float32)), [2, 2])
    np.testing.assert_allclose(h(-np.ones(2, np.float32)), [-1, -1])
    assert calls == [np.ndarray, np.ndarray]
    assert h.ledger.traces == 0
    with pytest.raises(TypeError, match="expects a bool"):
        static.config.run_functions_eagerly(1)


def test_off_again_the_function_traces():
    @static.function
    def h(x):
        return x * 2

    h(np.ones(2, np.float32))
    assert h.ledger.traces == 1


def test_a_compiled_module_that_retraces_too_often_warns_too(threshold):
    import eager
    import eager.nn as nn

    static.config.retrace_warning_threshold = 2
    compiled = static.compile(nn.Linear(3, 1), dynamic=False)  # every size retraces
    for n in (1, 2, 3):
        compiled(eager.ones(n, 3))
    with pytest.warns(RetraceWarning, match=r"static.compile\(Linear\) retraced 3 times.*"
                                            r"input: shape \(\d, 3\) -> \(4, 3\).*dynamic=True"):
        compiled(eager.ones(4, 3))


def test_docstring_examples_of_config_and_captures_run():
    import doctest
    import importlib

    # static.config is the settings object; its module is reached by name.
    for name in ("static.config", "static.trace_captures"):
        module = importlib.import_module(name)
        result = doctest.testmod(module)
        assert result.failed == 0 and result.attempted > 0, name
    assert not static.config.functions_run_eagerly()


def test_graph_building_code_run_eagerly_says_why_it_fails(eagerly):
    @static.function
    def step(x):
        loss = (x * 2).sum()
        static.optim.SGD(0.1).minimize(loss)
        return loss

    with pytest.raises(AttributeError) as info:
        step(np.ones(2, np.float32))
    assert any("run_functions_eagerly(True)" in note for note in info.value.__notes__)
