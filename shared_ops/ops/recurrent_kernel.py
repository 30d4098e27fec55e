"""The forward kernel of ``rnn_sequence`` (see `recurrent`): one recurrent layer over a
batch-first sequence, in NumPy.

Every step's input projection is one matmul before the loop (the hidden bias folded into it
where the equations allow: RNN and LSTM add it to the gates unchanged); the loop does one
product with the recurrent weight and the gate math on small arrays a step. With
``workspace=True`` an LSTM also writes every step's gate activations after ``[h, c]``, in the
kernel's gate order ``[i, f, o, g]`` (`lstm_order`), and a GRU ``[r, z, n, hh_n]`` after h:
what their gradients would otherwise recompute with two matmuls and the gates' sigmoids
(PyTorch's oneDNN LSTM keeps such a workspace for its backward too; the gain is in
docs/PERFORMANCE.md).
"""

from __future__ import annotations

import numpy as np

GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "GRU": 3, "LSTM": 4}


def sigmoid(v: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """``0.5 * tanh(v / 2) + 0.5``: no overflow for large |v|, one transcendental call;
    into ``out`` (which may be ``v``) when given."""
    out = np.multiply(v, 0.5, out=out)
    np.tanh(out, out=out)
    out *= 0.5
    out += 0.5
    return out


def flat_matmul(a: np.ndarray, w: np.ndarray) -> np.ndarray:
    """``a @ w`` for a (B, T, K) ``a`` as one 2-d product (B * T, K) @ (K, M); when ``a`` is a
    batch-first view of time-major data (what nn.RNN & co. pass), over its time-major rows,
    without a copy, the result again a batch-first view of time-major rows.

    NOTE: np.matmul on the 3-d array runs B separate (T, K) products (docs/PERFORMANCE.md)."""
    rows = a.swapaxes(0, 1)
    if rows.flags.c_contiguous:
        flat = rows.reshape(-1, a.shape[-1]) @ w
        return flat.reshape(rows.shape[0], rows.shape[1], -1).swapaxes(0, 1)
    return (a.reshape(-1, a.shape[-1]) @ w).reshape(*a.shape[:-1], w.shape[-1])


def width(mode: str, n: int, workspace: bool) -> int:
    """Features a step of the output holds: h (and the LSTM's c), then the workspace: the
    LSTM's four gates, or the GRU's ``[r, z, n, hh_n]`` (``hh_n``: the hidden side of the
    candidate's pre-activation, before r scales it)."""
    own = 2 * n if mode == "LSTM" else n
    return own + 4 * n if workspace and mode in ("LSTM", "GRU") else own


def lstm_order(n: int) -> np.ndarray:
    """The kernel's LSTM gate order ``[i, f, o, g]`` as rows of PyTorch's ``[i, f, g, o]``:
    the three sigmoid gates side by side."""
    return np.r_[0:2 * n, 3 * n:4 * n, 2 * n:3 * n]


def forward(x, h0, c0, w_ih, w_hh, b_ih, b_hh, mode="GRU", reverse=False, workspace=False):
    """The layer's output ``(B, T, width)``: see `recurrent`."""
    b, t, _ = x.shape
    n = h0.shape[-1]
    lstm = mode == "LSTM"
    if lstm:  # gates reordered, sigmoid rows halved: see `_lstm_loop`
        order = lstm_order(n)
        half = np.where(np.arange(4 * n) < 3 * n, 0.5, 1.0).astype(w_ih.dtype)
        w_ih, w_hh = w_ih[order] * half[:, None], w_hh[order] * half[:, None]
        b_ih = (b_ih + b_hh)[order] * half
    xi = flat_matmul(x, w_ih.T)  # every step's input projection: one matmul
    xi += b_ih
    if mode in ("RNN_TANH", "RNN_RELU"):  # GRU's candidate gate scales its bias by r
        xi += b_hh
    # Time-major memory seen batch-first: each step writes contiguous rows, and the layer's
    # transpose back to (T, B, H) is free.
    out = np.empty((t, b, width(mode, n, workspace)), dtype=xi.dtype)
    steps = range(t - 1, -1, -1) if reverse else range(t)
    if lstm:
        _lstm_loop(xi, h0, c0, w_hh, out, steps, workspace)
        return out.swapaxes(0, 1)
    h, w_hh_t = h0, np.ascontiguousarray(w_hh.T)  # BLAS is faster on it than on .T
    keep = workspace and mode == "GRU"
    for k in steps:
        hh = h @ w_hh_t
        xk = xi[:, k]
        if mode == "GRU":
            hh += b_hh
            row = out[k]
            rz = sigmoid(xk[:, :2 * n] + hh[:, :2 * n], out=row[:, n:3 * n] if keep else None)
            cand = np.tanh(xk[:, 2 * n:] + rz[:, :n] * hh[:, 2 * n:],
                           out=row[:, 3 * n:4 * n] if keep else None)
            if keep:
                row[:, 4 * n:] = hh[:, 2 * n:]
                h = np.subtract(h, cand, out=row[:, :n])
                h *= rz[:, n:]
                h += cand
                continue
            h = cand + rz[:, n:] * (h - cand)
        else:
            hh += xk
            h = np.tanh(hh, out=hh) if mode == "RNN_TANH" else np.maximum(hh, 0, out=hh)
        out[k] = h
    return out.swapaxes(0, 1)


def _lstm_loop(xi, h0, c0, w_hh, out, steps, workspace: bool) -> None:
    """The LSTM's steps, writing ``[h, c(, i, f, o, g)]`` of step k into ``out[k]``; ``xi``
    and ``w_hh`` are in the kernel's gate order with the sigmoid gates' rows halved, so that
    one tanh over all four gates gives ``tanh(p / 2)`` for i, f, o (then ``sigmoid(p) = 0.5
    tanh(p / 2) + 0.5``; halving is exact in binary floating point) and ``tanh(p)`` for g.

    NOTE: the recurrent product runs as two (H, 2H) halves in one batched matmul, not one
    (H, 4H) product: OpenBLAS took 24 against 39 us for 20 x 128 by 128 x 512 on this
    machine (docs/PERFORMANCE.md)."""
    b, n = h0.shape
    halves = np.ascontiguousarray(w_hh.reshape(2, 2 * n, n).transpose(0, 2, 1))
    pre = np.empty((2, b, 2 * n), dtype=out.dtype)  # the gates' pre-activations, two halves
    scratch = None if workspace else np.empty((b, 4 * n), dtype=out.dtype)
    ig = np.empty((b, n), dtype=out.dtype)
    h, c = h0.astype(out.dtype, copy=False), c0.astype(out.dtype, copy=False)
    for k in steps:
        np.matmul(h, halves, out=pre)
        pre += xi[:, k].reshape(b, 2, 2 * n).transpose(1, 0, 2)
        row = out[k]
        act = row[:, 2 * n:] if workspace else scratch
        np.tanh(pre, out=act.reshape(b, 2, 2 * n).transpose(1, 0, 2))
        sig = act[:, :3 * n]
        sig *= 0.5
        sig += 0.5
        c_new, h_new = row[:, n:2 * n], row[:, :n]
        np.multiply(act[:, n:2 * n], c, out=c_new)
        np.multiply(act[:, :n], act[:, 3 * n:], out=ig)
        c_new += ig
        np.tanh(c_new, out=h_new)
        h_new *= act[:, 2 * n:3 * n]
        h, c = h_new, c_new
