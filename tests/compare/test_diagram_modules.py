"""Readable diagrams: nodes framed by module, modules collapsed into boxes, the legend, and
the layout settings that keep big graphs fast (DOT text checked; one real layout)."""

from __future__ import annotations

import re
import shutil

import numpy as np
import pytest

import eager.nn as nn
import shared_ops as ops
import static
from compare.diagram_passes import draw_all, render_passes
from static.render import BIG_GRAPH, to_dot


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.inner, self.out = nn.Linear(3, 3), nn.Linear(3, 2)

    def forward(self, x):
        return self.out(ops.relu(self.inner(x)))


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.block = Block()
        self.head = nn.Linear(2, 1)

    def forward(self, x):
        return ops.softmax(self.head(self.block(x)), axis=-1)


def traced_training_graph():
    model = Net()
    with static.Graph() as g, static.module_scopes(model):
        x = static.placeholder((None, 3), np.float32, name="x")
        loss = ops.mean(static.trace(model, x))
        variables = g.variables(trainable=True)
        grads = static.gradients(loss, variables)
        static.optim.SGD(lr=0.1).apply_gradients(zip(grads, variables, strict=True))
    return g


def clusters(source: str) -> list[str]:
    return re.findall(r"subgraph (cluster_\w+)", source)


def test_nodes_are_framed_by_module_path_nested():
    src = to_dot(traced_training_graph(), locations=False).source
    names = clusters(src)
    for role in ("forward", "backward", "update"):
        assert f"cluster_{role}_m_block" in names and f"cluster_{role}_m_block_inner" in names
    assert 'label="block.inner (Linear)"' in src and 'label="block (Block)"' in src
    # block.inner's frame sits inside block's frame (nested subgraph blocks)
    fwd = src[src.index("subgraph cluster_forward_m_block {"):]
    assert fwd.index("cluster_forward_m_block_inner") < fwd.index("cluster_forward_m_head")


def test_collapse_draws_each_top_module_as_one_box_with_merged_edges():
    g = traced_training_graph()
    src = to_dot(g, locations=False, collapse=1).source
    assert not any("_m_" in c for c in clusters(src))
    boxes = re.findall(r"^\s*(\w+_box_\w+) \[label=\"([^\"]*)\"", src, re.M)
    labels = {b: lab for b, lab in boxes}
    assert labels["forward_box_block"] == "block (Block)\\n7 ops, 4 params\\nout: f32[?,2]"
    assert labels["forward_box_head"].startswith("head (Linear)\\n3 ops, 2 params")
    assert {"backward_box_block", "update_box_block", "update_box_head"} <= set(labels)
    edges = re.findall(r"(\w+) -> (\w+)", src)
    assert len(edges) == len(set(edges))  # parallel edges into a box merged
    assert not any(a == b for a, b in edges)  # no edge from a box to itself
    # the variables went into their module's box: no parameter node is drawn on its own
    assert 'label="%block.inner.weight' not in src


def test_graph_without_module_scopes_draws_as_before():
    with static.Graph() as g:
        x = static.placeholder((2, 3), np.float32, name="x")
        static.relu(x)
    plain = to_dot(g).source
    assert plain == to_dot(g, modules=True, collapse=1).source  # no modules: nothing to do
    assert "cluster_legend" in to_dot(g, legend=True).source


def test_big_graphs_get_fast_layout_settings_and_tooltip_avals():
    with static.Graph() as g:
        h = static.placeholder((2, 3), np.float32, name="x")
        for _ in range(BIG_GRAPH // 2 + 1):
            h = static.relu(static.neg(h))
    src = to_dot(g).source
    assert "splines=line" in src and "nslimit=0.5" in src and "newrank=true" in src
    assert "tooltip=" in src and 'label="f32[2,3]"' not in src.split("->", 1)[1]
    small = to_dot(traced_training_graph()).source
    assert "splines=line" not in small


@pytest.mark.skipif(shutil.which("dot") is None, reason="graphviz `dot` not installed")
def test_per_pass_diagrams_skip_unchanged_passes_and_layout_runs_in_parallel(tmp_path):
    g = traced_training_graph()
    fetches = [n for n in g.nodes if n.op == "assign"]
    done = []
    summary, why = render_passes(g, tmp_path, fetches, on_done=done.append)
    assert why is None
    table = summary.read_text()
    svgs = sorted(p.name for p in tmp_path.glob("*.svg"))
    assert svgs[0] == "00-input.svg" and sorted(done) == svgs
    assert table.count("unchanged: no diagram") == \
        sum(1 for line in table.splitlines()[4:] if "unchanged" in line)
    for name in svgs:  # every file the table names exists
        assert name in table
    names = draw_all([(g, tmp_path / "a", {"collapse": 1, "legend": True}),
                      (g, tmp_path / "b", {})])
    assert names == ["a.svg", "b.svg"] and (tmp_path / "a.svg").read_text().startswith("<?xml")


def test_the_eager_tape_gets_the_same_module_tags_as_the_trace():
    from compare.graph_views import tape_graph

    model = Net()
    x = np.ones((2, 3), np.float32)
    tape = tape_graph(model, [x], [], lambda out: ops.mean(out))
    tagged = {(n.op, n.meta.get("module")) for n in tape.nodes if n.inputs}
    assert ("relu", "block") in tagged  # made in Block.forward, outside its Linears
    assert ("matmul", "block.inner") in tagged and ("matmul", "head") in tagged
    assert ("exp", None) in tagged  # the model's own softmax: no submodule
    src = to_dot(tape, collapse=1).source
    assert "forward_box_block" in src and "forward_box_head" in src


def test_overview_boxes_composite_calls_outside_modules():
    src = to_dot(traced_training_graph(), collapse=1).source
    calls = re.findall(r'^\s*(\w+_call_softmax_\d+) \[label="softmax\(\)\\n(\d+) ops', src, re.M)
    assert calls and int(calls[0][1]) >= 2  # the model's own softmax: one box
    assert "cluster_forward_softmax" not in src  # not the full view's dashed frame
