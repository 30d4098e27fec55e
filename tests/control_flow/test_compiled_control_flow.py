"""Control flow in compiled steps: cond / while_loop / scan nodes become generated code.

Every case runs the same graph on the reference interpreter and on a compiled step whose
interpreter runners for control nodes are disabled (so nothing is delegated), and compares
values and gradients; the generated source shows the bodies, an error inside a body names the
user's line, the compiler's passes run on bodies, and body buffers never clobber outer values.
"""

import inspect

import numpy as np
import pytest

import eager
import eager.nn as nn
import shared_ops as ops
import static
from static.interpreter import NODE_RUNNERS
from static.tracing import trace

RNG = np.random.default_rng(11)
V = RNG.standard_normal(3).astype(np.float32)
W = (RNG.standard_normal((3, 3)) * 0.5).astype(np.float32)
XS = RNG.standard_normal((6, 3)).astype(np.float32)
CONTROL = ("cond", "while_loop", "scan", "tuple_get")


@pytest.fixture
def no_runners(monkeypatch):
    """Make the interpreter's control-flow runners fail: compiled code must not use them."""
    def refuse(node, values):
        raise AssertionError(f"interpreter runner used for %{node.name} ({node.op})")

    def disable():
        for op in CONTROL:
            monkeypatch.setitem(NODE_RUNNERS, op, refuse)
    return disable


def compare(graph, fetches, feeds, no_runners, *, rtol=1e-5, atol=1e-6, calls=2):
    """Interpreter values first; then the compiled step, without runners, for each feed
    set (``feeds`` a dict or a list of dicts); returns the compiled step."""
    feed_sets = feeds if isinstance(feeds, list) else [feeds]
    expected = [static.Interpreter(graph).run(fetches, f) for f in feed_sets]
    inputs = list(feed_sets[0])
    step = static.compile(graph, fetches, inputs)
    no_runners()
    for _ in range(calls):  # again: planned buffers are reused between calls
        for f, exp in zip(feed_sets, expected, strict=True):
            got = step(*(f[p] for p in inputs))
            for a, b in zip(got, exp, strict=True):
                np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)
    return step


def grads_graph(fn, *values, dtype=np.float32):
    """Graph of ``sum(fn(*placeholders))`` and its gradients wrt every placeholder."""
    with static.Graph() as g:
        ps = [static.placeholder(np.shape(v), dtype, name=f"p{k}") for k, v in enumerate(values)]
        out = ops.sum(fn(*ps))
        grads = static.gradients(out, ps)
    return g, [out, *grads], dict(zip(ps, values, strict=True))


@pytest.mark.parametrize("sign", [1, -1])
def test_cond_values_and_gradients(no_runners, sign):
    def f(x, w):
        return ops.cond(ops.sum(x) > 0, lambda a: ops.sin(ops.matmul(w, a)) * a,
                        lambda a: a * a - ops.sum(w), x)

    g, fetches, feeds = grads_graph(f, sign * np.abs(V), W)
    step = compare(g, fetches, feeds, no_runners)
    assert "def do_cond" in step.source and "    if pred:" in step.source


def test_bounded_while_values_and_gradients(no_runners):
    def f(a):  # Newton's iteration for sqrt(a), at most 20 steps
        x, n = ops.while_loop(lambda x, n: ops.abs(x * x - a) > 1e-4,
                              lambda x, n: (0.5 * (x + a / x), n + 1), (a, 0),
                              maximum_iterations=20)
        return x * ops.cast(n, dtype=np.float32)

    g, fetches, feeds = grads_graph(f, np.float32(7.0))
    step = compare(g, fetches, feeds, no_runners)
    assert "for trip in range(20):" in step.source


def test_unbounded_while_and_zero_iterations(no_runners):
    with static.Graph() as g:
        x = static.placeholder((None,), name="x")
        i, total = static.while_loop(lambda i, s: ops.sum(s) < 100.0,
                                     lambda i, s: (i + 1, s * 2 + 1), (0, x))
    feeds = [{x: np.ones(3, np.float32)}, {x: np.full(2, 500, np.float32)}]  # 0 iterations
    step = compare(g, [i, total], feeds, no_runners)
    assert "while True:" in step.source


@pytest.mark.parametrize("reverse", [False, True])
def test_scan_with_tuple_carry_and_ys_values_and_gradients(no_runners, reverse):
    def f(xs, v, w):
        def step(c, x):
            n, h = c
            h = ops.tanh(ops.matmul(w, h) + x)
            return (n + 1, h), h * ops.cast(n, dtype=np.float32)
        (_, h), ys = ops.scan(step, (np.int64(0), v), xs, reverse=reverse)
        return h + ops.sum(ys, axis=0)

    g, fetches, feeds = grads_graph(f, XS, V, W)
    step = compare(g, fetches, feeds, no_runners)
    loop = "range(steps - 1, -1, -1)" if reverse else "range(steps)"
    assert f"for t in {loop}:" in step.source


def test_scan_of_zero_steps_and_without_xs(no_runners):
    with static.Graph() as g:
        xs = static.placeholder((None, 3), name="xs")
        v = static.placeholder((3,), name="v")
        h, ys = static.scan(lambda c, x: (c + x, c * x), v, xs)
        k, ks = static.scan(lambda c, _: (ops.exp(c * 0.3), c), v, None, length=4)
    feeds = [{xs: XS, v: V}, {xs: np.zeros((0, 3), np.float32), v: V}]
    compare(g, [h, ys, k, ks], feeds, no_runners)


def test_scan_whose_step_shape_is_only_known_at_run_time(no_runners):
    with static.Graph() as g:
        x = static.placeholder((None,), name="x")
        ts = static.placeholder((None,), name="ts")
        # The branches give x[1:] or x: the step's y has an unknown length.
        _, ys = static.scan(lambda c, t: (c, static.cond(t > 100, lambda: x[1:], lambda: x)),
                            np.float32(0), ts)
    feeds = [{x: V, ts: np.arange(4, dtype=np.float32)}, {x: V, ts: np.zeros(0, np.float32)}]
    step = compare(g, [ys], feeds, no_runners)
    assert "= [None] * steps" in step.source  # stacked after the loop


def rnn_with_nested_cond(w, xs, h0):
    def step(h, x):
        pre = ops.matmul(w, h) + x
        h = ops.cond(ops.sum(pre) > 0, lambda p: ops.tanh(p), lambda p: p * 0.5, pre)
        inner, _ = ops.scan(lambda a, e: (a * e + 0.1, None), h, ops.stack([x, x * 0.5]))
        return ops.sin(inner), h * h

    h, ys = ops.scan(step, h0, xs)
    return h + ops.sum(ys, axis=0)


def test_nested_control_flow_values_and_gradients(no_runners):
    g, fetches, feeds = grads_graph(rnn_with_nested_cond, W, XS, V)
    step = compare(g, fetches, feeds, no_runners)
    functions = [ln for ln in step.source.splitlines() if ln.startswith("def do_")]
    assert len(functions) >= 6  # forward, residual and gradient scans, their conds and scans


@pytest.mark.parametrize("kind", ["GRU", "LSTM"])
def test_recurrent_layers_in_static_mode(no_runners, kind):
    eager.manual_seed(0)
    model = getattr(nn, kind)(3, 4, num_layers=2, batch_first=True, dtype=eager.float64)
    with static.Graph() as g:
        x = static.placeholder((None, None, 3), np.float64, name="x")
        lengths = static.placeholder((None,), np.int64, name="lengths")
        out, _ = trace(model, x, lengths=lengths)
        loss = static.sum(out * out)
        grads = static.gradients(loss, list(g.variables(trainable=True)))
    feeds = {x: RNG.standard_normal((2, 5, 3)), lengths: np.array([5, 3])}
    step = compare(g, [loss, *grads], feeds, no_runners, rtol=1e-12, atol=1e-12)
    assert sum(ln.startswith("def do_scan") for ln in step.source.splitlines()) >= 3


def test_gru_training_steps_match_the_interpreter(no_runners):
    def train(executor):
        eager.manual_seed(1)
        model = nn.GRU(3, 4, batch_first=True, dtype=eager.float64)
        with static.Graph() as g:
            x = static.placeholder((None, None, 3), np.float64, name="x")
            _, h = trace(model, x)
            loss = static.mean(h * h)
            update = static.optim.SGD(lr=0.5).minimize(loss)
        step = static.compile(g, [loss, update], [x], executor=executor)
        if executor == "compiled":
            no_runners()
        rng = np.random.default_rng(2)
        losses = [float(step(rng.standard_normal((2, n, 3)))[0]) for n in (4, 6, 4)]
        return losses, [v.value.copy() for v in g.variables(trainable=True)]

    ref_losses, ref_params = train("interpret")
    losses, params = train("compiled")
    np.testing.assert_allclose(losses, ref_losses, rtol=1e-12)
    for a, b in zip(params, ref_params, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


def test_source_shows_the_body_statements_with_user_lines():
    with static.Graph() as g:
        xs = static.placeholder((None, 3), name="xs")
        w = static.variable(W, name="w")
        line = inspect.currentframe().f_lineno + 1
        h, _ = static.scan(lambda h, x: (ops.tanh(ops.matmul(w.T, h) + x), None), V, xs)
    source = static.compile(g, h, [xs]).source
    here = f"test_compiled_control_flow.py:{line}"
    assert f"    scan = do_scan(constant, xs, w)  # %scan @ {here}" in source
    lines = source[source.index("def do_scan"):].splitlines()
    # The statements themselves come from the step's emitter table; the frame is ours.
    assert [ln.split(" = ")[0] for ln in lines] == [
        f"def do_scan(h, xs_1, w_1):  # %scan @ {here}", "    steps", "    transpose",
        "    for t in range(steps):", "        x", "        matmul", "        add",
        "        tanh", "        h,", "    return (h,)"]
    assert lines[2] == f"    transpose = _transpose(w_1)  # %transpose @ {here} (hoisted)"
    assert lines[4] == "        x = xs_1[t]"
    for name, line in zip(["matmul", "add", "tanh"], lines[5:8], strict=True):
        assert line.endswith(f"  # %{name} @ {here}")
    assert "out=do_scan_b" in lines[5] and "out=" not in lines[7]  # an output: its own array
    assert lines[8] == "        h, = tanh,"


def test_error_inside_a_body_names_the_user_line_and_the_control_nodes(no_runners):
    with static.Graph() as g:
        idx = static.placeholder((None,), np.int64, name="idx")
        flag = static.placeholder((), name="flag")

        def step(c, i):
            hot = static.cond(flag > 0,
                              lambda: ops.one_hot(i, num_classes=3),  # the failing line
                              lambda: ops.zeros_like(c))
            return c + hot, None

        total, _ = static.scan(step, np.zeros(3, np.float32), idx)
    line = inspect.getsourcelines(step)[1] + 2
    step_fn = static.compile(g, total, [idx, flag])
    no_runners()
    np.testing.assert_array_equal(step_fn(np.array([0, 1, 1]), np.float32(1))[0], [1, 2, 0])
    with pytest.raises(static.NodeRuntimeError) as info:
        step_fn(np.array([0, 5, 1]), np.float32(1))
    err = info.value
    assert err.node.op == "one_hot" and err.location.lineno == line
    text = str(err)
    assert "class index 5 is out of range" in text
    assert f"made from %one_hot (test_compiled_control_flow.py:{line})" in text
    assert "inside the cond %cond at test_compiled_control_flow.py:" in text
    assert "inside the scan %scan at test_compiled_control_flow.py:" in text
    assert text.index("inside the cond") < text.index("inside the scan")  # innermost first


def test_passes_run_on_bodies():
    with static.Graph() as g:
        xs = static.placeholder((None, 3), name="xs")

        def step(c, x):
            twice = x * 2.0 + x * 2.0  # CSE merges the two products
            scale = static.exp(np.float32(0.0)) * 1.0  # folded, then x * 1 simplified
            return c + twice * scale, None

        h, _ = static.scan(step, V, xs)
    original = h.inputs[0].attrs["body"]
    step_fn = static.compile(g, h, [xs])
    compiled_body = next(n for n in step_fn.graph.nodes if n.op == "scan").attrs["body"]
    assert len(compiled_body.graph.nodes) < len(original.graph.nodes)
    assert len(original.graph.nodes) == len(h.inputs[0].attrs["body"].graph.nodes)  # untouched
    summary = step_fn.summary()
    assert "cse in bodies x" in summary and "fold in bodies x" in summary
    assert "mul_one in bodies x" in summary
    ops_left = [n.op for n in compiled_body.graph.nodes if n.op != "placeholder"]
    assert ops_left.count("mul") == 1 and "exp" not in ops_left
    expected = V + XS.sum(axis=0) * 4
    np.testing.assert_allclose(step_fn(XS)[0], expected, rtol=1e-5)
    off = static.compile(g, h, [xs], passes={"cse": False})
    assert "cse in bodies" not in off.summary()
    np.testing.assert_allclose(off(XS)[0], expected, rtol=1e-5)


def test_outer_buffers_live_across_the_loop_are_not_overwritten(no_runners):
    with static.Graph() as g:
        x = static.placeholder((3,), name="x")
        xs = static.placeholder((None, 3), name="xs")
        a = x * 3.0 + 1.0  # an outer pooled buffer, read inside the loop and after it
        h, ys = static.scan(lambda c, t: (ops.tanh(c * a + t) * 2.0, c * a - t), x, xs)
        after = a * 2.0 + ops.sum(ys, axis=0) + h
    feeds = [{x: V, xs: XS}, {x: -V, xs: XS[:2]}]
    compare(g, [after, a, ys], feeds, no_runners, calls=3)
