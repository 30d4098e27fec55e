"""The readable source spells sizes the graph leaves unknown as names, not as planned ints.

A step is planned for one batch, but where a placeholder's dim is None the readable source
binds ``N = 32  # x0.shape[0]`` and writes every buffer, view, ``ones``, reshape and mean's
divisor derived from it as an expression of ``N``, while sizes the graph knows stay ints
(mlp_digits' hidden size is 32 too). So the source planned at one batch, with only ``N``'s
definition changed, runs at another batch and computes what the compiled step does there.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import shared_ops as ops
import static
from compare.zoo import ZOO
from shared_ops.aval import Aval
from static.compiler.size_symbols import PlannedDim, baked, combine, settle, size_key
from static.tracing import trace


def _build(name: str):
    """The zoo model's SGD step with the batch dim unknown: (compiled, feed arrays)."""
    case = ZOO[name].factory(np.dtype(np.float32))
    inputs, targets = case.batches[0]
    arrays = [*inputs, *targets]
    assert case.dynamic_dims == (0,)
    with static.Graph():
        phs = [static.placeholder((None, *a.shape[1:]), a.dtype, name=f"x{k}")
               for k, a in enumerate(arrays)]
        out = trace(case.model, *phs[:len(inputs)])
        loss = case.loss(out, *phs[len(inputs):])
        train = static.optim.SGD(lr=case.lr).minimize(loss)
    return static.compile(out.graph, [out, loss, train], phs), arrays


def _exec_at(source: str, batch: int) -> dict:
    """``source`` with only ``N``'s definition changed to ``batch``, exec'd."""
    lines = source.splitlines()
    defs = [k for k, ln in enumerate(lines) if re.match(r"N = \d+  # ", ln)]
    assert len(defs) == 1, defs
    lines[defs[0]] = re.sub(r"N = \d+", f"N = {batch}", lines[defs[0]])
    namespace: dict[str, object] = {}
    exec(compile("\n".join(lines) + "\n", "<readable>", "exec"), namespace)  # noqa: S102
    return namespace


@pytest.mark.parametrize("name", ["simplenet", "mlp_digits"])
def test_source_planned_at_one_batch_runs_at_another(name):
    compiled, arrays = _build(name)
    compiled(*[a.copy() for a in arrays])  # planned (and one SGD step) at the zoo's batch
    planned = arrays[0].shape[0]
    step, source = compiled._last, compiled.readable_source
    assert re.search(rf"\nN = {planned}  # x0\.shape\[0\]( = x1\.shape\[0\])?\n", source)
    header = {ln.split(" = ")[0]: ln for ln in source.splitlines() if " = " in ln}
    weights = {n: np.array(v) for n, v in step.bound.items()
               if "bound at run time" in header.get(n, "")}
    assert weights

    namespace = _exec_at(source, 7)
    for n, v in weights.items():
        namespace[n][...] = v
    small = [a[:7].copy() for a in arrays]
    got = namespace["step"](*[a.copy() for a in small])
    expected = compiled(*[a.copy() for a in small])  # a new plan, for a batch of 7
    assert compiled._last is not step
    for a, b in zip(got, expected, strict=True):
        if a is None or b is None:
            assert a is b
        else:
            assert np.shape(a) == np.shape(b)
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    for n in weights:  # both applied the same update (the mean's 1/7, not 1/planned)
        np.testing.assert_allclose(namespace[n], compiled._last.bound[n], rtol=1e-5, atol=1e-6)


def test_batch_sizes_are_names_and_known_sizes_stay_ints():
    compiled, arrays = _build("mlp_digits")  # batch 32, hidden size 32
    compiled(*[a.copy() for a in arrays])
    source = compiled.readable_source
    buffers = [ln for ln in source.splitlines() if ln.startswith("_b")]
    assert "_b0 = np.empty((N, 32), 'float32')  # buffer" in buffers
    assert any("(64, 32)" in ln for ln in buffers)  # a weight's gradient: no batch in it
    assert not any(re.search(r"\b32, 32\b", ln) for ln in buffers)
    assert re.search(r"ones_N = np\.full\(\(N,\), 1\.0, 'float32'\)", source)
    # The executed step itself is unchanged: plain planned ints.
    assert "N" not in re.findall(r"[A-Za-z_]+", compiled._last.source)


def test_reshape_and_mean_divisor_follow_the_batch():
    with static.Graph() as g:
        x = static.placeholder((None, 5), name="x")
        flat = ops.reshape(x * 2.0, shape=(-1,))
        loss = ops.mean(flat * flat)
        grad = static.gradients(loss, [x])[0]
    compiled = static.compile(g, [flat, loss, grad], [x])
    rng = np.random.default_rng(0)
    xs = rng.standard_normal((12, 5)).astype(np.float32)
    compiled(xs)
    source = compiled.readable_source
    assert "N * 5" in source, source
    small = xs[:3].copy()
    got = _exec_at(source, 3)["step"](small)
    for a, b in zip(got, compiled(small), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6)


def test_a_concatenation_along_the_batch_is_a_sum_of_sizes():
    with static.Graph() as g:
        x = static.placeholder((None, 3), name="x")
        both = ops.concat([x, ops.exp(x)], axis=0)
        out = ops.sum(ops.transpose(ops.mul(both, both)), axis=1)
    compiled = static.compile(g, [both, out], [x])
    xs = np.linspace(-1, 1, 15, dtype=np.float32).reshape(5, 3)
    compiled(xs)
    source = compiled.readable_source
    assert "N + N" in source and "# Baked" not in source, source
    for a, b in zip(_exec_at(source, 2)["step"](xs[:2]), compiled(xs[:2]), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6)


def test_a_count_inside_a_loop_body_follows_the_batch():
    with static.Graph() as g:
        h0 = static.placeholder((None, 3), name="h0")
        seq = static.placeholder((4, 3), name="seq")
        h, ys = static.scan(lambda c, t: (ops.tanh(c + t), ops.mean(c)), h0, seq)
        loss = ops.sum(h) + ops.sum(ys)
    compiled = static.compile(g, [loss, ys], [h0, seq])
    rng = np.random.default_rng(1)
    a = rng.standard_normal((6, 3)).astype(np.float32)
    s = rng.standard_normal((4, 3)).astype(np.float32)
    compiled(a, s)
    source = compiled.readable_source
    assert "(N, 3)" in source and "np.array(18.0" not in source  # the mean's count: N * 3
    got = _exec_at(source, 2)["step"](a[:2], s)
    for x, y in zip(got, compiled(a[:2], s), strict=True):
        np.testing.assert_allclose(x, y, rtol=1e-6)


def test_dims_a_shape_rule_takes_to_be_equal_get_one_name():
    with static.Graph() as g:
        x = static.placeholder((None, 3), name="x")
        w = static.placeholder((None, 1), name="w")
        t = static.placeholder((None,), name="t")  # compared with nothing: a name of its own
        y = ops.exp(x * w)
        s = ops.sum(t)
    compiled = static.compile(g, [y, s], [x, w, t])
    xs, ws, ts = np.ones((6, 3), np.float32), np.full((6, 1), 0.5, np.float32), \
        np.arange(4, dtype=np.float32)
    compiled(xs, ws, ts)
    source = compiled.readable_source
    assert "\nN = 6  # x.shape[0] = w.shape[0]\n" in source, source
    assert "\nN_1 = 4  # t.shape[0]\n" in source or "N_1" not in source
    got = _exec_at(source, 2)["step"](xs[:2], ws[:2], ts)
    np.testing.assert_allclose(got[0], compiled(xs[:2], ws[:2], ts)[0])


def test_a_size_no_rule_can_express_is_baked_and_the_header_says_so():
    with static.Graph() as g:
        x = static.placeholder((None, 4), name="x")
        y = x[1:] * 2.0  # N - 1 rows for N >= 1: the slice's rule computes it as an int
    compiled = static.compile(g, [y], [x])
    xs = np.arange(24, dtype=np.float32).reshape(6, 4)
    compiled(xs)
    source = compiled.readable_source
    note = [ln for ln in source.splitlines() if ln.startswith("# Baked at their planned")]
    assert len(note) == 1 and "dim 0" in note[0], source
    namespace: dict[str, object] = {}
    exec(compile(source, "<readable>", "exec"), namespace)  # noqa: S102
    np.testing.assert_allclose(namespace["step"](xs)[0], compiled(xs)[0])


def test_a_graph_without_unknown_dims_binds_no_size():
    with static.Graph() as g:
        x = static.placeholder((4, 3), name="x")
        y = ops.sum(x * x)
    compiled = static.compile(g, [y], [x])
    compiled(np.ones((4, 3), np.float32))
    assert "\nN = " not in compiled.readable_source


def test_planned_dims_keep_their_expression_through_int_arithmetic():
    n = PlannedDim(32, ("dim", 0, 0))
    assert (n * 5, (n * 5).expr) == (160, ("mul", ("dim", 0, 0), 5))
    assert ((n + 1) // 2).expr == ("floordiv", ("add", ("dim", 0, 0), 1), 2)
    assert (1 * n) is n and (n - 0) is n and combine("add", 3, 4) == 7
    assert type(n / 2) is float and n == 32 and hash(n) == hash(32)
    assert size_key((n, 32)) != size_key((32, 32))  # never one buffer for both
    assert repr((n, 3)) == "(32, 3)"  # the executed step reads plain ints


def test_settle_trusts_the_graph_and_records_lost_sizes():
    with static.Graph():
        x = static.placeholder((None, 3), name="x")
    n, three = PlannedDim(8, ("dim", 0, 0)), PlannedDim(3, ("dim", 0, 0))
    shape = settle(x, Aval((n, three), np.dtype("float32"))).shape
    assert shape == (8, 3) and shape[0] is n and type(shape[1]) is int  # the graph knows 3
    assert not baked({x: Aval(shape, np.dtype("float32"))})
    lost = settle(x, Aval((8, 3), np.dtype("float32")))  # a rule lost the expression
    assert baked({x: lost}) == [(x, 0)]


def _random_batch_program(rng: np.random.Generator):
    """Ops over a batch of unknown size whose planned value (4) equals the feature size:
    buffers, views, ones, reductions and reshapes of both kinds of 4 must stay apart."""
    with static.Graph() as g:
        x = static.placeholder((None, 4), name="x")
        y = static.placeholder((None, 4), name="y")
        w = static.variable(rng.standard_normal((4, 4)).astype(np.float32), name="w")
        pool = [x, y, ops.matmul(ops.add(x, y), w)]
        for _ in range(int(rng.integers(4, 10))):
            a, b = (pool[int(rng.integers(len(pool)))] for _ in range(2))
            kind = int(rng.integers(0, 6))
            if kind == 0:
                pool.append(ops.tanh(ops.mul(a, b)))
            elif kind == 1:
                pool.append(ops.matmul(a, w))
            elif kind == 2:  # a column's mean over the batch, broadcast back
                pool.append(ops.sub(a, ops.mean(a, axis=0, keepdims=True)))
            elif kind == 3:  # flat and back: (N * 4,) then (N, 4)
                flat = ops.reshape(ops.add(a, 1.0), shape=(-1,))
                pool.append(ops.reshape(ops.exp(ops.mul(flat, 0.1)), shape=(-1, 4)))
            elif kind == 4:  # (4, N) @ (N, 4): a batch-summed product
                pool.append(ops.add(b, ops.sum(ops.matmul(ops.transpose(a), b), axis=0)))
            else:
                pool.append(ops.maximum(a, b))
        loss = ops.mean(ops.mul(pool[-1], pool[2]))
        grad = static.gradients(loss, [w])[0]
    return static.compile(g, [pool[-1], loss, grad], [x, y])


@pytest.mark.parametrize("seed", range(12))
def test_random_batch_programs_planned_at_4_run_at_3(seed):
    rng = np.random.default_rng(seed)
    compiled = _random_batch_program(rng)
    xs, ys = (rng.standard_normal((4, 4)).astype(np.float32) for _ in range(2))
    compiled(xs, ys)
    source = compiled.readable_source
    if "\nN = " not in source:  # nothing of the batch survives (a product over it)
        return
    namespace = _exec_at(source, 3)
    namespace["w"][...] = compiled._last.bound["w"]  # the variable's value
    got = namespace["step"](xs[:3].copy(), ys[:3].copy())
    for a, b in zip(got, compiled(xs[:3].copy(), ys[:3].copy()), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
