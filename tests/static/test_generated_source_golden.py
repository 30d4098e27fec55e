"""The readable generated source of three zoo models: it runs on its own, and it is pinned.

`Compiled.readable_source` is the step as a self-contained module: a header defines every name
the step reads, then ``def step(...)``, one statement a line. For simplenet, mlp_digits and
gru_seq (a training step: forward, loss, gradients, SGD update) this checks that the source
parses, reads no undefined name, and, exec'd in a fresh namespace with the variables' values
assigned to the header's arrays, computes what the compiled step computes; and that the
graph's listing and the source are exactly the texts under tests/static/golden/.

When a change to either is intended, regenerate the goldens with

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/static/test_generated_source_golden.py

and read the diff.
"""

from __future__ import annotations

import ast
import builtins
import os
import pathlib
import symtable

import numpy as np
import pytest

import static
from compare.zoo import ZOO
from static.tracing import trace

GOLDEN = pathlib.Path(__file__).parent / "golden"
MODELS = ["simplenet", "mlp_digits", "gru_seq"]


def build(name: str):
    """The model's SGD training step, compiled for its first batch: (compiled, feeds)."""
    case = ZOO[name].factory(np.dtype(np.float32))
    inputs, targets = case.batches[0]
    arrays = [*inputs, *targets]
    with static.Graph() as g:
        phs = [static.placeholder(tuple(None if d in case.dynamic_dims else s
                                        for d, s in enumerate(a.shape)), a.dtype,
                                  name=f"x{k}" if k < len(inputs) else f"y{k - len(inputs)}")
               for k, a in enumerate(arrays)]
        out = trace(case.model, *phs[:len(inputs)])
        loss = case.loss(out, *phs[len(inputs):])
        train = static.optim.SGD(lr=case.lr).minimize(loss)
    compiled = static.compile(g, [out, loss, train], phs)
    return g, compiled, arrays


def free_names(source: str) -> set[str]:
    """Names some scope of ``source`` reads as globals that the module never binds."""
    top = symtable.symtable(source, "<readable>", "exec")
    defined = {s.get_name() for s in top.get_symbols() if s.is_assigned() or s.is_imported()}
    free, tables = set(), [top]
    while tables:
        t = tables.pop()
        tables.extend(t.get_children())
        for s in t.get_symbols():
            if s.is_referenced() and (s.is_global() or t is top) and not s.is_assigned() \
                    and not s.is_imported() and not s.is_parameter():
                free.add(s.get_name())
    return free - defined - set(dir(builtins))


@pytest.fixture(scope="module", params=MODELS)
def model(request):
    return request.param, *build(request.param)


def test_readable_source_parses_and_defines_every_name(model):
    _, _, compiled, _ = model
    source = compiled.readable_source
    tree = ast.parse(source)
    assert not free_names(source)
    for node in ast.walk(tree):  # no builtin is ever rebound
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            assert node.id not in dir(builtins), node.id
    for line in source.splitlines():  # one statement a line
        assert len(ast.parse(line.strip()).body) <= 1 if line.strip() and not \
            line.rstrip().endswith(":") else True, line


def test_readable_source_computes_what_the_step_computes(model):
    _, _, compiled, arrays = model
    compiled(*[a.copy() for a in arrays])  # plans for these shapes (and trains once)
    step, source = compiled._last, compiled.readable_source
    header = {ln.split(" = ")[0]: ln for ln in source.splitlines() if " = " in ln}
    namespace: dict[str, object] = {}
    exec(compile(source, "<readable>", "exec"), namespace)  # noqa: S102
    for name, value in step.bound.items():  # the variables' values, into the header's arrays
        if "bound at run time" in header.get(name, ""):
            namespace[name][...] = value
    got = namespace["step"](*[a.copy() for a in arrays])
    expected = compiled(*[a.copy() for a in arrays])
    assert len(got) == len(expected)
    for a, b in zip(got, expected, strict=True):
        if a is None or b is None:
            assert a is b
        else:
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    variables = [n for n in step.bound if "# variable" in header.get(n, "")]
    assert variables
    for name in variables:  # both applied the same update
        np.testing.assert_allclose(namespace[name], step.bound[name], rtol=1e-5, atol=1e-6)


def _golden(path: pathlib.Path, text: str) -> None:
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text)
    assert path.exists(), f"{path.name} missing: run UPDATE_GOLDEN=1 pytest {__file__}"
    assert text == path.read_text(), f"{path.name} changed (UPDATE_GOLDEN=1 to accept)"


def test_listing_and_source_match_the_goldens(model):
    name, g, compiled, arrays = model
    compiled(*[a.copy() for a in arrays])
    _golden(GOLDEN / f"{name}.listing.txt", str(g) + "\n")
    _golden(GOLDEN / f"{name}.step.py.txt", compiled.readable_source)


def run_readable(compiled, arrays) -> list:
    """``compiled.readable_source`` exec'd in a fresh namespace (arrays bound at run time
    filled from the compiled step's), then its step called on ``arrays``."""
    step, source = compiled._last, compiled.readable_source
    assert not free_names(source)
    header = {ln.split(" = ")[0]: ln for ln in source.splitlines() if " = " in ln}
    namespace: dict[str, object] = {}
    exec(compile(source, "<readable>", "exec"), namespace)  # noqa: S102
    for name, value in step.bound.items():
        if "bound at run time" in header.get(name, ""):
            namespace[name][...] = value
    return namespace["step"](*[a.copy() for a in arrays])


def test_readable_source_of_control_flow_runs():
    import shared_ops as ops
    v = np.array([0.5, -1.0, 2.0], np.float32)
    xs = np.arange(12, dtype=np.float32).reshape(4, 3) / 10
    with static.Graph() as g:
        x = static.placeholder((3,), name="x")
        seq = static.placeholder((None, 3), name="seq")
        w = static.variable(np.eye(3, dtype=np.float32) * 0.5, name="cell.weight")
        y = ops.cond(ops.sum(x) > 0, lambda a: ops.sin(a) * a, lambda a: a * a, x)
        h, ys = static.scan(lambda c, t: (ops.tanh(ops.matmul(w, c) + t), c * t), y, seq)
        loss = ops.sum(h) + ops.sum(ys)
        grads = static.gradients(loss, [x, w])
    compiled = static.compile(g, [loss, *grads], [x, seq])
    expected = compiled(v, xs)
    source = compiled.readable_source
    assert "def step(x, seq):" in source and "cell_weight" in source
    for a, b in zip(run_readable(compiled, [v, xs]), expected, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_readable_source_keeps_hostile_names_in_comments():
    evil = "w\nimport os  # \u2028é"
    with static.Graph() as g:
        x = static.placeholder((2,), name="x\nos.system('echo')")
        w = static.variable(np.arange(40, dtype=np.float32)[:2] + 100, name=evil)
        out = x * w
    compiled = static.compile(g, [out], [x])
    source = compiled.readable_source
    assert "\nimport os" not in source and "os.system" not in source.split("#")[0]
    assert all(line.isascii() and line.isprintable() for line in source.splitlines())
    assert not free_names(source)
    np.testing.assert_allclose(run_readable(compiled, [np.ones(2, np.float32)])[0],
                               compiled(np.ones(2, np.float32))[0])
