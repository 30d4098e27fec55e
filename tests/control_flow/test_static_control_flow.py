"""Static cond / while_loop / scan: build-time checks, interpreter results equal to eager,
gradients equal to eager and to finite differences, nested bodies and closures."""

import numpy as np
import pytest

import eager
import shared_ops as ops
import static
from shared_ops.errors import GradientError, OpValueError, ShapeError

RNG = np.random.default_rng(1)
W = RNG.standard_normal((3, 3)).astype(np.float32) * 0.5
XS = RNG.standard_normal((5, 3)).astype(np.float32)
H0 = RNG.standard_normal(3).astype(np.float32)


def rnn(w, xs, h0):
    """A tanh RNN over xs with a data-dependent branch inside the step (nested control flow)."""
    def step(h, x):
        pre = ops.matmul(w, h) + x
        h = ops.cond(ops.sum(pre) > 0, lambda p: ops.tanh(p), lambda p: p * 0.5, pre)
        return h, h * h

    h, ys = ops.scan(step, h0, xs)
    return ops.sum(h) + ops.sum(ys)


def static_rnn():
    with static.Graph() as g:
        xs = static.placeholder((None, 3), name="xs")
        h0 = static.placeholder((3,), name="h0")
        w = static.variable(W, name="w")
        loss = rnn(w, xs, h0)
        grads = static.gradients(loss, [w, xs, h0])
    return g, (xs, h0), loss, grads


def test_scan_with_nested_cond_matches_eager_values_and_gradients():
    g, (xs, h0), loss, grads = static_rnn()
    got = static.Session(g).run([loss, *grads], {xs: XS, h0: H0})
    w_e, xs_e, h0_e = (eager.tensor(v, requires_grad=True) for v in (W, XS, H0))
    loss_e = rnn(w_e, xs_e, h0_e)
    loss_e.backward()
    np.testing.assert_allclose(got[0], loss_e.item(), rtol=1e-5)
    for a, b in zip(got[1:], (w_e, xs_e, h0_e), strict=True):
        np.testing.assert_allclose(a, b.grad.numpy(), rtol=1e-4, atol=1e-5)


def test_scan_gradient_matches_finite_differences():
    g, (xs, h0), loss, grads = static_rnn()
    sess = static.Session(g)
    g_xs = sess.run(grads[1], {xs: XS, h0: H0})
    eps = 1e-2
    x64 = XS.astype(np.float64)
    for idx in [(0, 0), (2, 1), (4, 2)]:
        plus, minus = x64.copy(), x64.copy()
        plus[idx] += eps
        minus[idx] -= eps
        fd = (sess.run(loss, {xs: plus, h0: H0}) - sess.run(loss, {xs: minus, h0: H0})) / (2 * eps)
        np.testing.assert_allclose(g_xs[idx], fd, rtol=2e-2, atol=2e-3)


def test_cond_branch_error_names_both_branches_and_user_line():
    with static.Graph():
        x = static.placeholder((3,), name="x")
        with pytest.raises(ShapeError, match=r"false_fn returned f32\[1\] for output 0, but "
                                             r"true_fn has f32\[3\].*test_static_control_flow"):
            static.cond(x.sum() > 0, lambda v: v, lambda v: v.sum(keepdims=True), x)
        with pytest.raises(OpValueError, match="true_fn returns one value but false_fn "
                                               "returns a tuple"):
            static.cond(x.sum() > 0, lambda v: v, lambda v: (v, v), x)
        with pytest.raises(ShapeError, match=r"pred must be a scalar, got bool\[3\]"):
            static.cond(x > 0, lambda v: v, lambda v: -v, x)


def test_loop_body_must_return_what_it_received():
    with static.Graph():
        x = static.placeholder((2,), name="x")
        with pytest.raises(ShapeError, match=r"body_fn returned f32\[4\] for loop variable 0, "
                                             r"but loop_vars has f32\[2\]"):
            static.while_loop(lambda v: v.sum() < 9, lambda v: (ops.concat([v, v]),), (x,))
        with pytest.raises(ShapeError, match=r"scan: fn returned f32\[\] for carry 0, but "
                                             r"init has f32\[2\]"):
            static.scan(lambda c, t: (c.sum(), t), x, static.placeholder((4, 2)))


def test_unknown_dims_and_int_loop_vars():
    with static.Graph() as g:
        x = static.placeholder((None,), name="x")
        i, total = static.while_loop(lambda i, s: i < 4, lambda i, s: (i + 1, s * 2), (0, x))
    out = static.Session(g).run([i, total], {x: np.ones(3, np.float32)})
    assert int(out[0]) == 4 and out[1].tolist() == [16.0] * 3
    assert str(total.aval) == "f32[?]"


def test_while_gradient_needs_maximum_iterations():
    with static.Graph():
        a = static.placeholder((), name="a")
        (x,) = static.while_loop(lambda x: x < 10, lambda x: (x * a,), (a,))
        with pytest.raises(GradientError, match="maximum_iterations=N"):
            static.gradients(x, [a])


def test_bounded_while_gradient_equals_eager():
    def power_until(a):
        (p,) = ops.while_loop(lambda p: p < 100, lambda p: (p * a,), (a * 1.0,),
                              maximum_iterations=10)
        return p

    with static.Graph() as g:
        a = static.placeholder((), name="a")
        p = power_until(a)
        (ga,) = static.gradients(p, [a])
    for value in (3.0, 1.5):
        got = static.Session(g).run([p, ga], {a: np.float32(value)})
        a_e = eager.tensor(value, requires_grad=True)
        p_e = power_until(a_e)
        p_e.backward()
        np.testing.assert_allclose(got[0], p_e.item(), rtol=1e-6)
        np.testing.assert_allclose(got[1], a_e.grad.item(), rtol=1e-5)


def test_closure_over_outer_values_is_captured_and_differentiated():
    with static.Graph() as g:
        x = static.placeholder((3,), name="x")
        w = static.variable(np.float32([1, 2, 3]), name="w")
        y = static.cond(x.sum() > 0, lambda: x * w, lambda: x - w)
        gx, gw = static.gradients(y.sum(), [x, w])
    cond_node = y.inputs[0]
    assert [n.name for n in cond_node.inputs] == ["gt", "x", "w"]
    res = static.Session(g).run([y, gx, gw], {x: np.float32([1, 1, 1])})
    assert res[0].tolist() == [1, 2, 3] and res[1].tolist() == [1, 2, 3]
    assert res[2].tolist() == [1, 1, 1]


def test_listing_is_nested():
    with static.Graph() as g:
        x = static.placeholder((3,), name="x")
        static.cond(x.sum() > 0, lambda v: v * v, lambda v: -v, x)
    text = str(g)
    assert "%cond: (f32[3],) = cond(%gt, %x, branches=(@true_fn, @false_fn))" in text
    assert "\n    @true_fn(%v: f32[3]) -> (%mul,)\n        %mul: f32[3] = mul(%v, %v)" in text
    assert "%cond.0: f32[3] = tuple_get(%cond, index=0)" in text
    static.lint(g)


def test_run_control_node_for_other_executors():
    from static.control_flow import run_control_node

    with static.Graph():
        xs = static.placeholder((4,), name="xs")
        total, _ = static.scan(lambda c, x: (c + x, None), np.float32(0), xs)
    node = total.inputs[0]
    out = run_control_node(node, [np.float32(0), np.arange(4, dtype=np.float32)])
    assert float(out[0]) == 6.0
    assert float(run_control_node(total, [out])) == 6.0


def test_traced_function_with_cond_saves_and_loads(tmp_path):
    def f(x):
        return ops.cond(ops.sum(x) > 0, lambda v: v * 3, lambda v: v, x)

    t = static.trace(f, static.TensorSpec((2,)))
    np.testing.assert_allclose(t(np.float32([1, 2])), [3, 6])
    np.testing.assert_allclose(t(np.float32([-1, -2])), [-1, -2])
    t2 = static.load(static.save(t, tmp_path / "t"))  # tests/control_flow/test_serialize_...
    np.testing.assert_allclose(t2(np.float32([1, 2])), [3, 6])
    np.testing.assert_allclose(t2(np.float32([-1, -2])), [-1, -2])


@pytest.mark.parametrize("convert", [bool, float, int, lambda n: n.item(), np.asarray])
def test_python_value_of_node_names_line_and_suggests_cond(convert):
    with static.Graph():
        x = static.placeholder((3,), name="x")
        with pytest.raises(TypeError, match=r"static node %sum .*test_static_control_flow.py:"
                                            r"\d+.*static\.cond"):
            convert(x.sum())


def test_python_if_in_traced_code_points_at_the_if():
    def f(x):
        if ops.sum(x) > 0:  # the line the error must name
            return x
        return -x

    with pytest.raises(TypeError, match=r"truth value .* in f; .*static\.cond\(pred, "
                                        r"true_fn, false_fn"):
        static.trace(f, static.TensorSpec((2,)))


def test_lint_checks_bodies_recursively():
    g, *_ = static_rnn()
    static.lint(g)  # forward, residual and reverse scans, nested conds: all sound
    scan_node = next(n for n in g.nodes if n.op == "scan")
    body = scan_node.attrs["body"]
    inner = next(n for n in body.graph.nodes if n.op == "matmul")
    inner.aval = static.graph.Aval((7,), inner.aval.dtype)
    with pytest.raises(static.LintError, match=r"%scan \(scan\), in body @fn: %"):
        static.lint(g)


def test_runtime_error_inside_a_body_names_the_inner_node_and_the_control_node():
    with static.Graph() as g:
        x = static.placeholder((None,), name="x")
        y = static.placeholder((None,), name="y")
        out = static.cond(ops.sum(x) > 0, lambda a, b: a * b, lambda a, b: a, x, y)
    with pytest.raises(static.NodeRuntimeError,
                       match=r"(?s)cannot broadcast.*in node %mul: f32\[\?\] = mul\(%a, %b\)"
                             r".*inside the cond %cond at test_static_control_flow.py:\d+"):
        static.Session(g).run(out, {x: np.ones(3, np.float32), y: np.ones(4, np.float32)})


def test_while_listing_golden():
    with static.Graph() as g:
        a = static.placeholder((), name="a")
        static.while_loop(lambda x, n: ops.abs(x * x - a) > 1e-4,
                          lambda x, n: (0.5 * (x + a / x), n + 1), (a, 0),
                          maximum_iterations=20)
    text = "\n".join(line.split("  #")[0].rstrip() for line in str(g).splitlines())
    assert text == """\
%a: f32[] = placeholder()
%constant: i64[] = constant(0)
%while_loop: (f32[], i64[]) = while_loop(%a, %constant, %a, cond_fn=@cond_fn, \
body_fn=@body_fn, maximum_iterations=20)
    @cond_fn(%x: f32[], %n: i64[]; captures %a: f32[]) -> (%gt,)
        %mul: f32[] = mul(%x, %x)
        %sub: f32[] = sub(%mul, %a)
        %abs: f32[] = abs(%sub)
        %constant: f32[] = constant(1e-04)
        %gt: bool[] = gt(%abs, %constant)
    @body_fn(%x: f32[], %n: i64[]; captures %a: f32[]) -> (%mul, %add_1)
        %div: f32[] = div(%a, %x)
        %add: f32[] = add(%x, %div)
        %constant: f32[] = constant(0.5)
        %mul: f32[] = mul(%constant, %add)
        %constant_1: i64[] = constant(1)
        %add_1: i64[] = add(%n, %constant_1)
%while_loop.0: f32[] = tuple_get(%while_loop, index=0)
%while_loop.1: i64[] = tuple_get(%while_loop, index=1)"""


def test_render_draws_bodies_as_nested_clusters():
    with static.Graph() as g:
        x = static.placeholder((3,), name="x")
        static.cond(x.sum() > 0, lambda v: v * v, lambda v: -v, x)
    dot = static.to_dot(g, locations=False).source
    assert 'subgraph cluster_n4_0 {' in dot and 'label="%cond @true_fn"' in dot
    assert 'label="%cond @false_fn"' in dot
    assert 'n4_0_1 -> n4 [label="f32[3]" color="#3366aa" style=dashed]' in dot
    assert 'n4 -> n5 [label="f32[3]"]' in dot  # the element's aval, not the tuple's


def test_output_avals_for_concrete_feed_shapes():
    from shared_ops.aval import Aval
    from static.control_flow import output_avals

    g, (xs, h0), loss, grads = static_rnn()
    scan_node = next(n for n in g.nodes if n.op == "scan")
    f32 = np.dtype(np.float32)
    assert str(scan_node.attrs["out_avals"][1]) == "f32[?,3]"
    concrete = [Aval((3,), f32), Aval((7, 3), f32), Aval((3, 3), f32)]
    assert [str(a) for a in output_avals(scan_node, concrete)] == ["f32[3]", "f32[7,3]"]


def test_placeholder_made_inside_a_body_is_refused():
    with static.Graph():
        x = static.placeholder((2,), name="x")
        with pytest.raises(OpValueError, match="placeholder %p was created inside a "
                                               "control-flow body"):
            static.cond(x.sum() > 0, lambda v: v + static.placeholder((2,), name="p"),
                        lambda v: v, x)
