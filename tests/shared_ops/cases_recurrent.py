"""Test cases of ``rnn_sequence`` (shared_ops/ops/recurrent.py), walked by
``test_registry_walk.py`` and the static walks: each mode and direction against a step-by-step
NumPy reference of PyTorch's equations, against the same equations in torch (autograd gives
the gradients compared), and the gradient against finite differences, first and second order.
"""

from __future__ import annotations

import numpy as np
from opcases import OpCase

rng = np.random.default_rng(424242)
GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "GRU": 3, "LSTM": 4}


def _sig(v):
    return 1 / (1 + np.exp(-v))


def _cell(lib, mode, x_t, h, c, w_ih, w_hh, b_ih, b_hh):
    """One step of PyTorch's equations, in NumPy (lib=np) or torch (lib=torch)."""
    xi = x_t @ w_ih.T + b_ih
    hh = h @ w_hh.T + b_hh
    n = h.shape[-1]
    sig = _sig if lib is np else lib.sigmoid
    if mode == "GRU":
        r, z = sig(xi[:, :n] + hh[:, :n]), sig(xi[:, n:2 * n] + hh[:, n:2 * n])
        cand = lib.tanh(xi[:, 2 * n:] + r * hh[:, 2 * n:])
        return (1 - z) * cand + z * h, c
    if mode == "LSTM":
        gates = xi + hh
        i, f, o = sig(gates[:, :n]), sig(gates[:, n:2 * n]), sig(gates[:, 3 * n:])
        c = f * c + i * lib.tanh(gates[:, 2 * n:3 * n])
        return o * lib.tanh(c), c
    pre = xi + hh
    return (lib.tanh(pre) if mode == "RNN_TANH" else lib.relu(pre) if lib is not np
            else np.maximum(pre, 0)), c


def _run(lib, stack, x, h0, c0, w_ih, w_hh, b_ih, b_hh, mode, reverse):
    t = x.shape[1]
    outs = [None] * t
    h, c = h0, c0
    for k in (range(t - 1, -1, -1) if reverse else range(t)):
        h, c = _cell(lib, mode, x[:, k], h, c, w_ih, w_hh, b_ih, b_hh)
        outs[k] = lib.concatenate([h, c], -1) if mode == "LSTM" and lib is np else \
            lib.cat([h, c], -1) if mode == "LSTM" else h
    return stack(outs, 1)


def rnn_ref(*args, mode, reverse):
    return _run(np, np.stack, *args, mode=mode, reverse=reverse)


def rnn_torch(torch, *args, mode, reverse):
    return _run(torch, torch.stack, *args, mode=mode, reverse=reverse)


CASES: list[OpCase] = []
for _mode, _gates in GATES.items():
    for _reverse in (False, True):
        b, t, f, n = 3, 4, 2, 3
        _args = (rng.standard_normal((b, t, f)), rng.standard_normal((b, n)) * 0.5,
                 rng.standard_normal((b, n)) * 0.5,
                 rng.standard_normal((_gates * n, f)) * 0.6,
                 rng.standard_normal((_gates * n, n)) * 0.6,
                 rng.standard_normal(_gates * n) * 0.3, rng.standard_normal(_gates * n) * 0.3)
        CASES.append(OpCase("rnn_sequence", _args, {"mode": _mode, "reverse": _reverse},
                            rnn_ref, rnn_torch,
                            id=f"{_mode.lower()}{'-reverse' if _reverse else ''}"))
