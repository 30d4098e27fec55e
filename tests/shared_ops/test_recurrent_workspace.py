"""``rnn_sequence(..., workspace=True)``: an LSTM layer that also returns every step's gate
activations (in the kernel's order ``[i, f, o, g]``) for its gradient to read. The hidden and
cell states are the same as without it; the workspace holds PyTorch's gate activations; its
gradient (array form and ops form alike) is right, also for a cotangent that reaches the
workspace columns (central finite differences in float64); eager's nn.LSTM asks for it."""

from __future__ import annotations

import numpy as np
import pytest

import eager
import shared_ops as ops

B, T, F, N = 3, 5, 4, 3


def _args(seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.standard_normal((B, T, F)), rng.standard_normal((B, N)) * 0.5,
            rng.standard_normal((B, N)) * 0.5, rng.standard_normal((4 * N, F)) * 0.6,
            rng.standard_normal((4 * N, N)) * 0.6, rng.standard_normal(4 * N) * 0.3,
            rng.standard_normal(4 * N) * 0.3]


def _reference_gates(x, h0, c0, w_ih, w_hh, b_ih, b_hh, reverse):
    """PyTorch's LSTM equations step by step: every step's [i, f, o, g] activations."""
    sig = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    h, c, acts = h0, c0, [None] * T
    for k in (range(T - 1, -1, -1) if reverse else range(T)):
        pre = x[:, k] @ w_ih.T + b_ih + h @ w_hh.T + b_hh
        i, f, g, o = sig(pre[:, :N]), sig(pre[:, N:2 * N]), np.tanh(pre[:, 2 * N:3 * N]), \
            sig(pre[:, 3 * N:])
        c = f * c + i * g
        h = o * np.tanh(c)
        acts[k] = np.concatenate([i, f, o, g], axis=-1)
    return np.stack(acts, axis=1)


@pytest.mark.parametrize("reverse", [False, True])
def test_the_workspace_holds_the_gates_and_changes_no_state(reverse):
    args = _args(1)
    plain = ops.rnn_sequence(*args, mode="LSTM", reverse=reverse)
    kept = ops.rnn_sequence(*args, mode="LSTM", reverse=reverse, workspace=True)
    assert plain.shape == (B, T, 2 * N) and kept.shape == (B, T, 6 * N)
    np.testing.assert_array_equal(kept[..., :2 * N], plain)
    np.testing.assert_allclose(kept[..., 2 * N:], _reference_gates(*args, reverse=reverse),
                               rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("reverse", [False, True])
def test_gradient_forms_agree_with_a_cotangent_on_the_workspace(reverse):
    args = _args(2)
    attrs = {"mode": "LSTM", "reverse": reverse, "workspace": True}
    out = ops.rnn_sequence(*args, **attrs)
    g = np.random.default_rng(3).standard_normal(out.shape)
    vjp = ops.OPS["rnn_sequence"].vjp
    on_arrays = vjp(g, args, out, **attrs)
    on_tensors = vjp(eager.from_numpy(g), [eager.from_numpy(a) for a in args],
                     eager.from_numpy(out), **attrs)
    for i, (a, t) in enumerate(zip(on_arrays, on_tensors, strict=True)):
        np.testing.assert_allclose(a, t.numpy(), rtol=1e-10, atol=1e-12, err_msg=str(i))


@pytest.mark.parametrize("workspace", [False, True])
def test_gradient_matches_finite_differences(workspace):
    args = _args(4)
    attrs = {"mode": "LSTM", "workspace": workspace}
    out = ops.rnn_sequence(*args, **attrs)
    w = np.random.default_rng(5).standard_normal(out.shape)
    grads = ops.OPS["rnn_sequence"].vjp(w, args, out, **attrs)
    eps = 1e-6
    for i, a in enumerate(args):
        numeric = np.zeros_like(a)
        for pos in np.ndindex(a.shape):
            saved = a[pos]
            a[pos] = saved + eps
            up = (w * ops.rnn_sequence(*args, **attrs)).sum()
            a[pos] = saved - eps
            down = (w * ops.rnn_sequence(*args, **attrs)).sum()
            a[pos] = saved
            numeric[pos] = (up - down) / (2 * eps)
        np.testing.assert_allclose(grads[i], numeric, rtol=1e-6, atol=1e-8, err_msg=str(i))


def test_eager_lstm_asks_for_the_workspace_and_static_graphs_do_not():
    import static
    from static.tracing import trace

    lstm = eager.nn.LSTM(F, N)
    out, _ = lstm(eager.from_numpy(np.ones((T, B, F), np.float32)))
    assert out.shape == (T, B, N)
    entry = out.grad_fn
    while entry.name() != "RnnSequenceBackward0":  # back through the slices to the layer
        entry = entry.next_functions[0][0]
    assert entry.attrs["workspace"] is True
    with static.Graph() as g:
        trace(lstm, static.placeholder((T, B, F)))
    (node,) = [n for n in g.nodes if n.op == "rnn_sequence"]
    assert node.attrs["workspace"] is False and node.aval.shape[-1] == 2 * N
