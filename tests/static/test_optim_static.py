"""TF1-style training with Session.run: logistic regression and an MLP against the same
computation done by hand in NumPy (float64, 1e-6), and the optimizers against torch.optim."""

import numpy as np
import pytest

import shared_ops as ops
import static

RNG = np.random.default_rng(42)
N, D, H, C = 16, 4, 5, 3


def test_logistic_regression_matches_numpy_by_hand():
    xs = RNG.normal(size=(N, D))
    ys = (RNG.random((N, 1)) < 0.5).astype(np.float64)
    w0, b0 = RNG.normal(size=(D, 1)) * 0.1, np.zeros(1)
    with static.Graph() as g:
        x = static.placeholder((None, D), dtype="float64", name="x")
        y = static.placeholder((None, 1), dtype="float64", name="y")
        w = static.variable(w0, name="w")
        b = static.variable(b0, name="b")
        p = ops.sigmoid(x @ w + b)
        loss = -ops.mean(y * ops.log(p) + (1.0 - y) * ops.log(1.0 - p))
        gw, gb = static.gradients(loss, [w, b])
        train = static.optim.SGD(lr=0.5).minimize(loss)
    sess = static.Session(g)
    w_np, b_np = w0.copy(), b0.copy()
    for _ in range(20):
        z = xs @ w_np + b_np
        p_np = 1.0 / (1.0 + np.exp(-z))
        loss_np = -np.mean(ys * np.log(p_np) + (1 - ys) * np.log(1 - p_np))
        dz = (p_np - ys) / N
        dw, db = xs.T @ dz, dz.sum(axis=0)
        loss_v, gw_v, gb_v, _ = sess.run([loss, gw, gb, train], {x: xs, y: ys})
        np.testing.assert_allclose(loss_v, loss_np, rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(gw_v, dw, rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(gb_v, db, rtol=1e-6, atol=1e-6)
        w_np, b_np = w_np - 0.5 * dw, b_np - 0.5 * db
    np.testing.assert_allclose(w.value, w_np, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(b.value, b_np, rtol=1e-6, atol=1e-6)
    assert sess.run(loss, {x: xs, y: ys}) < loss_np  # it learned


def _mlp_graph(w1, b1, w2, b2, optimizer):
    with static.Graph() as g:
        x = static.placeholder((None, D), dtype="float64", name="x")
        onehot = static.placeholder((None, C), dtype="float64", name="onehot")
        fc1_w = static.variable(w1, name="fc1.weight")
        fc1_b = static.variable(b1, name="fc1.bias")
        fc2_w = static.variable(w2, name="fc2.weight")
        fc2_b = static.variable(b2, name="fc2.bias")
        h = ops.tanh(x @ fc1_w + fc1_b)
        logits = h @ fc2_w + fc2_b
        nll = ops.logsumexp(logits, axis=1) - ops.sum(onehot * logits, axis=1)
        loss = ops.mean(nll)
        grads = static.gradients(loss, [fc1_w, fc1_b, fc2_w, fc2_b])
        train = optimizer.minimize(loss)
    return g, x, onehot, loss, grads, train


def _mlp_numpy(params, xs, onehot):
    w1, b1, w2, b2 = params
    h = np.tanh(xs @ w1 + b1)
    z = h @ w2 + b2
    zmax = z.max(axis=1, keepdims=True)
    lse = zmax[:, 0] + np.log(np.exp(z - zmax).sum(axis=1))
    loss = np.mean(lse - (onehot * z).sum(axis=1))
    dz = (np.exp(z - lse[:, None]) - onehot) / len(xs)
    dh = dz @ w2.T
    da = dh * (1 - h**2)
    return loss, [xs.T @ da, da.sum(axis=0), h.T @ dz, dz.sum(axis=0)]


def test_mlp_with_momentum_matches_numpy_by_hand():
    xs = RNG.normal(size=(N, D))
    onehot_v = np.eye(C)[RNG.integers(0, C, size=N)]
    params = [RNG.normal(size=(D, H)) * 0.5, np.zeros(H), RNG.normal(size=(H, C)) * 0.5,
              np.zeros(C)]
    lr, mom = 0.1, 0.9
    g, x, onehot, loss, grads, train = _mlp_graph(*params, static.optim.SGD(lr, momentum=mom))
    sess = static.Session(g)
    bufs = [np.zeros_like(p) for p in params]
    for _ in range(10):
        loss_np, grads_np = _mlp_numpy(params, xs, onehot_v)
        out = sess.run({"loss": loss, "grads": grads, "train": train}, {x: xs, onehot: onehot_v})
        np.testing.assert_allclose(out["loss"], loss_np, rtol=1e-6, atol=1e-6)
        for mine, ref in zip(out["grads"], grads_np, strict=True):
            np.testing.assert_allclose(mine, ref, rtol=1e-6, atol=1e-6)
        bufs = [mom * buf + gr for buf, gr in zip(bufs, grads_np, strict=True)]
        params = [p - lr * buf for p, buf in zip(params, bufs, strict=True)]
    for var, ref in zip(g.variables(trainable=True), params, strict=True):
        np.testing.assert_allclose(var.value, ref, rtol=1e-6, atol=1e-6)


def test_mlp_with_adam_matches_numpy_by_hand():
    xs = RNG.normal(size=(N, D))
    onehot_v = np.eye(C)[RNG.integers(0, C, size=N)]
    params = [RNG.normal(size=(D, H)) * 0.5, np.zeros(H), RNG.normal(size=(H, C)) * 0.5,
              np.zeros(C)]
    lr, (b1, b2), eps = 0.01, (0.9, 0.999), 1e-8
    g, x, onehot, loss, _, train = _mlp_graph(*params, static.optim.Adam(lr=lr))
    sess = static.Session(g)
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    for t in range(1, 11):
        _, grads_np = _mlp_numpy(params, xs, onehot_v)
        sess.run(train, {x: xs, onehot: onehot_v})
        m = [b1 * mi + (1 - b1) * gi for mi, gi in zip(m, grads_np, strict=True)]
        v = [b2 * vi + (1 - b2) * gi * gi for vi, gi in zip(v, grads_np, strict=True)]
        params = [p - lr / (1 - b1**t) * mi / (np.sqrt(vi) / np.sqrt(1 - b2**t) + eps)
                  for p, mi, vi in zip(params, m, v, strict=True)]
    for var, ref in zip(g.variables(trainable=True), params, strict=True):
        np.testing.assert_allclose(var.value, ref, rtol=1e-6, atol=1e-6)
    assert g["adam.step"].value == 10


OPTIMIZERS = {
    "sgd": ({"lr": 0.1}, "SGD"),
    "sgd_momentum_wd": ({"lr": 0.1, "momentum": 0.8, "weight_decay": 0.01}, "SGD"),
    "sgd_nesterov": ({"lr": 0.05, "momentum": 0.9, "nesterov": True}, "SGD"),
    "adam": ({"lr": 0.01}, "Adam"),
    "adam_wd": ({"lr": 0.02, "betas": (0.8, 0.99), "eps": 1e-6, "weight_decay": 0.1}, "Adam"),
}


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_optimizers_match_torch(name):
    torch = pytest.importorskip("torch")
    kwargs, cls = OPTIMIZERS[name]
    w0, xs = RNG.normal(size=(3, 2)), RNG.normal(size=(8, 3))
    with static.Graph() as g:
        x = static.placeholder((None, 3), dtype="float64", name="x")
        w = static.variable(w0, name="w")
        loss = ops.sum(ops.tanh(x @ w) ** 2)
        train = getattr(static.optim, cls)(**kwargs).minimize(loss)
    tw = torch.tensor(w0, requires_grad=True)
    topt = getattr(torch.optim, cls)([tw], **kwargs)
    sess = static.Session(g)
    for _ in range(7):
        sess.run(train, {x: xs})
        topt.zero_grad()
        (torch.tanh(torch.tensor(xs) @ tw) ** 2).sum().backward()
        topt.step()
        np.testing.assert_allclose(w.value, tw.detach().numpy(), rtol=1e-9, atol=1e-12)


def test_train_op_structure_and_float32():
    with static.Graph() as g:
        x = static.placeholder((None, 2), name="x")
        w = static.variable(np.ones((2, 1), np.float32), name="w")
        frozen = static.variable(np.ones((1,), np.float32), name="frozen", trainable=False)
        loss = ops.mean((x @ w + frozen) ** 2)
        n_before = len(g)
        train = static.optim.Adam(lr=0.1).minimize(loss)
    assert train.op == "group" and all(a.op == "assign" for a in train.inputs)
    assert {a.inputs[0].name for a in train.inputs} == {"adam.step", "w.exp_avg", "w.exp_avg_sq",
                                                        "w"}
    assert [v.name for v in g.variables(trainable=False)] == ["frozen", "adam.step", "w.exp_avg",
                                                              "w.exp_avg_sq"]
    roles = {n.meta["role"] for n in g.nodes[n_before:]}
    assert roles == {"backward", "update"}
    static.lint(g)
    sess = static.Session(g)
    before = sess.run(loss, {x: np.ones((4, 2), np.float32)})
    for _ in range(5):
        sess.run(train, {x: np.ones((4, 2), np.float32)})
    assert w.value.dtype == np.float32 and frozen.value.tolist() == [1.0]
    assert sess.run(loss, {x: np.ones((4, 2), np.float32)}) < before


def test_minimize_reports_what_cannot_be_optimized():
    with static.Graph():
        x = static.placeholder((2,), name="x")
        with pytest.raises(ValueError, match="no trainable variables"):
            static.optim.SGD(0.1).minimize(ops.sum(x))
        w = static.variable([1.0, 2.0], name="w")
        with pytest.raises(ValueError, match="does not depend on any of %w"):
            static.optim.SGD(0.1).minimize(ops.sum(x), var_list=[w])
        with pytest.raises(ValueError, match="Nesterov"):
            static.optim.SGD(0.1, nesterov=True)
