"""No text from a name, a file name or a graph's metadata ever becomes code.

The compiler writes Python source and runs it. A newline (or a carriage return, U+2028,
U+0085...) in a user's file name, a function name or a node's provenance, spliced into a
comment, would put a statement of its author's choosing on its own line. Each test here runs
such a payload, one that would create a marker file, through compiled steps (and control-flow
bodies) and checks that the marker never appears and the results are right. Names that are
Python builtins or names of the generated module compile and run too.
"""

from __future__ import annotations

import importlib.util
import linecache

import numpy as np
import pytest

import shared_ops as ops
import static
from shared_ops.errors import SourceLocation
from static.compiler import source_text

MARKER = "PWNED"
SEPARATORS = ["\n", "\r", "\r\n", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c"]
PAYLOAD = "open('PWNED', 'w').close()"


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    """Run in a fresh directory: the payload would create ``PWNED`` there."""
    monkeypatch.chdir(tmp_path)
    yield
    assert not (tmp_path / MARKER).exists(), "the payload ran"


def _graph_with_control_flow():
    """Ops in the step and in the bodies of a cond, a while_loop and a scan."""
    with static.Graph() as g:
        x = static.placeholder((None, 3), name="x")
        w = static.variable(np.eye(3, dtype=np.float32), name="w")
        h = ops.relu(ops.matmul(x, w))
        c = static.cond(ops.sum(h) > 0, lambda a: a * 2.0, lambda a: a - 1.0, h)
        i, total = static.while_loop(lambda i, s: i < 3, lambda i, s: (i + 1, s * 0.5),
                                     (np.int64(0), c))
        _, ys = static.scan(lambda carry, row: (carry + row, ops.tanh(row)),
                            ops.sum(total, axis=0) * 0.0, total)
        out = ops.sum(ys) + ops.sum(total)
    return g, x, out


def _compiled_and_interpreted(g, x, out):
    feed = np.arange(6, dtype=np.float32).reshape(2, 3)
    expected = static.Interpreter(g).run([out], {x: feed})[0]
    step = static.compile(g, [out], [x])
    np.testing.assert_allclose(step(feed)[0], expected, rtol=1e-6)
    np.testing.assert_allclose(static.Session(g).run(out, {x: feed}), expected, rtol=1e-6)
    return step


@pytest.mark.parametrize("sep", SEPARATORS, ids=ascii)
@pytest.mark.parametrize("field", ["filename", "function"])
def test_a_hostile_source_location_stays_inside_its_comment(sep, field):
    g, x, out = _graph_with_control_flow()
    hostile = f"model.py{sep}{PAYLOAD}{sep}#"
    for n in g.nodes:
        loc = n.location or SourceLocation("model.py", 1, "f")
        n.location = SourceLocation(hostile if field == "filename" else loc.filename,
                                    loc.lineno, hostile if field == "function" else loc.function)
    step = _compiled_and_interpreted(g, x, out)
    assert all(line.isascii() and line.isprintable() for line in step.source.splitlines())


@pytest.mark.parametrize("sep", SEPARATORS, ids=ascii)
def test_hostile_provenance_text_stays_inside_its_comment(sep):
    g, x, out = _graph_with_control_flow()
    for n in g.nodes:
        n.meta["origin"] = frozenset({(f"h{sep}{PAYLOAD}{sep}#", f"a.py{sep}{PAYLOAD}:1"),
                                      (n.name, "model.py:1")})
    step = _compiled_and_interpreted(g, x, out)
    assert "\\n" in step.source or sep != "\n"  # the payload is there, escaped, in comments


@pytest.mark.parametrize("sep", ["\n", "\r", "\u2028", "\x85"], ids=ascii)
def test_a_model_file_whose_name_holds_a_newline(tmp_path, sep):
    """The user's own file is named so: every node built there carries that name."""
    path = tmp_path / f"model{sep}{PAYLOAD}{sep}#.py"
    path.write_text(
        "import numpy as np\nimport shared_ops as ops\nimport static\n\n"
        "def build():\n"
        "    with static.Graph() as g:\n"
        "        x = static.placeholder((None, 2), name='x')\n"
        "        w = static.variable(np.ones((2, 2), np.float32), name='w')\n"
        "        loss = ops.sum(ops.tanh(ops.matmul(x, w)))\n"
        "        train = static.optim.SGD(lr=0.1).minimize(loss)\n"
        "    return g, x, w, loss, train\n")
    spec = importlib.util.spec_from_file_location("hostile_model", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    g, x, w, loss, train = module.build()
    assert sep in g.nodes[-1].location.filename
    sess = static.Session(g)
    before = w.value.copy()
    value, _ = sess.run([loss, train], {x: np.ones((4, 2), np.float32)})
    assert np.isclose(value, 8 * np.tanh(2.0), rtol=1e-6)
    assert not np.array_equal(w.value, before)  # the step ran, and only the step


BUILTIN_NAMES = ["range", "len", "sum", "pow", "min", "max", "np", "abs", "print", "None",
                 "True", "float32", "step", "_make", "_b0", "_add", "k_relu", "do_scan",
                 "__builtins__", "int", "tuple", "list", "copy", "t", "steps", "pred"]


@pytest.mark.parametrize("name", BUILTIN_NAMES)
def test_names_that_are_builtins_or_generated_names_compile_and_run(name, tmp_path):
    with static.Graph() as g:
        w = static.variable(np.full((3,), 0.5, np.float32), name=name)  # a bound value
        x = static.placeholder((None, 3), name=name)  # a parameter of the step
        _, ys = static.scan(lambda c, row: (c * w + row, ops.sum(c)), ops.sum(x, axis=0), x)
        i, s = static.while_loop(lambda i, s: i < 4, lambda i, s: (i + 1, s + w),
                                 (np.int64(0), ops.sum(ys) * w))
        out = ops.sum(s)
    feed = np.arange(6, dtype=np.float32).reshape(2, 3)
    expected = static.Interpreter(g).run([out], {x: feed})[0]
    np.testing.assert_allclose(static.compile(g, [out], [x])(feed)[0], expected, rtol=1e-6)
    loaded = static.load(static.save(g, tmp_path / "saved"))
    by_name = {n.name: n for n in loaded.nodes}
    step = static.compile(loaded, [by_name[out.name]], [by_name[x.name]])
    np.testing.assert_allclose(step(feed)[0], expected, rtol=1e-6)


# -- the rules themselves -----------------------------------------------------------------------

@pytest.mark.parametrize("sep", SEPARATORS + ["'", '"', "\\", "\x00", "é", "\U0001f600"],
                         ids=ascii)
def test_comment_text_is_one_line_of_printable_ascii(sep):
    text = source_text.comment(f"a{sep}b")
    assert text.isascii() and text.isprintable() and "\n" not in text


def test_names_are_ascii_identifiers_that_shadow_nothing():
    names = source_text.Names()
    made = [names.fresh(base) for base in
            ["range", "range", "ﬁ", "fi", "é", "1x", "_add", "", "a.b", "None", "x\ny", "²"]]
    assert len(set(made)) == len(made)
    for name in made:
        assert name.isascii() and name.isidentifier()
        assert name not in source_text.RESERVED and not name.startswith("_")


@pytest.mark.parametrize("value", [3, -1, None, True, "a'\nb", (1, (2, None)), [0, 1], 0.25])
def test_literals_read_back_as_themselves(value):
    import ast
    assert ast.literal_eval(source_text.literal(value)) == value


@pytest.mark.parametrize("value", [np.int64(3), float("nan"), float("inf"), object(),
                                   np.float32, {"a": 1}, (1, object())], ids=repr)
def test_values_that_are_not_plain_literals_are_refused(value):
    with pytest.raises(source_text.UnsafeSourceError, match="not a plain literal"):
        source_text.literal(value)


@pytest.mark.parametrize("bad", ["x = 1\ny = 2", "x = 1\r", "x = '\u2028'", "x = 1\x0c"],
                         ids=ascii)
def test_a_line_outside_printable_ascii_is_never_executed(bad):
    with pytest.raises(source_text.UnsafeSourceError, match="outside printable ASCII"):
        source_text.check_line(bad)


def test_generated_sources_are_released_with_their_steps():
    import gc
    g, x, out = _graph_with_control_flow()
    feed = np.ones((2, 3), np.float32)

    def registered() -> int:
        return sum(k.startswith("<dualgraph-compiled-") for k in linecache.cache)

    gc.collect()
    before = registered()
    for _ in range(50):
        static.compile(g, [out], [x])(feed)
    gc.collect()
    assert registered() == before
