"""Tracing functions and Modules into static graphs: specs, composition with TF1-style code,
parameter capture (shared storage), the retrace ledger, and the branching error."""


import numpy as np
import pytest
from caller_line import here

import shared_ops as ops
import static
from static.trace_cache import function
from static.tracing import TensorSpec, Traced, trace

RNG = np.random.default_rng(0)


class Affine:
    """A duck-typed Module: ``named_parameters()`` and a call (PyTorch Linear layout)."""

    def __init__(self, n_in=3, n_out=2, dtype=np.float32):
        self.weight = RNG.standard_normal((n_out, n_in)).astype(dtype)
        self.bias = RNG.standard_normal(n_out).astype(dtype)

    def named_parameters(self):
        return [("weight", self.weight), ("bias", self.bias)]

    def __call__(self, x):
        return self.forward(x)

    def forward(self, x):
        # transpose(self.weight) touches only a parameter: it must be staged, not frozen.
        return ops.add(ops.matmul(x, ops.transpose(self.weight)), self.bias)


def numpy_affine(m, x):
    return x @ m.weight.T + m.bias


def test_trace_with_specs_returns_a_new_graph_with_inputs_outputs_variables():
    m = Affine()
    t = trace(m, TensorSpec((None, 3)))
    assert isinstance(t, Traced)
    assert [n.name for n in t.inputs] == ["x"] and t.inputs[0].shape == (None, 3)
    assert [v.name for v in t.variables] == ["weight", "bias"]
    assert t.output.shape == (None, 2) and t.outputs == (t.output,)
    assert [n.op for n in t.graph.nodes] == ["placeholder", "variable", "variable", "transpose",
                                             "matmul", "add"]
    static.lint(t.graph)
    x = RNG.standard_normal((4, 3)).astype(np.float32)
    np.testing.assert_allclose(t(x), numpy_affine(m, x), rtol=1e-6)


def test_captured_variables_share_the_parameters_storage():
    m = Affine()
    t = trace(m, ((None, 3), "float32"))
    for var, param in zip(t.variables, (m.weight, m.bias), strict=True):
        assert var.value is param and np.shares_memory(var.value, param)
    x = np.ones((1, 3), np.float32)
    before = t(x)
    m.weight += 1.0  # in place, as an optimizer does: the graph sees it
    np.testing.assert_allclose(t(x), before + 3.0, rtol=1e-6)
    assert not any(n.op == "constant" for n in t.graph.nodes)


def test_example_arrays_and_plain_python_arguments():
    def scale(x, y, factor):
        return ops.mul(ops.add(x, y), factor)

    x = np.ones((2, 2), np.float64)
    t = trace(scale, x, TensorSpec((2, 2), np.float64, name="other"), 3)
    assert [n.name for n in t.inputs] == ["x", "other"]
    assert t.inputs[0].aval == t.inputs[1].aval and t.inputs[0].dtype == np.float64
    np.testing.assert_array_equal(t(x, x), np.full((2, 2), 6.0))


def test_trace_into_an_existing_graph_composes_with_tf1_code():
    m = Affine()
    w0 = m.weight.copy()
    with static.Graph() as g:
        x = static.placeholder((None, 3), name="x")
        y = static.placeholder((None, 2), name="y")
        out = trace(m, x)
        assert isinstance(out, static.Node) and out.graph is g
        err = ops.sub(out, y)
        loss = ops.mean(ops.mul(err, err))
        train = static.optim.SGD(lr=0.1).minimize(loss)
    assert [v.name for v in g.variables()] == ["weight", "bias"]
    xb = RNG.standard_normal((8, 3)).astype(np.float32)
    yb = RNG.standard_normal((8, 2)).astype(np.float32)
    static.Session(g).run(train, {x: xb, y: yb})
    assert not np.array_equal(m.weight, w0)  # the Module's own arrays were trained
    # A second trace of the same Module into the graph reuses its variables.
    with g.as_default():
        trace(m, x)
    assert len(g.variables()) == 2


def test_trace_returns_the_functions_output_structure_inside_a_graph():
    with static.Graph():
        x = static.placeholder((3,), name="x")
        out = trace(lambda v: {"e": ops.exp(v), "pair": (v, ops.neg(v))}, x)
    assert set(out) == {"e", "pair"} and out["pair"][0] is x and out["pair"][1].op == "neg"


def test_structured_outputs_and_constant_outputs_of_traced():
    t = trace(lambda x: (ops.exp(x), np.float32(2.0)), TensorSpec((2,)))
    assert [n.op for n in t.outputs] == ["exp", "constant"]
    with pytest.raises(ValueError, match="the traced function has 2 outputs; use .outputs"):
        _ = t.output
    e, two = t(np.zeros(2, np.float32))
    np.testing.assert_array_equal(e, [1.0, 1.0])
    np.testing.assert_array_equal(two, 2.0)


def test_python_branch_on_a_symbolic_value_names_the_users_line():
    def bad(x):
        if ops.sum(x) > 0:
            return x
        return ops.neg(x)

    line = here() - 4
    with pytest.raises(TypeError) as info:
        trace(bad, TensorSpec((3,)))
    message = str(info.value)
    assert f"test_tracing.py:{line} in bad" in message
    assert "static.cond" in message and "eager mode" in message
    assert any("while tracing" in note and "bad" in note for note in info.value.__notes__)


def test_function_caches_per_signature_and_keeps_a_ledger():
    m = Affine()
    f = function(m)
    x4 = RNG.standard_normal((4, 3)).astype(np.float32)
    x5 = RNG.standard_normal((5, 3)).astype(np.float32)
    for x in (x4, x4, x5, x4, x4.astype(np.float64), x5):
        expected = numpy_affine(m, x.astype(np.float32)).astype(x.dtype)
        np.testing.assert_allclose(f(x), expected, rtol=1e-6)
    ledger = f.ledger
    assert (ledger.traces, ledger.calls, ledger.hits, ledger.misses) == (3, 6, 3, 3)
    assert [r.reason for r in ledger.records] == [
        "first call", "x: shape (4, 3) -> (5, 3)", "x: dtype float32 -> float64"]
    assert [r.calls for r in ledger.records] == [3, 2, 1]
    assert [r.signature for r in ledger.records] == ["(x: f32[4,3])", "(x: f32[5,3])",
                                                     "(x: f64[4,3])"]
    assert all(r.trace_ms > 0 and r.compile_ms >= 0 and r.nodes >= 6 for r in ledger.records)
    assert ledger.total_ms == pytest.approx(sum(r.trace_ms + r.compile_ms
                                                for r in ledger.records))
    text = str(ledger).splitlines()
    assert text[0] == "TraceLedger(Affine): 3 traces, 6 calls (3 hits, 3 misses)"
    assert text[1].split() == ["#", "signature", "reason", "trace", "ms", "compile", "ms",
                               "1st", "run", "ms", "nodes", "calls"]
    assert all(r.first_run_ms > 0 for r in ledger.records)
    assert text[3].split()[:7] == ["2", "(x:", "f32[5,3])", "x:", "shape", "(4,", "3)"]
    assert text[3].split()[-1] == "2"
    assert "hint" not in str(ledger)  # one shape retrace is no pattern yet
    f(RNG.standard_normal((6, 3)).astype(np.float32))
    assert str(f.ledger).splitlines()[-1] == (
        "  hint: 2 retraces were caused by shape changes; input_signature=[TensorSpec((None, "
        "...))] traces once for all sizes")


def test_function_retraces_on_python_values_and_structure():
    calls = []

    @function
    def power(x, n, scale=1.0):
        calls.append(n)
        out = x
        for _ in range(n - 1):  # Python control flow on Python values is fine
            out = ops.mul(out, x)
        return {"y": ops.mul(out, scale), "n": n}

    x = np.full(2, 2.0, np.float32)
    assert power(x, 3)["y"].tolist() == [8.0, 8.0]
    assert power(x, 3)["n"] == 3 and calls == [3]
    assert power(x, 2)["y"].tolist() == [4.0, 4.0]
    assert power(x, 2, scale=0.5)["y"].tolist() == [2.0, 2.0]
    assert [r.reason for r in power.ledger.records] == [
        "first call", "n: value 3 -> 2", "arguments (x, n) -> (x, n, scale)"]
    assert power.ledger.records[0].signature == "(x: f32[2], n=3)"


def test_function_with_input_signature_traces_once_for_all_batch_sizes():
    m = Affine()
    f = function(m, input_signature=[TensorSpec((None, 3))])
    for n in (1, 4, 9):
        x = RNG.standard_normal((n, 3)).astype(np.float32)
        np.testing.assert_allclose(f(x), numpy_affine(m, x), rtol=1e-6)
    assert f.ledger.traces == 1 and f.ledger.hits == 2
    assert f.ledger.records[0].signature == "(x: f32[?,3])"
    assert f.get_concrete_function(x).inputs[0].shape == (None, 3)
    with pytest.raises(TypeError, match=r"argument x \(TensorSpec\(shape=\(2, 4\).*does not "
                                        r"match the input_signature entry"):
        f(np.zeros((2, 4), np.float32))


def test_function_runs_with_the_modules_current_weights():
    m = Affine()
    f = function(m)
    x = np.ones((1, 3), np.float32)
    first = f(x)
    m.bias -= 1.0
    np.testing.assert_allclose(f(x), first - 1.0, rtol=1e-6)
    assert f.ledger.traces == 1


def test_function_of_a_bound_method_captures_its_modules_parameters():
    m = Affine()
    f = function(m.forward)
    f(np.ones((2, 3), np.float32))
    graph = f.get_concrete_function(np.ones((2, 3), np.float32)).graph
    assert [v.name for v in graph.variables()] == ["weight", "bias"]
    assert graph["weight"].value is m.weight


def test_unhashable_python_argument_is_a_clear_error():
    f = function(lambda x, opts: x)
    with pytest.raises(TypeError, match="argument opts is a set, which is neither an array nor "
                                        "hashable"):
        f(np.ones(2, np.float32), {1, 2})


def test_function_called_on_nodes_inlines_into_the_graph():
    m = Affine()
    f = function(m)
    with static.Graph() as g:
        x = static.placeholder((None, 3), name="x")
        out = f(x)
    assert isinstance(out, static.Node) and out.graph is g and f.ledger.traces == 0
    assert [v.value is p for v, p in zip(g.variables(), (m.weight, m.bias), strict=True)] == [
        True, True]
    xb = np.ones((2, 3), np.float32)
    np.testing.assert_allclose(static.Session(g).run(out, {x: xb}), numpy_affine(m, xb),
                               rtol=1e-6)


def test_tuples_that_are_not_specs_pass_through_as_python_values():
    t = trace(lambda x, pair: ops.mul(x, pair[1]), TensorSpec((2,)), ((1, 2), 3))
    assert len(t.inputs) == 1
    np.testing.assert_array_equal(t(np.ones(2, np.float32)), [3.0, 3.0])


def test_shape_errors_while_tracing_name_the_op_shapes_and_the_modules_line():
    m = Affine(n_in=3)
    line = Affine.forward.__code__.co_firstlineno + 2
    with pytest.raises(ops.ShapeError) as info:
        trace(m, TensorSpec((None, 4)))
    message = str(info.value)
    assert message.startswith("matmul: ") and "(?, 4)" in message and "(3, 2)" in message
    assert f"test_tracing.py:{line} in forward" in message
    assert info.value.__notes__ == ["(raised while tracing Affine into a static graph)"]


def test_function_runs_on_the_chosen_executor():
    seen = []

    class Recording(static.Interpreter):
        def run_node(self, node, args):
            seen.append(node.op)
            return super().run_node(node, args)

    f = function(lambda x: ops.exp(x), executor=Recording)
    np.testing.assert_allclose(f(np.zeros(2, np.float32)), [1.0, 1.0])
    assert seen[-1] == "exp"
