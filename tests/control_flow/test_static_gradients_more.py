"""More gradient shapes through static control flow, each checked against eager mode:
reverse scans, integer counters in the carry, scans inside scans, cond inside a loop, and a
second derivative through cond."""

import numpy as np
import pytest

import eager
import shared_ops as ops
import static

RNG = np.random.default_rng(3)
XS = RNG.standard_normal((4, 2)).astype(np.float32)
V = RNG.standard_normal(2).astype(np.float32)


def both_modes(fn, *values):
    """(value, grads) of ``sum(fn(*values))`` w.r.t. every value, from static and eager."""
    with static.Graph() as g:
        nodes = [static.placeholder(v.shape, name=f"v{k}") for k, v in enumerate(values)]
        out = ops.sum(fn(*nodes))
        grads = static.gradients(out, nodes)
    got = static.Session(g).run([out, *grads], dict(zip(nodes, values, strict=True)))
    tensors = [eager.tensor(v, requires_grad=True) for v in values]
    out_e = ops.sum(fn(*tensors))
    out_e.backward()
    expected = [out_e.item()] + [t.grad.numpy() for t in tensors]
    return got, expected


def check(fn, *values):
    got, expected = both_modes(fn, *values)
    for a, b in zip(got, expected, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


def test_reverse_scan_with_tuple_carry_and_int_counter():
    def f(xs, v):
        def step(c, x):
            n, h = c
            h = ops.tanh(h * x + v)
            return (n + 1, h), h * ops.cast(n, dtype=np.float32)
        (_, h), ys = ops.scan(step, (np.int64(0), v), xs, reverse=True)
        return h + ops.sum(ys, axis=0)

    check(f, XS, V)


def test_scan_inside_scan():
    def f(xs, v):
        def outer(c, x):
            inner, _ = ops.scan(lambda a, e: (a * e + v, None), c, ops.stack([x, x * 0.5]))
            return ops.sin(inner), inner
        h, ys = ops.scan(outer, v, xs)
        return h + ops.sum(ys, axis=0)

    check(f, XS, V)


def test_cond_inside_bounded_while():
    def f(v):
        def body(i, h):
            h = ops.cond(ops.sum(h) > 0, lambda a: a * 0.5 - 0.1, lambda a: a * 1.5, h)
            return i + 1, h
        _, h = ops.while_loop(lambda i, h: i < 5, body, (np.int64(0), v),
                              maximum_iterations=8)
        return h

    check(f, V)
    check(f, -V)


def test_second_derivative_through_cond():
    with static.Graph() as g:
        x = static.placeholder((), name="x")
        y = static.cond(x > 0, lambda a: a * a * a, lambda a: -a * a, x)
        (dy,) = static.gradients(y, [x])
        (d2y,) = static.gradients(dy, [x])
    sess = static.Session(g)
    assert [float(v) for v in sess.run([dy, d2y], {x: np.float32(2)})] == [12.0, 12.0]
    assert [float(v) for v in sess.run([dy, d2y], {x: np.float32(-2)})] == [4.0, -2.0]


def test_gradient_of_unused_branch_input_is_zero_not_missing():
    with static.Graph() as g:
        x = static.placeholder((2,), name="x")
        w = static.placeholder((2,), name="w")
        y = static.cond(ops.sum(x) > 0, lambda a, b: a * 2, lambda a, b: a * b, x, w)
        gx, gw = static.gradients(ops.sum(y), [x, w])
    out = static.Session(g).run([gx, gw], {x: np.float32([1, 1]), w: np.float32([3, 4])})
    assert out[0].tolist() == [2, 2] and out[1].tolist() == [0, 0]


@pytest.mark.parametrize("length", [1, 3])
def test_scan_without_xs(length):
    def f(v):
        h, ys = ops.scan(lambda c, _: (ops.exp(c * 0.3), c), v, None, length=length)
        return h + ops.sum(ys, axis=0)

    check(f, V)


def test_cond_and_bounded_while_gradients_match_finite_differences():
    def f(v):
        def body(i, h):
            h = ops.cond(ops.sum(h) > 0, lambda a: ops.sin(a) * 1.3, lambda a: a * a - 0.2, h)
            return i + 1, h
        _, h = ops.while_loop(lambda i, h: i < 3, body, (np.int64(0), v),
                              maximum_iterations=5)
        return ops.sum(h * h)

    with static.Graph() as g:
        v = static.placeholder((2,), dtype=np.float64, name="v")
        out = f(v)
        (gv,) = static.gradients(out, [v])
    sess = static.Session(g)
    point = np.array([0.7, -0.2])
    grad = sess.run(gv, {v: point})
    eps = 1e-6
    for k in range(2):
        step = np.zeros(2)
        step[k] = eps
        fd = (sess.run(out, {v: point + step}) - sess.run(out, {v: point - step})) / (2 * eps)
        np.testing.assert_allclose(grad[k], fd, rtol=1e-6)
