"""``rnn_sequence``'s gradient on NumPy arrays (the eager backward; see `recurrent`).

NOTE: a measured trick (docs/PERFORMANCE.md): the rule written with ops dispatches ~15 op calls
a step, each costing more than its arithmetic on these small arrays; on arrays the recursion
is plain NumPy into preallocated buffers. tests/perf_kernels/test_rnn_sequence.py and
tests/shared_ops/test_recurrent_workspace.py hold the two forms equal.
"""

from __future__ import annotations

import numpy as np

from .recurrent_kernel import GATES, flat_matmul, forward, lstm_order, sigmoid


def shifted(seq: np.ndarray, first: np.ndarray, reverse: bool) -> np.ndarray:
    """The state each step started from: ``first``, then ``seq`` shifted by one step."""
    prev = np.empty_like(seq)
    if reverse:
        prev[:, :-1], prev[:, -1] = seq[:, 1:], first
    else:
        prev[:, 1:], prev[:, 0] = seq[:, :-1], first
    return prev


def _time_major(v: np.ndarray) -> np.ndarray:
    """A (B, T, ...) array as a C-contiguous (T, B, ...) array (a copy unless it is one)."""
    return np.ascontiguousarray(v.swapaxes(0, 1))


def _gate_derivative(a: np.ndarray, sig: bool, out: np.ndarray) -> np.ndarray:
    """Into ``out``: ``a (1 - a)`` (a sigmoid's output) or ``1 - a^2`` (a tanh's)."""
    if sig:
        np.subtract(1, a, out=out)
        out *= a
    else:
        np.multiply(a, a, out=out)
        np.subtract(1, out, out=out)
    return out


def _lstm_factors(out, c_prev, n):
    """The LSTM's per-step factors (time-major, the kernel's gate order ``[i, f, o, g]``):
    ``F`` (T, B, 4H) with ``dgates = [dc, dc, dh, dc] * F``, the cell's own derivative
    ``a_c = o (1 - tanh(c)^2)`` and the forget gate ``f``, from the workspace in ``out``."""
    tm = out.swapaxes(0, 1)  # the kernel's time-major memory
    acts = tm[..., 2 * n:]
    i, f, o, g = (acts[..., k * n:(k + 1) * n] for k in range(4))
    tc = np.tanh(tm[..., n:2 * n])
    factors = np.empty(acts.shape, dtype=acts.dtype)
    for k, (gate, sig, times) in enumerate(((i, True, g), (f, True, _time_major(c_prev)),
                                            (o, True, tc), (g, False, i))):
        part = _gate_derivative(gate, sig, factors[..., k * n:(k + 1) * n])
        part *= times
    a_c = _gate_derivative(tc, False, tc)
    a_c *= o
    return factors, a_c, f


def _workspace_share(g_ws, acts, n):
    """The gradient reaching the gates' pre-activations from the workspace columns (zero
    unless a user reads them): ``g_ws * act'``, time-major, the kernel's gate order."""
    share = np.empty(acts.shape, dtype=acts.dtype)
    for k in range(4):
        _gate_derivative(acts[..., k * n:(k + 1) * n], k != 3, share[..., k * n:(k + 1) * n])
    share *= g_ws
    return share


def _gru_workspace_share(g_ws, r, z, cand, hh_n, n):
    """What the gradient of a GRU's workspace columns ``[r, z, n, hh_n]`` adds to the input
    side's and the hidden side's gate pre-activations (time-major): the candidate's reaches r
    through ``r * hh_n``, and ``hh_n`` is the hidden side's candidate pre-activation itself."""
    g_r, g_z, g_n, g_hhn = (g_ws[..., k * n:(k + 1) * n] for k in range(4))
    dn = g_n * (1 - cand * cand)
    dr = (g_r + dn * hh_n) * r * (1 - r)
    dz = g_z * z * (1 - z)
    return (_time_major(np.concatenate([dr, dz, dn], axis=-1)),
            _time_major(np.concatenate([dr, dz, dn * r + g_hhn], axis=-1)))


def vjp_arrays(g, inputs, out, mode, reverse, workspace, needs):
    """`recurrent._vjp`'s math on NumPy arrays, step by step the same products and sums."""
    x, h0, c0, w_ih, w_hh, b_ih, b_hh = inputs
    b, t, f_in = x.shape
    n = w_hh.shape[1]
    rows = GATES[mode] * n
    lstm = mode == "LSTM"
    gru_ws = workspace and mode == "GRU"
    h = out[..., :n] if lstm or gru_ws else out
    h_prev = shifted(h, h0, reverse)
    xi = hh = None
    if lstm:  # the kernel's gate order, and the gates (a forward run without a workspace)
        order = lstm_order(n)
        w_ih, w_hh = w_ih[order], w_hh[order]
        if not workspace:
            out = forward(*inputs, mode=mode, reverse=reverse, workspace=True)
    elif mode == "GRU" and not workspace:  # the gates, recomputed
        xi = flat_matmul(x, w_ih.T)
        xi += b_ih
        hh = flat_matmul(h_prev, w_hh.T)
        hh += b_hh
    g_h = g[..., :n] if lstm or gru_ws else g
    share = share_ih = None  # the workspace's own gradient: hidden and input side
    if mode == "GRU":
        if gru_ws:
            r, z, cand, hh_n = (out[..., (k + 1) * n:(k + 2) * n] for k in range(4))
        else:
            rz = sigmoid(xi[..., :2 * n] + hh[..., :2 * n])
            r, z = rz[..., :n], rz[..., n:]
            hh_n = hh[..., 2 * n:]
            cand = np.tanh(xi[..., 2 * n:] + r * hh_n)
        if gru_ws and g[..., n:].any():  # zero unless a user reads the gates
            share_ih, share = _gru_workspace_share(g[..., n:], r, z, cand, hh_n, n)
        dcand = (1 - z) * (1 - cand * cand)
        dr = dcand * hh_n * r * (1 - r)
        dz = (h_prev - cand) * z * (1 - z)
        f_ih_t = _time_major(np.concatenate([dr, dz, dcand], axis=-1))
        f_hh_t = _time_major(np.concatenate([dr, dz, dcand * r], axis=-1))
        z_t = _time_major(z)
    elif lstm:
        f_hh_t, a_c_t, f_t = _lstm_factors(out, shifted(out[..., n:2 * n], c0, reverse), n)
        f_ih_t = f_hh_t
        g_c_t = _time_major(g[..., n:2 * n])
        if workspace and g[..., 2 * n:].any():  # zero unless a user reads the gates
            share = _workspace_share(_time_major(g[..., 2 * n:]), out.swapaxes(0, 1)[..., 2 * n:],
                                     n)
    else:
        f_hh_t = f_ih_t = _time_major(1 - h * h if mode == "RNN_TANH" else
                                      (h > 0).astype(h.dtype))
    # The recursion reads and writes one step at a time, time-major (contiguous rows a step).
    dhh = np.empty((t, b, rows), dtype=f_hh_t.dtype)
    dxi = dhh if f_ih_t is f_hh_t else np.empty_like(dhh)
    g_h_t = _time_major(g_h)
    dh = np.zeros((b, n), dtype=dhh.dtype)
    dc = np.zeros((b, n), dtype=dhh.dtype) if lstm else None
    if lstm:  # w_hh as two (2H, H) halves of rows, the product's two partial sums
        halves = np.ascontiguousarray(w_hh.reshape(2, 2 * n, n))
        parts = np.empty((2, b, n), dtype=dhh.dtype)
    dhh4 = dhh.reshape(t, b, GATES[mode], n)
    f4 = f_hh_t.reshape(t, b, GATES[mode], n)
    for k in (range(t) if reverse else range(t - 1, -1, -1)):
        dh_k = g_h_t[k] + dh
        if lstm:
            dc_k = g_c_t[k] + dh_k * a_c_t[k]
            dc_k += dc
            # dgates = [dc, dc, dh, dc] * factors, written gate by gate into the buffer (one
            # call a gate: a (B, 3, H) product broadcasting dc took 3x as long)
            for j, d in enumerate((dc_k, dc_k, dh_k, dc_k)):  # [i, f, o, g]
                np.multiply(f4[k, :, j], d, out=dhh4[k, :, j])
            np.multiply(dc_k, f_t[k], out=dc)
        else:
            np.multiply(f4[k], dh_k[:, None], out=dhh4[k])
        if share is not None:
            dhh[k] += share[k]
        if lstm:  # NOTE: split over K in two batched halves, as the forward (PERFORMANCE.md)
            np.matmul(dhh[k].reshape(b, 2, 2 * n).transpose(1, 0, 2), halves, out=parts)
            dh = np.add(parts[0], parts[1], out=dh)
        else:
            dh = dhh[k] @ w_hh
        if mode == "GRU":
            dh += dh_k * z_t[k]
            np.multiply(f_ih_t[k].reshape(b, 3, n), dh_k[:, None], out=dxi[k].reshape(b, 3, n))
            if share_ih is not None:
                dxi[k] += share_ih[k]
    grads = _totals(dxi, dhh, dh, dc, x, h_prev, (x, h0, c0, w_ih, w_hh), needs)
    if lstm:  # rows back to PyTorch's gate order
        back = np.argsort(lstm_order(n))
        grads = [v[back] if v is not None and i >= 3 else v for i, v in enumerate(grads)]
    return tuple(grads)


def _totals(dxi, dhh, dh, dc, x, h_prev, inputs, needs):
    """Every step at once, in the buffers' time-major row order (x arrives as a transposed
    view of time-major data from nn.RNN & co.: its time-major rows are free)."""
    _, h0, c0, w_ih, w_hh = inputs
    t, b, rows = dhh.shape
    f_in, n = x.shape[2], h0.shape[1]
    flat_xi, flat_hh = dxi.reshape(t * b, rows), dhh.reshape(t * b, rows)
    x_rows, h_rows = x.swapaxes(0, 1).reshape(t * b, f_in), h_prev.swapaxes(0, 1).reshape(t * b, n)
    gw_ih = flat_xi.T @ x_rows if needs[3] else None
    gw_hh = flat_hh.T @ h_rows if needs[4] else None
    ones = np.ones(t * b, dtype=dhh.dtype)  # column sums as a product (see fused_layer_norm_op)
    gb_hh = ones @ flat_hh if needs[5] or needs[6] else None
    gb_ih = gb_hh if flat_xi is flat_hh else ones @ flat_xi if needs[5] else None
    return ((flat_xi @ w_ih).reshape(t, b, f_in).swapaxes(0, 1) if needs[0] else None,
            dh if needs[1] else None,
            (dc if dc is not None else np.zeros_like(c0)) if needs[2] else None,
            gw_ih, gw_hh,
            gb_ih if needs[5] else None,
            gb_hh if needs[6] else None)
