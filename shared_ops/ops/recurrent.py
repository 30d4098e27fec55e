"""A whole recurrent layer over a sequence as one op: ``rnn_sequence``, the fused form of
``nn.RNN`` / ``nn.GRU`` / ``nn.LSTM``'s time loop for one layer and one direction.

    rnn_sequence(x, h0, c0, w_ih, w_hh, b_ih, b_hh, mode="GRU", reverse=False,
                 workspace=False)

``x`` is batch-first ``(B, T, F)``; ``h0`` and ``c0`` are ``(B, H)`` (``c0`` is read by LSTM
only); the weights and biases are PyTorch's, gates stacked along rows (``(G*H, F)``,
``(G*H, H)``, ``(G*H,)``). The output is every step's hidden state ``(B, T, H)``, for LSTM
followed by every step's cell state: ``(B, T, 2H)``. With ``workspace=True`` an LSTM appends
every step's gate activations (``(B, T, 6H)``) and a GRU its ``[r, z, n, hh_n]``
(``(B, T, 5H)``), which their gradients read instead of recomputing them (eager's nn.LSTM
and nn.GRU ask for it; the RNN modes ignore the flag).
``reverse=True`` runs from the last step back (a bidirectional layer's second direction);
outputs stay in time order.

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
from .array_rules import on_arrays
from .elementwise import add, mul, sub
from .elementwise_math import relu, sigmoid, sign, tanh
from .fill import zeros_like
from .indexing import getitem
from .linalg import matmul
from .recurrent_arrays import vjp_arrays
from .recurrent_kernel import GATES, forward, width
from .reductions import sum as reduce_sum
from .shape import reshape, transpose
from .shape_join import concat, stack


def _rule(x: Aval, h0: Aval, c0: Aval, w_ih: Aval, w_hh: Aval, b_ih: Aval, b_hh: Aval,
          mode="GRU", reverse=False, workspace=False) -> Aval:
    """Check the layer's shapes; the output is ``(B, T, H)`` (LSTM: ``(B, T, 2H)``; with the
    workspace LSTM ``(B, T, 6H)``, GRU ``(B, T, 5H)``)."""
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
    return Aval((x.shape[0], x.shape[1], None if n is None else width(mode, n, workspace)),
                x.dtype)


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


def _workspace_share(g, xi, hh, n: int):
    """What the gradient of an LSTM's workspace columns (the kernel's gate order ``[i, f, o,
    g]``) adds to the gates' pre-activations, in PyTorch's order ``[i, f, g, o]``: ``g_ws *
    act'`` (sigmoid' = s (1 - s), tanh' = 1 - t^2); the same on either side."""
    gates = add(xi, hh)
    sig = sigmoid(gates)
    cell = tanh(_cols(gates, 2 * n, 3 * n))
    one = 1.0

    def sig_share(lo: int, ws: int):  # gate at columns lo of the gates, ws of the workspace
        s = _cols(sig, lo, lo + n)
        return mul(_cols(g, ws, ws + n), mul(s, sub(one, s)))

    share = concat([sig_share(0, 2 * n), sig_share(n, 3 * n),
                    mul(_cols(g, 5 * n, 6 * n), sub(one, mul(cell, cell))),
                    sig_share(3 * n, 4 * n)], axis=-1)
    return share, share


def _gru_workspace_share(g, xi, hh, n: int):
    """The same for a GRU's workspace ``[r, z, n, hh_n]``: ``(input side, hidden side)``; the
    candidate's gradient reaches r through ``r * hh_n``, and ``hh_n`` is the hidden side's
    candidate pre-activation itself."""
    rz = sigmoid(add(_cols(xi, 0, 2 * n), _cols(hh, 0, 2 * n)))
    r, z = _cols(rz, 0, n), _cols(rz, n, 2 * n)
    hh_n = _cols(hh, 2 * n, 3 * n)
    cand = tanh(add(_cols(xi, 2 * n, 3 * n), mul(r, hh_n)))
    one = 1.0
    g_r, g_z, g_n, g_hhn = (_cols(g, (k + 1) * n, (k + 2) * n) for k in range(4))
    dn = mul(g_n, sub(one, mul(cand, cand)))
    dr = mul(add(g_r, mul(dn, hh_n)), mul(r, sub(one, r)))
    dz = mul(g_z, mul(z, sub(one, z)))
    return concat([dr, dz, dn], axis=-1), concat([dr, dz, add(mul(dn, r), g_hhn)], axis=-1)


def _vjp(g, inputs, out, mode="GRU", reverse=False, workspace=False, needs=(True,) * 7):
    lstm = mode == "LSTM"
    workspace = workspace and mode in ("LSTM", "GRU")
    if on_arrays(g, inputs) and type(out) is np.ndarray:
        return vjp_arrays(g, inputs, out, mode, reverse, workspace, needs)
    x, h0, c0, w_ih, w_hh, b_ih, b_hh = inputs
    n = w_hh.shape[1]
    t = x.shape[1]
    h = _cols(out, 0, n) if lstm or workspace else out
    h_prev = _previous(h, h0, reverse)
    c = c_prev = None
    if lstm:
        c = _cols(out, n, 2 * n)
        c_prev = _previous(c, c0, reverse)
    # The gates of every step at once: two matmuls, no recursion.
    xi = add(matmul(x, transpose(w_ih)), b_ih)
    hh = add(matmul(h_prev, transpose(w_hh)), b_hh)
    f_ih, f_hh, carry = _local_factors(mode, n, xi, hh, h, h_prev, c, c_prev)
    # The workspace's own gradient (zero unless a user reads the gate activations).
    share_ih = share = None
    if workspace:
        share_ih, share = _workspace_share(g, xi, hh, n) if lstm else \
            _gru_workspace_share(g, xi, hh, n)
    g_h = _cols(g, 0, n) if lstm or workspace else g
    spread = GATES[mode]
    # The recursion: per step the incoming gradient, its gate gradients, one matmul back.
    d_gates = [None] * t  # per step: the gradient of the hidden-side gate pre-activations
    spreads = [None] * t  # per step: GRU's input-side gate gradients
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
        if share is not None:
            dgh = add(dgh, _step(share, k))
        dh = matmul(dgh, w_hh)
        if mode == "GRU":
            dh = add(dh, mul(dh_k, _step(carry, k)))
            spreads[k] = mul(spread_k, _step(f_ih, k))
            if share_ih is not None:
                spreads[k] = add(spreads[k], _step(share_ih, k))
        d_gates[k] = dgh
    dhh = stack(d_gates, axis=1)  # (B, T, G*H), every step's gate gradients
    # The input side's gate gradients equal the hidden side's but for GRU's candidate gate.
    dxi = stack(spreads, axis=1) if mode == "GRU" else dhh
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


rnn_sequence = primitive(
    "rnn_sequence", forward, _rule, _vjp, promote=True, floating=True, fresh=True,
    torch_name="RnnSequenceBackward0",
    doc="One recurrent layer (RNN_TANH, RNN_RELU, GRU, LSTM) over a batch-first sequence.")

__all__ = ["rnn_sequence"]
