"""The time loop of the multi-step RNNs: one layer, one direction, over a time-major
(T, B, features) input, with an optional per-sequence ``lengths`` mask.

Step ``t`` of sequence ``b`` counts only while ``t < lengths[b]``: a masked step leaves the
state alone and outputs zeros. Run forward, that stops each sequence at its own end; run in
reverse (``reverse=True``, a bidirectional layer's second direction), the state stays at its
initial value through the padding and each sequence starts at its own last step - what
PyTorch's packed sequences give.

Without lengths, and with a known number of steps, a layer is one op: `fused_layer` calls
``shared_ops.rnn_sequence`` (every step's input projection in one matmul, the gate math on
arrays, one tape entry or graph node for the whole layer). With lengths and a known number of
steps (eager mode, or a static graph traced for one concrete length) the loop is Python,
unrolled into the graph when traced. When the number of steps is unknown (a static
placeholder with a ``None`` time dim) the step becomes the body of
``shared_ops.control_flow.scan``, one graph for every length.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import shared_ops as ops
from shared_ops.dispatch import all_immediate

from .rnn_cells import CellEquations

_STEP = {"RNN_TANH": CellEquations.rnn_step, "RNN_RELU": CellEquations.rnn_step,
         "GRU": CellEquations.gru_step, "LSTM": CellEquations.lstm_step}


def _masked(mask: Any, new: Any, old: Any) -> Any:
    """``new`` where the step is inside the sequence, else ``old`` (exactly: a select)."""
    if mask is None:
        return new
    if isinstance(new, tuple):
        return tuple(ops.where(mask, n, o) for n, o in zip(new, old, strict=True))
    return ops.where(mask, new, old)


def _step_mask(t: Any, lengths: Any) -> Any:
    """(B, 1) bool: which sequences are still running at step ``t``."""
    if lengths is None:
        return None
    return ops.expand_dims(ops.lt(t, lengths), axis=1)


def _layer_step(mode: str, cell: CellEquations, x_t: Any, state: Any, mask: Any) -> tuple:
    """One step of one layer: (next state, output at this step)."""
    new = _STEP[mode](cell, x_t, state)
    state = _masked(mask, new, state)
    h = new[0] if mode == "LSTM" else new
    out = h if mask is None else ops.where(mask, h, 0.0)
    return state, out


def run_layer(mode: str, cell: CellEquations, x: Any, state: Any, lengths: Any,
              reverse: bool = False) -> tuple:
    """Run one layer over time-major ``x`` (last step first with ``reverse``): outputs
    (T, B, H) in time order, and the final state."""
    steps = x.shape[0]
    if steps is None:
        return _scan_layer(mode, cell, x, state, lengths, reverse)
    outs: list[Any] = [None] * steps
    for t in (range(steps - 1, -1, -1) if reverse else range(steps)):
        state, outs[t] = _layer_step(mode, cell, ops.getitem(x, t), state,
                                     _step_mask(t, lengths))
    return ops.stack(outs, axis=0), state


def fused_layer(mode: str, cell: CellEquations, x: Any, state: Any,
                reverse: bool = False) -> tuple:
    """`run_layer` without lengths, as one ``rnn_sequence`` op over time-major ``x``: outputs
    (T, B, H) in time order, and the final state."""
    n = cell.hidden_size
    h0, c0 = state if mode == "LSTM" else (state, state)  # c0 is read by LSTM only
    rows = cell.weight_ih.shape[0]
    zeros = None if cell.bias_ih is not None and cell.bias_hh is not None else \
        np.zeros(rows, dtype=cell.weight_ih.dtype)
    # Values at hand: LSTM and GRU keep their gates for the backward (a workspace after h).
    workspace = mode in ("LSTM", "GRU") and all_immediate((x,), {})
    out = ops.rnn_sequence(ops.transpose(x, axes=(1, 0, 2)), h0, c0, cell.weight_ih,
                           cell.weight_hh, zeros if cell.bias_ih is None else cell.bias_ih,
                           zeros if cell.bias_hh is None else cell.bias_hh, mode=mode,
                           reverse=reverse, workspace=workspace)
    last = 0 if reverse else -1  # the step processed last holds the final state
    h_seq = ops.getitem(out, (Ellipsis, slice(0, n))) if mode == "LSTM" or workspace else out
    state = ops.getitem(out, (slice(None), last, slice(0, n)))
    if mode == "LSTM":
        state = (state, ops.getitem(out, (slice(None), last, slice(n, 2 * n))))
    return ops.transpose(h_seq, axes=(1, 0, 2)), state


def _scan_layer(mode: str, cell: CellEquations, x: Any, state: Any, lengths: Any,
                reverse: bool) -> tuple:
    """The same loop as one ``scan`` over an unknown number of steps. The carry holds the step
    counter ``t`` (for the length mask) next to the recurrent state; in reverse the scan runs
    over the time-reversed input and ``t`` counts down from T - 1."""
    from shared_ops.control_flow import scan  # the control-flow ops live apart from the core

    pair = isinstance(state, tuple)  # LSTM's (h, c): scan's carry is one flat tuple
    step = -1 if reverse else 1

    def body(carry: tuple, x_t: Any) -> tuple:
        t, *state = carry
        state, out = _layer_step(mode, cell, x_t, tuple(state) if pair else state[0],
                                 _step_mask(t, lengths))
        return (ops.add(t, step), *(state if pair else (state,))), out

    if reverse:
        x = ops.getitem(x, slice(None, None, -1))
        start = ops.sub(ops.cast(ops.numel(x, axis=0), dtype=np.int64), 1)
    else:
        start = np.int64(0)
    (_, *state), outs = scan(body, (start, *(state if pair else (state,))), x)
    if reverse:
        outs = ops.getitem(outs, slice(None, None, -1))
    return outs, tuple(state) if pair else state[0]


__all__ = ["fused_layer", "run_layer"]
