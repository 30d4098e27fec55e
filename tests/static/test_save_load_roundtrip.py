"""Nothing saved is lost: `static.save` refuses, writing nothing, whatever `static.load` would
refuse, and whatever it writes loads back as the same graph (listing, nodes, values).
Random graphs (op chains with a control-flow node, names of any characters) and random text
in locations and meta check both halves."""

from __future__ import annotations

import tempfile
import unicodedata
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import shared_ops as ops
import static
from shared_ops.aval import Aval
from shared_ops.errors import SourceLocation
from static import SerializationError
from static.serialize_codec import MAX_TEXT_LENGTH

REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}  # serialize_codec's text rule


# -- nesting: one limit for save and load ---------------------------------------------------

def _nested_conds(depth: int) -> static.Graph:
    def nest(x, d):
        if d == 0:
            return x * 2.0
        return static.cond(ops.sum(x) > 0, lambda v: nest(v, d - 1), lambda v: v, x)

    with static.Graph() as g:
        nest(static.placeholder((2,), name="x"), depth)
    return g


def test_nesting_as_deep_as_load_allows_saves_and_loads(tmp_path):
    g = _nested_conds(32)
    loaded = static.load(static.save(g, tmp_path / "m"))
    assert str(loaded) == str(g)
    assert static.Session(loaded).run("cond.0", {"x": np.ones(2, np.float32)}).tolist() == [2, 2]


@pytest.mark.parametrize("depth", [33, 40])
def test_deeper_nesting_is_refused_by_save_with_nothing_written(tmp_path, depth):
    with pytest.raises(SerializationError, match=r"save: %cond nests bodies deeper than 32 "
                                                 r"levels, which load refuses.*nothing was "
                                                 r"written"):
        static.save(_nested_conds(depth), tmp_path / "m")
    assert not (tmp_path / "m").exists()


def test_save_and_load_share_the_nesting_limit(tmp_path, monkeypatch):
    g = _nested_conds(3)
    path = static.save(g, tmp_path / "m")
    monkeypatch.setattr("static.serialize_nodes.MAX_BODY_DEPTH", 2)
    with pytest.raises(SerializationError, match="deeper than 2 levels"):
        static.save(g, tmp_path / "n")
    with pytest.raises(SerializationError, match="deeper than 2 levels"):
        static.load(path)
    assert not (tmp_path / "n").exists()


# -- what load refuses, save refuses first --------------------------------------------------

def _small_graph():
    with static.Graph() as g:
        x = static.placeholder((None, 2), name="x")
        static.exp(x)
    return g


def test_a_file_name_with_a_newline_is_refused_by_save(tmp_path):
    g = _small_graph()
    g["exp"].location = SourceLocation("odd\nname.py", 3, "f")
    with pytest.raises(SerializationError, match=r"^save: .*graph.json: node 1 \(%exp\): field "
                                                 r"'location': file name 'odd\\nname.py' holds "
                                                 r"U\+000A.*nothing was written"):
        static.save(g, tmp_path / "m")
    assert not (tmp_path / "m").exists()


def test_a_declared_shape_over_the_limit_is_refused_by_save(tmp_path):
    g = _small_graph()
    g.add_node("placeholder", (), {}, Aval((10**6, 10**6), np.dtype(np.float32)), name="big")
    with pytest.raises(SerializationError, match=r"node 2 \(%big\): field 'shape': shape is too "
                                                 r"large: output f32\[1000000,1000000\]"):
        static.save(g, tmp_path / "m")
    assert not (tmp_path / "m").exists()


def test_meta_with_no_file_form_is_left_out_and_origin_comes_back_as_a_set(tmp_path):
    g = _small_graph()
    node = g["exp"]
    node.meta.update(cache=object(), origin=frozenset({("exp", "m.py:3"), ("x", "m.py:2")}))
    loaded = static.load(static.save(g, tmp_path / "m"))["exp"]
    assert "cache" not in loaded.meta
    assert loaded.meta["origin"] == node.meta["origin"]
    assert isinstance(loaded.meta["origin"], frozenset)


def test_saving_leaves_the_callers_arrays_as_they_were(tmp_path):
    g = _small_graph()
    value = np.ones(2, np.float32)  # writeable, as a compiler pass might leave a constant
    g.add_node("constant", (), {}, Aval((2,), value.dtype), name="c", value=value)
    static.save(g, tmp_path / "m")
    assert value.flags.writeable


def _has_refused_char(text: str) -> bool:
    return any(unicodedata.category(c) in REFUSED_CATEGORIES for c in text)


TEXTS = st.text(st.one_of(st.characters(), st.sampled_from("\n\r\t\x00\x0b\x0c\x1c\x85\u2028"
                                                            "\u2029\u202e'\"\\ .<>")),
                max_size=24)


@settings(max_examples=60, deadline=None)
@given(TEXTS)
def test_text_saves_exactly_when_it_loads_back_unchanged(text):
    g = _small_graph()
    g["exp"].location = SourceLocation(text, 7, text)
    g["exp"].meta["note"] = text
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "m"
        try:
            static.save(g, path)
        except SerializationError as e:
            assert _has_refused_char(text), e
            assert "node 1 (%exp): field 'location'" in str(e)
            assert not path.exists()
            return
        assert not _has_refused_char(text) and len(text) <= MAX_TEXT_LENGTH
        loaded = static.load(path)["exp"]
    assert loaded.location == g["exp"].location and loaded.meta["note"] == text


# -- random graphs round-trip -----------------------------------------------------------------

UNARY = ("exp", "sin", "tanh", "abs", "neg", "relu", "sigmoid")
STEPS = (*UNARY, "add_w", "scale", "square", "row_sum")
NAMES = st.text(st.one_of(st.characters(), st.sampled_from("_.0aZ\n")), max_size=10)


@st.composite
def programs(draw):
    steps = draw(st.lists(st.tuples(st.sampled_from(STEPS), NAMES,
                                    st.floats(-2, 2, width=32)), min_size=1, max_size=6))
    return {"cols": draw(st.integers(1, 3)), "batch": draw(st.sampled_from([None, 3])),
            "steps": steps, "control": draw(st.sampled_from(["cond", "scan", "while_loop"])),
            "control_at": draw(st.integers(0, len(steps))), "names": draw(st.lists(NAMES,
                                                                                   min_size=2,
                                                                                   max_size=2))}


def _control(kind: str, h):
    if kind == "cond":
        return static.cond(ops.sum(h) > 0, lambda a: ops.tanh(a) * 2.0, lambda a: a - 1.0, h)
    if kind == "scan":
        _, ys = static.scan(lambda c, row: (c + row, c * row), ops.zeros_like(h[0]), h)
        return ys
    h, _ = static.while_loop(lambda v, n: n < 3, lambda v, n: (ops.sin(v), n + 1), (h, 0))
    return h


def build(program) -> static.Graph:
    cols = program["cols"]
    with static.Graph() as g:
        h = x = static.placeholder((program["batch"], cols), name=program["names"][0])
        w = static.variable(np.linspace(-1, 1, cols, dtype=np.float32), name=program["names"][1])
        for i, (step, name, c) in enumerate([*program["steps"], ("", "", 0.0)]):
            if i == program["control_at"]:
                h = _control(program["control"], h)
            if not step:
                break
            if step in UNARY:
                h = getattr(ops, step)(h)
            elif step == "add_w":
                h = h + w
            elif step == "scale":
                h = h * np.float32(c)
            elif step == "square":
                h = h * h
            else:
                h = ops.broadcast_to(ops.sum(h, axis=1, keepdims=True), x)
            g.rename(g.nodes[-1], name or "node")
    return g


def _same_node(a, b) -> None:
    assert (a.op, a.name, a.shape, a.dtype) == (b.op, b.name, b.shape, b.dtype)
    assert a.location == b.location and a.meta == b.meta
    assert set(a.attrs) == set(b.attrs)
    for k, v in a.attrs.items():
        bodies = v if isinstance(v, tuple) and v and hasattr(v[0], "graph") else None
        if bodies is None and hasattr(v, "graph"):
            bodies = (v,)
        if bodies is None:
            assert b.attrs[k] == v and type(b.attrs[k]) is type(v)
            continue
        for p, q in zip(bodies, b.attrs[k] if isinstance(b.attrs[k], tuple) else (b.attrs[k],),
                        strict=True):
            assert p.label == q.label and len(p.graph.nodes) == len(q.graph.nodes)
            for m, n in zip(p.graph.nodes, q.graph.nodes, strict=True):
                _same_node(m, n)


@settings(max_examples=40, deadline=None)
@given(programs())
def test_random_graphs_load_back_the_same_and_run_to_the_same_values(program):
    g = build(program)
    with tempfile.TemporaryDirectory() as d:
        loaded = static.load(static.save(g, Path(d) / "m"))
    assert str(loaded) == str(g)
    for a, b in zip(g.nodes, loaded.nodes, strict=True):
        _same_node(a, b)
    feed = {g.placeholders()[0].name: np.linspace(-2, 2, 3 * program["cols"], dtype=np.float32)
            .reshape(3, program["cols"])}
    fetches = [g.nodes[-1].name]
    np.testing.assert_array_equal(static.Session(loaded).run(fetches, feed),
                                  static.Session(g).run(fetches, feed))


def test_an_optimized_graph_keeps_its_merged_provenance_through_save_and_load(tmp_path):
    """The compiler's merged origins (not frozensets: they point at what they merge) save as
    the pairs they stand for."""
    with static.Graph() as g:
        x = static.placeholder((None, 4), name="x")
        h = x
        for _ in range(5):
            h = ops.reshape(ops.reshape(h, shape=(-1, 2, 2)), shape=(-1, 4))
        out = ops.sum(h)
    optimized = static.compile(g, [out], [x]).graph
    merged = [n for n in optimized.nodes if len(n.meta.get("origin", ())) > 1]
    assert merged, "the chain of reshapes should have been simplified"
    loaded = static.load(static.save(optimized, tmp_path / "optimized"))
    by_name = {n.name: n for n in loaded.nodes}
    for n in merged:
        assert by_name[n.name].meta["origin"] == frozenset(n.meta["origin"])
