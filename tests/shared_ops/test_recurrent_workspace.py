"""``rnn_sequence(..., workspace=True)``: an LSTM layer that also returns every step's gate
activations (in the kernel's order ``[i, f, o, g]``), a GRU its ``[r, z, n, hh_n]``, for the
gradient to read. The states are the same as without it; the workspace holds PyTorch's gate
values; the gradient (array form and ops form alike) is right, also for a cotangent that
reaches the workspace columns (central finite differences in float64); eager's nn.LSTM and
nn.GRU ask for it, traced graphs do not."""

from __future__ import annotations

import numpy as np
import pytest

import eager
import shared_ops as ops

B, T, F, N = 3, 5, 4, 3


def _args(seed: int, gates: int = 4) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.standard_normal((B, T, F)), rng.standard_normal((B, N)) * 0.5,
            rng.standard_normal((B, N)) * 0.5, rng.standard_normal((gates * N, F)) * 0.6,
            rng.standard_normal((gates * N, N)) * 0.6, rng.standard_normal(gates * N) * 0.3,
            rng.standard_normal(gates * N) * 0.3]


def _sig(v):
    return 1 / (1 + np.exp(-v))


def _reference_workspace(mode, x, h0, c0, w_ih, w_hh, b_ih, b_hh, reverse):
    """PyTorch's equations step by step: every step's workspace columns."""
    h, c, kept = h0, c0, [None] * T
    for k in (range(T - 1, -1, -1) if reverse else range(T)):
        xi, hh = x[:, k] @ w_ih.T + b_ih, h @ w_hh.T + b_hh
        if mode == "LSTM":
            pre = xi + hh
            i, f, g, o = _sig(pre[:, :N]), _sig(pre[:, N:2 * N]), np.tanh(pre[:, 2 * N:3 * N]), \
                _sig(pre[:, 3 * N:])
            c = f * c + i * g
            h = o * np.tanh(c)
            kept[k] = np.concatenate([i, f, o, g], axis=-1)
        else:
            r, z = _sig(xi[:, :N] + hh[:, :N]), _sig(xi[:, N:2 * N] + hh[:, N:2 * N])
            cand = np.tanh(xi[:, 2 * N:] + r * hh[:, 2 * N:])
            h = (1 - z) * cand + z * h
            kept[k] = np.concatenate([r, z, cand, hh[:, 2 * N:]], axis=-1)
    return np.stack(kept, axis=1)


MODES = [("LSTM", 4, 2), ("GRU", 3, 1)]  # mode, gates, width of the states in the output


@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("mode, gates, own", MODES, ids=["lstm", "gru"])
def test_the_workspace_holds_the_gates_and_changes_no_state(mode, gates, own, reverse):
    args = _args(1, gates)
    plain = ops.rnn_sequence(*args, mode=mode, reverse=reverse)
    kept = ops.rnn_sequence(*args, mode=mode, reverse=reverse, workspace=True)
    assert plain.shape == (B, T, own * N) and kept.shape == (B, T, (own + 4) * N)
    np.testing.assert_allclose(kept[..., :own * N], plain, rtol=1e-15, atol=1e-15)
    np.testing.assert_allclose(kept[..., own * N:],
                               _reference_workspace(mode, *args, reverse=reverse),
                               rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("mode, gates, own", MODES, ids=["lstm", "gru"])
def test_gradient_forms_agree_with_a_cotangent_on_the_workspace(mode, gates, own, reverse):
    args = _args(2, gates)
    attrs = {"mode": mode, "reverse": reverse, "workspace": True}
    out = ops.rnn_sequence(*args, **attrs)
    g = np.random.default_rng(3).standard_normal(out.shape)
    vjp = ops.OPS["rnn_sequence"].vjp
    on_arrays = vjp(g, args, out, **attrs)
    on_tensors = vjp(eager.from_numpy(g), [eager.from_numpy(a) for a in args],
                     eager.from_numpy(out), **attrs)
    for i, (a, t) in enumerate(zip(on_arrays, on_tensors, strict=True)):
        np.testing.assert_allclose(a, t.numpy(), rtol=1e-10, atol=1e-12, err_msg=str(i))


@pytest.mark.parametrize("workspace", [False, True])
@pytest.mark.parametrize("mode, gates, own", MODES, ids=["lstm", "gru"])
def test_gradient_matches_finite_differences(mode, gates, own, workspace):
    args = _args(4, gates)
    attrs = {"mode": mode, "workspace": workspace}
    out = ops.rnn_sequence(*args, **attrs)
    w = np.random.default_rng(5).standard_normal(out.shape)
    grads = ops.OPS["rnn_sequence"].vjp(w, args, out, **attrs)
    eps = 1e-6
    for i, a in enumerate(args):
        if mode != "LSTM" and i == 2:
            continue  # c0: only the LSTM reads it (its gradient is zeros)
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


@pytest.mark.parametrize("kind, own", [("LSTM", 2), ("GRU", 1)])
def test_eager_layers_ask_for_the_workspace_and_static_graphs_do_not(kind, own):
    import static
    from static.tracing import trace

    layer = getattr(eager.nn, kind)(F, N)
    out, _ = layer(eager.from_numpy(np.ones((T, B, F), np.float32)))
    assert out.shape == (T, B, N)
    entry = out.grad_fn
    while entry.name() != "RnnSequenceBackward0":  # back through the slices to the layer
        entry = entry.next_functions[0][0]
    assert entry.attrs["workspace"] is True
    with static.Graph() as g:
        trace(layer, static.placeholder((T, B, F)))
    (node,) = [n for n in g.nodes if n.op == "rnn_sequence"]
    assert node.attrs["workspace"] is False and node.aval.shape[-1] == own * N
