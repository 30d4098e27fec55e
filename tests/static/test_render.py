"""Diagrams (graphviz) and the networkx export of static graphs."""

import os
import shutil
from pathlib import Path

import numpy as np
import pytest

import shared_ops as ops
import static
from shared_ops.registry import Composite
from static.networkx_export import to_networkx
from static.render import RenderWarning, render, to_dot

GOLDEN = Path(__file__).parent / "golden"


def small_graph():
    """x @ w + 1.0, with a highlighted add: the golden diagram."""
    with static.Graph() as g:
        x = static.placeholder((None, 3), name="x")
        w = static.variable(np.ones((3, 2), np.float32), name="w")
        y = ops.add(x @ w, 1.0)
        ops.sum(y, axis=1, keepdims=True)
    return g


def trained_graph():
    """A graph with forward, gradient and update parts."""
    with static.Graph() as g:
        x = static.placeholder((None, 3), name="x")
        w = static.variable(np.ones((3, 1), np.float32), name="w")
        h = x @ w
        loss = ops.mean(ops.mul(h, h))
        static.optim.SGD(lr=0.1).minimize(loss)
    return g


def test_dot_text_matches_golden():
    source = to_dot(small_graph(), highlight=["add"], locations=False).source
    golden = GOLDEN / "small_graph.dot"
    if os.environ.get("DUALGRAPH_UPDATE_GOLDEN"):
        golden.write_text(source)
    assert source == golden.read_text()


def test_nodes_are_labelled_with_op_and_shape_and_edges_with_aval():
    source = to_dot(small_graph()).source
    assert 'label="%matmul\\nmatmul\\nf32[?,2]"' in source
    assert 'label="%sum\\nsum\\naxis=1, keepdims=True\\nf32[?,1]"' in source
    assert 'n0 -> n2 [label="f32[?,3]"]' in source  # x feeds matmul
    assert "shape=invhouse" in source and "shape=cylinder" in source and "shape=note" in source
    assert 'tooltip="test_render.py:' in source  # the user's line, by default


def test_roles_are_clustered():
    g = trained_graph()
    source = to_dot(g).source
    for cluster, label in [("forward", "forward"), ("backward", "gradient"),
                           ("update", "update")]:
        assert f"subgraph cluster_{cluster} {{" in source
        assert f"label={label}" in source
    # Every update node sits inside the update cluster: after its header, before the next one.
    update_part = source.split("subgraph cluster_update {")[1].split("}")[0]
    ids = {n: f"n{i}" for i, n in enumerate(g.nodes)}
    for node in g.nodes:
        inside = f"\t\t{ids[node]} [" in update_part
        assert inside == (node.meta["role"] == "update"), node.name


def test_composite_calls_become_sub_clusters():
    with static.Graph() as g:
        x = static.placeholder((4,), name="x")
        Composite("square_plus_one", lambda v: ops.add(ops.mul(v, v), 1.0))(x)
        ops.exp(x)
    with_boxes = to_dot(g).source
    box = with_boxes.split("subgraph cluster_forward_square_plus_one_0 {")[1].split("}")[0]
    assert "label=square_plus_one" in box
    # The call's ops are boxed together; its constant (the 1.0) does not split the box.
    assert "%mul" in box and "%add" in box and "%constant" not in box and "%exp" not in box
    assert "square_plus_one" not in to_dot(g, composites=False).source


def test_highlight_marks_only_the_given_nodes():
    g = small_graph()
    source = to_dot(g, highlight=[g["matmul"]]).source
    marked = [line for line in source.splitlines() if "#cc0000" in line]
    assert len(marked) == 1 and "%matmul" in marked[0]


@pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz `dot` binary not installed")
def test_svg_and_png_files_are_written(tmp_path):
    g = trained_graph()
    svg = render(g, tmp_path / "model.svg", highlight=["train"])
    assert svg == tmp_path / "model.svg"
    text = svg.read_text()
    assert text.lstrip().startswith("<?xml") and "<svg" in text and "matmul" in text
    png = render(g, tmp_path / "model", fmt="png")
    assert png.suffix == ".png" and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_dot_format_needs_no_binary(tmp_path):
    out = render(small_graph(), tmp_path / "g", fmt="dot")
    assert out == tmp_path / "g.dot" and out.read_text().startswith("digraph dualgraph {")


def test_missing_dot_binary_writes_dot_and_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.warns(RenderWarning, match="apt-get install graphviz") as record:
        out = render(small_graph(), tmp_path / "g.svg")
    assert out == tmp_path / "g.dot" and out.exists()
    assert not (tmp_path / "g.svg").exists()
    assert f"dot -Tsvg {tmp_path / 'g'}.dot" in str(record[0].message)


def test_unknown_format_is_rejected(tmp_path):
    with pytest.raises(ValueError, match="fmt must be one of svg, png, pdf, dot, got 'gif'"):
        render(small_graph(), tmp_path / "g", fmt="gif")


def test_networkx_export_has_node_and_edge_attributes():
    g = trained_graph()
    nx_graph = to_networkx(g)
    assert list(nx_graph.nodes) == [n.name for n in g.nodes]
    w = nx_graph.nodes["w"]
    assert (w["op"], w["shape"], w["dtype"], w["role"]) == ("variable", (3, 1), "float32",
                                                             "forward")
    assert w["location"].startswith("test_render.py:")
    assert nx_graph.nodes["train"]["role"] == "update"
    assert {d["role"] for _, d in nx_graph.nodes(data=True)} == {"forward", "backward", "update"}
    assert nx_graph.edges["x", "matmul"] == {"index": (0,), "shape": (None, 3),
                                             "dtype": "float32"}
    mul = next(n for n in g.nodes if n.op == "mul" and n.inputs[0] is n.inputs[1])
    assert nx_graph.edges[mul.inputs[0].name, mul.name]["index"] == (0, 1)
    import networkx as nx

    assert nx.is_directed_acyclic_graph(nx_graph)
    assert list(nx.topological_sort(nx_graph))[0] == "x"


def test_traced_results_draw_and_export_their_graph():
    from static.tracing import TensorSpec, trace

    t = trace(lambda v: ops.exp(v), TensorSpec((2,)))
    source = to_dot(t, locations=False).source
    assert source.replace(" peripheries=2", "") == to_dot(t.graph, locations=False).source
    assert [line for line in source.splitlines() if "peripheries=2" in line] == [
        '\t\tn1 [label="%exp\\nexp\\nf32[2]" fillcolor=white peripheries=2 shape=box '
        'style="rounded,filled"]']
    assert list(to_networkx(t).nodes) == ["v", "exp"]
