"""Op knowledge lives on the op: compiled code follows the ops' facets, never a table of names.

* Every op with an out form (its ``into``, or its ``ufunc``), on every case of the registry
  walk (tests/shared_ops/cases_*.py) and on the edge cases below (broadcasting, 0-d and flat
  views, where's zero branch, sum_to's layouts, both relu_grad masks, declining forms), is
  compiled as a one-op graph twice: its output in a planned buffer (read by another op) and
  fetched (a new array). Both give the kernel's value, and the planned statement writes into
  its buffer exactly where the form writes ``out``.
* A new primitive declared with ``ufunc=`` or ``into=`` in a test (registered here, removed
  after) compiles into buffers without any change to static/compiler.
* static/compiler names registered ops by string fewer than half as often as the 272 times
  it did when each pass kept its own tables (rewrite rules that match op patterns may).
"""

from __future__ import annotations

import ast
import os
import pathlib
import re
import sys

import numpy as np
import pytest

import shared_ops
import static
from shared_ops import OPS
from shared_ops.forms import form_of
from shared_ops.op_table import register
from shared_ops.registry import Op
from static.compiler import compile, emitters

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "shared_ops"))
from walk_staging import stage_case  # noqa: E402
from walk_support import CASES, case_id  # noqa: E402 -- the shared walk's cases

rng = np.random.default_rng(20261207)


def f32(*shape):
    return rng.standard_normal(shape).astype(np.float32)


def _prob(*shape):
    return rng.uniform(0.05, 0.95, shape).astype(np.float32)


class Case:
    def __init__(self, op, args, attrs=None, id=""):  # noqa: A002
        self.op, self.args, self.attrs, self.id = op, args, attrs or {}, id


EDGES = [
    Case("add", (f32(3, 1), f32(1, 4)), id="broadcast-both"),
    Case("add", (f32(1, 4), f32(4)), id="flat-views"),
    Case("mul", (f32(4, 3), f32(1)), id="one-element"),
    Case("sub", (f32(), f32()), id="0d"),
    Case("maximum", (f32(2, 3), 0.5), id="scalar-constant"),
    Case("gt", (f32(2, 3), f32(3)), id="bool-out"),
    Case("pow", (np.abs(f32(4, 3)) + 0.5, f32(4, 3)), id="declared-ufunc"),
    Case("relu", (f32(4, 3),)),
    Case("sigmoid", (f32(4, 3) * 40,), id="extremes"),
    Case("relu_grad", (f32(4, 3), f32(4, 3)), id="small-float-mask"),
    Case("relu_grad", (f32(128, 128), f32(128, 128)), id="large-bool-mask"),
    Case("relu_grad", (f32(4, 3), f32(1, 3)), id="broadcast-activation"),
    Case("sigmoid_grad", (f32(4, 3), _prob(3)), id="broadcast"),
    Case("tanh_grad", (f32(4, 3), f32(4, 3))),
    Case("where", (f32(4, 3) > 0, f32(4, 3), 0.0), id="zero-branch"),
    Case("where", (f32(4, 3) > 0, f32(4, 3), f32(3)), id="copies"),
    Case("sum_to", (f32(4, 3),), {"shape": (3,)}, id="bias-gradient"),
    Case("sum_to", (f32(4, 3),), {"shape": (1, 3)}, id="keep-a-dim"),
    Case("sum_to", (f32(2, 4, 3),), {"shape": (4, 1)}, id="lead-and-inner"),
    Case("sum_to", (f32(4, 3),), {"shape": (4, 3)}, id="identity"),
    Case("sum", (f32(4, 3),), {"axis": 0}, id="axis-0"),
    Case("sum", (f32(4, 3),), {"axis": 1, "keepdims": True}, id="keepdims"),
    Case("sum", (rng.integers(0, 5, (4, 3)),), {}, id="int-declines"),
    Case("cast", (f32(4, 3),), {"dtype": np.float64}, id="widen"),
    Case("cast", (f32(4, 3),), {"dtype": np.float32}, id="same-dtype"),
    Case("cast", (rng.integers(-3, 3, (4, 3)),), {"dtype": np.float32}, id="from-int"),
    Case("matmul", (f32(4, 3), f32(3, 5)), id="dot"),
    Case("matmul", (f32(2, 4, 3), f32(3, 5)), id="batched"),
    Case("matmul", (f32(3), f32(3)), id="0d"),
    Case("linear_act", (f32(4, 3), f32(3, 5), f32(5)), {"activation": "relu"}, id="relu"),
    Case("linear_act", (f32(1, 3), f32(3, 5), f32(5)), {"activation": "none"}, id="one-row"),
    Case("add_n", ([f32(4, 3), f32(4, 3), f32(1, 3)],), id="broadcast-term"),
    Case("sigmoid_bce", (f32(5, 3) * 30, _prob(5, 3)), {"reduction": "mean"}, id="mean"),
    Case("sigmoid_bce", (f32(5, 3), _prob(5, 3)), {"reduction": "none"}, id="none-declines"),
    Case("clamped_bce", (_prob(5, 3), _prob(5, 3)), {"reduction": "sum"}, id="sum"),
    Case("clamped_bce_grad", (np.float32(1.5), _prob(5, 3), _prob(5, 3)),
         {"reduction": "mean"}, id="mean"),
    Case("softmax_cross_entropy", (f32(6, 4), rng.integers(0, 4, 6)), id="mean"),
    Case("softmax_cross_entropy_grad", (np.float32(0.5), f32(6, 4), rng.integers(0, 4, 6)),
         {"reduction": "sum"}, id="sum"),
    Case("transpose", (f32(2, 3, 4),), {"axes": (2, 0, 1)}, id="axes"),
    Case("transpose", (f32(3, 4),), id="reversed"),
    Case("reshape", (f32(3, 4),), {"shape": (2, -1)}),
    Case("expand_dims", (f32(3, 4),), {"axis": 1}),
    Case("squeeze", (f32(3, 1, 4),), {"axis": 1}),
    Case("broadcast_to", (f32(1, 4),), {"shape": (3, 4)}),
]
FORM_CASES = [c for c in [*CASES, *EDGES]
              if OPS[c.op].primitive and form_of(OPS[c.op]) is not None]


def _staged(c):
    """A graph of the case's one op on placeholders: (graph, feeds, output node)."""
    staged = stage_case(c, unknown_dim=False, convert=_scalar_as_array)
    out, = staged.outs
    return staged.graph, staged.feeds(), out


def _scalar_as_array(a):
    return np.asarray(a) if isinstance(a, np.generic) else a


def _expected(c):
    op = OPS[c.op]
    return np.asarray(op(*c.args, **c.attrs))


@pytest.mark.parametrize("c", FORM_CASES, ids=lambda c: case_id(c))
def test_the_compiled_form_computes_the_kernel(c):
    want = _expected(c)
    g, feeds, y = _staged(c)
    with g:
        reader = shared_ops.stop_gradient(y)  # reads y: y is computed into a planned buffer
    planned = compile(g, [reader], list(feeds), passes=[])
    got = planned.run(feeds)[0]
    assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-6)
    step = planned.plan_for(list(feeds.values()))
    form = emitters.plan(y, [step.avals[i] for i in y.inputs], step.avals[y])
    assert (y in step.plan.buffer_of) == (form is not None and form.writes_out)
    if y in step.plan.buffer_of:
        line = next(ln for ln in step.source.splitlines() if f"# %{y.name} " in ln)
        assert re.search(rf"\b_b{step.plan.buffer_of[y]}\b", line), line
    fetched = compile(g, [y], list(feeds), passes=[]).run(feeds)[0]  # a new array, no buffer
    assert fetched.shape == want.shape and fetched.dtype == want.dtype
    np.testing.assert_allclose(fetched, want, rtol=1e-6, atol=1e-6)


def test_buffers_are_planned_for_the_forms_that_write_them():
    g, feeds, y = _staged(EDGES[0])
    with g:
        reader = shared_ops.stop_gradient(y)
    step = compile(g, [reader], list(feeds), passes=[]).plan_for(list(feeds.values()))
    assert y in step.plan.buffer_of and "_add(in0, in1, out=_b0)" in step.source


# --- a new op, declared in a test, compiled without touching the compiler ------------------
@pytest.fixture
def new_ops():
    """Two primitives registered for one test: one that is a ufunc (``hypot``), one with an
    out form of its own (``x * x + 1``). Removed from the registry afterwards."""
    from shared_ops.ops._rules import broadcast_binary, same_as_input

    def square_plus_one_into(w):
        w.call(np.multiply, w.arg(0), w.arg(0), out=w.out)
        return w.call(np.add, w.out, w.scalar(1), out=w.out)

    made = [
        register(Op("test_hypot", np.hypot, broadcast_binary("test_hypot"), None,
                    differentiable_output=False, elementwise=True, inplace_safe=True)),
        register(Op("test_square_plus_one", lambda x: x * x + 1, same_as_input, None,
                    differentiable_output=False, fresh=True, into=square_plus_one_into)),
    ]
    yield made
    for op in made:
        del OPS[op.name]


def test_a_new_primitive_compiles_into_buffers(new_ops):
    hypot, square_plus_one = new_ops
    assert hypot.ufunc is np.hypot and hypot.fresh  # derived from the kernel
    g = static.Graph()
    with g:
        x = static.placeholder((3, 4), name="x")
        y = static.placeholder((4,), name="y")
        h = hypot(x, y)
        s = square_plus_one(h)
        out = shared_ops.exp(s)
    c = compile(g, [out], [x, y])
    xb, yb = f32(3, 4), f32(4)
    np.testing.assert_allclose(c(xb, yb)[0], np.exp(np.hypot(xb, yb) ** 2 + 1), rtol=1e-6)
    assert "_hypot(x, y, out=_b" in c.source
    assert "_multiply(test_hypot, test_hypot, out=_b" in c.source and "k_test" not in c.source


# --- no tables of ops in the compiler ----------------------------------------------------------
BEFORE = 272  # op-name strings in static/compiler before the facets (issue 15)


def test_the_compiler_names_ops_less_than_half_as_often():
    root = pathlib.Path(static.__file__).parent / "compiler"
    count = {}
    for path in sorted(root.rglob("*.py")):
        names = [n.value for n in ast.walk(ast.parse(path.read_text()))
                 if isinstance(n, ast.Constant) and isinstance(n.value, str) and n.value in OPS]
        if names:
            count[path.name] = len(names)
    assert sum(count.values()) < BEFORE / 2, (
        f"static/compiler names registered ops {sum(count.values())} times ({count}): "
        "declare what the compiler needs to know as a facet of the op (shared_ops/registry.py)")
