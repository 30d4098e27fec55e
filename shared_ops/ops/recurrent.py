"""A whole recurrent layer over a sequence as one op: ``rnn_sequence``, the fused form of
``nn.RNN`` / ``nn.GRU`` / ``nn.LSTM``'s time loop for one layer and one direction.

    rnn_sequence(x, h0, c0, w_ih, w_hh, b_ih, b_hh, mode="GRU", reverse=False)

``x`` is batch-first ``(B, T, F)``; ``h0`` and ``c0`` are ``(B, H)`` (``c0`` is read by LSTM
only); the weights and biases are PyTorch's, gates stacked along rows (``(G*H, F)``,
``(G*H, H)``, ``(G*H,)``). The output is every step's hidden state ``(B, T, H)``, for LSTM
followed by every step's cell state: ``(B, T, 2H)``. ``reverse=True`` runs from the last step
back (a bidirectional layer's second direction); outputs stay in time order.

NOTE: a fused primitive, not a composite, because the unrolled loop recorded about 17 ops a
step (a tape entry each, and a scattered gradient for every gate chunk); here the kernel
computes every step's input projection in one matmul and the gate math on arrays, and one
tape entry stands for the layer (docs/PERFORMANCE.md). The gradient rule is written with ops,
as every rule: it recomputes the gates of all steps at once from the saved output (two
matmuls), runs the backward recursion (a few ops a step, on arrays in eager mode: no tape),
and forms the weight and input gradients as single matmuls over all steps. Being ops, it runs
under any mode and differentiates again.
"""

from __future__ import annotations

import numpy as np

from ..aval import Aval
from ..errors import OpValueError, ShapeError, describe_shapes
from ..registry import primitive
from ._rules import require_float
from .elementwise import add, mul, sub
from .elementwise_math import relu, sigmoid, sign, tanh
from .fill import zeros_like
from .indexing import getitem
from .linalg import matmul
from .reductions import sum as reduce_sum
from .shape import reshape, transpose
from .shape_join import concat, stack

GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "GRU": 3, "LSTM": 4}


# --- the forward kernel (NumPy) --------------------------------------------------------------
def _sigmoid(v: np.ndarray) -> np.ndarray:
    # 0.5 * tanh(v / 2) + 0.5: no overflow for large |v|, one transcendental call.
    out = np.tanh(v * 0.5)
    out *= 0.5
    out += 0.5
    return out


def _flat_matmul(a: np.ndarray, w: np.ndarray) -> np.ndarray:
    """``a @ w`` for a (B, T, K) ``a`` as one 2-d product (B * T, K) @ (K, M); when ``a`` is a
    batch-first view of time-major data (what nn.RNN & co. pass), over its time-major rows,
    without a copy, the result again a batch-first view of time-major rows.

    NOTE: np.matmul on the 3-d array runs B separate (T, K) products (docs/PERFORMANCE.md)."""
    rows = a.swapaxes(0, 1)
    if rows.flags.c_contiguous:
        flat = rows.reshape(-1, a.shape[-1]) @ w
        return flat.reshape(rows.shape[0], rows.shape[1], -1).swapaxes(0, 1)
    return (a.reshape(-1, a.shape[-1]) @ w).reshape(*a.shape[:-1], w.shape[-1])


def _kernel(x, h0, c0, w_ih, w_hh, b_ih, b_hh, mode="GRU", reverse=False):
    b, t, _ = x.shape
    n = h0.shape[-1]
    xi = _flat_matmul(x, w_ih.T)  # every step's input projection: one matmul
    xi += b_ih
    lstm = mode == "LSTM"
    # Time-major memory seen batch-first: each step writes contiguous rows, and the layer's
    # transpose back to (T, B, H) is free.
    out = np.empty((t, b, 2 * n if lstm else n), dtype=xi.dtype).swapaxes(0, 1)
    h, c, w_hh_t = h0, c0, np.ascontiguousarray(w_hh.T)  # BLAS is faster on it than on .T
    for k in (range(t - 1, -1, -1) if reverse else range(t)):
        hh = h @ w_hh_t
        hh += b_hh
        xk = xi[:, k]
        if mode == "GRU":
            rz = _sigmoid(xk[:, :2 * n] + hh[:, :2 * n])
            cand = np.tanh(xk[:, 2 * n:] + rz[:, :n] * hh[:, 2 * n:])
            h = cand + rz[:, n:] * (h - cand)
        elif lstm:
            gates = xk + hh
            sig = _sigmoid(gates)
            c = sig[:, n:2 * n] * c + sig[:, :n] * np.tanh(gates[:, 2 * n:3 * n])
            h = sig[:, 3 * n:] * np.tanh(c)
            out[:, k, n:] = c
        else:
            pre = xk + hh
            h = np.tanh(pre) if mode == "RNN_TANH" else np.maximum(pre, 0)
        out[:, k, :n] = h
    return out


def _rule(x: Aval, h0: Aval, c0: Aval, w_ih: Aval, w_hh: Aval, b_ih: Aval, b_hh: Aval,
          mode="GRU", reverse=False) -> Aval:
    """Check the layer's shapes; the output is ``(B, T, H)`` (LSTM: ``(B, T, 2H)``)."""
    if mode not in GATES:
        raise OpValueError("rnn_sequence", f"mode must be one of {sorted(GATES)}, got {mode!r}")
    shapes = [x.shape, h0.shape, c0.shape, w_ih.shape, w_hh.shape, b_ih.shape, b_hh.shape]
    if [len(s) for s in shapes] != [3, 2, 2, 2, 2, 1, 1]:
        raise ShapeError("rnn_sequence", "expected x (B, T, F), h0 and c0 (B, H), weights "
                         "(G*H, F) and (G*H, H), biases (G*H,), got shapes "
                         f"{describe_shapes(*shapes)}", shapes=shapes)
    require_float("rnn_sequence", x, h0, w_ih, w_hh)
    n = h0.shape[1] if h0.shape[1] is not None else w_hh.shape[1]
    rows = None if n is None else GATES[mode] * n
    expect = [(x.shape[0], n), (x.shape[0], n), (rows, x.shape[2]), (rows, n), (rows,), (rows,)]
    for got, want in zip(shapes[1:], expect, strict=True):
        if any(g is not None and w is not None and g != w for g, w in zip(got, want,
                                                                           strict=True)):
            raise ShapeError("rnn_sequence", f"{mode} with hidden size {n} over x of shape "
                             f"{describe_shapes(x.shape)}: expected shapes "
                             f"{describe_shapes(*expect)} for h0, c0, w_ih, w_hh, b_ih, b_hh, "
                             f"got {describe_shapes(*shapes[1:])}", shapes=shapes)
    width = None if n is None else (2 * n if mode == "LSTM" else n)
    return Aval((x.shape[0], x.shape[1], width), x.dtype)


# --- the gradient rule (ops) -----------------------------------------------------------------
def _cols(v, lo: int, hi: int):
    """Features ``lo:hi`` of the last axis."""
    return getitem(v, (Ellipsis, slice(lo, hi)))


def _step(v, k: int):
    """Step ``k`` of a batch-first (B, T, ...) value."""
    return getitem(v, (slice(None), k))


def _previous(seq, first, reverse: bool):
    """The state each step started from: ``first`` then the sequence shifted by one step."""
    first = getitem(first, (slice(None), None))
    if reverse:
        return concat([getitem(seq, (slice(None), slice(1, None))), first], axis=1)
    return concat([first, getitem(seq, (slice(None), slice(None, -1)))], axis=1)


def _local_factors(mode: str, n: int, xi, hh, h, h_prev, c, c_prev):
    """Per step, what the backward recursion multiplies by: ``(dgates_ih factors,
    dgates_hh factors, carry factor)``, each computed for all steps at once. ``dgates =
    spread(d) * factor`` where ``spread`` repeats the step's incoming gradient per gate."""
    if mode == "GRU":
        rz = sigmoid(add(_cols(xi, 0, 2 * n), _cols(hh, 0, 2 * n)))
        r, z = _cols(rz, 0, n), _cols(rz, n, 2 * n)
        hh_n = _cols(hh, 2 * n, 3 * n)
        cand = tanh(add(_cols(xi, 2 * n, 3 * n), mul(r, hh_n)))
        one = 1.0
        dcand = mul(sub(one, z), sub(one, mul(cand, cand)))  # d h / d cand_pre
        dr = mul(mul(dcand, hh_n), mul(r, sub(one, r)))
        dz = mul(sub(h_prev, cand), mul(z, sub(one, z)))
        return concat([dr, dz, dcand], axis=-1), concat([dr, dz, mul(dcand, r)], axis=-1), z
    if mode == "LSTM":
        gates = add(xi, hh)
        sig = sigmoid(gates)
        i, f, o = _cols(sig, 0, n), _cols(sig, n, 2 * n), _cols(sig, 3 * n, 4 * n)
        g = tanh(_cols(gates, 2 * n, 3 * n))
        tc = tanh(c)
        one = 1.0
        factors = concat([mul(g, mul(i, sub(one, i))), mul(c_prev, mul(f, sub(one, f))),
                          mul(i, sub(one, mul(g, g))), mul(tc, mul(o, sub(one, o)))], axis=-1)
        return factors, factors, (f, mul(o, sub(one, mul(tc, tc))))
    # tanh' = 1 - h^2; relu's derivative at its output: 1 where h > 0, else 0.
    d = sub(1.0, mul(h, h)) if mode == "RNN_TANH" else sign(relu(h))
    return d, d, None


def _vjp(g, inputs, out, mode="GRU", reverse=False, needs=(True,) * 7):
    if type(g) is np.ndarray and type(out) is np.ndarray and \
            all(type(v) is np.ndarray for v in inputs):
        return _vjp_arrays(g, inputs, out, mode, reverse, needs)
    x, h0, c0, w_ih, w_hh, b_ih, b_hh = inputs
    n = w_hh.shape[1]
    t = x.shape[1]
    lstm = mode == "LSTM"
    h = _cols(out, 0, n) if lstm else out
    h_prev = _previous(h, h0, reverse)
    c = c_prev = None
    if lstm:
        c = _cols(out, n, 2 * n)
        c_prev = _previous(c, c0, reverse)
    # The gates of every step at once: two matmuls, no recursion.
    xi = add(matmul(x, transpose(w_ih)), b_ih)
    hh = add(matmul(h_prev, transpose(w_hh)), b_hh)
    f_ih, f_hh, carry = _local_factors(mode, n, xi, hh, h, h_prev, c, c_prev)
    g_h = _cols(g, 0, n) if lstm else g
    spread = GATES[mode]
    # The recursion: per step the incoming gradient, its gate gradients, one matmul back.
    d_gates = [None] * t  # per step: the gradient of the hidden-side gate pre-activations
    spreads = [None] * t  # per step: the incoming gradient per gate (GRU's input side)
    dh = dc = None
    for k in (range(t) if reverse else range(t - 1, -1, -1)):
        dh_k = _step(g_h, k) if dh is None else add(_step(g_h, k), dh)
        if lstm:
            f_k, a_k = _step(carry[0], k), _step(carry[1], k)
            dc_k = add(_step(_cols(g, n, 2 * n), k), mul(dh_k, a_k))
            if dc is not None:
                dc_k = add(dc_k, dc)
            spread_k = concat([dc_k, dc_k, dc_k, dh_k], axis=-1)
            dc = mul(dc_k, f_k)
        else:
            spread_k = concat([dh_k] * spread, axis=-1) if spread > 1 else dh_k
        dgh = mul(spread_k, _step(f_hh, k))
        dh = matmul(dgh, w_hh)
        if mode == "GRU":
            dh = add(dh, mul(dh_k, _step(carry, k)))
            spreads[k] = spread_k
        d_gates[k] = dgh
    dhh = stack(d_gates, axis=1)  # (B, T, G*H), every step's gate gradients
    # The input side's gate gradients equal the hidden side's but for GRU's candidate gate.
    dxi = mul(stack(spreads, axis=1), f_ih) if mode == "GRU" else dhh
    rows = GATES[mode] * n

    def flat(v, width):
        return reshape(v, shape=(-1, width))

    grads = [
        matmul(dxi, w_ih) if needs[0] else None,
        dh if needs[1] else None,
        (dc if lstm else zeros_like(c0)) if needs[2] else None,  # only LSTM reads c0
        matmul(transpose(flat(dxi, rows)), flat(x, x.shape[2])) if needs[3] else None,
        matmul(transpose(flat(dhh, rows)), flat(h_prev, n)) if needs[4] else None,
        reduce_sum(dxi, axis=(0, 1)) if needs[5] else None,
        reduce_sum(dhh, axis=(0, 1)) if needs[6] else None,
    ]
    return tuple(grads)


# --- the same gradient on arrays (eager backward) --------------------------------------------
def _shifted(seq: np.ndarray, first: np.ndarray, reverse: bool) -> np.ndarray:
    """`_previous` on arrays."""
    prev = np.empty_like(seq)
    if reverse:
        prev[:, :-1], prev[:, -1] = seq[:, 1:], first
    else:
        prev[:, 1:], prev[:, 0] = seq[:, :-1], first
    return prev


def _time_major(v: np.ndarray) -> np.ndarray:
    """A (B, T, ...) array as a C-contiguous (T, B, ...) array (a copy unless it is one)."""
    return np.ascontiguousarray(v.swapaxes(0, 1))


def _vjp_arrays(g, inputs, out, mode, reverse, needs):
    """`_vjp`'s math on NumPy arrays, step by step the same products and sums.

    NOTE: a measured trick (docs/PERFORMANCE.md): the rule in ops dispatches ~15 op calls a
    step, each costing more than its arithmetic on these small arrays; on arrays the recursion
    is plain NumPy into preallocated buffers. tests/perf_kernels/test_rnn_sequence.py holds the
    two forms equal.
    """
    x, h0, c0, w_ih, w_hh, b_ih, b_hh = inputs
    b, t, f_in = x.shape
    n = w_hh.shape[1]
    rows = GATES[mode] * n
    lstm = mode == "LSTM"
    h = out[..., :n] if lstm else out
    h_prev = _shifted(h, h0, reverse)
    xi = _flat_matmul(x, w_ih.T)
    xi += b_ih
    hh = _flat_matmul(h_prev, w_hh.T)
    hh += b_hh
    g_h = g[..., :n] if lstm else g
    if mode == "GRU":
        rz = _sigmoid(xi[..., :2 * n] + hh[..., :2 * n])
        r, z = rz[..., :n], rz[..., n:]
        hh_n = hh[..., 2 * n:]
        cand = np.tanh(xi[..., 2 * n:] + r * hh_n)
        dcand = (1 - z) * (1 - cand * cand)
        dr = dcand * hh_n * r * (1 - r)
        dz = (h_prev - cand) * z * (1 - z)
        f_ih = np.concatenate([dr, dz, dcand], axis=-1)
        f_hh = np.concatenate([dr, dz, dcand * r], axis=-1)
    elif lstm:
        c = out[..., n:]
        c_prev = _shifted(c, c0, reverse)
        xi += hh  # the gates' pre-activations
        sig = _sigmoid(xi)
        i, f, o = sig[..., :n], sig[..., n:2 * n], sig[..., 3 * n:]
        gg = np.tanh(xi[..., 2 * n:3 * n])
        tc = np.tanh(c)
        # The factors, written in place into a time-major buffer (the recursion's layout).
        f_ih = f_hh = np.empty((t, b, rows), dtype=sig.dtype).swapaxes(0, 1)
        for k, (gate, times) in enumerate(((i, gg), (f, c_prev), (None, i), (o, tc))):
            part = f_hh[..., k * n:(k + 1) * n]
            if gate is None:  # the cell input's tanh: 1 - g^2
                np.multiply(gg, gg, out=part)
                np.subtract(1, part, out=part)
            else:  # a sigmoid gate: s (1 - s)
                np.subtract(1, gate, out=part)
                part *= gate
            part *= times
        a_c = np.multiply(tc, tc, out=tc)
        np.subtract(1, a_c, out=a_c)
        a_c *= o
        g_c = g[..., n:]
    else:
        f_ih = f_hh = 1 - h * h if mode == "RNN_TANH" else (h > 0).astype(h.dtype)
    # The recursion reads and writes one step at a time: time-major copies make each step's
    # rows contiguous (one transposing copy per array instead of strided access every step).
    dhh = np.empty((t, b, rows), dtype=f_hh.dtype)
    dxi = dhh if f_ih is f_hh else np.empty_like(dhh)
    f_hh_t = _time_major(f_hh)
    f_ih_t = f_hh_t if f_ih is f_hh else _time_major(f_ih)
    g_h_t = _time_major(g_h)
    if lstm:
        g_c_t, a_c_t, f_t = _time_major(g_c), _time_major(a_c), _time_major(f)
    elif mode == "GRU":
        z_t = _time_major(z)
    dh = np.zeros((b, n), dtype=dhh.dtype)
    dc = np.zeros((b, n), dtype=dhh.dtype) if lstm else None
    dhh4 = dhh.reshape(t, b, GATES[mode], n)
    f4 = f_hh_t.reshape(t, b, GATES[mode], n)
    for k in (range(t) if reverse else range(t - 1, -1, -1)):
        dh_k = g_h_t[k] + dh
        if lstm:
            dc_k = g_c_t[k] + dh_k * a_c_t[k]
            dc_k += dc
            # dgates = [dc, dc, dc, dh] * factors, written gate by gate into the buffer
            np.multiply(f4[k, :, :3], dc_k[:, None], out=dhh4[k, :, :3])
            np.multiply(f4[k, :, 3], dh_k, out=dhh4[k, :, 3])
            np.multiply(dc_k, f_t[k], out=dc)
        else:
            np.multiply(f4[k], dh_k[:, None], out=dhh4[k])
        dh = dhh[k] @ w_hh
        if mode == "GRU":
            dh += dh_k * z_t[k]
            np.multiply(f_ih_t[k].reshape(b, 3, n), dh_k[:, None], out=dxi[k].reshape(b, 3, n))
    # Every step at once, in the buffers' time-major row order (x arrives as a transposed
    # view of time-major data from nn.RNN & co.: its time-major rows are free).
    flat_xi, flat_hh = dxi.reshape(t * b, rows), dhh.reshape(t * b, rows)
    return ((flat_xi @ w_ih).reshape(t, b, f_in).swapaxes(0, 1) if needs[0] else None,
            dh if needs[1] else None,
            (dc if lstm else np.zeros_like(c0)) if needs[2] else None,
            flat_xi.T @ x.swapaxes(0, 1).reshape(t * b, f_in) if needs[3] else None,
            flat_hh.T @ h_prev.swapaxes(0, 1).reshape(t * b, n) if needs[4] else None,
            flat_xi.sum(axis=0) if needs[5] else None,
            flat_hh.sum(axis=0) if needs[6] else None)


rnn_sequence = primitive(
    "rnn_sequence", _kernel, _rule, _vjp, promote=True, floating=True, fresh=True,
    torch_name="RnnSequenceBackward0",
    doc="One recurrent layer (RNN_TANH, RNN_RELU, GRU, LSTM) over a batch-first sequence.")

__all__ = ["rnn_sequence"]
