"""Symbolic gradients: values against finite differences and torch, None for unreachable xs,
higher order, provenance meta."""

import numpy as np
import pytest

import shared_ops as ops
import static

RNG = np.random.default_rng(0)


def _run(g, fetches, feeds):
    return static.Session(g).run(fetches, feeds)


def _numeric_grad(f, x, eps=1e-6):
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[i] += eps
        xm[i] -= eps
        grad[i] = (f(xp) - f(xm)) / (2 * eps)
    return grad


EXPRESSIONS = {
    # name: (function of two nodes, shapes of a and b)
    "mul_broadcast": (lambda a, b: ops.sum(a * b), (3, 4), (4,)),
    "div_exp": (lambda a, b: ops.sum(ops.exp(a) / (b * b + 1.0)), (2, 3), (2, 3)),
    "matmul_tanh": (lambda a, b: ops.sum(ops.tanh(a @ b)), (3, 4), (4, 2)),
    "reuse": (lambda a, b: ops.sum(a * a * b + a), (5,), (5,)),
    "mean_log": (lambda a, b: ops.mean(ops.log(ops.sigmoid(a - b)), axis=0), (4, 3), (3,)),
}


@pytest.mark.parametrize("name", sorted(EXPRESSIONS))
def test_gradients_match_finite_differences(name):
    fn, sa, sb = EXPRESSIONS[name]
    va, vb = RNG.normal(size=sa), RNG.normal(size=sb)
    with static.Graph() as g:
        a = static.placeholder(sa, dtype="float64", name="a")
        b = static.placeholder(sb, dtype="float64", name="b")
        y = fn(a, b)
        ga, gb = static.gradients(y, [a, b])
    got_a, got_b = _run(g, [ga, gb], {a: va, b: vb})

    def value(x_a, x_b):
        return _run(g, y, {a: x_a, b: x_b}).sum()

    np.testing.assert_allclose(got_a, _numeric_grad(lambda v: value(v, vb), va), atol=1e-6)
    np.testing.assert_allclose(got_b, _numeric_grad(lambda v: value(va, v), vb), atol=1e-6)


def test_gradients_match_torch_with_unknown_batch_dim():
    torch = pytest.importorskip("torch")
    vx, vw, vb = RNG.normal(size=(6, 3)), RNG.normal(size=(3, 2)), RNG.normal(size=(2,))
    with static.Graph() as g:
        x = static.placeholder((None, 3), dtype="float64", name="x")
        w = static.variable(vw, name="w")
        b = static.variable(vb, name="b")
        loss = ops.mean(ops.relu(x @ w + b) ** 2)
        grads = static.gradients(loss, [x, w, b])
    got = _run(g, grads, {x: vx})
    tx, tw, tb = (torch.tensor(v, requires_grad=True) for v in (vx, vw, vb))
    (torch.relu(tx @ tw + tb) ** 2).mean().backward()
    for mine, ref in zip(got, (tx, tw, tb), strict=True):
        np.testing.assert_allclose(mine, ref.grad.numpy(), rtol=1e-12, atol=1e-12)


def test_unreachable_xs_get_none():
    with static.Graph():
        x = static.placeholder((2,), name="x")
        z = static.placeholder((2,), name="z")
        y = ops.sum(x * 3.0)
        k = ops.argmax(z)  # integer output: nothing flows back
        assert static.gradients(y, [x, z])[1] is None
        assert static.gradients(y, z) == [None]
        assert static.gradients(ops.sum(ops.stop_gradient(x)), [x]) == [None]
        assert static.gradients(ops.cast(k, dtype=np.dtype("float32")), [z]) == [None]


def test_grad_ys_scales_the_cotangent():
    with static.Graph() as g:
        x = static.placeholder((3,), dtype="float64", name="x")
        y = ops.exp(x)
        seed = static.placeholder((3,), dtype="float64", name="seed")
        (gx,) = static.gradients(y, [x], grad_ys=seed)
    vx, vs = np.array([0.0, 1.0, 2.0]), np.array([1.0, -2.0, 0.5])
    np.testing.assert_allclose(_run(g, gx, {x: vx, seed: vs}), np.exp(vx) * vs)


def test_several_ys_add_up():
    with static.Graph() as g:
        x = static.placeholder((2,), dtype="float64", name="x")
        (gx,) = static.gradients([ops.sum(x * x), ops.sum(x * 3.0)], [x])
    np.testing.assert_allclose(_run(g, gx, {x: np.array([1.0, 2.0])}), [5.0, 7.0])


def test_second_and_third_derivatives():
    with static.Graph() as g:
        x = static.placeholder((4,), dtype="float64", name="x")
        y = ops.sum(x * x * x)
        (d1,) = static.gradients(y, [x])
        (d2,) = static.gradients(ops.sum(d1), [x])
        (d3,) = static.gradients(ops.sum(d2), [x])
    v = np.array([-1.0, 0.5, 2.0, 3.0])
    r1, r2, r3 = _run(g, [d1, d2, d3], {x: v})
    np.testing.assert_allclose(r1, 3 * v**2)
    np.testing.assert_allclose(r2, 6 * v)
    np.testing.assert_allclose(r3, np.full(4, 6.0))


def test_backward_nodes_are_tagged_with_provenance():
    with static.Graph() as g:
        x = static.placeholder((None, 3), name="x")
        w = static.variable(np.ones((3, 2), np.float32), name="w")
        h = x @ w
        loss = ops.sum(ops.exp(h))
        n_forward = len(g)
        static.gradients(loss, [w])
    backward = g.nodes[n_forward:]
    assert backward and all(n.meta["role"] == "backward" for n in backward)
    assert all(n.meta["grad_of"] in g for n in backward)
    assert {n.meta["grad_of"] for n in backward} >= {h.name, loss.name, "exp"}
    assert all(n.meta["role"] == "forward" for n in g.nodes[:n_forward])
    static.lint(g)


def test_cannot_differentiate_through_assign():
    with static.Graph():
        w = static.variable(np.ones(2, np.float32), name="w")
        a = static.assign(w, w * 2.0)
        with pytest.raises(ops.GradientError, match="cannot differentiate through %assign_w"):
            static.gradients(ops.sum(a), [w])


def test_gradient_of_integer_path_is_cut():
    with static.Graph() as g:
        x = static.placeholder((3,), dtype="float64", name="x")
        n = ops.cast(x, dtype=np.dtype("int64"))
        y = ops.sum(x * ops.cast(n, dtype=np.dtype("float64")))
        (gx,) = static.gradients(y, [x])
    np.testing.assert_allclose(_run(g, gx, {x: np.array([1.5, 2.5, -1.0])}), [1.0, 2.0, -1.0])


def test_gradients_add_only_the_nodes_they_need():
    with static.Graph() as g:
        x = static.placeholder((None, 3), name="x")
        w = static.variable(np.ones((3, 2), np.float32), name="w")
        loss = ops.sum((x @ w) ** 2)  # rules would also build d/dx and d/dexponent
        n_forward = len(g)
        (gw,) = static.gradients(loss, [w])
    new = g.nodes[n_forward:]
    users = g.users()
    assert all(users[n] for n in new if n is not gw)  # nothing dead was left behind
    assert [n.name for n in new if n.op == "matmul"] == ["matmul_1"]  # numbered without gaps
    assert static.Session(g).run(gw, {x: np.ones((1, 3), np.float32)}).tolist() == [[6.0] * 2] * 3
    static.lint(g)


def test_graph_remove_refuses_nodes_in_use():
    with static.Graph() as g:
        x = static.placeholder((2,), name="x")
        y = ops.exp(x)
        z = ops.neg(y)
    with pytest.raises(ValueError, match="cannot remove %exp: %neg uses it"):
        g.remove([y])
    g.remove([y, z])
    assert g.nodes == [x] and "exp" not in g
