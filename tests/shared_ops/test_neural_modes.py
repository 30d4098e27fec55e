"""The neural ops under both execution modes: a small CNN built as a static graph with an
unknown batch dim (so every gradient rule takes its ``like``-input path) agrees with the same
code run eagerly; dropout draws the same mask in both modes for one seed; conv2d's gradient
primitives give correct second-order gradients (checked against torch).
"""

from __future__ import annotations

import numpy as np
import pytest

import shared_ops as so

eager = pytest.importorskip("eager")
static = pytest.importorskip("static")

rng = np.random.default_rng(99)
X = rng.standard_normal((4, 2, 8, 8))
Y = np.array([0, 2, 1, 2])
W1 = rng.standard_normal((3, 2, 3, 3)) * 0.5
B1 = rng.standard_normal(3) * 0.1
W2 = rng.standard_normal((3, 27)) * 0.3
GAMMA, BETA = rng.standard_normal(27), rng.standard_normal(27)


def cnn(x, w1, b1, w2, gamma, beta, y):
    """conv -> gelu -> max pool -> avg pool -> layer_norm -> linear -> cross-entropy."""
    h = so.gelu(so.conv2d(x, w1, b1, stride=1, padding=1))
    h = so.max_pool2d(h, 2)  # (N, 3, 4, 4)
    h = so.avg_pool2d(h, 3, stride=1, padding=1, count_include_pad=False)
    h = so.reshape(h[:, :, :3, :3], shape=(-1, 27))
    h = so.layer_norm(h, (27,), gamma, beta)
    return so.cross_entropy(so.linear(h, w2), y)


def _eager_loss_and_grads():
    params = [eager.tensor(p, requires_grad=True) for p in (W1, B1, W2, GAMMA, BETA)]
    loss = cnn(eager.tensor(X), *params, eager.tensor(Y))
    grads = eager.autograd.grad(loss, params)
    return loss.detach().numpy(), [g.numpy() for g in grads]


def test_static_graph_with_unknown_batch_matches_eager():
    want_loss, want_grads = _eager_loss_and_grads()
    with static.Graph() as graph:
        x = static.placeholder((None, 2, 8, 8), dtype="float64", name="x")
        y = static.placeholder((None,), dtype="int64", name="y")
        params = [static.variable(p) for p in (W1, B1, W2, GAMMA, BETA)]
        loss = cnn(x, *params, y)
        grads = static.gradients(loss, params)
    got = static.Session(graph).run([loss] + grads, {x: X, y: Y})
    np.testing.assert_allclose(got[0], want_loss, rtol=1e-10)
    for g, w in zip(got[1:], want_grads, strict=True):
        np.testing.assert_allclose(g, w, rtol=1e-8, atol=1e-12)


def test_static_build_reports_conv_mismatch_at_the_users_line():
    with static.Graph():
        x = static.placeholder((None, 3, 8, 8), name="x")
        with pytest.raises(so.ShapeError) as info:
            so.conv2d(x, static.variable(np.zeros((4, 2, 3, 3), np.float32)))
    assert "(?, 3, 8, 8) and (4, 2, 3, 3)" in str(info.value)
    assert "test_neural_modes.py:" in str(info.value)


def test_dropout_masks_agree_between_modes():
    x = rng.standard_normal((6, 5))
    want = so.dropout(x, 123, p=0.4)
    got_eager = so.dropout(eager.tensor(x), 123, p=0.4).numpy()
    with static.Graph() as graph:
        xs = static.placeholder((None, 5), dtype="float64")
        seed = static.placeholder((), dtype="int64")
        out = so.dropout(xs, seed, p=0.4)
    got_static = static.Session(graph).run(out, {xs: x, seed: np.int64(123)})
    np.testing.assert_array_equal(got_eager, want)
    np.testing.assert_array_equal(got_static, want)


@pytest.mark.parametrize("params", [dict(stride=1, padding=1), dict(stride=2, groups=2)],
                         ids=["pad1", "stride2-groups2"])
def test_conv2d_double_backward_matches_torch(params):
    torch = pytest.importorskip("torch")
    x, w = rng.standard_normal((2, 4, 6, 6)), rng.standard_normal((3 * 2, 4 // params.get(
        "groups", 1), 3, 3))
    v = rng.standard_normal(x.shape)

    def second_order(lib, conv, grad, x, w):
        # d/d(x, w) of <v, d/dx sum(conv(x, w)^2)>: runs the VJPs of both gradient primitives.
        out = conv(x, w, **params)
        (gx,) = grad(lib.sum(out * out) if lib is torch else so.sum(so.mul(out, out)), [x])
        inner = (gx * lib.from_numpy(v)).sum() if lib is torch else so.sum(so.mul(gx, v))
        return [g.detach().numpy() for g in grad(inner, [x, w])]

    def torch_grad(y, xs):
        return torch.autograd.grad(y, xs, create_graph=True)

    def eager_grad(y, xs):
        return eager.autograd.grad(y, xs, create_graph=True)

    want = second_order(torch, torch.nn.functional.conv2d, torch_grad,
                        torch.tensor(x, requires_grad=True), torch.tensor(w, requires_grad=True))
    got = second_order(eager, so.conv2d, eager_grad, eager.tensor(x, requires_grad=True),
                       eager.tensor(w, requires_grad=True))
    for g, t in zip(got, want, strict=True):
        np.testing.assert_allclose(g, t, rtol=1e-9, atol=1e-10)


def test_embedding_padding_row_gets_no_gradient_in_eager():
    weight = eager.tensor(rng.standard_normal((4, 3)), requires_grad=True)
    out = so.embedding(eager.tensor(np.array([[0, 2], [2, 3]])), weight, padding_idx=2)
    (grad,) = eager.autograd.grad(so.sum(out), [weight])
    np.testing.assert_array_equal(grad.numpy(), [[1, 1, 1], [0, 0, 0], [0, 0, 0], [1, 1, 1]])
