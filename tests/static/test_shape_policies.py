"""Shape policies of `static.function` (exact / dynamic / buckets), unknown dims flowing through
the compiler with plans per concrete shape, and the ledger's payback estimate."""

import numpy as np
import pytest

import shared_ops as ops
import static
from static.compiler.executor import CompiledExecutor
from static.shape_policy import Buckets, Dynamic, as_policy
from static.trace_ledger import CallArg, TraceLedger, TraceRecord

RNG = np.random.default_rng(0)


def seqs(lengths, batch=2):
    return [RNG.standard_normal((batch, n)) for n in lengths]


def test_exact_traces_per_length_and_dynamic_once():
    exact = static.function(lambda x: ops.sum(ops.tanh(x), axis=1))
    dynamic = static.function(lambda x: ops.sum(ops.tanh(x), axis=1), shape_policy="dynamic")
    for x in seqs([3, 7, 3, 9]):
        np.testing.assert_allclose(exact(x), np.tanh(x).sum(1))
        np.testing.assert_allclose(dynamic(x), np.tanh(x).sum(1))
    assert (exact.ledger.traces, exact.ledger.hits) == (3, 1)
    assert (dynamic.ledger.traces, dynamic.ledger.hits) == (1, 3)
    record = dynamic.ledger.records[0]
    assert record.signature == "(x: f64[?,?])"
    assert len(record.shapes) == 3  # concrete shapes run on the one trace
    assert str(dynamic.ledger).splitlines()[0].endswith(
        "<lambda>, dynamic): 1 trace, 4 calls (3 hits, 1 miss)")


def test_dynamic_axes_keep_the_other_dims_and_the_compiler_plans_per_shape():
    f = static.function(lambda x: ops.mul(x, 2.0), shape_policy=Dynamic(axes=[1]),
                        executor=CompiledExecutor)
    for x in seqs([3, 5, 3]) + seqs([3], batch=4):
        np.testing.assert_allclose(f(x), 2 * x)
    assert [r.signature for r in f.ledger.records] == ["(x: f64[2,?])", "(x: f64[4,?])"]
    assert [len(r.shapes) for r in f.ledger.records] == [2, 1]
    executor = f._cache[next(iter(f._cache))].session.executor
    assert [len(c.cache) for c in executor.compiled.values()] == [2]  # one plan per shape


def test_buckets_pad_pass_lengths_and_cut_outputs():
    seen = []

    def f(x, lengths):
        seen.append(x.shape)
        return ops.mul(x, 3.0), lengths

    g = static.function(f, shape_policy=Buckets([4, 8], axis=1, pad_value=-1))
    for n in (3, 4, 6, 2):
        x = RNG.standard_normal((2, n))
        y, lengths = g(x)
        np.testing.assert_allclose(y, 3 * x)  # cut back to the call's length
        np.testing.assert_array_equal(lengths, [n, n])
    assert seen == [(2, 4), (2, 8)]  # traced with the bucket sizes, once per bucket
    assert (g.ledger.traces, g.ledger.hits) == (2, 2)
    assert g.get_concrete_function(np.ones((2, 5))).inputs[0].aval.shape == (2, 8)
    assert g.ledger.records[1].signature == "(x: f64[2,8], lengths: i64[2])"
    assert [(r.real_steps, r.pad_steps) for r in g.ledger.records] == [(9, 3), (6, 2)]
    text = str(g.ledger).splitlines()
    assert text[1].split()[-2:] == ["pad", "%"] and text[2].split()[-1] == "25"
    assert "hint" not in str(g.ledger)


def test_buckets_keep_the_callers_lengths_and_pad_only_the_named_inputs():
    b = Buckets([5], axis=1, pad=["x"])
    x, tgt, lengths = np.ones((2, 3)), np.ones((2, 3)), np.array([3, 1])
    args, kwargs, cut = b.prepare(["x", "tgt"], (x, tgt), {"lengths": lengths})
    assert args[0].shape == (2, 5) and args[0][:, 3:].sum() == 0 and args[1] is tgt
    assert kwargs["lengths"] is lengths and cut == (5, 3)
    with pytest.raises(ValueError, match="exceeds the largest bucket 5"):
        b.prepare(["x"], (np.ones((2, 6)),), {})
    with pytest.raises(ValueError, match="disagree"):
        Buckets([8]).prepare(["a", "b"], (np.ones((2, 3)), np.ones((2, 4))), {})


def test_policy_arguments_are_checked():
    assert repr(as_policy("exact")) == "exact" and repr(as_policy("dynamic")) == "dynamic"
    assert repr(Buckets([32, 8])) == "buckets=[8, 32]"
    with pytest.raises(ValueError, match="shape_policy must be"):
        static.function(lambda x: x, shape_policy="sometimes")
    with pytest.raises(ValueError, match="not both"):
        static.function(lambda x: x, input_signature=[((None,), "float32")],
                        shape_policy="dynamic")
    with pytest.raises(ValueError, match="positive"):
        Buckets([])
    leaf = Dynamic(axes=[-1]).generalize(CallArg("x", (2, 3), np.dtype("float32")))
    assert leaf.shape == (2, None)


def test_payback_is_the_break_even_call_count():
    ledger = TraceLedger("f")
    record = TraceRecord("(x: f32[2])", "first call", trace_ms=90.0, compile_ms=10.0, nodes=3)
    for ms in (12.0, 2.0, 2.0, 2.0):  # first run plans (10 ms extra), then 2 ms per call
        record.ran(ms)
    record.calls = 4
    ledger.records.append(record)
    ledger.misses, ledger.hits = 1, 3
    # one-off 100 ms + 10 ms first-run excess; saving 5 - 2 = 3 ms per call -> 37 calls
    assert record.steady_ms == 2.0
    assert ledger.payback(0.005) == 37
    assert str(ledger).splitlines()[-1] == (
        "  payback: eager 5.000 ms/call, compiled 2.000 ms/call; pays back after 37 calls "
        "(4 made: not yet paid back)")
    assert ledger.payback(0.001) is None
    assert str(ledger).endswith("never pays back its trace and compile cost")
