"""cond / while_loop / scan on plain arrays and eager Tensors: Python runs, autograd follows."""

import numpy as np
import pytest

import eager
import shared_ops as ops
from shared_ops.errors import DTypeError, ShapeError


def test_cond_on_arrays_takes_one_branch():
    calls = []

    def t(x):
        calls.append("t")
        return x * 2

    def f(x):
        calls.append("f")
        return x - 1

    assert float(ops.cond(np.array(False), t, f, np.float32(3))) == 2.0
    assert calls == ["f"]


def test_cond_pred_must_be_scalar_names_user_line():
    with pytest.raises(ShapeError, match=r"cond: pred must be a scalar, got bool\[2\].*"
                                         r"test_eager_control_flow.py"):
        ops.cond(np.array([True, False]), lambda: 1, lambda: 2)


def test_while_loop_runs_to_condition_and_bound():
    out = ops.while_loop(lambda i, s: i < 5, lambda i, s: (i + 1, s + i), (np.int64(0),
                                                                            np.int64(0)))
    assert [int(v) for v in out] == [5, 10]
    (i,) = ops.while_loop(lambda i: i < 100, lambda i: i + 1, (np.int64(0),),
                          maximum_iterations=7)
    assert int(i) == 7


def test_while_loop_body_changing_shape_is_an_error():
    with pytest.raises(ShapeError, match=r"body_fn returned f32\[2\] for loop variable 0, but "
                                         r"loop_vars has f32\[1\]"):
        ops.while_loop(lambda x: x.sum() < 10, lambda x: (ops.concat([x, x]),),
                       (np.ones(1, np.float32),))
    with pytest.raises(DTypeError, match="body_fn returned f64"):
        ops.while_loop(lambda x: x < 10, lambda x: (x.astype(np.float64) + 1,),
                       (np.float32(0),))


def test_scan_carry_and_stacked_ys_reverse():
    xs = np.arange(4.0, dtype=np.float32)
    carry, ys = ops.scan(lambda c, x: (c + x, c), np.float32(0), xs)
    assert float(carry) == 6.0 and ys.tolist() == [0.0, 0.0, 1.0, 3.0]
    carry, ys = ops.scan(lambda c, x: (c + x, c), np.float32(0), xs, reverse=True)
    assert float(carry) == 6.0 and ys.tolist() == [6.0, 5.0, 3.0, 0.0]


def test_scan_tuples_and_length_without_xs():
    (a, b), (ya, yb) = ops.scan(lambda c, _: ((c[0] + 1, c[1] * 2), (c[0], c[1])),
                                (np.float32(0), np.float32(1)), None, length=3)
    assert (float(a), float(b)) == (3.0, 8.0)
    assert ya.tolist() == [0, 1, 2] and yb.tolist() == [1, 2, 4]


def test_scan_errors():
    with pytest.raises(ShapeError, match="xs leading dims differ"):
        ops.scan(lambda c, x: (c, None), np.float32(0), (np.zeros(2), np.zeros(3)))
    with pytest.raises(ops.OpValueError, match="fn must return a pair"):
        ops.scan(lambda c, x: c, np.float32(0), np.zeros(2, np.float32))


def test_eager_gradients_flow_through_iterations_taken():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    w_v = rng.standard_normal((3, 3)).astype(np.float32) * 0.5
    xs_v = rng.standard_normal((4, 3)).astype(np.float32)
    w = eager.tensor(w_v, requires_grad=True)
    xs = eager.tensor(xs_v, requires_grad=True)

    def step(h, x):
        h = ops.tanh(ops.matmul(w, h) + x)
        return h, h * h

    h, ys = eager.scan(step, eager.zeros(3), xs)
    (h.sum() + ys.sum()).backward()
    wt = torch.tensor(w_v, requires_grad=True)
    xt = torch.tensor(xs_v, requires_grad=True)
    ht, total = torch.zeros(3), 0
    for t in range(4):
        ht = torch.tanh(wt @ ht + xt[t])
        total = total + (ht * ht).sum()
    (ht.sum() + total).backward()
    np.testing.assert_allclose(w.grad.numpy(), wt.grad.numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(xs.grad.numpy(), xt.grad.numpy(), rtol=1e-5, atol=1e-6)


def test_eager_cond_and_while_gradients():
    x = eager.tensor([1.0, -3.0], requires_grad=True)
    y = eager.cond(x.sum() > 0, lambda v: v * 2, lambda v: v * v, x)
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [2.0, -6.0])
    a = eager.tensor(3.0, requires_grad=True)
    (p,) = eager.while_loop(lambda p: p < 100, lambda p: (p * a,), (a * 1.0,))
    p.backward()  # 3 -> 9 -> 27 -> 81 -> 243: p = a ** 5
    np.testing.assert_allclose(p.item(), 243.0)
    np.testing.assert_allclose(a.grad.item(), 5 * 3.0 ** 4, rtol=1e-6)
