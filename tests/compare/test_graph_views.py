"""The eager tape as a graph, and the networkx checks between the tape and the static graph."""

import networkx as nx
import numpy as np
import pytest

from compare import graph_views as gv
from compare.modes import StaticTwin
from compare.training import make_twins
from compare.zoo import model_names


@pytest.mark.parametrize("name", model_names())
def test_tape_and_traced_forward_are_the_same_graph(name):
    case_e, case_s = make_twins(name, np.dtype("float64"), 0)
    inputs, targets = case_e.batches[0]
    values = {}
    tape = gv.tape_graph(case_e.model, inputs, targets, case_e.loss, values)
    plan = StaticTwin(case_s).plan_for(inputs, targets)
    if any(n.op in ("scan", "while_loop", "cond") for n in plan.graph.nodes):
        pytest.skip("a loop held as one control node (gru_epoch's scan) is unrolled on the tape")
    result = gv.compare_structure(gv.differentiable_view(gv.graph_nx(tape)),
                                  gv.differentiable_view(gv.graph_nx(plan.graph)))
    assert result["same_graph"], result
    # Weights and inputs pin the alignment: every tape op finds its static node.
    feeds = {p.name: a for p, a in zip(plan.inputs + plan.targets, [*inputs, *targets],
                                       strict=True)}
    mapping = gv.align(plan.graph, gv.node_values(plan.graph, feeds), tape, values)
    ops_tape = {n.name: n.op for n in tape.nodes}
    forward_ops = set(gv.differentiable_view(gv.graph_nx(plan.graph)))
    assert forward_ops <= set(mapping)  # every op of the forward is aligned
    assert all(ops_tape[mapping[s]] == plan.graph[s].op for s in forward_ops)
    assert values and all(isinstance(v, np.ndarray) for v in values.values())


def _graph(ops, edges):
    g = nx.DiGraph()
    g.add_node("w", op="variable", role="forward", dtype="float64")
    for name, op in ops.items():
        g.add_node(name, op=op, role="forward", dtype="float64")
    g.add_edges_from(edges)
    return g


def test_compare_structure_reports_op_count_differences():
    a = _graph({"m": "matmul", "r": "relu"}, [("w", "m"), ("m", "r")])
    b = _graph({"f": "linear_act"}, [("w", "f")])
    r = gv.compare_structure(gv.differentiable_view(a), gv.differentiable_view(b))
    assert not r["same_graph"]
    assert r["op_count_differences"] == {"linear_act": {"eager": 0, "static": 1},
                                         "matmul": {"eager": 1, "static": 0},
                                         "relu": {"eager": 1, "static": 0}}


def test_compare_structure_sees_rewiring_with_equal_op_counts():
    a = _graph({"m": "exp", "r": "log"}, [("w", "m"), ("m", "r")])
    b = _graph({"m": "exp", "r": "log"}, [("w", "m"), ("w", "r")])
    r = gv.compare_structure(gv.differentiable_view(a), gv.differentiable_view(b))
    assert not r["same_graph"] and r["op_count_differences"] == {}
    assert "structures differ" in r["note"]
