"""Writes into graph values (issue 17): ``x[key] = v`` and the in-place methods (``add_``,
``relu_``, ``zero_``...) are functional updates with gradients, staged under the same Python
object, so code written for PyTorch computes what PyTorch computes."""

import numpy as np
import pytest

import static

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(171)
XV = RNG.standard_normal((3, 4)).astype(np.float32)


def torch_program(x, key, make_value):
    y = x * 2.0
    y[key] = make_value(x)
    return (y * y).sum()


@pytest.mark.parametrize("key, make_value", [
    ((slice(None), 1), lambda x: x[:, 0] * 3.0),
    ((0,), lambda x: x[1] + 1.0),
    ((slice(1, None), slice(None, None, 2)), lambda x: x[:2, 1::2] * x[:2, :2]),
    (([2, 0],), lambda x: x[:2] - 1.0),
    ("mask", lambda x: 5.0),
], ids=["column", "row", "block", "rows", "mask"])
def test_setitem_matches_pytorch_in_value_and_gradient(key, make_value):
    mask = XV > 0
    k = mask if key == "mask" else key
    xt = torch.tensor(XV, requires_grad=True)
    kt = torch.tensor(mask) if key == "mask" else key
    loss_t = torch_program(xt, kt, make_value)
    loss_t.backward()
    with static.Graph() as g:
        x = static.placeholder((None, 4), name="x")
        loss = torch_program(x, k, make_value)
        gx, = static.gradients(loss, [x])
    for executor in ("interpret", "compiled"):
        got_loss, got_gx = static.Session(g, executor=executor).run([loss, gx], {x: XV})
        np.testing.assert_allclose(got_loss, loss_t.item(), rtol=1e-5)
        np.testing.assert_allclose(got_gx, xt.grad.numpy(), rtol=1e-5, atol=1e-6)


def test_the_written_object_is_the_new_value_and_earlier_uses_keep_the_old():
    with static.Graph() as g:
        x = static.placeholder((2, 3), name="x")
        y = x * 1.0
        alias, before = y, y.sum()
        y[0] = 0.0
        after = alias.sum()
        y += 1.0  # augmented assignment rebinds the name only (as JAX arrays)
    assert alias is not y and alias.op == "index_set" and before.inputs[0] is not alias
    b, a, plus = static.Session(g).run([before, after, y], {x: np.ones((2, 3), np.float32)})
    assert b == 6 and a == 3 and (plus == [[1, 1, 1], [2, 2, 2]]).all()
    static.lint(g)


def test_in_place_methods_are_functional_updates():
    xt = torch.tensor(XV)
    with static.Graph() as g:
        x = static.placeholder((None, 4), name="x")
        outs = []
        for name, args in [("add_", (1.0,)), ("mul_", (2.0,)), ("sub_", (0.5,)), ("relu_", ()),
                           ("clamp_", (0.1, 0.9)), ("zero_", ()), ("fill_", (3.0,)),
                           ("neg_", ()), ("exp_", ()), ("copy_", ("row",))]:
            y = x.clone()
            a = tuple(XV[0] if v == "row" else v for v in args)
            assert getattr(y, name)(*a) is y
            outs.append(y)
            t = xt.clone()
            getattr(t, name)(*(torch.tensor(v) if isinstance(v, np.ndarray) else v for v in a))
            outs.append(t)
    got = static.Session(g).run(outs[::2], {x: XV})
    for v, t in zip(got, outs[1::2], strict=True):
        np.testing.assert_allclose(v, t.numpy(), rtol=1e-6)


def test_writing_into_a_graph_input_is_refused_naming_the_fix():
    with static.Graph() as g:
        x = static.placeholder((None, 4), name="x")
        with pytest.raises(TypeError, match=r"%x is a placeholder .*test_setitem_static.py"
                                            r".*x = x.clone\(\)"):
            x[0] = 1.0
        w = static.variable(np.zeros(3, np.float32), name="w")
        with pytest.raises(TypeError, match="variable"):
            w.add_(1.0)
        with pytest.raises(RuntimeError, match="can't be cast"):
            x.clone().long().add_(0.5)
        n = len(g.nodes)
        y = x.long()
        y[:, 0] = 2.7  # cast to the value's dtype, as PyTorch
    assert len(g.nodes) > n and y.dtype == np.int64
    assert static.Session(g).run(y, {x: XV})[:, 0].tolist() == [2, 2, 2]


def test_writes_into_views_write_through_to_the_base_as_in_pytorch():
    def program(x):
        y = x * 1.0
        y[:, 0].zero_()  # basic indexing: a view
        y[1][2] = 7.0  # a view of a view
        y.t()[3].add_(1.0)  # transpose, then a row of it
        y.view(-1)[5] = -1.0
        y.unsqueeze(0).squeeze(0).mul_(2.0)
        y[[0, 2]].fill_(100.0)  # advanced indexing makes a copy: y is unchanged
        return y

    want = program(torch.tensor(XV)).numpy()
    with static.Graph() as g:
        x = static.placeholder((None, 4), name="x")
        y = program(x)
    np.testing.assert_allclose(static.Session(g).run(y, {x: XV}), want, rtol=1e-6)
    with static.Graph(), pytest.raises(RuntimeError, match="expanded value"):
        static.placeholder((1, 4), name="z").clone().expand(3, 4)[0].zero_()
