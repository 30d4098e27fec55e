"""The static IR: nodes, names, graph queries, default graphs, meta, operators, lint."""


import numpy as np
import pytest
from caller_line import here

import shared_ops as ops
import static
from benchmarks.static_mlp import mlp_graph
from static.graph import Node


def test_node_fields_and_properties():
    with static.Graph() as g:
        x = static.placeholder((None, 3), name="x")
        y = ops.exp(x)
    assert y.op == "exp" and y.inputs == (x,) and y.attrs == {}
    assert y.shape == (None, 3) and y.dtype == np.float32 and y.ndim == 2
    assert y.graph is g and y.value is None
    assert y.location.lineno == here() - 4
    assert y.meta["role"] == "forward"
    assert repr(y) == "<Node %exp: f32[?,3] = exp>"


def test_names_are_unique_and_readable():
    with static.Graph() as g:
        x = static.placeholder((2,), name="x")
        x2 = static.placeholder((2,), name="x")
        a, b, c = x + x2, x + x2, x + x2
        w = static.variable(np.zeros(2, np.float32), name="fc1.weight")
    assert [n.name for n in (x, x2, a, b, c, w)] == ["x", "x_1", "add", "add_1", "add_2",
                                                     "fc1.weight"]
    assert g["fc1.weight"] is w and "add_2" in g and a in g
    with pytest.raises(KeyError, match="no node named 'nope'"):
        g["nope"]
    g.rename(a, "h1")
    assert a.name == "h1" and g["h1"] is a and "add" not in g


def test_graph_queries():
    with static.Graph() as g:
        x = static.placeholder((2,), name="x")
        w = static.variable([1.0, 2.0], name="w")
        s = static.variable([0.0, 0.0], name="slot", trainable=False)
        y = x * w + s
    assert g.placeholders() == [x]
    assert g.variables() == [w, s] and g.variables(trainable=True) == [w]
    assert len(g) == 5 and list(g) == g.nodes
    assert g.users()[x] == [y.inputs[0]]


def test_default_graph_nesting():
    outer, inner = static.Graph(), static.Graph()
    with outer:
        a = static.placeholder((1,), name="a")
        with inner.as_default():
            b = static.placeholder((1,), name="b")
        c = static.placeholder((1,), name="c")
    assert a.graph is outer and c.graph is outer and b.graph is inner
    assert static.get_default_graph() is not outer
    fresh = static.reset_default_graph()
    assert static.get_default_graph() is fresh and len(fresh) == 0


def test_composite_calls_are_recorded_in_meta():
    with static.Graph() as g:
        x = static.placeholder((4, 3), name="x")
        m = ops.mean(x, axis=1)
    made = [n for n in g.nodes if n.meta.get("composite")]
    assert made and all(n.meta["composite"] == ("mean",) for n in made)
    assert m in made
    with static.Graph() as g2:
        x = static.placeholder((4, 3), name="x")
        ops.clip(x, min=0.0)  # its constant 0.0 is made inside the composite too
    assert all(n.meta.get("composite") == ("clip",) for n in g2.nodes[1:])


def test_bool_of_a_node_names_the_line_and_suggests_cond():
    with static.Graph():
        x = static.placeholder((), name="x")
        with pytest.raises(TypeError) as info:
            line = here() + 1
            if x:
                pass
    msg = str(info.value)
    assert f"test_graph_ir.py:{line}" in msg and "static.cond" in msg and "eager" in msg


def test_nodes_hash_by_identity_and_operators_build_nodes():
    with static.Graph():
        x = static.placeholder((2, 2), name="x")
        y = static.placeholder((2, 2), name="y")
        assert (x == y) is False and x != y and {x: 1}[x] == 1
        cases = {
            "add": x + 1.0, "sub": 1.0 - x, "mul": 2.0 * x, "div": x / y, "pow": x ** 2,
            "matmul": x @ y, "neg": -x, "abs": abs(x), "lt": x < y, "ge": x >= y,
            "transpose": x.T, "reshape": x.reshape(4), "sum": x.sum(axis=1), "exp": x.exp(),
            "cast": x.astype("float64"),
        }
    for op, node in cases.items():
        assert isinstance(node, Node) and node.op == op, op
    assert cases["reshape"].shape == (4,) and cases["sum"].shape == (2,)
    assert cases["cast"].dtype == np.float64
    assert cases["lt"].dtype == np.bool_
    # ndarray on the left defers to the node instead of broadcasting over it
    assert isinstance(np.ones((2, 2), np.float32) + x, Node)


def test_indexing_stages_through_getitem():
    with static.Graph():
        x = static.placeholder((None, 5), name="x")
        row = x[0]
        cols = x[:, 1:3]
    assert row.shape == (5,) and cols.shape == (None, 2)
    assert row.meta["composite"] == ("getitem",)


def test_len_and_iteration_are_explicit():
    with static.Graph():
        x = static.placeholder((3, 2), name="x")
        b = static.placeholder((None, 2), name="b")
    assert len(x) == 3
    with pytest.raises(TypeError, match="not known"):
        len(b)
    with pytest.raises(TypeError, match="cannot be iterated"):
        iter(x)


# --- lint -----------------------------------------------------------------------------------


def _small_graph():
    """The benchmark's static MLP, 3-2-2, with its gradients and an SGD step."""
    weights = [(np.ones((3, 2), np.float32), np.zeros(2, np.float32)),
               (np.ones((2, 2), np.float32), np.zeros(2, np.float32))]
    g, *_ = mlp_graph(weights, optimizer=static.optim.SGD(0.1))
    return g


def test_lint_accepts_built_graphs():
    static.lint(_small_graph())


def test_lint_reports_wrong_aval():
    g = _small_graph()
    h = g["matmul"]
    h.aval = h.aval._replace(shape=(None, 7))
    with pytest.raises(static.LintError, match=r"%matmul \(matmul\) has aval f32\[\?,7\] but"):
        static.lint(g)


def test_lint_reports_order_and_cycles():
    g = _small_graph()
    relu = g["relu"]
    g.nodes.remove(relu)
    g.nodes.append(relu)
    with pytest.raises(static.LintError, match="uses %relu before it is defined"):
        static.lint(g)


def test_lint_reports_unknown_ops_and_foreign_inputs():
    g = _small_graph()
    g["relu"].op = "frobnicate"
    other = static.Graph()
    with other:
        alien = static.placeholder((None, 3), name="x")
    g["matmul"].inputs = (alien, g["fc0.weight"])
    with pytest.raises(static.LintError) as info:
        static.lint(g)
    problems = info.value.problems
    assert any("unknown op 'frobnicate'" in p for p in problems)
    assert any("uses %x, which is not a node of this graph" in p for p in problems)


def test_lint_reports_variable_storage_and_names():
    g = _small_graph()
    g["fc0.weight"].value = np.ones((2, 2), np.float32)
    g["x"].name = "renamed_behind_the_graphs_back"
    with pytest.raises(static.LintError) as info:
        static.lint(g)
    text = str(info.value)
    assert "stores float32(2, 2) but its aval is f32[3,2]" in text
    assert "name table" in text


def test_docstring_examples_run():
    import doctest

    import static.builder
    import static.graph

    for module in (static, static.builder, static.graph):
        result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
        assert result.failed == 0 and result.attempted > 0, module.__name__


def test_static_never_imports_eager():
    import subprocess
    import sys

    code = "import sys, static; print(sorted(m for m in sys.modules if m.split('.')[0] == 'eager'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
