"""Graph breaks (issue 17 point 4): Python control flow on a tensor value runs eagerly with
the reason and the user's file:line recorded; ``fullgraph=True`` raises; `static.explain`
lists breaks and traces; ``run_functions_eagerly`` covers compiled targets too."""

import numpy as np
import pytest

import eager
import eager.nn as nn
import static
from benchmarks.torch_style_models import MLP, Gated
from static import GraphBreakError

LINE = {}


LINE["if"] = Gated.forward.__code__.co_firstlineno + 2
GATED_FILE = Gated.forward.__code__.co_filename


def x_of(sign):
    return eager.tensor(sign * np.ones((2, 3), np.float32))


def test_a_data_dependent_if_breaks_the_graph_and_runs_eagerly():
    eager.manual_seed(0)
    model = Gated()
    compiled = static.compile(model)
    for sign in (1, -1):
        np.testing.assert_allclose(compiled(x_of(sign)).detach().numpy(),
                                   model(x_of(sign)).detach().numpy())
    (b,) = compiled.breaks  # one signature, one break; the second call ran eagerly at once
    assert b.where == f"{GATED_FILE}:{LINE['if']}" and b.function == "forward"
    assert "Python control flow on a tensor value" in b.reason
    assert compiled.ledger.records[0].reason == "first call; graph break: runs eagerly"
    assert compiled.ledger.records[0].calls == 2
    y = compiled(x_of(1))
    y.sum().backward()  # eager fallback: eager's own tape
    assert model.fc.weight.grad is not None


def test_fullgraph_turns_the_break_into_an_error_naming_reason_and_line():
    compiled = static.compile(Gated(), fullgraph=True)
    with pytest.raises(GraphBreakError) as info:
        compiled(x_of(1))
    text = str(info.value)
    assert "fullgraph=True" in text and "Gated" in text
    assert f"{GATED_FILE}:{LINE['if']}" in text
    assert "static.cond" in text
    assert isinstance(info.value.__cause__, TypeError)


def test_other_errors_are_not_hidden_as_breaks():
    compiled = static.compile(nn.Linear(3, 2))
    with pytest.raises(ValueError, match="features"):
        compiled(eager.ones(2, 4))
    assert compiled.breaks == []


def test_explain_lists_breaks_and_traces():
    report = static.explain(Gated(), x_of(1))
    assert report.graph_count == 0 and report.graph_break_count == 1
    text = str(report)
    assert text.splitlines()[0] == "Gated: 0 graphs, 1 graph break, 1 trace"
    assert f"{GATED_FILE}:{LINE['if']}" in text
    compiled = static.compile(MLP(), dynamic=False)
    compiled(eager.ones(2, 6))
    report = static.explain(compiled, eager.ones(3, 6))
    assert (report.graph_count, report.graph_break_count) == (2, 0)
    assert report.traces[1] == ("(x: f32[3,6])", "x: shape (2, 6) -> (3, 6)")
    assert "2 graphs, 0 graph breaks, 2 traces" in str(report)


def test_run_functions_eagerly_runs_a_compiled_module_as_written():
    eager.manual_seed(1)
    model = Gated()
    compiled = static.compile(model, fullgraph=True)
    static.config.run_functions_eagerly(True)
    try:
        y = compiled(x_of(1))  # no trace, so no break error
    finally:
        static.config.run_functions_eagerly(False)
    np.testing.assert_allclose(y.detach().numpy(), model(x_of(1)).detach().numpy())
    assert compiled.ledger.traces == 0


def test_compile_still_compiles_a_graph_and_checks_its_arguments():
    with static.Graph() as g:
        x = static.placeholder((None, 2), name="x")
        y = static.exp(x)
    step = static.compile(g, [y], [x])
    np.testing.assert_allclose(step(np.zeros((1, 2), np.float32))[0], [[1, 1]])
    with pytest.raises(TypeError, match="one positional argument"):
        static.compile(MLP(), [y])
    with pytest.raises(TypeError, match="dynamic must be"):
        static.compile(MLP(), dynamic="yes")


def test_a_layer_that_cannot_be_staged_is_a_break_at_the_calling_line():
    eager.manual_seed(2)
    model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.BatchNorm2d(2), nn.Flatten())
    compiled = static.compile(model)
    x = eager.tensor(np.random.default_rng(0).standard_normal((3, 1, 5, 5)).astype(np.float32))
    line = test_a_layer_that_cannot_be_staged_is_a_break_at_the_calling_line.__code__ \
        .co_firstlineno + 7
    y = compiled(x)  # training mode: batch norm updates its running statistics in place
    (b,) = compiled.breaks
    assert "not supported in a static graph" in b.reason and "batch_norm" in b.reason
    assert b.where == f"{__file__}:{line}"
    assert not np.allclose(model[1].running_mean.numpy(), 0)  # the eager run updated them
    compiled.eval()
    with eager.no_grad():
        np.testing.assert_allclose(compiled(x).numpy(), model(x).numpy(), rtol=1e-5,
                                   atol=1e-6)
    assert len(compiled.breaks) == 1 and compiled.ledger.records[1].nodes > 0
    with pytest.raises(GraphBreakError, match="batch_norm"):
        static.compile(model.train(), fullgraph=True)(x)
    assert y.shape == (3, 18)


def test_torch_compile_arguments_are_accepted_and_disable_returns_the_model():
    model = MLP()
    assert static.compile(model, disable=True) is model
    compiled = static.compile(model, backend="inductor", mode="reduce-overhead", options={})
    assert compiled(eager.ones(2, 6)).shape == (2, 3)
